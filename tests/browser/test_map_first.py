"""The page around the map, in the real app: the map's share of the screen, what covers it at
rest, links that reopen the same frame, the as-of heading, coverage, responses download."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from dashboard import history, panels
from dashboard.data import load_responses, load_stations
from tests.browser.harness import (
    MAP_FRAME,
    NOT_SHOWN,
    PATIENCE_MS,
    SETTLED_JS,
    TILE_HOSTS,
    map_document,
    renders,
    third_party,
    wait_idle,
    wait_markers,
    wait_render,
)
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS

pytestmark = pytest.mark.browser

STATIONS = load_stations(FIXTURE_STATIONS)
RESPONSES = load_responses(FIXTURE_RESPONSES, stations=STATIONS)
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

MAP_STATE = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const w = frame && frame.contentWindow;
  if (!w || !w.map) { return null; }
  const c = w.map.getCenter();
  return {lat: c.lat, lng: c.lng, zoom: w.map.getZoom()};
}"""

# Rectangles of the map frame and of every control in the map's top corners, in page pixels.
COVER = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const box = frame.getBoundingClientRect();
  const doc = frame.contentDocument;
  const controls = Array.from(doc.querySelectorAll('.leaflet-top .leaflet-control'))
    .map(e => [e.className, e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0)
    .map(([name, r]) => [name, Math.round(r.width), Math.round(r.height)]);
  return {top: box.top, width: box.width, height: box.height, controls: controls,
          covered: controls.reduce((a, c) => a + c[1] * c[2], 0)};
}"""


def open_at(browser, app, size: dict, query: str = ""):
    context = browser.new_context(viewport=size, accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.goto(app.url + query)
    wait_idle(page)
    return context, page, requests


def map_state(page, timeout: float = 30_000) -> dict:
    page.wait_for_function(f"() => ({MAP_STATE})() !== null", timeout=timeout)
    return page.evaluate(MAP_STATE)


def wait_map_at(page, zoom: int, timeout: float = 30_000) -> dict:
    page.wait_for_function(f"() => {{ const s = ({MAP_STATE})(); return s && s.zoom === {zoom}; }}",
                           timeout=timeout)  # fmt: skip
    return page.evaluate(MAP_STATE)


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_map_is_the_hero_of_a_desktop_screen(browser, app):
    context, page, _ = open_at(browser, app, DESKTOP)
    wait_markers(page, len(STATIONS))
    box = page.evaluate(COVER)
    assert box["top"] <= 200
    assert box["width"] * box["height"] >= 0.35 * DESKTOP["width"] * DESKTOP["height"]
    context.close()


@pytest.mark.parametrize(("size", "most"), [(DESKTOP, 0.08), (PHONE, 0.12)])
def test_controls_at_rest_cover_little_of_the_map(browser, app, size, most):
    context, page, _ = open_at(browser, app, size)
    wait_markers(page, len(STATIONS))
    # The layer choices have moved into their folded panel (the map's script has run).
    page.frame_locator(MAP_FRAME).locator("#st-layers .leaflet-control-layers").wait_for(
        state="attached"
    )
    box = page.evaluate(COVER)
    assert box["covered"] / (box["width"] * box["height"]) <= most, box["controls"]
    frame = page.frame_locator(MAP_FRAME)
    # Folded: the key's words are not on show until asked for.
    assert frame.get_by_text("Said to be closed").is_hidden()
    context.close()


def test_key_and_layers_open_and_close_from_the_keyboard(session):
    page = session.open()
    wait_idle(page)
    frame = page.frame_locator(MAP_FRAME)
    key = frame.get_by_role("button", name="Key")
    key.focus()
    page.keyboard.press("Enter")
    assert key.get_attribute("aria-expanded") == "true"
    assert frame.get_by_text("Said to be closed").is_visible()
    page.keyboard.press("Escape")
    assert key.get_attribute("aria-expanded") == "false"
    assert frame.get_by_text("Said to be closed").is_hidden()
    layers = frame.get_by_role("button", name="Layers")
    layers.focus()
    page.keyboard.press("Space")
    assert frame.get_by_label("OpenStreetMap tiles").is_visible()


def test_a_phones_first_view_shows_every_station_and_puts_no_frame_in_the_link(browser, app):
    # The view is fitted for a desktop-sized map: on a phone's it opens wider around the same
    # centre, and the page does not take that for a move of the reader's own.
    context, page, _ = open_at(browser, app, PHONE)
    wait_markers(page, len(STATIONS))
    # The map's first report has been taken (the filters come with it).
    expect(page.locator(SIDEBAR_FILTER).first).to_be_attached(timeout=PATIENCE_MS)
    wait_idle(page)
    assert map_document(page).evaluate(NOT_SHOWN) == []
    assert "map" not in query_of(page)
    # A move of the reader's own, even to the frame the page fitted, goes into the link.
    page.frame_locator(MAP_FRAME).get_by_role("button", name="Zoom in").click()
    page.wait_for_function(
        "() => new URL(location.href).searchParams.has('map')", timeout=PATIENCE_MS
    )
    wait_idle(page)
    assert int(query_of(page)["map"][0].split(",")[2]) == map_state(page)["zoom"]
    context.close()


@pytest.mark.parametrize(
    ("station", "zoom"), [("nl-rotterdam-1", 10), ("it-country-1", 5), ("us-new-york-1", None)]
)
def test_a_station_link_opens_centred_at_its_precision_zoom(browser, app, station, zoom):
    record = STATIONS.loc[STATIONS["station_id"] == station]
    if record.empty:
        pytest.fail(f"{station} is not in the bundled data")
    row = record.iloc[0]
    zoom = (
        zoom or {"address": 15, "district": 12, "city": 10, "country": 5}[row["location_precision"]]
    )
    context, page, _ = open_at(browser, app, DESKTOP, f"?station={station}")
    state = wait_map_at(page, zoom)
    assert abs(state["lat"] - float(row["latitude"])) < 0.01
    assert abs(state["lng"] - float(row["longitude"])) < 0.01
    # Its details are beside the map, without scrolling.
    name = page.get_by_role("heading", name=str(row["name"]))
    assert name.is_visible()
    assert name.bounding_box()["y"] + 20 < DESKTOP["height"]
    assert "map" not in query_of(page)  # the reader did not move the map
    context.close()


def test_a_moved_map_goes_into_the_link_and_the_link_reopens_it(browser, app):
    context, page, _ = open_at(browser, app, DESKTOP, "?country=NL")
    map_state(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.get_by_role("button", name="Zoom out").click()
    page.wait_for_function(
        "() => new URL(location.href).searchParams.has('map')", timeout=PATIENCE_MS
    )
    wait_idle(page)
    linked = query_of(page)["map"][0]
    lat, lng, zoom = linked.split(",")
    context.close()
    context, page, _ = open_at(browser, app, DESKTOP, f"?country=NL&map={linked}")
    state = wait_map_at(page, int(zoom))
    assert abs(state["lat"] - float(lat)) < 0.05
    assert abs(state["lng"] - float(lng)) < 0.05
    context.close()


def test_as_of_heading_and_month_steps_keep_the_frame(session):
    page = session.open("?asof=2022-10-01")
    wait_idle(page)
    reported = len(history.as_of(STATIONS, RESPONSES, dt.date(2022, 10, 1)))
    page.get_by_text(f"As of 1 October 2022: {reported} stations reported so far").wait_for()
    before = map_state(page)
    seen = renders(page)
    page.get_by_role("button", name="1 month →").click()
    page.get_by_text("As of 1 November 2022:").wait_for()
    wait_idle(page)
    wait_render(page, seen)  # the new day's map, with the frame the page handed it
    after = page.evaluate(MAP_STATE)
    assert after["zoom"] == before["zoom"]
    # Within two screen pixels (a resize of the frame may nudge Leaflet's centre that much).
    two_pixels = 2 * 360 / (256 * 2 ** before["zoom"])
    assert abs(after["lat"] - before["lat"]) < two_pixels
    assert abs(after["lng"] - before["lng"]) < two_pixels


def test_coverage_line_states_the_reports_and_links_them(session):
    page = session.open()
    wait_idle(page)
    page.get_by_role("tab", name="Overview").click()
    wait_idle(page)
    line = page.get_by_text(re.compile(r"Safeguard Defenders reported 102 stations")).first
    assert line.is_visible()
    assert f"identifies {panels.coverage(STATIONS).identified} of them" in line.inner_text()
    for report in panels.REPORTS:
        assert page.get_by_role("link", name=report.title).first.get_attribute("href") == report.url


def test_responses_download_has_the_views_responses(session):
    page = session.open("?country=NL")
    wait_idle(page)
    dutch = STATIONS.loc[STATIONS["country_code"] == "NL"]
    expected = len(panels.view_responses(RESPONSES, dutch))
    button = page.get_by_role("button", name=re.compile(r"Download responses CSV"))
    assert f"({expected} responses)" in button.inner_text()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("police-station-responses_")
    assert "country-NL" in download.suggested_filename
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected
    assert list(rows[0]) == list(RESPONSES.columns)
    assert {r["country_code"] for r in rows} == {"NL"}


def test_a_one_station_download_says_station_not_stations(session):
    page = session.open("?q=Rotterdam")
    wait_idle(page)
    # Each button is waited for by its exact name: they are drawn one after another.
    for name in ("Download CSV (1 station)", "Download GeoJSON (1 station)"):
        page.get_by_role("button", name=name, exact=True).wait_for()
    names = page.get_by_role("button", name=re.compile("^Download")).all_text_contents()
    assert not [n for n in names if "(1 stations)" in n], names


def test_tiles_0_asks_no_tile_server_and_the_switch_on_the_map_turns_them_on(browser, app):
    context, page, requests = open_at(browser, app, DESKTOP, "?tiles=0&country=NL")
    wait_markers(page, 2)
    assert not any(urlsplit(u).hostname in TILE_HOSTS for u in requests)
    frame = page.frame_locator(MAP_FRAME)
    frame.get_by_role("button", name="Layers").click()
    tiles = frame.get_by_label("OpenStreetMap tiles")
    assert not tiles.is_checked()
    tiles.check()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('tiles')",
                           timeout=PATIENCE_MS)  # fmt: skip
    assert any(urlsplit(u).hostname in TILE_HOSTS for u in requests)
    assert third_party(requests) == []
    context.close()


def test_embed_mode_works_with_view_parameters(session):
    page = session.open("?embed=true&country=NL&station=nl-rotterdam-1")
    wait_idle(page)
    assert page.get_by_text(re.compile(r"Showing 2 of \d+ stations")).is_visible()
    # No "unknown parameter" notice on the page (the sidebar, hidden when embedded, names the
    # tests' own files).
    assert page.locator('[data-testid="stMain"] [data-testid="stAlert"]').count() == 0
    assert page.get_by_text(re.compile("unknown|not a known", re.I)).count() == 0
    assert query_of(page)["embed"] == ["true"]


def test_charts_follow_a_filter_in_whole_numbers(session):
    page = session.open("?country=NL")
    wait_idle(page)
    page.get_by_role("tab", name="Charts").click()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.nth(1).locator("svg").wait_for()
    labels = [
        chart.evaluate(
            "e => Array.from(e.querySelectorAll('[aria-roledescription]'))"
            ".map(x => x.getAttribute('aria-label') || '')"
        )
        for chart in (charts.nth(0), charts.nth(1))
    ]
    # Stations per country: one bar, the Netherlands, with its two stations.
    bars = [x for x in labels[0] if x.startswith("stations:")]
    assert bars == ["stations: 2; country: Netherlands"]
    # Responses per year: the view's responses, every bar a whole number.
    dutch = STATIONS.loc[STATIONS["country_code"] == "NL"]
    counts = [re.search(r"responses: (\d+(?:\.\d+)?)", x) for x in labels[1]]
    counts = [float(m.group(1)) for m in counts if m]
    assert counts
    assert all(c == int(c) for c in counts)
    assert sum(counts) == len(panels.view_responses(RESPONSES, dutch))


def test_each_marker_is_named_by_its_place_and_status(session):
    page = session.open("?country=IE")
    wait_idle(page)
    wait_markers(page, 1)
    marker = page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon").first
    row = STATIONS.loc[STATIONS["country_code"] == "IE"].iloc[0]
    status = {"closed": "Said to be closed"}.get(row["status"])
    label = marker.get_attribute("aria-label")
    assert label.startswith(f"{row['city']}, Ireland: ")
    if status:
        assert label.endswith(status)
    assert marker.get_attribute("role") == "button"


def test_a_place_is_marked_with_its_circle_and_the_nearest_station_is_one_click_away(session):
    page = session.open("?near=Lyon")
    wait_idle(page)
    page.get_by_text(
        re.compile(r"No station within 50 km of Lyon, France\. The nearest is")
    ).wait_for()
    frame = map_document(page)
    label = frame.locator(".st-place-label")
    label.wait_for()
    assert label.inner_text() == "Lyon, France"
    page.get_by_role("button", name="Widen to 350 km").click()
    wait_markers(page, 1)  # Milan's station, 339 km away
    # The link follows in the same run, a moment after the map's new layer.
    page.wait_for_function("() => new URL(location.href).searchParams.get('km') === '350'",
                           timeout=PATIENCE_MS)  # fmt: skip
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    assert query_of(page)["km"] == ["350"]
    # The sidebar's own field says so too: showing 50 still, it sent 50 back with the next
    # change of any filter, and the view lost its wider distance.
    distance = page.locator('[data-testid="stSidebar"]').get_by_label("within km")
    expect(distance).to_have_value("350.00", timeout=PATIENCE_MS)
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    page.get_by_label("Search name, city, address, summary").fill("Milan")
    page.keyboard.press("Enter")
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    assert query_of(page)["km"] == ["350"]
    expect(distance).to_have_value("350.00")
    frame = map_document(page)
    # One place, one label: the old circle and label go when the new ones come.
    expect(frame.locator(".st-place-label")).to_have_count(1)
    expect(frame.locator(".st-place-label")).to_have_text("Lyon, France")
    # The circle is drawn, and the map's frame holds all of it (Lyon to Milan and beyond).
    expect(frame.locator("path[stroke='#1d4ed8']")).to_have_count(2)  # circle and centre
    assert map_state(page)["zoom"] <= 6


# In the map's frame: every stations layer added to the map, with the map's zoom and centre at
# that moment (a cluster group is a layer with a `_topClusterLevel`).
WATCH_DRAWS = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const w = frame.contentWindow;
  w.stDraws = [];
  w.map.on('layeradd', e => {
    if (e.layer._topClusterLevel) {
      const c = w.map.getCenter();
      w.stDraws.push({zoom: w.map.getZoom(), lat: c.lat, lng: c.lng,
                      outlines: w.document.querySelectorAll('.leaflet-outlines-pane path').length});
    }
  });
  w.stMoves = 0;
  w.map.on('viewreset', () => { w.stMoves += 1; });
}"""
DRAWS = """() => {
  const w = document.querySelector('iframe[data-testid="stCustomComponentV1"]').contentWindow;
  return {draws: w.stDraws, moves: w.stMoves};
}"""
# The country outlines: how many are drawn, and where Spain's is on the screen.
OUTLINES = """() => {
  const w = document.querySelector('iframe[data-testid="stCustomComponentV1"]').contentWindow;
  const paths = [...w.document.querySelectorAll('.leaflet-outlines-pane path')];
  const spain = w.map._stOutlines && w.map._stOutlines.getLayers()
    .find(l => l.feature && (l.feature.properties || {}).iso_a2 === 'ES');
  const box = spain && spain._path && spain._path.getBoundingClientRect();
  return {count: paths.length, spain: box ? Math.round(box.width) : null};
}"""


