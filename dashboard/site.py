"""The published site's pages as HTML strings, built from plain data (no I/O).

Every data value goes into a page through `esc` (`html.escape`, quotes too), by `fill`'s
`$name` slots; only `Html` values (made here) go in as they are. JSON inside a `<script>`
element goes through `maps.js_json`, which writes `<`, `>` and `&` as `\\u003c`... so no data
can close the element. Links to sources are https only (`panels.safe_url`), else plain text.

Links between pages are relative to the page (`Page.rel`): the folder works on any static host
and from `python -m http.server`. Only the canonical address, og:url, og:image and the feeds'
links become absolute, when the site is given its base URL.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd

from dashboard import maps, panels
from dashboard.filters import Filters
from dashboard.history import status_history
from dashboard.i18n import MESSAGES, long_date, response_label, status_label, t
from dashboard.rules import TIER_OF, by_date, strongest_responses
from dashboard.schema import STATUS_DEFINITIONS, StationRecord
from dashboard.urlstate import to_query

LANG = "en"
SITE_NAME = t("title", LANG)
IMAGE_SIZE = (1200, 630)
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
DATA_FILES = ("stations.csv", "responses.csv", "stations.geojson", "datapackage.json")
EXPLORE = "Open in the explorer"
MAP_NOTE = (
    "The map shows country outlines only and asks nothing of any other site; OpenStreetMap "
    "tiles can be switched on under “Layers”. Dashed squares are stations known only to their "
    "country, drawn at its centre (approximate). Everything the map shows is also written on "
    "this page."
)


class Html(str):
    """Text that is already HTML: `fill` inserts it as it is."""


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def esc(value: object) -> str:
    """A value as HTML text (quotes escaped too); `Html` as it is; a missing value as ""."""
    if isinstance(value, Html):
        return value
    return "" if _missing(value) else html.escape(str(value), quote=True)


def fill(template: str, **values: object) -> Html:
    """`template` with each `$name` replaced by its value, escaped unless it is `Html`."""
    return Html(string.Template(template).substitute({k: esc(v) for k, v in values.items()}))


def join(parts: Iterable[object], sep: str = "\n") -> Html:
    return Html(sep.join(esc(p) for p in parts))


@dataclass(frozen=True)
class Assets:
    """The static files' addresses under the site root (content-hashed names)."""

    css: str
    js: str
    outlines: Mapping[str, str]  # "world", and each country code in lower case


@dataclass(frozen=True)
class Site:
    """What every page says about the whole site."""

    version: str | None
    reviewed: str
    generated: dt.datetime
    assets: Assets
    base_url: str | None = None  # absolute, ending in "/"; None: every link relative
    explorer_url: str = "/"


@dataclass(frozen=True)
class Page:
    """One page: its folder under the site root ("" for the index) and its preview."""

    path: str
    title: str
    description: str
    image: str = "img/index.png"
    kind: str = "website"
    feeds: tuple[tuple[str, str], ...] = (("feeds/all.xml", "Changes to the data"),)
    json_ld: Mapping[str, object] | None = None
    robots: str | None = None

    def rel(self, target: str) -> str:
        """`target` (an address under the site root) as seen from this page."""
        return "../" * self.path.count("/") + target or "./"


def station_path(station_id: str) -> str:
    return f"station/{quote(station_id, safe='')}/"


def country_path(code: str) -> str:
    return f"country/{quote(code.lower(), safe='')}/"


def absolute(site: Site, page: Page, target: str) -> str:
    """`target` as an absolute URL when the site has a base URL, else relative to `page`."""
    return site.base_url + target if site.base_url else page.rel(target)


def explorer_link(site: Site, filters: Filters) -> str:
    """The explorer's address for a view (`?station=...`, `?country=...`)."""
    query = urlencode(to_query(filters))
    if not query:
        return site.explorer_url
    return site.explorer_url + ("&" if "?" in site.explorer_url else "?") + query


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of a frame as dictionaries by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def shorten(text: str, most: int = 200) -> str:
    """`text` on one line, cut at a word to at most `most` characters."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1].rsplit(" ", 1)[0] + "…"


def status_mark(code: str, approx: bool = False) -> Html:
    """The explorer's marker for a status (colour and letter) beside its word."""
    style = maps.STATUS_STYLES.get(code, maps.UNKNOWN_STYLE)
    return fill(
        '<span class="status$approx"><span class="st-mark" aria-hidden="true" '
        'style="background:$colour;color:$ink">$letter</span> $label</span>',
        approx=" st-approx" if approx else "",
        colour=style.colour,
        ink=style.ink,
        letter=style.letter,
        label=status_label(code, LANG),
    )


