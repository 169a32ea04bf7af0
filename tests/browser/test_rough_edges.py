"""Rough edges a reader meets, in the real app in headless Chromium: places typed as readers
know them (a state or province, a name several places share, a misspelling, with the place
service off, failing or finding nothing), a selected station that a filter hides, and the
per-country chart's caption when it cannot show every country."""

from __future__ import annotations

import contextlib
import csv
import json
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from dashboard import gazetteer
from dashboard.app import CHART_COUNTRIES
from dashboard.data import load_stations
from dashboard.i18n import msg, t
from dashboard.places import MAX_CHOICES
from tests.browser.conftest import Session
from tests.browser.harness import (
    MAP_FRAME,
    PATIENCE_MS,
    SETTLED_JS,
    map_document,
    running_app,
    showing,
    third_party,
    wait_idle,
    wait_markers,
)
from tests.conftest import FIXTURE_ARGS, FIXTURE_RESPONSES, FIXTURE_STATIONS
from tests.helpers import write

pytestmark = pytest.mark.browser

STATIONS = load_stations(FIXTURE_STATIONS)
BY_ID = STATIONS.set_index("station_id")
MAIN_ALERTS = '[data-testid="stMain"] [data-testid="stAlert"]'
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture
def session_for(browser):
    """A fresh page on a given app (closed after the test)."""
    opened: list[Session] = []

    def make(server) -> Session:
        opened.append(Session(browser, server.url))
        return opened[-1]

    yield make
    for current in opened:
        current.context.close()


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def settle(page) -> None:
    """The run done and the page idle for a second (the map's first report reruns part of the
    page just after the first run; a reader types after that)."""
    wait_idle(page)
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)


def marker_labels(page) -> list[str]:
    return (
        page.frame_locator(MAP_FRAME)
        .locator(".leaflet-marker-icon[aria-label]")
        .evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )


def type_place(page, name: str) -> None:
    """Type a place into the sidebar's "Near a place" field, as a reader does, and send it."""
    field = page.locator(SIDEBAR).get_by_label(t("near", "en"), exact=True)
    field.fill(name)
    field.press("Enter")


def not_applied(reason) -> str:
    """The warning's words, as the page shows them, when the place is not used."""
    return t("near_not_applied", "en", why=reason.text("en"))


# Places typed with their state or province: the gazetteer's city there, not the data's city
# of the same name (the fixtures hold a Paris, France station and none in Texas or Ontario).
@pytest.mark.parametrize(
    ("typed", "km", "label", "station"),
    [
        ("Paris, TX", 500, "Paris, Texas, United States", "us-houston-1"),
        ("London, ON", 200, "London, Ontario, Canada", "ca-toronto-1"),
    ],
)
def test_a_link_to_a_place_with_its_state_or_province_finds_that_place(
    session, typed, km, label, station
):
    page = session.open(f"?near={quote(typed)}&km={km}")
    wait_idle(page)
    # The place line names the state or province and says where the place was found.
    line = page.get_by_text(re.compile(rf"^Within {km} km of {re.escape(label)} \(.*offline"))
    expect(line).to_be_visible()
    expect(map_document(page).locator(".st-place-label")).to_have_text(label)
    # One station in range, the one in that state or province: nothing in France or England.
    assert showing(page)[0] == 1
    wait_markers(page, 1)
    record = BY_ID.loc[station]
    assert [x.split(":")[0] for x in marker_labels(page)] == [
        f"{record['city']}, {record['country']}"
    ]
    assert query_of(page)["near"] == [typed]
    assert page.locator(MAIN_ALERTS).count() == 0


def test_a_province_typed_in_the_sidebar_names_the_nearest_station_there(session):
    page = session.open()
    settle(page)
    type_place(page, "London, ON")
    page.wait_for_function("() => new URL(location.href).searchParams.get('near') === 'London, ON'")
    wait_idle(page)
    # Nothing within the default 50 km of London, Ontario: the nearest is Toronto's station
    # (London, England's would be in Paris or Amsterdam), with a button that reaches it.
    toronto = BY_ID.loc["ca-toronto-1"]
    line = page.get_by_text(
        re.compile(
            r"^No station within 50 km of London, Ontario, Canada\. The nearest is "
            rf"{re.escape(toronto['name'])} \(Toronto, Canada\), 18\d km away\."
        )
    )
    expect(line).to_be_visible()
    assert showing(page)[0] == 0
    page.get_by_role("button", name="Widen to 200 km").click()
    wait_markers(page, 1)
    page.wait_for_function("() => new URL(location.href).searchParams.get('km') === '200'")
    wait_idle(page)
    assert showing(page)[0] == 1
    assert query_of(page)["near"] == ["London, ON"]


