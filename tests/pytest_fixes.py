"""Fixes of pytest-odoo 1.0.1 for this project, loaded once per pytest session.

tests/conftest.py imports it; bin/test loads it as a plugin (`-p pytest_fixes`) for the test
paths outside tests/ (Odoo's own tests of the apps we extend), where that conftest does not
apply.
"""
import threading

import pytest_odoo
from odoo.service import server
from odoo.tests import common

_find_manifest = pytest_odoo._find_manifest_path


def _find_existing_manifest(path):
    # pytest-odoo 1.0.1 returns a path to a manifest that does not exist for files outside
    # addons (and then crashes reading it): report "no manifest" instead.
    manifest = _find_manifest(path)
    return manifest if manifest.is_file() else None


pytest_odoo._find_manifest_path = _find_existing_manifest

_http_spawn = server.ThreadedServer.http_spawn


def _http_spawn_once(self):
    # pytest-odoo starts the HTTP server again for every test module; the second bind fails
    # with a traceback in the output. One server serves them all.
    if any(t.name == "odoo.service.httpd" and t.is_alive() for t in threading.enumerate()):
        return
    _http_spawn(self)


server.ThreadedServer.http_spawn = _http_spawn_once


def _release_cursor_on_failure(setup):
    """setUpClass that gives its class's cursor back when it fails.

    unittest (Python 3.7) does not call tearDownClass after a failed setUpClass: the cursor
    of a SavepointCase then stays open inside its transaction, holding the locks of what it
    wrote (res_users rows, sequences), and every later test that touches them waits forever.
    """
    def setUpClass(cls):
        try:
            setup.__func__(cls)
        except BaseException:
            cr = getattr(cls, "cr", None)
            if cr is not None and not cr.closed:
                cls.registry.clear_caches()
                cr.rollback()
                cr.close()
            raise
    return classmethod(setUpClass)


def _guard_setup_of_subclass(cls, **kwargs):
    if "setUpClass" in cls.__dict__:
        cls.setUpClass = _release_cursor_on_failure(cls.__dict__["setUpClass"])


common.SingleTransactionCase.__init_subclass__ = classmethod(_guard_setup_of_subclass)