def link(href: str, text: object, extra: str = "") -> Html:
    return fill('<a href="$href"$extra>$text</a>', href=href, text=text, extra=Html(extra))


def source_link(url: str, archive: bool = True) -> Html:
    """A source: its publisher linked (https only, else the text and why), the date its
    address gives, and (unless `archive` is false) its archived copies."""
    target = panels.safe_url(url)
    if target is None:
        return fill("$url ($why)", url=url, why=t("not_https", LANG))
    dated = panels.url_date(url)
    copies = fill(' (<a href="$a">archive</a>)', a=panels.safe_url(panels.archive_url(url)) or "")
    return fill(
        "$publisher$date$copies",
        publisher=link(target, panels.publisher(url)),
        date=f", {dated}" if dated else "",
        copies=copies if archive else "",
    )


def dated(value: object) -> Html:
    """A date of the data (YYYY, YYYY-MM or YYYY-MM-DD) as a `<time>` element."""
    return fill('<time datetime="$d">$d</time>', d=_text(value))


DOCUMENT = """<!doctype html>
<html lang="en" data-st-site>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="icon" href="data:,">
$meta
<link rel="stylesheet" href="$css">
$script</head>
<body$body>
$top<main id="main">
$main
</main>
$bottom</body>
</html>
"""


def head_meta(page: Page, site: Site) -> Html:
    """Description, canonical address, Open Graph and Twitter card, feeds, robots, JSON-LD."""
    image = absolute(site, page, page.image)
    tags = [
        fill('<meta name="description" content="$v">', v=page.description),
        fill('<link rel="canonical" href="$v">', v=absolute(site, page, page.path)),
        *(
            fill('<meta property="og:$k" content="$v">', k=k, v=v)
            for k, v in (
                ("title", page.title),
                ("description", page.description),
                ("type", page.kind),
                ("url", absolute(site, page, page.path)),
                ("site_name", SITE_NAME),
                ("image", image),
                ("image:width", IMAGE_SIZE[0]),
                ("image:height", IMAGE_SIZE[1]),
                ("image:alt", page.title),
            )
        ),
        *(
            fill('<meta name="twitter:$k" content="$v">', k=k, v=v)
            for k, v in (
                ("card", "summary_large_image"),
                ("title", page.title),
                ("description", page.description),
                ("image", image),
            )
        ),
        *(
            fill(
                '<link rel="alternate" type="application/atom+xml" href="$h" title="$t">',
                h=absolute(site, page, feed),
                t=title,
            )
            for feed, title in page.feeds
        ),
    ]
    if page.robots:
        tags.append(fill('<meta name="robots" content="$v">', v=page.robots))
    if page.json_ld is not None:
        tags.append(
            fill(
                '<script type="application/ld+json">$j</script>', j=Html(maps.js_json(page.json_ld))
            )
        )
    return join(tags)


NAV = (
    ("", "Map and stations"),
    ("about/", "About, method, citing"),
    ("data/", "Data"),
    ("changelog/", "Changelog"),
)


def header(page: Page) -> Html:
    items = join(fill("<li>$a</li>", a=link(page.rel(path), words)) for path, words in NAV)
    return fill(
        '<a class="skip" href="#main">Skip to the content</a>\n<header class="site"><div>'
        '<a class="name" href="$home">$name</a>\n<nav aria-label="Site"><ul>$items</ul></nav>'
        "</div></header>\n",
        home=page.rel(""),
        name=SITE_NAME,
        items=items,
    )


def version_words(site: Site) -> str:
    if site.version:
        return f"Data version {site.version}, reviewed {site.reviewed}"
    return "Data version not stated (these are not the bundled files)"


def footer(page: Page, site: Site) -> Html:
    return fill(
        '<footer class="site"><div><p>$version. Data licensed <a href="$licence">CC BY 4.0</a>; '
        "sources: Safeguard Defenders' reports and the public sources linked on each page. "
        "Published $when.</p>\n<p>$cite · $data · $explore</p></div></footer>\n",
        version=version_words(site),
        licence=LICENCE_URL,
        when=site.generated.strftime("%Y-%m-%d %H:%M UTC"),
        cite=link(page.rel("about/") + "#cite", "How to cite"),
        data=link(page.rel("data/"), "Download the data"),
        explore=link(site.explorer_url, "The explorer (interactive)"),
    )


