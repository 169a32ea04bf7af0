"""Filtering: each filter keeps exactly the stations a user would expect; each kind of filter
gives back from its link and its widgets the filters it was set to."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dashboard.filters import (
    FILTERS,
    SEARCH,
    SIDEBAR_FILTERS,
    ChoiceFilter,
    Filters,
    Param,
    PlaceFilter,
    WidgetContext,
    apply_filters,
    filters_from_widgets,
    month_of,
    months_between,
    period,
    showing_text,
    widget_values,
)
from dashboard.urlstate import parse_query, to_query
from tests.helpers import CHOICES

TODAY = dt.date(2026, 11, 27)
MONTHS = months_between("2022-01", "2026-11")
SEPT, DEC = "110 Overseas (2022-09)", "Patrol and Persuade (2022-12)"
# One view per kind of filter, set as a reader might set it.
EXAMPLES = [
    Filters(countries=("NL", "CA")),
    Filters(statuses=("closed", "reported")),
    Filters(bureaus=("Wenzhou",)),
    Filters(listed_in=(SEPT, "other")),
    Filters(response_types=("arrest", "closure_order")),
    Filters(query="Fuzhou police"),
    Filters(date_from="2022-09", date_to="2023-12"),
    Filters(as_of="2022-10-01"),
    Filters(since="2025-01-01"),
    Filters(near="Den Haag", km=12.5),
    Filters(station="nl-rotterdam-1"),
]


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


def test_every_kind_of_filter_has_an_example_view():
    assert all(any(kind.to_query(f) for f in EXAMPLES) for kind in FILTERS)


@pytest.mark.parametrize("filters", EXAMPLES)
def test_a_link_gives_back_the_view_it_was_made_from(filters):
    assert parse_query(to_query(filters), CHOICES, TODAY) == (filters, [])


@pytest.mark.parametrize("filters", [Filters(), *EXAMPLES])
def test_the_widgets_give_back_the_view_they_were_set_to(filters):
    assert filters_from_widgets(widget_values(filters, MONTHS), MONTHS) == filters


@pytest.mark.parametrize(
    ("date_from", "date_to", "slider", "shown"),
    [
        (None, None, ("2022-01", "2026-11"), (None, None)),
        ("2023", "2023", ("2023-01", "2023-12"), ("2023-01", "2023-12")),
        ("2022-09-12", None, ("2022-09", "2026-11"), ("2022-09", None)),
        ("2019", "2030-05", ("2022-01", "2026-11"), (None, None)),  # clamped to the slider
    ],
)
def test_the_month_slider_shows_a_range_by_its_months(date_from, date_to, slider, shown):
    values = widget_values(Filters(date_from=date_from, date_to=date_to), MONTHS)
    assert values["months"] == slider
    back = filters_from_widgets(values, MONTHS)
    assert (back.date_from, back.date_to) == shown


@pytest.mark.parametrize(
    ("near", "km", "applied"),
    [
        ("Paris", 25.0, 25.0),
        ("Paris", None, 50.0),  # a place alone: the default distance
        (None, 25.0, None),  # a distance alone means nothing
        ("", 25.0, None),
    ],
)
def test_a_distance_applies_only_with_a_place(near, km, applied):
    assert PlaceFilter.applied_km(near, km) == applied


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(listed_in=("other",)), {"gb-belfast-1", "ca-montreal-1", "us-houston-1"}),
        (
            Filters(listed_in=(DEC,)),
            {
                "it-milan-2", "it-country-1", "us-country-1", "ru-country-1", "kr-seoul-1",
                "au-sydney-1", "za-country-1",
            },
        ),
        (Filters(listed_in=("other",), countries=("US",)), {"us-houston-1"}),
        (Filters(listed_in=(SEPT,), bureaus=("Lishui",)), {"nl-amsterdam-1"}),
    ],
)  # fmt: skip
def test_listed_in_keeps_the_stations_of_the_chosen_sources(stations, filters, kept):
    assert ids(apply_filters(stations, filters)) == kept


def test_as_of_near_and_the_selection_leave_the_table_to_their_own_modules(stations):
    view = Filters(as_of="2022-10-01", near="Paris", km=25.0, station="nl-rotterdam-1")
    assert apply_filters(stations, view) is stations


@pytest.mark.parametrize(
    ("filters", "parts"),
    [
        (Filters(countries=("NL", "CA")), ["country-NL-CA"]),
        (Filters(listed_in=(SEPT, "other")), ["listed-110-Overseas-2022-09-other"]),
        (Filters(query="../../etc/passwd"), ["q-etc-passwd"]),
        (Filters(date_from="2022-09", date_to="2023"), ["from-2022-09", "to-2023"]),
        (Filters(as_of="2022-10-01"), ["asof-2022-10-01"]),
        (Filters(near="Den Haag", km=12.5), ["near-Den-Haag", "km-12.5"]),
        (Filters(km=12.5), []),  # a distance without a place names nothing
        (Filters(station="nl-rotterdam-1"), []),
    ],
)
def test_each_filter_names_itself_in_export_file_names(filters, parts):
    assert [p for kind in FILTERS for p in kind.file_parts(filters)] == parts


class FakeUI:
    """Stands in for Streamlit: records the key of each widget drawn on it."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def columns(self, spec: list[int]) -> list[FakeUI]:
        return [self for _ in spec]

    def __getattr__(self, name: str):
        return lambda label, **options: self.keys.append(options["key"])


