"""The view as a pure function of the data, the filters and a looked-up place: what the map,
the panels and the downloads show together (no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.filters import Filters
from dashboard.places import Place
from dashboard.urlstate import Display, MapFrame
from dashboard.view import Data, fitted_frame, make_view, selected_record, station_frame

TODAY = dt.date(2026, 12, 6)
ROTTERDAM = Place("Rotterdam", 51.9225, 4.4792, "data")


@pytest.fixture
def data(stations, responses) -> Data:
    return Data(stations, responses, "1.0.0")


def ids(view) -> set[str]:
    return set(view.stations["station_id"])


def test_no_filter_shows_the_shared_table_itself(data):
    view = make_view(data, Filters(), Display(), TODAY)
    assert view.stations is data.stations  # no copy per reader
    assert view.unframed is view.stations
    assert view.day is None


def test_filters_select_what_is_shown_mapped_and_downloaded(data):
    view = make_view(data, Filters(countries=("NL",)), Display(lang="zh"), TODAY)
    assert ids(view) == {"nl-amsterdam-1", "nl-rotterdam-1"}
    assert view.lang == "zh"
    assert set(view.view_responses["country_code"]) <= {"NL"}


def test_an_as_of_day_shows_the_stations_reported_by_then_and_frames_on_all(data):
    view = make_view(data, Filters(as_of="2022-09-30"), Display(), TODAY)
    assert view.day == dt.date(2022, 9, 30)
    assert "gb-belfast-1" not in ids(view)  # first reported in 2023
    assert "gb-belfast-1" in set(view.unframed["station_id"])  # the frame stays put
    assert (view.responses["date"].astype(str) <= "2022-09-30").all()


def test_a_place_keeps_the_stations_within_its_distance(data):
    view = make_view(data, Filters(near="Rotterdam", km=30.0), Display(), TODAY, ROTTERDAM)
    assert ids(view) == {"nl-rotterdam-1"}  # Amsterdam is 57 km away
    wider = make_view(data, Filters(near="Rotterdam", km=60.0), Display(), TODAY, ROTTERDAM)
    assert ids(wider) == {"nl-rotterdam-1", "nl-amsterdam-1"}
    assert view.nearest is None


def test_with_nothing_in_range_the_nearest_station_is_named(data):
    # A point in the North Sea, 40 km off the Dutch coast.
    sea = Place("North Sea", 52.2, 3.6, "gazetteer")
    view = make_view(data, Filters(near="North Sea", km=10.0), Display(), TODAY, sea)
    assert view.stations.empty
    assert view.nearest is not None
    record, km = view.nearest
    assert record["station_id"] == "nl-rotterdam-1"
    assert 50 < km < 80


def test_a_place_not_found_filters_nothing(data):
    # The page warns that the place was not found; the view is as without it.
    view = make_view(data, Filters(near="Nowhere", km=50.0), Display(), TODAY, None)
    assert len(view.stations) == len(data.stations)


def test_the_map_fits_the_places_whole_circle_and_marks_it(data):
    view = make_view(data, Filters(near="Rotterdam", km=50.0), Display(), TODAY, ROTTERDAM)
    frame, mark = fitted_frame(view)
    assert mark is not None
    assert (mark.latitude, mark.km, mark.label) == (51.9225, 50.0, "Rotterdam")
    assert abs(frame.latitude - 51.9225) < 1
    assert frame.zoom >= 7


def test_a_selected_station_is_read_as_it_stood_on_the_as_of_day(data):
    view = make_view(data, Filters(as_of="2022-09-30"), Display(), TODAY)
    then = selected_record(view, "nl-rotterdam-1")
    now = selected_record(make_view(data, Filters(), Display(), TODAY), "nl-rotterdam-1")
    assert then is not None
    assert now is not None
    assert then["status"] == "reported"  # closed only on 2022-11-01
    assert now["status"] == "closed"
    assert selected_record(view, None) is None


def test_a_station_frame_zooms_no_closer_than_its_precision(data):
    view = make_view(data, Filters(), Display(), TODAY)
    city = station_frame(selected_record(view, "nl-rotterdam-1"))
    country = station_frame(selected_record(view, "us-country-1"))
    assert isinstance(city, MapFrame)
    assert isinstance(country, MapFrame)
    assert city.zoom > country.zoom
    assert station_frame(None) is None


def test_the_view_keeps_the_changes_of_its_own_stations_and_countries(data):
    from dashboard.changes import marked_since

    marked = marked_since(data.stations, data.responses, dt.date(2022, 1, 1))
    view = make_view(data, Filters(countries=("NL",)), Display(), TODAY, marked=marked)
    assert view.changes
    assert {c.country_code for c in view.changes} == {"NL"}
    everything = make_view(data, Filters(), Display(), TODAY, marked=marked)
    assert len(everything.changes) == len(marked)