def document(page: Page, site: Site, main: Html, with_map: bool, embed: bool = False) -> str:
    """A whole page: head with its previews, skip link, header, main, footer."""
    script = fill('<script defer src="$s"></script>\n', s=page.rel(site.assets.js))
    return fill(
        DOCUMENT,
        title=page.title,
        meta=head_meta(page, site),
        css=page.rel(site.assets.css),
        script=script if with_map else "",
        body=Html(' class="embed"') if embed else "",
        top="" if embed else header(page),
        main=main,
        bottom="" if embed else footer(page, site),
    )


@dataclass(frozen=True)
class MapView:
    """What one page's map shows: its stations, where it looks, its outlines."""

    stations: pd.DataFrame
    responses: pd.DataFrame
    view: tuple[tuple[float, float], int]
    outlines: str  # a key of Assets.outlines
    highlight: tuple[float, float] | None = None
    world: bool = False


def bounds(stations: pd.DataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the stations, or None for none."""
    if stations.empty:
        return None
    lat, lon = stations["latitude"].astype(float), stations["longitude"].astype(float)
    return [[lat.min(), lon.min()], [lat.max(), lon.max()]]


def map_block(page: Page, site: Site, shown: MapView) -> Html:
    """The map's place (hidden until site.js draws it), its data island and its note."""
    (lat, lon), zoom = shown.view
    island = {
        "layer": maps.layer_settings(len(shown.stations), LANG),
        "rows": maps.station_columns(shown.stations),
        "controls": maps.controls_options(False, LANG),
        "layers": maps.country_layer_options(LANG),
        "figures": maps.country_data(*panels.country_layers(shown.stations, shown.responses)),
        "outlines": page.rel(site.assets.outlines[shown.outlines]),
        "view": [lat, lon, zoom],
        # Fitted again to the reader's own map size (a phone's is narrower), never closer.
        "bounds": None if shown.highlight else bounds(shown.stations),
        "highlight": list(shown.highlight) if shown.highlight else None,
        "pages": page.rel("station/"),
        "page": "Station page",
    }
    return fill(
        '<div id="map" class="map$world" hidden></div>\n'
        '<script type="application/json" id="stations">$json</script>',
        world=" world" if shown.world else "",
        json=Html(maps.js_json(island)),
    )


def crumbs(page: Page, trail: Iterable[tuple[str | None, str]]) -> Html:
    """Where the page sits: links to the pages above it, then its own name."""
    items = [fill("<li>$a</li>", a=link(page.rel(""), "Home"))]
    for path, words in trail:
        item = (
            link(page.rel(path), words)
            if path is not None
            else fill('<span aria-current="page">$w</span>', w=words)
        )
        items.append(fill("<li>$i</li>", i=item))
    return fill('<nav class="crumbs" aria-label="Breadcrumb"><ol>$i</ol></nav>', i=join(items))


def status_sentence(record: Mapping[str, object]) -> Html:
    """Its status as the explorer shows it (marker look and word), code, date and meaning."""
    code = _text(record["status"])
    meaning = t(f"status_meaning.{code}", LANG) if code in STATUS_DEFINITIONS else ""
    return fill(
        '<p class="lead"><strong>Status:</strong> $mark ($code) since $date. $meaning</p>',
        mark=status_mark(code, record.get("location_precision") == "country"),
        code=code,
        date=dated(record["status_date"]),
        meaning=meaning,
    )


def fields_list(record: StationRecord) -> Html:
    """Every field of the row (`panels.station_fields`, with status, summary and sources
    as written in the data too), as a description list."""
    pairs = [*panels.station_fields(record, LANG)]
    row: Mapping[str, object] = record
    pairs += [
        (panels.field_label(name, LANG), _text(row[name]))
        for name in ("status", "status_date", "summary", "sources")
    ]
    rows = (fill("<dt>$k</dt><dd>$v</dd>", k=k, v=v) for k, v in pairs)
    return fill('<dl class="fields">$rows</dl>', rows=join(rows))


def history_list(record: StationRecord, responses: pd.DataFrame) -> Html:
    steps = status_history(record, responses, LANG)
    items = (
        fill(
            "<li>$date: $status. $event$source</li>",
            date=dated(s["date"]),
            status=status_label(s["status"], LANG),
            event=s["event"],
            source=fill(" ($s)", s=source_link(s["source"])) if s["source"] else "",
        )
        for s in steps
    )
    return fill('<ol class="dated">$items</ol>', items=join(items))


def response_item(
    page: Page, r: Mapping[str, object], names: Mapping[str, str], archive: bool = True
) -> Html:
    """One government response: date, kind, actor, what it is about, summary and source
    (with its archived copies unless `archive` is false)."""
    about = _text(r["station_id"])
    if about:
        target = names.get(about)
        about_html = (
            fill("about $s", s=link(page.rel(station_path(about)), target))
            if target
            else fill("about station $s", s=about)
        )
    else:
        about_html = fill("about the country as a whole")
    return fill(
        "<li>$date · <strong>$kind</strong> · $actor ($about): $summary Source: $source</li>",
        date=dated(r["date"]),
        kind=response_label(_text(r["response_type"]), LANG),
        actor=r["actor"],
        about=about_html,
        summary=r["summary"],
        source=source_link(_text(r["source_url"]), archive),
    )


def responses_list(
    page: Page, responses: pd.DataFrame, names: Mapping[str, str], archive: bool = True
) -> Html:
    """Responses oldest first, each dated; a line when there is none."""
    if responses.empty:
        return fill("<p>$w</p>", w=t("no_response", LANG))
    items = (response_item(page, r, names, archive) for r in records(by_date(responses)))
    return fill('<ol class="dated">$items</ol>', items=join(items))


def station_description(record: StationRecord) -> str:
    place = panels.place_words(record)
    status = status_label(_text(record["status"]), LANG)
    return shorten(
        f"{record['name']} ({place}): {status} since {record['status_date']}. {record['summary']}"
    )


def station_page(record: StationRecord, responses: pd.DataFrame, site: Site) -> str:
    """A station's page: status with date and meaning, summary, map, sources, every field,
    status history, and the government responses about it or its country."""
    sid, code = _text(record["station_id"]), _text(record["country_code"])
    page = Page(
        station_path(sid),
        f"{record['name']}: {status_label(_text(record['status']), LANG)}",
        station_description(record),
        image=f"img/station/{quote(sid, safe='')}.png",
        kind="article",
        feeds=(
            ("feeds/all.xml", "Changes to the data"),
            (f"feeds/country/{code.lower()}.xml", f"Changes in {record['country']}"),
        ),
    )
    own = panels.responses_for_station(responses, record)
    row = pd.DataFrame([record])
    shown = MapView(
        row,
        own,
        maps.station_view(record),
        code.lower(),
        (float(record["latitude"]), float(record["longitude"])),
    )
    main = fill(
        STATION_MAIN,
        crumbs=crumbs(page, [(country_path(code), record["country"]), (None, record["name"])]),
        name=record["name"],
        status=status_sentence(record),
        summary=record["summary"],
        map=map_block(page, site, shown),
        note=MAP_NOTE,
        explore=explorer_link(site, Filters(station=sid)),
        sources=join(fill("<li>$s</li>", s=source_link(u)) for u in panels.sources_of(record)),
        fields=fields_list(record),
        history=history_list(record, responses),
        n=len(own),
        # The country's page lists them too, with their archived copies: this page stays small.
        responses=responses_list(page, own, {sid: _text(record["name"])}, archive=False),
        country=link(
            page.rel(country_path(code)), f"All stations and responses: {record['country']}"
        ),
    )
    return document(page, site, main, with_map=True)


STATION_MAIN = """$crumbs
<h1>$name</h1>
$status
<p>$summary</p>
$map
<p class="note">$note</p>
<p><a class="explore" href="$explore">Open in the explorer</a> (the interactive map, with this
station selected)</p>
<h2>Sources</h2>
<ol class="sources">$sources</ol>
<h2>Every field</h2>
$fields
<h2>Status history</h2>
<p class="note">Derived from the dated government responses (rules in the data's README).</p>
$history
<h2>Government responses about it or its country ($n)</h2>
$responses
<p>$country (with each response's archived source)</p>"""


def stations_table(page: Page, stations: pd.DataFrame, caption: str) -> Html:
    """The stations as a table: the map's accessible alternative, one row per marker."""
    rows = []
    for r in records(stations.sort_values(["country", "city", "name"])):
        approx = r["location_precision"] == "country"
        rows.append(
            fill(
                '<tr><th scope="row">$name</th><td>$city</td><td>$country</td><td>$status</td>'
                "<td>$date</td><td>$first</td><td>$where</td></tr>",
                name=link(page.rel(station_path(_text(r["station_id"]))), r["name"]),
                city=r["city"],
                country=link(page.rel(country_path(_text(r["country_code"]))), r["country"]),
                status=status_mark(_text(r["status"]), approx),
                date=dated(r["status_date"]),
                first=dated(r["first_reported_date"]),
                where=precision_words(_text(r["location_precision"])),
            )
        )
    return fill(
        '<div class="scroll"><table><caption>$caption</caption>\n<thead><tr><th scope="col">'
        'Station</th><th scope="col">City</th><th scope="col">Country</th><th scope="col">'
        'Status</th><th scope="col">Since</th><th scope="col">First reported</th>'
        '<th scope="col">Location</th></tr></thead>\n<tbody>\n$rows\n</tbody></table></div>',
        caption=caption,
        rows=join(rows),
    )


def precision_words(code: str) -> str:
    """How precisely a station is placed, in a word (an unknown code as it is)."""
    key = f"precision_name.{code}"
    return t(key, LANG) if key in MESSAGES else code


def status_counts_words(stations: pd.DataFrame) -> str:
    counts = stations["status"].value_counts()
    return ", ".join(
        f"{int(counts[s])} {status_label(s, LANG).lower()}"
        for s in STATUS_DEFINITIONS
        if s in counts
    )


def strongest(responses: pd.DataFrame, code: str) -> tuple[str, Mapping[str, object] | None]:
    """A country's strongest response tier in words, and its latest response of that tier."""
    tier = strongest_responses(responses).get(code)
    if tier is None:
        return t("tier_none", LANG), None
    mine = by_date(responses.loc[responses["country_code"] == code])
    of_tier = [r for r in records(mine) if TIER_OF.get(_text(r["response_type"])) == tier]
    return t(f"tier_{tier}", LANG), of_tier[-1]


def country_page(code: str, stations: pd.DataFrame, responses: pd.DataFrame, site: Site) -> str:
    """A country's page: its stations (map and table), its strongest response named, and its
    government responses as a dated timeline."""
    mine = stations.loc[stations["country_code"] == code]
    acts = responses.loc[responses["country_code"] == code]
    name = _text(mine["country"].iloc[0])
    tier, best = strongest(responses, code)
    count = t("n_stations_one" if len(mine) == 1 else "n_stations_many", LANG, count=len(mine))
    page = Page(
        country_path(code),
        f"{name}: {count}",
        shorten(
            f"{name}: {count} ({status_counts_words(mine)}); {len(acts)} government "
            f"responses; strongest so far: {tier}."
        ),
        image=f"img/country/{code.lower()}.png",
        feeds=(
            ("feeds/all.xml", "Changes to the data"),
            (f"feeds/country/{code.lower()}.xml", f"Changes in {name}"),
        ),
    )
    names = dict(zip(mine["station_id"].astype(str), mine["name"].astype(str), strict=True))
    main = fill(
        COUNTRY_MAIN,
        crumbs=crumbs(page, [(None, name)]),
        name=name,
        lead=f"{count}: {status_counts_words(mine)}. {len(acts)} government responses recorded.",
        tier=tier,
        best=fill("<ul>$i</ul>", i=response_item(page, best, names)) if best else "",
        map=map_block(page, site, MapView(mine, acts, maps.view_for(mine), code.lower())),
        note=MAP_NOTE,
        explore=explorer_link(site, Filters(countries=(code,))),
        table=stations_table(page, mine, f"The stations in {name}"),
        responses=responses_list(page, acts, names),
    )
    return document(page, site, main, with_map=True)


COUNTRY_MAIN = """$crumbs
<h1>$name</h1>
<p class="lead">$lead</p>
<h2>Strongest response so far: $tier</h2>
$best
$map
<p class="note">$note</p>
<p><a class="explore" href="$explore">Open in the explorer</a> (the interactive map of this
country)</p>
<h2>Stations</h2>
$table
<h2>Government responses, oldest first</h2>
$responses"""


def coverage_html(stations: pd.DataFrame) -> Html:
    """The data against Safeguard Defenders' reports (the explorer's coverage line)."""
    said = panels.coverage(stations).words(LANG)
    reports = join(
        (
            fill(
                "$a ($d)",
                a=link(r.url, r.title),
                d=long_date(dt.date.fromisoformat(r.published), LANG),
            )
            for r in panels.REPORTS
        ),
        "; ",
    )
    return fill("<p>$said The reports: $reports.</p>", said=said, reports=reports)


def summary_words(stations: pd.DataFrame, responses: pd.DataFrame) -> str:
    """The whole data in two sentences."""
    countries = stations["country_code"].nunique()
    acting = responses["country_code"].nunique()
    return (
        f"{len(stations)} alleged Chinese overseas police “service stations” in {countries} "
        f"countries, as publicly reported: {status_counts_words(stations)}. "
        f"{len(responses)} government responses from {acting} of those countries, each dated "
        "and sourced."
    )


def countries_table(page: Page, stations: pd.DataFrame, responses: pd.DataFrame) -> Html:
    best = strongest_responses(responses)
    rows = []
    for code, group in sorted(
        stations.groupby("country_code"), key=lambda g: str(g[1]["country"].iloc[0])
    ):
        tier = best.get(str(code))
        rows.append(
            fill(
                '<tr><th scope="row">$name</th><td>$n</td><td>$statuses</td><td>$acts</td>'
                "<td>$tier</td></tr>",
                name=link(page.rel(country_path(str(code))), group["country"].iloc[0]),
                n=len(group),
                statuses=status_counts_words(group),
                acts=int((responses["country_code"] == code).sum()),
                tier=t(f"tier_{tier}", LANG) if tier else t("tier_none", LANG),
            )
        )
    return fill(
        '<div class="scroll"><table><caption>Stations and government responses per country'
        '</caption>\n<thead><tr><th scope="col">Country</th><th scope="col">Stations</th>'
        '<th scope="col">By status</th><th scope="col">Responses</th><th scope="col">'
        "Strongest response</th></tr></thead>\n<tbody>\n$rows\n</tbody></table></div>",
        rows=join(rows),
    )


def index_page(stations: pd.DataFrame, responses: pd.DataFrame, site: Site) -> str:
    """The front page: the map of every station, the coverage line, a written summary, the
    stations as a table and the countries as a table."""
    summary = summary_words(stations, responses)
    page = Page("", SITE_NAME, shorten(summary))
    main = fill(
        INDEX_MAIN,
        title=SITE_NAME,
        summary=summary,
        method=t("method", LANG),
        coverage=coverage_html(stations),
        map=map_block(
            page, site, MapView(stations, responses, maps.view_for(stations), "world", world=True)
        ),
        note=MAP_NOTE,
        explore=site.explorer_url,
        stations=stations_table(page, stations, f"All {len(stations)} stations, by country"),
        countries=countries_table(page, stations, responses),
        about=page.rel("about/"),
        data=page.rel("data/"),
    )
    return document(page, site, main, with_map=True)


INDEX_MAIN = """<h1>$title</h1>
<p class="lead">$summary</p>
$map
<p class="note">$note</p>
<p><a class="explore" href="$explore">Open in the explorer</a> (filters, search, a time slider,
downloads of any view)</p>
$coverage
<p>$method <a href="$about">More on the method and how to cite</a>.</p>
<h2>Stations</h2>
$stations
<h2>Countries</h2>
$countries
<p><a href="$data">Download the data</a> (CSV, GeoJSON, Data Package) at stable addresses.</p>"""


def data_address(site: Site) -> str:
    """The versioned data folder under the site root (the latest when no version is stated)."""
    return f"data/{site.version}/" if site.version else "data/latest/"


def citation(site: Site) -> str:
    """How to cite the data: title, version and review date, licence and versioned address."""
    address = (site.base_url or "") + data_address(site)
    return f"{SITE_NAME}. {version_words(site)}. Licensed CC BY 4.0. Data: {address}"


def about_page(stations: pd.DataFrame, site: Site) -> str:
    """About the data, the method, the statuses and how to cite (with the data version)."""
    page = Page(
        "about/",
        "About the data, method and how to cite",
        "What the data is, how it was made, what each status means, and how to cite "
        f"it ({version_words(site)}).",
    )
    statuses = join(
        fill("<dt>$mark</dt><dd>$meaning</dd>", mark=status_mark(code), meaning=meaning)
        for code, meaning in STATUS_DEFINITIONS.items()
    )
    main = fill(
        ABOUT_MAIN,
        method=t("method", LANG),
        coverage=coverage_html(stations),
        statuses=statuses,
        citation=citation(site),
        address=data_address(site),
        datapage=page.rel("data/"),
        changelog=page.rel("changelog/"),
        explore=site.explorer_url,
    )
    return document(page, site, main, with_map=False)


ABOUT_MAIN = """<h1>About the data, method and how to cite</h1>
<h2>What this is</h2>
<p>A sourced list of the places publicly reported as Chinese overseas police “service
stations”, with what host governments said and did about them.</p>
$coverage
<h2>Method</h2>
<p>$method</p>
<h2>What each status means</h2>
<dl class="fields">$statuses</dl>
<h2 id="cite">How to cite</h2>
<pre class="cite">$citation</pre>
<p>The files of this version stay at <code>$address</code>, the newest at
<code>data/latest/</code>: both are listed on <a href="$datapage">the data page</a>. What
changed between versions: <a href="$changelog">the changelog</a>.</p>
<h2>Privacy</h2>
<p>These pages set no cookie and ask nothing of any other site: the map draws country outlines
served from here. Only if you switch on OpenStreetMap tiles under “Layers” does your browser ask
OpenStreetMap for them. <a href="$explore">Open in the explorer</a> for filters and search.</p>"""


_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline_markdown(text: str) -> str:
    """Code, bold and https links of a line of Markdown, everything else as text."""
    out = esc(text)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    # Other links (relative ones into the repository) would not resolve here: their text stays.
    return _LINK.sub(
        lambda m: f'<a href="{m[2]}">{m[1]}</a>' if m[2].startswith("https://") else m[1], out
    )


def markdown_blocks(text: str) -> list[tuple[str, int, str]]:
    """(kind, level, text) per heading, list item ("li", its depth) and paragraph."""
    blocks: list[tuple[str, int, str]] = []
    for line in text.splitlines():
        heading = re.match(r"(#{1,6}) (.*)", line)
        item = re.match(r"( *)[-*] (.*)", line)
        if not line.strip():
            blocks.append(("blank", 0, ""))
        elif heading:
            blocks.append(("h", len(heading[1]), heading[2]))
        elif item:
            blocks.append(("li", len(item[1]) // 2, item[2]))
        elif blocks and blocks[-1][0] in ("li", "p"):
            kind, level, before = blocks[-1]
            blocks[-1] = (kind, level, f"{before} {line.strip()}")
        else:
            blocks.append(("p", 0, line.strip()))
    return blocks


def markdown_html(text: str) -> Html:
    """The changelog's Markdown subset (headings, nested lists, paragraphs, code, bold, https
    links) as HTML; every character of the text is escaped first."""
    out: list[str] = []
    depth = 0
    for kind, level, body in markdown_blocks(text):
        if kind == "li":
            while depth > level + 1:
                out.append("</li></ul>")
                depth -= 1
            if depth == level + 1:
                out.append("</li>")
            while depth < level + 1:
                out.append("<ul>")
                depth += 1
            out.append(f"<li>{inline_markdown(body)}")
            continue
        if kind != "blank" and depth:
            out.append("</li></ul>" * depth)
            depth = 0
        if kind == "h":
            out.append(f"<h{level}>{inline_markdown(body)}</h{level}>")
        elif kind == "p":
            out.append(f"<p>{inline_markdown(body)}</p>")
    if depth:
        out.append("</li></ul>" * depth)
    return Html("\n".join(out))


def changelog_page(changelog: str, site: Site) -> str:
    page = Page(
        "changelog/",
        "Changelog of the data",
        f"Every version of the data, newest first ({version_words(site)}).",
        feeds=(("feeds/versions.xml", "New versions of the data"),),
    )
    return document(page, site, markdown_html(changelog), with_map=False)


FILE_WORDS = {
    "stations.csv": ("text/csv", "The stations, one a row (the file as validated)"),
    "responses.csv": ("text/csv", "The government responses, one a row"),
    "stations.geojson": ("application/geo+json", "The stations as GeoJSON points"),
    "datapackage.json": (
        "application/json",
        "The Frictionless Data Package: every column described, types, allowed values, licence",
    ),
}
assert set(FILE_WORDS) == set(DATA_FILES)


def dataset_json_ld(site: Site, page: Page, stations: pd.DataFrame) -> dict[str, object]:
    """schema.org `Dataset` metadata for the data page."""
    folder = data_address(site)
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": SITE_NAME,
        "description": (
            f"{len(stations)} places publicly reported as Chinese overseas police “service "
            f"stations” in {stations['country_code'].nunique()} countries, each with its status, "
            "sources and the host governments' dated responses."
        ),
        "version": site.version or "not stated",
        "dateModified": site.reviewed,
        "license": LICENCE_URL,
        "isAccessibleForFree": True,
        "url": absolute(site, page, page.path),
        "keywords": ["China", "transnational repression", "overseas police stations"],
        "spatialCoverage": sorted(stations["country"].astype(str).unique().tolist()),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "encodingFormat": FILE_WORDS[name][0],
                "contentUrl": absolute(site, page, folder + name),
            }
            for name in DATA_FILES
        ],
    }


