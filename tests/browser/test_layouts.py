"""The page at the sizes readers bring, in the real app on the fixtures: the article embed
(`mode=embed`) at 600 and 900 px, a phone's sidebar and tapped station, a desktop station's
record in the page's own scroll, and the keys: Enter in a date field, the skip link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.harness import MAP_FRAME, PATIENCE_MS, renders, wait_idle, wait_render

pytestmark = pytest.mark.browser

ROTTERDAM = "Alleged Fuzhou police overseas service station, Rotterdam"
# The details' heading is on the screen: its top inside the window, below Streamlit's header.
HEADING_IN_VIEW = """name => {
  const h = Array.from(document.querySelectorAll('h2')).find(e => e.textContent.includes(name));
  if (!h) { return false; }
  const top = h.getBoundingClientRect().top;
  return top >= 0 && top < window.innerHeight - 40;
}"""
SIDEBAR_OPEN_WIDTH = """() => {
  const box = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
  return Math.max(0, Math.min(box.right, window.innerWidth) - Math.max(box.left, 0));
}"""


@pytest.fixture
def sized(browser, app):
    """A page of the given size, opened on a query; closed after the test."""
    contexts = []

    def open_page(query: str, width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(app.url + query)
        wait_idle(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_map_drawn(page) -> None:
    """The map has reported its first draw (the filters' part then comes)."""
    page.frame_locator(MAP_FRAME).locator(".st-icon, .marker-cluster").first.wait_for()


@pytest.mark.parametrize("width", [600, 900])
def test_the_embed_is_the_map_and_a_stations_details_with_a_link_to_the_full_view(sized, width):
    page = sized("?mode=embed&country=NL&station=nl-rotterdam-1&tiles=0", width, 700)
    wait_map_drawn(page)
    assert page.get_by_text(re.compile(r"Showing 2 of \d+ stations")).is_visible()
    # No sidebar, no header, no search, no tabs.
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert page.get_by_placeholder(re.compile("Search")).count() == 0
    assert page.get_by_role("tab").count() == 0
    # The map takes the frame's width, and the station's details come under it.
    frame = page.locator(MAP_FRAME).bounding_box()
    assert frame is not None
    assert frame["width"] >= width * 0.9
    assert frame["height"] >= 300
    heading = page.get_by_role("heading", name=ROTTERDAM).bounding_box()
    assert heading is not None
    assert heading["y"] >= frame["y"] + frame["height"]
    # The full explorer opens on the same view, in a new tab.
    link = page.get_by_role("link", name=re.compile("Open this view in the full map"))
    assert link.get_attribute("target") == "_blank"
    full = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert full == {"country": ["NL"], "station": ["nl-rotterdam-1"], "tiles": ["0"]}
    # The embed's own link keeps the embed.
    assert query_of(page)["mode"] == ["embed"]
    # With no tiles, the selected station's place is written beside it on the map.
    label = page.frame_locator(MAP_FRAME).locator(".st-selected-label")
    assert label.inner_text() == "Rotterdam, Netherlands"


def test_the_full_views_link_from_the_embed_opens_the_whole_page(sized):
    embed = sized("?mode=embed&country=NL&tiles=0", 700, 700)
    href = embed.get_by_role("link", name=re.compile("Open this view")).get_attribute("href")
    assert href
    page = sized("?" + urlsplit(href).query, 1440, 900)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.get_by_role("tab", name="Overview").is_visible()
    assert page.get_by_text(re.compile(r"Showing 2 of \d+ stations")).is_visible()


@pytest.mark.parametrize(("query", "size"), [("?mode=embed&tiles=0", (600, 700)), ("", (390, 844))])
def test_a_station_picked_on_the_map_brings_its_details_into_view(sized, query, size):
    page = sized(query + ("&" if query else "?") + "country=NL", *size)
    wait_map_drawn(page)
    before = renders(page)
    page.frame_locator(MAP_FRAME).get_by_label(re.compile("^Rotterdam")).click()
    wait_render(page, before)
    # The details were under the map, off the screen; the page brings them up.
    page.wait_for_function(HEADING_IN_VIEW, arg=ROTTERDAM, timeout=PATIENCE_MS)
    # The link follows at the end of the same run.
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('station') === 'nl-rotterdam-1'",
        timeout=PATIENCE_MS,
    )


