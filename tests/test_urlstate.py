"""Shareable links: parse with notices, serialise, and round-trip."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.filters import MAX_QUERY_LENGTH, Filters
from dashboard.urlstate import (
    Display,
    MapFrame,
    parse_display,
    parse_language,
    parse_query,
    to_query,
)
from tests.helpers import CHOICES


def test_the_documented_example_link():
    filters, notices = parse_query(
        {
            "country": "NL,CA",
            "status": "closed",
            "bureau": "Fuzhou",
            "q": "text",
            "from": "2022-09",
            "to": "2023-12",
            "station": "nl-rotterdam-1",
        },
        CHOICES,
    )
    assert notices == []
    assert filters == Filters(
        countries=("NL", "CA"),
        statuses=("closed",),
        bureaus=("Fuzhou",),
        query="text",
        date_from="2022-09",
        date_to="2023-12",
        station="nl-rotterdam-1",
    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(countries=("NL", "CA"), statuses=("closed",), bureaus=("Fuzhou", "Wenzhou")),
        Filters(response_types=("arrest",), query="Fuzhou police", date_from="2022"),
        Filters(date_to="2023-12-31", station="ie-dublin-1"),
        Filters(query="a,b & c=d?#"),
        Filters(listed_in=("other", "110 Overseas (2022-09)")),
    ],
)
def test_round_trip(filters):
    parsed, notices = parse_query(to_query(filters), CHOICES)
    assert notices == []
    assert parsed == filters


SEPT = "110 Overseas (2022-09)"


# Each kind of filter reading its parameters: what applies, and the notices for what did not.
@pytest.mark.parametrize(
    ("params", "applied", "notices"),
    [
        ({"country": "nl,CA,NL"}, Filters(countries=("NL", "CA")), []),
        ({"country": "ZZ"}, Filters(), ["unknown_values"]),
        ({"listed": "other,110 Overseas (2022-09)"}, Filters(listed_in=("other", SEPT)), []),
        ({"listed": ["other", "110 Overseas"]}, Filters(listed_in=("other",)), ["unknown_values"]),
        ({"q": "  two \t words "}, Filters(query="two words"), []),
        ({"q": "x" * 201}, Filters(query="x" * MAX_QUERY_LENGTH), ["query_cut"]),
        ({"from": "2022-09", "to": "2023"}, Filters(date_from="2022-09", date_to="2023"), []),
        ({"from": "2024", "to": "2022-09"}, Filters(date_from="2022-09", date_to="2024"),
         ["dates_swapped"]),
        ({"from": "2022-02-30", "to": "2023"}, Filters(date_to="2023"), ["bad_date"]),
        ({"asof": ["2022-01-01", "2022-10-01"]}, Filters(as_of="2022-10-01"), []),
        ({"asof": "2022-10"}, Filters(), ["bad_asof"]),
        ({"asof": "2027-01-01"}, Filters(), ["asof_range"]),
        ({"since": "2025-01-01"}, Filters(since="2025-01-01"), []),
        ({"since": "2025-01"}, Filters(), ["bad_since"]),
        ({"since": "2099-01-01"}, Filters(), ["bad_since"]),
        ({"since": "<script>"}, Filters(), ["bad_since"]),
        ({"near": " Den   Haag ", "km": "12.5"}, Filters(near="Den Haag", km=12.5), []),
        ({"near": "Paris", "km": "0"}, Filters(near="Paris", km=50.0), ["bad_km"]),
        ({"near": "Paris", "km": "nan"}, Filters(near="Paris", km=50.0), ["bad_km"]),
        ({"station": " ie-dublin-1 "}, Filters(station="ie-dublin-1"), []),
        ({"station": "zz-nowhere-1"}, Filters(), ["bad_station"]),
    ],
)  # fmt: skip
def test_each_filter_reads_its_parameters_with_a_notice_for_what_it_drops(params, applied, notices):
    filters, said = parse_query(params, CHOICES, today=dt.date(2026, 11, 27))
    assert filters == applied
    assert [n.key for n in said] == notices


def test_unknown_values_are_dropped_with_a_notice_and_the_rest_applies():
    filters, notices = parse_query({"country": "ZZ,NL", "status": "nonsense"}, CHOICES)
    assert filters.countries == ("NL",)
    assert filters.statuses == ()
    assert any("'ZZ'" in str(n) for n in notices)
    assert any("'nonsense'" in str(n) for n in notices)


def test_lower_case_country_codes_are_accepted():
    assert parse_query({"country": "nl"}, CHOICES)[0].countries == ("NL",)


def test_repeated_parameters_are_merged_and_deduplicated():
    filters, notices = parse_query({"country": ["NL", "CA,NL"]}, CHOICES)
    assert filters.countries == ("NL", "CA")
    assert notices == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"utm_source": "x"}, "Unknown link parameter 'utm_source'"),
        ({"from": "yesterday"}, "Date from='yesterday'"),
        ({"to": "2022-13"}, "Date to='2022-13'"),
        ({"station": "zz-nowhere-1"}, "Station 'zz-nowhere-1' is not in the data"),
        ({"q": "x" * 10_000}, f"cut to {MAX_QUERY_LENGTH}"),
    ],
)
def test_bad_parameters_give_a_notice_not_an_error(params, words):
    filters, notices = parse_query(params, CHOICES)
    assert any(words in str(n) for n in notices), notices
    assert len(filters.query) <= MAX_QUERY_LENGTH


def test_hostile_text_stays_data():
    filters, _ = parse_query({"q": "<script>alert(1)</script>"}, CHOICES)
    assert filters.query == "<script>alert(1)</script>"
    assert to_query(filters) == {"q": "<script>alert(1)</script>"}


def test_empty_filters_make_an_empty_query():
    assert to_query(Filters()) == {}


def test_asof_parameter():
    filters, notices = parse_query({"asof": "2022-10-01"}, CHOICES)
    assert filters.as_of == "2022-10-01"
    assert notices == []
    assert to_query(filters) == {"asof": "2022-10-01"}
    _, notices = parse_query({"asof": "2022-10"}, CHOICES)
    assert any("asof='2022-10'" in str(n) for n in notices)


def test_near_and_km_round_trip_and_bad_km_gives_a_notice():
    filters = Filters(near="Amsterdam", km=60.0)
    assert parse_query(to_query(filters), CHOICES) == (filters, [])
    parsed, notices = parse_query({"near": "Amsterdam", "km": "lots"}, CHOICES)
    assert parsed.km == 50.0
    assert any("km='lots'" in str(n) for n in notices)


@pytest.mark.parametrize(
    ("params", "lang", "notice"),
    [
        ({}, "en", False),
        ({"lang": "zh"}, "zh-Hans", False),  # old links
        ({"lang": ["en", "ZH"]}, "zh-Hans", False),
        ({"lang": "zh-Hans"}, "zh-Hans", False),
        ({"lang": "zh-CN"}, "zh-Hans", False),
        ({"lang": "zh_CN"}, "zh-Hans", False),
        ({"lang": "zh-SG"}, "zh-Hans", False),
        ({"lang": "zh-Hant"}, "zh-Hant", False),
        ({"lang": "zh_Hant"}, "zh-Hant", False),
        ({"lang": "zh-TW"}, "zh-Hant", False),
        ({"lang": "zh-HK"}, "zh-Hant", False),
        ({"lang": "zh-MO"}, "zh-Hant", False),
        ({"lang": "zh-Hant-HK"}, "zh-Hant", False),
        ({"lang": "en-GB"}, "en", False),
        ({"lang": "fr"}, "en", True),
        ({"lang": "<script>alert(1)</script>"}, "en", True),
    ],
)
def test_language_from_the_link(params, lang, notice):
    found, notices = parse_language(params)
    assert found == lang
    assert bool(notices) == notice
    _, others = parse_query(params, CHOICES)
    assert others == []  # lang is a known parameter


def test_language_goes_into_the_link_unless_english():
    assert to_query(Filters(countries=("NL",)), "zh-Hant") == {"country": "NL", "lang": "zh-Hant"}
    # An old code is written as the canonical one.
    assert to_query(Filters(countries=("NL",)), "zh") == {"country": "NL", "lang": "zh-Hans"}
    assert to_query(Filters(countries=("NL",)), "en") == {"country": "NL"}


@pytest.mark.parametrize("value", ["2030-01-01", "2015-12-31", "1900-01-01"])
def test_asof_outside_the_offered_days_gives_a_notice(value):
    filters, notices = parse_query({"asof": value}, CHOICES, today=dt.date(2026, 11, 27))
    assert filters.as_of is None
    assert [n.key for n in notices] == ["asof_range"]


def test_a_reversed_date_range_is_swapped_with_a_notice():
    filters, notices = parse_query({"from": "2024", "to": "2022-09"}, CHOICES)
    assert (filters.date_from, filters.date_to) == ("2022-09", "2024")
    assert [n.key for n in notices] == ["dates_swapped"]


@pytest.mark.parametrize(
    ("params", "tiles", "words"),
    [
        ({}, True, None),
        ({"tiles": "0"}, False, None),
        ({"tiles": "1"}, True, None),
        ({"tiles": "maybe"}, False, "tiles='maybe'"),  # in doubt, no tiles
    ],
)
def test_tiles_parameter(params, tiles, words):
    display, notices = parse_display(params)
    assert display.tiles is tiles
    assert (words in str(notices[0])) if words else notices == []


@pytest.mark.parametrize(
    ("value", "frame"),
    [
        ("51.9225,4.4792,9", MapFrame(51.9225, 4.4792, 9)),
        ("0,0,40", MapFrame(0.0, 0.0, 18)),  # zoom clamped to what the map offers
        ("95,0,3", None),
        ("1,2", None),
        ("a,b,c", None),
        ("<script>,1,2", None),
    ],
)
def test_map_frame_parameter(value, frame):
    display, notices = parse_display({"map": value})
    assert display.frame == frame
    assert (notices == []) is (frame is not None)


def test_display_and_embedding_parameters_round_trip():
    display = Display("zh-Hans", False, MapFrame(51.9225, 4.4792, 9), embed=True)
    query = to_query(Filters(countries=("NL",)), display=display, keep={"embed": "true"})
    assert query == {
        "country": "NL",
        "lang": "zh-Hans",
        "tiles": "0",
        "map": "51.9225,4.4792,9",
        "mode": "embed",
        "embed": "true",
    }
    parsed, notices = parse_query(query, CHOICES)
    assert parsed == Filters(countries=("NL",))
    assert notices == []  # embed is Streamlit's: accepted, never "unknown"
    assert parse_display(query)[0] == display


@pytest.mark.parametrize(
    ("value", "embed", "said"),
    [("embed", True, False), ("EMBED ", True, False), ("full", False, True), ("", False, True)],
)
def test_the_embed_is_asked_by_mode_embed_and_any_other_mode_is_said(value, embed, said):
    display, notices = parse_display({"mode": value})
    assert display.embed is embed
    assert bool(notices) is said
    assert parse_display({})[0].embed is False
    # Streamlit's own embed parameter does not reach the app: it does not ask for ours.
    assert parse_display({"embed": "true"})[0].embed is False


def test_every_filter_field_has_one_declared_parameter():
    from dataclasses import fields

    from dashboard.filters import FILTERS

    assert sorted(f for kind in FILTERS for f in kind.fields) == sorted(
        f.name for f in fields(Filters)
    )
    names = [param.name for kind in FILTERS for param in kind.params]
    assert len(names) == len(set(names))
