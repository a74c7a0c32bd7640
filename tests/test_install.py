"""Each addon installs alone, with only its declared dependencies, on a fresh database.

The Odoo addons each one depends on are installed once into a cached database (their content
does not depend on our code), built on a copy of the cached database of a smaller set of
dependencies when there is one; every run then installs our addon on a fresh copy of it.
"""
import hashlib

import pytest

from odoo_tools import (
    OUR_ADDONS, ROOT, copy_db, db_exists, drop_db, error_lines, odoo, odoo_deps,
    our_closure, sql,
)

LOGS = ROOT / ".local"


def _deps_db_name(deps):
    return "aftersales_deps_%s" % hashlib.sha1(",".join(deps).encode()).hexdigest()[:10]


def _deps_installed(name, deps):
    return db_exists(name) and sql(
        name, "select count(*) from ir_module_module where state = 'installed' and name in (%s)"
        % ",".join("'%s'" % d for d in deps)) == str(len(deps))


def _closest_cached(deps):
    """The cached database of another addon whose dependencies are the most of ours, if any:
    installing only the missing ones on a copy of it takes a fraction of a fresh install."""
    candidates = [odoo_deps(our_closure(addon)) for addon in OUR_ADDONS]
    candidates = [other for other in candidates
                  if set(other) < set(deps) and _deps_installed(_deps_db_name(other), other)]
    return max(candidates, key=len, default=None)


def _deps_template(deps):
    name = _deps_db_name(deps)
    if _deps_installed(name, deps):
        return name
    base = _closest_cached(deps)
    if base:
        copy_db(_deps_db_name(base), name)
        missing = sorted(set(deps) - set(base))
    else:
        drop_db(name)
        missing = deps
    code, log = odoo(name, "-i", ",".join(missing), "--without-demo=all",
                     logfile=LOGS / ("%s.log" % name))
    assert code == 0 and not error_lines(log), "installing %s failed:\n%s" % (deps, log[-3000:])
    assert _deps_installed(name, deps)
    return name


# Fewest dependencies first, so that each cached database can start from the previous one.
@pytest.mark.parametrize("addon", sorted(OUR_ADDONS, key=lambda a: len(odoo_deps(our_closure(a)))))
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
