"""The real app in headless Chromium: what a user sees, clicks, shares and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.data import load_stations
from tests.browser.harness import (
    MAP_FRAME,
    PATIENCE_MS,
    TILE_HOSTS,
    map_document,
    open_table,
    showing,
    third_party,
    wait_idle,
    wait_markers,
)
from tests.conftest import FIXTURE_STATIONS

pytestmark = pytest.mark.browser

STATIONS = load_stations(FIXTURE_STATIONS)
DUTCH = set(STATIONS.loc[STATIONS["country_code"] == "NL", "station_id"])


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def station_table(page):
    return open_table(page)


def table_ids(page) -> set[str]:
    """The station ids in the table's accessible copy (first column)."""
    return set(
        station_table(page).evaluate(
            "e => Array.from(e.querySelectorAll('table tr td:first-child'))"
            ".map(td => td.textContent)"
        )
    )


def test_all_bundled_stations_are_drawn_and_counted(session):
    page = session.open()
    wait_idle(page)
    assert showing(page) == (len(STATIONS), len(STATIONS))
    wait_markers(page, len(STATIONS))
    assert session.dialogs == []
    assert third_party(session.requests) == []
    # The recorder sees the map frame's requests too: the tiles were asked for.
    assert any(urlsplit(u).hostname in TILE_HOSTS for u in session.requests)


def test_country_filter_changes_markers_count_and_link(session):
    page = session.open()
    wait_idle(page)
    country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
    country.locator("input").fill("Netherlands")
    page.get_by_role("option", name=re.compile(r"^Netherlands")).click()
    page.keyboard.press("Escape")
    page.wait_for_selector(f"text=Showing {len(DUTCH)} of {len(STATIONS)} stations")
    wait_idle(page)
    wait_markers(page, len(DUTCH))
    assert query_of(page)["country"] == ["NL"]


def test_filtered_link_reproduces_the_view(session):
    page = session.open("?country=NL")
    wait_idle(page)
    assert showing(page) == (len(DUTCH), len(STATIONS))
    wait_markers(page, len(DUTCH))
    assert table_ids(page) == DUTCH


def test_unknown_values_give_a_notice_and_the_rest_applies(session):
    page = session.open("?country=ZZ,NL&status=nonsense")
    wait_idle(page)
    assert showing(page)[0] == len(DUTCH)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("ZZ" in a for a in alerts)
    assert any("nonsense" in a for a in alerts)
    assert page.locator('[data-testid="stException"]').count() == 0
    wait_markers(page, len(DUTCH))


def test_station_link_shows_its_details_and_source_links(session):
    record = STATIONS.set_index("station_id").loc["ie-dublin-1"]
    page = session.open("?station=ie-dublin-1")
    wait_idle(page)
    page.get_by_text(record["name"], exact=True).first.wait_for()
    hrefs = page.locator('[data-testid="stMarkdownContainer"] a').evaluate_all(
        "links => links.map(a => a.href)"
    )
    for url in record["sources"].split():
        assert url in hrefs


def test_clicking_a_station_on_the_map_selects_it(session):
    page = session.open("?country=IE")
    wait_idle(page)
    wait_markers(page, 1)
    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon .st-mark").first.click()
    page.wait_for_function("() => location.search.includes('station=ie-dublin-1')")
    wait_idle(page)
    page.get_by_text("Fuzhou Police Overseas Service Station (Dublin)", exact=True).first.wait_for()


def test_a_station_can_be_clicked_when_a_notice_pushes_the_map_down(session):
    """The map's bottom is then below the window: pressing on a station must not scroll the
    page (Leaflet focuses the map), or the click reads as a drag and selects nothing."""
    page = session.open("?country=IE&unknown=1")
    wait_idle(page)
    page.get_by_text(re.compile("unknown")).first.wait_for()
    wait_markers(page, 1)
    frame = page.locator(MAP_FRAME).bounding_box()
    assert frame["y"] + frame["height"] > page.viewport_size["height"]
    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon .st-mark").first.click()
    page.wait_for_function("() => location.search.includes('station=ie-dublin-1')")


def test_download_holds_exactly_the_filtered_rows(session):
    page = session.open("?country=NL")
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("^Download CSV")).click()
    download = info.value
    assert download.suggested_filename == (
        f"police-stations_{dt.date.today().isoformat()}_country-NL.csv"
    )
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["station_id"] for r in rows} == DUTCH
    assert list(rows[0]) == list(STATIONS.columns)


