"""Every screen ships in English and Simplified Chinese: each addon's strings are all in its
i18n template, and each of them has a Chinese translation."""
import polib
import pytest

from odoo_tools import ADDONS_DIR, OUR_ADDONS, ROOT, odoo


def _msgids(po):
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


@pytest.mark.parametrize("addon", OUR_ADDONS)
def test_template_is_current(addon, tmp_path):
    """The committed .pot holds every string the installed addon has (run bin/i18n if not)."""
    import odoo as odoo_pkg
    exported = tmp_path / ("%s.po" % addon)
    code, log = odoo(odoo_pkg.tools.config["db_name"], "--i18n-export=%s" % exported,
                     "--modules=%s" % addon, logfile=tmp_path / "export.log")
    assert code == 0, log[-2000:]
    fresh = _msgids(polib.pofile(str(exported)))
    committed = _msgids(polib.pofile(str(ADDONS_DIR / addon / "i18n" / ("%s.pot" % addon))))
    missing = sorted(msgid for _ctx, msgid in fresh - committed)
    assert not missing, "strings missing from the .pot (run bin/i18n): %s" % missing[:20]


@pytest.mark.parametrize("addon", OUR_ADDONS)
def test_every_string_has_a_chinese_translation(addon):
    template = polib.pofile(str(ADDONS_DIR / addon / "i18n" / ("%s.pot" % addon)))
    chinese = polib.pofile(str(ADDONS_DIR / addon / "i18n" / "zh_CN.po"))
    translated = {(e.msgctxt, e.msgid) for e in chinese if e.msgstr.strip()}
    untranslated = sorted(msgid for ctx, msgid in _msgids(template) - translated)
    assert not untranslated, "untranslated in %s/i18n/zh_CN.po: %s" % (addon, untranslated[:20])


def test_chinese_translations_are_loaded_in_the_database():
    """The test database (like the demo one) has zh_CN installed with our terms."""
    import odoo as odoo_pkg
    from odoo_tools import sql
    db = odoo_pkg.tools.config["db_name"]
    assert sql(db, "select count(*) from res_lang where code = 'zh_CN' and active") == "1"
    assert sql(db, "select value from ir_translation where lang = 'zh_CN' and module = "
                   "'aftersales_base' and src = 'Unit Archives' and value != '' limit 1") == "设备档案"


def _calls_to_translate_in_nested_scopes(path):
    """Lines where _() runs in a comprehension or a lambda: its own frame, where Odoo 11's _()
    finds no environment and answers in English whatever the reader's language (issue 15:
    "(refurbished)" and "Uncategorised" stayed English on Chinese screens)."""
    import ast
    tree = ast.parse(path.read_text())
    scopes = (ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.SetComp, ast.Lambda)
    return sorted({call.lineno for scope in ast.walk(tree) if isinstance(scope, scopes)
                   for call in ast.walk(scope) if isinstance(call, ast.Call)
                   and isinstance(call.func, ast.Name) and call.func.id == "_"})


@pytest.mark.parametrize("addon", OUR_ADDONS)
def test_strings_are_translated_where_the_language_is_known(addon):
    found = {str(path.relative_to(ROOT)): lines
             for path in sorted((ADDONS_DIR / addon).rglob("*.py"))
             for lines in [_calls_to_translate_in_nested_scopes(path)] if lines}
    assert not found, "_() in a comprehension or lambda (translate before it): %s" % found
