"""Atom 1.0 feeds (RFC 4287) of what changed: every change, one per country, and the data's
versions. Written with an XML writer (ElementTree), never by pasting text: every value is escaped,
and the characters XML 1.0 cannot carry (most control characters) are removed first.

- An entry's id is a name-based UUID (RFC 4122, version 5) of its change's key: the same in every
  build, wherever the site is hosted, and in the all-changes feed and its country's feed alike.
- An entry's `updated` is its date at 00:00 UTC; a partial date (YYYY, YYYY-MM) gives its FIRST
  day, the day by which it sorts (`changes.newest_first`), so the entries' dates run newest first.
- Links point into the published site (`station/<id>/`, `country/<cc>/`). With an absolute
  `site_url` they are absolute; with a relative one (a site read from disk or an archive) they
  stay relative and the feed carries `xml:base`, resolved against the feed's own address.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urljoin, urlsplit

import pandas as pd

from dashboard.changes import Change, changes_since
from dashboard.filters import country_names
from dashboard.i18n import DEFAULT_LANGUAGE, response_label
from dashboard.versions import CHANGELOG_PATH, releases

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# The ids' namespace: the data package's name (data/datapackage.json), so ids never depend on a
# host name.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:datapackage:chinese-overseas-police-stations")
AUTHOR = "Editors of the alleged Chinese overseas police stations map"
PROJECT = "Alleged Chinese overseas police stations"
# What XML 1.0 cannot carry (its `Char` production): C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Said in every changes feed: what an entry's date means.
DATES_NOTE = (
    "Each entry is dated by the event itself (a report, a response, a status it gave), not by "
    "when it entered the data; a date known only to the month or year shows its first day."
)
ALL_PATH = "feeds/all.xml"
VERSIONS_PATH = "feeds/versions.xml"


def country_path(code: str) -> str:
    """The site-relative path of a country's changes feed (`code`: ISO 3166-1 alpha-2)."""
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        raise ValueError(f"country code {code!r} is not two letters: no feed file is named by it")
    return f"feeds/country/{code.lower()}.xml"


def clean(text: object) -> str:
    """`text` as a string XML 1.0 can carry: the characters it forbids are removed."""
    return _NOT_XML.sub("", str(text))


def entry_id(key: str) -> str:
    """The Atom id of the entry for a change (or version) key."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, clean(key))}"


def atom_time(moment: dt.datetime | dt.date) -> str:
    """RFC 3339 in UTC; a day is its 00:00 UTC, a naive time is taken as UTC."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), dt.UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def _href(site_url: str, path: str) -> str:
    """A site page's link: absolute under an absolute `site_url`, else relative (to xml:base)."""
    return urljoin(site_url, path) if _is_absolute(site_url) else path


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _feed(
    title: str, subtitle: str, feed_path: str, site_url: str, updated: dt.datetime
) -> ET.Element:
    """The feed element with its own id (from its path), title, dates, author and links."""
    # Unqualified names under a default namespace declared once (ElementTree would otherwise
    # invent prefixes, and its `default_namespace` refuses Atom's unqualified attributes).
    feed = ET.Element("feed", xmlns=ATOM)
    if not _is_absolute(site_url):
        feed.set(XML_BASE, clean(site_url))
    _add(feed, "id", entry_id(f"feed:{feed_path}"))
    _add(feed, "title", title, type="text")
    if subtitle:
        _add(feed, "subtitle", subtitle, type="text")
    _add(feed, "updated", atom_time(updated))
    _add(_add(feed, "author"), "name", AUTHOR)
    _add(feed, "link", rel="self", href=_href(site_url, feed_path), type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=_href(site_url, "./"), type="text/html")
    _add(feed, "generator", "dashboard.feeds")
    return feed


