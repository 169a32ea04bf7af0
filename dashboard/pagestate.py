"""The page's state as one frozen value, and the pure rules that change it.

No Streamlit here: `dashboard.session` loads the value once per run (or per callback), applies
these rules and saves it. Every rule takes a `PageState` and returns a new one (and, where the
page must act on it, a small answer: the frame to hand the map, whether a part must rerun).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dashboard import history
from dashboard.data import show_value
from dashboard.filters import Filters
from dashboard.i18n import DEFAULT_LANGUAGE, Msg, msg
from dashboard.urlstate import Choices, Display, MapFrame, parse_display, parse_query

# The map reports its tile layer by this name (maps.TILES_LAYER_ID; not imported: maps is heavy).
TILES_LAYER_ID = "osm-tiles"

Params = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class Built:
    """The settings the base map was built with: kept until the language changes, so that
    neither the tiles switch on the map nor a new frame rebuilds it (a new frame moves it)."""

    lang: str
    tiles: bool
    frame: MapFrame


@dataclass(frozen=True)
class MapBook:
    """The bookkeeping of the map's frame between runs."""

    own: MapFrame | None = None  # the reader's own frame (a link's `map`, or a move)
    passed: MapFrame | None = None  # the frame last handed to the map
    synced: MapFrame | None = None  # the last handed frame the map reported back (it got there)
    # Where the map said it was when it got to `synced`: that frame, or a fitted frame widened
    # to a small map (see `reaches`). A report of another frame after that is the reader's move.
    arrived: MapFrame | None = None
    fitted_for: Filters | None = None  # the filters the fitted frame was made for
    centre_on: str | None = None  # a station chosen outside the map: the map moves to it once
    centred: MapFrame | None = None  # the frame of the station the map was last centred on
    built: Built | None = None
    last_click: str | None = None  # the popup text of the last click (a click reports once)
    drawn: bool = False  # the map has reported once: its stations are drawn


@dataclass(frozen=True)
class PageState:
    """Everything the page remembers for a reader between runs, apart from Streamlit's own
    widget values (the filters are read from and written to those by `dashboard.session`)."""

    lang: str = DEFAULT_LANGUAGE
    tiles: bool = True
    embed: bool = False  # the article embed (`mode=embed`): map and details only
    filters: Filters = field(default_factory=Filters)
    months: tuple[str, ...] = ()  # the month slider's options, first to last
    book: MapBook = field(default_factory=MapBook)
    notices: tuple[Msg | str, ...] = ()
    linked: bool = False  # the link's display parameters were read (first run)
    started: bool = False  # the link's filters were read (first run with data)
    filters_asked: bool = False  # "Show the filters now" before the map drew
    filters_drawn: bool = False  # the sidebar's filter widgets are on the page
    pending: bool = False  # a button under the title set a sidebar field (see `take_pending`)
    shown: Filters | None = None  # the filters of the view on the page
    upload_round: int = 0  # a new round gives the file choosers new, empty widgets
    # The selection, language and `since` day the tabs were last opened for.
    panel_for: tuple[str | None, str, str | None] | None = None
    known_ids: frozenset[str] = frozenset()
    table_ids: tuple[str, ...] = ()  # the table's rows' station ids, in order

    @property
    def display(self) -> Display:
        return Display(self.lang, self.tiles, self.book.own, self.embed)

    @property
    def filters_due(self) -> bool:
        """Whether the sidebar's filter widgets are built: once the map has drawn its stations
        or the reader asked for them. On a first visit the map's frame draws its stations on
        the same thread as the page: fifteen widgets rendered meanwhile delayed a
        10,000-station map by about a fifth (docs/benchmarks.md). A link's filters apply from
        the start; only their widgets wait."""
        return self.book.drawn or self.filters_asked


def open_display(state: PageState, params: Params) -> PageState:
    """On a session's first run: the language, tiles and map frame from the link."""
    if state.linked:
        return state
    display, notices = parse_display(params)
    book = replace(state.book, own=display.frame)
    return replace(
        state,
        lang=display.lang,
        tiles=display.tiles,
        embed=display.embed,
        book=book,
        notices=(*state.notices, *notices),
        linked=True,
    )


def keep_valid(filters: Filters, choices: Choices) -> Filters:
    """Remembered choices the data in use does not have are dropped (a new file was chosen)."""
    changes: dict[str, Any] = {}
    for name, allowed in choices.allowed.items():
        value = getattr(filters, name)
        if isinstance(value, tuple):
            changes[name] = tuple(v for v in value if v in allowed)
        elif value is not None and value not in allowed:
            changes[name] = None
    return replace(filters, **changes)


