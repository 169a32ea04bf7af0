"""A station's status over time, derived from the data, and the whole table as of a date.

The rules are written in data/README.md ("Status history").
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from dashboard.filters import EARLIEST_AS_OF, period
from dashboard.i18n import DEFAULT_LANGUAGE, response_label, t
from dashboard.panels import sources_of
from dashboard.rules import by_date, new_status
from dashboard.schema import StationRecord


def _reported_month(first_reported: object) -> dt.date:
    return period(str(first_reported))[0].replace(day=1)


def _text(value: object) -> str:
    """A cell as text; a missing one (None, NA, NaN) as ""."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value)


def status_history(
    record: StationRecord, responses: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> list[dict[str, str]]:
    """The station's status over time: its first report, then each dated response about it or
    its whole country that changes a status, oldest first (rules in data/README.md)."""
    steps = [
        {
            "date": str(record["first_reported_date"]),
            "status": "reported",
            "event": t("first_reported_by", lang, who=record["first_reported_by"]),
            "source": sources_of(record)[0] if sources_of(record) else "",
        }
    ]
    ids = responses["station_id"].fillna("")
    station = str(record["station_id"])
    mine = (ids == station) | ((ids == "") & (responses["country_code"] == record["country_code"]))
    reported = _reported_month(record["first_reported_date"])
    for r in by_date(responses.loc[mine]).itertuples():
        about = _text(r.station_id)
        ends = period(str(r.date))[1]
        status = new_status(str(r.response_type), about, ends, station, reported)
        if status is None:
            continue
        kind = response_label(str(r.response_type), lang)
        steps.append(
            {
                "date": str(r.date),
                "status": status,
                "event": f"{kind} ({r.actor})",
                "source": str(r.source_url),
            }
        )
    return steps


def as_of(stations: pd.DataFrame, responses: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The stations as they stood on `day`: only those surely reported by then (a partial date
    counts from its last day), each with the status and status date its history had then.

    Same rules as `status_history` (`rules.new_status`), for every station at once: the responses
    made by then are read once and grouped by country, instead of once per station.
    """
    ends = stations["first_reported_date"].map(lambda v: period(str(v))[1])
    known = stations.loc[(ends <= day).to_numpy()]
    events: dict[str, list[tuple[str, str, dt.date, str]]] = {}
    for r in by_date(responses).itertuples(index=False):
        end = period(str(r.date))[1]
        if end <= day:
            about = _text(r.station_id)
            events.setdefault(str(r.country_code), []).append(
                (str(r.response_type), about, end, str(r.date))
            )
    statuses, dates = [], []
    for sid, code, first in zip(
        known["station_id"], known["country_code"], known["first_reported_date"], strict=True
    ):
        reported = _reported_month(first)
        status, date = "reported", str(first)
        for kind, about, end, when in events.get(str(code), []):
            changed = new_status(kind, about, end, str(sid), reported)
            if changed is not None:
                status, date = changed, when
        statuses.append(status)
        dates.append(date)
    return known.assign(
        status=pd.Series(statuses, index=known.index, dtype=known["status"].dtype),
        status_date=pd.Series(dates, index=known.index, dtype=known["status_date"].dtype),
    )


def responses_by(responses: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The responses surely made by `day` (a partial date counts from its last day)."""
    ends = responses["date"].map(lambda v: period(str(v))[1])
    return responses.loc[(ends <= day).to_numpy()]


def step_month(day: dt.date | None, months: int, today: dt.date) -> dt.date | None:
    """The as-of day `months` months from `day` (None: today), the same day of the month where
    it exists; None once it reaches today (the present needs no as-of date)."""
    base = day or today
    index = base.year * 12 + base.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    moved = dt.date(year, month, min(base.day, (following - dt.timedelta(days=1)).day))
    return None if moved >= today else max(moved, EARLIEST_AS_OF)