def test_a_name_several_places_share_is_asked_and_the_chosen_one_applies(session):
    typed = "Springfield"
    offered = [gazetteer.label(city) for city in gazetteer.ambiguous(typed)[:MAX_CHOICES]]
    assert "Springfield, Illinois, United States" in offered  # the designed case holds
    page = session.open()
    settle(page)
    type_place(page, typed)
    warning = page.locator(MAIN_ALERTS).filter(
        has_text=not_applied(msg("place_ambiguous", name=repr(typed)))
    )
    expect(warning).to_be_visible()
    # Asked, not guessed: every station still counted, and a button per place.
    assert showing(page) == (len(STATIONS), len(STATIONS))
    for label in offered:
        expect(page.get_by_role("button", name=f"Use {label}", exact=True)).to_be_visible()
    chosen = "Springfield, Illinois, United States"
    page.get_by_role("button", name=f"Use {chosen}", exact=True).click()
    page.wait_for_function(
        "chosen => new URL(location.href).searchParams.get('near') === chosen", arg=chosen
    )
    settle(page)
    # Applied: the place line and the map name it, and no warning is left.
    alerts = page.locator(MAIN_ALERTS).all_inner_texts()
    assert alerts == [], alerts
    expect(page.get_by_text(re.compile(rf"Within 50 km of {re.escape(chosen)} \("))).to_be_visible()
    expect(map_document(page).locator(".st-place-label")).to_have_text(chosen)
    expect(page.locator(SIDEBAR).get_by_label(t("near", "en"), exact=True)).to_have_value(chosen)


