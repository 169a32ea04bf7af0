"""Pure filtering of the stations table from a small filter spec."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.i18n import t

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


def apply_filters(
    stations: pd.DataFrame, filters: Filters, responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The stations matching every given filter (the `station` selection does not filter).

    With no filter the input itself is returned (not a copy): callers never modify it.
    """
    if replace(filters, as_of=None, near=None, km=None).without_station() == Filters():
        return stations
    mask = pd.Series(True, index=stations.index)
    if filters.countries:
        mask &= stations["country_code"].isin(filters.countries)
    if filters.statuses:
        mask &= stations["status"].isin(filters.statuses)
    if filters.bureaus:
        mask &= stations["operating_bureau"].isin(filters.bureaus)
    if filters.response_types and responses is not None:
        acting = responses.loc[responses["response_type"].isin(filters.response_types)]
        mask &= stations["country_code"].isin(set(acting["country_code"]))
    if filters.date_from or filters.date_to:
        mask &= _date_mask(stations["first_reported_date"], filters.date_from, filters.date_to)
    needle = filters.query.strip()
    if needle:
        hit = pd.Series(False, index=stations.index)
        for column in SEARCHED_COLUMNS:
            found = stations[column].str.contains(needle, case=False, regex=False)
            hit |= found.fillna(False).astype(bool)
        mask &= hit
    return stations.loc[mask]


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