def data_page(stations: pd.DataFrame, site: Site) -> str:
    """The data's files at their two addresses (latest, and this version) with Dataset
    metadata."""
    page = Page(
        "data/",
        "The data: stations and government responses",
        f"Download the stations and government responses as CSV, GeoJSON and a Data "
        f"Package ({version_words(site)}); CC BY 4.0.",
        feeds=(("feeds/versions.xml", "New versions of the data"),),
    )
    page = Page(**{**page.__dict__, "json_ld": dataset_json_ld(site, page, stations)})
    rows = join(
        fill(
            '<tr><th scope="row">$name</th><td>$what</td><td>$latest</td><td>$this</td></tr>',
            name=name,
            what=FILE_WORDS[name][1],
            latest=link(page.rel(f"data/latest/{name}"), f"data/latest/{name}"),
            this=link(page.rel(f"data/{site.version}/{name}"), f"data/{site.version}/{name}")
            if site.version
            else "(no version stated)",
        )
        for name in DATA_FILES
    )
    main = fill(
        DATA_MAIN,
        version=version_words(site),
        rows=rows,
        about=page.rel("about/"),
        changelog=page.rel("changelog/"),
        explore=site.explorer_url,
    )
    return document(page, site, main, with_map=False)


DATA_MAIN = """<h1>The data</h1>
<p class="lead">$version. Licensed CC BY 4.0: share and adapt with credit.</p>
<p>Two addresses for each file: <code>data/latest/</code> always holds the newest version;
<code>data/VERSION/</code> keeps each version as it was, for citations and scripts. The CSV files
are the validated data files byte for byte (UTF-8).</p>
<div class="scroll"><table><caption>The files</caption>
<thead><tr><th scope="col">File</th><th scope="col">What it holds</th>
<th scope="col">Latest</th><th scope="col">This version</th></tr></thead>
<tbody>
$rows
</tbody></table></div>
<p><a href="$about">How to cite</a> · <a href="$changelog">What changed, version by version</a>
· <a href="$explore">Open in the explorer</a> to download any filtered view.</p>"""


