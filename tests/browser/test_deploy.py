"""The deployment (`deploy/run.sh`: app processes behind Caddy) in the real browser: sticky
sessions, compression, security headers, the page under its Content-Security-Policy, and the
script's handling of signals and of a process that dies."""

from __future__ import annotations

import asyncio
import csv
import gzip
import http.client
import io
import os
import re
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import async_playwright

from dashboard.assets import MAP_CSS, MAP_JS
from dashboard.compat import COMPONENT_CHUNK, FRAME_PREFIX
from dashboard.data import load_stations
from dashboard.icon_font import source_font
from tests.browser.harness import (
    COUNT_LINE,
    MAP_FRAME,
    SETTLED_JS,
    TILE_HOSTS,
    Deployment,
    alive,
    launch_chromium,
    showing_in,
    wait_idle,
    wait_markers,
)
from tests.conftest import FIXTURE_ARGS, FIXTURE_STATIONS

pytestmark = pytest.mark.browser

STATIONS = load_stations(FIXTURE_STATIONS)
COOKIE = "dashboard_replica"
DOWNLOAD_CSV = re.compile(r"^(Download CSV|下载 CSV)")
# Four views, one of them in Chinese, each opened by its link in its own browser.
VIEWS = [("NL", ""), ("US", ""), ("IT", "&lang=zh"), ("ES", "")]


def start(replicas: int) -> Deployment:
    try:
        return Deployment(replicas=replicas, app_args=FIXTURE_ARGS).wait_healthy()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def deployment():
    current = start(replicas=2)
    yield current
    assert current.stop() == 0, current.output()


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body) without decompressing anything."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@dataclass
class View:
    country: str
    shown: int
    rows: list[dict[str, str]]
    cookies: list[str]
    errors: list[str]


async def _download(page) -> str:
    """The view's CSV, as a reader gets it: one click, whenever it comes (the map's first
    report reruns only the filters' and the map's parts, never the download buttons)."""
    async with page.expect_download(timeout=120_000) as info:
        await page.get_by_role("button", name=DOWNLOAD_CSV).click()
    download = await info.value
    assert await download.failure() is None
    return Path(await download.path()).read_text(encoding="utf-8-sig")


