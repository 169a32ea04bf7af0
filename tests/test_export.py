"""CSV export: exactly the rows given, every column, UTF-8, no live formula, numbers untouched."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dashboard.export import export_filename, neutralise, safe_frame, to_csv_bytes
from dashboard.filters import Filters


def read_back(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("https://evil")', '\'=HYPERLINK("https://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Safe text = fine", "Safe text = fine"),
        ("", ""),
        (51.9, 51.9),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_has_exactly_the_rows_and_every_column(stations):
    dutch = stations[stations["country_code"] == "NL"]
    rows = read_back(to_csv_bytes(dutch))
    assert [r["station_id"] for r in rows] == list(dutch["station_id"])
    assert list(rows[0]) == list(stations.columns)


def test_formulas_in_every_text_column_are_neutralised_and_numbers_kept(stations):
    frame = stations.head(2).copy()
    text_columns = [c for c in frame.columns if c not in ("latitude", "longitude")]
    for column in text_columns:
        frame[column] = "=1+1"
    frame["longitude"] = -73.997
    rows = read_back(to_csv_bytes(frame))
    for row in rows:
        assert all(row[c] == "'=1+1" for c in text_columns)
        assert row["longitude"] == "-73.997"


def test_chinese_text_survives(stations):
    frame = stations.head(1).assign(name="荷兰鹿特丹警察服务站")
    assert read_back(to_csv_bytes(frame))[0]["name"] == "荷兰鹿特丹警察服务站"


def test_safe_frame_does_not_change_the_input(stations):
    frame = stations.head(1).assign(name="=1")
    safe_frame(frame)
    assert frame.iloc[0]["name"] == "=1"


@pytest.mark.parametrize(
    ("filters", "name"),
    [
        (Filters(), "police-stations_2026-11-27_all.csv"),
        (
            Filters(countries=("NL", "CA"), statuses=("closed",)),
            "police-stations_2026-11-27_country-NL-CA_status-closed.csv",
        ),
        (Filters(query="../../etc/passwd"), "police-stations_2026-11-27_q-etc-passwd.csv"),
        (Filters(date_from="2022-09"), "police-stations_2026-11-27_from-2022-09.csv"),
        (
            Filters(as_of="2022-10-01", near="Paris", km=25.0, station="fr-paris-1"),
            "police-stations_2026-11-27_asof-2022-10-01_near-Paris_km-25.csv",
        ),
    ],
)
def test_file_name_carries_date_and_filter(filters, name):
    assert export_filename(filters, dt.date(2026, 11, 27)) == name


def test_a_carriage_return_inside_a_cell_does_not_split_the_row(stations):
    frame = stations.head(2).assign(summary="first\rsecond", name="\r=1")
    rows = read_back(to_csv_bytes(frame))
    assert len(rows) == 2
    assert rows[0]["summary"] == "first\rsecond"
    assert rows[0]["name"] == "'\r=1"


def test_geojson_has_a_point_per_row_with_every_other_column(stations):
    import json

    from dashboard.export import to_geojson_bytes

    dutch = stations[stations["country_code"] == "NL"]
    collection = json.loads(to_geojson_bytes(dutch))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(dutch)
    first = collection["features"][0]
    row = dutch.iloc[0]
    assert first["geometry"] == {
        "type": "Point",
        "coordinates": [row["longitude"], row["latitude"]],
    }
    assert set(first["properties"]) == set(stations.columns) - {"latitude", "longitude"}
    assert first["properties"]["station_id"] == row["station_id"]


def test_citation_names_version_filters_time_and_link():
    from dashboard.export import citation

    text = citation(
        "country=NL",
        "1.1.0",
        "2026-11-27",
        "0123456789abcdef",
        dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC),
        "https://example.org/?country=NL",
    )
    assert "data version 1.1.0, reviewed 2026-11-27, commit 0123456789ab" in text
    assert "Filters: country=NL" in text
    assert "Viewed 2026-11-27 15:00 UTC" in text
    assert text.endswith("Link: https://example.org/?country=NL")
    assert "Filters: none (all stations)" in citation(
        "", "1.1.0", "2026-11-27", None, dt.datetime.now(dt.UTC), None
    )


def test_citation_of_files_without_a_version_does_not_borrow_the_bundled_one():
    from dashboard.export import citation

    text = citation("", None, "2026-11-27", "0123456789abcdef", dt.datetime.now(dt.UTC), None)
    assert "data version not stated, commit 0123456789ab" in text
    assert "reviewed" not in text
