"""The view as a query string, and back: parse with notices, serialise canonically.

Every filter's parameter comes from `filters.FILTERS`; the other view parameters (language,
tiles, the map's own frame) and Streamlit's embedding parameters are declared here. Unknown
parameters and values are dropped with a notice; the rest applies.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.data import show_value
from dashboard.filters import EARLIEST_AS_OF, FILTERS, Filter, Filters, Param, period
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, Msg, msg
from dashboard.places import DEFAULT_KM, MAX_KM

MAX_QUERY_LENGTH = 200
MAX_PARAM_VALUES = 300
MAX_PLACE_LENGTH = 100
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_MAP_ZOOM, MAX_MAP_ZOOM = 1, 18


@dataclass(frozen=True)
class Choices:
    """The values a link may name, taken from the loaded data and the schema (named like the
    `Filters` fields they allow)."""

    countries: frozenset[str]
    statuses: frozenset[str]
    bureaus: frozenset[str]
    response_types: frozenset[str]
    stations: frozenset[str]


@dataclass(frozen=True)
class MapFrame:
    """Where the map looks: centre and zoom (the `map` parameter, set when a reader moved it)."""

    latitude: float
    longitude: float
    zoom: int

    def to_param(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom}"


@dataclass(frozen=True)
class Display:
    """How the view is shown, apart from its filters."""

    lang: str = DEFAULT_LANGUAGE
    tiles: bool = True
    frame: MapFrame | None = None


# The parameters that are not filters, for the README's link table.
DISPLAY_PARAMS = (
    Param(
        "lang",
        "lang=zh",
        "interface language: `en` (default, left out of links) or `zh` (简体中文)",
    ),
    Param(
        "tiles",
        "tiles=0",
        "`0`: no map tiles at all (nothing is asked of a tile server; the "
        "offline outlines stay); `1` (default, left out): OpenStreetMap tiles",
    ),
    Param(
        "map",
        "map=51.9225,4.4792,9",
        "the map's own frame as `latitude,longitude,zoom`, "
        "written when a reader moves the map; without it the map fits the stations shown",
    ),
    Param(
        "embed",
        "embed=true",
        "Streamlit's embedding mode (no header or menu), for an "
        "`<iframe>`; works with every other parameter",
    ),
)
# Streamlit reads these itself; they are accepted and kept, never reported as unknown.
STREAMLIT_PARAMS = ("embed", "embed_options")
KNOWN_PARAMS = (
    *(f.param.name for f in FILTERS),
    *(p.name for p in DISPLAY_PARAMS),
    *STREAMLIT_PARAMS,
)


def _values(raw: str | Sequence[str]) -> list[str]:
    """All comma-separated values of a parameter given once or several times."""
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return out[:MAX_PARAM_VALUES]


def _last(raw: str | Sequence[str]) -> str:
    if isinstance(raw, str):
        return raw
    return str(raw[-1]) if raw else ""


def _valid_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        period(value)
    except ValueError:
        return False
    return True


# One parser per kind of filter: (filter, raw value, choices, today) -> (value, notices).
Parser = Callable[[Filter, "str | Sequence[str]", Choices, dt.date], tuple[Any, list[Msg]]]


def _parse_choices(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    wanted = _values(raw)
    if spec.param.name == "country":
        wanted = [v.upper() for v in wanted]
    allowed = getattr(choices, spec.field)
    kept = tuple(dict.fromkeys(v for v in wanted if v in allowed))
    dropped = [v for v in wanted if v not in allowed]
    notices = []
    if dropped:
        shown = ", ".join(show_value(v) for v in dropped[:5])
        notices.append(msg("unknown_values", param=spec.param.name, values=shown))
    return kept, notices


def _parse_text(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    query = " ".join(_last(raw).split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH], [msg("query_cut", limit=MAX_QUERY_LENGTH)]
    return query, []


def _parse_date(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    value = _last(raw).strip()
    if _valid_date(value):
        return value, []
    return None, [msg("bad_date", name=spec.param.name, value=show_value(value))]


def _parse_day(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    value = _last(raw).strip()
    if not (_DAY.fullmatch(value) and _valid_date(value)):
        return None, [msg("bad_asof", value=show_value(value))]
    if not EARLIEST_AS_OF <= dt.date.fromisoformat(value) <= today:
        return None, [msg("asof_range", value=value, low=EARLIEST_AS_OF.isoformat(), high=today)]
    return value, []


def _parse_place(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    return " ".join(_last(raw).split())[:MAX_PLACE_LENGTH] or None, []


def _parse_km(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    value = _last(raw).strip()
    try:
        km = float(value)
    except ValueError:
        km = math.nan
    if not 0 < km <= MAX_KM:  # NaN fails too
        return None, [msg("bad_km", value=show_value(value))]
    return km, []


def _parse_station(spec: Filter, raw: str | Sequence[str], choices: Choices, today: dt.date):
    value = _last(raw).strip()
    if value in choices.stations:
        return value, []
    return None, [msg("bad_station", value=show_value(value))]


PARSERS: dict[str, Parser] = {
    "choices": _parse_choices,
    "text": _parse_text,
    "date": _parse_date,
    "day": _parse_day,
    "place": _parse_place,
    "km": _parse_km,
    "station": _parse_station,
}
assert {f.kind for f in FILTERS} == set(PARSERS)


def parse_query(
    params: Mapping[str, str | Sequence[str]], choices: Choices, today: dt.date | None = None
) -> tuple[Filters, list[Msg]]:
    """Filters from query parameters, and a notice for everything that was dropped."""
    today = today or dt.date.today()
    notices: list[Msg] = [
        msg("unknown_param", name=show_value(name)) for name in params if name not in KNOWN_PARAMS
    ]
    values: dict[str, Any] = {}
    for spec in FILTERS:
        if spec.param.name in params:
            value, said = PARSERS[spec.kind](spec, params[spec.param.name], choices, today)
            notices += said
            if value is not None:
                values[spec.field] = value
    low, high = values.get("date_from"), values.get("date_to")
    if low and high and period(low)[0] > period(high)[1]:
        notices.append(msg("dates_swapped", low=high, high=low))
        values["date_from"], values["date_to"] = high, low
    # A distance means something only with a place; a place alone takes the default distance.
    if values.get("near"):
        values.setdefault("km", DEFAULT_KM)
    else:
        values.pop("km", None)
    return Filters(**values), notices


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


def parse_tiles(params: Mapping[str, str | Sequence[str]]) -> tuple[bool, list[Msg]]:
    """Whether the link allows map tiles: `tiles=0` (or false/no/off) keeps the view tile-free."""
    if "tiles" not in params:
        return True, []
    value = _last(params["tiles"]).strip().lower()
    if value in ("0", "false", "no", "off"):
        return False, []
    if value in ("1", "true", "yes", "on"):
        return True, []
    # In doubt, the reader's privacy wins: no tiles.
    return False, [msg("bad_tiles", value=show_value(value))]


def parse_frame(params: Mapping[str, str | Sequence[str]]) -> tuple[MapFrame | None, list[Msg]]:
    """The map's own frame from `map=latitude,longitude,zoom`, if valid."""
    if "map" not in params:
        return None, []
    value = _last(params["map"]).strip()
    parts = value.split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
        valid = len(parts) == 3 and -85 <= lat <= 85 and -180 <= lon <= 180
    except (ValueError, IndexError):
        valid = False
    if not valid:
        return None, [msg("bad_map", value=show_value(value[:60]))]
    return MapFrame(lat, lon, max(MIN_MAP_ZOOM, min(MAX_MAP_ZOOM, zoom))), []


