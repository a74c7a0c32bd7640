"""Fixes of pytest-odoo 1.0.1 for this project, loaded once per pytest session.

tests/conftest.py imports it; bin/test loads it as a plugin (`-p pytest_fixes`) for the test
paths outside tests/ (Odoo's own tests of the apps we extend), where that conftest does not
apply.
"""
import threading

import pytest_odoo
from odoo.service import server

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
