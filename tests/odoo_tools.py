"""Helpers for the cross-addon tests that drive Odoo and PostgreSQL as separate processes."""
import ast
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
OUR_ADDONS = sorted(p.name for p in ADDONS_DIR.iterdir() if (p / "__manifest__.py").is_file())


def rendered_test_conf():
    """The rendered test config (bin/test exports its path)."""
    return os.environ["AFTERSALES_TEST_CONF"]


def manifest(addon):
    return ast.literal_eval((ADDONS_DIR / addon / "__manifest__.py").read_text())


def our_closure(addon):
    """The addon and every addon of ours it depends on, directly or not."""
    seen = set()
    todo = [addon]
    while todo:
        name = todo.pop()
        if name in seen or name not in OUR_ADDONS:
            continue
        seen.add(name)
        todo.extend(manifest(name)["depends"])
    return seen


def odoo_deps(addons):
    """The Odoo (not ours) addons the given addons declare."""
    deps = set()
    for name in addons:
        deps.update(d for d in manifest(name)["depends"] if d not in OUR_ADDONS)
    return sorted(deps)


def pg(*args):
    return subprocess.run(
        [os.path.join(os.environ["PG_BIN"], args[0])] + list(args[1:]),
        check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
    ).stdout


def sql(db, query):
    return pg("psql", "-d", db, "-Atc", query).strip()


def db_exists(db):
    return sql("postgres", "select count(*) from pg_database where datname = '%s'" % db) == "1"


def drop_db(db):
    pg("psql", "-d", "postgres", "-qc", 'drop database if exists "%s"' % db)


def copy_db(template, db):
    drop_db(db)
    pg("createdb", "-T", template, db)


def odoo(db, *args, logfile):
    """Run the Odoo CLI on `db` until it stops; return (exit code, log text)."""
    Path(logfile).write_text("")
    proc = subprocess.run(
        [str(VENV_PYTHON), str(ROOT / "bin" / "odoo"), "-c", rendered_test_conf(), "-d", db,
         "--logfile", str(logfile), "--stop-after-init"] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
    )
    return proc.returncode, Path(logfile).read_text() + proc.stdout


def error_lines(log):
    return [line for line in log.splitlines() if " ERROR " in line or " CRITICAL " in line]