def open_filters(
    state: PageState, params: Params, choices: Choices, months: Sequence[str], today: dt.date
) -> PageState:
    """Keep the filters valid for the data in use; on a session's first run, take them from
    the link (a linked station centres the map on it unless the link sets the frame)."""
    filters = keep_valid(state.filters, choices)
    state = replace(state, filters=filters, known_ids=choices.stations, months=tuple(months))
    if state.started:
        return state
    linked, notices = parse_query(params, choices, today)
    book = state.book
    if linked.station and book.own is None:
        book = replace(book, centre_on=linked.station)
    return replace(
        state, filters=linked, book=book, notices=(*state.notices, *notices), started=True
    )


def reset(state: PageState) -> PageState:
    return replace(state, filters=Filters(), notices=(), book=replace(state.book, own=None))


def set_near(state: PageState, name: str | None = None, km: float | None = None) -> PageState:
    """Take the suggested place ("Did you mean ...?") or a wider distance: buttons under the
    title for fields of the sidebar. The whole page runs next (`take_pending`)."""
    filters = state.filters
    if name is not None:
        filters = replace(filters, near=name)
    if km is not None:
        filters = replace(filters, km=km)
    return replace(state, filters=filters, pending=True)


def take_pending(state: PageState) -> tuple[PageState, bool]:
    """Whether the sidebar's fields must be set again in this whole-page run: a field already
    on the page takes a new value only from the run that draws it; set in an earlier run, it
    kept showing the old value and sent it back with the next run (the distance went back to
    50 km after "Widen to 350 km")."""
    return replace(state, pending=False), state.pending


def set_as_of(state: PageState, day: dt.date | None) -> PageState:
    as_of = day.isoformat() if day else None
    return replace(state, filters=replace(state.filters, as_of=as_of))


def set_since(state: PageState, day: dt.date | None) -> PageState:
    """Mark what changed after `day` (None: mark nothing)."""
    since = day.isoformat() if day else None
    return replace(state, filters=replace(state.filters, since=since))


def step_as_of(state: PageState, months: int, today: dt.date) -> PageState:
    current = state.filters.as_of
    day = history.step_month(dt.date.fromisoformat(current) if current else None, months, today)
    return set_as_of(state, day)


def select(state: PageState, station_id: str | None, centre: bool = True) -> PageState:
    """Select a station (None clears); `centre`: move the map to it (chosen outside the map)."""
    book = replace(state.book, centre_on=station_id) if station_id and centre else state.book
    return replace(state, filters=replace(state.filters, station=station_id), book=book)


def pick_from_list(state: PageState, picked: str | None) -> PageState:
    """A station picked by name or typed by id: an id the data lacks clears, with a notice."""
    known = picked in state.known_ids
    state = select(state, picked if known else None)
    if picked and not known:
        notice = msg("station_not_in_data", id=show_value(picked))
        state = replace(state, notices=(*state.notices, notice))
    return state


def drop_hidden(state: PageState, shown: frozenset[str] | set[str]) -> tuple[PageState, bool]:
    """A selection the filters leave out of the view is cleared (True), so that the link
    reproduces what the reader sees, not an empty map zoomed on a station it does not show."""
    station = state.filters.station
    if not station or station in shown:
        return state, False
    return select(state, None), True


def pick_from_table(state: PageState, rows: Sequence[int]) -> PageState:
    if rows and 0 <= rows[0] < len(state.table_ids):
        return select(state, state.table_ids[rows[0]])
    return state


def show_filters(state: PageState) -> PageState:
    return replace(state, filters_asked=True)


def sidebar_part(filters: Filters) -> Filters:
    """The filters the sidebar's widgets set (not the search box's or the map's)."""
    return replace(filters, query="", station=None)


def sidebar_changed(state: PageState, now: Filters) -> bool:
    """Whether a sidebar widget's report changed the view (then the whole page runs). A widget
    that only reports the value it was given (the month slider does so when first drawn)
    changes nothing."""
    return state.shown is None or sidebar_part(now) != sidebar_part(state.shown)


def whole_page_first(state: PageState) -> bool:
    """Whether a change outside the map must run the whole page: until the sidebar's filters
    are drawn, the map's first report asks for a run of the filters' and the map's parts, and
    a change reaching the server with it (a file, the language, a search, a panel) would be
    stored but not shown. A callback that asks for the whole app outranks that request
    (Streamlit's documented escalation of a keyed rerun)."""
    return not state.filters_drawn


