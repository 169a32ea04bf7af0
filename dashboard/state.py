"""The page's state, owned in one place: the view's filters, the link, and the widgets kept in
step with both.

Every session-state key the page uses is named in `Key`. A filter's widget key is its field of
`Filters` (declared in `filters.FILTERS`), except the two-ended month slider (`months`, for
`date_from` and `date_to`). The link is read once per session, then written from the widgets.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import history, maps
from dashboard.data import show_value
from dashboard.filters import (
    FILTERS,
    ChoiceFilter,
    Filters,
    filters_from_widgets,
    widget_values,
)
from dashboard.i18n import Msg, language, msg
from dashboard.urlstate import (
    STREAMLIT_PARAMS,
    Choices,
    Display,
    MapFrame,
    parse_display,
    parse_query,
    to_query,
)


class Key:
    """Session-state keys that are not a filter's own field."""

    LANG = "lang"
    TILES = "tiles"
    FRAME = "frame"  # the map's frame when the reader moved it (MapFrame or None)
    PASSED = "passed_frame"  # the centre and zoom last handed to the map
    SYNCED = "synced_frame"  # the last handed frame the map reported back (it got there)
    FITTED_FOR = "fitted_for"  # the filters the fitted frame was made for
    MONTHS = "months"
    NOTICES = "notices"
    INITIALISED = "initialised"
    UPLOAD_ROUND = "upload_round"
    STATION_PICK = "station_pick"
    TABLE = "table"
    MAP = "map"
    PANEL = "panel"
    SHOWN_IDS = "shown_ids"
    KNOWN_IDS = "known_ids"
    LAST_CLICK = "last_click"
    CENTRE_ON = "centre_on"  # a station chosen outside the map: the map moves to it once
    CENTRED = "centred"  # the frame of the station the map was last centred on
    BASE_BUILT = "base_built"  # language, tiles and frame the map was built with (`base_map`)
    MAP_DRAWN = "map_drawn"  # the map has reported once: its stations are drawn
    FILTERS_ASKED = "filters_asked"  # the reader asked for the filters before the map drew
    PENDING = "pending"  # values for the sidebar's fields set from under the title
    SHOWN_FILTERS = "shown_filters"  # the filters of the view on the page
    MONTH_OPTIONS = "month_options"  # the month slider's options, first to last


# The page's parts that rerun on their own (`st.fragment` keys in app.py).
FILTERS_PART = "filters"
MAIN_PART = "main_area"  # everything under the title; holds MAP_PART
MAP_PART = "map_and_panels"
PARTS = (FILTERS_PART, MAIN_PART, MAP_PART)

LIST_FIELDS = tuple(kind.field for kind in FILTERS if isinstance(kind, ChoiceFilter))


def params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def start_display() -> Display:
    """The language, tiles and map frame: from the link on a session's first run."""
    if Key.LANG not in st.session_state:
        display, notices = parse_display(params())
        st.session_state[Key.LANG] = display.lang
        st.session_state[Key.TILES] = display.tiles
        st.session_state[Key.FRAME] = display.frame
        st.session_state["display_notices"] = notices
    return current_display()


def current_display() -> Display:
    return Display(
        language(st.session_state.get(Key.LANG)),
        bool(st.session_state.get(Key.TILES, True)),
        st.session_state.get(Key.FRAME),
    )


def start_filters(choices: Choices, months: list[str], today: dt.date) -> None:
    """Keep remembered values valid for the data in use; on a session's first run, take the
    filters from the link."""
    st.session_state[Key.KNOWN_IDS] = choices.stations
    st.session_state[Key.MONTH_OPTIONS] = months
    for field in LIST_FIELDS:
        if field in st.session_state:
            allowed = choices.allowed[field]
            st.session_state[field] = [v for v in st.session_state[field] if v in allowed]
    value = st.session_state.get(Key.MONTHS)
    if not (isinstance(value, tuple | list) and set(value) <= set(months)):
        st.session_state[Key.MONTHS] = (months[0], months[-1])
    if st.session_state.get("station") not in choices.stations:
        st.session_state["station"] = None
    if Key.INITIALISED not in st.session_state:
        linked, notices = parse_query(params(), choices, today)
        set_widgets(linked, months)
        if linked.station and st.session_state.get(Key.FRAME) is None:
            st.session_state[Key.CENTRE_ON] = linked.station
        st.session_state[Key.NOTICES] = [*st.session_state.get("display_notices", []), *notices]
        st.session_state[Key.INITIALISED] = True


def set_widgets(filters: Filters, months: list[str]) -> None:
    """Give every filter widget the value of `filters` (a link, or the reset)."""
    st.session_state.update(widget_values(filters, months))


def current_filters(months: list[str]) -> Filters:
    """The filters the widgets show now."""
    return filters_from_widgets(st.session_state, months)


def reset(months: list[str]) -> None:
    # Assign every widget its empty value (popping the keys would leave the widgets showing
    # their old choices while the filters were cleared).
    set_widgets(Filters(), months)
    st.session_state[Key.NOTICES] = []
    st.session_state[Key.FRAME] = None