def test_a_phones_sidebar_closes_when_a_filter_applies(sized):
    page = sized("?country=NL", 390, 844)
    wait_map_drawn(page)
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    status = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Status"
    )
    status.wait_for()
    # The sidebar slides in over most of the page.
    page.wait_for_function(f"() => ({SIDEBAR_OPEN_WIDTH})() > 390 * 0.6", timeout=PATIENCE_MS)
    status.locator("input").click()
    page.keyboard.type("Said to be closed")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('status') === 'closed'",
        timeout=PATIENCE_MS,
    )
    # The sidebar goes: the reader sees the map they asked for.
    page.wait_for_function(f"() => ({SIDEBAR_OPEN_WIDTH})() === 0", timeout=PATIENCE_MS)
    assert page.get_by_text(re.compile(r"Showing 1 of \d+ stations")).is_visible()


def test_a_desktop_stations_record_reads_in_the_pages_scroll_beside_a_map_that_stays(sized):
    page = sized("?station=nl-rotterdam-1", 1440, 900)
    wait_map_drawn(page)
    side = page.locator(".st-key-side")
    # No scroll box inside the page: from the record up to the page's own scroller, nothing
    # scrolls (the record is as tall as its text).
    boxes = side.evaluate(
        """e => { const out = [];
          for (let n = e; n && n.getAttribute('data-testid') !== 'stMain'; n = n.parentElement) {
            out.push(getComputedStyle(n).overflowY); }
          return out; }"""
    )
    assert boxes
    assert not {"auto", "scroll"} & set(boxes)
    name = page.get_by_role("heading", name=ROTTERDAM).bounding_box()
    responses = page.get_by_text(re.compile(r"^Government responses about it or its country"))
    box = responses.bounding_box()
    assert name is not None
    assert box is not None
    assert box["y"] - name["y"] < 700  # the responses come soon after the name
    # Every field with a value, and none without: the fixture's Rotterdam has no address.
    side.get_by_text(re.compile(r"^Status history")).wait_for()
    record = side.inner_text()
    assert "City: Rotterdam" in record
    assert "Address:" not in record
    # Scrolled down to read the responses, the map is still on the screen beside them.
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 900)")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop > 0",
        timeout=PATIENCE_MS,
    )
    frame = page.locator(MAP_FRAME).bounding_box()
    assert frame is not None
    assert 0 <= frame["y"] < 200


@pytest.mark.parametrize("key", ["Enter", "Tab"])
def test_a_typed_as_of_date_applies_on_enter_or_tab(sized, key):
    page = sized("", 1440, 900)
    field = page.locator('[data-testid="stDateInput"]').filter(has_text="As of")
    year = field.get_by_role("spinbutton").first
    year.wait_for()
    year.focus()
    for digit in "20221001":
        page.keyboard.press(digit)
    page.keyboard.press(key)
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('asof') === '2022-10-01'",
        timeout=PATIENCE_MS,
    )
    # The heading follows in the run the date started.
    expect(page.get_by_text(re.compile("As of 1 October 2022")).first).to_be_visible()


def test_the_skip_link_takes_the_keyboard_past_the_maps_stops(sized):
    page = sized("?country=NL", 1440, 900)
    wait_map_drawn(page)
    search = page.get_by_placeholder(re.compile("Search"))
    search.focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip the map")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0  # shown once focused
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'st-view-text'",
        timeout=PATIENCE_MS,
    )
    # The next stop is beside the map (the station list), not a station on it.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") != "IFRAME"


def test_the_selected_stations_place_is_written_on_the_map_once_zoomed_in_to_it(sized):
    page = sized("?station=nl-rotterdam-1&tiles=0&map=48.5,10,4", 1440, 900)
    frame = page.frame_locator(MAP_FRAME)
    # Drawn with its stations (the ring is the layer's): zoomed out, no label covers them.
    frame.locator(".leaflet-overlay-pane path").first.wait_for()
    wait_map_drawn(page)
    assert frame.locator(".st-selected-label").count() == 0
    # A zoom step: the app hears of the move and runs; the map's part comes back at zoom 5.
    before = renders(page)
    frame.locator(".leaflet-control-zoom-in").click()
    wait_render(page, before)
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('iframe[data-testid=\"stCustomComponentV1\"]')"
        ".contentWindow.map.getZoom() === 5"
    )
    assert frame.locator(".st-selected-label").count() == 0
    page.evaluate(
        "() => document.querySelector('iframe[data-testid=\"stCustomComponentV1\"]')"
        ".contentWindow.map.setView([51.9225, 4.4792], 9, {animate: false})"
    )
    label = frame.locator(".st-selected-label span")
    label.wait_for()
    assert label.inner_text() == "Rotterdam, Netherlands"
