"""`python -m dashboard.publish`: the written site, on the tests' fixtures."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from dashboard import publish
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS, FIXTURES

BASE = "https://example.org/stations/"
EXPLORER = "https://explorer.example.org/"
NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "col", "base"}
STATION_HTML_BUDGET = 30_000
FIRST_VISIT_BUDGET = 150_000


def build(out: Path, *extra: str) -> Path:
    args = [str(out), "--stations", str(FIXTURE_STATIONS), "--responses", str(FIXTURE_RESPONSES)]
    assert publish.main([*args, *extra]) == 0
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("site") / "out")


@pytest.fixture(scope="module")
def based(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("based") / "out"
    return build(out, "--base-url", BASE, "--explorer-url", EXPLORER)


class Checked(HTMLParser):
    """Every tag's attributes, and whether each closing tag closes the element last opened."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
        else:
            self.open.pop()


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def links(page: Checked) -> list[tuple[str, str]]:
    """(tag, address) of every href and src."""
    return [
        (tag, attrs[key] or "")
        for tag, attrs in page.tags
        for key in ("href", "src")
        if key in attrs
    ]


def test_the_site_has_every_page(built):
    pages = {p.relative_to(built).as_posix() for p in html_pages(built)}
    assert {
        "index.html",
        "about/index.html",
        "changelog/index.html",
        "data/index.html",
        "embed/index.html",
        "station/nl-rotterdam-1/index.html",
        "country/nl/index.html",
        "embed/country/nl/index.html",
        "embed/station/nl-rotterdam-1/index.html",
    } <= pages
    assert len([p for p in pages if p.startswith("station/")]) == 21
    assert len([p for p in pages if p.startswith("country/")]) == 15


def test_every_page_parses_with_each_element_closed(built):
    for path in html_pages(built):
        page = Checked(path.read_text(encoding="utf-8"))
        assert page.errors == [], path
        assert page.open == [], path


def test_every_relative_link_resolves_inside_the_site(built):
    for path in html_pages(built):
        folder = path.parent.relative_to(built).as_posix() + "/"
        for tag, address in links(Checked(path.read_text(encoding="utf-8"))):
            if urlsplit(address).scheme or address.startswith(("/", "#", "data:")):
                continue
            target = urlsplit(urljoin(f"http://site/{folder}", address)).path.lstrip("/")
            assert not target.startswith(".."), (path, address)
            found = built / unquote(target)
            assert found.is_file() or (found / "index.html").is_file(), (path, tag, address)


def test_map_data_points_at_files_that_exist(built):
    for path in [built / "index.html", built / "station/it-country-1/index.html"]:
        island = re.search(r'id="stations">(.*?)</script>', path.read_text(encoding="utf-8"))
        assert island is not None
        outlines = json.loads(island[1])["outlines"]
        assert (path.parent / outlines).resolve().is_file()


@pytest.mark.parametrize("site", ["built", "based"])
def test_no_page_loads_anything_from_another_host(request, site):
    """Scripts, styles and icons come from the site itself (no CDN); links to sources and the
    explorer are links, not loads."""
    out = request.getfixturevalue(site)
    for path in html_pages(out):
        for tag, attrs in Checked(path.read_text(encoding="utf-8")).tags:
            loads = attrs.get("src") or (
                attrs.get("href")
                if tag == "link" and attrs.get("rel") in ("stylesheet", "icon")
                else None
            )
            if loads:
                assert not urlsplit(loads).netloc, (path, tag, loads)


def test_previews_and_feeds_are_absolute_with_a_base_url(based):
    page = Checked((based / "station/nl-rotterdam-1/index.html").read_text(encoding="utf-8"))
    meta = {
        (a.get("property") or a.get("name")): a.get("content") for t, a in page.tags if t == "meta"
    }
    assert meta["og:url"] == BASE + "station/nl-rotterdam-1/"
    assert meta["og:image"] == BASE + "img/station/nl-rotterdam-1.png"
    canonical = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [BASE + "station/nl-rotterdam-1/"]
    feeds = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "alternate"]
    assert feeds == [BASE + "feeds/all.xml", BASE + "feeds/country/nl.xml"]
    explore = [a["href"] for t, a in page.tags if t == "a" and a.get("class") == "explore"]
    assert explore == [EXPLORER + "?station=nl-rotterdam-1"]


def test_sitemap_lists_every_page_but_the_embeds(built, based):
    pages = {
        p.parent.relative_to(built).as_posix() + "/"
        for p in html_pages(built)
        if not p.relative_to(built).as_posix().startswith("embed/")
    }
    pages = {"" if p == "./" else p for p in pages}
    listed = re.findall(r"<loc>([^<]*)</loc>", (based / "sitemap.xml").read_text())
    assert sorted(listed) == sorted(BASE + p for p in pages)
    assert (based / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    )
    assert "Sitemap" not in (built / "robots.txt").read_text()


