"""What the side panels show, as plain data: counts, a station's details, dated timelines.

Also `md_text`, which makes any data value safe to hand to Markdown: every ASCII punctuation
character is backslash-escaped, so nothing in the data can become a link, an HTML tag, LaTeX,
an emoji code or a colour directive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

from dashboard.filters import period
from dashboard.i18n import (
    DEFAULT_LANGUAGE,
    MESSAGES,
    RESPONSE_LABELS,
    STATUS_LABELS,
    bureau_label,
    country_label,
    language,
    response_label,
    status_label,
    t,
)
from dashboard.rules import (
    NO_RESPONSE,
    RESPONSE_TIERS,
    TIER_OF,
    by_date,
    strongest_responses,
    tier_rank,
)
from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    RESPONSE_TYPE_DEFINITIONS,
    STATIONS,
    STATUS_DEFINITIONS,
    URL_PATTERN,
    StationRecord,
    record_of,
)

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")

assert set(RESPONSE_LABELS) == set(RESPONSE_TYPE_DEFINITIONS)
assert set(STATUS_LABELS) == set(STATUS_DEFINITIONS)
assert all(f"field_{name}" in MESSAGES for name in STATIONS.names)


def field_label(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    key = f"field_{name}"
    return t(key, lang) if key in MESSAGES else name


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


def md_link(url: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A Markdown link to an https source, labelled by its domain; plain text otherwise."""
    target = safe_url(url)
    if target is None:
        return f"{md_text(url)} ({md_text(t('not_https', lang))})"
    return f"[{md_text(publisher(url))}]({target})"


