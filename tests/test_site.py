"""The published site's pages (dashboard/site.py): what each page says, and that data stays text."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from dashboard import site
from dashboard.panels import station_record
from dashboard.rules import date_key
from dashboard.schema import record_of

# The fixtures' countries.
CODES = ("au", "ca", "de", "es", "fr", "gb", "hu", "ie", "it", "jp", "kr", "nl", "ru", "us", "za")
SITE = site.Site(
    version="1.2.3",
    reviewed="2026-11-30",
    generated=dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
    assets=site.Assets(
        "static/site.00000000.css",
        "static/site.00000000.js",
        {code: f"static/outlines/{code}.0.json" for code in ["world", *CODES]},
    ),
)
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(2)</script>",
    "' onmouseover='alert(3)",
]
# The only elements the pages make: any other (img, iframe, svg...) came from data.
OWN_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "a",
    "header",
    "div",
    "nav",
    "ul",
    "ol",
    "li",
    "main",
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "span",
    "time",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "footer",
    "pre",
    "code",
}


class Parsed(HTMLParser):
    """A page's tags, attributes, script texts and visible text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def meta(self, key: str) -> str | None:
        for tag, attrs in self.tags:
            if tag == "meta" and key in (attrs.get("name"), attrs.get("property")):
                return attrs.get("content")
        return None

    @property
    def body_text(self) -> str:
        return " ".join("".join(self.text).split())


def record(stations: pd.DataFrame, station_id: str):
    found = station_record(stations, station_id)
    assert found is not None
    return found


def test_station_page_holds_every_field(stations, responses):
    rotterdam = record(stations, "nl-rotterdam-1")
    page = Parsed(site.station_page(rotterdam, responses, SITE))
    for name, value in rotterdam.items():
        text = "" if pd.isna(value) else str(value)
        if name == "latitude" or name == "longitude":
            text = f"{float(value):g}"
        assert " ".join(text.split()) in page.body_text, name


def test_station_page_says_its_status_with_date_and_meaning(stations, responses):
    page = Parsed(site.station_page(record(stations, "nl-rotterdam-1"), responses, SITE))
    assert (
        "Status: C Said to be closed (closed) since 2022-11-01. The host government or the PRC "
        "side said it closed" in page.body_text
    )


def test_station_page_lists_its_status_history_dated(stations, responses):
    text = Parsed(site.station_page(record(stations, "nl-rotterdam-1"), responses, SITE)).body_text
    history = text.split("Status history")[1].split("Government responses")[0]
    assert "2022-09-12: Reported (alleged). First reported by Safeguard Defenders" in history
    assert "2022-10-25: Under investigation. Investigation (Dutch Ministry of Foreign" in history
    assert "2022-11-01: Said to be closed. Closure order (Foreign Minister Wopke" in history


def test_station_sources_link_publisher_date_and_archive(stations, responses):
    rotterdam = record(stations, "nl-rotterdam-1")
    page = site.station_page(rotterdam, responses, SITE)
    first = rotterdam["sources"].split()[0]
    assert (
        f'<a href="{first}">nrc.nl</a>, 2022-10-25 (<a href="https://web.archive.org/web/{first}">'
        "archive</a>)" in page
    )


def test_station_page_lists_responses_about_it_and_its_country_only(stations, responses):
    text = Parsed(site.station_page(record(stations, "nl-rotterdam-1"), responses, SITE)).body_text
    listed = text.split("Government responses about it or its country")[1]
    assert listed.startswith(" (4)")  # nl-r01 to nl-r04
    assert "Rotterdam Mayor Ahmed Aboutaleb (about Alleged Fuzhou police" in listed  # nl-r03
    assert "Foreign Minister Wopke Hoekstra (about the country as a whole)" in listed  # nl-r02
    assert "Amsterdam Mayor Femke Halsema" not in listed  # nl-r05, about Amsterdam


def test_station_map_data_is_the_station_with_the_explorers_marker_settings(stations, responses):
    page = Parsed(site.station_page(record(stations, "it-country-1"), responses, SITE))
    island = json.loads(next(text for attrs, text in page.scripts if attrs.get("id") == "stations"))
    assert island["rows"]["id"] == ["it-country-1"]
    assert island["rows"]["a"] == [1]  # approximate: the dashed square
    assert island["layer"]["styles"][0][:2] == ["#E69F00", "R"]
    assert island["controls"]["tiles"] is False
    assert island["outlines"] == "../../static/outlines/it.0.json"
    assert island["pages"] == "../../station/"


