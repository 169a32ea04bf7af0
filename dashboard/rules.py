"""The rules about government responses, in one place: how strong each kind is (tiers, strongest
response per country) and which kinds move a station's status in its derived history.

Written out for readers in data/README.md ("Country layer" and "Status history").
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.filters import period
from dashboard.schema import RESPONSE_TYPE_DEFINITIONS

# How strong a government's response was, strongest first: the country layer's shades and the
# "strongest response" column.
RESPONSE_TIERS: dict[str, tuple[str, ...]] = {
    "prosecution": ("conviction", "charge"),
    "police": ("arrest", "raid"),
    "closure": ("closure_order", "closure", "expulsion"),
    "investigation": ("investigation", "investigation_closed"),
    "words": ("statement", "parliamentary_question", "diplomatic_protest", "cooperation_agreement"),
    "denial": ("denial",),
}
NO_RESPONSE = "none"
assert sorted(sum(RESPONSE_TIERS.values(), ())) == sorted(RESPONSE_TYPE_DEFINITIONS)
TIER_OF = {kind: tier for tier, kinds in RESPONSE_TIERS.items() for kind in kinds}
_TIER_RANK = {tier: rank for rank, tier in enumerate(RESPONSE_TIERS)}

# How a response moves a station's status in its derived history. Other types are context.
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


def tier_rank(tier: str) -> int:
    """0 for the strongest tier; `NO_RESPONSE` and unknown tiers rank last."""
    return _TIER_RANK.get(tier, len(_TIER_RANK))


def strongest_responses(responses: pd.DataFrame) -> dict[str, str]:
    """Each country code's strongest response tier among `responses`."""
    best: dict[str, int] = {}
    # A plain loop: responses are few (hundreds), and pandas' per-call overhead would dominate.
    for code, kind in zip(
        responses["country_code"].tolist(), responses["response_type"].tolist(), strict=True
    ):
        tier = TIER_OF.get(str(kind))
        if tier is not None:
            rank = _TIER_RANK[tier]
            best[str(code)] = min(rank, best.get(str(code), rank))
    order = list(RESPONSE_TIERS)
    return {code: order[rank] for code, rank in best.items()}


def new_status(kind: str, about: str, ends: dt.date, station: str, reported: dt.date) -> str | None:
    """The status a response gives one station (rules 2 to 4 of "Status history"), or None.

    `about` is the response's station id ('' for the whole country), `ends` the last day its
    date may mean, `reported` the first day of the month the station was first reported.
    """
    if about and about != station:
        return None  # about another station
    if not about and ends < reported:
        return None  # about the country's other stations, before this one was reported
    return STATUS_AFTER.get(kind) or (STATION_ONLY.get(kind) if about else None)


def date_key(value: object) -> str:
    """A sortable key for a partial date (undated last)."""
    try:
        return period(str(value or ""))[0].isoformat()
    except (ValueError, IndexError):
        return "9999"


def by_date(responses: pd.DataFrame) -> pd.DataFrame:
    """Responses oldest first (ties by id)."""
    keys = responses["date"].map(date_key)
    return responses.assign(_key=keys).sort_values(["_key", "response_id"]).drop(columns="_key")
