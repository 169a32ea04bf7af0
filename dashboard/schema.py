"""The one declared schema of the bundled CSVs: columns, types, allowed values, ranges.

The loader (`dashboard.data`), the validator CLI, `data/datapackage.json` and the data
dictionary in `data/README.md` are all derived from the declarations below.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, cast

from dashboard.versions import latest

Kind = Literal["text", "slug", "enum", "number", "date", "country_code", "url", "url_list"]

STATUS_DEFINITIONS: dict[str, str] = {
    "reported": "Alleged in public reporting; no official action by the host country is known.",
    "investigating": "Host authorities said they are looking into it (police, prosecutors, "
    "intelligence or a ministry).",
    "closed": "The host government or the PRC side said it closed, or it was ordered to close. "
    "Nobody independent has necessarily verified the closure.",
    "prosecuted": "Charges were brought or a conviction was obtained for acts tied to the station.",
    "denied": "Host authorities say they found no such station, or no knowledge of one.",
    "investigation_closed": "Host authorities ended an investigation without charges and without "
    "finding that a station operated.",
}

RESPONSE_TYPE_DEFINITIONS: dict[str, str] = {
    "investigation": "Police, prosecutors, intelligence or a ministry said they are looking into "
    "the reports.",
    "investigation_closed": "An investigation was ended, with or without findings.",
    "closure_order": "The host government told the PRC side (usually its embassy) that the "
    "station(s) must close.",
    "closure": "An official said the station(s) had closed or stopped operating.",
    "raid": "Police searched the premises or people linked to a station.",
    "arrest": "People tied to a station were arrested.",
    "charge": "Criminal charges or a referral to prosecutors tied to a station.",
    "conviction": "A guilty plea or verdict tied to a station.",
    "statement": "A public statement by an official or body that is none of the above.",
    "denial": "Host authorities said they know of no such station.",
    "parliamentary_question": "A question in a legislature and the government's answer to it.",
    "expulsion": "A PRC official was expelled or declared persona non grata over the stations.",
    "cooperation_agreement": "The host government signed police cooperation with the PRC after "
    "the reports (context for how it treats them).",
    "diplomatic_protest": "The host government summoned the PRC ambassador or lodged a formal "
    "protest.",
}

PRECISION_DEFINITIONS: dict[str, str] = {
    "address": "Coordinates of the reported street address.",
    "district": "Coordinates of the centre of the reported district or neighbourhood.",
    "city": "Coordinates of the centre of the reported city; the exact site is not public or "
    "not mapped.",
    "country": "Only the country is known; the point is an approximate centre of the country.",
}

LISTED_IN_DEFINITIONS: dict[str, str] = {
    "110 Overseas (2022-09)": "In Safeguard Defenders' first report (September 2022, 54 stations).",
    "Patrol and Persuade (2022-12)": "Added in Safeguard Defenders' follow-up report "
    "(December 2022, 102 stations in 53 countries in all).",
    "other": "Reported later or by others, not in either Safeguard Defenders report.",
}

BUREAU_DEFINITIONS: dict[str, str] = {
    "Fuzhou": "Fuzhou Public Security Bureau (Fujian), including its county branches.",
    "Qingtian": "Qingtian County Public Security Bureau (Lishui, Zhejiang).",
    "Lishui": "Lishui Public Security Bureau (Zhejiang), where sources name the city bureau.",
    "Wenzhou": "Wenzhou Public Security Bureau (Zhejiang), including its districts.",
    "Nantong": "Nantong Public Security Bureau (Jiangsu).",
    "unknown": "No bureau is named for this station in the sources.",
}


@dataclass(frozen=True)
class Column:
    """One CSV column: its type, whether it is required, and its limits."""

    name: str
    kind: Kind
    description: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Table:
    """A CSV file's schema: its columns in order and its key."""

    name: str
    title: str
    path: str
    primary_key: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


LAST_CHECKED = Column(
    "last_checked",
    "date",
    "When an editor last opened this row's sources and found that they support it "
    "(YYYY-MM-DD). Rows not re-read since the first build keep the build's date.",
)