def test_country_timeline_is_dated_and_oldest_first(stations, responses):
    page = site.country_page("US", stations, responses, SITE)
    timeline = page.split("Government responses, oldest first")[1]
    dates = re.findall(r'<time datetime="([^"]+)">', timeline)
    us = responses.loc[responses["country_code"] == "US"]
    assert len(dates) == len(us)
    assert [date_key(d) for d in dates] == sorted(date_key(d) for d in dates)


@pytest.mark.parametrize(
    ("code", "tier", "named"),
    [
        ("US", "Charges or conviction", "conviction"),
        ("RU", "No response recorded", None),
        ("NL", "Closure, closure order or expulsion", "Closure order"),
    ],
)
def test_country_page_names_its_strongest_response(stations, responses, code, tier, named):
    text = Parsed(site.country_page(code, stations, responses, SITE)).body_text
    strongest = text.split("Strongest response so far: ")[1]
    assert strongest.startswith(tier)
    if named:
        assert named.lower() in strongest.split("The map shows")[0].lower()


def test_index_has_the_summary_coverage_map_and_every_station_in_a_table(stations, responses):
    page = site.index_page(stations, responses, SITE)
    parsed = Parsed(page)
    assert f"<h1>{site.SITE_NAME}</h1>" in page
    assert f"{len(stations)} alleged Chinese overseas police" in parsed.body_text
    assert "Safeguard Defenders reported 102 stations in 53 countries" in parsed.body_text
    rows = [a for tag, a in parsed.tags if tag == "th" and a.get("scope") == "row"]
    assert len(rows) == len(stations) + stations["country_code"].nunique()
    assert ('<div id="map" class="map world" hidden>') in page


@pytest.mark.parametrize(
    "make",
    [
        lambda s, r: site.index_page(s, r, SITE),
        lambda s, r: site.about_page(s, SITE),
        lambda s, r: site.data_page(s, SITE),
        lambda s, r: site.changelog_page("# Changelog\n\n## 1.0.0 (2026-01-01)\n", SITE),
        lambda s, r: site.country_page("NL", s, r, SITE),
        lambda s, r: site.station_page(record(s, "nl-rotterdam-1"), r, SITE),
    ],
    ids=["index", "about", "data", "changelog", "country", "station"],
)
def test_every_page_has_its_previews_and_one_h1(stations, responses, make):
    page = Parsed(make(stations, responses))
    assert ("html", {"lang": "en", "data-st-site": None}) in page.tags
    for key in (
        "description",
        "og:title",
        "og:description",
        "og:type",
        "og:url",
        "og:image",
        "og:site_name",
        "twitter:title",
        "twitter:image",
    ):
        assert page.meta(key), key
    assert page.meta("og:image:width") == "1200"
    assert page.meta("og:image:height") == "630"
    assert page.meta("twitter:card") == "summary_large_image"
    assert any(tag == "link" and a.get("rel") == "canonical" for tag, a in page.tags)
    assert [tag for tag, _ in page.tags].count("h1") == 1
    assert any(tag == "main" for tag, _ in page.tags)
    assert "Data version 1.2.3, reviewed 2026-11-30" in page.body_text
    assert "CC BY 4.0" in page.body_text


def test_about_page_cites_the_version_at_its_versioned_address(stations):
    text = Parsed(site.about_page(stations, SITE)).body_text
    assert "Data version 1.2.3, reviewed 2026-11-30. Licensed CC BY 4.0. Data: data/1.2.3/" in text


def test_data_page_carries_dataset_metadata(stations):
    page = Parsed(site.data_page(stations, SITE))
    (ld,) = [json.loads(t) for a, t in page.scripts if a.get("type") == "application/ld+json"]
    assert ld["@type"] == "Dataset"
    assert ld["version"] == "1.2.3"
    assert ld["license"] == site.LICENCE_URL
    urls = [d["contentUrl"] for d in ld["distribution"]]
    assert urls == [f"../data/1.2.3/{name}" for name in site.DATA_FILES]


def test_base_url_makes_the_preview_and_data_links_absolute(stations):
    based = site.Site(**{**SITE.__dict__, "base_url": "https://example.org/s/"})
    page = Parsed(site.data_page(stations, based))
    assert page.meta("og:url") == "https://example.org/s/data/"
    assert page.meta("og:image") == "https://example.org/s/img/index.png"
    feeds = [a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "alternate"]
    assert feeds == ["https://example.org/s/feeds/versions.xml"]
    (ld,) = [json.loads(t) for a, t in page.scripts if a.get("type") == "application/ld+json"]
    assert ld["distribution"][0]["contentUrl"] == "https://example.org/s/data/1.2.3/stations.csv"


