"""What changed since a day: stations first reported, status changes and government responses,
newest first. The feeds (`dashboard/feeds.py`) and the explorer's "What changed since" view read
the same selection.

Dates are the records' own (partial dates allowed: YYYY, YYYY-MM, YYYY-MM-DD), that is when a
thing happened, not when it entered the data. A partial date counts from its LAST day, as in
the "as of" view (`history.as_of`): a change is "since" a day when its last possible day is after
that day (a change on the day itself is not "since" it). So `changes_since(day)` is what
`as_of(day)` does not show yet: a response dated "2022-11" is a change since 2022-11-15 (it may
have come after it), and not since 2022-11-30. Changes are ordered by their first day, newest
first, as responses are ordered everywhere else (`rules.by_date`).

Because the dates are the events', "since the previous version" (`since_previous_version`) means
events after that release day: a row added in a version about an older event is not among them
(the changelog's own entries name those rows).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from dashboard.filters import country_names, period
from dashboard.history import status_history
from dashboard.i18n import DEFAULT_LANGUAGE, response_label
from dashboard.panels import sources_of
from dashboard.schema import STATUS_DEFINITIONS, StationRecord, record_of
from dashboard.versions import Release, releases

ChangeKind = Literal["reported", "status", "response"]
# Among changes of the same day, the order they happened: a report, a response, the status it
# gave (newest first shows them the other way round).
_KIND_ORDER: dict[str, int] = {"reported": 0, "response": 1, "status": 2}


@dataclass(frozen=True)
class Change:
    """One thing that happened, as plain text; `key` names it the same way in every build."""

    kind: ChangeKind
    date: str  # the record's own date, possibly partial
    country_code: str
    station_id: str | None
    response_id: str | None
    title: str
    summary: str
    source_url: str
    key: str
    response_type: str | None = None  # the response's type, for kind "response"
    status: str | None = None  # the new status, for kind "status"
    recorded: str | None = None  # the data version that added or corrected its row, if marked so
    # What it is about, in the data's own words: the station's name, or "country: actor".
    subject: str = ""

    @property
    def first_day(self) -> dt.date:
        return period(self.date)[0]

    @property
    def last_day(self) -> dt.date:
        return period(self.date)[1]


def _optional(value: object) -> str | None:
    """A cell as text, or None when it is empty or missing."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return None if missing or str(value) == "" else str(value)


def is_since(date: str, since: dt.date | None) -> bool:
    """Whether a (possibly partial) date may come after `since`: its last day is later."""
    return since is None or period(date)[1] > since


def _reported(record: StationRecord) -> Change:
    sources = sources_of(record)
    who = record["first_reported_by"]
    return Change(
        kind="reported",
        date=str(record["first_reported_date"]),
        country_code=str(record["country_code"]),
        station_id=str(record["station_id"]),
        response_id=None,
        title=f"{record['name']}: first reported",
        summary=f"First reported by {who}. {record['summary']}",
        source_url=sources[0] if sources else "",
        key=f"reported:{record['station_id']}",
        subject=str(record["name"]),
    )


def _status_changes(record: StationRecord, responses: pd.DataFrame) -> list[Change]:
    """The steps of the station's derived history after its first report that change its
    status (a second step to the same status changes nothing and is left out)."""
    out: list[Change] = []
    steps = status_history(record, responses, DEFAULT_LANGUAGE)
    sid = str(record["station_id"])
    for before, step in itertools.pairwise(steps):
        if step["status"] == before["status"]:
            continue
        status = step["status"]
        meaning = STATUS_DEFINITIONS.get(status, "")
        out.append(
            Change(
                kind="status",
                date=step["date"],
                country_code=str(record["country_code"]),
                station_id=sid,
                response_id=None,
                title=f"{record['name']}: status {status}",
                summary=f"{step['event']}. Status {status}: {meaning}".strip(),
                source_url=step["source"],
                key=f"status:{sid}:{step['date']}:{status}",
                status=status,
                subject=str(record["name"]),
            )
        )
    return out


def _response(row: pd.Series, names: dict[str, str]) -> Change:
    code = str(row["country_code"])
    kind = str(row["response_type"])
    return Change(
        kind="response",
        date=str(row["date"]),
        country_code=code,
        station_id=_optional(row["station_id"]),
        response_id=str(row["response_id"]),
        title=f"{names.get(code, code)}: {response_label(kind, DEFAULT_LANGUAGE)} ({row['actor']})",
        summary=str(row["summary"]),
        source_url=_optional(row["source_url"]) or "",
        key=f"response:{row['response_id']}",
        response_type=kind,
        subject=f"{names.get(code, code)}: {row['actor']}",
    )


def newest_first(changes: list[Change]) -> list[Change]:
    """Newest first by first day; among equals a less precise date (later last day) first, then
    a status change before the response that gave it before a report; then by key, so the
    order is the same in every build."""
    ordered = sorted(changes, key=lambda c: c.key)
    return sorted(
        ordered,
        key=lambda c: (c.first_day, c.last_day, _KIND_ORDER[c.kind]),
        reverse=True,
    )


def changes_since(
    stations: pd.DataFrame, responses: pd.DataFrame, since: dt.date | None
) -> list[Change]:
    """Every change whose date may come after `since` (None: every change), newest first."""
    found: dict[str, Change] = {}
    for _, row in stations.iterrows():
        record = record_of(row.items())
        for change in [_reported(record), *_status_changes(record, responses)]:
            found.setdefault(change.key, change)
    names = country_names(stations)
    for _, row in responses.iterrows():
        change = _response(row, names)
        found.setdefault(change.key, change)
    return newest_first([c for c in found.values() if is_since(c.date, since)])


def since_previous_version(changelog_text: str) -> dt.date | None:
    """The release day of the version before the newest in the changelog, or None if it lists
    fewer than two versions."""
    found = releases(changelog_text)
    return dt.date.fromisoformat(found[1].date) if len(found) > 1 else None


def recorded_since(
    every: Sequence[Change], since: dt.date, entries: Sequence[Release]
) -> list[Change]:
    """Of `every` change, those of the rows the changelog added or corrected in versions
    released after `since` (a station by its first report, a response as itself), each with
    its version."""
    version_of: dict[str, str] = {}
    for entry in reversed(entries):  # oldest first: the newest version that names a row wins
        if dt.date.fromisoformat(entry.date) > since:
            for row_id in entry.ids("Added") | entry.ids("Changed"):
                version_of[row_id] = entry.version
    return [
        replace(change, recorded=version_of[row_id])
        for change in every
        for row_id in [change.response_id or change.station_id or ""]
        if row_id in version_of and change.kind != "status"
    ]


def marked_since(
    stations: pd.DataFrame,
    responses: pd.DataFrame,
    since: dt.date,
    entries: Sequence[Release] = (),
) -> list[Change]:
    """What the explorer marks for "what changed since": the changes dated after `since`, and
    the rows recorded in versions released after it (a row both dated and recorded after it is
    listed once, with its version), newest first."""
    every = changes_since(stations, responses, None)
    found = {c.key: c for c in every if is_since(c.date, since)}
    for change in recorded_since(every, since, entries):
        found[change.key] = change
    return newest_first(list(found.values()))
