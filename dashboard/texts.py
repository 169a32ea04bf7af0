"""What the page says about its data: Markdown in which every data value is escaped.

Pure functions: `app.py` hands their strings to `st.markdown`, `st.caption` or `st.error` as
they are. Data values go through `panels.md_text` (text), `panels.md_link` and
`panels.md_source` (links, https only); the message catalogue's own words are trusted. Three are
plain text: `origin_text` (escaped where a message takes it in), `cite_text` (for `st.text`) and
`filter_words` (drawn on the map image, `dashboard.preview`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urljoin

import pandas as pd

from dashboard import export, history
from dashboard.changes import Change
from dashboard.data import Rejection
from dashboard.filters import Filters, showing_text
from dashboard.i18n import (
    DEFAULT_LANGUAGE,
    MESSAGES,
    bureau_label,
    country_label,
    language,
    long_date,
    number,
    response_label,
    sentences,
    status_label,
    t,
)
from dashboard.panels import (
    REPORTS,
    TIER_NAMES,
    Coverage,
    md_link,
    md_source,
    md_text,
    place_words,
    safe_url,
    sources_of,
    station_fields,
)
from dashboard.places import DEFAULT_KM, Place
from dashboard.rules import strongest_responses
from dashboard.schema import STATUS_DEFINITIONS, StationRecord
from dashboard.sources import Origin
from dashboard.versions import Release
from dashboard.view import View

# A rejected file's problems shown on the page; the rest are in a download.
MAX_PROBLEM_LINES = 1000


def origin_text(origin: Origin, lang: str) -> str:
    """Where data came from, in words (file names stay as they are)."""
    if origin.kind == "bundled":
        return t("origin_bundled", lang, name=origin.name)
    if origin.kind == "none":
        return t("origin_none", lang)
    return origin.name


@dataclass(frozen=True)
class ProblemText:
    """A rejected file, as the page reports it."""

    error: str  # Markdown: the file was not used, and why
    lines: str  # plain text for a code block: its problems, one a line, at most the shown few
    cut: bool  # there were more problems than lines: the full list is offered as a download


def problem_text(rejected: Rejection, lang: str, max_lines: int = MAX_PROBLEM_LINES) -> ProblemText:
    """A rejected file for the page: its headline, then one problem a line (the first
    `max_lines`, and how many more)."""
    lines = [f"  {detail}" for detail in rejected.details]
    shown = "\n".join(lines[:max_lines])
    cut = len(lines) > max_lines
    if cut:
        more = t("more_problems", lang, count=f"{len(lines) - max_lines:,}")
        shown += f"\n  {more}"
    return ProblemText(t("not_used", lang, problem=md_text(rejected.headline)), shown, cut)


def count_line(
    shown: pd.DataFrame, total: int, day: dt.date | None, reviewed: str, lang: str
) -> str:
    """The line above the map: how many stations it shows, and as of which day (else the day
    the data was last reviewed, `reviewed` as YYYY-MM-DD)."""
    count = showing_text(shown, total, lang)
    if day:
        so_far = t("asof_heading", lang, day=long_date(day, lang), count=len(shown))
        return f"**{md_text(so_far)}** · {md_text(count)}"
    words = t("data_reviewed", lang, day=long_date(dt.date.fromisoformat(reviewed), lang))
    return f"**{md_text(count)}** · {md_text(words)}"


def place_line(
    place: Place,
    km: float,
    nearest: tuple[Mapping[str, object], float] | None,
    lang: str,
) -> str:
    """The distance filter's place and how it was found; with nothing in range, first the
    nearest station (`nearest`: its record and distance in km)."""
    words = t(
        "within",
        lang,
        km=f"{km:g}",
        place=place.name,
        lat=f"{place.latitude:.3f}",
        lon=f"{place.longitude:.3f}",
        how=t(f"found_{place.how}", lang),
    )
    if nearest is None:
        return md_text(words)
    record, distance = nearest
    missed = t(
        "none_within",
        lang,
        km=f"{km:g}",
        place=place.name,
        name=str(record["name"]),
        where=place_words(record, lang),
        distance=f"{distance:,.0f}",
    )
    return md_text(f"{missed} {words}")


def coverage_line(cover: Coverage, lang: str) -> str:
    """The data against Safeguard Defenders' reports, with links to both reports."""
    reports = " · ".join(
        f"[{md_text(r.title)}]({safe_url(r.url)}) "
        f"({md_text(long_date(dt.date.fromisoformat(r.published), lang))})"
        for r in REPORTS
    )
    return f"{md_text(cover.words(lang))} {md_text(t('reports', lang))}: {reports}"