def map_report(state: PageState, value: Mapping[str, Any]) -> tuple[PageState, bool]:
    """The map reported a click or a move: select the clicked station, remember a moved frame
    (for the link), follow the tiles switch. True when this is its first report (its stations
    are drawn): then the filters' and the map's parts run again."""
    first = not state.filters_due
    book = replace(state.book, drawn=True)
    click = value.get("last_object_clicked_popup")
    if isinstance(click, str) and click and click != book.last_click:
        book = replace(book, last_click=click)
        picked = station_in_popup(click)
        if picked:
            state = select(state, picked, centre=False)
    book = _follow_frame(book, frame_of(value))
    tiles = state.tiles
    layers = value.get("selected_layers")
    if isinstance(layers, list):
        tiles = any(isinstance(x, dict) and x.get("name") == TILES_LAYER_ID for x in layers)
    return replace(state, book=book, tiles=tiles), first


def _follow_frame(book: MapBook, frame: MapFrame | None) -> MapBook:
    """The map reached the frame it was handed (later moves are the reader's), or the reader
    moved it after that (the new frame is theirs, for the link)."""
    passed = book.passed
    if frame is None or passed is None:
        return book
    if book.synced == passed:
        if same_frame(frame, book.arrived or passed):
            return book
        return replace(book, own=frame, passed=frame, synced=frame, arrived=frame)
    if reaches(frame, passed):
        return replace(book, synced=passed, arrived=frame)
    return book


def reaches(report: MapFrame, handed: MapFrame) -> bool:
    """Whether a map reporting `report` got to the frame it was `handed`: the same frame, or,
    for a fitted frame (one with a box), the same centre at a lower zoom. The server fits a
    view for a desktop-sized map; on a smaller one (a phone's) map.js zooms out, keeping the
    centre, until the box shows whole. Only the map's first report of a handed frame is read
    so (`_follow_frame`): after that, a zoom out by the reader is the reader's."""
    if same_frame(report, handed):
        return True
    if handed.box is None or report.zoom >= handed.zoom:
        return False
    return same_frame(report, replace(handed, zoom=report.zoom))


def station_in_popup(text: str) -> str | None:
    """The station id a clicked popup names (maps.station_from_popup, imported lazily: the map
    module is heavy and this one is loaded by every callback)."""
    from dashboard.maps import station_from_popup

    return station_from_popup(text)


def frame_of(value: Mapping[str, Any]) -> MapFrame | None:
    centre, zoom = value.get("center"), value.get("zoom")
    if not (isinstance(centre, dict) and isinstance(zoom, int | float)):
        return None
    try:
        lat, lon = float(centre["lat"]), float(centre["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
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


def map_frame(
    state: PageState, filters: Filters, fitted: MapFrame, station_frame: MapFrame | None
) -> tuple[PageState, MapFrame]:
    """The frame to hand the map now.

    A reader's own frame stays until a filter other than the as-of day or the selection changes
    (then the map fits the new view); a station chosen outside the map (a link, the list, the
    table) centres the map on it once; as-of steps keep the frame so that two days compare.
    `filters`: the view's, as the map shows it.
    """
    book = state.book
    signature = replace(filters, as_of=None, station=None)
    if book.fitted_for is not None and book.fitted_for != signature:
        book = replace(book, own=None, centred=None)
    book = replace(book, fitted_for=signature)
    if book.centre_on and station_frame is not None and book.centre_on == filters.station:
        book = replace(book, own=None, centred=station_frame)
    book = replace(book, centre_on=None)
    frame = book.own or book.centred or fitted
    if frame == fitted:
        # The same place as the fitted frame: handed with its box, so that a small map widens
        # it as map.js widens the view that fits its stations (the two agree on what is fitted).
        frame = fitted
    return replace(state, book=replace(book, passed=frame)), frame


def base_map(state: PageState, frame: MapFrame) -> tuple[PageState, Built]:
    """The settings to build the base map with (`Built`): taken when it is first built for a
    language, then kept. Built at the frame it is first handed, the map has nothing to
    report after its first draw."""
    built = state.book.built
    if built is None or built.lang != state.lang:
        built = Built(state.lang, state.tiles, frame)
        state = replace(state, book=replace(state.book, built=built))
    return state, built


def open_tab(state: PageState, wanted: str) -> tuple[PageState, str | None]:
    """The tab to open beside the map: `wanted` when the selection, the language or the
    `since` day changed since the tabs were last drawn (the station's own tab for a new
    selection, the changes for a new day), else None (the reader's own choice stays)."""
    now = (state.filters.station, state.lang, state.filters.since)
    if state.panel_for == now:
        return state, None
    return replace(state, panel_for=now), wanted


def forget_uploads(state: PageState) -> PageState:
    return replace(state, upload_round=state.upload_round + 1)
