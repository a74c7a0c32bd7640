"""Static checks of what cannot run here (docker) and of each addon's packaging."""
import ast
import configparser

import pytest
import yaml

from odoo_tools import ADDONS_DIR, OUR_ADDONS, ROOT, manifest

COMPOSE = ROOT / "docker" / "docker-compose.yml"


def test_compose_file_is_valid_and_mounts_existing_paths():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert services["odoo"]["image"] == "odoo:11.0"
    assert services["db"]["image"].startswith("postgres:")
    assert "db" in services["odoo"]["depends_on"]
    mounts = [v for v in services["odoo"]["volumes"] if v.startswith((".", "/"))]
    assert mounts, "the addons are mounted into the container"
    targets = {}
    for volume in mounts:
        source, target = volume.split(":")[:2]
        path = (COMPOSE.parent / source).resolve()
        assert path.exists(), "%s is mounted but does not exist" % source
        targets[target] = path
    assert targets["/mnt/extra-addons"] == ADDONS_DIR
    conf = configparser.ConfigParser()
    conf.read(str(targets["/etc/odoo"] / "odoo.conf"))
    assert "/mnt/extra-addons" in conf["options"]["addons_path"]


def test_production_config_runs_prefork_without_demo_defaults():
    conf = configparser.ConfigParser()
    conf.read(str(ROOT / "config" / "odoo-production.conf"))
    options = conf["options"]
    assert int(options["workers"]) >= 2
    assert int(options["limit_memory_hard"]) > int(options["limit_memory_soft"])
    assert options["list_db"] == "False"
    assert options["without_demo"] == "all"
    assert options["admin_passwd"] not in ("admin", "")


@pytest.mark.parametrize("addon", OUR_ADDONS)
def test_addon_packaging(addon):
    data = manifest(addon)
    assert data["version"].startswith("11.0.") and len(data["version"].split(".")) == 5
    assert data["license"] == "LGPL-3"
    for key in ("summary", "author", "website", "category", "depends"):
        assert data[key]
    assert "description" not in data
    folder = ADDONS_DIR / addon
    assert (folder / "readme" / "DESCRIPTION.rst").is_file()
    assert (folder / "i18n" / "zh_CN.po").is_file()
    assert (folder / "i18n" / ("%s.pot" % addon)).is_file()
    for name in data.get("data", []) + data.get("demo", []):
        assert (folder / name).is_file(), name
    ast.parse((folder / "__init__.py").read_text())
