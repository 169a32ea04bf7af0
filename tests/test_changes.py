"""What changed since a day: the selection the feeds and the explorer's view share."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.changes import Change, changes_since, since_previous_version
from dashboard.history import as_of, responses_by, status_history
from dashboard.panels import station_record
from dashboard.versions import CHANGELOG_PATH, latest
from tests.helpers import response, station

# Rotterdam: reported 2022-09-12; the country-wide investigation (nl-r01) makes it investigating,
# the closure order (nl-r02) closed; a statement (nl-r03, dated only to the month) changes no
# status. Dublin: reported only to the month, a second closure order changes nothing.
STATIONS = pd.DataFrame(
    [
        station(first_reported_date="2022-09-12"),
        station(
            station_id="ie-dublin-1",
            name="Dublin station",
            city="Dublin",
            country="Ireland",
            country_code="IE",
            first_reported_date="2022-10",
            sources="https://example.org/ie",
        ),
    ]
)
RESPONSES = pd.DataFrame(
    [
        response(
            response_id="nl-r01", station_id="", date="2022-10-25", response_type="investigation"
        ),
        response(response_id="nl-r02", date="2022-11-01", response_type="closure_order"),
        response(response_id="nl-r03", station_id="", date="2022-11", response_type="statement"),
        response(
            response_id="ie-r01",
            country_code="IE",
            station_id="ie-dublin-1",
            date="2022-10-26",
            response_type="closure_order",
        ),
        response(
            response_id="ie-r02",
            country_code="IE",
            station_id="ie-dublin-1",
            date="2023",
            response_type="closure",
        ),
    ]
)


def change_of(key: str) -> Change:
    (found,) = [c for c in changes_since(STATIONS, RESPONSES, None) if c.key == key]
    return found


def keys(since: dt.date | None) -> list[str]:
    return [c.key for c in changes_since(STATIONS, RESPONSES, since)]


@pytest.mark.parametrize(
    ("key", "day"),
    [
        ("reported:nl-rotterdam-1", dt.date(2022, 9, 12)),
        ("status:nl-rotterdam-1:2022-10-25:investigating", dt.date(2022, 10, 25)),
        ("status:nl-rotterdam-1:2022-11-01:closed", dt.date(2022, 11, 1)),
        ("response:nl-r02", dt.date(2022, 11, 1)),
    ],
)
def test_each_kind_of_change_is_selected_after_its_day_and_not_on_or_after_it(key, day):
    assert key in keys(day - dt.timedelta(days=1))
    assert key not in keys(day)
    assert key not in keys(day + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("key", "last_day"),
    [
        ("response:nl-r03", dt.date(2022, 11, 30)),  # "2022-11"
        ("reported:ie-dublin-1", dt.date(2022, 10, 31)),  # "2022-10"
        ("response:ie-r02", dt.date(2023, 12, 31)),  # "2023"
    ],
)
def test_a_partial_date_counts_from_its_last_day(key, last_day):
    assert key in keys(last_day - dt.timedelta(days=1))
    assert key not in keys(last_day)


def test_no_day_selects_every_change_once():
    assert keys(None) == list(dict.fromkeys(keys(None)))
    assert sorted(keys(None)) == sorted(
        [
            "reported:nl-rotterdam-1",
            "reported:ie-dublin-1",
            "status:nl-rotterdam-1:2022-10-25:investigating",
            "status:nl-rotterdam-1:2022-11-01:closed",
            "status:ie-dublin-1:2022-10-26:closed",
            *[f"response:{r}" for r in RESPONSES["response_id"]],
        ]
    )


def test_a_step_to_the_status_a_station_already_has_is_not_a_change():
    # ie-r02 (a closure, 2023) is a step of Dublin's history, but Dublin was closed already.
    steps = status_history(station_record(STATIONS, "ie-dublin-1"), RESPONSES)
    assert [s["status"] for s in steps] == ["reported", "closed", "closed"]
    assert [k for k in keys(None) if k.startswith("status:ie-")] == [
        "status:ie-dublin-1:2022-10-26:closed"
    ]


def test_changes_come_newest_first_a_status_before_the_response_that_gave_it():
    assert keys(dt.date(2022, 10, 1)) == [
        "response:ie-r02",  # 2023
        "response:nl-r03",  # 2022-11 (first day 2022-11-01, but it may be later)
        "status:nl-rotterdam-1:2022-11-01:closed",
        "response:nl-r02",
        "status:ie-dublin-1:2022-10-26:closed",
        "response:ie-r01",
        "status:nl-rotterdam-1:2022-10-25:investigating",
        "response:nl-r01",
        "reported:ie-dublin-1",  # 2022-10: may be as late as 2022-10-31
    ]


def test_fixture_changes_are_newest_first_by_first_day(stations, responses):
    days = [c.first_day for c in changes_since(stations, responses, None)]
    assert days == sorted(days, reverse=True)


def test_keys_are_unique_and_the_same_in_every_build(stations, responses):
    first = [c.key for c in changes_since(stations, responses, None)]
    again = [c.key for c in changes_since(stations.iloc[::-1], responses.iloc[::-1], None)]
    assert len(first) == len(set(first))
    assert first == again


def test_status_changes_are_steps_of_the_derived_history(stations, responses):
    for change in changes_since(stations, responses, None):
        if change.kind == "status":
            record = station_record(stations, change.station_id)
            steps = status_history(record, responses)[1:]
            assert (change.date, change.status) in {(s["date"], s["status"]) for s in steps}


@pytest.mark.parametrize("day", [dt.date(2022, 10, 31), dt.date(2023, 1, 15), dt.date(2024, 6, 1)])
def test_changes_since_a_day_are_what_the_as_of_view_of_that_day_does_not_show(
    stations, responses, day
):
    found = changes_since(stations, responses, day)
    shown = as_of(stations, responses, day)
    made = responses_by(responses, day)
    reported = {c.station_id for c in found if c.kind == "reported"}
    answered = {c.response_id for c in found if c.kind == "response"}
    assert reported == set(stations["station_id"]) - set(shown["station_id"])
    assert answered == set(responses["response_id"]) - set(made["response_id"])


def test_a_response_change_reads_as_plain_text_with_its_source():
    change = change_of("response:nl-r02")
    assert change.kind == "response"
    assert (change.country_code, change.station_id, change.response_id) == (
        "NL",
        "nl-rotterdam-1",
        "nl-r02",
    )
    assert change.title == "Netherlands: Closure order (Dutch Ministry of Foreign Affairs)"
    assert change.summary == response()["summary"]
    assert change.source_url == "https://example.org/c"


def test_a_country_wide_response_names_no_station():
    change = change_of("response:nl-r01")
    assert change.station_id is None
    assert change.response_id == "nl-r01"


def test_a_report_names_who_reported_it_and_its_first_source():
    change = change_of("reported:ie-dublin-1")
    assert change.title == "Dublin station: first reported"
    assert change.summary.startswith("First reported by Safeguard Defenders.")
    assert change.source_url == "https://example.org/ie"
    assert change.response_id is None


CHANGELOG = """# Changelog