def parse_display(params: Mapping[str, str | Sequence[str]]) -> tuple[Display, list[Msg]]:
    lang, said_lang = parse_language(params)
    tiles, said_tiles = parse_tiles(params)
    frame, said_frame = parse_frame(params)
    return Display(lang, tiles, frame), [*said_lang, *said_tiles, *said_frame]


def _serialise(spec: Filter, value: Any) -> str:
    if spec.kind == "choices":
        return ",".join(value)
    if spec.kind == "km":
        return f"{value:g}"
    return str(value)


def to_query(
    filters: Filters,
    lang: str = DEFAULT_LANGUAGE,
    display: Display | None = None,
    keep: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The canonical query parameters of a view (defaults left out). `keep`: Streamlit's own
    parameters of the current link (`embed`...), carried over as they are."""
    out: dict[str, str] = {}
    for spec in FILTERS:
        value = getattr(filters, spec.field)
        if value and not (spec.field == "km" and not filters.near):
            out[spec.param.name] = _serialise(spec, value)
    display = display or Display(lang)
    if display.lang != DEFAULT_LANGUAGE and display.lang in LANGUAGES:
        out["lang"] = display.lang
    if not display.tiles:
        out["tiles"] = "0"
    if display.frame is not None:
        out["map"] = display.frame.to_param()
    for name in STREAMLIT_PARAMS:
        if keep and name in keep:
            out[name] = keep[name]
    return out


def link_table_markdown(params: Iterable[Param] | None = None) -> str:
    """The README's table of link parameters, made from the declarations."""
    rows = ["| parameter | example | meaning |", "| --- | --- | --- |"]
    for param in params or (*(f.param for f in FILTERS), *DISPLAY_PARAMS):
        rows.append(f"| `{param.name}` | `{param.example}` | {param.meaning} |")
    return "\n".join(rows) + "\n"