SITE_URL_ENV = "DASHBOARD_SITE_URL"
DEFAULT_SITE_URL = "/published/"  # where the deployment serves `python -m dashboard.publish`'s site


def site_url(environ: Mapping[str, str] | None = None) -> str:
    """The published site's address (`DASHBOARD_SITE_URL`, else `/published/`), ending in /."""
    value = (os.environ if environ is None else environ).get(SITE_URL_ENV, "").strip()
    value = value or DEFAULT_SITE_URL
    return value if value.endswith("/") else value + "/"


def permanent_link(station_id: str, lang: str, site: str | None = None) -> str:
    """A Markdown link to the station's page on the published site, its permanent address."""
    # Percent-encode all but the characters of a plain address: nothing can end the link early.
    target = quote(f"{site or site_url()}station/{station_id}/", safe="/:.-_~%")
    return f"[{md_text(t('permanent_page', lang))}]({target})"


STATION_LEAD_BLOCKS = 3  # status, summary and sources: a station's panel shows its responses next


def station_markdown(
    record: StationRecord, responses: pd.DataFrame, lang: str, site: str | None = None
) -> tuple[str, list[str]]:
    """A station's panel: its heading (a level-2 heading with its name), then each block in the
    order shown: status, summary, sources, every field, its status history, and the link to
    its page on the published site (`site`: its address, else `site_url()`)."""
    blocks = [
        _status_line(record, lang),
        f"**{t('summary', lang)}:** {md_text(record['summary'])}",
        f"**{t('sources', lang)}:** " + " · ".join(md_source(u, lang) for u in sources_of(record)),
        # Every field that has a value (an empty "Address:" line told a reader nothing).
        "  \n".join(
            f"**{md_text(k)}:** {md_text(v)}" for k, v in station_fields(record, lang) if v
        ),
        f"**{md_text(t('status_history', lang))}**",
        _history_list(record, responses, lang),
        permanent_link(str(record["station_id"]), lang, site),
    ]
    # h2 under the page's h1 (headings in order), sized for the side panel by app.PAGE_CSS.
    return f"## {md_text(record['name'])}", blocks


def _status_line(record: Mapping[str, object], lang: str) -> str:
    """Its status in words, code and date, and what that status means."""
    code = str(record["status"])
    meaning = t(f"status_meaning.{code}", lang) if code in STATUS_DEFINITIONS else ""
    # The status code is the data's word: English pages show it beside its label.
    dated = str(record["status_date"])
    when = f"{code}, {dated}" if language(lang) == DEFAULT_LANGUAGE else dated
    return (
        f"**{t('status_line', lang)}:** {md_text(status_label(code, lang))} "
        f"({md_text(when)}): {md_text(meaning)}"
    )


def _history_list(record: StationRecord, responses: pd.DataFrame, lang: str) -> str:
    """Its status over time (`history.status_history`), one dated step a list item."""
    return "\n".join(
        f"- **{md_text(step['date'])}** · {md_text(status_label(step['status'], lang))} · "
        f"{md_text(step['event'])}"
        + (f" ({md_link(step['source'], lang)})" if step["source"] else "")
        for step in history.status_history(record, responses, lang)
    )


def responses_heading(count: int, lang: str) -> str:
    """The heading over a station's responses (`panels.responses_for_station`), with their
    number."""
    return f"**{t('responses_about', lang, count=count)}**"


def timeline_markdown(timeline: pd.DataFrame, lang: str) -> str:
    """Government responses as a list, oldest first: date, kind, actor, summary and source."""
    return "\n".join(
        f"- **{md_text(r.date)}** · {md_text(response_label(str(r.response_type), lang))} · "
        f"{md_text(r.actor)}: {md_text(r.summary)} ({md_source(str(r.source_url), lang)})"
        for r in timeline.itertuples(index=False)
    )


def explorer_link(page_url: str | None, query: str) -> str:
    """The full explorer's address for a view: the page's own address (scheme, host and path,
    without its query or fragment) with the view's query; without the page's address, the
    query alone (a link relative to the page)."""
    base = (page_url or "").split("#", 1)[0].split("?", 1)[0]
    return f"{base}?{query}" if query else base or "?"


def version_line(version: str | None, reviewed: str, commit: str | None, lang: str) -> str:
    """The data's version and review day (or that its files state none), and the code's
    commit."""
    short = (commit or "-")[:12]
    if version:
        words = t("version", lang, version=version, reviewed=reviewed, commit=short)
    else:
        words = t("version_unstated", lang, commit=short)
    return f"**{md_text(t('data_version', lang))}:** {md_text(words)}"


