"""The filter state as a query string, and back: parse with notices, serialise canonically.

`?country=NL,CA&status=closed&bureau=Fuzhou&rtype=closure_order&q=text&from=2022-09
&to=2023-12&station=nl-rotterdam-1&asof=2023-01-01&near=Amsterdam&km=50&lang=zh`.
Unknown parameters and values are dropped with a notice; the rest applies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dashboard.data import show_value
from dashboard.filters import EARLIEST_AS_OF, Filters, period
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, msg
from dashboard.places import DEFAULT_KM, MAX_KM

MAX_QUERY_LENGTH = 200
MAX_PARAM_VALUES = 300
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")

LIST_PARAMS = {
    "country": "countries",
    "status": "statuses",
    "bureau": "bureaus",
    "rtype": "response_types",
}
KNOWN_PARAMS = (*LIST_PARAMS, "q", "from", "to", "station", "asof", "near", "km", "lang")
MAX_PLACE_LENGTH = 100
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Choices:
    """The values a link may name, taken from the loaded data and the schema."""

    countries: frozenset[str]
    statuses: frozenset[str]
    bureaus: frozenset[str]
    response_types: frozenset[str]
    stations: frozenset[str]


def _values(raw: str | Sequence[str]) -> list[str]:
    """All comma-separated values of a parameter given once or several times."""
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return out[:MAX_PARAM_VALUES]


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        period(value)
    except ValueError:
        return False
    return True


def parse_query(
    params: Mapping[str, str | Sequence[str]], choices: Choices, today: dt.date | None = None
) -> tuple[Filters, list[Msg]]:
    """Filters from query parameters, and a notice for everything that was dropped."""
    today = today or dt.date.today()
    notices: list[Msg] = []
    for name in params:
        if name not in KNOWN_PARAMS:
            notices.append(msg("unknown_param", name=show_value(name)))
    lists: dict[str, tuple[str, ...]] = {}
    allowed_by_field = {
        "countries": choices.countries,
        "statuses": choices.statuses,
        "bureaus": choices.bureaus,
        "response_types": choices.response_types,
    }
    for param, field in LIST_PARAMS.items():
        if param not in params:
            continue
        wanted = _values(params[param])
        if param == "country":
            wanted = [v.upper() for v in wanted]
        allowed = allowed_by_field[field]
        kept = tuple(dict.fromkeys(v for v in wanted if v in allowed))
        dropped = [v for v in wanted if v not in allowed]
        if dropped:
            shown = ", ".join(show_value(v) for v in dropped[:5])
            notices.append(msg("unknown_values", param=param, values=shown))
        lists[field] = kept
    query = ""
    if "q" in params:
        query = " ".join(_last(params["q"]).split())
        if len(query) > MAX_QUERY_LENGTH:
            query = query[:MAX_QUERY_LENGTH]
            notices.append(msg("query_cut", limit=MAX_QUERY_LENGTH))
    dates: dict[str, str | None] = {"from": None, "to": None}
    for name in dates:
        if name in params:
            value = _last(params[name]).strip()
            if _valid_date(value):
                dates[name] = value
            else:
                notices.append(msg("bad_date", name=name, value=show_value(value)))
    if dates["from"] and dates["to"] and period(dates["from"])[0] > period(dates["to"])[1]:
        notices.append(msg("dates_swapped", low=dates["to"], high=dates["from"]))
        dates["from"], dates["to"] = dates["to"], dates["from"]
    as_of = None
    if "asof" in params:
        value = _last(params["asof"]).strip()
        if not (_DAY.fullmatch(value) and _valid_date(value)):
            notices.append(msg("bad_asof", value=show_value(value)))
        elif not EARLIEST_AS_OF <= dt.date.fromisoformat(value) <= today:
            notices.append(
                msg("asof_range", value=value, low=EARLIEST_AS_OF.isoformat(), high=today)
            )
        else:
            as_of = value
    near, km = None, None
    if "near" in params:
        near = " ".join(_last(params["near"]).split())[:MAX_PLACE_LENGTH] or None
    if "km" in params:
        value = _last(params["km"]).strip()
        try:
            km = float(value)
        except ValueError:
            km = None
        if km is None or not (0 < km <= MAX_KM) or km != km:
            notices.append(msg("bad_km", value=show_value(value)))
            km = None
    if near and km is None:
        km = DEFAULT_KM
    if km is not None and not near:
        km = None
    station = None
    if "station" in params:
        value = _last(params["station"]).strip()
        if value in choices.stations:
            station = value
        else:
            notices.append(msg("bad_station", value=show_value(value)))
    filters = Filters(
        countries=lists.get("countries", ()),
        statuses=lists.get("statuses", ()),
        bureaus=lists.get("bureaus", ()),
        response_types=lists.get("response_types", ()),
        query=query,
        date_from=dates["from"],
        date_to=dates["to"],
        station=station,
        as_of=as_of,
        near=near,
        km=km,
    )
    return filters, notices


def parse_language(params: Mapping[str, str | Sequence[str]]) -> tuple[str, list[Msg]]:
    """The interface language a link asks for (`lang=zh`), else English with a notice."""
    if "lang" not in params:
        return DEFAULT_LANGUAGE, []
    value = _last(params["lang"]).strip()
    # zh-CN, zh_Hans, EN-gb...: the language part decides (Chinese is shown in Simplified).
    base = value.lower().replace("_", "-").split("-")[0]
    if base in LANGUAGES:
        return base, []
    return DEFAULT_LANGUAGE, [msg("bad_lang", value=show_value(value))]


def _last(raw: str | Sequence[str]) -> str:
    if isinstance(raw, str):
        return raw
    return str(raw[-1]) if raw else ""


def _join(values: Iterable[str]) -> str:
    return ",".join(values)


def to_query(filters: Filters, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The canonical query parameters for a filter state and language (defaults left out)."""
    out: dict[str, str] = {}
    for param, field in LIST_PARAMS.items():
        values = getattr(filters, field)
        if values:
            out[param] = _join(values)
    if filters.query:
        out["q"] = filters.query
    if filters.date_from:
        out["from"] = filters.date_from
    if filters.date_to:
        out["to"] = filters.date_to
    if filters.station:
        out["station"] = filters.station
    if filters.as_of:
        out["asof"] = filters.as_of
    if filters.near:
        out["near"] = filters.near
        out["km"] = f"{filters.km:g}"
    if lang != DEFAULT_LANGUAGE and lang in LANGUAGES:
        out["lang"] = lang
    return out
