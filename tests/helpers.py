"""Small builders for CSV fixtures shared by the tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dashboard.filters import Choices
from dashboard.schema import RESPONSES, STATIONS

GOOD_STATION = {
    "station_id": "nl-rotterdam-1",
    "name": "Alleged Fuzhou police station, Rotterdam",
    "address": "",
    "city": "Rotterdam",
    "country": "Netherlands",
    "country_code": "NL",
    "latitude": "51.9225",
    "longitude": "4.4792",
    "location_precision": "city",
    "location_note": "",
    "operating_bureau": "Fuzhou",
    "listed_in": "110 Overseas (2022-09)",
    "first_reported_by": "Safeguard Defenders",
    "first_reported_date": "2022-09",
    "status": "closed",
    "status_date": "2022-11-01",
    "summary": "Reported by Safeguard Defenders; the Dutch government ordered it closed.",
    "sources": "https://example.org/a https://example.org/b",
    "last_checked": "2026-11-27",
}

GOOD_RESPONSE = {
    "response_id": "nl-r01",
    "country_code": "NL",
    "station_id": "nl-rotterdam-1",
    "date": "2022-11-01",
    "actor": "Dutch Ministry of Foreign Affairs",
    "response_type": "closure_order",
    "summary": "Told the Chinese ambassador the stations must close.",
    "source_url": "https://example.org/c",
    "last_checked": "2026-11-27",
}

# The values a link may name, in the link tests: a few of each list, and two stations.
CHOICES = Choices(
    {
        "countries": frozenset({"NL", "CA", "IE"}),
        "statuses": frozenset({"closed", "reported"}),
        "bureaus": frozenset({"Fuzhou", "Wenzhou"}),
        "listed_in": frozenset({"110 Overseas (2022-09)", "other"}),
        "response_types": frozenset({"arrest", "closure_order"}),
        "station": frozenset({"nl-rotterdam-1", "ie-dublin-1"}),
    }
)


def csv_text(
    rows: list[dict[str, str]], columns: list[str] | None = None, lineterminator: str = "\n"
) -> str:
    columns = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=columns, lineterminator=lineterminator, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def station(**changes: str) -> dict[str, str]:
    return {**GOOD_STATION, **changes}


def response(**changes: str) -> dict[str, str]:
    return {**GOOD_RESPONSE, **changes}


def write(
    path: Path,
    rows: list[dict[str, str]],
    columns: list[str] | None = None,
    lineterminator: str = "\n",
) -> Path:
    path.write_bytes(csv_text(rows, columns, lineterminator).encode("utf-8"))
    return path


assert list(GOOD_STATION) == STATIONS.names
assert list(GOOD_RESPONSE) == RESPONSES.names