def write_link(filters: Filters, display: Display) -> None:
    """Put the view into the address bar (only when it changed)."""
    current = params()
    keep = {name: current[name][-1] for name in STREAMLIT_PARAMS if current.get(name)}
    wanted = to_query(filters, display=display, keep=keep)
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def notices() -> list[Msg | str]:
    return list(st.session_state.get(Key.NOTICES, []))


def add_notice(notice: Msg) -> None:
    st.session_state[Key.NOTICES] = [*notices(), notice]


def set_as_of(day: dt.date) -> None:
    st.session_state["as_of"] = day


def set_near(name: str | None = None, km: float | None = None) -> None:
    """Take the suggested place ("Did you mean ...?") or a wider distance: buttons under the
    title for fields of the sidebar. The whole page runs next (`app.main_area`), where
    `apply_pending` sets them again."""
    pending = {k: v for k, v in (("near", name), ("km", km)) if v is not None}
    st.session_state.update(pending)
    st.session_state[Key.PENDING] = pending


def pending() -> bool:
    return bool(st.session_state.get(Key.PENDING))


def apply_pending() -> None:
    """Set again, in the whole-page run that draws the sidebar, what a button under the title
    set for the sidebar's fields. A field already on the page takes a new value only from the
    run that sets it; set in an earlier run, the field kept showing the old value and sent it
    back with the next run (the distance went back to 50 km after "Widen to 350 km")."""
    for key, value in st.session_state.pop(Key.PENDING, {}).items():
        st.session_state[key] = value


def step_as_of(months: int, today: dt.date) -> None:
    st.session_state["as_of"] = history.step_month(st.session_state.get("as_of"), months, today)


def select_station(station_id: str | None, centre: bool = True) -> None:
    """Select a station (None clears); `centre`: move the map to it (chosen outside the map)."""
    st.session_state["station"] = station_id
    if station_id and centre:
        st.session_state[Key.CENTRE_ON] = station_id


def select_from_table() -> None:
    rows = st.session_state[Key.TABLE]["selection"]["rows"]
    ids = st.session_state.get(Key.SHOWN_IDS, [])
    if rows and rows[0] < len(ids):
        select_station(ids[rows[0]])


def select_from_list() -> None:
    picked = st.session_state.get(Key.STATION_PICK) or None
    known = st.session_state.get(Key.KNOWN_IDS, frozenset())
    select_station(picked if picked in known else None)
    if picked and picked not in known:
        add_notice(msg("station_not_in_data", id=show_value(picked)))


def filters_due() -> bool:
    """Whether the sidebar's filter widgets are built: once the map has drawn its stations (its
    first report) or the reader asked for them, and from then on. On a first visit the map's
    frame draws its stations on the same thread as the page: fifteen widgets rendered meanwhile
    delayed a 10,000-station map by about a fifth (docs/benchmarks.md). The filters a link
    sets apply from the start; only their widgets wait."""
    return bool(st.session_state.get(Key.MAP_DRAWN) or st.session_state.get(Key.FILTERS_ASKED))


def show_filters() -> None:
    st.session_state[Key.FILTERS_ASKED] = True


def shown_filters(filters: Filters) -> None:
    """Remember the filters of the view now shown (see `whole_page`)."""
    st.session_state[Key.SHOWN_FILTERS] = filters


def sidebar_part(filters: Filters) -> Filters:
    """The filters the sidebar's widgets set (not the search box's or the map's)."""
    return replace(filters, query="", station=None)


def whole_page(then: Callable[..., None] | None = None, *args: Any) -> None:
    """A filter changed in the sidebar's part of the page (`app.filters_part`): after `then`,
    the whole page runs, not only that part. A widget that only reports the value it was given
    (the month slider does so when first drawn) changes no filter and runs nothing more."""
    months = st.session_state.get(Key.MONTH_OPTIONS)
    shown = st.session_state.get(Key.SHOWN_FILTERS)
    if then is not None:
        then(*args)
    elif months and shown and sidebar_part(current_filters(months)) == sidebar_part(shown):
        return
    st.rerun(scope="app")


