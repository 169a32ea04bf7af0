"""Filtering: each filter keeps exactly the stations a user would expect."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.filters import (
    Filters,
    apply_filters,
    month_of,
    months_between,
    period,
    showing_text,
)


def ids(frame) -> set[str]:
    return set(frame["station_id"])


def test_no_filter_keeps_everything(stations):
    assert len(apply_filters(stations, Filters())) == len(stations)


def test_country_filter_keeps_only_that_country(stations):
    shown = apply_filters(stations, Filters(countries=("NL",)))
    assert ids(shown) == {"nl-amsterdam-1", "nl-rotterdam-1"}


def test_several_countries_are_a_union(stations):
    shown = apply_filters(stations, Filters(countries=("NL", "IE")))
    assert set(shown["country_code"]) == {"NL", "IE"}
    assert len(shown) == 3


def test_filters_combine_as_and(stations):
    shown = apply_filters(stations, Filters(countries=("NL",), statuses=("closed",)))
    assert ids(shown) == {"nl-rotterdam-1"}


def test_status_and_bureau_filters(stations):
    shown = apply_filters(stations, Filters(statuses=("prosecuted",)))
    assert ids(shown) == {"us-new-york-1"}
    nantong = apply_filters(stations, Filters(bureaus=("Nantong",)))
    assert ids(nantong) == {"us-country-1", "kr-seoul-1"}


def test_response_type_keeps_countries_whose_government_did_it(stations, responses):
    shown = apply_filters(stations, Filters(response_types=("arrest",)), responses)
    assert set(shown["country_code"]) == {"US"}


@pytest.mark.parametrize("needle", ["rotterdam", "ROTTERDAM", "  Rotterdam  "])
def test_search_is_case_insensitive_over_city_and_name(stations, needle):
    shown = apply_filters(stations, Filters(query=needle))
    assert "nl-rotterdam-1" in ids(shown)
    assert all("rotterdam" in " ".join(map(str, r)).lower() for r in shown.itertuples())


def test_search_reads_address_and_summary_literally(stations):
    assert ids(apply_filters(stations, Filters(query="107 East Broadway"))) == {"us-new-york-1"}
    assert len(apply_filters(stations, Filters(query=".*"))) == 0


def test_date_range_uses_overlap_of_partial_dates(stations):
    sept = apply_filters(stations, Filters(date_from="2022-09", date_to="2022-09"))
    # 2022-09-03 (Prato) and the first report's 2022-09-12 rows, nothing from 2022-10 on.
    assert "it-prato-1" in ids(sept)
    assert (sept["first_reported_date"].str.slice(0, 7) == "2022-09").all()
    assert len(sept) == (stations["first_reported_date"].str.slice(0, 7) == "2022-09").sum()
    # A month-only date (Sydney, 2022-10) overlaps a range that starts inside that month.
    october = apply_filters(stations, Filters(date_from="2022-10-15", date_to="2022-10-20"))
    assert ids(october) == {"au-sydney-1"}
    later = apply_filters(stations, Filters(date_from="2023-01"))
    assert ids(later) == {"gb-belfast-1", "ca-montreal-1", "us-houston-1"}


def test_filtering_does_not_change_the_input(stations):
    before = stations.copy()
    apply_filters(stations, Filters(countries=("NL",), query="x"))
    assert stations.equals(before)


def test_showing_text_has_the_tested_form(stations):
    shown = apply_filters(stations, Filters(countries=("NL",)))
    assert (
        showing_text(shown, len(stations)) == f"Showing 2 of {len(stations)} stations in 1 country"
    )


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("2022-02", dt.date(2022, 2, 1), dt.date(2022, 2, 28)),
        ("2022-12", dt.date(2022, 12, 1), dt.date(2022, 12, 31)),
        ("2022-09-12", dt.date(2022, 9, 12), dt.date(2022, 9, 12)),
    ],
)
def test_period_of_partial_dates(value, start, end):
    assert period(value) == (start, end)


def test_months_and_clamping():
    months = months_between("2022-11", "2023-02")
    assert months == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert month_of("2023", months) == "2023-01"
    assert month_of("2023", months, upper=True) == "2023-02"
    assert month_of("2019-05-01", months) == "2022-11"