@dataclass(frozen=True)
class Embed:
    """One embeddable view: its page, the full page it stands for, and what its map shows."""

    target: str  # the full page's address under the site root
    title: str
    line: str
    filters: Filters
    shown: MapView


def embed_all(stations: pd.DataFrame, responses: pd.DataFrame) -> Embed:
    view = MapView(stations, responses, maps.view_for(stations), "world")
    return Embed("", SITE_NAME, summary_words(stations, responses), Filters(), view)


def embed_country(code: str, stations: pd.DataFrame, responses: pd.DataFrame) -> Embed:
    mine = stations.loc[stations["country_code"] == code]
    name = _text(mine["country"].iloc[0])
    acts = responses.loc[responses["country_code"] == code]
    view = MapView(mine, acts, maps.view_for(mine), code.lower())
    line = f"{name}: {status_counts_words(mine)}."
    return Embed(country_path(code), name, line, Filters(countries=(code,)), view)


def embed_station(record: StationRecord, responses: pd.DataFrame) -> Embed:
    sid = _text(record["station_id"])
    own = panels.responses_for_station(responses, record)
    view = MapView(
        pd.DataFrame([record]),
        own,
        maps.station_view(record),
        _text(record["country_code"]).lower(),
    )
    line = station_description(record)
    return Embed(station_path(sid), _text(record["name"]), line, Filters(station=sid), view)