@contextlib.contextmanager
def refusing_port() -> Iterator[int]:
    """A local port bound but not listening: every connection to it is refused at once (and
    no other process can take it while the test runs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


class EmptyNominatim(ThreadingHTTPServer):
    """A place service on this machine that finds nothing: Nominatim's JSON answer `[]`."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.asked.append(self.path)
                body = json.dumps([]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


def online_env(url: str, tmp_path) -> dict[str, str]:
    """The app with look-ups on, asking `url` (and its own lock file: no other test's)."""
    return {
        "DASHBOARD_OFFLINE": "0",
        "DASHBOARD_NOMINATIM_URL": url,
        "DASHBOARD_LOOKUP_LOCK": str(tmp_path / "lookups.lock"),
    }


@pytest.fixture(scope="module")
def failing_lookup_app(tmp_path_factory):
    with (
        refusing_port() as port,
        running_app(
            *FIXTURE_ARGS,
            env=online_env(f"http://127.0.0.1:{port}/", tmp_path_factory.mktemp("failing")),
        ) as server,
    ):
        yield server


@pytest.fixture(scope="module")
def empty_nominatim():
    service = EmptyNominatim()
    thread = threading.Thread(target=service.serve_forever, daemon=True)
    thread.start()
    yield service
    service.shutdown()
    service.server_close()


@pytest.fixture(scope="module")
def finds_nothing_app(empty_nominatim, tmp_path_factory):
    env = online_env(empty_nominatim.url, tmp_path_factory.mktemp("nothing"))
    with running_app(*FIXTURE_ARGS, env=env) as server:
        yield server


# Why the misspelt place was not found, as each server says it.
MISSES = {
    "app": "place_offline",
    "failing_lookup_app": "place_lookup_failed",
    "finds_nothing_app": "place_not_found",
}


@pytest.mark.parametrize("server", list(MISSES), ids=["offline", "lookup-fails", "finds-nothing"])
def test_a_misspelt_place_gets_the_offline_suggestion_in_one_click(session_for, request, server):
    app = request.getfixturevalue(server)
    typed = "Torronto"
    current = session_for(app)
    page = current.open()
    settle(page)
    type_place(page, typed)
    reason = msg("place_suggest", why=msg(MISSES[server], name=repr(typed)), suggestion="Toronto")
    expect(page.locator(MAIN_ALERTS).filter(has_text=not_applied(reason))).to_be_visible()
    assert showing(page) == (len(STATIONS), len(STATIONS))  # the filter is not applied
    if server == "finds_nothing_app":  # the service was asked, and said nothing
        asked = request.getfixturevalue("empty_nominatim").asked
        assert any(typed in parse_qs(urlsplit(p).query).get("q", [""])[0] for p in asked), asked
    page.get_by_role("button", name="Use Toronto", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('near') === 'Toronto'")
    wait_markers(page, 1)
    wait_idle(page)
    assert showing(page)[0] == 1
    assert [x.split(":")[0] for x in marker_labels(page)] == ["Toronto, Canada"]
    assert page.locator(MAIN_ALERTS).filter(has_text="Did you mean").count() == 0
    assert third_party(current.requests) == []


def test_a_selection_the_filters_hide_is_dropped_with_a_notice_and_the_link_follows(
    session_for, app
):
    page = session_for(app).open("?station=nl-rotterdam-1")
    settle(page)
    name = BY_ID.loc["nl-rotterdam-1", "name"]
    expect(page.get_by_text(name, exact=True).first).to_be_visible()
    country = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Country")
    country.locator("input").fill("Ireland")
    page.get_by_role("option", name=re.compile(r"^Ireland")).click()
    page.keyboard.press("Escape")
    notice = t("selection_dropped", "en", id="nl-rotterdam-1")
    expect(page.locator(MAIN_ALERTS).filter(has_text=notice)).to_be_visible()
    page.wait_for_function(
        "() => { const q = new URL(location.href).searchParams;"
        " return q.get('country') === 'IE' && !q.has('station'); }"
    )
    wait_idle(page)
    wait_markers(page, 1)
    assert showing(page) == (1, len(STATIONS))
    view_text = page.locator("#st-view-text").inner_text()
    # The link opens the same view: the same count, the same map in words, no selection
    # (so nothing to drop and no notice).
    reopened = session_for(app).page
    reopened.goto(page.url)
    wait_idle(reopened)
    wait_markers(reopened, 1)
    assert showing(reopened) == (1, len(STATIONS))
    assert reopened.locator("#st-view-text").inner_text() == view_text
    assert query_of(reopened) == query_of(page)
    assert reopened.locator(MAIN_ALERTS).count() == 0


# Countries added to the fixtures' for the chart tests: with them the view has more countries
# than the per-country chart shows. Each is one station placed only by its country's centre.
EXTRA_COUNTRIES = [
    ("PT", "Portugal", 39.6, -8.0),
    ("CZ", "Czechia", 49.8, 15.5),
    ("AT", "Austria", 47.6, 14.1),
    ("SE", "Sweden", 62.0, 15.0),
    ("NO", "Norway", 61.0, 9.0),
    ("FI", "Finland", 64.0, 26.0),
    ("BR", "Brazil", -10.0, -52.0),
    ("AR", "Argentina", -34.0, -64.0),
    ("CL", "Chile", -30.0, -71.0),
    ("NZ", "New Zealand", -41.5, 172.5),
    ("NG", "Nigeria", 9.5, 8.1),
]
COUNTRIES = sorted({*STATIONS["country_code"], *(code for code, *_ in EXTRA_COUNTRIES)})


@pytest.fixture(scope="module")
def many_countries_app(tmp_path_factory):
    """The fixtures plus a station in each of EXTRA_COUNTRIES: one country more than the chart
    shows."""
    with open(FIXTURE_STATIONS, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    model = next(r for r in rows if r["location_precision"] == "country")
    added = [
        {
            **model,
            "station_id": f"{code.lower()}-country-1",
            "name": f"Alleged Chinese police station, {name} (a designed test row)",
            "country": name,
            "country_code": code,
            "latitude": f"{latitude:.4f}",
            "longitude": f"{longitude:.4f}",
            "location_note": "placed at the country's centre",
            "summary": "A row made by the tests, so that the view has many countries.",
        }
        for code, name, latitude, longitude in EXTRA_COUNTRIES
    ]
    stations = write(tmp_path_factory.mktemp("countries") / "stations.csv", rows + added)
    assert len(COUNTRIES) == CHART_COUNTRIES + 1, COUNTRIES
    with running_app("--stations", str(stations), "--responses", str(FIXTURE_RESPONSES)) as server:
        yield server


def open_charts(page) -> list[str]:
    """Open the Charts tab; the per-country chart's bars, as its marks' accessible labels."""
    page.get_by_role("tab", name=t("tab_charts", "en")).click()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.nth(1).locator("svg").wait_for()
    wait_idle(page)  # the tab's run is over: everything it draws is on the page
    labels = charts.nth(0).evaluate(
        "e => Array.from(e.querySelectorAll('[aria-roledescription]'))"
        ".map(x => x.getAttribute('aria-label') || '')"
    )
    return [x for x in labels if x.startswith("stations:")]


def test_the_country_chart_says_it_shows_the_top_countries_of_more(session_for, many_countries_app):
    page = session_for(many_countries_app).open()
    wait_idle(page)
    assert showing(page)[0] == len(STATIONS) + len(EXTRA_COUNTRIES)
    bars = open_charts(page)
    assert len(bars) == CHART_COUNTRIES
    caption = t("chart_top", "en", shown=CHART_COUNTRIES, total=len(COUNTRIES))
    expect(page.get_by_text(caption, exact=True)).to_be_visible()


def test_the_country_chart_says_nothing_of_the_kind_when_every_country_fits(
    session_for, many_countries_app
):
    every_but_one = [code for code in COUNTRIES if code != "NG"]
    page = session_for(many_countries_app).open("?country=" + ",".join(every_but_one))
    wait_idle(page)
    assert showing(page)[0] == len(STATIONS) + len(EXTRA_COUNTRIES) - 1
    bars = open_charts(page)
    assert len(bars) == CHART_COUNTRIES  # every country of the view has its bar
    assert page.get_by_text(re.compile(r"^The \d+ countries with the most stations")).count() == 0