def test_switching_tiles_off_stops_every_outside_request(session):
    page = session.open("?country=NL")
    wait_idle(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.get_by_role("button", name="Layers").click()
    frame.get_by_label("OpenStreetMap tiles").uncheck()
    page.wait_for_function("() => location.search.includes('tiles=0')", timeout=PATIENCE_MS)
    wait_idle(page)
    wait_markers(page, len(DUTCH))
    session.requests.clear()
    frame = page.frame_locator(MAP_FRAME)
    inner = map_document(page)
    inner.evaluate(
        "() => { window.stZooms = 0; map.on('zoomend', () => { window.stZooms += 1; }); }"
    )
    # Leaflet asks for a zoom's tiles as the zoom ends (its tile images are in the page then);
    # a click during a zoom's animation is not a second zoom, so each zoom is waited for.
    frame.locator(".leaflet-control-zoom-in").click()
    inner.wait_for_function("() => window.stZooms >= 1", timeout=PATIENCE_MS)
    frame.locator(".leaflet-control-zoom-out").click()
    inner.wait_for_function("() => window.stZooms >= 2", timeout=PATIENCE_MS)
    assert frame.locator("img.leaflet-tile").count() == 0
    assert [u for u in session.requests if urlsplit(u).hostname in TILE_HOSTS] == []
    assert frame.locator(".leaflet-overlay-pane path, .leaflet-outlines-pane path").count() > 0


def test_nothing_is_requested_from_third_parties_while_using_the_app(session):
    page = session.open("?country=IE")
    wait_idle(page)
    page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon .st-mark").first.click()
    wait_idle(page)
    page.get_by_role("tab", name="Government responses").click()
    assert third_party(session.requests) == []


def test_reset_clears_the_widgets_the_count_and_the_link(session):
    page = session.open("?country=NL&q=Rotterdam")
    wait_idle(page)
    country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
    assert "Netherlands" in country.inner_text()
    page.get_by_role("button", name="Reset filters").click()
    page.wait_for_selector(f"text=Showing {len(STATIONS)} of {len(STATIONS)} stations")
    wait_idle(page)
    assert "Netherlands" not in country.inner_text()
    assert query_of(page) == {}
    wait_markers(page, len(STATIONS))


def test_selecting_a_table_row_selects_the_station(session):
    page = session.open("?country=NL")
    wait_idle(page)
    header, row = 35, 56  # Streamlit's header height and our row height, in pixels
    for _ in range(5):
        # The table is a canvas: click where the second row's checkbox is, measured afresh each
        # time (charts above it may still be growing and move it down).
        box = station_table(page).bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + header + row + row / 2)
        try:
            page.wait_for_function("() => location.search.includes('station=nl-')", timeout=6000)
            break
        except PlaywrightTimeout:
            continue
    else:
        raise AssertionError("clicking a table row never selected a station")
    wait_idle(page)
    picked = query_of(page)["station"][0]
    name = STATIONS.set_index("station_id").loc[picked, "name"]
    page.get_by_text(name, exact=True).first.wait_for()


def test_streamlit_offers_no_unsafe_table_download(session):
    page = session.open("?country=NL")
    wait_idle(page)
    station_table(page).hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').last
    toolbar.wait_for()
    labels = toolbar.locator("button").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('aria-label') || '')"
    )
    assert labels
    assert not any("download" in label.lower() for label in labels), labels


def test_changing_a_filter_updates_the_map_without_reloading_it(session):
    page = session.open()
    wait_idle(page)
    wait_markers(page, len(STATIONS))
    page.evaluate(f"() => {{ document.querySelector('{MAP_FRAME}').contentWindow.__kept = 1; }}")
    page.goto(session.base_url)  # sanity: a real reload does lose the mark
    wait_idle(page)
    wait_markers(page, len(STATIONS))
    assert (
        page.evaluate(f"() => document.querySelector('{MAP_FRAME}').contentWindow.__kept") is None
    )
    page.evaluate(f"() => {{ document.querySelector('{MAP_FRAME}').contentWindow.__kept = 1; }}")
    country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
    country.locator("input").fill("Netherlands")
    page.get_by_role("option", name=re.compile(r"^Netherlands")).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    wait_markers(page, len(DUTCH))
    assert page.evaluate(f"() => document.querySelector('{MAP_FRAME}').contentWindow.__kept") == 1


