"""What the side panels show, as plain data: counts, a station's details, dated timelines.

Also `md_text`, which makes any data value safe to hand to Markdown: every ASCII punctuation
character is backslash-escaped, so nothing in the data can become a link, an HTML tag, LaTeX,
an emoji code or a colour directive.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd

from dashboard.filters import period
from dashboard.schema import (
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    RESPONSE_TYPE_DEFINITIONS,
    STATIONS,
    STATUS_DEFINITIONS,
    URL_PATTERN,
)

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

FIELD_LABELS = {
    "station_id": "ID",
    "name": "Name",
    "address": "Address",
    "city": "City",
    "country": "Country",
    "country_code": "Country code",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "location_precision": "Location precision",
    "location_note": "Location note",
    "operating_bureau": "Operating bureau (as reported)",
    "listed_in": "Listed in",
    "first_reported_by": "First reported by",
    "first_reported_date": "First reported",
    "status": "Status",
    "status_date": "Status date",
    "summary": "Summary",
    "sources": "Sources",
}
assert list(FIELD_LABELS) == STATIONS.names

RESPONSE_TYPE_LABELS = {
    "investigation": "Investigation",
    "investigation_closed": "Investigation closed",
    "closure_order": "Closure order",
    "closure": "Closure",
    "raid": "Raid / search",
    "arrest": "Arrest",
    "charge": "Charge",
    "conviction": "Conviction",
    "statement": "Statement",
    "denial": "Denial",
    "parliamentary_question": "Parliamentary question",
    "expulsion": "Expulsion",
    "cooperation_agreement": "Cooperation agreement",
    "diplomatic_protest": "Diplomatic protest",
}
assert set(RESPONSE_TYPE_LABELS) == set(RESPONSE_TYPE_DEFINITIONS)


def md_text(value: object) -> str:
    """Any value as Markdown that renders exactly as the text itself."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return _PUNCTUATION.sub(r"\\\1", text)


def safe_url(url: str) -> str | None:
    """The URL if it is a well-formed https URL (else None), with Markdown-breaking characters
    percent-encoded so it can sit inside `[text](url)`."""
    if not isinstance(url, str) or not re.fullmatch(URL_PATTERN, url):
        return None
    return quote(url, safe="/:?#&=%+,;@!$*'.-_")


def publisher(url: str) -> str:
    """The publisher's domain, e.g. `www.bbc.com` -> `bbc.com`."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


_URL_DATE = re.compile(r"/(20\d{2})[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=[/-])")
ARCHIVE = "https://web.archive.org/web/"


def url_date(url: str) -> str | None:
    """The date a source's address carries (e.g. `/2022/10/26/`), as YYYY-MM-DD or YYYY-MM."""
    found = _URL_DATE.search(urlsplit(url).path + "/")
    if not found:
        return None
    value = "-".join(part for part in found.groups() if part)
    try:
        period(value)
    except ValueError:
        return None
    return value


def archive_url(url: str) -> str:
    """The Internet Archive's copies of a page."""
    return ARCHIVE + url


def md_link(url: str) -> str:
    """A Markdown link to an https source, labelled by its domain; plain text otherwise."""
    target = safe_url(url)
    if target is None:
        return md_text(url) + " (not a valid https link)"
    return f"[{md_text(publisher(url))}]({target})"


def md_source(url: str) -> str:
    """A source with its provenance: publisher link, date where its address gives one, and a
    link to its archived copies."""
    target = safe_url(url)
    if target is None:
        return md_link(url)
    dated = url_date(url)
    when = f" ({md_text(dated)})" if dated else ""
    return f"{md_link(url)}{when} [\\[archive\\]]({safe_url(archive_url(url))})"


def status_counts(stations: pd.DataFrame) -> pd.DataFrame:
    """Stations per status (every status listed, zero included)."""
    counts = stations["status"].value_counts()
    return pd.DataFrame(
        {
            "status": list(STATUS_DEFINITIONS),
            "stations": [int(counts.get(s, 0)) for s in STATUS_DEFINITIONS],
            "meaning": list(STATUS_DEFINITIONS.values()),
        }
    )


def station_record(stations: pd.DataFrame, station_id: str) -> dict[str, object] | None:
    """Every field of one station, or None if it is not in the table."""
    rows = stations.loc[stations["station_id"] == station_id]
    if rows.empty:
        return None
    return rows.iloc[0].to_dict()