async def _view(browser, url: str) -> View:
    context = await browser.new_context(
        viewport={"width": 1300, "height": 1000}, accept_downloads=True
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    await page.goto(url)
    await page.wait_for_selector(COUNT_LINE, timeout=120_000)
    await page.wait_for_function(SETTLED_JS, timeout=120_000, polling=100)
    shown, _ = showing_in(await page.locator(COUNT_LINE).first.inner_text())
    cookies = [c["value"] for c in await context.cookies() if c["name"] == COOKIE]
    text = await _download(page)
    cookies += [c["value"] for c in await context.cookies() if c["name"] == COOKIE]
    errors += await page.locator('[data-testid="stException"]').all_inner_texts()
    await context.close()
    rows = list(csv.DictReader(io.StringIO(text)))
    return View(url, shown, rows, cookies, errors)


async def _four_at_once(base: str) -> list[View]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            return await asyncio.gather(
                *(_view(browser, f"{base}?country={code}{extra}") for code, extra in VIEWS)
            )
        finally:
            await browser.close()


def test_four_browsers_at_once_each_get_their_own_view_and_csv(deployment):
    # Async Playwright in its own thread, beside the synchronous one other tests use.
    with ThreadPoolExecutor(max_workers=1) as pool:
        views = pool.submit(asyncio.run, _four_at_once(deployment.url)).result()
    for (code, _), view in zip(VIEWS, views, strict=True):
        expected = set(STATIONS.loc[STATIONS["country_code"] == code, "station_id"])
        assert view.errors == []
        assert view.shown == len(expected), view.country
        assert {row["station_id"] for row in view.rows} == expected, view.country
        assert {row["country_code"] for row in view.rows} == {code}
        # One sticky-session cookie, the same before and after the download.
        assert len(view.cookies) == 2
        assert len(set(view.cookies)) == 1


def test_the_page_carries_the_security_headers(deployment):
    for path in ("", "component/streamlit_folium.st_folium/index.html"):
        status, headers, _ = fetch(deployment.url + path)
        assert status == 200
        csp = headers["content-security-policy"]
        assert csp.startswith("default-src 'none'; ")
        assert "frame-ancestors 'self'" in csp
        assert "object-src" not in csp or "object-src 'none'" in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert "geolocation=()" in headers["permissions-policy"]
        assert "browsing-topics=()" in headers["permissions-policy"]
        assert "server" not in headers
        # HSTS only over HTTPS; this deployment is plain HTTP.
        assert "strict-transport-security" not in headers
    _, page_headers, _ = fetch(deployment.url)
    # The sticky-session cookie, out of scripts' reach. (The frame's files are Caddy's own,
    # the same for every process: no cookie there.)
    assert re.fullmatch(
        rf"{COOKIE}=[0-9a-f]{{64}}; Path=/; HttpOnly; SameSite=Lax", page_headers["set-cookie"]
    )
    page_scripts = re.search(r"script-src ([^;]*)", page_headers["content-security-policy"])
    assert "'unsafe-eval'" not in page_scripts.group(1)
    assert "'unsafe-inline'" not in page_scripts.group(1)


def test_large_bundles_are_compressed(deployment):
    _, _, index = fetch(deployment.url)
    bundle = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', index).group(1).decode()
    for accepted, expected in (("gzip", "gzip"), ("zstd, gzip", "zstd")):
        status, headers, body = fetch(deployment.url + bundle, {"Accept-Encoding": accepted})
        assert status == 200
        assert headers.get("content-encoding") == expected
        plain = fetch(deployment.url + bundle, {"Accept-Encoding": "identity"})[2]
        assert len(body) < len(plain) / 2


def test_a_fresh_deployments_first_page_preloads_the_map_and_every_preload_is_there():
    # What stands between the page's first elements and the map (the chunk that mounts the
    # frame, the frame's own script, the map's bundle and style) is named in the page's Link
    # header, so a reader on a slow line fetches it with the page. A fresh process has not run
    # the app yet (Streamlit answers 404 for the frame's files until then): the first reader
    # must still get every file, or the frame is handed a 404 in place of its script.
    fresh = start(replicas=1)
    try:
        _, headers, _ = fetch(fresh.url)
        preloads = dict(re.findall(r"<([^>]+)>; rel=preload; as=(\w+)", headers["link"]))
        modules = re.findall(r"<([^>]+)>; rel=modulepreload", headers["link"])
        answers = {url: fetch(fresh.url + url.lstrip("/")) for url in [*preloads, *modules]}
        # The frame's page too: a request a fresh process takes (a reader whose process was
        # restarted; CI's header check) must not meet a 404 either.
        frame_page = fetch(fresh.url + FRAME_PREFIX.lstrip("/") + "/index.html")
    finally:
        assert fresh.stop() == 0, fresh.output()
    status, page_headers, page = frame_page
    assert status == 200
    assert b"<html" in page.lower()
    assert page_headers["cache-control"] == "no-cache"
    assert {url: kind for url, kind in preloads.items() if url.startswith("/app/")} == {
        url: "script" for _, url in MAP_JS
    } | {url: "style" for _, url in MAP_CSS}
    frame_scripts = [url for url in preloads if url.startswith(FRAME_PREFIX)]
    assert len(frame_scripts) == 1
    assert frame_scripts[0].endswith(".js")
    assert any(Path(url).name.startswith(COMPONENT_CHUNK + ".") for url in modules)
    for url, (status, file_headers, body) in answers.items():
        assert status == 200, url
        assert body, url
        assert "javascript" in file_headers["content-type"] or url.endswith(".css"), url
        # The frame, a separate document, finds them in the HTTP cache only if it may keep them.
        assert "max-age=" in file_headers["cache-control"], url
        assert "no-cache" not in file_headers["cache-control"], url


# Each icon's drawn text, measured on the text itself (its box has a fixed width of one icon).
ICONS_JS = """() => [...document.querySelectorAll('[data-testid="stIconMaterial"]')]
  .filter(e => e.getBoundingClientRect().width > 0)
  .map(e => { const r = document.createRange(); r.selectNodeContents(e);
              return [e.textContent, r.getBoundingClientRect().width,
                      parseFloat(getComputedStyle(e).fontSize)]; })"""


def test_the_icon_font_is_the_small_copy_and_still_draws_every_icon(browser, deployment):
    source = source_font()
    assert source is not None, "this Streamlit has no Material Symbols font: see icon_font.py"
    url = deployment.url + f"static/media/{source.name}"
    status, headers, body = fetch(url, {"Accept-Encoding": "identity"})
    assert status == 200
    assert headers["content-type"] == "font/woff2"
    assert len(body) < source.stat().st_size / 4
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if "MaterialSymbols" in r.url else None)
    page.goto(deployment.url + "?station=ie-dublin-1")
    wait_idle(page, timeout=120_000)
    page.evaluate("document.fonts.ready")
    icons = page.evaluate(ICONS_JS)
    context.close()
    assert fonts == [url]
    assert len(icons) >= 2, "no icon on the page: the check proves nothing"
    # An icon the font draws is one glyph, about 1 em wide; one it lacks shows its name, spelt
    # out ("expand_more" is several em wide).
    assert [(name, width) for name, width, size in icons if width > 1.6 * size] == []