def md_source(url: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A source with its provenance: publisher link, date where its address gives one, and a
    link to its archived copies."""
    target = safe_url(url)
    if target is None:
        return md_link(url, lang)
    dated = url_date(url)
    when = f" ({md_text(dated)})" if dated else ""
    archive = md_text(t("archive", lang))
    return f"{md_link(url)}{when} [\\[{archive}\\]]({safe_url(archive_url(url))})"


def status_counts(stations: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Stations per status (every status listed, zero included), in words."""
    counts = stations["status"].value_counts()
    return pd.DataFrame(
        {
            t("col_status", lang): [status_label(s, lang) for s in STATUS_DEFINITIONS],
            t("col_stations", lang): [int(counts.get(s, 0)) for s in STATUS_DEFINITIONS],
            t("col_meaning", lang): [t(f"status_meaning.{s}", lang) for s in STATUS_DEFINITIONS],
        }
    )


def md_table(frame: pd.DataFrame) -> str:
    """A small table as Markdown, every cell shown as its text (pipes included)."""
    head = "| " + " | ".join(md_text(c) for c in frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(md_text(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([head, rule, *rows])


def station_record(stations: pd.DataFrame, station_id: str) -> StationRecord | None:
    """Every field of one station, or None if it is not in the table."""
    rows = stations.loc[stations["station_id"] == station_id]
    if rows.empty:
        return None
    return record_of(rows.iloc[0].items())


def station_fields(record: StationRecord, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(label, value) for every field, with enum values explained."""
    out = []
    for name, value in record.items():
        label = field_label(name, lang)
        text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        # Codes are the data's words: English pages show them, other pages their names.
        coded = language(lang) == DEFAULT_LANGUAGE
        if name == "location_precision" and text in PRECISION_DEFINITIONS:
            shown = text if coded else t(f"precision_name.{text}", lang)
            text = f"{shown}: {t(f'precision.{text}', lang)}"
        elif name == "listed_in" and text in LISTED_IN_DEFINITIONS:
            shown = text if coded else t(f"listed_name.{text}", lang)
            text = f"{shown}: {t(f'listed_in.{text}', lang)}"
        elif name == "operating_bureau":
            text = bureau_label(text, lang)
        elif name == "country" and not coded and text:
            # The country's name in the page's language, with the data's own after it.
            text = f"{country_label(str(record.get('country_code', '')), lang, text)} ({text})"
        if name not in ("sources", "status", "summary"):
            out.append((label, text))
    return out


def place_words(record: Mapping[str, object], lang: str = DEFAULT_LANGUAGE) -> str:
    """A station's place in words: "City, Country", or the country alone (as map.js says it);
    the country named in `lang`."""
    city = record.get("city")
    city = "" if city is None or (isinstance(city, float) and pd.isna(city)) else str(city)
    country = country_label(str(record.get("country_code", "")), lang, str(record["country"]))
    return f"{city}, {country}" if city else country


def country_words(stations: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`stations` with the `country` column in `lang` (CLDR's names; English keeps the data's
    own), for what the page shows. The caller's frame is not changed."""
    if language(lang) == DEFAULT_LANGUAGE or stations.empty:
        return stations
    pairs = stations[["country_code", "country"]].drop_duplicates("country_code")
    names = {
        str(code): country_label(str(code), lang, str(name))
        for code, name in pairs.itertuples(index=False)
    }
    return stations.assign(country=stations["country_code"].astype(str).map(names))


def sources_of(record: StationRecord) -> list[str]:
    return str(record.get("sources") or "").split()


def responses_for_station(responses: pd.DataFrame, record: StationRecord) -> pd.DataFrame:
    """Responses about this station, or about its whole country, oldest first."""
    ids = responses["station_id"].fillna("")
    mine = (ids == record["station_id"]) | (
        (ids == "") & (responses["country_code"] == record["country_code"])
    )
    return by_date(responses.loc[mine]).reset_index(drop=True)


def view_responses(responses: pd.DataFrame, stations: pd.DataFrame) -> pd.DataFrame:
    """The government responses of a view, oldest first: those about one of its stations, and
    those about the whole country of one of them (what the panels show and the download has)."""
    codes = set(stations["country_code"].astype(str).unique().tolist())
    about = ["" if pd.isna(v) else str(v) for v in responses["station_id"].tolist()]
    # Responses are few (hundreds) and stations may be many: look ids up in a set, once.
    ids = set(stations["station_id"].tolist()) if any(about) else set()
    keep = [
        (sid in ids) if sid else (str(code) in codes)
        for sid, code in zip(about, responses["country_code"].tolist(), strict=True)
    ]
    return by_date(responses.loc[keep])


def country_timelines(
    responses: pd.DataFrame, stations: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> list[tuple[str, str, pd.DataFrame]]:
    """(code, country name in `lang`, its responses of the view, oldest first) for each country
    of `stations`."""
    firsts = country_words(stations, lang).drop_duplicates("country_code")
    names = firsts.set_index("country_code")["country"]
    ordered = view_responses(responses, stations)
    by_country = {str(code): group for code, group in ordered.groupby("country_code")}
    empty = ordered.head(0)
    out = []
    for code in sorted(names.index, key=lambda c: str(names[c])):
        rows = by_country.get(str(code), empty)
        out.append((str(code), str(names[code]), rows.reset_index(drop=True)))
    return out


def stations_per_country(stations: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    stations = country_words(stations, lang)
    counts = stations.groupby("country", dropna=False).size().rename("stations").reset_index()
    return counts.sort_values(["stations", "country"], ascending=[False, True])


def responses_per_year(responses: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Responses per year and strength (the tiers of `rules.RESPONSE_TIERS`, strongest first),
    for a small chart: six groups, so each can have its own colour."""
    years = responses["date"].astype(str).str.slice(0, 4)
    tiers = responses["response_type"].astype(object).map(lambda r: TIER_OF.get(str(r), ""))
    frame = pd.DataFrame({"year": years, "tier": tiers})
    counts = frame.groupby(["year", "tier"]).size().rename("responses").reset_index()
    counts["type"] = counts["tier"].map(lambda code: t(f"tier_{code}", lang) if code else "?")
    counts["order"] = counts["tier"].map(tier_rank)
    return counts.sort_values(["year", "order"]).reset_index(drop=True)


TIER_NAMES = tuple(RESPONSE_TIERS)
# One colour per strength in the chart (Okabe-Ito, strongest darkest first), named in its legend.
TIER_CHART_COLOURS = ("#7f0000", "#D55E00", "#E69F00", "#0072B2", "#56B4E9", "#CC79A7")
assert len(TIER_CHART_COLOURS) == len(TIER_NAMES)


@dataclass(frozen=True)
class Report:
    """One of Safeguard Defenders' two reports, as the coverage line names it."""

    listed_in: str
    title: str
    published: str
    stations: int
    url: str


# Safeguard Defenders' own pages: the December report's page, and SD's overview of the September
# report's reception, which gives its publication date (the report's own page was not stored).
REPORTS = (
    Report(
        "110 Overseas (2022-09)",
        "110 Overseas",
        "2022-09-12",
        54,
        "https://safeguarddefenders.com/en/blog/"
        "14-governments-launch-investigations-chinese-110-overseas-police-service-stations",
    ),
    Report(
        "Patrol and Persuade (2022-12)",
        "Patrol and Persuade",
        "2022-12-05",
        102,
        "https://safeguarddefenders.com/zh-hans/node/579",
    ),
)
REPORTED_TOTAL = 102  # stations in 53 countries, in both reports together
assert {r.listed_in for r in REPORTS} < set(LISTED_IN_DEFINITIONS)


@dataclass(frozen=True)
class Coverage:
    """How much of the reports' total the data places, and how precisely."""

    reported: int
    identified: int
    country_only: int
    missing: int
    others: int

    def words(self, lang: str) -> str:
        """The coverage as a sentence in `lang` (plain text)."""
        return t(
            "coverage",
            lang,
            reported=self.reported,
            identified=self.identified,
            country_only=self.country_only,
            missing=self.missing,
            others=self.others,
        )


def coverage(stations: pd.DataFrame) -> Coverage:
    """The data against Safeguard Defenders' 102: rows listed in a report, those placed only by
    country, those not identified, and rows from later reporting."""
    listed = stations["listed_in"].astype(str)
    in_reports = listed.isin({r.listed_in for r in REPORTS})
    identified = int(in_reports.sum())
    country_only = int((in_reports & (stations["location_precision"] == "country")).sum())
    return Coverage(
        REPORTED_TOTAL,
        identified,
        country_only,
        max(REPORTED_TOTAL - identified, 0),
        int((~in_reports).sum()),
    )


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


def _worded(column: pd.Series, words: dict[str, str]) -> pd.Series:
    """Enum codes as words (unknown values as they are)."""
    return column.astype(object).map(lambda v: words.get(v, v))


def table_rows(
    stations: pd.DataFrame, limit: int = TABLE_MAX_ROWS, lang: str = DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """The table's rows: the first `limit` stations, its columns (headed in `lang`), each one's
    status in words and its first source."""
    head = stations.head(limit)
    first_source = head["sources"].str.split(" ").str[0]
    columns = (["distance_km"] if "distance_km" in head.columns else []) + TABLE_COLUMNS
    rows = head.assign(
        source=first_source,
        status=_worded(head["status"], {c: status_label(c, lang) for c in STATUS_DEFINITIONS}),
        operating_bureau=_worded(
            head["operating_bureau"], {c: bureau_label(c, lang) for c in BUREAU_DEFINITIONS}
        ),
        location_precision=_worded(
            head["location_precision"],
            {c: t(f"precision_name.{c}", lang) for c in PRECISION_DEFINITIONS},
        ),
    )[columns].reset_index(drop=True)
    return rows.rename(columns={c: t(f"col_{c}", lang) for c in columns})


def country_layers(
    stations: pd.DataFrame, responses: pd.DataFrame
) -> tuple[dict[str, int], dict[str, str]]:
    """For the country layer: stations per country code, and the strongest response tier of
    each of those countries (`NO_RESPONSE` where none is recorded)."""
    counts = stations["country_code"].astype(str).value_counts()
    strongest = strongest_responses(responses)
    count_of = {str(code): int(n) for code, n in counts.items()}
    return count_of, {code: strongest.get(code, NO_RESPONSE) for code in count_of}


def country_summary(
    stations: pd.DataFrame, responses: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """One line per country, in words: what the map shows there, readable without the map."""
    rows = []
    ordered = by_date(responses)
    strongest = strongest_responses(responses)
    for country, group in country_words(stations, lang).groupby("country", sort=True):
        counts = group["status"].value_counts()
        statuses = ", ".join(
            f"{int(counts[s])} {status_label(s, lang)}" for s in STATUS_DEFINITIONS if s in counts
        )
        codes = set(group["country_code"].astype(str))
        acts = ordered.loc[ordered["country_code"].isin(codes)]
        latest = acts.iloc[-1] if len(acts) else None
        tier = min((strongest.get(c, NO_RESPONSE) for c in codes), key=tier_rank)
        rows.append(
            {
                t("col_country", lang): str(country),
                t("col_stations", lang): len(group),
                t("col_by_status", lang): statuses,
                t("col_approximate", lang): int((group["location_precision"] == "country").sum()),
                t("col_responses", lang): len(acts),
                t("col_strongest", lang): t(f"tier_{tier}", lang),
                t("col_latest", lang): ""
                if latest is None
                else f"{latest['date']}: {response_label(str(latest['response_type']), lang)}"
                f" ({latest['actor']})",
            }
        )
    return pd.DataFrame(rows)
