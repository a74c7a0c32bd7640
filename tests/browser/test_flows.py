"""End-to-end flows in a real browser (issue 7), against the demo server of `make run`.

Each flow is a Node script (tests/browser/<flow>.mjs) driving Debian's chromium with
playwright-core; this wrapper runs it and fails with its output when it fails. The flows
save their screenshots in tests/browser/screenshots/ (git-ignored).
"""
import pytest

from browser_tools import run_flow


@pytest.mark.parametrize("lang", ["en_US", "zh_CN"])
def test_unit_archives_list_form_and_packing_list(lang, base_url, translations_file):
    """R: A1, A4 — a manager finds the demo unit archives, opens one and its packing list;
    in Chinese every label of ours on those screens is Chinese."""
    out = run_flow("archives", lang, base_url, translations_file)
    assert "demo archive ARC/2026/00001 listed" in out
    assert out.count("SCREENSHOT ") == 3


def test_web_client_is_styled(base_url, translations_file):
    """The backend has its styles (lessc present): coloured navbar, non-empty CSS bundle."""
    out = run_flow("styles", "en_US", base_url, translations_file)
    assert "navbar has a background colour" in out
