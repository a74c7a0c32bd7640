"""The text of the PDFs Odoo prints (wkhtmltopdf), for tests that read them."""
import io
import re

import PyPDF2


def pdf_text(pdf):
    """The text of a PDF (a path, or its bytes), without spaces; fails when it is not a PDF.

    wkhtmltopdf draws each glyph on its own (``<0001> Tj``) in fonts with a ToUnicode map,
    which PyPDF2 1.26 does not read: the glyphs are mapped here. Spaces are left out, as the
    PDF positions words rather than writing spaces between them.
    """
    if not isinstance(pdf, bytes):
        with open(pdf, "rb") as stream:
            pdf = stream.read()
    assert pdf[:5] == b"%PDF-", "not a PDF: %r" % pdf[:100]
    text = []
    for page in PyPDF2.PdfFileReader(io.BytesIO(pdf)).pages:
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
