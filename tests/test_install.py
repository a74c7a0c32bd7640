"""Each addon installs alone, with only its declared dependencies, on a fresh database.

The Odoo addons each one depends on are installed once into a cached database (their content
does not depend on our code); every run then installs our addon on a fresh copy of it.
"""
import hashlib

import pytest

from odoo_tools import (
    OUR_ADDONS, ROOT, copy_db, db_exists, drop_db, error_lines, odoo, odoo_deps,
    our_closure, sql,
)

LOGS = ROOT / ".local"


def _deps_template(deps):
    key = hashlib.sha1(",".join(deps).encode()).hexdigest()[:10]
    name = "aftersales_deps_%s" % key
    if db_exists(name) and sql(name, "select count(*) from ir_module_module where state = 'installed' and name in (%s)"
                               % ",".join("'%s'" % d for d in deps)) == str(len(deps)):
        return name
    drop_db(name)
    code, log = odoo(name, "-i", ",".join(deps), "--without-demo=all",
                     logfile=LOGS / ("%s.log" % name))
    assert code == 0 and not error_lines(log), "installing %s failed:\n%s" % (deps, log[-3000:])
    return name


@pytest.mark.parametrize("addon", OUR_ADDONS)
def test_addon_installs_alone(addon):
    closure = our_closure(addon)
    template = _deps_template(odoo_deps(closure))
    db = "aftersales_install_%s" % addon
    copy_db(template, db)
    try:
        code, log = odoo(db, "-i", addon, "--without-demo=all", logfile=LOGS / ("%s.log" % db))
        assert code == 0, log[-3000:]
        assert not error_lines(log), "\n".join(error_lines(log))
        installed = set(sql(db, "select name from ir_module_module "
                                "where state = 'installed' and name like 'aftersales%'").split())
        # Exactly the addon and what it declares: nothing of ours that it does not depend on.
        assert installed == closure
    finally:
        drop_db(db)


def test_all_four_install_together():
    """bin/test installed them together into the template it copied for this run."""
    import odoo as odoo_pkg
    db = odoo_pkg.tools.config["db_name"]
    installed = set(sql(db, "select name from ir_module_module "
                            "where state = 'installed' and name like 'aftersales%'").split())
    assert installed == set(OUR_ADDONS)
    assert len(OUR_ADDONS) == 4