def cite_heading(lang: str) -> str:
    return f"**{md_text(t('cite', lang))}**"


def cite_text(
    query: str,
    page_url: str | None,
    version: str | None,
    reviewed: str,
    commit: str | None,
    now: dt.datetime,
    site: str | None = None,
) -> str:
    """The "cite this view" text (plain, for `st.text`): `export.citation` with the data's
    versioned address on the published site (`site`, else `site_url()`, made absolute against
    the page's address) and a link to the view, made of the page's address (`page_url`, its
    own query dropped) and the view's `query`."""
    base = (page_url or "").split("?", 1)[0]
    link = explorer_link(base, query) if base else None
    data = (
        urljoin(base, f"{site or site_url()}data/{quote(version, safe='')}/") if version else None
    )
    return export.citation(query, version, reviewed, commit, now, link, data)


def age_line(
    record: StationRecord, changed: Release | None, today: dt.date, lang: str
) -> tuple[str, bool]:
    """When the station's record last changed (its newest changelog entry, when the data has
    a changelog) and when its sources were last read; True when that was over a year ago."""
    words = []
    if changed is not None:
        day = long_date(dt.date.fromisoformat(changed.date), lang)
        words.append(t("record_changed", lang, version=changed.version, day=day))
    checked = str(record.get("last_checked") or "")
    stale = False
    if checked:
        checked_day = dt.date.fromisoformat(checked[:10])
        words.append(t("record_checked", lang, day=long_date(checked_day, lang)))
        stale = (today - checked_day).days > 365
        if stale:
            words.append(t("record_stale", lang))
    return md_text(" ".join(words)), stale


def since_line(count: int, since: dt.date, lang: str) -> str:
    """The line above the map with a `since` day: how many changes it marks, and how."""
    return md_text(t("since_line", lang, count=count, day=long_date(since, lang)))


def changes_markdown(changes: Sequence[Change], since: dt.date, lang: str) -> str:
    """What changed after `since`, newest first, one dated line each with its source."""
    if not changes:
        return md_text(t("changes_none", lang, day=long_date(since, lang)))
    return "\n".join(_change_line(change, lang) for change in changes)


def _change_line(change: Change, lang: str) -> str:
    if change.kind == "reported":
        what = t("change_reported", lang)
    elif change.kind == "status":
        what = t("change_status", lang, status=status_label(change.status or "", lang))
    else:
        what = response_label(change.response_type or "", lang)
    subject = change.subject or change.title
    line = f"- **{md_text(change.date)}** · {md_text(what)} · {md_text(subject)}"
    if change.recorded:
        line += f" ({md_text(t('change_recorded', lang, version=change.recorded))})"
    if change.source_url:
        line += f" ({md_source(change.source_url, lang)})"
    return line


def filter_words(
    filters: Filters, lang: str, country_names: Mapping[str, str] | None = None
) -> str:
    """The view's filters in words, plain text (`Filters: in Netherlands; status Said to be
    closed; matching “fuzhou”`), or that there are none. `country_names`: a country code's name
    (else the code). Values are shown as given: the caller escapes them for its medium."""
    names = country_names or {}
    either = t("fw_or", lang)
    lists = (
        ("fw_countries", [country_label(c, lang, names.get(c, c)) for c in filters.countries]),
        ("fw_statuses", [status_label(code, lang) for code in filters.statuses]),
        ("fw_bureaus", [bureau_label(code, lang) for code in filters.bureaus]),
        ("fw_listed_in", [_listed_name(code, lang) for code in filters.listed_in]),
        ("fw_response_types", [response_label(code, lang) for code in filters.response_types]),
    )
    parts = [t(key, lang, values=either.join(values)) for key, values in lists if values]
    if filters.query:
        parts.append(t("fw_query", lang, query=filters.query))
    parts += _period_words(filters, lang)
    if filters.near:
        km = f"{float(filters.km or DEFAULT_KM):g}"
        parts.append(t("fw_near", lang, km=km, place=filters.near))
    if filters.station:
        parts.append(t("fw_station", lang, id=filters.station))
    if not parts:
        return t("filters_none", lang)
    return t("filters_words", lang, filters=t("list_semicolon", lang).join(parts))


def _listed_name(code: str, lang: str) -> str:
    key = f"listed_name.{code}"
    return t(key, lang) if key in MESSAGES else code