def station_fields(record: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) for every field, with enum values explained."""
    out = []
    for name, value in record.items():
        label = FIELD_LABELS.get(name, name)
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        if name == "location_precision" and text in PRECISION_DEFINITIONS:
            text = f"{text}: {PRECISION_DEFINITIONS[text]}"
        elif name == "listed_in" and text in LISTED_IN_DEFINITIONS:
            text = f"{text}: {LISTED_IN_DEFINITIONS[text]}"
        if name not in ("sources", "status", "summary"):
            out.append((label, text))
    return out


def sources_of(record: dict[str, object]) -> list[str]:
    return str(record.get("sources") or "").split()


def _date_key(value: object) -> str:
    text = str(value or "")
    try:
        return period(text)[0].isoformat()
    except (ValueError, IndexError):
        return "9999"


def _by_date(frame: pd.DataFrame) -> pd.DataFrame:
    keys = frame["date"].map(_date_key)
    return frame.assign(_key=keys).sort_values(["_key", "response_id"]).drop(columns="_key")


def responses_for_station(responses: pd.DataFrame, record: dict[str, object]) -> pd.DataFrame:
    """Responses about this station, or about its whole country, oldest first."""
    ids = responses["station_id"].fillna("")
    mine = (ids == record["station_id"]) | (
        (ids == "") & (responses["country_code"] == record["country_code"])
    )
    return _by_date(responses.loc[mine]).reset_index(drop=True)


def country_timelines(
    responses: pd.DataFrame, stations: pd.DataFrame
) -> list[tuple[str, str, pd.DataFrame]]:
    """(code, country name, its responses oldest first) for each country of `stations`."""
    names = stations.drop_duplicates("country_code").set_index("country_code")["country"]
    ordered = _by_date(responses)
    by_country = {str(code): group for code, group in ordered.groupby("country_code")}
    empty = ordered.head(0)
    out = []
    for code in sorted(names.index, key=lambda c: str(names[c])):
        rows = by_country.get(str(code), empty)
        out.append((str(code), str(names[code]), rows.reset_index(drop=True)))
    return out


def stations_per_country(stations: pd.DataFrame) -> pd.DataFrame:
    counts = stations.groupby("country", dropna=False).size().rename("stations").reset_index()
    return counts.sort_values(["stations", "country"], ascending=[False, True])


def responses_per_year(responses: pd.DataFrame) -> pd.DataFrame:
    """Responses per year and type, for a small chart."""
    years = responses["date"].astype(str).str.slice(0, 4)
    frame = pd.DataFrame(
        {"year": years, "type": responses["response_type"].map(RESPONSE_TYPE_LABELS)}
    )
    return frame.groupby(["year", "type"]).size().rename("responses").reset_index()


# Above these sizes the page would carry every row twice more (table, station list) for little
# use; measured in docs/benchmarks.md. The map and the CSV download always have every row.
TABLE_MAX_ROWS = 1000
PICKER_MAX_STATIONS = 2000
TABLE_COLUMNS = [
    "station_id",
    "name",
    "city",
    "country",
    "status",
    "status_date",
    "operating_bureau",
    "listed_in",
    "first_reported_date",
    "location_precision",
    "source",
    "summary",
]


def table_rows(stations: pd.DataFrame, limit: int = TABLE_MAX_ROWS) -> pd.DataFrame:
    """The table's rows: the first `limit` stations, its columns, and each one's first source."""
    head = stations.head(limit)
    first_source = head["sources"].str.split(" ").str[0]
    columns = (["distance_km"] if "distance_km" in head.columns else []) + TABLE_COLUMNS
    return head.assign(source=first_source)[columns].reset_index(drop=True)


def country_summary(stations: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """One line per country, in words: what the map shows there, readable without the map."""
    rows = []
    ordered = _by_date(responses)
    for country, group in stations.groupby("country", sort=True):
        counts = group["status"].value_counts()
        statuses = ", ".join(
            f"{int(counts[s])} {s.replace('_', ' ')}" for s in STATUS_DEFINITIONS if s in counts
        )
        acts = ordered.loc[ordered["country_code"].isin(set(group["country_code"]))]
        latest = acts.iloc[-1] if len(acts) else None
        rows.append(
            {
                "country": str(country),
                "stations": len(group),
                "by status": statuses,
                "approximate (country only)": int((group["location_precision"] == "country").sum()),
                "government responses": len(acts),
                "latest response": ""
                if latest is None
                else f"{latest['date']}: {RESPONSE_TYPE_LABELS.get(str(latest['response_type']))}"
                f" ({latest['actor']})",
            }
        )
    return pd.DataFrame(rows)
