"""The dashboard's layout. Logic lives in the modules it calls; this file only arranges them.

Start: `python -m streamlit run dashboard/app.py [-- --stations FILE --responses FILE]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from dashboard import assets, export, geocode, history, maps, panels, places, sources
from dashboard.data import DATA_REVIEWED, RESPONSES_PATH, STATIONS_PATH, show_value
from dashboard.filters import (
    EARLIEST_AS_OF,
    Filters,
    apply_filters,
    country_counts,
    month_of,
    months_between,
    showing_text,
)
from dashboard.i18n import (
    LANGUAGES,
    Msg,
    bureau_label,
    language,
    msg,
    response_label,
    status_label,
    t,
)
from dashboard.schema import BUREAU_DEFINITIONS, RESPONSE_TYPE_DEFINITIONS, STATUS_DEFINITIONS
from dashboard.urlstate import Choices, parse_language, parse_query, to_query


def cli_paths(argv: list[str]) -> tuple[Path, Path]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--stations", type=Path, default=STATIONS_PATH)
    parser.add_argument("--responses", type=Path, default=RESPONSES_PATH)
    args, _ = parser.parse_known_args(argv)
    return args.stations, args.responses


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


@st.cache_resource(show_spinner=False, max_entries=256)
def find_place(name: str, origin: str, _stations: pd.DataFrame) -> places.Place | Msg:
    """A place by name, once per name and data. Unknown names are looked up online
    (OpenStreetMap's Nominatim) unless DASHBOARD_OFFLINE=1."""
    offline = os.environ.get("DASHBOARD_OFFLINE", "") not in ("", "0")
    online = None if offline else geocode.NominatimGeocoder(timeout=3)
    return places.resolve_place(name, _stations, online=online)


@st.cache_resource(show_spinner=False)
def prepare_assets() -> None:
    assets.ensure_static_assets()


# cache_resource, not cache_data: every session shares the one validated copy (cache_data would
# hand each session its own unpickled copy, megabytes per session on large files). Nothing
# downstream modifies these frames; the filters and panels only read them.
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
    names = data.stations.drop_duplicates("country_code")["country_code"]
    choices = Choices(
        countries=frozenset(names),
        statuses=frozenset(STATUS_DEFINITIONS),
        bureaus=frozenset(BUREAU_DEFINITIONS),
        response_types=frozenset(RESPONSE_TYPE_DEFINITIONS),
        stations=frozenset(data.stations["station_id"]),
    )
    return data, choices


@st.cache_data(max_entries=64, show_spinner=False)
def chart_spec(frame: pd.DataFrame, kind: str, lang: str) -> dict:
    """The Vega-Lite spec of an Altair chart, built once per distinct data (Altair's schema
    validation costs more than the rest of a rerun)."""
    if kind == "per_country":
        chart = (
            alt.Chart(frame, title=t("chart_per_country", lang))
            .mark_bar()
            .encode(
                x=alt.X("stations:Q", title=t("chart_stations", lang)),
                y=alt.Y("country:N", sort="-x", title=None),
            )
        )
    else:
        chart = (
            alt.Chart(frame, title=t("chart_per_year", lang))
            .mark_bar()
            .encode(
                x=alt.X("year:O", title=t("chart_year", lang)),
                y=alt.Y("responses:Q", title=t("chart_responses", lang)),
                color=alt.Color("type:N", title=t("chart_type", lang)),
                # The colours name the types in the legend; the tooltip says it in words too.
                tooltip=[
                    alt.Tooltip("year:O", title=t("chart_year", lang)),
                    alt.Tooltip("type:N", title=t("chart_type", lang)),
                    alt.Tooltip("responses:Q", title=t("chart_responses", lang)),
                ],
            )
        )
    return chart.to_dict()


def file_stamp(*paths: Path) -> tuple:
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)


def uploaded(key: str, label: str) -> tuple[str, bytes] | None:
    file = st.file_uploader(label, type=["csv"], key=key)
    return (file.name, file.getvalue()) if file is not None else None


def forget_uploads() -> None:
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1