CONTEXT = WidgetContext(
    "zh", MONTHS, TODAY, CHOICES, {"NL": "Netherlands", "CA": "Canada"}, {"NL": 2}
)


@pytest.mark.parametrize("kind", [*SIDEBAR_FILTERS, SEARCH], ids=lambda kind: kind.fields[0])
def test_each_drawn_filter_draws_the_widgets_its_values_fill(kind):
    ui = FakeUI()
    kind.draw(ui, CONTEXT)
    assert sorted(ui.keys) == sorted(kind.widget_values(Filters(), MONTHS))


def test_the_sidebar_draws_every_filter_but_the_search_box_and_the_station():
    drawn = {key for kind in SIDEBAR_FILTERS for key in kind.widget_values(Filters(), MONTHS)}
    assert drawn == set(widget_values(Filters(), MONTHS)) - {"query", "station"}


def test_country_options_go_by_name_and_show_their_station_count():
    countries = next(kind for kind in FILTERS if kind.fields == ("countries",))
    assert isinstance(countries, ChoiceFilter)
    assert countries.options(CONTEXT) == ["CA", "IE", "NL"]  # IE: not named, by its code
    assert countries.word("NL", replace(CONTEXT, lang="en")) == "Netherlands (2)"


@pytest.mark.parametrize(("lang", "word"), [("zh", "荷兰 (2)"), ("zh-Hant", "荷蘭 (2)")])
def test_country_options_are_named_in_the_page_language_from_cldr(lang, word):
    countries = next(kind for kind in FILTERS if kind.fields == ("countries",))
    assert isinstance(countries, ChoiceFilter)
    assert countries.word("NL", replace(CONTEXT, lang=lang)) == word


def test_a_listed_option_is_named_in_the_page_language():
    listed = next(kind for kind in FILTERS if kind.fields == ("listed_in",))
    assert isinstance(listed, ChoiceFilter)
    assert [listed.word(code, CONTEXT) for code in listed.options(CONTEXT)] == [
        "《110 Overseas》（2022 年 9 月）",
        "《Patrol and Persuade》（2022 年 12 月）",
        "其他来源",
    ]


def test_a_list_value_with_a_comma_is_refused_as_links_separate_values_by_commas():
    with pytest.raises(AssertionError):
        ChoiceFilter("x", Param("x", "x=a", "a"), "x", column="x", word=str, values=("a,b",))


def test_a_since_day_marks_and_filters_nothing_nor_names_the_file(stations):
    from dashboard.export import export_filename

    assert len(apply_filters(stations, Filters(since="2025-01-01"))) == len(stations)
    name = export_filename(Filters(since="2025-01-01"), TODAY)
    assert "since" not in name