STATIONS = Table(
    name="stations",
    title="Alleged overseas police service stations",
    path="stations.csv",
    primary_key="station_id",
    columns=(
        Column(
            "station_id",
            "slug",
            "Stable unique id: country code, city slug, number "
            "(e.g. nl-rotterdam-1); `country` in place of the city when only the country "
            "is known.",
            max_length=80,
        ),
        Column("name", "text", "Name as reported, or a descriptive name.", max_length=200),
        Column(
            "address",
            "text",
            "Street address, only where publicly reported and not a "
            "private residence; empty otherwise.",
            required=False,
            max_length=300,
        ),
        Column(
            "city",
            "text",
            "City as reported; empty when only the country is known.",
            required=False,
            max_length=120,
        ),
        Column("country", "text", "Host country (common English name).", max_length=80),
        Column("country_code", "country_code", "Host country, ISO 3166-1 alpha-2."),
        Column(
            "latitude",
            "number",
            "WGS84 decimal degrees; precision given by location_precision.",
            minimum=-90,
            maximum=90,
        ),
        Column(
            "longitude",
            "number",
            "WGS84 decimal degrees; precision given by location_precision.",
            minimum=-180,
            maximum=180,
        ),
        Column(
            "location_precision",
            "enum",
            "What the coordinates stand for.",
            allowed=tuple(PRECISION_DEFINITIONS),
        ),
        Column(
            "location_note",
            "text",
            "Why the location has this precision (e.g. a "
            "reported residence whose address is withheld).",
            required=False,
            max_length=300,
        ),
        Column(
            "operating_bureau",
            "enum",
            "PRC public security bureau the sources name for this station.",
            allowed=tuple(BUREAU_DEFINITIONS),
        ),
        Column(
            "listed_in",
            "enum",
            "Which Safeguard Defenders report lists it, if any.",
            allowed=tuple(LISTED_IN_DEFINITIONS),
        ),
        Column("first_reported_by", "text", "Who first reported it.", max_length=200),
        Column(
            "first_reported_date",
            "date",
            "When it was first reported (YYYY-MM-DD, YYYY-MM or YYYY).",
        ),
        Column(
            "status",
            "enum",
            "Latest known status (see definitions).",
            allowed=tuple(STATUS_DEFINITIONS),
        ),
        Column("status_date", "date", "Date of the event that gave the status."),
        Column(
            "summary",
            "text",
            "What was reported and by whom, in our words; at most 280 characters.",
            max_length=280,
        ),
        Column(
            "sources",
            "url_list",
            "One or more https URLs separated by a space; the first is the best.",
            max_length=3000,
        ),
        LAST_CHECKED,
    ),
)

RESPONSES = Table(
    name="responses",
    title="Host-government responses",
    path="responses.csv",
    primary_key="response_id",
    columns=(
        Column(
            "response_id",
            "slug",
            "Stable unique id: country code, `r`, number (e.g. nl-r01).",
            max_length=80,
        ),
        Column(
            "country_code", "country_code", "Country whose authorities acted, ISO 3166-1 alpha-2."
        ),
        Column(
            "station_id",
            "slug",
            "The station concerned; empty when the response concerns "
            "the country as a whole or several stations.",
            required=False,
            max_length=80,
        ),
        Column("date", "date", "When it happened (YYYY-MM-DD, YYYY-MM or YYYY)."),
        Column("actor", "text", "Who acted (body, or official with role).", max_length=200),
        Column(
            "response_type",
            "enum",
            "What kind of action (see definitions).",
            allowed=tuple(RESPONSE_TYPE_DEFINITIONS),
        ),
        Column(
            "summary",
            "text",
            "What they did or said, in our words; at most 280 characters.",
            max_length=280,
        ),
        Column("source_url", "url", "One https URL.", max_length=1000),
        LAST_CHECKED,
    ),
    foreign_keys=(("station_id", "stations", "station_id"),),
)

TABLES: tuple[Table, ...] = (STATIONS, RESPONSES)


class StationRecord(TypedDict):
    """One row of a loaded stations table (`panels.station_record`). Written out for the type
    checker, field by field as `STATIONS` declares them (tests/test_panels.py keeps the two in
    step): a number column's value is a float (NaN when empty), every other column's a str ("" when
    empty). A file's extra columns, which the loader keeps, follow these at run time."""

    station_id: str
    name: str
    address: str
    city: str
    country: str
    country_code: str
    latitude: float
    longitude: float
    location_precision: str
    location_note: str
    operating_bureau: str
    listed_in: str
    first_reported_by: str
    first_reported_date: str
    status: str
    status_date: str
    summary: str
    sources: str
    last_checked: str


