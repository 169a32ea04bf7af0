"""The one adapter between the page state (`dashboard.pagestate`) and Streamlit's session.

It loads the state once per run of a part of the page (or per callback), saves it, owns every
session-state key and widget key of the page, and turns the pure rules' answers into reruns
using only Streamlit's documented behaviour:

- a widget callback may ask for a keyed rerun of named fragments (`st.rerun([...])`), which
  replaces the interaction's default rerun;
- a sibling callback in the same interaction that calls `st.rerun()` escalates it to a
  whole-app run (`st.rerun`'s own documentation).

No other module reads or writes `st.session_state`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Concatenate, ParamSpec

import streamlit as st

from dashboard import pagestate
from dashboard.filters import FILTERS, Filters, MonthRange, filters_from_widgets, widget_values
from dashboard.i18n import language
from dashboard.pagestate import PageState
from dashboard.urlstate import STREAMLIT_PARAMS, to_query

P = ParamSpec("P")
Rule = Callable[Concatenate[PageState, P], PageState]

STATE = "page_state"  # the PageState value
SESSION_ID = "session_id"  # an opaque id of the reader's session (the look-up service's limits)

# The page's parts that rerun on their own (`st.fragment` keys in app.py).
FILTERS_PART = "filters"
MAIN_PART = "main_area"  # everything under the title; holds MAP_PART
MAP_PART = "map_and_panels"


class Keys:
    """Every widget key of the page that is not a filter's own (those are `FILTER_KEYS`)."""

    LANG = "lang"
    MAP = "map"
    STATION_PICK = "station_pick"
    TABLE = "table"
    PANEL = "panel"
    TABLE_OPEN = "table_open"
    ABOUT_OPEN = "about_open"

    @staticmethod
    def report_day(day: str) -> str:
        return f"asof_{day}"

    @staticmethod
    def upload(what: str, round_: int) -> str:
        return f"{what}_file_{round_}"


# Every filter widget's key, from the filter table (`filters.FILTERS`).
FILTER_KEYS = tuple(widget_values(Filters(), ("2022-01",)))
MONTHS = next(kind.key for kind in FILTERS if isinstance(kind, MonthRange))


def load() -> PageState:
    """The page state, with the filters and the language as the widgets hold them now."""
    state = st.session_state.get(STATE)
    if not isinstance(state, PageState):
        state = PageState()
    lang = language(st.session_state.get(Keys.LANG, state.lang))
    months = state.months
    if not months:
        return replace(state, lang=lang)
    values = {key: st.session_state[key] for key in FILTER_KEYS if key in st.session_state}
    return replace(state, lang=lang, filters=filters_from_widgets(values, months))


def save(
    before: PageState, after: PageState, *, widgets: bool = False, rewrite: bool = False
) -> None:
    """Keep `after`. With `widgets` (a callback, or a run's start: Streamlit refuses a new
    value for a widget already drawn in the run), give each filter widget whose value the
    rule changed its new value; `rewrite`: every filter widget (a session's first run, or the
    run that draws the sidebar after a button under the title set its fields)."""
    st.session_state[STATE] = after
    if not widgets:
        return
    if after.lang != before.lang or Keys.LANG not in st.session_state:
        st.session_state[Keys.LANG] = after.lang
    if not after.months:
        return
    old = widget_values(before.filters, before.months or after.months)
    for key, value in widget_values(after.filters, after.months).items():
        if rewrite or value != old[key] or not _valid(key, after.months):
            st.session_state[key] = value


def _valid(key: str, months: tuple[str, ...]) -> bool:
    """Whether a widget's remembered value can be shown (the month slider's months must be
    among its options: another data file may start in another month)."""
    if key != MONTHS:
        return True
    value = st.session_state.get(MONTHS)
    return isinstance(value, tuple | list) and len(value) == 2 and set(value) <= set(months)


def _update(rule: Rule[P], *args: P.args, **kwargs: P.kwargs) -> PageState:
    """Apply a pure rule to the stored state, save and return the result."""
    before = load()
    after = rule(before, *args, **kwargs)
    save(before, after, widgets=True)
    return after


def update(rule: Rule[P], *args: P.args, **kwargs: P.kwargs) -> None:
    """A callback of a widget inside the part it changes: apply `rule`."""
    _update(rule, *args, **kwargs)


def change(rule: Rule[P], *args: P.args, **kwargs: P.kwargs) -> None:
    """A widget callback: apply `rule`; until the sidebar's filters are drawn, the whole page
    runs next (see `pagestate.whole_page_first`)."""
    if pagestate.whole_page_first(_update(rule, *args, **kwargs)):
        st.rerun()


def keep() -> None:
    """A callback for a widget whose change needs no rule (a search, a file, the language, a
    panel opened): it keeps the change from being replaced by the map's first report."""
    if pagestate.whole_page_first(load()):
        st.rerun()


def whole_page(rule: Rule[P] | None = None, *args: P.args, **kwargs: P.kwargs) -> None:
    """A sidebar filter's callback (it lives in the filters' part of the page): after `rule`,
    the whole page runs, unless the widget only reported the value it was given."""
    state = _update(rule, *args, **kwargs) if rule is not None else load()
    if rule is not None or pagestate.sidebar_changed(state, state.filters):
        st.rerun(scope="app")


def from_map() -> None:
    """The map's callback: its first report runs the filters' and the map's parts again (not
    the whole page, which would replace the download buttons under a reader's click)."""
    before = load()
    value = st.session_state.get(Keys.MAP) or {}
    after, first = pagestate.map_report(before, value if isinstance(value, Mapping) else {})
    save(before, after, widgets=True)
    if first:
        st.rerun([FILTERS_PART, MAP_PART])


def from_list() -> None:
    picked = st.session_state.get(Keys.STATION_PICK) or None
    update(pagestate.pick_from_list, str(picked) if picked else None)


def from_table() -> None:
    value = st.session_state.get(Keys.TABLE) or {}
    rows = value.get("selection", {}).get("rows", []) if isinstance(value, Mapping) else []
    update(pagestate.pick_from_table, list(rows))


def show_station_in_picker(station: str | None, as_text: bool) -> None:
    """The picker beside the map shows the selection (made on the map, the table or a link)."""
    st.session_state[Keys.STATION_PICK] = (station or "") if as_text else station


def open_tab(wanted: str) -> str | None:
    """The tab to open beside the map now (None: the reader's own choice stays)."""
    before = load()
    after, tab = pagestate.open_tab(before, wanted)
    save(before, after)
    if tab is not None:
        st.session_state[Keys.PANEL] = tab
    return tab


def link_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def write_link(state: PageState, filters: Filters) -> None:
    """Put the view into the address bar (only when it changed)."""
    current = link_params()
    keep = {name: current[name][-1] for name in STREAMLIT_PARAMS if current.get(name)}
    wanted = to_query(filters, display=state.display, keep=keep)
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def session_id() -> str:
    """An opaque id of this reader's session, made here (not Streamlit's own)."""
    if SESSION_ID not in st.session_state:
        st.session_state[SESSION_ID] = secrets.token_hex(8)
    return str(st.session_state[SESSION_ID])