def show_problem(problem: str, lang: str) -> None:
    head, _, rest = problem.partition("\n")
    st.error(t("not_used", lang, problem=panels.md_text(head)))
    if t("problems_english", lang):
        st.caption(t("problems_english", lang))
    lines = rest.splitlines()
    shown = "\n".join(lines[:MAX_PROBLEM_LINES])
    if len(lines) > MAX_PROBLEM_LINES:
        more = t("more_problems", lang, count=f"{len(lines) - MAX_PROBLEM_LINES:,}")
        shown += f"\n  {more}"
    st.code(shown, language=None)
    if len(lines) > MAX_PROBLEM_LINES:
        st.download_button(t("download_problems", lang), problem, "problems.txt")


MAX_PROBLEM_LINES = 1000
BUNDLED_STATIONS = f"the bundled {STATIONS_PATH.name}"


def origin_text(origin: str, lang: str) -> str:
    """Where data came from, in words (file names stay as they are)."""
    if origin.startswith("the bundled "):
        return t("origin_bundled", lang, name=origin.removeprefix("the bundled "))
    if origin == "no responses":
        return t("origin_none", lang)
    return origin


def keep_valid_choices(choices: Choices, months: list[str]) -> None:
    """Drop remembered filter values that the data now in use does not have."""
    for key, allowed in (
        ("countries", choices.countries),
        ("statuses", choices.statuses),
        ("bureaus", choices.bureaus),
        ("rtypes", choices.response_types),
    ):
        if key in st.session_state:
            st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    value = st.session_state.get("months")
    if not (isinstance(value, tuple | list) and set(value) <= set(months)):
        st.session_state["months"] = (months[0], months[-1])
    if st.session_state.get("station") not in choices.stations:
        st.session_state["station"] = None


def reset_filters(months: list[str]) -> None:
    # Assign every widget its empty value (popping the keys would leave the widgets showing
    # their old choices while the filters were cleared).
    apply_link(Filters(), months)
    st.session_state["notices"] = []


def apply_link(filters: Filters, months: list[str]) -> None:
    st.session_state["countries"] = list(filters.countries)
    st.session_state["statuses"] = list(filters.statuses)
    st.session_state["bureaus"] = list(filters.bureaus)
    st.session_state["rtypes"] = list(filters.response_types)
    st.session_state["q"] = filters.query
    low = month_of(filters.date_from, months) if filters.date_from else months[0]
    high = month_of(filters.date_to, months, upper=True) if filters.date_to else months[-1]
    st.session_state["months"] = (low, max(low, high))
    st.session_state["station"] = filters.station
    st.session_state["asof"] = dt.date.fromisoformat(filters.as_of) if filters.as_of else None
    st.session_state["near"] = filters.near or ""
    st.session_state["km"] = float(filters.km or places.DEFAULT_KM)


def current_filters(months: list[str]) -> Filters:
    value = st.session_state.get("months")
    in_range = isinstance(value, tuple | list) and len(value) == 2 and set(value) <= set(months)
    low, high = value if in_range else (months[0], months[-1])
    return Filters(
        countries=tuple(st.session_state.get("countries", ())),
        statuses=tuple(st.session_state.get("statuses", ())),
        bureaus=tuple(st.session_state.get("bureaus", ())),
        response_types=tuple(st.session_state.get("rtypes", ())),
        query=" ".join(str(st.session_state.get("q", "")).split()),
        date_from=None if low == months[0] else low,
        date_to=None if high == months[-1] else high,
        station=st.session_state.get("station"),
        as_of=st.session_state["asof"].isoformat() if st.session_state.get("asof") else None,
        near=" ".join(str(st.session_state.get("near") or "").split()) or None,
        km=float(st.session_state.get("km") or places.DEFAULT_KM)
        if st.session_state.get("near")
        else None,
    )


def step_as_of(months: int, today: dt.date) -> None:
    st.session_state["asof"] = history.step_month(st.session_state.get("asof"), months, today)


def select_from_map() -> None:
    value = st.session_state.get("map") or {}
    picked = maps.station_from_popup(value.get("last_object_clicked_popup"))
    if picked:
        st.session_state["station"] = picked