def _period_words(filters: Filters, lang: str) -> list[str]:
    """The first-reported months and the as-of day in words."""
    parts = []
    start, end = filters.date_from, filters.date_to
    if start and end:
        parts.append(t("fw_between", lang, start=start, end=end))
    elif start:
        parts.append(t("fw_from", lang, start=start))
    elif end:
        parts.append(t("fw_until", lang, end=end))
    if filters.as_of:
        try:
            day = long_date(dt.date.fromisoformat(filters.as_of), lang)
        except ValueError:
            day = filters.as_of
        parts.append(t("fw_as_of", lang, day=day))
    return parts


def view_description(view: View, lang: str) -> str:
    """What the map shows now, in a few sentences (plain text): how many stations where, by
    status, the strongest government responses, the as-of day and the place circle. It is
    written under the map, is the map's accessible description, and goes into "Cite this
    view" and the map image."""
    shown, total = view.stations, len(view.all_stations)
    if shown.empty:
        parts = [t("view_none", lang, total=number(total, lang))]
    else:
        parts = [
            t("view_count", lang, shown=number(len(shown), lang), total=number(total, lang),
              countries=_countries_words(shown, lang)),
            t("view_statuses", lang, list=_status_words(shown, lang)),
        ]  # fmt: skip
        strongest = _strongest_words(view, lang)
        if strongest:
            parts.append(t("view_strongest", lang, list=strongest))
    if view.day:
        parts.append(t("view_as_of", lang, day=long_date(view.day, lang)))
    if view.place:
        parts.append(t("view_near", lang, km=number(view.km, lang), place=view.place.name))
    return sentences(parts, lang)


def _countries_words(stations: pd.DataFrame, lang: str, most: int = 4) -> str:
    """ "3 countries (Netherlands, Ireland, Italy)", in `lang`."""
    codes = stations.drop_duplicates("country_code")
    pairs = zip(codes["country_code"], codes["country"], strict=True)
    names = [country_label(str(code), lang, str(name)) for code, name in pairs]
    count = (
        t("n_country_word", lang)
        if len(names) == 1
        else t("n_countries_word", lang, count=number(len(names), lang))
    )
    return t("view_countries", lang, count=count, list=_listed(names, lang, most))


def _listed(items: Sequence[str], lang: str, most: int) -> str:
    shown = t("list_comma", lang).join(items[:most])
    if len(items) > most:
        return t("view_more", lang, list=shown, count=number(len(items) - most, lang))
    return shown


def _status_words(stations: pd.DataFrame, lang: str) -> str:
    counts = stations["status"].astype(str).value_counts()
    items = [
        t("view_status_item", lang, count=number(int(counts[code]), lang),
          status=status_label(code, lang))
        for code in STATUS_DEFINITIONS
        if code in counts.index
    ]  # fmt: skip
    return t("list_comma", lang).join(items)


def _strongest_words(view: View, lang: str, most: int = 3) -> str:
    """Each tier of response reached, strongest first, with the countries that reached it."""
    tiers = strongest_responses(view.view_responses)
    names = dict(zip(view.stations["country_code"], view.stations["country"], strict=False))
    items = []
    for tier in TIER_NAMES:
        codes = sorted(code for code, reached in tiers.items() if reached == tier and code in names)
        if codes:
            countries = [country_label(c, lang, names[c]) for c in codes]
            items.append(
                t("view_tier_item", lang, tier=t(f"tier_{tier}", lang),
                  countries=_listed(countries, lang, most))
            )  # fmt: skip
    return t("list_semicolon", lang).join(items)


def stacked_table(frame: pd.DataFrame, caption: str) -> str:
    """A table as HTML whose rows stack in a narrow column: each row's first cell is its
    heading and every other cell is shown with its column's name (`data-label`, drawn by
    app.PAGE_CSS), so every column is seen without scrolling sideways. The roles keep it a
    table for screen readers when the style changes how it is laid out. Every text is escaped."""
    names = [str(c) for c in frame.columns]
    head = "".join(f'<th scope="col" role="columnheader">{escape(n)}</th>' for n in names)
    rows = []
    for values in frame.itertuples(index=False):
        first, *rest = (escape(str(v)) for v in values)
        cells = "".join(
            f'<td role="cell" data-label="{escape(n)}">{v}</td>'
            for n, v in zip(names[1:], rest, strict=True)
        )
        rows.append(f'<tr role="row"><th scope="row" role="rowheader">{first}</th>{cells}</tr>')
    return (
        f'<table class="st-stack" role="table"><caption>{escape(caption)}</caption>'
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody></table>'
    )