@pytest.mark.parametrize(
    ("explorer", "expected"),
    [
        ("/", "/?station=nl-rotterdam-1"),
        ("https://x.org/app?lang=zh", "https://x.org/app?lang=zh&station=nl-rotterdam-1"),
    ],
)
def test_open_in_the_explorer_links_the_matching_view(stations, responses, explorer, expected):
    page = site.station_page(
        record(stations, "nl-rotterdam-1"),
        responses,
        site.Site(**{**SITE.__dict__, "explorer_url": explorer}),
    )
    assert f'<a class="explore" href="{html.escape(expected)}">Open in the explorer</a>' in page


def hostile(stations: pd.DataFrame, responses: pd.DataFrame, payload: str):
    """Rotterdam with `payload` in every field but its numbers, and its responses likewise."""
    row = stations.loc[stations["station_id"] == "nl-rotterdam-1"].iloc[0].to_dict()
    row = {k: (v if k in ("latitude", "longitude") else payload) for k, v in row.items()}
    row["country_code"] = "NL"
    row["first_reported_date"] = "2022-09"
    acts = responses.loc[responses["country_code"] == "NL"].copy()
    for column in ("station_id", "actor", "summary", "source_url", "response_type"):
        acts[column] = payload
    acts["station_id"] = [payload, ""] * (len(acts) // 2) + [payload] * (len(acts) % 2)
    return record_of(row.items()), acts


def assert_text_only(page: str, payload: str) -> Parsed:
    """`payload` is on the page only as text: escaped in the HTML, never as markup."""
    if html.escape(payload) != payload:
        assert payload not in page
    parsed = Parsed(page)
    assert {tag for tag, _ in parsed.tags} <= OWN_TAGS
    for tag, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "src"):
            assert not (attrs.get(key) or "").lower().startswith("javascript:"), attrs
    for _, text in parsed.scripts:
        assert "</" not in text
    return parsed


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_every_field_of_a_station_stays_text(stations, responses, payload):
    rec, acts = hostile(stations, responses, payload)
    page = assert_text_only(site.station_page(rec, acts, SITE), payload)
    assert payload in page.body_text  # shown, as text
    assert payload in (page.meta("description") or "")
    assert payload in (page.meta("og:title") or "")
    island = json.loads(next(text for attrs, text in page.scripts if attrs.get("id") == "stations"))
    assert island["rows"]["t"][0] == [payload]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_stays_text_on_every_page_that_shows_a_station(stations, responses, payload):
    rec, acts = hostile(stations, responses, payload)
    table = pd.concat([stations.loc[stations["country_code"] != "NL"], pd.DataFrame([rec])])
    table = table.astype({"latitude": float, "longitude": float})
    pages = [
        site.index_page(table, acts, SITE),
        site.country_page("NL", table, acts, SITE),
        site.data_page(table, SITE),
        site.embed_page(site.embed_station(rec, acts), SITE),
        site.embed_page(site.embed_country("NL", table, acts), SITE),
    ]
    for page in pages:
        assert_text_only(page, payload)


def test_changelog_markdown_is_escaped_and_links_only_https():
    text = (
        "# Log\n\n## 1.0.0 (2026-01-01)\n\nSome **bold** and `code` <img src=x onerror=alert(1)>"
        "\nover two lines.\n\n- [ok](https://example.org/a) and [bad](javascript:alert(1))\n"
        "  - nested [rel](../CONTRIBUTING.md)\n- second\n"
    )
    out = site.markdown_html(text)
    assert out == (
        "<h1>Log</h1>\n<h2>1.0.0 (2026-01-01)</h2>\n<p>Some <strong>bold</strong> and "
        "<code>code</code> &lt;img src=x onerror=alert(1)&gt; over two lines.</p>\n"
        '<ul>\n<li><a href="https://example.org/a">ok</a> and bad)\n<ul>\n<li>nested rel\n'
        "</li></ul>\n</li>\n<li>second\n</li></ul>"
    )


def test_sitemap_lists_each_address_and_robots_names_it_with_a_base_url():
    based = site.Site(**{**SITE.__dict__, "base_url": "https://example.org/s/"})
    xml = site.sitemap_xml(["", "station/a-b-1/"], based)
    assert re.findall(r"<loc>([^<]+)</loc>", xml) == [
        "https://example.org/s/",
        "https://example.org/s/station/a-b-1/",
    ]
    assert "Sitemap: https://example.org/s/sitemap.xml" in site.robots_txt(based)
    assert "Sitemap" not in site.robots_txt(SITE)


@pytest.mark.parametrize(
    ("path", "target", "expected"),
    [
        ("", "", "./"),
        ("", "about/", "about/"),
        ("station/x-y-1/", "", "../../"),
        ("embed/country/nl/", "static/a.css", "../../../static/a.css"),
    ],
)
def test_links_are_relative_to_the_page(path, target, expected):
    assert site.Page(path, "t", "d").rel(target) == expected
