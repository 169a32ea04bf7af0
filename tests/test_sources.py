"""Which data is in use: where each table came from, the files refused, and a data set that
nothing changes once it is shared by every session."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
import streamlit as st

from dashboard import export, history, maps, panels, places, sources
from dashboard.data import DataError, Problem, Rejection, load_stations
from dashboard.filters import Filters, apply_filters
from dashboard.sources import NO_ORIGIN, DataSet, Origin, Upload, resolve
from dashboard.texts import origin_text
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS
from tests.helpers import station, write


@pytest.fixture
def bundled(monkeypatch):
    """The tests' own files stand in for the bundled ones (tests never depend on data/)."""
    monkeypatch.setattr(sources, "STATIONS_PATH", FIXTURE_STATIONS)
    monkeypatch.setattr(sources, "RESPONSES_PATH", FIXTURE_RESPONSES)


def bad_file(tmp_path, name="bad.csv"):
    return write(tmp_path / name, [station(latitude="91"), station(station_id="x-1", status="?")])


def test_the_bundled_files_are_named_as_bundled(bundled):
    data = resolve(FIXTURE_STATIONS, FIXTURE_RESPONSES)
    assert data.stations_origin == Origin("bundled", "stations.csv")
    assert data.responses_origin == Origin("bundled", "responses.csv")
    assert data.problems == ()


def test_a_file_named_on_the_command_line_is_named_by_its_path(bundled, tmp_path):
    path = write(tmp_path / "mine.csv", [station()])
    data = resolve(path, FIXTURE_RESPONSES)
    assert data.stations_origin == Origin("file", str(path))
    assert len(data.stations) == 1


def test_an_upload_is_named_as_its_user_named_it(bundled):
    upload = Upload("mine.csv", FIXTURE_STATIONS.read_bytes())
    data = resolve(FIXTURE_STATIONS, FIXTURE_RESPONSES, stations_upload=upload)
    assert data.stations_origin == Origin("upload", "mine.csv")
    assert data.version is None  # nobody stated an upload's version


def test_no_valid_responses_file_leaves_no_responses(bundled, monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "RESPONSES_PATH", bad_file(tmp_path, "bundled.csv"))
    data = resolve(FIXTURE_STATIONS, bad_file(tmp_path))
    assert data.responses_origin == NO_ORIGIN
    assert data.responses.empty
    assert [r.file for r in data.problems] == [
        str(tmp_path / "bad.csv"),
        str(tmp_path / "bundled.csv"),
    ]


def test_a_refused_file_is_carried_as_its_rejection_and_the_bundled_one_stays(bundled, tmp_path):
    path = bad_file(tmp_path)
    data = resolve(path, FIXTURE_RESPONSES)
    assert data.stations_origin.kind == "bundled"
    [rejected] = data.problems
    assert rejected.file == str(path)
    assert rejected.headline == f"{path}: 2 problems"
    assert rejected.details[0] == "line 2, column latitude: value '91': outside -90..90"
    assert rejected.details[1].startswith("line 3, column status: value '?': not one of")


def test_a_rejection_reads_as_the_validator_prints_it(tmp_path):
    path = bad_file(tmp_path)
    with pytest.raises(DataError) as info:
        load_stations(path)
    rejected = info.value.rejection
    assert str(rejected) == str(info.value)
    assert str(rejected).splitlines() == [rejected.headline, *(f"  {d}" for d in rejected.details)]


def test_one_problem_is_said_in_the_singular():
    empty = Problem(None, None, None, "file is empty")
    assert Rejection("x.csv", (empty,)).headline == "x.csv: 1 problem"
    assert str(Rejection("x.csv", (empty,))) == "x.csv: 1 problem\n  file: file is empty"


@pytest.mark.parametrize(
    ("origin", "lang", "words"),
    [
        (Origin("bundled", "stations.csv"), "en", "the bundled stations.csv"),
        (Origin("bundled", "stations.csv"), "zh", "内置的 stations.csv"),
        (Origin("file", "/srv/data/stations.csv"), "en", "/srv/data/stations.csv"),
        (Origin("upload", "the bundled x.csv"), "en", "the bundled x.csv"),
        (Origin("upload", "no responses"), "zh", "no responses"),
        (NO_ORIGIN, "en", "no responses"),
        (NO_ORIGIN, "zh", "无政府回应数据"),
    ],
)
def test_origin_in_words(origin, lang, words):
    # A file's own name is never taken for a kind of origin, whatever it says.
    assert origin_text(origin, lang) == words


def test_the_data_set_cannot_be_changed(bundled):
    data = resolve(FIXTURE_STATIONS, FIXTURE_RESPONSES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.stations = None
    assert isinstance(data.problems, tuple)


def frames(data: DataSet) -> dict[str, pd.DataFrame]:
    assert data.stations is not None
    return {"stations": data.stations, "responses": data.responses, "orphans": data.orphans}


def use_every_reader(data: DataSet) -> None:
    """What a page's sections do with the data: filter, as of a day, near a place, panels,
    map and downloads."""
    stations, responses = data.stations, data.responses
    assert stations is not None
    day = dt.date(2023, 1, 1)
    table = history.as_of(stations, history.responses_by(responses, day), day)
    place = places.Place("Rotterdam", 51.92, 4.48, "gazetteer")
    for rows in (stations, table):
        for filters in (Filters(), Filters(countries=("NL",)), Filters(query="police")):
            # With no filter `shown` is the shared frame itself, as on the page.
            shown = apply_filters(rows, filters, responses)
            places.nearest(places.within(shown, place, 50), place)
            places.nearest(shown, place)
            panels.view_responses(responses, shown)
            panels.country_summary(shown, responses)
            panels.table_rows(shown)
            panels.coverage(shown)
            panels.status_counts(shown)
            panels.stations_per_country(shown)
            maps.build_map(shown, lang="en").get_root().render()
            maps.build_station_layer(shown, "nl-rotterdam-1", responses, base=stations)
            export.to_csv_bytes(shown)
            export.to_geojson_bytes(shown)
    panels.responses_per_year(responses)
    panels.country_timelines(responses, stations)
    for sid in stations["station_id"]:
        record = panels.station_record(stations, sid)
        assert record is not None
        history.status_history(record, responses)
        panels.responses_for_station(responses, record)
        panels.station_fields(record)
        maps.station_view(record)


def test_the_pages_readers_leave_the_shared_frames_as_they_were(bundled):
    data = resolve(FIXTURE_STATIONS, FIXTURE_RESPONSES)
    before = {name: frame.copy(deep=True) for name, frame in frames(data).items()}
    use_every_reader(data)
    for name, frame in frames(data).items():
        pd.testing.assert_frame_equal(frame, before[name], check_exact=True, obj=name)


def test_the_running_app_leaves_the_shared_frames_as_they_were(bundled, monkeypatch):
    from tests.test_app import start

    data = resolve(FIXTURE_STATIONS, FIXTURE_RESPONSES)
    before = {name: frame.copy(deep=True) for name, frame in frames(data).items()}
    calls = []

    def shared(*args, **kwargs) -> DataSet:
        calls.append(args)
        return data

    monkeypatch.setattr(sources, "resolve", shared)
    st.cache_resource.clear()  # so that the app's `load` asks for this data set
    try:
        for query in ({}, {"country": "NL", "station": "nl-rotterdam-1"}, {"asof": "2022-11-01"}):
            start(query)
        start({"near": "Amsterdam", "km": "60", "q": "police"})
    finally:
        st.cache_resource.clear()
    assert calls
    for name, frame in frames(data).items():
        pd.testing.assert_frame_equal(frame, before[name], check_exact=True, obj=name)
