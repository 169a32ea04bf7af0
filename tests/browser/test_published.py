"""The published site (`python -m dashboard.publish`) as readers get it: from a static server
(`python -m http.server`), with JavaScript off and on, by keyboard, and checked by axe-core."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from dashboard import publish
from tests.browser.axe import audit, serious
from tests.browser.harness import LOOPBACK, NOT_SHOWN, free_port
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS

pytestmark = pytest.mark.browser

ROTTERDAM = "station/nl-rotterdam-1/"
MARKER = ".leaflet-marker-icon .st-mark"
OUTLINES = ".leaflet-outlines-pane path"


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """`python -m http.server` on a free port, serving `folder`; ready once it answers."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
             "--directory", str(folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 30
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"http.server did not start:\n{log.read()}")
                with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
                    break
                time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("published") / "site"
    args = [str(out), "--stations", str(FIXTURE_STATIONS), "--responses", str(FIXTURE_RESPONSES)]
    assert publish.main(args) == 0
    with static_server(out) as url:
        yield url


class Visit:
    """A browser context (JavaScript on or off) that records every URL it requests."""

    def __init__(self, browser, javascript: bool = True) -> None:
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
        )
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()

    def foreign(self) -> list[str]:
        """Requests to any host but this machine (tile servers included: tiles are off)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "about") and urlsplit(u).hostname not in LOOPBACK
        ]


@pytest.fixture
def visit(browser) -> Iterator[Visit]:
    current = Visit(browser)
    yield current
    current.context.close()


@pytest.fixture
def no_js(browser) -> Iterator[Visit]:
    current = Visit(browser, javascript=False)
    yield current
    current.context.close()


def test_a_station_page_reads_without_javascript(no_js, site_url):
    page = no_js.page
    page.goto(site_url + ROTTERDAM)
    expect(page.locator("h1")).to_have_text(
        "Alleged Fuzhou police overseas service station, Rotterdam"
    )
    expect(page.locator("p.lead")).to_contain_text("Said to be closed (closed) since 2022-11-01")
    sources = page.locator("ol.sources > li")
    expect(sources).to_have_count(4)
    expect(sources.first.locator("a").first).to_have_text("nrc.nl")
    archive = sources.first.get_by_role("link", name="archive")
    assert (archive.get_attribute("href") or "").startswith("https://web.archive.org/web/https://")
    # The map's place stays hidden: nothing empty where it would be.
    expect(page.locator("#map")).to_be_hidden()
    assert no_js.foreign() == []


def test_a_station_page_draws_its_marker_as_the_explorer_does(visit, site_url):
    page = visit.page
    page.goto(site_url + ROTTERDAM)
    marker = page.locator(".leaflet-marker-icon").filter(has=page.locator(".st-mark"))
    expect(marker).to_have_attribute("aria-label", "Rotterdam, Netherlands: Said to be closed")
    expect(marker.locator(".st-mark")).to_have_text("C")
    page.wait_for_selector(OUTLINES, state="attached")
    # Zoomed in on one station, the outlines (no tiles on the site) say which country it is.
    expect(page.locator(".st-oname")).to_have_text(["Netherlands"])
    assert visit.foreign() == []


def test_the_keyboard_opens_a_markers_popup_with_a_link_to_its_page(visit, site_url):
    page = visit.page
    page.goto(site_url + "country/nl/")
    marker = page.locator('.leaflet-marker-icon[aria-label^="Rotterdam"]')
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".st-pop a.st-page")
    expect(link).to_have_text("Station page")
    link.click()
    expect(page).to_have_url(site_url + ROTTERDAM)


def test_the_index_draws_every_station_in_clusters_and_asks_no_other_host(visit, site_url):
    page = visit.page
    page.goto(site_url)
    page.wait_for_selector(".marker-cluster", state="attached")
    page.wait_for_selector(OUTLINES, state="attached")
    counts = page.locator(".marker-cluster span").all_inner_texts()
    singles = page.locator(MARKER).count()
    assert sum(int(c) for c in counts) + singles == 21
    assert visit.foreign() == []


def test_the_index_on_a_phone_shows_every_station(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(site_url)
        page.wait_for_selector(OUTLINES, state="attached")
        assert page.evaluate(NOT_SHOWN) == []
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", ROTTERDAM, "country/us/", "about/", "data/"])
def test_pages_have_no_accessibility_violation(visit, site_url, path):
    page = visit.page
    page.goto(site_url + path)
    if path in ("", ROTTERDAM, "country/us/"):
        page.wait_for_selector(".leaflet-marker-icon", state="attached")
        page.wait_for_selector(OUTLINES, state="attached")
    assert serious(audit(page)) == []
