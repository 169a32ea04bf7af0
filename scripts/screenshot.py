"""Take the README's screenshots of the real app in headless Chromium, desktop and phone.

    python scripts/screenshot.py [--query "?station=nl-rotterdam-1&map=48.5,10,4"] [--out-dir docs]
                                 [--stem screenshot]

Writes `<stem>.png` (1440x900) and `<stem>-phone.png` (390x844); the README's Traditional
Chinese pictures: `--query "?station=nl-rotterdam-1&lang=zh-Hant&map=48.5,10,4" --stem
screenshot-zh-hant` (Chinese text needs a CJK font, e.g. Debian's fonts-wqy-zenhei); the
embed: `--query "?mode=embed&country=NL&station=nl-rotterdam-1&tiles=0" --stem
screenshot-embed --size 700x640` (one picture, `<stem>.png`, at that size). Runs
offline like the browser tests (no tiles reach the page here, so the map shows the offline
country outlines).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.harness import launch_chromium, running_app, wait_idle  # noqa: E402

SIZES = {".png": (1440, 900), "-phone.png": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--query", default="?station=nl-rotterdam-1&map=48.5,10,4")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--stem", default="screenshot")
    parser.add_argument("--size", default=None, help="WIDTHxHEIGHT: one picture at that size")
    args = parser.parse_args()
    sizes = SIZES
    if args.size:
        width, height = (int(x) for x in args.size.lower().split("x"))
        sizes = {".png": (width, height)}
    args.out_dir.mkdir(exist_ok=True)
    with running_app() as app, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for suffix, (width, height) in sizes.items():
            name = args.stem + suffix
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(app.url + args.query)
            wait_idle(page)
            page.wait_for_timeout(2500)  # let the map draw and settle
            page.screenshot(path=str(args.out_dir / name), full_page=args.full_page)
            print(f"wrote {args.out_dir / name}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