def _page(change: Change) -> str:
    if change.station_id:
        return f"station/{quote(change.station_id, safe='')}/"
    return f"country/{quote(change.country_code.lower(), safe='')}/"


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def _change_entry(feed: ET.Element, change: Change, site_url: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", entry_id(change.key))
    _add(entry, "title", change.title, type="text")
    _add(entry, "updated", atom_time(change.first_day))
    _add(entry, "link", rel="alternate", href=_href(site_url, _page(change)), type="text/html")
    if _is_web(change.source_url):
        _add(entry, "link", rel="related", href=change.source_url, title="Source")
    _add(entry, "summary", change.summary, type="text")
    _add(entry, "category", term=change.kind, label=change.kind)
    if change.response_type:
        label = response_label(change.response_type, DEFAULT_LANGUAGE)
        _add(entry, "category", term=change.response_type, label=label)
    if change.status:
        _add(entry, "category", term=change.status, label=f"status {change.status}")


def _bytes(feed: ET.Element) -> bytes:
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def changes_feed(
    changes: Sequence[Change],
    *,
    title: str,
    feed_path: str,
    site_url: str,
    updated: dt.datetime,
    subtitle: str = "",
) -> bytes:
    """An Atom feed of `changes` in their order (give them newest first).

    `feed_path` is the feed's own path under the site (its id is made from it); `site_url` the
    site's root, absolute (`https://example.org/police/`) or relative to the feed's address
    (`../` for `feeds/all.xml`).
    """
    feed = _feed(title, subtitle, feed_path, site_url, updated)
    for change in changes:
        _change_entry(feed, change, site_url)
    return _bytes(feed)


def versions_feed(
    changelog_text: str,
    *,
    title: str = f"{PROJECT}: data versions",
    feed_path: str = VERSIONS_PATH,
    site_url: str,
    updated: dt.datetime,
    subtitle: str = "",
) -> bytes:
    """An Atom feed with one entry per data version in the changelog, newest first: its
    release day and its section of the changelog as text."""
    feed = _feed(title, subtitle, feed_path, site_url, updated)
    for release in releases(changelog_text):
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(f"version:{release.version}"))
        _add(entry, "title", f"Data {release.version}", type="text")
        _add(entry, "updated", atom_time(dt.date.fromisoformat(release.date)))
        _add(entry, "link", rel="alternate", href=_href(site_url, "./"), type="text/html")
        _add(entry, "content", release.text.strip(), type="text")
    return _bytes(feed)


class FeedBundle(Protocol):
    """What `write_all` reads from a site build. A `changelog` attribute (the changelog's text)
    is read if present; without it, data/CHANGELOG.md."""

    @property
    def stations(self) -> pd.DataFrame: ...
    @property
    def responses(self) -> pd.DataFrame: ...
    @property
    def version(self) -> str | None: ...
    @property
    def base_url(self) -> str | None: ...  # the site's absolute root, or None: relative links
    @property
    def generated(self) -> dt.datetime: ...


def _site_url(base_url: str | None, feed_path: str) -> str:
    """The site's root as seen from a feed: `base_url` (with its final slash), or the relative
    way up from the feed's folder."""
    if base_url:
        return base_url if base_url.endswith("/") else base_url + "/"
    return "../" * feed_path.count("/")


def _changelog(bundle: FeedBundle) -> str:
    text = getattr(bundle, "changelog", None)
    return text if isinstance(text, str) else CHANGELOG_PATH.read_text(encoding="utf-8")


def feed_files(bundle: FeedBundle) -> dict[str, bytes]:
    """Every feed of the site, by its site-relative path: all changes, one per country with a
    change, and the data's versions."""
    changes = changes_since(bundle.stations, bundle.responses, None)
    names = country_names(bundle.stations)
    by_country = {"": ("what changed", changes)}
    for code in sorted({c.country_code for c in changes}):
        mine = [c for c in changes if c.country_code == code]
        by_country[code] = (f"what changed in {names.get(code, code)}", mine)
    out = {}
    for code, (what, chosen) in by_country.items():
        path = country_path(code) if code else ALL_PATH
        out[path] = changes_feed(
            chosen,
            title=f"{PROJECT}: {what}",
            feed_path=path,
            site_url=_site_url(bundle.base_url, path),
            updated=bundle.generated,
            subtitle=f"Data version {bundle.version or 'not stated'}. {DATES_NOTE}",
        )
    out[VERSIONS_PATH] = versions_feed(
        _changelog(bundle),
        site_url=_site_url(bundle.base_url, VERSIONS_PATH),
        updated=bundle.generated,
    )
    return out


def write_all(out_dir: Path, bundle: FeedBundle) -> list[Path]:
    """Write every feed under `out_dir` (`feeds/all.xml`, `feeds/country/<cc>.xml`,
    `feeds/versions.xml`) and return their paths."""
    written = []
    for relative, data in feed_files(bundle).items():
        path = Path(out_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
