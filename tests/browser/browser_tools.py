"""Runs a browser flow (tests/browser/<flow>.mjs) with Node and collects what it reports."""
import os
import re
import subprocess
from pathlib import Path

from pdf_tools import pdf_text  # noqa: F401 (the flows read their PDFs with it)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = HERE / "screenshots"
TIMINGS = []  # (flow, lang, step, ms), printed by conftest.pytest_terminal_summary
STEP = re.compile(r"^STEP (.+) (\d+) ms$", re.M)


def run_flow(flow, lang, base_url, translations_file):
    """Run one flow in `lang`; fail with its output unless it passed. Returns its output."""
    env = dict(os.environ, AFTERSALES_BASE_URL=base_url, AFTERSALES_LANG=lang,
               AFTERSALES_SCREENSHOT_DIR=str(SCREENSHOTS),
               AFTERSALES_TRANSLATIONS=str(translations_file))
    proc = subprocess.run(["node", str(HERE / ("%s.mjs" % flow))], env=env, timeout=600,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    print(proc.stdout)
    TIMINGS.extend((flow, lang, step, int(ms)) for step, ms in STEP.findall(proc.stdout))
    assert proc.returncode == 0 and "FLOW PASSED %s" % flow in proc.stdout, proc.stdout[-5000:]
    return proc.stdout


DOWNLOAD = re.compile(r"^DOWNLOAD (\S+) ", re.M)


def downloads(output):
    """The files a flow downloaded (its "DOWNLOAD <path> <name>" lines)."""
    return DOWNLOAD.findall(output)
