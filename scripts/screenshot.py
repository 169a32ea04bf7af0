"""Take the README's screenshot of the real app in headless Chromium: docs/screenshot.png.

    python scripts/screenshot.py [--query "?country=NL&station=nl-rotterdam-1"]

Runs offline like the browser tests (no tiles reach the page here, so the map shows the
offline country outlines).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.harness import launch_chromium, running_app, wait_idle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--query", default="?station=nl-rotterdam-1")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    with running_app() as app, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(app.url + args.query)
        wait_idle(page)
        page.wait_for_timeout(2500)  # let the map finish its fly-to animation
        args.out.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