## 1.2.0 (2026-12-24)

Text.

## 1.1.0 (2026-11-30)

## 1.0.0 (2026-11-27)
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CHANGELOG, dt.date(2026, 11, 30)),
        ("# Changelog\n\n## 1.0.0 (2026-11-27)\n\nFirst.\n", None),
        ("# Changelog\n\nNothing yet.\n", None),
    ],
)
def test_since_previous_version_is_the_release_day_of_the_version_before_the_newest(text, expected):
    assert since_previous_version(text) == expected


def test_the_bundled_changelog_gives_a_previous_version_day():
    day = since_previous_version(CHANGELOG_PATH.read_text(encoding="utf-8"))
    assert day is not None
    assert day < dt.date.fromisoformat(latest().date)


def test_marked_since_adds_the_rows_the_changelog_recorded_after_the_day(stations, responses):
    from dashboard.changes import marked_since
    from dashboard.versions import releases

    entries = releases(
        "## 0.2.0 (2026-12-06)\n\n### Changed\n\n- `ie-dublin-1`: sources.\n- `fr-r01`: date.\n\n"
        "## 0.1.0 (2026-11-27)\n\nFirst.\n"
    )
    marked = marked_since(stations, responses, dt.date(2026, 11, 30), entries)
    by_key = {c.key: c for c in marked}
    # Neither row is dated after the day: both are marked because version 0.2.0 changed them.
    assert by_key["reported:ie-dublin-1"].recorded == "0.2.0"
    assert by_key["response:fr-r01"].recorded == "0.2.0"
    # A version released before the day marks nothing.
    assert marked_since(stations, responses, dt.date(2026, 12, 6), entries) == []


def test_a_change_dated_and_recorded_after_the_day_is_listed_once(stations, responses):
    from dashboard.changes import changes_since, marked_since
    from dashboard.versions import releases

    dated = changes_since(stations, responses, dt.date(2025, 1, 1))
    last = next(c for c in dated if c.response_id)
    row = last.response_id
    entries = releases(
        f"## 0.2.0 (2026-12-06)\n\n### Added\n\n- `{row}`.\n\n## 0.1.0 (2024-01-01)\n"
    )
    marked = marked_since(stations, responses, dt.date(2025, 1, 1), entries)
    assert [c.key for c in marked].count(last.key) == 1
    assert len(marked) == len(dated)
