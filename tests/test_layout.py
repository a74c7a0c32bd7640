"""Static checks of what cannot run here (docker) and of each addon's packaging."""
import ast
import configparser
import re

import pytest
import yaml

from odoo_tools import ADDONS_DIR, OUR_ADDONS, ROOT, manifest

COMPOSE = ROOT / "docker" / "docker-compose.yml"


def test_compose_file_is_valid_and_mounts_existing_paths():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    dockerfile = (COMPOSE.parent / services["odoo"]["build"] / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "\nFROM odoo:11.0\n" in dockerfile
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


def test_docker_image_has_the_pinned_oca_addons():
    """The image installs the same OCA wheels, at the same versions, as requirements.txt."""
    pinned = {line for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.startswith("odoo11-addon-")}
    assert pinned, "the suite builds on OCA addons"
    image = set((COMPOSE.parent / "odoo" / "requirements-oca.txt").read_text().splitlines())
    assert image == pinned


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


def test_readme_screenshots_are_committed_and_small():
    """The README shows the product before anyone installs it: every image it names is in
    docs/screenshots/ (published from the browser flows), small enough for a repository, and
    no screenshot lies there unused."""
    readme = (ROOT / "README.md").read_text()
    shown = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert len(shown) >= 5, "the README shows the main screens"
    for path in shown:
        image = ROOT / path
        assert image.is_file(), "%s is shown in the README but missing" % path
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path
        assert image.stat().st_size < 150 * 1024, "%s is too big for the repository" % path
    unused = {p.name for p in (ROOT / "docs" / "screenshots").glob("*.png")} - {
        path.rsplit("/", 1)[1] for path in shown}
    assert not unused, "screenshots not shown in the README: %s" % ", ".join(sorted(unused))