def select_from_table() -> None:
    rows = st.session_state["table"]["selection"]["rows"]
    ids = st.session_state.get("shown_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state["station"] = ids[rows[0]]


def select_from_list() -> None:
    picked = st.session_state.get("station_pick") or None
    known = st.session_state.get("known_ids", frozenset())
    st.session_state["station"] = picked if picked in known else None
    if picked and picked not in known:
        st.session_state["notices"] = [
            *st.session_state.get("notices", []),
            msg("station_not_in_data", id=show_value(picked)),
        ]


def show_station(record: dict, responses: pd.DataFrame, lang: str) -> None:
    code = str(record["status"])
    st.markdown(f"#### {panels.md_text(record['name'])}")
    meaning = t(f"status_meaning.{code}", lang) if code in STATUS_DEFINITIONS else ""
    st.markdown(
        f"**{t('status_line', lang)}:** {panels.md_text(status_label(code, lang))} "
        f"({panels.md_text(code)}, {panels.md_text(record['status_date'])}): "
        f"{panels.md_text(meaning)}"
    )
    st.markdown(f"**{t('summary', lang)}:** {panels.md_text(record['summary'])}")
    st.markdown(
        f"**{t('sources', lang)}:** "
        + " · ".join(panels.md_source(u, lang) for u in panels.sources_of(record))
    )
    st.markdown(
        "  \n".join(
            f"**{panels.md_text(k)}:** {panels.md_text(v)}"
            for k, v in panels.station_fields(record, lang)
        )
    )
    st.markdown(f"**{panels.md_text(t('status_history', lang))}**")
    st.markdown(
        "\n".join(
            f"- **{panels.md_text(step['date'])}** · "
            f"{panels.md_text(status_label(step['status'], lang))} · "
            f"{panels.md_text(step['event'])}"
            + (f" ({panels.md_link(step['source'], lang)})" if step["source"] else "")
            for step in history.status_history(record, responses, lang)
        )
    )
    timeline = panels.responses_for_station(responses, record)
    st.markdown(f"**{t('responses_about', lang, count=len(timeline))}**")
    show_timeline(timeline, lang)


def show_timeline(timeline: pd.DataFrame, lang: str) -> None:
    if timeline.empty:
        st.caption(t("no_response", lang))
        return
    lines = []
    for r in timeline.itertuples(index=False):
        kind = response_label(str(r.response_type), lang)
        lines.append(
            f"- **{panels.md_text(r.date)}** · {panels.md_text(kind)} · "
            f"{panels.md_text(r.actor)}: {panels.md_text(r.summary)} "
            f"({panels.md_source(str(r.source_url), lang)})"
        )
    st.markdown("\n".join(lines))


def choose_language() -> str:
    """The interface language: from the link on a session's first run, then the switch."""
    if "lang" not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        st.session_state["lang"], st.session_state["lang_notices"] = parse_language(params)
    st.sidebar.radio(
        "Language / 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        horizontal=True,
    )
    return language(st.session_state.get("lang"))


def main() -> None:
    started = time.perf_counter()
    prepare_assets()
    lang = choose_language()
    st.set_page_config(page_title=t("page_title", lang), page_icon=None, layout="wide")
    stations_path, responses_path = cli_paths(sys.argv[1:])
    filter_area = st.sidebar.container()
    with st.sidebar.expander(t("own_files", lang), expanded=False):
        st.caption(t("own_files_help", lang))
        round_ = st.session_state.get("upload_round", 0)
        stations_upload = uploaded(f"stations_file_{round_}", t("stations_csv", lang))
        responses_upload = uploaded(f"responses_file_{round_}", t("responses_csv", lang))
        st.button(t("back_to_bundled", lang), on_click=forget_uploads)
    with st.spinner(t("checking", lang)):
        data, choices = load(
            str(stations_path),
            str(responses_path),
            file_stamp(stations_path, responses_path),
            stations_upload,
            responses_upload,
        )
    stations, responses, orphans = data.stations, data.responses, data.orphans
    st.title(t("title", lang))
    for problem in data.problems:
        show_problem(problem, lang)
    if stations is None:
        st.stop()
    if stations_upload or responses_upload or data.stations_origin != BUNDLED_STATIONS:
        st.info(
            t(
                "origin_note",
                lang,
                stations=panels.md_text(origin_text(data.stations_origin, lang)),
                responses=panels.md_text(origin_text(data.responses_origin, lang)),
            )
        )
    if not st.get_option("server.enableStaticServing"):
        st.error(t("static_off", lang))

    today = dt.date.today()
    first = str(stations["first_reported_date"].min())
    months = months_between(min(first, "2022-01"), today.strftime("%Y-%m"))
    names = stations.drop_duplicates("country_code").set_index("country_code")["country"]
    st.session_state["known_ids"] = choices.stations
    keep_valid_choices(choices, months)
    if "initialised" not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params}
        linked, notices = parse_query(params, choices, today)
        apply_link(linked, months)
        st.session_state["notices"] = [*st.session_state.get("lang_notices", []), *notices]
        st.session_state["initialised"] = True

    counts = country_counts(stations)
    with filter_area:
        st.header(t("filters", lang))
        st.multiselect(
            t("country", lang),
            options=sorted(names.index, key=lambda c: str(names[c])),
            format_func=lambda c: f"{names[c]} ({counts.get(c, 0)})",
            key="countries",
            placeholder=t("choose_options", lang),
        )
        st.multiselect(
            t("status", lang),
            options=list(STATUS_DEFINITIONS),
            format_func=lambda s: status_label(s, lang),
            key="statuses",
            placeholder=t("choose_options", lang),
        )
        st.multiselect(
            t("bureau", lang),
            list(BUREAU_DEFINITIONS),
            format_func=lambda b: bureau_label(b, lang),
            key="bureaus",
            placeholder=t("choose_options", lang),
        )
        st.multiselect(
            t("rtypes", lang),
            options=list(RESPONSE_TYPE_DEFINITIONS),
            format_func=lambda r: response_label(r, lang),
            key="rtypes",
            placeholder=t("choose_options", lang),
        )
        st.select_slider(t("months", lang), options=months, key="months")
        st.text_input(
            t("search", lang),
            key="q",
            max_chars=200,
            placeholder=t("search_placeholder", lang),
        )
        st.date_input(
            t("asof", lang),
            key="asof",
            min_value=EARLIEST_AS_OF,
            max_value=today,
            format="YYYY-MM-DD",
            help=t("asof_help", lang),
        )
        back_col, forward_col = st.columns(2)
        back_col.button(
            t("month_back", lang),
            on_click=step_as_of,
            args=(-1, today),
            help=t("month_back_help", lang),
            width="stretch",
        )
        forward_col.button(
            t("month_forward", lang),
            on_click=step_as_of,
            args=(1, today),
            help=t("month_forward_help", lang),
            width="stretch",
        )
        near_col, km_col = st.columns([3, 2])
        near_col.text_input(
            t("near", lang),
            key="near",
            max_chars=100,
            placeholder=t("near_placeholder", lang),
            help=t("near_help", lang),
        )
        km_col.number_input(t("km", lang), key="km", min_value=1.0, max_value=20000.0, step=10.0)
        st.button(t("reset", lang), on_click=reset_filters, args=(months,))
        st.divider()
        tiles = st.toggle(
            t("tiles", lang),
            value=True,
            key="tiles",
            help=t("tiles_help", lang),
        )

    filters = current_filters(months)

    day = dt.date.fromisoformat(filters.as_of) if filters.as_of else None
    if day:
        responses = history.responses_by(responses, day)
    place = None
    if filters.near:
        with st.spinner(t("looking_up", lang)):
            place = find_place(filters.near, data.stations_origin, stations)
    if isinstance(place, Msg):
        st.warning(panels.md_text(t("near_not_applied", lang, why=place.text(lang))))
        place = None

    def view(
        stations: pd.DataFrame = stations, responses: pd.DataFrame = responses
    ) -> pd.DataFrame:
        """The stations of this view (as of the day, filtered, near the place): the same rows
        are shown and downloaded."""
        rows = apply_filters(
            history.as_of(stations, responses, day) if day else stations, filters, responses
        )
        return places.within(rows, place, float(filters.km or places.DEFAULT_KM)) if place else rows

    shown = view()
    if place:
        st.caption(
            t(
                "within",
                lang,
                km=f"{filters.km:g}",
                place=panels.md_text(place.name),
                lat=f"{place.latitude:.3f}",
                lon=f"{place.longitude:.3f}",
                how=t(f"found_{place.how}", lang),
            )
        )
    wanted = to_query(filters, lang)
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)

    st.markdown(f"**{showing_text(shown, len(stations), lang)}**")
    for notice in st.session_state.get("notices", []):
        st.warning(panels.md_text(notice.text(lang) if isinstance(notice, Msg) else notice))
    if len(orphans):
        st.info(t("orphans", lang, count=len(orphans)))

    map_col, panel_col = st.columns([3, 2], gap="medium")
    with map_col:
        center, zoom = maps.view_for(shown)
        st_folium(
            maps.build_base_map(tiles=tiles, lang=lang),
            key="map",
            feature_group_to_add=maps.build_station_layer(shown, filters.station, responses, lang),
            center=center,
            zoom=zoom,
            height=maps.MAP_HEIGHT_PX,
            width=None,
            returned_objects=["last_object_clicked_popup"],
            on_change=select_from_map,
        )
        st.caption(t("map_caption", lang))
    with panel_col:
        status_tab, responses_tab, country_tab = st.tabs(
            [t("tab_status", lang), t("tab_responses", lang), t("tab_country", lang)]
        )
        with status_tab:
            st.dataframe(panels.status_counts(shown, lang), hide_index=True, width="stretch")
            if len(shown) <= panels.PICKER_MAX_STATIONS:
                ids = list(shown["station_id"])
                if filters.station and filters.station not in ids:
                    ids = [filters.station, *ids]
                st.session_state["station_pick"] = filters.station
                label_of = dict(zip(shown["station_id"], shown["name"], strict=True))
                if filters.station and filters.station not in label_of:
                    label_of[filters.station] = panels.station_record(stations, filters.station)[
                        "name"
                    ]
                st.selectbox(
                    t("station_details", lang),
                    options=[None, *ids],
                    format_func=lambda i: (
                        t("choose_station", lang) if i is None else f"{label_of[i]} ({i})"
                    ),
                    key="station_pick",
                    on_change=select_from_list,
                    placeholder=t("choose_station", lang),
                )
            else:
                st.session_state["station_pick"] = filters.station or ""
                st.text_input(
                    t("station_id_input", lang),
                    key="station_pick",
                    on_change=select_from_list,
                    help=t("too_many_to_list", lang, count=f"{len(shown):,}"),
                )
            record = panels.station_record(stations, filters.station) if filters.station else None
            if record:
                show_station(record, responses, lang)
        with country_tab:
            st.caption(t("country_caption", lang))
            st.dataframe(
                panels.country_summary(shown, responses, lang), hide_index=True, width="stretch"
            )
        with responses_tab:
            for _code, country, timeline in panels.country_timelines(responses, shown):
                with st.expander(f"{panels.md_text(country)} ({len(timeline)})"):
                    show_timeline(timeline, lang)

    chart_a, chart_b = st.columns(2)
    with chart_a:
        per_country = panels.stations_per_country(shown).head(25)
        st.vega_lite_chart(chart_spec(per_country, "per_country", lang), width="stretch")
    with chart_b:
        per_year = panels.responses_per_year(responses, lang)
        st.vega_lite_chart(chart_spec(per_year, "per_year", lang), width="stretch")

    st.subheader(t("stations_heading", lang))
    table = panels.table_rows(shown, lang=lang)
    st.session_state["shown_ids"] = list(shown["station_id"].head(len(table)))
    if len(table) < len(shown):
        st.caption(t("table_capped", lang, shown=f"{len(table):,}", total=f"{len(shown):,}"))
    st.dataframe(
        table,
        key="table",
        on_select=select_from_table,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={
            t("col_source", lang): st.column_config.LinkColumn(
                t("col_source", lang), display_text=r"https://(?:www\.)?([^/?#]+)"
            )
        },
    )
    st.download_button(
        t("download_csv", lang, count=len(shown)),
        # Made only when the button is clicked, from the shared data and this view's filters.
        data=lambda: export.to_csv_bytes(view()),
        file_name=export.export_filename(filters, today),
        mime="text/csv",
        on_click="ignore",
    )
    st.download_button(
        t("download_geojson", lang, count=len(shown)),
        data=lambda: export.to_geojson_bytes(view()),
        file_name=export.export_filename(filters, today, extension="geojson"),
        mime="application/geo+json",
        on_click="ignore",
    )
    with st.expander(t("cite", lang)):
        query = urlencode(to_query(filters, lang))
        base = (st.context.url or "").split("?", 1)[0]
        link = f"{base}?{query}" if base and query else base or None
        st.code(
            export.citation(query, DATA_REVIEWED, git_commit(), dt.datetime.now(dt.UTC), link),
            language=None,
            wrap_lines=True,
        )
    st.caption(t("footer", lang))

    if os.environ.get("DASHBOARD_TIMINGS"):
        # Measured by benchmarks/sessions.py: one line per script run of a session.
        ctx = get_script_run_ctx()
        ms = (time.perf_counter() - started) * 1000
        print(f"rerun-ms {ctx.session_id if ctx else '-'} {ms:.1f}", file=sys.stderr, flush=True)


main()
