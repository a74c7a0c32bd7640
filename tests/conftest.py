"""pytest set-up shared by the whole project (loaded first: `tests` is a test path)."""
import pytest_odoo

_find_manifest = pytest_odoo._find_manifest_path


def _find_existing_manifest(path):
    # pytest-odoo 1.0.1 returns a path to a manifest that does not exist for files outside
    # addons (and then crashes reading it): report "no manifest" instead.
    manifest = _find_manifest(path)
    return manifest if manifest.is_file() else None


pytest_odoo._find_manifest_path = _find_existing_manifest
