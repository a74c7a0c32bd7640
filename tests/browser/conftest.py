"""Set-up of the browser flows: the demo server's URL, our translations, and a summary of the
steps' durations printed before pytest's last line (no timing limits: they are recorded)."""
import json
import os

import polib
import pytest

from browser_tools import ROOT, TIMINGS


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("AFTERSALES_BASE_URL")
    assert url, ("AFTERSALES_BASE_URL is not set: run the browser tests through bin/test, "
                 "which starts the demo server of `make run` and sets it")
    return url


@pytest.fixture(scope="session")
def translations_file(tmp_path_factory):
    """Every translated entry of our addons' zh_CN.po, as {msgid: msgstr}, for the flows."""
    entries = {}
    for po_path in sorted(ROOT.glob("addons/*/i18n/zh_CN.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete and not entry.fuzzy:
                entries.setdefault(entry.msgid, entry.msgstr)
    path = tmp_path_factory.mktemp("i18n") / "zh_CN.json"
    path.write_text(json.dumps(entries, ensure_ascii=False))
    return path


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("browser flows: durations (recorded, not limited)")
    for flow, lang, step, ms in TIMINGS:
        terminalreporter.write_line("%-9s %-6s %-32s %6d ms" % (flow, lang, step, ms))
