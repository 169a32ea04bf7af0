"""The Atom feeds, read back the way feed readers read them (feedparser)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import xml.etree.ElementTree as ET

import feedparser
import pandas as pd
import pytest

from dashboard import feeds
from dashboard.changes import Change, changes_since
from dashboard.feeds import changes_feed, clean, versions_feed, write_all
from tests.helpers import response, station

SITE = "https://example.org/police/"
BUILT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
CHANGELOG = """# Changelog

## 1.1.0 (2026-11-30)

### Added

- `nl-r09`.

## 1.0.0 (2026-11-27)

The first version.
"""


def parse(data: bytes, url: str | None = None) -> feedparser.FeedParserDict:
    """The feed as a reader sees it; `url` is the feed's own address (for relative links)."""
    headers = {"content-type": "application/atom+xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(data, response_headers=headers)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def feed_of(changes: list[Change], site_url: str = SITE, **options: object) -> bytes:
    return changes_feed(
        changes,
        title=str(options.get("title", "All changes")),
        feed_path="feeds/all.xml",
        site_url=site_url,
        updated=BUILT,
    )


def link(entry: feedparser.FeedParserDict, rel: str) -> str | None:
    return next((x["href"] for x in entry.links if x["rel"] == rel), None)


CHANGE = Change(
    kind="response",
    date="2022-11-01",
    country_code="NL",
    station_id="nl-rotterdam-1",
    response_id="nl-r02",
    title="Netherlands: Closure order (Foreign Minister)",
    summary="Told the ambassador the stations must close.",
    source_url="https://example.org/c",
    key="response:nl-r02",
    response_type="closure_order",
)


@pytest.fixture(scope="module")
def every_change(stations, responses) -> list[Change]:
    return changes_since(stations, responses, None)


def test_feed_has_one_entry_per_change_in_order(every_change):
    parsed = parse(feed_of(every_change))
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(every_change)
    assert [e.title for e in parsed.entries] == [c.title for c in every_change]


def test_entry_ids_are_unique_and_the_same_in_every_build(every_change):
    first = [e.id for e in parse(feed_of(every_change)).entries]
    later = changes_feed(
        every_change[::2],
        title="Other",
        feed_path="feeds/country/nl.xml",
        site_url="../../",
        updated=BUILT + dt.timedelta(days=30),
    )
    assert len(set(first)) == len(first)
    assert all(i.startswith("urn:uuid:") for i in first)
    assert [e.id for e in parse(later).entries] == first[::2]


def test_entry_dates_are_newest_first(every_change):
    days = [e.updated_parsed for e in parse(feed_of(every_change)).entries]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize(
    ("date", "updated"),
    [
        ("2022-11-03", "2022-11-03T00:00:00Z"),
        ("2022-11", "2022-11-01T00:00:00Z"),  # a partial date: its first day
        ("2023", "2023-01-01T00:00:00Z"),
    ],
)
def test_an_entry_is_updated_at_midnight_utc_of_its_first_day(date, updated):
    (entry,) = parse(feed_of([dataclasses.replace(CHANGE, date=date)])).entries
    assert entry.updated == updated
    assert entry.updated_parsed[:6] == time.strptime(updated, "%Y-%m-%dT%H:%M:%SZ")[:6]


def test_the_feed_says_when_it_was_built():
    assert parse(feed_of([])).feed.updated == "2026-12-01T09:30:00Z"


@pytest.mark.parametrize(
    ("station_id", "page"),
    [("nl-rotterdam-1", "station/nl-rotterdam-1/"), (None, "country/nl/")],
)
def test_an_entry_links_its_page_on_the_site_and_its_source(station_id, page):
    (entry,) = parse(feed_of([dataclasses.replace(CHANGE, station_id=station_id)])).entries
    assert link(entry, "alternate") == SITE + page
    assert link(entry, "related") == "https://example.org/c"


def test_a_relative_site_url_keeps_links_relative_under_xml_base():
    data = feed_of([CHANGE], site_url="../")
    assert b'xml:base="../"' in data
    assert b'href="station/nl-rotterdam-1/"' in data
    parsed = parse(data, url="https://mirror.example.net/site/feeds/all.xml")
    (entry,) = parsed.entries
    assert link(entry, "alternate") == "https://mirror.example.net/site/station/nl-rotterdam-1/"
    assert link(parsed.feed, "self") == "https://mirror.example.net/site/feeds/all.xml"


@pytest.mark.parametrize("source", ["", "javascript:alert(1)", "data:text/html,<b>x</b>"])
def test_a_source_that_is_not_a_web_address_gets_no_link(source):
    (entry,) = parse(feed_of([dataclasses.replace(CHANGE, source_url=source)])).entries
    assert link(entry, "related") is None


def test_categories_name_the_kind_and_the_response_type():
    (entry,) = parse(feed_of([CHANGE])).entries
    assert [(t.term, t.label) for t in entry.tags] == [
        ("response", "response"),
        ("closure_order", "Closure order"),
    ]


HOSTILE = (
    "<script>alert(1)</script> ]]> & &amp; <b>bold</b> \x00\x08\x0b\x1b"
    " \u202eRTL override\u202c \u200fmark \ud800 \ufffe end " + "x" * 10_000
)
SHOWN = clean(HOSTILE).strip()


@pytest.mark.parametrize("field", ["title", "summary", "response_type", "status", "key"])
def test_hostile_text_in_a_field_parses_and_shows_as_text(field):
    data = feed_of([dataclasses.replace(CHANGE, **{field: HOSTILE})], title=HOSTILE)
    ET.fromstring(data)  # well-formed XML 1.0 (the parser refuses forbidden characters)
    parsed = parse(data)
    (entry,) = parsed.entries
    assert parsed.feed.title == SHOWN
    shown = {
        "title": entry.title,
        "summary": entry.summary,
        "response_type": entry.tags[-1].term,
        "status": entry.tags[-1].term,
        "key": SHOWN,  # the key is only hashed into the id
    }[field]
    assert shown == SHOWN
    assert entry.id.startswith("urn:uuid:")


def test_hostile_ids_and_addresses_stay_inside_their_attributes():
    change = dataclasses.replace(
        CHANGE, station_id='x"><script>', source_url='https://example.org/?a=1&b="><script>'
    )
    (entry,) = parse(feed_of([change])).entries
    assert link(entry, "alternate") == SITE + "station/x%22%3E%3Cscript%3E/"
    assert link(entry, "related") == 'https://example.org/?a=1&b="><script>'


def test_hostile_text_in_the_tables_reaches_the_feed_as_text():
    bad = "Rotterdam <img src=x onerror=alert(1)> & \x07 ]]>"
    stations = pd.DataFrame([station(name=bad, summary=bad, first_reported_by=bad)])
    responses = pd.DataFrame([response(actor=bad, summary=bad)])
    parsed = parse(feed_of(changes_since(stations, responses, None)))
    assert {e.title for e in parsed.entries} == {
        f"{clean(bad)}: first reported",
        f"{clean(bad)}: status closed",
        f"Netherlands: Closure order ({clean(bad)})",
    }
    assert all(clean(bad) in e.summary for e in parsed.entries)


def test_versions_feed_has_one_entry_per_version_newest_first():
    parsed = parse(versions_feed(CHANGELOG, site_url=SITE, updated=BUILT))
    assert [e.title for e in parsed.entries] == ["Data 1.1.0", "Data 1.0.0"]
    assert [e.updated for e in parsed.entries] == ["2026-11-30T00:00:00Z", "2026-11-27T00:00:00Z"]
    assert parsed.entries[0].content[0].value == "### Added\n\n- `nl-r09`."
    assert parsed.entries[1].content[0].value == "The first version."
    assert len({e.id for e in parsed.entries}) == 2


@dataclasses.dataclass
class Bundle:
    stations: pd.DataFrame
    responses: pd.DataFrame
    version: str = "1.1.0"
    base_url: str | None = None
    generated: dt.datetime = BUILT
    changelog: str = CHANGELOG


def test_write_all_writes_the_fixed_paths(tmp_path, stations, responses):
    written = write_all(tmp_path, Bundle(stations, responses))
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    countries = {f"feeds/country/{c.lower()}.xml" for c in stations["country_code"]}
    assert names == {"feeds/all.xml", "feeds/versions.xml", *countries}
    assert all(p.is_file() for p in written)


def test_each_country_feed_holds_only_its_country(tmp_path, stations, responses, every_change):
    write_all(tmp_path, Bundle(stations, responses))
    for code in set(stations["country_code"]):
        path = tmp_path / "feeds" / "country" / f"{code.lower()}.xml"
        url = f"{SITE}feeds/country/{code.lower()}.xml"
        entries = parse(path.read_bytes(), url=url).entries
        mine = [c for c in every_change if c.country_code == code]
        assert len(entries) == len(mine) > 0
        pages = {link(e, "alternate") for e in entries}
        ours = {
            f"{SITE}station/{s}/"
            for s in stations.loc[stations["country_code"] == code, "station_id"]
        }
        assert pages <= ours | {f"{SITE}country/{code.lower()}/"}


def test_write_all_links_absolute_under_a_base_url(tmp_path, stations, responses):
    write_all(tmp_path, Bundle(stations, responses, base_url="https://example.org/police"))
    parsed = parse((tmp_path / "feeds" / "all.xml").read_bytes())
    assert link(parsed.feed, "self") == "https://example.org/police/feeds/all.xml"
    assert all(link(e, "alternate").startswith(SITE) for e in parsed.entries)
    assert "1.1.0" in parsed.feed.subtitle


def test_write_all_reads_the_changelog_file_when_the_bundle_carries_none(
    tmp_path, monkeypatch, stations, responses
):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("## 9.0.0 (2030-01-01)\n\nLater.\n", encoding="utf-8")
    monkeypatch.setattr(feeds, "CHANGELOG_PATH", changelog)

    @dataclasses.dataclass
    class Plain:
        stations: pd.DataFrame
        responses: pd.DataFrame
        version: str = "9.0.0"
        base_url: str | None = None
        generated: dt.datetime = BUILT

    write_all(tmp_path / "site", Plain(stations, responses))
    parsed = parse((tmp_path / "site" / "feeds" / "versions.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Data 9.0.0"]


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.date(2022, 11, 1), "2022-11-01T00:00:00Z"),
        (dt.datetime(2026, 12, 1, 9, 30), "2026-12-01T09:30:00Z"),  # naive: taken as UTC
        (
            dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2026-12-01T09:30:00Z",
        ),
    ],
)
def test_atom_times_are_utc(moment, text):
    assert feeds.atom_time(moment) == text


@pytest.mark.parametrize(
    ("code", "path"), [("NL", "feeds/country/nl.xml"), ("gb", "feeds/country/gb.xml")]
)
def test_a_country_feed_is_named_by_its_code(code, path):
    assert feeds.country_path(code) == path


@pytest.mark.parametrize("code", ["", "N", "NLD", "../", "n/"])
def test_a_country_code_that_is_not_two_letters_names_no_file(code):
    with pytest.raises(ValueError, match="is not two letters"):
        feeds.country_path(code)
