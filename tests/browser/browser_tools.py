"""Runs a browser flow (tests/browser/<flow>.mjs) with Node and collects what it reports."""
import os
import re
import subprocess
from pathlib import Path

import PyPDF2

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


def pdf_text(path):
    """The text of a PDF the browser downloaded, without spaces; fails when it is not a PDF.

    wkhtmltopdf draws each glyph on its own (``<0001> Tj``) in fonts with a ToUnicode map,
    which PyPDF2 1.26 does not read: the glyphs are mapped here. Spaces are left out, as the
    PDF positions words rather than writing spaces between them.
    """
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", "%s is not a PDF" % path
    text = []
    for page in PyPDF2.PdfFileReader(path).pages:
        fonts = page["/Resources"].getObject().get("/Font", {})
        maps = {name: _to_unicode(font.getObject()) for name, font in fonts.items()}
        content = page.getContents().getData()
        font = {}
        for match in TEXT_OPS.finditer(content):
            if match.group("font"):
                font = maps.get(match.group("font").decode(), {})
                continue
            codes = match.group("hex").decode()
            text.extend(font.get(int(codes[i:i + 4], 16), "") for i in range(0, len(codes), 4))
    return re.sub(r"\s+", "", "".join(text))


TEXT_OPS = re.compile(rb"(?P<font>/\w+) [\d.]+ Tf|<(?P<hex>[0-9A-Fa-f]+)> Tj")
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _to_unicode(font):
    """{glyph code: text} from a PDF font's ToUnicode CMap (bfchar and bfrange sections)."""
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].getObject().getData()
    mapping = {}

    def char(hexa):
        return bytes.fromhex(hexa.decode()).decode("utf-16-be", "replace")

    for section in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for line in section.strip().splitlines():
            codes = HEX.findall(line)
            if len(codes) == 2:
                mapping[int(codes[0], 16)] = char(codes[1])
    for section in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in section.strip().splitlines():
            codes = HEX.findall(line)
            if len(codes) < 3:
                continue
            start, end = int(codes[0], 16), int(codes[1], 16)
            if b"[" in line:  # <start> <end> [<u1> <u2> ...]
                for offset, target in enumerate(codes[2:]):
                    mapping[start + offset] = char(target)
            else:  # <start> <end> <first unicode>
                first = int(codes[2], 16)
                for offset in range(end - start + 1):
                    mapping[start + offset] = chr(first + offset)
    return mapping
