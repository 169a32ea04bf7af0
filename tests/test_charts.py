"""The side panel's charts, read from their Vega-Lite specs."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, panels
from dashboard.i18n import t
from dashboard.panels import TIER_NAMES
from tests.helpers import response, station

# Two Dutch stations, three Italian, one Irish: the chart's bars in that order of size.
STATIONS = pd.DataFrame(
    [station(station_id=f"nl-{i}") for i in range(2)]
    + [station(station_id=f"it-{i}", country="Italy", country_code="IT") for i in range(3)]
    + [station(station_id="ie-1", country="Ireland", country_code="IE")]
)
RESPONSES = pd.DataFrame(
    [
        response(),
        response(response_id="nl-r02", date="2022-10-01", response_type="investigation"),
        response(response_id="nl-r03", date="2023-01", response_type="conviction"),
    ]
)


def rows(spec: dict) -> list[dict]:
    """The chart's data as the spec carries it."""
    return spec["datasets"][spec["data"]["name"]]


def per_country(lang: str = "en") -> dict:
    return charts.per_country_spec(panels.stations_per_country(STATIONS), lang)


def per_year(lang: str = "en") -> dict:
    return charts.per_year_spec(panels.responses_per_year(RESPONSES, lang), lang)


def test_countries_are_sorted_by_their_number_of_stations():
    spec = per_country()
    assert [(r["country"], r["stations"]) for r in rows(spec)] == [
        ("Italy", 3),
        ("Netherlands", 2),
        ("Ireland", 1),
    ]
    assert spec["encoding"]["y"]["sort"] == "-x"  # the bars keep that order, longest on top


@pytest.mark.parametrize(
    ("chart", "axis"), [(per_country, "x"), (per_year, "y")], ids=["per_country", "per_year"]
)
def test_counts_are_whole_numbers(chart, axis):
    assert chart()["encoding"][axis]["axis"] == {"format": "d", "tickMinStep": 1}


@pytest.mark.parametrize(
    ("chart", "lang", "title", "tooltips"),
    [
        (per_country, "en", "Stations per country (filtered)", ["country", "stations"]),
        (per_country, "zh", "各国服务站数量（已筛选）", ["国家", "服务站"]),
        (per_year, "en", "Government responses per year", ["year", "Type", "responses"]),
        (per_year, "zh", "每年政府回应数量", ["年份", "类型", "回应"]),
    ],
)
def test_titles_and_tooltips_are_in_the_readers_language(chart, lang, title, tooltips):
    spec = chart(lang)
    assert spec["title"] == title
    assert [tip["title"] for tip in spec["encoding"]["tooltip"]] == tooltips


def test_responses_are_counted_per_year_and_strength():
    counts = {(r["year"], r["type"]): r["responses"] for r in rows(per_year())}
    assert counts == {
        ("2022", "Closure, closure order or expulsion"): 1,
        ("2022", "Investigation"): 1,
        ("2023", "Charges or conviction"): 1,
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_strength_has_its_own_colour_named_strongest_first(lang):
    colour = per_year(lang)["encoding"]["color"]
    assert colour["scale"]["domain"] == [t(f"tier_{code}", lang) for code in TIER_NAMES]
    assert len(set(colour["scale"]["range"])) == len(TIER_NAMES)
    assert colour["legend"]["labelLimit"] == 0  # legend labels are never clipped
    assert per_year(lang)["encoding"]["order"] == {"field": "order", "type": "quantitative"}
