"""Measure how long a filter change costs on the bundled data; prints figures, asserts nothing.

    python benchmarks/rerun.py [--runs 15]

1. Server side: one script rerun after a filter change (Streamlit's AppTest, no browser).
2. In the browser: from changing the link's filter (a new page load is not used: the country
   multiselect is changed in the page) to the count line and the map showing the new stations.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def server_side(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    timings = []
    for i in range(runs):
        choice = ["NL"] if i % 2 == 0 else []
        at.multiselect(key="countries").set_value(choice)
        start = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - start)
        assert not at.exception
    return timings


def in_browser(runs: int) -> list[float]:
    import re

    from playwright.sync_api import sync_playwright

    from tests.browser.harness import launch_chromium, running_app, wait_idle, wait_markers

    timings = []
    with running_app() as app, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(app.url)
        wait_idle(page)
        total = page.locator("text=/Showing \\d+ of/").first.inner_text().split()[3]
        country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
        for _ in range(runs):
            start = time.perf_counter()
            country.locator("input").click()
            country.locator("input").fill("Netherlands")
            page.get_by_role("option", name=re.compile(r"^Netherlands")).click()
            page.keyboard.press("Escape")
            page.wait_for_selector(f"text=Showing 2 of {total} stations")
            wait_markers(page, 2)
            timings.append(time.perf_counter() - start)
            page.get_by_role("button", name="Reset filters").click()
            page.wait_for_selector(f"text=Showing {total} of {total} stations")
            wait_idle(page)
            wait_markers(page, int(total))
        browser.close()
    return timings


def describe(name: str, timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    return (
        f"{name}: median {statistics.median(ms):.0f} ms, min {ms[0]:.0f} ms, "
        f"max {ms[-1]:.0f} ms over {len(ms)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(describe("script rerun after a country filter change (AppTest)", server_side(args.runs)))
    if not args.no_browser:
        print(describe("browser: filter change to count and map updated", in_browser(args.runs)))


if __name__ == "__main__":
    main()
