"""The language switch and the country layers, in the real app in headless Chromium."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.data import load_stations
from dashboard.i18n import t
from dashboard.maps import contrast
from tests.browser.harness import (
    MAP_FRAME,
    PATIENCE_MS,
    map_document,
    renders,
    third_party,
    wait_idle,
    wait_markers,
    wait_render,
)
from tests.browser.test_accessibility import hex_colour
from tests.conftest import FIXTURE_STATIONS

pytestmark = pytest.mark.browser
STATIONS = load_stations(FIXTURE_STATIONS)

COUNTRY_PATHS = "document.querySelectorAll('.leaflet-countries-pane path').length"
LABELS = (
    "Array.from(document.querySelectorAll('.leaflet-countryLabels-pane .st-clabel'))"
    ".map(e => e.textContent)"
)
NAMES = (
    "Array.from(document.querySelectorAll('.leaflet-outlineNames-pane .st-oname'))"
    ".map(e => e.textContent)"
)
# A country name's colours, how it takes the pointer and the keyboard, and whether assistive
# technology is told to pass it by.
NAME_LOOK = """e => ({ink: getComputedStyle(e.firstChild).color,
  paper: getComputedStyle(e.firstChild).backgroundColor,
  pointer: getComputedStyle(e).pointerEvents, focusable: e.tabIndex >= 0,
  hidden: !!e.closest('[aria-hidden="true"]')})"""


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def map_frame(page):
    return page.frame_locator(MAP_FRAME)


def test_language_switch_rewords_page_map_and_link(session):
    page = session.open("?country=NL")
    wait_idle(page)
    wait_markers(page, 2)
    page.locator('[data-testid="stSidebar"]').get_by_text("简体中文").click()
    page.get_by_role("heading", name=t("title", "zh")).wait_for()
    wait_idle(page)
    assert page.get_by_text(f"显示 {len(STATIONS)} 个服务站中的 2 个，分布于 1 个国家").is_visible()
    assert query_of(page)["lang"] == ["zh-Hans"]
    assert page.title() == t("page_title", "zh")
    assert query_of(page)["country"] == ["NL"]
    assert page.get_by_role("tab", name="按国家").is_visible()
    # The map is rebuilt in Chinese: key, layer control, and still the two stations.
    map_frame(page).get_by_role("button", name="图例").click()
    legend = map_frame(page).locator(".st-legend").first
    legend.wait_for()
    assert "调查中" in legend.inner_text()
    assert "国家：服务站数量" in map_frame(page).locator(".leaflet-control-layers").inner_text()
    wait_markers(page, 2)
    assert map_frame(page).get_by_role("button", name="放大").is_visible()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=t("title", "en")).wait_for()
    wait_idle(page)
    assert "lang" not in query_of(page)
    assert third_party(session.requests) == []


def test_chinese_link_opens_the_chinese_page_with_its_notices(session):
    page = session.open("?lang=zh&country=ZZ")
    wait_idle(page)
    assert page.get_by_role("heading", name=t("title", "zh")).is_visible()
    assert page.get_by_text("链接中未知的 country 值 'ZZ' 已被去掉。").is_visible()
    page.get_by_role("button", name="重置筛选").wait_for()


def test_country_layer_shades_the_countries_of_the_view_from_the_layer_control(session):
    page = session.open("?country=NL")
    wait_idle(page)
    wait_markers(page, 2)
    frame = map_frame(page)
    control = frame.locator(".leaflet-control-layers")
    frame.get_by_role("button", name="Key").click()  # the key shows the shading's classes
    # Reached and switched on by keyboard: Tab from the zoom buttons to the Layers button,
    # Enter opens it, Tab to the first choice ("no shading"), then the arrow key to the next.
    frame.locator(".leaflet-control-zoom-in").focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        if frame.locator(":focus").inner_text().startswith("Layers"):
            break
    else:
        raise AssertionError("the Layers button cannot be reached by Tab")
    page.keyboard.press("Enter")
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = frame.locator(":focus")
        if focused.count() and "leaflet-control-layers-selector" in (
            focused.get_attribute("class") or ""
        ):
            break
    else:
        raise AssertionError("the layer control cannot be reached by Tab")
    assert focused.evaluate("e => e.checked")
    page.keyboard.press("ArrowDown")
    legend = frame.locator(".st-legend", has_text="Stations per country (this view)")
    legend.wait_for()
    inner = map_document(page)
    inner.wait_for_function(f"() => {COUNTRY_PATHS} === 1")
    assert inner.evaluate(f"() => {LABELS}") == ["2"]
    # The other shading replaces it (one at a time), with its own legend and tier numbers.
    control.get_by_text("Countries: strongest response").click()
    frame.locator(".st-legend", has_text="Strongest government response").wait_for()
    assert legend.count() == 0
    assert inner.evaluate(f"() => {LABELS}") == ["3"]  # 3 = closure, closure order, expulsion
    # A new filter keeps the layer on and re-shades it for the new view (the paths and the
    # legend are redrawn together, in the run's render).
    seen = renders(page)
    page.get_by_label("Search name, city, address, summary").fill("Rotterdam")
    page.keyboard.press("Enter")
    wait_idle(page)
    wait_markers(page, 1)
    wait_render(page, seen)
    inner.wait_for_function(f"() => {COUNTRY_PATHS} === 1")
    assert frame.locator(".st-legend", has_text="Strongest government response").count() == 1


def test_country_layer_on_all_stations_labels_every_country(session):
    page = session.open()
    wait_idle(page)
    frame = map_frame(page)
    frame.get_by_role("button", name="Layers").click()
    frame.locator(".leaflet-control-layers").get_by_text("Countries: stations").click()
    inner = map_document(page)
    countries = STATIONS["country_code"].nunique()
    inner.wait_for_function(f"() => {COUNTRY_PATHS} >= {countries}")
    labels = inner.evaluate(f"() => {LABELS}")
    assert sum(int(x) for x in labels) == len(STATIONS)
    assert len(labels) == STATIONS["country_code"].nunique()


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant"])
def test_the_page_and_the_maps_frame_declare_the_pages_language(session, lang):
    page = session.open(f"?lang={lang}")
    wait_idle(page)
    wait_markers(page, len(STATIONS))
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    inner = map_document(page)
    inner.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    # The written view under the map is the frame's accessible description, in that language.
    described = page.locator(MAP_FRAME).get_attribute("aria-describedby")
    assert described == "st-view-text"
    text = page.locator("#st-view-text").inner_text()
    opening = {"en": "The map shows", "zh-Hans": "地图显示", "zh-Hant": "地圖顯示"}[lang]
    assert text.startswith(f"{opening} {len(STATIONS)} ") or text.startswith(opening)


def test_switching_to_traditional_chinese_rewords_the_page_and_its_language(session):
    page = session.open("")
    wait_idle(page)
    page.get_by_text("繁體中文").click()
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hant'")
    page.get_by_text(f"顯示 {len(STATIONS)} 個服務站中的 {len(STATIONS)} 個").first.wait_for()
    wait_idle(page)  # the link is written at the end of the run that shows the new words
    assert "lang=zh-Hant" in page.url


@pytest.mark.parametrize(("lang", "country"), [("en", "Netherlands"), ("zh-Hant", "荷蘭")])
def test_the_offline_outlines_name_the_country_of_a_zoomed_in_station_until_tiles_come(
    session, lang, country
):
    page = session.open(f"?tiles=0&station=nl-rotterdam-1&lang={lang}")
    wait_idle(page)
    inner = map_document(page)
    has_name = f"() => {NAMES}.includes({json.dumps(country)})"
    inner.wait_for_function(has_name, timeout=PATIENCE_MS)
    look = inner.locator(".st-oname", has_text=country).evaluate(NAME_LOOK)
    # Legible, and decoration only: passed by by screen readers, the keyboard and the pointer.
    assert contrast(hex_colour(look["ink"]), hex_colour(look["paper"])) >= 4.5
    assert (look["hidden"], look["focusable"], look["pointer"]) == (True, False, "none")
    # The tiles, switched on in the layers fold, bring names of their own: ours go.
    frame = map_frame(page)
    frame.get_by_role("button", name=t("map_layers", lang)).click()
    tiles = frame.get_by_label(t("tiles", lang))
    tiles.check()
    inner.wait_for_function(f"() => {NAMES}.length === 0", timeout=PATIENCE_MS)
    # The page has taken the switch (the link says so) and run: still none.
    page.wait_for_function("() => !new URL(location.href).searchParams.has('tiles')",
                           timeout=PATIENCE_MS)  # fmt: skip
    wait_idle(page)
    assert inner.evaluate(f"() => {NAMES}") == []
    # Off again, the names come back.
    tiles.uncheck()
    inner.wait_for_function(has_name, timeout=PATIENCE_MS)