def test_embeds_ask_robots_not_to_index_them(built):
    text = (built / "embed/country/nl/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in text
    assert '<a href="../../../country/nl/" target="_top">The full page</a>' in text


@pytest.mark.parametrize("folder", ["latest", "0.1.0-fixtures"])
def test_data_files_sit_at_both_addresses_the_csvs_as_given(built, folder):
    data = built / "data" / folder
    assert (data / "stations.csv").read_bytes() == FIXTURE_STATIONS.read_bytes()
    assert (data / "responses.csv").read_bytes() == FIXTURE_RESPONSES.read_bytes()
    geojson = json.loads((data / "stations.geojson").read_text(encoding="utf-8"))
    assert len(geojson["features"]) == 21
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == "0.1.0-fixtures"
    assert [r["path"] for r in package["resources"]] == ["stations.csv", "responses.csv"]


def test_static_files_have_content_hashed_names(built):
    names = [
        re.sub(r"\.[0-9a-f]{8}\.", ".HASH.", p.name) for p in (built / "static").glob("site.*")
    ]
    assert sorted(names) == [
        "site.HASH.css",
        "site.HASH.js",
    ]


def transferred(path: Path) -> int:
    """The bytes of a file sent compressed (gzip, as static hosts serve text)."""
    return len(gzip.compress(path.read_bytes(), 6))


def test_station_pages_stay_within_their_budgets(built):
    """At most 30 KB of HTML; at most 150 KB sent for a first visit, with its map's scripts,
    styles and outlines."""
    pages = sorted(built.glob("station/*/index.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    assert largest.stat().st_size <= STATION_HTML_BUDGET, largest
    heaviest = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parsed = Checked(text)
        loads = [
            a.get("src") or a.get("href")
            for t, a in parsed.tags
            if (t == "script" and a.get("src")) or (t == "link" and a.get("rel") == "stylesheet")
        ]
        island = re.search(r'id="stations">(.*?)</script>', text)
        assert island is not None
        loads.append(json.loads(island[1])["outlines"])
        total = transferred(page) + sum(transferred(page.parent / str(u)) for u in loads)
        heaviest = max(heaviest, total)
    assert heaviest <= FIRST_VISIT_BUDGET


def test_a_second_edition_drops_what_is_gone_and_a_foreign_folder_is_refused(tmp_path):
    out = build(tmp_path / "out")
    stale = out / "station" / "xx-gone-1" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    build(out)
    assert not stale.parent.exists()
    assert (out / "station" / "nl-rotterdam-1" / "index.html").is_file()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    args = [
        str(foreign),
        "--stations",
        str(FIXTURE_STATIONS),
        "--responses",
        str(FIXTURE_RESPONSES),
    ]
    assert publish.main(args) == 2
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_invalid_data_is_not_published(tmp_path, capsys):
    bad = tmp_path / "stations.csv"
    text = FIXTURE_STATIONS.read_text(encoding="utf-8")
    bad.write_text(text.replace(",52.3740,", ",152.3740,"), encoding="utf-8")
    assert publish.main([str(tmp_path / "out"), "--stations", str(bad)]) == 1
    assert "152.374" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_hostile_text_in_the_data_shows_as_text_in_the_written_pages(tmp_path):
    payload = '"><img src=x onerror=alert(1)></script><script>alert(2)</script>'
    data = tmp_path / "data"
    data.mkdir()
    stations = FIXTURE_STATIONS.read_text(encoding="utf-8")
    stations = stations.replace(
        "Rotterdam,Netherlands", f'"{payload.replace(chr(34), 2 * chr(34))}",Netherlands'
    )
    (data / "stations.csv").write_text(stations, encoding="utf-8")
    shutil.copy(FIXTURE_RESPONSES, data / "responses.csv")
    shutil.copy(FIXTURES / "datapackage.json", data / "datapackage.json")
    bundle = publish.load_bundle(data / "stations.csv", data / "responses.csv", generated=NOW)
    out = tmp_path / "out"
    publish.publish(out, bundle)
    for path in [
        out / "index.html",
        out / "station/nl-rotterdam-1/index.html",
        out / "country/nl/index.html",
        out / "embed/station/nl-rotterdam-1/index.html",
    ]:
        text = path.read_text(encoding="utf-8")
        assert payload not in text
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in text, path
        assert not [t for t, _ in Checked(text).tags if t == "img"]