def test_over_https_the_page_comes_by_http2_with_hsts(browser):
    # DEPLOY_LOCAL_HTTPS: Caddy's own certificate on localhost, as a public HTTPS site serves.
    secure = Deployment(replicas=1, https=True, app_args=FIXTURE_ARGS)
    try:
        secure.wait_healthy()
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        answer = page.goto(secure.url)
        assert answer.status == 200
        headers = answer.all_headers()
        assert headers["strict-transport-security"] == "max-age=31536000"
        assert "Secure; SameSite=None" in headers["set-cookie"]
        wait_idle(page)
        wait_markers(page, len(load_stations(FIXTURE_STATIONS)))
        navigation = "() => performance.getEntriesByType('navigation')[0].nextHopProtocol"
        assert page.evaluate(navigation) == "h2"
        context.close()
    finally:
        assert secure.stop() == 0, secure.output()


def test_health_answers_through_the_proxy_and_internals_do_not(deployment):
    status, _, body = fetch(deployment.url + "_stcore/health")
    assert (status, body) == (200, b"ok")
    for path in ("_stcore/metrics", "_stcore/agent/openapi.json"):
        assert fetch(deployment.url + path)[0] == 404


VIOLATIONS = """document.addEventListener('securitypolicyviolation', e => console.error(
  'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""


def test_the_page_works_under_its_csp_and_tiles_carry_no_referrer(browser, deployment):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    context.add_init_script(VIOLATIONS)
    messages: list[str] = []
    requests = []
    context.on("console", lambda message: messages.append(message.text))
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    page.on("pageerror", lambda exc: messages.append(f"page error: {exc}"))
    page.goto(deployment.url + "?country=IE")
    wait_idle(page, timeout=120_000)
    wait_markers(page, 1, timeout=120_000)
    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon .st-mark").first.click()
    page.wait_for_function("() => location.search.includes('station=ie-dublin-1')")
    wait_idle(page, timeout=120_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.get_by_role("button", name="Layers").click()
    frame.get_by_label("OpenStreetMap tiles").wait_for()
    page.get_by_role("tab", name="Charts").click()
    wait_idle(page, timeout=120_000)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=DOWNLOAD_CSV).click()
    assert info.value.suggested_filename.endswith("_country-IE.csv")
    context.close()
    policy = [
        m
        for m in messages
        if "Content Security Policy" in m
        or "CSP violation" in m
        or "Permissions-Policy header" in m
        or m.startswith("page error")
    ]
    assert policy == []
    tiles = [r for r in requests if urlsplit(r.url).hostname in TILE_HOSTS]
    assert tiles, "the map asked for no tiles, so the referrer check proves nothing"
    # (Playwright lists an empty "referer" for a request that carries none.)
    assert [(r.url, r.headers["referer"]) for r in tiles if r.headers.get("referer")] == []


def test_the_published_edition_is_served_beside_the_explorer_with_no_cookie(deployment):
    station = deployment.url + "published/station/nl-rotterdam-1/"
    status, headers, body = fetch(station, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert headers.get("content-encoding") == "gzip"
    assert headers["cache-control"] == "public, max-age=300"
    assert "set-cookie" not in headers  # no app process, no sticky cookie
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'self'" in csp
    page = gzip.decompress(body).decode("utf-8")
    assert "Rotterdam" in page
    hashed = re.search(r'href="\.\./\.\./(static/site\.[0-9a-f]+\.css)"', page)
    assert hashed, "the station page names its hashed style sheet"
    _, static, _ = fetch(deployment.url + "published/" + hashed.group(1))
    assert static["cache-control"] == "public, max-age=31536000, immutable"
    _, feed, body = fetch(deployment.url + "published/feeds/all.xml")
    assert feed["content-type"].startswith("application/atom+xml")
    assert body.startswith(b"<?xml")
    _, embed, _ = fetch(deployment.url + "published/embed/station/nl-rotterdam-1/")
    assert "frame-ancestors *" in embed["content-security-policy"]
    # The explorer's own links keep working, beside it.
    status, _, body = fetch(deployment.url + "?station=nl-rotterdam-1")
    assert status == 200
    assert b"<noscript>" in body or b"<script" in body
    bare = http.client.HTTPConnection("127.0.0.1", urlsplit(deployment.url).port, timeout=30)
    bare.request("GET", "/published")
    answer = bare.getresponse()
    assert (answer.status, answer.getheader("Location")) == (308, "/published/")
    bare.close()


def test_a_published_page_works_under_its_csp_and_asks_no_other_host(browser, deployment):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.add_init_script(VIOLATIONS)
    messages: list[str] = []
    hosts: set[str] = set()
    context.on("console", lambda message: messages.append(message.text))
    context.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    page = context.new_page()
    page.on("pageerror", lambda exc: messages.append(f"page error: {exc}"))
    page.goto(deployment.url + "published/station/nl-rotterdam-1/")
    page.locator(".st-mark").first.wait_for(timeout=120_000)
    context.close()
    assert [m for m in messages if "CSP" in m or "Content Security" in m or "error" in m] == []
    assert hosts == {"127.0.0.1"}


def wait_exit(deployment: Deployment, timeout: float = 90) -> int:
    return deployment.process.wait(timeout=timeout)


def test_sigterm_stops_every_process_and_exits_0():
    deployment = start(replicas=1)
    children = deployment.children()
    assert len(children) == 2, deployment.output()
    assert deployment.stop() == 0, deployment.output()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in children if alive(pid)] == []


def test_a_process_that_dies_stops_the_rest_and_exits_non_zero():
    deployment = start(replicas=1)
    children = deployment.children()
    commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children}
    app = next(pid for pid, command in commands.items() if b"streamlit" in command)
    os.kill(app, signal.SIGKILL)
    try:
        status = wait_exit(deployment)
    finally:
        deployment.stop()
    assert status == 1, deployment.output()
    assert "exited with status" in deployment.output()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in children if alive(pid)] == []