HOSTILE_LINKS = [
    ("?q=<script>alert(1)</script>", None),
    ("?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", None),
    ("?q=" + "x" * 10_000, "cut to 200 characters"),
    ("?country=NL&country=IE&country=ZZ", "ZZ"),
    ("?utm_source=x&foo=%3Cscript%3E", "Unknown link parameter"),
    ("?from=yesterday&to=2022-13-45", "is not YYYY"),
    ("?station=zz-nowhere-1", "is not in the data"),
    ("?station=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "is not in the data"),
    ("?status=%00%ff%fe&bureau=..%2F..%2Fetc", "dropped from the link"),
    ("?%5Bx%5D(javascript:alert(1))=1&q=%5Bx%5D(javascript:alert(2))", "Unknown link parameter"),
    ("?asof=2999-01-01", "is not between 2016-01-01 and today"),
    ("?asof=1999-12-31&lang=zh", "不在 2016-01-01 与今天"),
    ("?from=2030&to=2010", "from-date came after its to-date"),
    ("?lang=%3Cscript%3Ealert(1)%3C/script%3E", "English is shown"),
    ("?near=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&km=-5", "is not a number of km"),
]


@pytest.mark.parametrize(("query", "notice"), HOSTILE_LINKS, ids=[q[:40] for q, _ in HOSTILE_LINKS])
def test_hostile_links_give_a_notice_at_most(session, query, notice):
    from tests.browser.test_escaping import TRAP

    session.context.add_init_script(TRAP)
    page = session.open(query)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    shown, total = showing(page)
    assert 0 <= shown <= total == len(STATIONS)
    alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    if notice:
        assert notice in alerts
    hrefs = page.locator('[data-testid="stAlert"] a').evaluate_all("a => a.map(x => x.href)")
    assert not [h for h in hrefs if not h.startswith("https://")]
    assert session.dialogs == []
    assert page.evaluate("() => window.__pwned") == []


def test_hovering_a_station_shows_its_name_and_city(session):
    page = session.open("?country=IE")
    wait_idle(page)
    wait_markers(page, 1)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-marker-icon .st-mark").first.hover()
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for()
    assert tip.inner_text() == "Fuzhou Police Overseas Service Station (Dublin) (Dublin, Ireland)"


def test_sources_carry_archive_links_and_geojson_downloads(session):
    import json

    page = session.open("?country=NL&station=nl-rotterdam-1")
    wait_idle(page)
    hrefs = page.locator('[data-testid="stMarkdownContainer"] a').evaluate_all(
        "links => links.map(a => decodeURI(a.href))"
    )
    record = STATIONS.set_index("station_id").loc["nl-rotterdam-1"]
    for url in record["sources"].split():
        assert "https://web.archive.org/web/" + url in hrefs
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("GeoJSON")).click()
    assert info.value.suggested_filename.endswith("_country-NL.geojson")
    with open(info.value.path(), encoding="utf-8") as handle:
        collection = json.load(handle)
    assert {f["properties"]["station_id"] for f in collection["features"]} == DUTCH
    page.get_by_text("About the data, method and how to cite").click()
    cite = page.locator('[data-testid="stText"]').last.inner_text()
    assert "Filters: country=NL" in cite
    assert "station=nl-rotterdam-1" in cite


def test_as_of_link_shows_only_the_stations_reported_by_then(session):
    september = (STATIONS["listed_in"] == "110 Overseas (2022-09)").sum()
    page = session.open("?asof=2022-10-01")
    wait_idle(page)
    assert showing(page) == (september, len(STATIONS))
    wait_markers(page, int(september))
    assert query_of(page)["asof"] == ["2022-10-01"]


def test_near_a_place_link_counts_and_draws_the_nearby_stations(session):
    page = session.open("?near=Amsterdam&km=60")
    wait_idle(page)
    assert showing(page)[0] == 2
    wait_markers(page, 2)
    cells = station_table(page).evaluate(
        "e => Array.from(e.querySelectorAll('table td')).map(td => td.textContent)"
    )
    assert {"nl-amsterdam-1", "nl-rotterdam-1", "0", "57.5"} <= set(cells)  # ids and km


def test_by_country_tab_reads_the_map_as_text_with_every_column_in_view(session):
    page = session.open("?country=NL")
    wait_idle(page)
    tab = page.get_by_role("tab", name="By country")
    tab.focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table").filter(has_text="Netherlands").first
    row = table.get_by_role("row").filter(has_text="Netherlands")
    assert row.get_by_role("rowheader").inner_text() == "Netherlands"
    statuses = row.get_by_role("cell").filter(has_text="closed")
    assert "1 Said to be closed, 1 Denied by host authorities" in statuses.inner_text()
    # Every column is within the side panel (none cut off at its right edge).
    columns = table.evaluate("t => t.querySelectorAll('thead th').length")
    assert columns == 7
    panel = page.locator(".st-key-side").bounding_box()
    for cell in row.get_by_role("cell").all():
        box = cell.bounding_box()
        assert box
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1


def test_download_near_a_place_holds_the_rows_shown(session):
    page = session.open("?near=Amsterdam&km=50")
    wait_idle(page)
    assert showing(page)[0] == 1
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("^Download CSV")).click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["station_id"] for r in rows] == ["nl-amsterdam-1"]
