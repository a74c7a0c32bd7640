"""Copies the README's screenshots from the last browser run to docs/screenshots/, made small.

    make test   # or: TEST_PATHS=tests/browser bin/test
    .venv/bin/python tests/browser/publish_screenshots.py

Each PNG is reduced to a 256-colour palette (Pillow), which keeps a 1280x800 screen of the
web client well under 150 KB and legible.
"""
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent.parent / "docs" / "screenshots"
MAX_BYTES = 150 * 1024
# README name: screenshot of the flows (tests/browser/screenshots/<flow>-<lang>-<name>.png)
PUBLISHED = {
    "hotline-service-request.png": "dispatch-en_US-ticket.png",
    "signing-page.png": "service_record-en_US-signing.png",
    "portal-service-request.png": "portal-en_US-ticket.png",
    "kpi-dashboard.png": "manager-en_US-dashboard.png",
    "service-record-zh_CN.png": "service_record-zh_CN-signed.png",
    "unit-archives-list.png": "archives-en_US-list.png",
}


def publish(source, target):
    image = Image.open(str(source)).convert("RGB")
    image.quantize(colors=256, method=Image.MEDIANCUT).save(str(target), optimize=True)
    size = target.stat().st_size
    assert size < MAX_BYTES, "%s is %d KB: too big for the README" % (target, size // 1024)
    return size


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    missing = [s for s in PUBLISHED.values() if not (HERE / "screenshots" / s).is_file()]
    if missing:
        sys.exit("run the browser tests first; missing: %s" % ", ".join(missing))
    for stale in sorted(set(p.name for p in TARGET.glob("*.png")) - set(PUBLISHED)):
        (TARGET / stale).unlink()  # no longer shown in the README
        print("docs/screenshots/%s  removed" % stale)
    for name, source in sorted(PUBLISHED.items()):
        size = publish(HERE / "screenshots" / source, TARGET / name)
        print("docs/screenshots/%s  %d KB" % (name, size // 1024))


if __name__ == "__main__":
    main()