def test_a_search_that_moves_the_map_draws_its_stations_once_at_the_new_view(session):
    # The map moves to the search's stations before they are drawn: drawn at the old view and
    # then moved, the clusters were drawn twice and every outline re-projected on the way.
    page = session.open("")
    wait_idle(page)
    wait_markers(page, len(STATIONS))
    page.wait_for_function(f"() => ({OUTLINES})().count > 0", timeout=PATIENCE_MS)
    before = map_state(page)
    outlines_before = page.evaluate(OUTLINES)
    page.evaluate(WATCH_DRAWS)
    seen = renders(page)
    page.get_by_label("Search name, city, address, summary").fill("Barcelona")
    page.keyboard.press("Enter")
    wait_markers(page, 1)
    wait_idle(page)
    wait_render(page, seen)  # the search's run rendered: any second move came with it
    page.wait_for_function(f"() => ({OUTLINES})().count > 0", timeout=PATIENCE_MS)
    after = map_state(page)
    seen = page.evaluate(DRAWS)
    assert after["zoom"] > before["zoom"] + 3  # the map went to Barcelona
    assert seen["moves"] == 1
    assert len(seen["draws"]) == 1
    drawn = seen["draws"][0]
    assert drawn["zoom"] == after["zoom"]
    assert abs(drawn["lat"] - after["lat"]) < 1e-6
    assert abs(drawn["lng"] - after["lng"]) < 1e-6
    # The outlines are off while the stations are drawn (moving them re-projects every one),
    # and back as soon as the stations show, drawn at the new view: Spain fills the map now.
    assert drawn["outlines"] == 0
    outlines_after = page.evaluate(OUTLINES)
    assert outlines_after["count"] == outlines_before["count"]
    assert outlines_after["spain"] > 4 * outlines_before["spain"]


