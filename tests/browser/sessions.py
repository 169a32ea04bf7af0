"""Many viewers at once: N browser sessions on one app, each filtering its own country.

Used by tests/browser/test_sessions.py (isolation, no errors) and benchmarks/sessions.py
(per-session timings).
"""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, SETTLED_JS

SHOWING = re.compile(r"Showing (\d+) of (\d+) stations")


@dataclass
class SessionResult:
    country: str
    label: str
    shown: int
    query: str
    seconds: float
    errors: list[str]


async def _wait_idle(page) -> None:
    await page.wait_for_selector("text=/Showing \\d+ of \\d+ stations/", timeout=120_000)
    await page.wait_for_function(
        "() => { const a = document.querySelector('[data-test-script-state]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=120_000,
    )


async def _open(browser, url: str):
    context = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url)
    await _wait_idle(page)
    await page.wait_for_function(SETTLED_JS, timeout=120_000, polling=100)
    return context, page, errors


async def _filter(page, errors, code: str, label: str, expected: int) -> SessionResult:
    country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
    start = time.perf_counter()
    taken = f"() => location.search.includes('country={code}')"
    for attempt in (1, 2):
        if attempt == 2 and await page.evaluate(taken):
            break  # the first pick was taken after all, just late
        try:
            await country.locator("input").fill(label)
            option = page.get_by_role("option", name=re.compile("^" + re.escape(label) + r" \("))
            await option.click(timeout=45_000)
            await page.keyboard.press("Escape")
            # The choice is taken when the link carries it (the app's own state).
            await page.wait_for_function(taken, timeout=45_000)
            break
        except PlaywrightTimeout:
            # On two busy cores a pick can land while the list redraws (or the list closes as
            # it redraws): a reader sees no chip and picks again. A second miss is an error of
            # the session.
            if attempt == 2:
                raise AssertionError(f"{label!r} was picked twice and never taken") from None
    await page.wait_for_selector(f"text=/Showing {expected} of \\d+ stations/", timeout=120_000)
    await _wait_idle(page)
    seconds = time.perf_counter() - start
    text = await page.locator("text=/Showing \\d+ of/").first.inner_text()
    errors += await page.locator('[data-testid="stException"]').all_inner_texts()
    query = page.url.split("?", 1)[1] if "?" in page.url else ""
    return SessionResult(code, label, int(SHOWING.search(text).group(1)), query, seconds, errors)


async def _all(url: str, countries: list[tuple[str, str, int]]) -> list[SessionResult]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            # All sessions open first; then all change their filter at the same moment.
            opened = await asyncio.gather(*(_open(browser, url) for _ in countries))
            return await asyncio.gather(
                *(
                    _filter(page, errors, code, label, n)
                    for (_, page, errors), (code, label, n) in zip(opened, countries, strict=True)
                )
            )
        finally:
            await browser.close()


def run_sessions(url: str, countries: list[tuple[str, str, int]]) -> list[SessionResult]:
    """Open one session per (code, country name, expected count), all at once.

    Runs in its own thread so that it works beside a synchronous Playwright in the caller.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _all(url, countries)).result()
