"""The dashboard's layout. Logic lives in the modules it calls; the page state in
`dashboard.pagestate`, kept by `dashboard.session`.

Start: `python -m streamlit run dashboard/app.py [-- --stations FILE --responses FILE]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import (
    assets,
    changes,
    charts,
    compat,
    export,
    lookups,
    maps,
    pagestate,
    panels,
    places,
    preview,
    session,
    sources,
    texts,
    versions,
)
from dashboard.data import DATA_REVIEWED, RESPONSES_PATH, STATIONS_PATH, Rejection
from dashboard.filters import (
    SEARCH,
    SIDEBAR_FILTERS,
    Choices,
    DayFilter,
    Filters,
    SinceFilter,
    WidgetContext,
    choices_from,
    country_counts,
    country_names,
    months_between,
)
from dashboard.i18n import (
    LANGUAGES,
    Msg,
    long_date,
    plural,
    status_label,
    t,
)
from dashboard.pagestate import PageState
from dashboard.schema import StationRecord
from dashboard.session import Keys
from dashboard.urlstate import to_query
from dashboard.view import Data, View, fitted_frame, make_view, selected_record, station_frame

# Above the map: Streamlit's header (60 px), a one-line title and the count line. The selectors
# are Streamlit's test ids and keyed-container class (`dashboard.compat`).
EAGER_ROWS = 5000  # views up to this many stations get their data files with the page
CHART_COUNTRIES = 25  # the per-country chart's bars, most stations first
VIEW_TEXT_ID = "st-view-text"  # the written view's element (map.js reads the same id)
PAGE_CSS = f"""<style>
[data-testid="{compat.MAIN_BLOCK}"] {{ padding: 3.6rem 1rem 2rem; max-width: none; }}
[data-testid="{compat.MAIN_BLOCK}"] h1 {{ font-size: 1.45rem; line-height: 1.25;
  padding: 0.1rem 0 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
iframe[data-testid="{compat.COMPONENT_FRAME}"] {{ height: calc(100vh - 175px) !important;
  min-height: 380px; }}
/* The station's record reads in the page's own scroll; the map beside it stays in view. */
[data-testid="{compat.LAYOUT_WRAPPER}"]:has(> .{compat.KEYED_CLASS}mapcol) {{ position: sticky;
  top: 3.75rem; z-index: 1; }}
.st-phone-cue {{ margin: 0; font-size: 0.95rem; }}
.st-view-text {{ margin: 0.3rem 0 0; font-size: 0.9rem; color: #374151; }}
/* Captions: Streamlit fades them (opacity 0.6) to under 4.5:1; ours are solid dark grey. */
[data-testid="{compat.CAPTION}"] {{ color: #4b5563 !important; opacity: 1 !important; }}
.{compat.KEYED_CLASS}side h2 {{ font-size: 1.3rem; line-height: 1.3; padding: 0.25rem 0; }}
/* The "skip the map" link: out of sight until focused, then over the map's top left corner;
   its element is out of the page's flow, so it adds no gap above the map. */
[data-testid="{compat.ELEMENT}"]:has(.st-skip) {{ position: absolute; z-index: 10; }}
.st-skip {{ position: absolute; left: -10000px; }}
.st-skip:focus {{ left: 3.5rem; top: 0.6rem; background: #fff; color: #1d4ed8;
  border: 2px solid #1d4ed8; border-radius: 4px; padding: 0.3rem 0.6rem; font-weight: 600;
  white-space: nowrap; }}
.st-view-text:focus {{ outline: 3px solid #1d4ed8; outline-offset: 2px; }}
/* A stacked table (texts.stacked_table): a block per row, each value under its column's name. */
.st-stack {{ width: 100%; border-collapse: collapse; font-size: 0.9rem; }}
.st-stack caption {{ text-align: left; color: #4b5563; font-size: 0.875rem; padding: 0 0 0.4rem; }}
.st-stack thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }}
.st-stack tr {{ display: block; border-top: 1px solid #d1d5db; padding: 0.4rem 0; }}
.st-stack th[scope="row"] {{ display: block; text-align: left; font-weight: 600; }}
.st-stack td {{ display: grid; grid-template-columns: minmax(7rem, 40%) 1fr; gap: 0.5rem;
  padding: 0.05rem 0; }}
.st-stack td::before {{ content: attr(data-label); color: #4b5563; }}
.st-stack td:empty {{ display: none; }}
@media (max-width: 640px) {{
  [data-testid="{compat.MAIN_BLOCK}"] h1 {{ white-space: normal; font-size: 1.15rem; }}
  iframe[data-testid="{compat.COMPONENT_FRAME}"] {{ height: 60vh !important; min-height: 300px; }}
  [data-testid="{compat.LAYOUT_WRAPPER}"]:has(> .{compat.KEYED_CLASS}mapcol) {{
    position: static; }}
}}
@media (min-width: 641px) {{ .st-phone-cue {{ display: none; }} }}
</style>"""

# The embed (`mode=embed`, for an article's iframe 600-900 px wide): no header or sidebar, the
# map as high as the frame allows with the details under it, and the phone's cue at any width.
EMBED_CSS = f"""<style>
[data-testid="{compat.HEADER}"] {{ display: none; }}
[data-testid="{compat.MAIN_BLOCK}"] {{ padding: 0.5rem 0.75rem 1rem; }}
[data-testid="{compat.MAIN_BLOCK}"] h1 {{ font-size: 1.1rem; white-space: normal; }}
iframe[data-testid="{compat.COMPONENT_FRAME}"] {{ height: calc(100vh - 120px) !important;
  min-height: 300px; }}
[data-testid="{compat.LAYOUT_WRAPPER}"]:has(> .{compat.KEYED_CLASS}mapcol) {{ position: static; }}
@media (min-width: 641px) {{ .st-phone-cue {{ display: block; }} }}
.st-embed-full {{ margin: 0.5rem 0 0; font-weight: 600; }}
</style>"""


def data_paths(argv: list[str], environ: Mapping[str, str]) -> tuple[Path, Path]:
    """The data files: `--stations`/`--responses` after `--` on the command line, else
    DASHBOARD_STATIONS/DASHBOARD_RESPONSES, else the bundled files."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--stations", type=Path, default=None)
    parser.add_argument("--responses", type=Path, default=None)
    args, _ = parser.parse_known_args(argv)
    stations = args.stations or Path(environ.get("DASHBOARD_STATIONS") or STATIONS_PATH)
    responses = args.responses or Path(environ.get("DASHBOARD_RESPONSES") or RESPONSES_PATH)
    return stations, responses


@st.cache_resource(show_spinner=False)
def git_commit() -> str | None:
    """The commit of the running code and data, when it runs from a git checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def find_place(name: str, stations: pd.DataFrame) -> places.Place | Msg:
    """A place by name: the data's cities, the offline gazetteer, then one server-wide,
    rate-limited and cached look-up service (dashboard/lookups.py; off with
    DASHBOARD_OFFLINE=1, pointed elsewhere with DASHBOARD_NOMINATIM_URL)."""
    service = lookups.shared()
    reader = session.session_id()
    online = None if service is None else (lambda query: service.find(query.city, reader))
    return places.resolve_place(name, stations, online=online)


@st.cache_resource(show_spinner=False)
def prepare_assets() -> None:
    assets.ensure_static_assets()


# cache_resource, not cache_data: every session shares the one validated copy (cache_data would
# hand each session its own unpickled copy, megabytes per session on large files). The data set
# is frozen and nothing downstream modifies its frames (sources.DataSet; tests/test_sources.py).
@st.cache_resource(show_spinner=False, max_entries=32)
def load(
    stations_path: str,
    responses_path: str,
    stamp: tuple,
    stations_upload: tuple[str, bytes] | None,
    responses_upload: tuple[str, bytes] | None,
) -> tuple[sources.DataSet, Choices | None]:
    """Each combination of files is read and validated once (`stamp` changes with the files)."""
    data = sources.resolve(
        Path(stations_path),
        Path(responses_path),
        sources.Upload(*stations_upload) if stations_upload else None,
        sources.Upload(*responses_upload) if responses_upload else None,
    )
    if data.stations is None:
        return data, None
    return data, choices_from(data.stations)


@st.cache_data(max_entries=64, show_spinner=False)
def chart_spec(frame: pd.DataFrame, kind: str, lang: str) -> dict:
    """The Vega-Lite spec of a chart (`charts.SPECS`), built once per distinct data (Altair's
    schema validation costs more than the rest of a rerun)."""
    return charts.SPECS[kind](frame, lang)


@st.cache_data(max_entries=16, show_spinner=False)
def marked_changes(
    stations: pd.DataFrame,
    responses: pd.DataFrame,
    since: str,
    version: str | None,
    _entries: tuple[versions.Release, ...],
) -> list[changes.Change]:
    """What changed since the day in the whole data, once per data and day (each station's
    history is derived for it: about a second on the bundled data). `_entries` follows
    `version`, which is hashed instead."""
    return changes.marked_since(stations, responses, dt.date.fromisoformat(since), _entries)


def file_stamp(*paths: Path) -> tuple:
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)


def uploaded(key: str, label: str) -> tuple[str, bytes] | None:
    file = st.file_uploader(label, type=["csv"], key=key, on_change=session.keep)
    return (file.name, file.getvalue()) if file is not None else None


def show_problem(rejected: Rejection, lang: str) -> None:
    """A file not used: why, in a line, then its problems (the first MAX_PROBLEM_LINES)."""
    report = texts.problem_text(rejected, lang)
    st.error(report.error)
    if t("problems_english", lang):
        st.caption(t("problems_english", lang))
    st.code(report.lines, language=None)
    if report.cut:
        st.download_button(t("download_problems", lang), str(rejected), "problems.txt")


def look_up_place(name: str | None, stations: pd.DataFrame, lang: str) -> places.Place | None:
    """The place of the distance filter; when it cannot be found, a warning says why, with a
    button for the suggested place, if there is one."""
    if not name:
        return None
    with st.spinner(t("looking_up", lang)):
        found = find_place(name, stations)
    if not isinstance(found, Msg):
        return found
    st.warning(panels.md_text(t("near_not_applied", lang, why=found.text(lang))))
    close = found.values.get("suggestion")
    choices = found.values.get("choices")
    offered = [str(close)] if close else list(choices) if isinstance(choices, list) else []
    for option in offered:
        # A button's label is Markdown, and a suggestion may be a city of the data.
        near_button(st, t("use_suggestion", lang, suggestion=panels.md_text(option)), name=option)
    return None


def count_and_search(view: View, ctx: WidgetContext) -> None:
    """What the map shows and as of when, and the search box, in one row above the map."""
    lang = view.lang
    count = texts.count_line(view.stations, len(view.all_stations), view.day, DATA_REVIEWED, lang)
    if view.display.embed:
        st.markdown(count)
    else:
        count_col, search_col = st.columns([3, 2], vertical_alignment="center")
        count_col.markdown(count)
        # The search reruns only the part of the page under the title (see `main_area`).
        # The search box keeps its change when it reaches the app with the map's first report.
        SEARCH.draw(search_col, replace(ctx, on_change=session.keep))
    if view.place:
        place_line(view)
    if view.filters.since:
        since = dt.date.fromisoformat(view.filters.since)
        st.caption(texts.since_line(len(view.changes), since, lang))


def place_line(view: View) -> None:
    """The place of the distance filter in one line; with nothing in range, the nearest
    station and a button that widens the distance to reach it (beside the line, so the map
    stays high on the page)."""
    assert view.place is not None
    km = float(view.filters.km or places.DEFAULT_KM)
    line = texts.place_line(view.place, km, view.nearest, view.lang)
    if not view.nearest:
        st.caption(line)
        return
    text_col, button_col = st.columns([5, 1], vertical_alignment="center")
    text_col.markdown(line)
    wider = places.widened(view.nearest[1])
    near_button(button_col, t("widen", view.lang, km=f"{wider:g}"), km=wider, main=True)


def near_button(
    where, label: str, *, name: str | None = None, km: float | None = None, main: bool = False
) -> None:
    """A button under the title that sets the sidebar's place or distance (the whole page runs
    next: see `main_area`); `main` makes it the line's primary action, as wide as its column."""
    where.button(
        label,
        on_click=session.change,
        args=(pagestate.set_near,),
        kwargs={"name": name, "km": km},
        type="primary" if main else "secondary",
        width="stretch" if main else "content",
    )


def sidebar_filters(ctx: WidgetContext) -> None:
    """The sidebar's filter widgets, in their declared order (`filters.SIDEBAR_FILTERS`); each
    one's session key is its kind's (`dashboard.session` owns them)."""
    st.header(t("filters", ctx.lang))
    for kind in SIDEBAR_FILTERS:
        kind.draw(st, ctx)
        if isinstance(kind, SinceFilter):
            since_shortcut(ctx)
        elif isinstance(kind, DayFilter):
            as_of_steps(ctx.lang, ctx.today)
    st.button(t("reset", ctx.lang), on_click=session.whole_page, args=(pagestate.reset,))


def since_shortcut(ctx: WidgetContext) -> None:
    """Under the since field: a button for "since the previous data version"."""
    if ctx.previous is None:
        return
    version, released = ctx.previous
    day = dt.date.fromisoformat(released)
    st.button(
        t("since_version", ctx.lang, version=version, day=long_date(day, ctx.lang)),
        on_click=session.whole_page,
        args=(pagestate.set_since, day),
        help=t("since_version_help", ctx.lang, version=version),
        width="stretch",
    )


def as_of_steps(lang: str, today: dt.date) -> None:
    """Under the as-of field, the buttons that set it: each report's publication day, and a
    month back or forward."""
    st.caption(t("reports_marks", lang))
    for report in panels.REPORTS:
        day = dt.date.fromisoformat(report.published)
        st.button(
            f"{report.title} ({long_date(day, lang)})",
            key=Keys.report_day(report.published),
            on_click=session.whole_page,
            args=(pagestate.set_as_of, day),
            help=t("report_day_help", lang, title=report.title, stations=report.stations),
            width="stretch",
        )
    back, forward = st.columns(2)
    back.button(
        t("month_back", lang),
        on_click=session.whole_page,
        args=(pagestate.step_as_of, -1, today),
        help=t("month_back_help", lang),
        width="stretch",
    )
    forward.button(
        t("month_forward", lang),
        on_click=session.whole_page,
        args=(pagestate.step_as_of, 1, today),
        help=t("month_forward_help", lang),
        width="stretch",
    )


@st.fragment(key=session.FILTERS_PART)
def filters_part(ctx: WidgetContext) -> None:
    """The sidebar's filters: their widgets once the map has drawn its stations (the map's
    first report reruns this part and the map's, not the whole page: see
    `PageState.filters_due`). Until then a line says they are coming, with a button that
    brings them at once."""
    state = session.load()
    if state.embed:
        session.save(state, replace(state, filters_drawn=True))
        return
    if state.filters_due:
        sidebar_filters(ctx)
        session.save(state, replace(state, filters_drawn=True))
        return
    st.header(t("filters", ctx.lang))
    st.caption(t("filters_pending", ctx.lang))
    st.button(t("show_filters", ctx.lang), on_click=session.update, args=(pagestate.show_filters,))


def own_files(lang: str) -> tuple[tuple[str, bytes] | None, tuple[str, bytes] | None]:
    with st.sidebar.expander(t("own_files", lang), expanded=False):
        st.caption(t("own_files_help", lang))
        round_ = session.load().upload_round
        stations = uploaded(Keys.upload("stations", round_), t("stations_csv", lang))
        responses = uploaded(Keys.upload("responses", round_), t("responses_csv", lang))
        st.button(
            t("back_to_bundled", lang), on_click=session.change, args=(pagestate.forget_uploads,)
        )
    return stations, responses


def notices(state: PageState, orphans: int) -> None:
    lang = state.lang
    for notice in state.notices:
        st.warning(panels.md_text(notice.text(lang) if isinstance(notice, Msg) else notice))
    if orphans:
        st.info(t("orphans", lang, count=orphans))


@st.fragment(key=session.MAIN_PART)
def main_area(data: sources.DataSet, ctx: WidgetContext) -> None:
    """Everything under the title: the view, its map and panels, downloads, table and about.
    The search box is part of it, so a search reruns this part only (not the sidebar)."""
    before = session.load()
    if before.pending:
        # A button here set a field of the sidebar: the whole page runs, so the field shows it.
        st.rerun(scope="app")
    state = replace(before, shown=before.filters)
    session.save(before, state)
    filters = state.filters
    assert data.stations is not None  # main() stops before this part when it is None
    place = look_up_place(filters.near, data.stations, state.lang)
    tables = Data(data.stations, data.responses, data.version, data.releases)
    marked = (
        marked_changes(data.stations, data.responses, filters.since, data.version, data.releases)
        if filters.since
        else []
    )
    view = make_view(tables, filters, state.display, ctx.today, place, marked)
    # A selection the filters leave out is cleared (the link then shows what the reader sees).
    after, dropped = pagestate.drop_hidden(state, set(view.unframed["station_id"]))
    if dropped:
        session.save(state, after, widgets=True)
        view = replace(view, filters=after.filters)
    # The map is sent before the line above it, which is drawn into its place afterwards: the
    # page handles every element sent before the map on the thread the map's frame draws on,
    # so each one delays the stations (a search: 0.79x-0.86x the floor's time against
    # 0.92x-1.15x, docs/benchmarks.md).
    above_map = st.container()
    map_and_panels(view)
    with above_map:
        count_and_search(view, ctx)
        if dropped:
            hidden = str(filters.station)
            st.info(panels.md_text(t("selection_dropped", state.lang, id=hidden)))
    if view.display.embed:
        embed_footer(view)
        return
    downloads(view)
    table(view)
    about(view, filters)


def embed_footer(view: View) -> None:
    """Under the embed: the same view in the full explorer (a new tab), and the credit."""
    query = urlencode(to_query(view.filters, display=replace(view.display, embed=False)))
    full = html.escape(texts.explorer_link(st.context.url, query), quote=True)
    words = html.escape(t("embed_full", view.lang))
    st.html(
        f'<p class="st-embed-full"><a href="{full}" target="_blank" rel="noopener">{words}</a></p>'
    )
    st.caption(t("embed_credit", view.lang, version=view.version or "-"))


@st.fragment(key=session.MAP_PART)
def map_and_panels(view: View) -> None:
    """The map and, beside it, the selected station and the panels. A click or a move on the
    map reruns only this part."""
    before = session.load()
    # A rerun of this part alone keeps the view of the last full run: take the selection anew.
    view = replace(view, filters=replace(view.filters, station=before.filters.station))
    record = selected_record(view, view.filters.station)
    # Keyboard readers may pass the map's stops: the link moves focus to the written view.
    skip = html.escape(t("skip_map", view.lang))
    st.html(f'<a class="st-skip" href="#{VIEW_TEXT_ID}">{skip}</a>')
    # The embed: the map, then the station's details under it; else the panels beside it.
    map_col, side_col = (
        (st.container(), st.container()) if view.display.embed else st.columns([5, 3], gap="small")
    )
    with map_col, st.container(key="mapcol"):
        station_map(view, record, before)
    with side_col, st.container(key="side"):
        station_picker(view)
        if view.display.embed:
            station_tab(view, record)
        else:
            side_panels(view, record)
    page_mark(view)
    session.write_link(session.load(), view.filters)


def page_mark(view: View) -> None:
    """What this run shows, for the page's script (dashboard/web/page.js): the filters and the
    selected station. When they change it closes a phone's sidebar after a filter, and brings
    a picked station's details into view when they are under the map."""
    shown = urlencode(to_query(replace(view.filters, station=None)))
    station = view.filters.station or ""
    st.html(
        f'<span id="st-page-view" data-filters="{html.escape(shown, quote=True)}" '
        f'data-station="{html.escape(station, quote=True)}" hidden></span>'
        f'<script src="{assets.url("web/page.js")}"></script>',
        unsafe_allow_javascript=True,
    )


def station_map(view: View, record: StationRecord | None, state: PageState) -> None:
    """The map of the view's stations, at the frame the page state gives it; on a phone, a
    line under it names the selected station (its details are below)."""
    fitted, mark = fitted_frame(view)
    after, frame = pagestate.map_frame(state, view.filters, fitted, station_frame(record))
    after, built = pagestate.base_map(after, frame)
    session.save(state, after)
    st_folium(
        maps.build_base_map(built.tiles, built.frame, lang=view.lang),
        key=Keys.MAP,
        feature_group_to_add=maps.build_station_layer(
            view.stations,
            view.filters.station,
            view.responses,
            view.lang,
            # Without an as-of day the view's rows are the shared table's, unchanged.
            base=None if view.day else view.all_stations,
            place=mark,
            changed=[c.station_id for c in view.changes if c.station_id],
        ),
        center=(frame.latitude, frame.longitude),
        zoom=frame.zoom,
        height=maps.MAP_HEIGHT_PX,
        width=None,
        returned_objects=["last_object_clicked_popup", "center", "zoom", "selected_layers"],
        on_change=session.from_map,
    )
    # The written view: under the map, and the map frame's accessible description (map.js
    # points the frame's aria-describedby at it).
    described = html.escape(texts.view_description(view, view.lang))
    st.html(f'<p id="{VIEW_TEXT_ID}" class="st-view-text">{described}</p>')
    if record:
        status = status_label(str(record["status"]), view.lang)
        cue = t("selected_cue", view.lang, name=str(record["name"]), status=status)
        st.html(f'<p class="st-phone-cue">{html.escape(cue)}</p>')


def station_picker(view: View) -> None:
    lang, shown, station = view.lang, view.stations, view.filters.station
    if len(shown) <= panels.PICKER_MAX_STATIONS:
        ids = list(shown["station_id"])
        label_of = dict(zip(shown["station_id"], shown["name"], strict=True))
        if station and station not in label_of:
            ids = [station, *ids]
            record = panels.station_record(view.all_stations, station)
            label_of[station] = record["name"] if record else station
        session.show_station_in_picker(station, as_text=False)
        st.selectbox(
            t("station_details", lang),
            options=[None, *ids],
            format_func=lambda i: (
                t("choose_station", lang) if i is None else f"{label_of[i]} ({i})"
            ),
            key=Keys.STATION_PICK,
            on_change=session.from_list,
            placeholder=t("choose_station", lang),
        )
    else:
        session.show_station_in_picker(station, as_text=True)
        st.text_input(
            t("station_id_input", lang),
            key=Keys.STATION_PICK,
            on_change=session.from_list,
            help=t("too_many_to_list", lang, count=f"{len(shown):,}"),
        )


def station_tab(view: View, record: StationRecord | None) -> None:
    if record:
        show_station(record, view)
    else:
        st.caption(t("embed_pick" if view.display.embed else "no_station_yet", view.lang))


def overview_tab(view: View, record: StationRecord | None) -> None:
    coverage_line(view)
    # Markdown, not a data table: the first visit needs no table code.
    st.markdown(panels.md_table(panels.status_counts(view.stations, view.lang)))


def responses_tab(view: View, record: StationRecord | None) -> None:
    timelines = panels.country_timelines(view.responses, view.stations, view.lang)
    for _code, country, timeline in timelines:
        with st.expander(f"{panels.md_text(country)} ({len(timeline)})"):
            show_timeline(timeline, view.lang)


def country_tab(view: View, record: StationRecord | None) -> None:
    summary = panels.country_summary(view.stations, view.responses, view.lang)
    st.html(texts.stacked_table(summary, t("country_caption", view.lang)))


def charts_tab(view: View, record: StationRecord | None) -> None:
    every = panels.stations_per_country(view.stations, view.lang)
    per_country = every.head(CHART_COUNTRIES)
    if len(every) > CHART_COUNTRIES:  # say what is left out
        st.caption(t("chart_top", view.lang, shown=CHART_COUNTRIES, total=len(every)))
    st.vega_lite_chart(chart_spec(per_country, "per_country", view.lang), width="stretch")
    per_year = panels.responses_per_year(view.view_responses, view.lang)
    st.vega_lite_chart(chart_spec(per_year, "per_year", view.lang), width="stretch")


def changes_tab(view: View, record: StationRecord | None) -> None:
    if not view.filters.since:
        st.caption(t("changes_pick", view.lang))
        return
    since = dt.date.fromisoformat(view.filters.since)
    st.markdown(texts.changes_markdown(view.changes, since, view.lang))


@dataclass(frozen=True)
class Tab:
    """A tab beside the map: its label (a message key) and what it shows."""

    label: str
    draw: Callable[[View, StationRecord | None], None]


# The tabs in their order; a selected station opens its own, else the overview is open.
TABS = (
    Tab("tab_station", station_tab),
    Tab("tab_overview", overview_tab),
    Tab("tab_responses", responses_tab),
    Tab("tab_country", country_tab),
    Tab("tab_charts", charts_tab),
    Tab("tab_changes", changes_tab),
)
# A selected station opens its tab; else a `since` day opens the changes, else the overview.
SELECTED_TAB, CHANGES_TAB, DEFAULT_TAB = "tab_station", "tab_changes", "tab_overview"


def side_panels(view: View, record: StationRecord | None) -> None:
    """Tabs beside the map; only the open one is built."""
    opening = SELECTED_TAB if record else CHANGES_TAB if view.filters.since else DEFAULT_TAB
    wanted = t(opening, view.lang)
    session.open_tab(wanted)
    containers = st.tabs(
        [t(tab.label, view.lang) for tab in TABS], key=Keys.PANEL, on_change="rerun", default=wanted
    )
    for tab, container in zip(TABS, containers, strict=True):
        if container.open:
            with container:
                tab.draw(view, record)


def coverage_line(view: View) -> None:
    st.markdown(texts.coverage_line(panels.coverage(view.all_stations), view.lang))


def show_station(record: StationRecord, view: View) -> None:
    lang, responses = view.lang, view.responses
    heading, blocks = texts.station_markdown(record, responses, lang)
    st.markdown(heading)
    st.button(t("clear_station", lang), on_click=session.update, args=(pagestate.select, None))
    # What was reported and by whom, then what governments did, then the record's details.
    for block in blocks[: texts.STATION_LEAD_BLOCKS]:
        st.markdown(block)
    timeline = panels.responses_for_station(responses, record)
    st.markdown(texts.responses_heading(len(timeline), lang))
    show_timeline(timeline, lang)
    changed = versions.last_changed(str(record["station_id"]), view.releases)
    age, stale = texts.age_line(record, changed, view.today, lang)
    (st.warning if stale else st.caption)(age)
    for block in blocks[texts.STATION_LEAD_BLOCKS :]:
        st.markdown(block)


def show_timeline(timeline: pd.DataFrame, lang: str) -> None:
    if timeline.empty:
        st.caption(t("no_response", lang))
        return
    st.markdown(texts.timeline_markdown(timeline, lang))


def map_image(view: View, cite: str) -> bytes:
    """The view as a map image (PNG): its stations, and the place's circle with a distance
    filter, with the title, the counts, the filters in words and `cite` drawn in (in English:
    the image's font has no Chinese, see dashboard/preview.py)."""
    lang = preview.LANG
    place = (view.place.latitude, view.place.longitude, view.km) if view.place else None
    lines = [
        texts.view_description(view, lang),
        texts.filter_words(view.filters, lang, country_names(view.all_stations)),
        cite,
    ]
    title = t("title", lang)
    return preview.render(
        view.stations, title=title, lines=lines, version=view.version, place=place
    )


def downloads(view: View) -> None:
    """The view's stations (CSV, GeoJSON), its government responses (CSV) and its map (PNG):
    what the page shows. The data files of a view of up to `EAGER_ROWS` stations are made with
    the page (milliseconds) and stay the session's until its next run; larger ones, and the
    image, are made when their button is clicked. Streamlit keeps a file made on a click
    unreferenced: the end of any two script runs (of any session: another reader, the map's
    reports) deletes it, and a click that comes just before them gets nothing."""
    lang, today, filters = view.lang, view.today, view.filters
    n, m = len(view.stations), len(view.view_responses)
    query = urlencode(to_query(filters, display=view.display))
    now = dt.datetime.now(dt.UTC)
    cite = texts.cite_text(query, st.context.url, view.version, DATA_REVIEWED, git_commit(), now)
    files = [
        (
            t("download_csv", lang, stations=plural("n_stations", n, lang)),
            lambda: export.to_csv_bytes(view.stations),
            export.export_filename(filters, today),
            "text/csv",
        ),
        (
            t("download_geojson", lang, stations=plural("n_stations", n, lang)),
            lambda: export.to_geojson_bytes(view.stations),
            export.export_filename(filters, today, extension="geojson"),
            "application/geo+json",
        ),
        (
            t("download_responses", lang, responses=plural("n_responses", m, lang)),
            lambda: export.to_csv_bytes(view.view_responses),
            export.export_filename(filters, today, what="police-station-responses"),
            "text/csv",
        ),
        (
            t("download_png", lang),
            lambda: map_image(view, cite),
            export.export_filename(filters, today, extension="png"),
            "image/png",
        ),
    ]
    eager = n <= EAGER_ROWS
    for i, (column, (label, made, name, mime)) in enumerate(
        zip(st.columns(len(files)), files, strict=True)
    ):
        data = made() if eager and i < len(files) - 1 else made  # the image: always on click
        column.download_button(
            label, data=data, file_name=name, mime=mime, on_click="ignore", width="stretch"
        )


def table(view: View) -> None:
    lang = view.lang
    shown = plural("n_stations", len(view.stations), lang)
    box = st.expander(
        t("table_heading", lang, stations=shown), key=Keys.TABLE_OPEN, on_change=session.keep
    )
    if not box.open:
        return
    with box:
        station_table(view)


def station_table(view: View) -> None:
    lang = view.lang
    rows = panels.table_rows(view.stations, lang=lang)
    ids = tuple(view.stations["station_id"].head(len(rows)))
    before = session.load()
    session.save(before, replace(before, table_ids=ids))
    if len(rows) < len(view.stations):
        st.caption(t("table_capped", lang, shown=f"{len(rows):,}", total=f"{len(view.stations):,}"))
    st.dataframe(
        rows,
        key=Keys.TABLE,
        on_select=session.from_table,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        row_height=56,
        column_config={
            t("col_source", lang): st.column_config.LinkColumn(
                t("col_source", lang), display_text=r"https://(?:www\.)?([^/?#]+)"
            ),
            t("col_name", lang): st.column_config.TextColumn(width="medium"),
            t("col_summary", lang): st.column_config.TextColumn(width="large"),
        },
    )


def about(view: View, filters: Filters) -> None:
    """How the data was made, what it covers, and how to cite this view."""
    lang = view.lang
    # Built only when opened, like the table.
    box = st.expander(t("about", lang), key=Keys.ABOUT_OPEN, on_change=session.keep)
    if box.open:
        with box:
            st.markdown(panels.md_text(t("method", lang)))
            st.caption(panels.md_text(t("translation_note", lang)))
            coverage_line(view)
            st.markdown(texts.version_line(view.version, DATA_REVIEWED, git_commit(), lang))
            query = urlencode(to_query(filters, display=view.display))
            now = dt.datetime.now(dt.UTC)
            st.markdown(texts.cite_heading(lang))
            cite = texts.cite_text(
                query, st.context.url, view.version, DATA_REVIEWED, git_commit(), now
            )
            st.text(f"{cite}\n{texts.view_description(view, lang)}")
    st.caption(t("footer", lang))


def page_top() -> PageState:
    """The page's settings, style and language switch (not in the embed, whose language is
    its link's); the page state of this run."""
    before = session.load()
    state = pagestate.open_display(before, session.link_params())
    session.save(before, state, widgets=True)
    lang = state.lang
    st.set_page_config(page_title=t("page_title", lang), page_icon=None, layout="wide")
    st.html(PAGE_CSS + (EMBED_CSS if state.embed else ""))
    # <html lang> follows the page's language (Streamlit's own page says "en"): a hidden mark
    # and our own script, served from the static folder, copy it there (dashboard/web/page.js).
    st.html(
        f'<span id="st-page-lang" data-lang="{html.escape(lang)}" hidden></span>'
        f'<script src="{assets.url("web/page.js")}"></script>',
        unsafe_allow_javascript=True,
    )
    if not state.embed:
        st.sidebar.radio(
            "Language / 语言 / 語言",
            options=list(LANGUAGES),
            format_func=LANGUAGES.get,
            key=Keys.LANG,
            on_change=session.keep,
            horizontal=True,
        )
    return state


def data_in_use(lang: str, embed: bool) -> tuple[sources.DataSet, Choices | None]:
    """The data files in use (the command line's or environment's, or the reader's own; the
    embed takes no files), each file not used shown with why, and where the data comes from
    when it is not the bundled."""
    stations_path, responses_path = data_paths(sys.argv[1:], os.environ)
    stations_upload, responses_upload = (None, None) if embed else own_files(lang)
    with st.spinner(t("checking", lang)):
        data, choices = load(
            str(stations_path),
            str(responses_path),
            file_stamp(stations_path, responses_path),
            stations_upload,
            responses_upload,
        )
    for problem in data.problems:
        show_problem(problem, lang)
    if data.stations is not None and (
        stations_upload or responses_upload or data.stations_origin.kind != "bundled"
    ):
        # In the sidebar, by the files' own section: above the title it would push the map down.
        (st.caption if embed else st.sidebar.info)(
            t(
                "origin_note",
                lang,
                stations=panels.md_text(texts.origin_text(data.stations_origin, lang)),
                responses=panels.md_text(texts.origin_text(data.responses_origin, lang)),
            )
        )
    return data, choices


def widget_context(
    data: sources.DataSet, stations: pd.DataFrame, choices: Choices, lang: str
) -> WidgetContext:
    """The page state for this data (the link's filters on a first run), and what the filter
    widgets need."""
    today = dt.date.today()
    first = str(stations["first_reported_date"].min())
    months = months_between(min(first, "2022-01"), today.strftime("%Y-%m"))
    before = session.load()
    state, rewrite = pagestate.take_pending(
        pagestate.open_filters(before, session.link_params(), choices, months, today)
    )
    session.save(before, state, widgets=True, rewrite=rewrite or not before.started)
    st.title(t("title", lang))
    notices(state, len(data.orphans))
    entries = data.releases
    previous = (entries[1].version, entries[1].date) if len(entries) > 1 else None
    return WidgetContext(
        lang,
        months,
        today,
        choices,
        country_names(stations),
        country_counts(stations),
        previous=previous,
    )


def main() -> None:
    started = time.perf_counter()
    prepare_assets()
    page = page_top()
    lang = page.lang
    # The embed has no sidebar: its filters are its link's, and their part draws nothing.
    filter_area = st.container() if page.embed else st.sidebar.container()
    data, choices = data_in_use(lang, page.embed)
    if data.stations is None or choices is None:
        st.title(t("title", lang))
        return
    if not st.get_option("server.enableStaticServing"):
        st.error(t("static_off", lang))
    widgets = widget_context(data, data.stations, choices, lang)
    # The map first: its frame starts loading before anything below it. The filter widgets
    # come once it has drawn its stations (`filters_part`); their values are already in the
    # session state, set from the link or by the reader.
    main_area(data, widgets)
    with filter_area:
        # A sidebar widget's change runs the whole page (`session.whole_page`); the search box
        # reruns only the part under the title.
        filters_part(replace(widgets, on_change=session.whole_page))
    if os.environ.get("DASHBOARD_TIMINGS"):
        # Measured by benchmarks/sessions.py: one line per script run of a session.
        ms = (time.perf_counter() - started) * 1000
        print(f"rerun-ms {session.session_id()} {ms:.1f}", file=sys.stderr, flush=True)


if __name__ == "__main__":  # Streamlit runs the file as the main module; an import runs nothing
    main()