def test_a_readers_own_move_keeps_the_stations_as_they_are(session):
    # Moving the map goes into the link (a rerun), but the stations are not redrawn: an open
    # popup or a focused marker stays.
    page = session.open("?country=NL")
    wait_idle(page)
    wait_markers(page, int((STATIONS["country_code"] == "NL").sum()))
    before = map_state(page)
    page.evaluate(WATCH_DRAWS)
    seen = renders(page)
    page.frame_locator(MAP_FRAME).get_by_role("button", name="Zoom out").click()
    page.wait_for_function(
        "() => new URL(location.href).searchParams.has('map')", timeout=PATIENCE_MS
    )
    wait_idle(page)
    wait_render(page, seen)  # the run the move caused has reached the map
    assert map_state(page)["zoom"] == before["zoom"] - 1
    assert page.evaluate(DRAWS)["draws"] == []


OUTLINES_DRAWN = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const doc = frame && frame.contentDocument;
  return !!(doc && doc.querySelector('.leaflet-outlines-pane svg'));
}"""
# Leaflet's idea of the map's size, the map's real size, and the outlines' drawing box.
SIZES = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const w = frame.contentWindow, box = w.map.getContainer().getBoundingClientRect();
  const size = w.map.getSize();
  const svg = w.document.querySelector('.leaflet-outlines-pane svg').getBoundingClientRect();
  return {leaflet: [size.x, size.y], real: [Math.round(box.width), Math.round(box.height)],
          frame: Math.round(frame.getBoundingClientRect().height),
          outlines: [Math.round(svg.top), Math.round(svg.bottom)]};
}"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_map_knows_its_real_size_so_outlines_reach_its_bottom(browser, app, size):
    # Measured at the 600 px streamlit-folium first gives it, Leaflet drew the outlines and
    # tiles short of the frame's bottom (a blank band) and centred every view 60 px too high.
    context, page, _ = open_at(browser, app, size, "?station=nl-rotterdam-1")
    page.wait_for_function(OUTLINES_DRAWN, timeout=PATIENCE_MS)
    sizes = page.evaluate(SIZES)
    context.close()
    assert sizes["real"][1] == sizes["frame"]  # the map fills its frame
    assert sizes["leaflet"] == sizes["real"]
    top, bottom = sizes["outlines"]
    assert top <= 0
    assert bottom >= sizes["real"][1]


# The moment (page time) the stations were all on the map, and the moment the first filter
# widget was on the page, each taken when first seen.
ORDER = """() => {
  const drawn = (%s)() === %d;
  window.__drawnAt = window.__drawnAt || (drawn ? performance.now() : 0);
  window.__filtersAt = window.__filtersAt ||
    (document.querySelector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
      ? performance.now() : 0);
  return window.__drawnAt && window.__filtersAt ? [window.__drawnAt, window.__filtersAt] : false;
}"""


def test_the_map_draws_first_and_the_filters_follow_with_the_links_values(browser, app):
    # On a first visit the frame draws its stations on the same thread as the page: the
    # sidebar's widgets wait until the stations are drawn, then come by themselves, set as the
    # link says. Until then the sidebar says so, with a button that brings them at once.
    from tests.browser.harness import MARKERS_JS

    expected = int((STATIONS["country_code"] == "NL").sum())
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(app.url + "?country=NL")
        expect(page.get_by_text("The filters appear as soon as the map")).to_be_visible(
            timeout=PATIENCE_MS
        )
        drawn_at, filters_at = page.wait_for_function(
            ORDER % (MARKERS_JS, expected), polling="raf", timeout=PATIENCE_MS
        ).json_value()
        assert drawn_at < filters_at
        countries = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        expect(countries).to_contain_text("Netherlands")
        expect(page.get_by_text("The filters appear as soon as the map")).to_have_count(0)
        expect(page.get_by_role("button", name="Show the filters now")).to_have_count(0)
    finally:
        context.close()


def test_show_the_filters_now_brings_them_before_the_map_has_drawn(browser, app):
    # A reader whose map never draws (its script blocked) still gets the filters.
    context = browser.new_context(viewport=DESKTOP)
    context.route(re.compile(r".*/component/streamlit_folium\.st_folium/.*"), lambda r: r.abort())
    page = context.new_page()
    try:
        page.goto(app.url)
        button = page.get_by_role("button", name="Show the filters now")
        button.focus()
        page.keyboard.press("Enter")
        countries = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        expect(countries).to_be_visible(timeout=PATIENCE_MS)
        expect(button).to_have_count(0)
    finally:
        context.close()


def test_the_month_slider_filters_and_goes_into_the_link(session):
    # Moved from the keyboard, the slider's start month filters the stations. (Read as
    # one-ended, the slider kept only the first month it reported, and filtered nothing.)
    page = session.open("")
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    start = page.locator('[data-testid="stSidebar"] input[type="range"]').first
    start.focus()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    expected = int((STATIONS["first_reported_date"].astype(str) >= "2023-01").sum())
    assert 0 < expected < len(STATIONS)
    page.wait_for_function("() => new URL(location.href).searchParams.get('from') === '2023-01'",
                           timeout=PATIENCE_MS)  # fmt: skip
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    wait_markers(page, expected)


class HeldReruns:
    """The page's requests to run the app, held on their way while `hold` is set, then sent as
    a test says (everything else the page sends passes)."""

    def __init__(self, context) -> None:
        self.hold = False
        self.held: list[bytes] = []
        self.server = None
        context.route_web_socket(re.compile(r".*/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        self.server = server = ws.connect_to_server()

        def from_page(message) -> None:
            if self.hold and isinstance(message, bytes) and is_rerun(message):
                self.held.append(message)
            else:
                server.send(message)

        ws.on_message(from_page)

    def wait_held(self, page, count: int) -> None:
        wait_until(page, lambda: len(self.held) >= count, f"{count} held requests")

    def send_all(self) -> None:
        """The held requests, in the order the page made them, one right after the other: the
        app takes them as one, or runs the first and takes the others as one after it."""
        held, self.hold, self.held = self.held, False, []
        for message in held:
            self.server.send(message)

    def send_as_one_whole_page_request(self) -> None:
        """What the app makes of a whole-page request (a file chosen) and a part's request
        that reach it together: one whole-page run with the newer request's values (the
        newer one holds every change; see `_request_rerun_locked` in Streamlit's
        `script_requests.py`). A whole-page request that came alone would stop the run going
        and start at once, so this is the case of two that come within a moment."""
        newest = BackMsg.FromString(self.held[-1])
        newest.rerun_script.ClearField("fragment_id")
        self.hold, self.held = False, []
        self.server.send(newest.SerializeToString())


def wait_until(page, done: Callable[[], bool], what: str) -> None:
    """Poll a condition of the test's own (not of the page) while the page's events flow."""
    for _ in range(PATIENCE_MS // 50):
        if done():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"waited in vain for {what}")


def is_rerun(message: bytes) -> bool:
    return BackMsg.FromString(message).WhichOneof("type") == "rerun_script"


SIDEBAR_FILTER = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'


def held_map_script(context) -> Callable[[object], None]:
    """Hold the map frame's script: returns a function that waits for the frame to ask for it
    (given the page) and lets it load (so the map draws its stations and reports)."""
    held: list = []
    context.route("**/map-bundle.js*", lambda route: held.append(route))

    def release(page) -> None:
        wait_until(page, lambda: bool(held), "the map's frame to ask for its script")
        held[0].continue_()

    return release


@contextmanager
def page_with_held_reruns(browser, app) -> Iterator[tuple[Any, HeldReruns, Callable]]:
    """A page at rest before its map has drawn: its rerun requests can be held, and
    `release_map(page)` lets the map draw its stations and report."""
    context = browser.new_context(viewport=DESKTOP)
    reruns = HeldReruns(context)
    release_map = held_map_script(context)
    page = context.new_page()
    try:
        page.goto(app.url)
        wait_idle(page)
        yield page, reruns, release_map
    finally:
        context.close()


def test_files_chosen_as_the_map_first_reports_are_shown(browser, app, tmp_path):
    # The map's first report reruns its part and brings the filters. A reader's own files
    # chosen at that moment (their request and the map's reach the app as one) must show;
    # they were not: the map's part ran alone, and the page went on showing the old data.
    from tests.helpers import station, write

    files = write(tmp_path / "stations.csv", [station(station_id=f"nl-own-{i}") for i in (1, 2)])
    with page_with_held_reruns(browser, app) as (page, reruns, release_map):
        page.get_by_text("Use your own files").click()
        reruns.hold = True
        inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        inputs.first.set_input_files(str(files))
        reruns.wait_held(page, 1)
        release_map(page)
        reruns.wait_held(page, 2)
        reruns.send_as_one_whole_page_request()
        page.get_by_text("Showing 2 of 2 stations").wait_for(timeout=PATIENCE_MS)
        expect(page.locator(SIDEBAR_FILTER).first).to_be_visible()


def test_a_search_that_reaches_the_app_with_the_maps_first_report_is_shown(browser, app):
    # As above, with a search typed as the language is switched: the three requests reach the
    # app together. The map's part ran alone: neither the search nor the language showed.
    with page_with_held_reruns(browser, app) as (page, reruns, release_map):
        reruns.hold = True
        page.get_by_text("简体中文").click()
        reruns.wait_held(page, 1)
        page.get_by_placeholder("Search name, city, address, summary").fill("Rotterdam")
        page.keyboard.press("Enter")
        reruns.wait_held(page, 2)
        release_map(page)
        reruns.wait_held(page, 3)
        reruns.send_all()
        # One fixture line names Rotterdam. In Chinese the count line reads "of N, shown M".
        page.get_by_text(f"显示 {len(STATIONS)} 个服务站中的 1 个").first.wait_for(
            timeout=PATIENCE_MS
        )
        expect(page.locator(SIDEBAR_FILTER).first).to_be_visible()


def test_a_download_clicked_as_the_maps_first_report_runs_gives_its_file_at_once(browser, app):
    # The map's first report reruns the filters' and the map's parts. A download clicked while
    # that run goes on must give its file on the first click (it was cancelled when the run
    # replaced the download buttons, and the tests clicked up to three times).
    with page_with_held_reruns(browser, app) as (page, reruns, release_map):
        button = page.get_by_role("button", name=re.compile(r"^Download CSV"))
        button.wait_for()
        reruns.hold = True
        release_map(page)
        reruns.wait_held(page, 1)  # the map's first report, held back
        with page.expect_download(timeout=PATIENCE_MS) as info:
            reruns.send_all()  # it reaches the app, and the click follows at once
            button.click()
        assert info.value.failure() is None
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        assert text.count("\n") == len(STATIONS) + 1
        expect(page.locator(SIDEBAR_FILTER).first).to_be_visible()
