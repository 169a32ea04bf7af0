"""Pure filtering of the stations table from a small filter spec."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import pandas as pd

from dashboard.i18n import t
from dashboard.schema import BUREAU_DEFINITIONS, RESPONSE_TYPE_DEFINITIONS, STATUS_DEFINITIONS

# The earliest "as of" day offered (before any station was reported).
EARLIEST_AS_OF = dt.date(2016, 1, 1)


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. Empty tuples and None mean "no restriction"."""

    countries: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    bureaus: tuple[str, ...] = ()
    response_types: tuple[str, ...] = ()
    query: str = ""
    date_from: str | None = None
    date_to: str | None = None
    station: str | None = None
    as_of: str | None = None
    near: str | None = None
    km: float | None = None

    def without_station(self) -> Filters:
        return replace(self, station=None)

    @property
    def is_empty(self) -> bool:
        return self.without_station() == Filters()


def period(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY, YYYY-MM or YYYY-MM-DD date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        start = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _date_mask(dates: pd.Series, date_from: str | None, date_to: str | None) -> pd.Series:
    """True where a (possibly partial) date's period overlaps the asked range."""
    low = period(date_from)[0] if date_from else dt.date.min
    high = period(date_to)[1] if date_to else dt.date.max
    # Decide once per distinct date (a few hundred at most), then look the answers up.
    keep = {}
    for value in dates.dropna().unique():
        start, end = period(str(value))
        keep[value] = end >= low and start <= high
    wanted = [value for value, ok in keep.items() if ok]
    return dates.isin(wanted).fillna(False).astype(bool)


SEARCHED_COLUMNS = ("name", "city", "address", "summary")


def _search_mask(stations: pd.DataFrame, needle: str, responses: object = None) -> pd.Series:
    hit = pd.Series(False, index=stations.index)
    for column in SEARCHED_COLUMNS:
        found = stations[column].str.contains(needle.strip(), case=False, regex=False)
        hit |= found.fillna(False).astype(bool)
    return hit


def _acting_mask(
    stations: pd.DataFrame, kinds: tuple[str, ...], responses: pd.DataFrame | None
) -> pd.Series:
    if responses is None:
        return pd.Series(True, index=stations.index)
    acting = responses.loc[responses["response_type"].isin(kinds)]
    return stations["country_code"].isin(set(acting["country_code"]))


# A filter's mask: the stations, its value, and the responses (for filters that read them).
Mask = Callable[[pd.DataFrame, Any, "pd.DataFrame | None"], pd.Series]


@dataclass(frozen=True)
class Param:
    """One link parameter, as the README's link table shows it."""

    name: str
    example: str
    meaning: str


@dataclass(frozen=True)
class Filter:
    """One filter, declared once: every other place (link, widgets, filtering, export file name,
    README) reads it from `FILTERS`.

    `field` is its attribute of `Filters` and the session-state key of its widget; `kind` says
    how its link value is parsed and which widget shows it; `mask` is None for the filters that
    change the table rather than select rows of it (as-of, near a place) or select nothing (the
    station); `file_part` names it in export file names.
    """

    field: str
    param: Param
    kind: str
    label: str
    mask: Mask | None = None
    file_part: Callable[[Any], str] | None = None


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", value).strip("-")[:40]


def _listed(param: str) -> Callable[[Any], str]:
    return lambda values: f"{param}-{_slug('-'.join(values))}"


FILTERS: tuple[Filter, ...] = (
    Filter(
        "countries",
        Param("country", "country=NL,CA", "ISO 3166-1 alpha-2 codes of the data, comma-separated"),
        "choices",
        "country",
        lambda s, v, r: s["country_code"].isin(v),
        _listed("country"),
    ),
    Filter(
        "statuses",
        Param(
            "status", "status=closed,prosecuted", ", ".join(f"`{s}`" for s in STATUS_DEFINITIONS)
        ),
        "choices",
        "status",
        lambda s, v, r: s["status"].isin(v),
        _listed("status"),
    ),
    Filter(
        "bureaus",
        Param("bureau", "bureau=Fuzhou", ", ".join(f"`{b}`" for b in BUREAU_DEFINITIONS)),
        "choices",
        "bureau",
        lambda s, v, r: s["operating_bureau"].isin(v),
        _listed("bureau"),
    ),
    Filter(
        "response_types",
        Param(
            "rtype",
            "rtype=closure_order",
            "countries whose government made a response of this type: "
            + ", ".join(f"`{k}`" for k in RESPONSE_TYPE_DEFINITIONS),
        ),
        "choices",
        "response_types",
        _acting_mask,
        _listed("rtype"),
    ),
    Filter(
        "query",
        Param(
            "q",
            "q=Chinatown",
            "free-text search of name, city, address and summary (at most 200 characters)",
        ),
        "text",
        "search",
        _search_mask,
        lambda value: f"q-{_slug(value)}",
    ),
    Filter(
        "date_from",
        Param(
            "from",
            "from=2022-09",
            "first reported in or after (`YYYY`, `YYYY-MM` or "
            "`YYYY-MM-DD`; a range given backwards is swapped, with a notice)",
        ),
        "date",
        "months",
        lambda s, v, r: _date_mask(s["first_reported_date"], v, None),
        lambda value: f"from-{value}",
    ),
    Filter(
        "date_to",
        Param("to", "to=2023-12", "first reported in or before (same forms as `from`)"),
        "date",
        "months",
        lambda s, v, r: _date_mask(s["first_reported_date"], None, v),
        lambda value: f"to-{value}",
    ),
    Filter(
        "as_of",
        Param(
            "asof",
            "asof=2022-10-01",
            "the view as it stood that day (2016-01-01 to today): "
            "only stations reported by then, each with the status its derived history had "
            "then; the map keeps its frame as the day changes",
        ),
        "day",
        "asof",
        None,
        lambda value: f"asof-{value}",
    ),
    Filter(
        "near",
        Param(
            "near",
            "near=Amsterdam",
            "stations within `km` of a place: a city of the data or of the offline gazetteer "
            "(any of its names, e.g. `near=米兰`, `near=Milano`; or with its country or US "
            "state, `near=Toronto, ON`), else looked up online (OpenStreetMap) by the server",
        ),
        "place",
        "near",
        None,
        lambda value: f"near-{_slug(value)}",
    ),
    Filter(
        "km",
        Param("km", "km=50", "the distance for `near`, in km (default 50, at most 20000)"),
        "km",
        "km",
        None,
        lambda value: f"km-{value:g}",
    ),
    Filter(
        "station",
        Param(
            "station",
            "station=nl-rotterdam-1",
            "select this station: the map opens on it "
            "(zoomed no closer than its location precision allows) and shows its details",
        ),
        "station",
        "station_details",
    ),
)
FILTER_BY_FIELD = {f.field: f for f in FILTERS}
assert set(FILTER_BY_FIELD) == {f.name for f in fields(Filters)}, "a Filters field lacks a Filter"


def apply_filters(
    stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The stations matching every given filter (as-of and near are applied by their own
    modules; the `station` selection does not filter).

    With no filter the input itself is returned (not a copy): callers never modify it.
    """
    mask: pd.Series | None = None
    for spec in FILTERS:
        value = getattr(filters, spec.field)
        if spec.mask is None or not value:
            continue
        kept = spec.mask(stations, value, responses)
        mask = kept if mask is None else mask & kept
    return stations if mask is None else stations.loc[mask]


def country_counts(stations: pd.DataFrame) -> dict[str, int]:
    """Stations per country code, largest first."""
    counts = stations["country_code"].value_counts()
    return {str(code): int(n) for code, n in counts.items()}


def showing_text(shown: pd.DataFrame, total: int, lang: str = "en") -> str:
    """The always-visible count line, e.g. `Showing 2 of 100 stations in 1 country`."""
    countries = shown["country_code"].nunique()
    key = "showing_one" if countries == 1 else "showing_many"
    return t(key, lang, shown=len(shown), total=total, countries=countries)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive, as YYYY-MM (inputs may be partial dates)."""
    start, end = period(first)[0], period(last)[0]
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_of(value: str, months: list[str], upper: bool = False) -> str:
    """The month of a partial date, clamped into `months` (a year means its first or last month)."""
    if len(value) == 4:
        value = f"{value}-12" if upper else f"{value}-01"
    return min(max(value[:7], months[0]), months[-1])
