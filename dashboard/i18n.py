"""The interface's words: English source texts here, translations in gettext catalogs.

Every label, notice, legend, status and response-type name the page shows is a key here with its
English text. The translations are standard gettext catalogs managed with Babel
(`dashboard/locale/<catalog>/LC_MESSAGES/messages.po`, compiled `.mo` beside them): each entry's
context (msgctxt) is the key, its msgid the English text, its msgstr the translation
(CONTRIBUTING.md, "Translations"). Data values (names, summaries, sources) are shown as the data
has them; country names, dates and numbers come from CLDR (Babel) in the page's language.
`t(key, lang, **values)` fills `{placeholders}`; a `Msg` is a message decided now and put into
words later, in whatever language is active then.
"""

from __future__ import annotations

import datetime as dt
import gettext
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    STATUS_DEFINITIONS,
)

# BCP 47 codes, as links write them (`lang=zh-Hant`), each named in its own language.
LANGUAGES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Each translated language's catalog (a directory under LOCALE_DIR) and every language's CLDR
# locale for Babel. Traditional follows Taiwan's usage (CONTRIBUTING.md, "Chinese variants").
CATALOGS = {"zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}
LOCALES = {"en": "en_GB", "zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_TW"}
# Said only in other languages: the note that validation details stay in English.
ONLY_IN_TRANSLATION = frozenset({"problems_english"})

_UI: dict[str, str] = {
    "page_title": "Alleged Chinese overseas police stations",
    "title": "Alleged Chinese overseas police “service stations”",
    "language": "Language / 语言",
    "filters": "Filters",
    "filters_pending": "The filters appear as soon as the map has drawn its stations.",
    "show_filters": "Show the filters now",
    "country": "Country",
    "status": "Status",
    "bureau": "Operating bureau (as reported)",
    "bureau_unknown": "unknown",
    "listed": "Listed in",
    "response_types": "Countries whose government did…",
    "choose_options": "Choose options",
    "months": "First reported between",
    "search": "Search name, city, address, summary",
    "search_placeholder": "e.g. Fuzhou",
    "asof": "As of (empty: today)",
    "asof_help": (
        "Show the map, counts, panels and table as they stood on that day: only the stations "
        "reported by then, each with the status its derived history had then."
    ),
    "since": "Mark what changed since",
    "since_help": (
        "Mark on the map and list in the Changes tab the stations first reported, the statuses "
        "changed and the government responses dated after that day, and the rows the data's "
        "changelog added or corrected in versions released after it."
    ),
    "since_version": "Since data version {version} ({day})",
    "since_version_help": "Mark what changed after data version {version} was released.",
    "tab_changes": "Changes",
    "changes_pick": (
        "Choose a day under 'Mark what changed since' (or the button for the previous data "
        "version): what changed after it is marked on the map and listed here."
    ),
    "changes_none": "Nothing in this view changed after {day}.",
    "since_line": (
        "{count} changes after {day} in this view: dashed purple rings on the map, listed in the "
        "Changes tab."
    ),
    "change_reported": "first reported",
    "change_status": "status now {status}",
    "change_recorded": "row added or corrected in data version {version}",
    "month_back": "← 1 month",
    "month_forward": "1 month →",
    "month_back_help": "Move the as-of date one month earlier.",
    "month_forward_help": "Move the as-of date one month later (up to today).",
    "near": "Near a place",
    "near_placeholder": "e.g. Amsterdam",
    "near_help": (
        "A city of the data, or any city of 15,000 people or more in the offline gazetteer, by "
        "any of its names (Milano, 米兰) or with its country (Milan, Italy; Toronto, ON); other "
        "places are looked up online (OpenStreetMap) when the server has a network."
    ),
    "km": "within km",
    "reset": "Reset filters",
    "tiles": "OpenStreetMap tiles",
    "tiles_help": (
        "Off: the page requests nothing from any other site; the map shows country outlines "
        "served by this app."
    ),
    "own_files": "Use your own files",
    "own_files_help": (
        "CSV files of the same schema as the bundled data (see data/README.md), up to 5 MB each. "
        "They are checked, kept in memory for your session only, and never saved."
    ),
    "stations_csv": "Stations CSV",
    "responses_csv": "Responses CSV",
    "back_to_bundled": "Back to the bundled data",
    "origin_bundled": "the bundled {name}",
    "origin_none": "no responses",
    "checking": "Checking the data...",
    "looking_up": "Looking up the place...",
    "not_used": "Not used: {problem}. The data in use before stays in use.",
    "problems_english": (
        "The problem details below are in English, as the CSV's column names are (see "
        "data/README.md)."
    ),
    "more_problems": "… and {count} more (download the full list)",
    "download_problems": "Download the full list of problems",
    "origin_note": "Showing stations from {stations} and responses from {responses}.",
    "static_off": (
        "Static file serving is off, so the map cannot load. Start the app from the repository "
        "root (where .streamlit/config.toml is) or pass --server.enableStaticServing true."
    ),
    "view_count": "The map shows {shown} of {total} stations, in {countries}.",
    "view_none": "The map shows none of the {total} stations.",
    "view_as_of": "As they stood on {day}.",
    "view_near": "Within {km} km of {place}.",
    "view_statuses": "By status: {list}.",
    "view_status_item": "{count} {status}",
    "view_strongest": "Strongest government response recorded: {list}.",
    "view_tier_item": "{tier} in {countries}",
    "view_more": "{list} and {count} more",
    "n_countries_word": "{count} countries",
    "view_countries": "{count} ({list})",
    "chart_top": "The {shown} countries with the most stations, of {total} in this view.",
    "selection_dropped": "Station {id} is not in this view, so it is no longer selected.",
    "n_country_word": "1 country",
    "showing_one": "Showing {shown} of {total} stations in {countries} country",
    "showing_many": "Showing {shown} of {total} stations in {countries} countries",
    "near_not_applied": "{why} The distance filter is not applied.",
    "within": "Within {km} km of {place} ({lat}, {lon}; found in the {how}).",
    "found_dataset": "dataset",
    "found_gazetteer": "offline gazetteer",
    "found_online": "online lookup (OpenStreetMap)",
    "orphans": (
        "{count} government response(s) concern stations that are not in the loaded stations "
        "file; they are set aside."
    ),
    "map_caption": (
        "Markers show the status by colour, letter and legend. Dashed squares are placed at the "
        "country's centre: only the country is known. Clusters open as you zoom in. The layer "
        "control (top left) shows countries shaded by stations or by strongest response."
    ),
    "tab_station": "Station",
    "tab_overview": "Overview",
    "tab_charts": "Charts",
    "no_station_yet": (
        "No station selected: click one on the map, choose it above or pick a row of the table."
    ),
    "clear_station": "Clear selection",
    "selected_cue": "Selected: {name} ({status}). Its details follow below the map ↓",
    "asof_heading": "As of {day}: {count} stations reported so far",
    "data_reviewed": "data last reviewed {day}",
    "record_changed": "Record last changed in data version {version} ({day}).",
    "record_checked": "Sources last checked {day}.",
    "record_stale": "Not re-checked for more than a year: its sources may have changed since.",
    "reports_marks": "Safeguard Defenders' reports: see the map as of the day each was published.",
    "report_day_help": (
        "Set the as-of date to the day {title} was published ({stations} stations by then)."
    ),
    "coverage": (
        "Safeguard Defenders reported {reported} stations in 53 countries. This data identifies "
        "{identified} of them, {country_only} only to their country (dashed squares on the map). "
        "{missing} are not identified in any source we could read: the reports' master table is "
        "published only as images. {others} more stations come from later reporting."
    ),
    "reports": "The reports",
    "about": "About the data, method and how to cite",
    "method": (
        "Every row rests on at least one public source, linked in the station's details: "
        "Safeguard Defenders' two reports and the news organisations, governments, courts and "
        'parliaments that reported on each station. A row means "publicly reported as such a '
        'station", not a finding that it is one; the status records what officials said. '
        "Coordinates are never at street level: a city's or district's centre, or a country's "
        "centre where only the country is known. A station's status history is derived from the "
        "dated government responses. Summaries are in English."
    ),
    "translation_note": (
        "The interface is written in English. 简体中文 was translated by the project. 繁體中文 "
        "was drafted from it with OpenCC (s2twp, Taiwan usage) and a glossary of names and terms "
        "(dashboard/locale/glossary.tsv), then read and corrected by the developer: it has not "
        "yet been reviewed by a native reader from Taiwan or Hong Kong, and corrections are "
        "welcome (CONTRIBUTING.md, Translations). Country names, dates and numbers come from "
        "the Unicode CLDR. Some controls drawn by Streamlit itself (the file uploader's and the "
        "date picker's own words) stay in English."
    ),
    "data_version": "Data version",
    "version": "{version}, reviewed {reviewed}, commit {commit}",
    "version_unstated": (
        "not stated for these files (they are not the bundled data), commit {commit}"
    ),
    "n_stations_one": "{count} station",
    "n_stations_many": "{count} stations",
    "n_responses_one": "{count} response",
    "n_responses_many": "{count} responses",
    "download_responses": "Download responses CSV ({responses})",
    "map_key": "Key",
    "map_label": "Map of the stations in this view",
    "cluster_stations": "{n} stations",
    "cluster_in": "{count} in {place}",
    "cluster_country": "{count} in {place}: {list}",
    "cluster_countries": "{count} in {k} countries: {list}",
    "list_and_more": "{list} and more",
    # Between the items of a list (a comma in a list of names, a semicolon between filters).
    "list_comma": ", ",
    "list_semicolon": "; ",
    "map_layers": "Layers",
    "tab_status": "Reporting status",
    "tab_responses": "Government responses",
    "tab_country": "By country",
    "station_details": "Station details",
    "choose_station": "Choose a station…",
    "station_id_input": "Station details: station ID",
    "too_many_to_list": (
        "{count} stations are too many to list here: click one on the map or in the table, or "
        "type its ID."
    ),
    "station_not_in_data": "Station {id} is not in the data.",
    "country_caption": "Everything the map shows, per country, as text.",
    "status_line": "Status",
    "summary": "Summary",
    "sources": "Sources",
    "archive": "archive",
    "permanent_page": "Permanent page of this station",
    "not_https": "not a valid https link",
    "status_history": "Status history (derived; rules in data/README.md)",
    "first_reported_by": "First reported by {who}",
    "responses_about": "Government responses about it or its country ({count})",
    "no_response": "No government response recorded.",
    "chart_per_country": "Stations per country (filtered)",
    "chart_per_year": "Government responses per year",
    "chart_type": "Type",
    "chart_stations": "stations",
    "chart_responses": "responses",
    "chart_year": "year",
    "stations_heading": "Stations",
    "table_heading": "Table of the {stations} shown",
    "table_capped": (
        "The table lists the first {shown} of {total} stations; the map and the CSV download "
        "have them all."
    ),
    "download_csv": "Download CSV ({stations})",
    "download_geojson": "Download GeoJSON ({stations})",
    "download_png": "Download map image (PNG)",
    # The active filters in words (texts.filter_words), e.g. on the map image.
    "filters_words": "Filters: {filters}",
    "filters_none": "Filters: none (all stations)",
    "fw_countries": "in {values}",
    "fw_statuses": "status {values}",
    "fw_bureaus": "bureau {values}",
    "fw_listed_in": "listed in {values}",
    "fw_response_types": "where the government did: {values}",
    "fw_query": "matching “{query}”",
    "fw_between": "first reported {start} to {end}",
    "fw_from": "first reported from {start}",
    "fw_until": "first reported until {end}",
    "fw_as_of": "as of {day}",
    "fw_near": "within {km} km of {place}",
    "fw_station": "station {id}",
    "fw_or": " or ",
    # Map images (dashboard/preview.py)
    "n_countries_one": "{count} country",
    "n_countries_many": "{count} countries",
    "img_counts": "{stations} in {countries}",
    "img_by_status": "{stations}: {list}",
    "img_status": "Status: {status} ({date})",
    "img_status_undated": "Status: {status}",
    "img_precision_address": "Placed at the reported address",
    "img_precision_district": "Placed at the centre of the reported district",
    "img_precision_city": "Placed at the city's centre: the exact site is not public",
    "img_precision_country": "Placed at the country's centre: only the country is known",
    "img_strongest": "Strongest government response: {tier}",
    "img_responses": "{responses} recorded; latest {date}: {kind}",
    "img_no_stations": "No stations in this view",
    "img_source": (
        "Data: Safeguard Defenders' reports and cited outlets · CC BY 4.0 · version {version}"
    ),
    "img_source_unstated": (
        "Data: Safeguard Defenders' reports and cited outlets · CC BY 4.0 · version not stated"
    ),
    "img_legend_approx": "Country only (approximate)",
    "cite": "Cite this view",
    "skip_map": "Skip the map",
    "embed_pick": (
        "Click a station on the map, or choose it above, to read what was reported about it "
        "and what its host government did."
    ),
    "embed_full": "Open this view in the full map: filters, tables, downloads (new tab) ↗",
    "embed_credit": (
        "Data: Safeguard Defenders' reports and the news organisations and governments cited "
        "per row, data version {version}. Data CC BY 4.0. Data summaries are in English."
    ),
    "footer": (
        "Data: Safeguard Defenders' reports and the news organisations and governments cited per "
        'row; method, coverage and how to cite are under "About the data" above. Data CC BY 4.0. '
        "Data summaries are in English."
    ),
    # Table and summary columns
    "col_distance_km": "distance (km)",
    "col_station_id": "ID",
    "col_name": "name",
    "col_city": "city",
    "col_country": "country",
    "col_status": "status",
    "col_status_date": "status date",
    "col_operating_bureau": "bureau",
    "col_listed_in": "listed in",
    "col_first_reported_date": "first reported",
    "col_location_precision": "location precision",
    "col_source": "first source",
    "col_summary": "summary",
    "col_stations": "stations",
    "col_meaning": "meaning",
    "col_by_status": "by status",
    "col_approximate": "approximate (country only)",
    "col_responses": "government responses",
    "col_latest": "latest response",
    "col_strongest": "strongest response",
    # Station fields
    "field_station_id": "ID",
    "field_name": "Name",
    "field_address": "Address",
    "field_city": "City",
    "field_country": "Country",
    "field_country_code": "Country code",
    "field_latitude": "Latitude",
    "field_longitude": "Longitude",
    "field_location_precision": "Location precision",
    "field_location_note": "Location note",
    "field_operating_bureau": "Operating bureau (as reported)",
    "field_listed_in": "Listed in",
    "field_first_reported_by": "First reported by",
    "field_first_reported_date": "First reported",
    "field_status": "Status",
    "field_status_date": "Status date",
    "field_summary": "Summary",
    "field_sources": "Sources",
    "field_last_checked": "Sources last checked",
    # Map
    "legend_status": "Status",
    "legend_approx": "Dashed square: country known only (approximate)",
    "layer_stations": "Stations",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "layer_none": "Countries: no shading",
    "layer_count": "Countries: stations",
    "layer_strongest": "Countries: strongest response",
    "legend_count": "Stations per country (this view)",
    "legend_strongest": "Strongest government response so far (this view)",
    "pop_status": "Status",
    "pop_first": "First reported by",
    "pop_approx": "Approximate location: only the country is known.",
    "tip_approx": "approximate location",
    "tip_stations": "stations",
    # Strongest response tiers (see data/README.md, "Country layer")
    "tier_prosecution": "Charges or conviction",
    "tier_police": "Arrest or raid",
    "tier_closure": "Closure, closure order or expulsion",
    "tier_investigation": "Investigation",
    "tier_words": "Statement, question or protest only",
    "tier_denial": "Denial only",
    "tier_none": "No response recorded",
    # Notices
    "unknown_param": "Unknown link parameter {name} was ignored.",
    "unknown_values": "Unknown {param} value(s) {values} dropped from the link.",
    "query_cut": "Search text cut to {limit} characters.",
    "bad_date": "Date {name}={value} is not YYYY, YYYY-MM or YYYY-MM-DD; ignored.",
    "bad_asof": "Date asof={value} is not YYYY-MM-DD; ignored.",
    "asof_range": "Date asof={value} is not between {low} and today ({high}); ignored.",
    "bad_since": "Date since={value} is not YYYY-MM-DD between {low} and today; ignored.",
    "dates_swapped": (
        "The link's from-date came after its to-date; the range {low} to {high} is shown."
    ),
    "bad_km": "Distance km={value} is not a number of km up to 20000.",
    "bad_station": "Station {value} is not in the data; no station selected.",
    "bad_lang": (
        "Language lang={value} is not one of: en, zh-Hans, zh-Hant (zh: zh-Hans); English is shown."
    ),
    "bad_tiles": "tiles={value} is not 0 or 1; the map is shown without tiles.",
    "bad_mode": "mode={value} is not known; the whole page is shown (mode=embed is the embed).",
    "bad_map": "map={value} is not latitude,longitude,zoom; the map fits the stations instead.",
    "no_place": "No place given.",
    "place_offline": "{name} is not a city of the data or of the offline gazetteer.",
    "place_lookup_failed": (
        "{name} could not be looked up just now: the place service did not answer. Try again "
        "later, or choose a city of the data."
    ),
    "place_cap": (
        "{name} was not looked up: this session has used its place look-ups (the place service "
        "allows few per reader). Choose a city of the data, or reload the page later."
    ),
    "place_not_found": "No place called {name} was found.",
    "place_ambiguous": "Several places are called {name}: choose one, or add its country or state.",
    "place_suggest": "{why} Did you mean {suggestion}?",
    "use_suggestion": "Use {suggestion}",
    "none_within": (
        "No station within {km} km of {place}. The nearest is {name} ({where}), {distance} km away."
    ),
    "widen": "Widen to {km} km",
}

STATUS_LABELS: dict[str, str] = {
    "reported": "Reported (alleged)",
    "investigating": "Under investigation",
    "closed": "Said to be closed",
    "prosecuted": "Prosecuted",
    "denied": "Denied by host authorities",
    "investigation_closed": "Investigation ended",
}
RESPONSE_LABELS: dict[str, str] = {
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
PRECISION_NAMES: dict[str, str] = {
    "address": "address",
    "district": "district",
    "city": "city",
    "country": "country only",
}
# The sources of `listed_in` as the filter's options name them.
LISTED_IN_NAMES: dict[str, str] = {
    "110 Overseas (2022-09)": "110 Overseas (September 2022)",
    "Patrol and Persuade (2022-12)": "Patrol and Persuade (December 2022)",
    "other": "Other sources",
}


def _messages() -> dict[str, str]:
    out = dict(_UI)
    for code, text in STATUS_LABELS.items():
        out[f"status.{code}"] = text
        out[f"status_meaning.{code}"] = STATUS_DEFINITIONS[code]
    out |= {f"rtype.{code}": text for code, text in RESPONSE_LABELS.items()}
    out |= {f"precision_name.{code}": text for code, text in PRECISION_NAMES.items()}
    out |= {f"precision.{code}": text for code, text in PRECISION_DEFINITIONS.items()}
    out |= {f"listed_in.{code}": text for code, text in LISTED_IN_DEFINITIONS.items()}
    out |= {f"listed_name.{code}": text for code, text in LISTED_IN_NAMES.items()}
    out |= {f"bureau.{code}": code for code in BUREAU_DEFINITIONS}
    return out


# key: the English source text (each catalog's msgid, with the key as its msgctxt)
MESSAGES: dict[str, str] = _messages()


def match_language(value: object) -> str | None:
    """The supported language a code names (`zh`, `zh-CN`, `zh_Hant`, `zh-TW`, `EN-gb`...),
    or None. Chinese without a script or region, and China's and Singapore's, is Simplified;
    Taiwan's, Hong Kong's and Macao's, or any naming the Hant script, Traditional."""
    if not isinstance(value, str):
        return None
    parts = value.strip().lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    return "zh-Hant" if {"hant", "tw", "hk", "mo"} & set(parts[1:]) else "zh-Hans"


def language(value: object) -> str:
    """A supported language code (old links' `zh` is `zh-Hans`); anything else is English."""
    return match_language(value) or DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The loaded catalog of `lang`, one per language for every session (never installed
    process-wide); English is the source, so its texts are the msgids themselves."""
    catalog = CATALOGS.get(language(lang))
    if catalog is None:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog])


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    source = MESSAGES[key]
    code = language(lang)
    if code == DEFAULT_LANGUAGE and key in ONLY_IN_TRANSLATION:
        return ""
    text = translations(code).pgettext(key, source) or source
    return text.format(**values) if values else text


def plural(key: str, count: int, lang: str) -> str:
    """`key_one` for one, `key_many` otherwise (Chinese uses one form for both)."""
    return t(f"{key}_one" if count == 1 else f"{key}_many", lang, count=number(count, lang))


@cache
def locale(lang: str) -> Locale:
    """The CLDR locale of a page language."""
    return Locale.parse(LOCALES[language(lang)])


def long_date(day: dt.date, lang: str) -> str:
    """`1 October 2022` in English, `2022年10月1日` in Chinese (CLDR's long date)."""
    return format_date(day, "long", locale=locale(lang))


def month_year(day: dt.date, lang: str) -> str:
    """`October 2022` in English, `2022年10月` in Chinese."""
    return format_skeleton("yMMMM", day, locale=locale(lang))


def sentences(parts: list[str], lang: str) -> str:
    """Sentences one after the other: a space between them, none in Chinese (after 。)."""
    return ("" if language(lang).startswith("zh") else " ").join(parts)


def number(value: float, lang: str) -> str:
    """A number with the grouping and decimal signs of `lang` (1,234.5)."""
    return format_decimal(value, locale=locale(lang))


def country_label(code: str, lang: str, name: str | None = None) -> str:
    """A country's name in `lang` from CLDR (荷兰, 荷蘭); English pages keep the data's own
    `name` when given, and a code CLDR does not know is shown as `name` or itself."""
    code = str(code).upper()
    if name is not None and language(lang) == DEFAULT_LANGUAGE:
        return name
    try:
        found = locale(lang).territories.get(code)
    except UnknownLocaleError:  # pragma: no cover - the locales are fixed above
        found = None
    return found or name or code


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def status_label(code: str, lang: str) -> str:
    key = f"status.{code}"
    return t(key, lang) if key in MESSAGES else str(code)


def response_label(code: str, lang: str) -> str:
    key = f"rtype.{code}"
    return t(key, lang) if key in MESSAGES else str(code)


def bureau_label(code: str, lang: str) -> str:
    key = f"bureau.{code}"
    if key not in MESSAGES:
        return str(code)
    return code if language(lang) == DEFAULT_LANGUAGE else f"{t(key, lang)} ({code})"


@dataclass(frozen=True)
class Msg:
    """A message to put into words when shown, in the language active then."""

    key: str
    values: dict[str, object] = field(default_factory=dict, hash=False, compare=True)

    def text(self, lang: str) -> str:
        # A message may hold another (the reason inside a suggestion): both in `lang`.
        values = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in self.values.items()}
        return t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


def msg(key: str, **values: object) -> Msg:
    if key not in MESSAGES:
        raise KeyError(key)
    return Msg(key, values)
