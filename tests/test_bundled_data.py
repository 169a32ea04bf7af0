"""The bundled dataset: valid, sourced, located inside its countries, and covering the reports."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ("110 Overseas (2022-09)", "Patrol and Persuade (2022-12)")


# This module checks the bundled data itself: here `stations` and `responses` are data/'s, not
# the tests' fixtures (tests/conftest.py).
@pytest.fixture(scope="module")
def stations(bundled_stations):
    return bundled_stations


@pytest.fixture(scope="module")
def responses(bundled_responses):
    return bundled_responses


@pytest.fixture(scope="module")
def outlines():
    features = json.loads((ROOT / "data" / "countries.geojson").read_text())["features"]
    return {f["properties"]["iso_a2"]: shape(f["geometry"]) for f in features}


def test_reports_coverage_meets_the_public_record(stations):
    listed = stations[stations["listed_in"].isin(REPORTS)]
    assert len(listed) >= 88
    assert listed["country_code"].nunique() >= 44


def test_amsterdam_and_rotterdam_are_there(stations):
    dutch = set(stations.loc[stations["country_code"] == "NL", "city"])
    assert {"Amsterdam", "Rotterdam"} <= dutch


def test_every_station_and_response_has_an_https_source(stations, responses):
    assert stations["sources"].str.startswith("https://").all()
    assert responses["source_url"].str.startswith("https://").all()


def test_every_located_station_lies_inside_its_country(stations, outlines):
    outside = []
    for row in stations.itertuples():
        country = outlines[row.country_code]
        point = Point(row.longitude, row.latitude)
        # 0.1 degree (~10 km) of slack: the outlines are simplified and cities sit on coasts.
        if country.distance(point) > 0.1:
            outside.append((row.station_id, row.latitude, row.longitude))
    assert outside == []


def test_no_country_outline_draws_an_edge_across_the_whole_map():
    # An edge from longitude 179 to -179 would show as a line across the map (Russia, Fiji).
    features = json.loads((ROOT / "data" / "countries.geojson").read_text())["features"]
    crossing = set()
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for ring in (ring for polygon in polygons for ring in polygon):
            if any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(ring)):
                crossing.add(feature["properties"]["iso_a2"])
    assert crossing == set()


def test_country_only_stations_have_no_city(stations):
    rough = stations[stations["location_precision"] == "country"]
    assert (rough["city"].fillna("") == "").all()


def test_summaries_fit_and_no_private_address_is_published(stations):
    assert (stations["summary"].str.len() <= 280).all()
    withheld = stations["location_note"].fillna("").str.contains("withheld")
    assert withheld.any()
    assert (stations.loc[withheld, "address"].fillna("") == "").all()


def test_every_responding_country_has_a_station(stations, responses):
    assert set(responses["country_code"]) <= set(stations["country_code"])


def test_each_stations_status_is_where_its_history_ends(stations, responses):
    """The map (status column), a station's history and the "as of" view never disagree."""
    from dashboard.history import status_history

    disagree = {}
    for record in stations.to_dict("records"):
        last = status_history(record, responses)[-1]
        if last["status"] != record["status"]:
            disagree[record["station_id"]] = (record["status"], last["status"], last["event"])
    assert not disagree, disagree


def test_every_row_was_checked_on_a_review_day_not_in_the_future(stations, responses):
    import datetime as dt

    from dashboard.data import DATA_REVIEWED

    for table in (stations, responses):
        days = table["last_checked"].astype(str)
        assert days.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), "a review has a day"
        assert (days <= DATA_REVIEWED).all()
        assert (days >= "2026-11-27").all(), "no row predates the first build"
    assert dt.date.fromisoformat(DATA_REVIEWED) <= dt.date.today()


def test_the_changelog_names_only_rows_that_exist_unless_removed(stations, responses):
    from dashboard.versions import CHANGELOG_PATH, releases

    known = set(stations["station_id"]) | set(responses["response_id"])
    for release in releases(CHANGELOG_PATH.read_text(encoding="utf-8")):
        named = release.ids("Added") | release.ids("Changed")
        assert named <= known, (release.version, named - known)
    newest = releases(CHANGELOG_PATH.read_text(encoding="utf-8"))[0]
    assert not newest.ids("Removed") & known, "a removed row is gone"