def record_of(row: Iterable[tuple[Any, Any]]) -> StationRecord:
    """A row of a loaded stations table (its `.items()`) as its record. The loader checked the
    row against the schema; the type checker cannot see into a frame, so this is where it is
    told."""
    return cast(StationRecord, {str(name): value for name, value in row})


SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DATE_PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
URL_PATTERN = r"https://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#]\S*)?"

_FRICTIONLESS_TYPES = {
    "text": "string",
    "slug": "string",
    "enum": "string",
    "number": "number",
    "date": "string",
    "country_code": "string",
    "url": "string",
    "url_list": "string",
}


def _frictionless_field(column: Column) -> dict[str, object]:
    constraints: dict[str, object] = {}
    if column.required:
        constraints["required"] = True
    if column.allowed:
        constraints["enum"] = list(column.allowed)
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if column.max_length is not None:
        constraints["maxLength"] = column.max_length
    pattern = {
        "slug": SLUG_PATTERN,
        "date": DATE_PATTERN,
        "country_code": "[A-Z]{2}",
        "url": URL_PATTERN,
        "url_list": f"{URL_PATTERN}(?: {URL_PATTERN})*",
    }.get(column.kind)
    if pattern:
        constraints["pattern"] = pattern
    spec: dict[str, object] = {
        "name": column.name,
        "type": _FRICTIONLESS_TYPES[column.kind],
        "description": column.description,
    }
    if constraints:
        spec["constraints"] = constraints
    return spec


def datapackage(version: str) -> dict[str, object]:
    """The Frictionless Data Package descriptor for the bundled CSVs at `version`."""
    resources = []
    for table in TABLES:
        schema: dict[str, object] = {
            "fields": [_frictionless_field(c) for c in table.columns],
            "primaryKey": [table.primary_key],
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [own], "reference": {"resource": other, "fields": [theirs]}}
                for own, other, theirs in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": "chinese-overseas-police-stations",
        "title": "Alleged Chinese overseas police 'service stations' and government responses",
        "version": version,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": resources,
    }


def datapackage_json() -> str:
    """`datapackage()` at the changelog's newest version: the exact text of
    data/datapackage.json."""
    return json.dumps(datapackage(latest().version), indent=2, ensure_ascii=False) + "\n"


def _definitions_table(title: str, definitions: dict[str, str]) -> list[str]:
    lines = [f"**{title}**", "", "| value | meaning |", "| --- | --- |"]
    lines += [f"| `{value}` | {meaning} |" for value, meaning in definitions.items()]
    return [*lines, ""]


def data_dictionary_markdown() -> str:
    """The data dictionary section of data/README.md, generated from this schema."""
    lines: list[str] = []
    for table in TABLES:
        lines += [f"### `{table.path}`: {table.title}", ""]
        lines += ["| column | type | required | allowed / limits | description |"]
        lines += ["| --- | --- | --- | --- | --- |"]
        for c in table.columns:
            limits = []
            if c.allowed:
                limits.append(", ".join(f"`{v}`" for v in c.allowed))
            if c.minimum is not None:
                limits.append(f"{c.minimum:g} to {c.maximum:g}")
            if c.max_length is not None:
                limits.append(f"at most {c.max_length} characters")
            required = "yes" if c.required else "no"
            lines.append(
                f"| `{c.name}` | {c.kind} | {required} | {'; '.join(limits)} | {c.description} |"
            )
        lines.append("")
    lines += _definitions_table("`status`", STATUS_DEFINITIONS)
    lines += _definitions_table("`response_type`", RESPONSE_TYPE_DEFINITIONS)
    lines += _definitions_table("`location_precision`", PRECISION_DEFINITIONS)
    lines += _definitions_table("`listed_in`", LISTED_IN_DEFINITIONS)
    lines += _definitions_table("`operating_bureau`", BUREAU_DEFINITIONS)
    return "\n".join(lines)


if __name__ == "__main__":
    print(datapackage_json(), end="")