def from_map() -> None:
    """The map reported a click or a move: select the clicked station, remember a moved frame
    (for the link), and follow the tiles switch on the map."""
    first = not filters_due()
    st.session_state[Key.MAP_DRAWN] = True
    value: Mapping[str, Any] = st.session_state.get(Key.MAP) or {}
    click = value.get("last_object_clicked_popup")
    if click and click != st.session_state.get(Key.LAST_CLICK):
        st.session_state[Key.LAST_CLICK] = click
        picked = maps.station_from_popup(click)
        if picked:
            select_station(picked, centre=False)
    frame = frame_of(value)
    passed = st.session_state.get(Key.PASSED)
    if frame is not None and passed is not None:
        if same_frame(frame, passed):
            # The map has reached the frame it was handed: later moves are the reader's.
            st.session_state[Key.SYNCED] = passed
        elif st.session_state.get(Key.SYNCED) == passed:
            st.session_state[Key.FRAME] = frame
            st.session_state[Key.PASSED] = frame
            st.session_state[Key.SYNCED] = frame
    layers = value.get("selected_layers")
    if isinstance(layers, list):
        st.session_state[Key.TILES] = any(
            isinstance(layer, dict) and layer.get("name") == maps.TILES_LAYER_ID for layer in layers
        )
    if first:
        # The stations are drawn: the sidebar's filters come now, with the part(s) this run was
        # for. Not the whole page when only the map reported: a whole-page run would replace
        # the download buttons under a reader's click.
        parts = running_parts()
        if parts is None:
            return  # a whole-page run (the map's report came with another change): it has them
        # The part under the title holds the map's: rerunning it reruns the map too.
        st.rerun([FILTERS_PART, MAIN_PART if MAIN_PART in parts else MAP_PART])


def running_parts() -> list[str] | None:
    """The parts of the page this run is for (`PARTS`), or None when it runs the whole page.

    When the map's report reaches the server together with another widget's change (the run
    before was still going), the run is for both: the whole page for a file upload or the
    language, or the part under the title for a search. A rerun of the map's part alone would
    replace that run, and the other change would show only at the next whole-page run."""
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return None
    running = set(ctx.fragment_ids_this_run)
    return [part for part in PARTS if running & set(_part_ids(ctx, part))]


def _part_ids(ctx: Any, part: str) -> list[str]:
    try:
        return list(ctx.fragment_storage.resolve_target(part))
    except StreamlitAPIException:  # not drawn yet in this session
        return []


def frame_of(value: Mapping[str, Any]) -> MapFrame | None:
    centre, zoom = value.get("center"), value.get("zoom")
    if not (isinstance(centre, dict) and isinstance(zoom, int | float)):
        return None
    try:
        lat, lon = float(centre["lat"]), float(centre["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    lon = (lon + 180) % 360 - 180  # the map wraps round the world
    return MapFrame(round(lat, 4), round(lon, 4), int(zoom))


def same_frame(one: MapFrame, other: MapFrame, pixels: float = 3.0) -> bool:
    """True when two frames differ by less than a few screen pixels (Leaflet's own rounding)."""
    if one.zoom != other.zoom:
        return False
    scale = 256 * 2**one.zoom / 360
    dlon = abs((one.longitude - other.longitude + 180) % 360 - 180)
    y1, y2 = _mercator(one.latitude), _mercator(other.latitude)
    return dlon * scale < pixels and abs(y1 - y2) * 256 * 2**one.zoom / (2 * math.pi) < pixels


def _mercator(latitude: float) -> float:
    lat = math.radians(max(-85.0, min(85.0, latitude)))
    return math.log(math.tan(math.pi / 4 + lat / 2))


def map_frame(fitted: MapFrame, filters: Filters, station_frame: MapFrame | None) -> MapFrame:
    """The frame to hand the map now.

    A reader's own frame stays until a filter other than the as-of day or the selection changes
    (then the map fits the new view); a station chosen outside the map (a link, the list, the
    table) centres the map on it once; as-of steps keep the frame so that two days compare.
    """
    signature = replace(filters, as_of=None, station=None)
    if st.session_state.get(Key.FITTED_FOR, signature) != signature:
        st.session_state[Key.FRAME] = None
        st.session_state[Key.CENTRED] = None
    st.session_state[Key.FITTED_FOR] = signature
    centre_on = st.session_state.pop(Key.CENTRE_ON, None)
    if centre_on and station_frame is not None and centre_on == filters.station:
        st.session_state[Key.FRAME] = None
        st.session_state[Key.CENTRED] = station_frame
    frame = st.session_state.get(Key.FRAME) or st.session_state.get(Key.CENTRED) or fitted
    st.session_state[Key.PASSED] = frame
    return frame


def base_map(lang: str, frame: MapFrame) -> tuple[bool, MapFrame]:
    """The tiles setting and the frame the map is built with: taken when the map is (re)built
    for a language, then kept, so that neither the tiles switch on the map nor a new frame
    rebuilds it (a new frame moves the built map). Built at the frame it is first handed, the
    map has nothing to report after its first draw. (The map object itself is made anew each
    run: streamlit-folium adds each run's station layer to it.)"""
    built = st.session_state.get(Key.BASE_BUILT)
    if not (isinstance(built, tuple) and built[0] == lang):
        built = (lang, bool(st.session_state.get(Key.TILES, True)), frame)
        st.session_state[Key.BASE_BUILT] = built
    return bool(built[1]), built[2]


def forget_uploads() -> None:
    st.session_state[Key.UPLOAD_ROUND] = st.session_state.get(Key.UPLOAD_ROUND, 0) + 1


def upload_round() -> int:
    return int(st.session_state.get(Key.UPLOAD_ROUND, 0))
