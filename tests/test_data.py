"""The loader/validator: good rows load typed, every bad row is named by line and column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.data import (
    FAST_PATH_BYTES,
    DataError,
    load_responses,
    load_stations,
    split_orphans,
)
from dashboard.schema import STATIONS
from tests.helpers import GOOD_STATION, csv_text, response, station, write

TODAY = dt.date(2026, 11, 27)


def problems_of(source, **kwargs) -> list[str]:
    with pytest.raises(DataError) as info:
        load_stations(source, today=TODAY, **kwargs)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"name": "中国警察海外服务站 <b>\"quoted\"</b> & 'more'"},
        {"summary": "line one\nline two, with a comma"},
        {"first_reported_date": "2022"},
        {"status_date": "2022-11"},
        {"latitude": "-33.9", "longitude": "-180"},
        {"latitude": "90", "longitude": "180"},
        {"address": "", "city": "", "location_precision": "country"},
        {"sources": "https://example.org/x?a=1&b=2#frag"},
        {"status": "investigation_closed"},
    ],
)
def test_good_rows_load(tmp_path, changes):
    df = load_stations(write(tmp_path / "s.csv", [station(**changes)]), today=TODAY)
    assert len(df) == 1
    for key, value in changes.items():
        expected = float(value) if key in ("latitude", "longitude") else value
        assert df.at[0, key] == expected


def test_loaded_frame_is_typed(tmp_path):
    df = load_stations(write(tmp_path / "s.csv", [station()]), today=TODAY)
    assert df["latitude"].dtype == "float64"
    assert pd.api.types.is_string_dtype(df["name"])


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("latitude", "91", "outside -90..90"),
        ("latitude", "-90.5", "outside -90..90"),
        ("longitude", "-181", "outside -180..180"),
        ("latitude", "", "required value is empty"),
        ("latitude", "NaN", "not a number"),
        ("latitude", "52,37", "decimal comma"),
        ("latitude", "north", "not a number"),
        ("country_code", "ZZ", "not an ISO 3166-1 alpha-2 country code"),
        ("country_code", "nl", "not an ISO 3166-1 alpha-2 country code"),
        ("status", "nonsense", "not one of"),
        ("location_precision", "street", "not one of"),
        ("operating_bureau", "Beijing", "not one of"),
        ("listed_in", "110 Overseas", "not one of"),
        ("first_reported_date", "2099-01-01", "in the future"),
        ("first_reported_date", "12/09/2022", "not a date"),
        ("status_date", "2022-02-30", "not a real calendar date"),
        ("sources", "http://example.org/a", "not https"),
        ("sources", "javascript:alert(1)", "not an https:// URL"),
        ("sources", "https://example.org/a  https://example.org/b", "separated by one space"),
        ("sources", "", "required value is empty"),
        ("station_id", "NL Rotterdam", "not an id"),
        ("name", "", "required value is empty"),
        ("summary", "x" * 281, "over the limit of 280"),
        ("name", "y" * 10_000, "10,000 characters"),
    ],
)
def test_bad_value_is_named_by_line_and_column(tmp_path, column, value, why):
    rows = [station(station_id="nl-rotterdam-2"), station(**{column: value})]
    found = problems_of(write(tmp_path / "s.csv", rows))
    assert len(found) == 1, found
    assert found[0].startswith(f"line 3, column {column}: value ")
    assert why in found[0]


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    rows = [
        station(latitude="91"),
        station(station_id="nl-rotterdam-2", country_code="ZZ", status="nope"),
    ]
    found = problems_of(write(tmp_path / "s.csv", rows))
    assert [p.split(":")[0] for p in found] == [
        "line 2, column latitude",
        "line 3, column country_code",
        "line 3, column status",
    ]


def test_duplicate_id_names_the_first_line(tmp_path):
    found = problems_of(write(tmp_path / "s.csv", [station(), station()]))
    assert found == [
        "line 3, column station_id: value 'nl-rotterdam-1': duplicate id (first on line 2)"
    ]


def test_line_numbers_count_newlines_inside_quoted_fields(tmp_path):
    rows = [station(summary="a\nb\nc"), station(station_id="x-2", latitude="99")]
    found = problems_of(write(tmp_path / "s.csv", rows))
    assert found[0].startswith("line 5, column latitude")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "file is empty"),
        ("\n\n", "file is empty"),
        (csv_text([GOOD_STATION]).splitlines()[0] + "\n", "header but no data rows"),
        (csv_text([GOOD_STATION]).replace(",", ";"), "looks separated by semicolons"),
        (
            csv_text([GOOD_STATION]).replace("station_id,", ""),
            "column station_id: required column is missing",
        ),
        (
            csv_text([GOOD_STATION]) + "a,b\n",
            f"line 3: has 2 fields, the header has {len(STATIONS.names)}",
        ),
        (
            csv_text([GOOD_STATION]).rstrip("\n") + ",extra\n",
            f"line 2: has {len(STATIONS.names) + 1} fields",
        ),
        (
            csv_text([GOOD_STATION]).replace("name,", "name,name,", 1),
            "column name: column appears twice",
        ),
    ],
)
def test_malformed_files_get_a_clear_message(tmp_path, text, why):
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    assert any(why in p for p in problems_of(path))


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([station()]).encode())
    assert load_stations(path, today=TODAY).at[0, "station_id"] == "nl-rotterdam-1"


def test_non_utf8_text_names_the_line(tmp_path):
    path = tmp_path / "s.csv"
    text = csv_text([station(), station(station_id="x-2", name="荷兰鹿特丹")])
    path.write_bytes(text.encode("gbk"))
    [problem] = problems_of(path)
    assert problem.startswith("line 3: not UTF-8 text")
    assert "save the file as UTF-8" in problem


def test_oversized_file_is_rejected_before_reading(tmp_path):
    path = write(tmp_path / "s.csv", [station()])
    found = problems_of(path, max_bytes=100)
    assert len(found) == 1
    assert "over the limit of 100 bytes" in found[0]


def test_extra_columns_are_kept_as_text(tmp_path):
    rows = [{**station(), "my_notes": "=1+1"}]
    df = load_stations(write(tmp_path / "s.csv", rows), today=TODAY)
    assert df.at[0, "my_notes"] == "=1+1"


def test_geocoder_input_may_lack_coordinates(tmp_path):
    path = write(tmp_path / "s.csv", [station(latitude="", longitude="")])
    df = load_stations(path, require_coordinates=False, today=TODAY)
    assert pd.isna(df.at[0, "latitude"])
    assert "required value is empty" in problems_of(path)[0]


def test_responses_must_point_at_existing_stations(tmp_path):
    stations = load_stations(write(tmp_path / "s.csv", [station()]), today=TODAY)
    path = write(
        tmp_path / "r.csv", [response(), response(response_id="nl-r02", station_id="nl-nowhere-1")]
    )
    with pytest.raises(DataError) as info:
        load_responses(path, stations=stations, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        "line 3, column station_id: value 'nl-nowhere-1': "
        "no station with this id in the stations file"
    ]


def test_response_country_must_match_its_station(tmp_path):
    stations = load_stations(write(tmp_path / "s.csv", [station()]), today=TODAY)
    path = write(tmp_path / "r.csv", [response(country_code="DE")])
    with pytest.raises(DataError, match="this station is in NL"):
        load_responses(path, stations=stations, today=TODAY)


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("response_type", "sanction", "not one of"),
        ("date", "", "required value is empty"),
        ("source_url", "http://example.org", "not https"),
        ("source_url", "https://a.org https://b.org", "not an https:// URL"),
        ("country_code", "XX", "not an ISO"),
    ],
)
def test_bad_response_rows_are_named(tmp_path, column, value, why):
    path = write(tmp_path / "r.csv", [response(**{column: value})])
    with pytest.raises(DataError) as info:
        load_responses(path, today=TODAY)
    [problem] = [str(p) for p in info.value.problems]
    assert problem.startswith(f"line 2, column {column}")
    assert why in problem


def test_orphan_responses_are_set_aside_not_rejected(tmp_path):
    stations = load_stations(write(tmp_path / "s.csv", [station()]), today=TODAY)
    rows = [
        response(),
        response(response_id="nl-r02", station_id="nl-gone-1"),
        response(response_id="nl-r03", station_id=""),
    ]
    responses = load_responses(write(tmp_path / "r.csv", rows), today=TODAY)
    kept, orphans = split_orphans(responses, stations)
    assert list(kept["response_id"]) == ["nl-r01", "nl-r03"]
    assert list(orphans["response_id"]) == ["nl-r02"]


def _big(rows: int, **changes_at_row_7: str) -> bytes:
    many = [station(station_id=f"nl-big-{i}") for i in range(rows)]
    many[5] = {**many[5], **changes_at_row_7}
    data = csv_text(many).encode()
    assert len(data) > FAST_PATH_BYTES  # exercises the Arrow reader (constant as imported)
    return data


def test_large_files_read_fast_give_the_same_frame_as_line_by_line(monkeypatch):
    from dashboard import data as module

    fast = load_stations(_big(1000, summary='quote " and, comma'), today=TODAY)
    monkeypatch.setattr(module, "FAST_PATH_BYTES", 10**12)
    slow = load_stations(_big(1000, summary='quote " and, comma'), today=TODAY)
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"latitude": "91"}, "line 7, column latitude: value '91'"),
        ({"summary": "two\nlines"}, None),
        ({"station_id": "nl-big-0"}, "line 7, column station_id: value 'nl-big-0': duplicate id"),
    ],
)
def test_large_files_name_the_right_line(changes, expected):
    data = _big(1000, **changes)
    if expected is None:
        assert len(load_stations(data, today=TODAY)) == 1000
        return
    with pytest.raises(DataError) as info:
        load_stations(data, today=TODAY)
    assert expected in str(info.value)


def test_large_file_with_a_short_row_is_named(tmp_path):
    data = _big(1000) + b"a,b\n"
    with pytest.raises(DataError, match="line 1002: has 2 fields"):
        load_stations(data, today=TODAY)
