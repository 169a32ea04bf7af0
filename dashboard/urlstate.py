"""The view as a query string, and back: parse with notices, serialise canonically.

Each filter's parameters are read and written by its kind in `filters.FILTERS`; the other view
parameters (language, tiles, the map's own frame) and Streamlit's embedding parameters are
declared here. Unknown parameters and values are dropped with a notice; the rest applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.data import show_value
from dashboard.filters import FILTERS, Choices, Filters, Param, last_value
from dashboard.i18n import DEFAULT_LANGUAGE, Msg, language, match_language, msg

MIN_MAP_ZOOM, MAX_MAP_ZOOM = 0, 18
EMBED_MODE = "embed"  # `mode=embed`: the article embed
Box = tuple[float, float, float, float]  # south, west, north, east


@dataclass(frozen=True)
class MapFrame:
    """Where the map looks: centre and zoom (the `map` parameter, set when a reader moved it).

    A frame fitted to the view carries the `box` it was fitted to (south, west, north, east),
    so that a map smaller than the one it was fitted for can widen it (map.js). The box is not
    part of the frame's identity: two frames are equal when they look at the same place."""

    latitude: float
    longitude: float
    zoom: int
    box: Box | None = field(default=None, compare=False)

    def to_param(self) -> str:
        return f"{self.latitude:.4f},{self.longitude:.4f},{self.zoom}"


@dataclass(frozen=True)
class Display:
    """How the view is shown, apart from its filters."""

    lang: str = DEFAULT_LANGUAGE
    tiles: bool = True
    frame: MapFrame | None = None
    embed: bool = False  # the article embed: the map and a station's details only


# The parameters that are not filters, for the README's link table.
DISPLAY_PARAMS = (
    Param(
        "lang",
        "lang=zh-Hant",
        "interface language: `en` (default, left out of links), `zh-Hans` (简体中文) or "
        "`zh-Hant` (繁體中文); `zh` is read as `zh-Hans`",
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
        "mode",
        "mode=embed",
        "the embed, for an `<iframe>` in an article: no sidebar, header or menu; the count, "
        "the map and a clicked station's details under it, and a link to the full explorer; "
        "works with every other parameter",
    ),
    Param(
        "embed",
        "embed=true",
        "Streamlit's own embedding mode (no header or menu, the rest of the page as usual); "
        "kept in links",
    ),
)
# Streamlit reads these itself; they are accepted and kept, never reported as unknown.
STREAMLIT_PARAMS = ("embed", "embed_options")
KNOWN_PARAMS = (
    *(param.name for kind in FILTERS for param in kind.params),
    *(p.name for p in DISPLAY_PARAMS),
    *STREAMLIT_PARAMS,
)


def parse_query(
    params: Mapping[str, str | Sequence[str]], choices: Choices, today: dt.date | None = None
) -> tuple[Filters, list[Msg]]:
    """Filters from query parameters, and a notice for everything that was dropped."""
    today = today or dt.date.today()
    notices: list[Msg] = [
        msg("unknown_param", name=show_value(name)) for name in params if name not in KNOWN_PARAMS
    ]
    values: dict[str, Any] = {}
    for kind in FILTERS:
        found, said = kind.parse(params, choices, today)
        values.update(found)
        notices += said
    return Filters(**values), notices


def parse_language(params: Mapping[str, str | Sequence[str]]) -> tuple[str, list[Msg]]:
    """The interface language a link asks for (`lang=zh-Hant`), as its canonical code, else
    English with a notice. Old links' `zh`, and zh-CN, zh_Hans, zh-TW, EN-gb..., are understood
    (`i18n.match_language`)."""
    if "lang" not in params:
        return DEFAULT_LANGUAGE, []
    value = last_value(params["lang"]).strip()
    found = match_language(value)
    if found is not None:
        return found, []
    return DEFAULT_LANGUAGE, [msg("bad_lang", value=show_value(value))]


def parse_tiles(params: Mapping[str, str | Sequence[str]]) -> tuple[bool, list[Msg]]:
    """Whether the link allows map tiles: `tiles=0` (or false/no/off) keeps the view tile-free."""
    if "tiles" not in params:
        return True, []
    value = last_value(params["tiles"]).strip().lower()
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
    value = last_value(params["map"]).strip()
    parts = value.split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
        valid = len(parts) == 3 and -85 <= lat <= 85 and -180 <= lon <= 180
    except (ValueError, IndexError):
        valid = False
    if not valid:
        return None, [msg("bad_map", value=show_value(value[:60]))]
    return MapFrame(lat, lon, max(MIN_MAP_ZOOM, min(MAX_MAP_ZOOM, zoom))), []


def parse_mode(params: Mapping[str, str | Sequence[str]]) -> tuple[bool, list[Msg]]:
    """Whether the link asks for the embed (`mode=embed`, any case). Streamlit's own `embed`
    parameter is hidden from the app (`st.query_params` leaves it out), so the embed has its
    own."""
    if "mode" not in params:
        return False, []
    value = last_value(params["mode"]).strip()
    if value.lower() == EMBED_MODE:
        return True, []
    return False, [msg("bad_mode", value=show_value(value[:40]))]


def parse_display(params: Mapping[str, str | Sequence[str]]) -> tuple[Display, list[Msg]]:
    lang, said_lang = parse_language(params)
    tiles, said_tiles = parse_tiles(params)
    frame, said_frame = parse_frame(params)
    embed, said_mode = parse_mode(params)
    said = [*said_lang, *said_tiles, *said_frame, *said_mode]
    return Display(lang, tiles, frame, embed), said


def to_query(
    filters: Filters,
    lang: str = DEFAULT_LANGUAGE,
    display: Display | None = None,
    keep: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The canonical query parameters of a view (defaults left out). `keep`: Streamlit's own
    parameters of the current link (`embed`...), carried over as they are."""
    out: dict[str, str] = {}
    for kind in FILTERS:
        out.update(kind.to_query(filters))
    display = display or Display(lang)
    if language(display.lang) != DEFAULT_LANGUAGE:
        out["lang"] = language(display.lang)
    if not display.tiles:
        out["tiles"] = "0"
    if display.frame is not None:
        out["map"] = display.frame.to_param()
    if display.embed:
        out["mode"] = EMBED_MODE
    for name in STREAMLIT_PARAMS:
        if keep and name in keep:
            out[name] = keep[name]
    return out


def link_table_markdown(params: Iterable[Param] | None = None) -> str:
    """The README's table of link parameters, made from the declarations."""
    rows = ["| parameter | example | meaning |", "| --- | --- | --- |"]
    for param in params or (*(p for kind in FILTERS for p in kind.params), *DISPLAY_PARAMS):
        rows.append(f"| `{param.name}` | `{param.example}` | {param.meaning} |")
    return "\n".join(rows) + "\n"
