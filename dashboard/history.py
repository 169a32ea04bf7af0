"""A station's status over time, derived from the data, and the whole table as of a date.

The rules are written in data/README.md ("Status history").
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.filters import EARLIEST_AS_OF, period
from dashboard.i18n import DEFAULT_LANGUAGE, response_label, t
from dashboard.panels import _by_date, sources_of

# How a government response moves a station's status in its derived history (see "Status
# history" in data/README.md). Responses of other types are context, not status changes.
STATUS_AFTER = {
    "investigation": "investigating",
    "raid": "investigating",
    "closure_order": "closed",
    "closure": "closed",
    "denial": "denied",
    "investigation_closed": "investigation_closed",
}
# These concern people; they prosecute a station only when the response names the station.
STATION_ONLY = {"arrest": "prosecuted", "charge": "prosecuted", "conviction": "prosecuted"}


def _reported_month(first_reported: object) -> dt.date:
    return period(str(first_reported))[0].replace(day=1)


def _new_status(
    kind: str, about: str, ends: dt.date, station: str, reported: dt.date
) -> str | None:
    """The status a response gives one station (rules 2 to 4 in data/README.md), or None.

    `about` is the response's station id ('' for the whole country), `ends` the last day its
    date may mean, `reported` the first day of the month the station was first reported.
    """
    if about and about != station:
        return None  # about another station
    if not about and ends < reported:
        return None  # about the country's other stations, before this one was reported
    return STATUS_AFTER.get(kind) or (STATION_ONLY.get(kind) if about else None)


def status_history(
    record: dict[str, object], responses: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
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
    for r in _by_date(responses.loc[mine]).itertuples():
        about = "" if pd.isna(r.station_id) else str(r.station_id)
        ends = period(str(r.date))[1]
        status = _new_status(str(r.response_type), about, ends, station, reported)
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

    Same rules as `status_history` (`_new_status`), for every station at once: the responses
    made by then are read once and grouped by country, instead of once per station.
    """
    ends = stations["first_reported_date"].map(lambda v: period(str(v))[1])
    known = stations.loc[(ends <= day).to_numpy()]
    events: dict[str, list[tuple[str, str, dt.date, str]]] = {}
    for r in _by_date(responses).itertuples(index=False):
        end = period(str(r.date))[1]
        if end <= day:
            about = "" if pd.isna(r.station_id) else str(r.station_id)
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
            new_status = _new_status(kind, about, end, str(sid), reported)
            if new_status is not None:
                status, date = new_status, when
        statuses.append(status)
        dates.append(date)
    return known.assign(
        status=pd.array(statuses, dtype=known["status"].dtype),
        status_date=pd.array(dates, dtype=known["status_date"].dtype),
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