def embed_page(embed: Embed, site: Site) -> str:
    """A map for another site's page: the map, one line of text, links to the full page and
    the explorer. Static files only: no cookie, no WebSocket."""
    page = Page(
        f"embed/{embed.target}", f"Map: {embed.title}", shorten(embed.line), robots="noindex"
    )
    main = fill(
        '$map\n<p>$line <a href="$page" target="_top">The full page</a> · <a href="$explore" '
        'target="_top">Open in the explorer</a> · $version; data CC BY 4.0.</p>',
        map=map_block(page, site, embed.shown),
        line=shorten(embed.line, 160),
        page=page.rel(embed.target),
        explore=explorer_link(site, embed.filters),
        version=version_words(site),
    )
    return document(page, site, main, with_map=True, embed=True)


def sitemap_xml(paths: Iterable[str], site: Site) -> str:
    """Every page's address (absolute with a base URL, else relative to the site root)."""
    base = site.base_url or ""
    entries = "".join(
        f"<url><loc>{html.escape(base + path, quote=False)}</loc>"
        f"<lastmod>{site.generated:%Y-%m-%d}</lastmod></url>\n"
        for path in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def robots_txt(site: Site) -> str:
    """Everything may be read; the sitemap's address when the site knows its base URL."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {site.base_url}sitemap.xml")
    return "\n".join(lines) + "\n"
