"""Safe exports of the filtered stations: formula-neutralised CSV bytes and their file name."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from dashboard.filters import FILTERS, Filters

# OWASP CSV injection: a cell starting with one of these can run as a spreadsheet formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised; numeric columns untouched."""
    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a BOM so spreadsheets read Chinese text right), formula-safe.

    Lines end in CRLF (RFC 4180): Python's csv writer quotes a field holding a carriage return
    only when CR is part of the line terminator, and an unquoted CR would split the row.
    """
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def export_filename(
    filters: Filters, today: dt.date, extension: str = "csv", what: str = "police-stations"
) -> str:
    """e.g. `police-stations_2026-11-27_country-NL-CA_status-closed.csv`: every filter of the
    view named by its declared file-name part."""
    parts = [what, today.isoformat(), *(p for kind in FILTERS for p in kind.file_parts(filters))]
    if len(parts) == 2:
        parts.append("all")
    return "_".join(p for p in parts if p)[:180] + f".{extension}"


def to_geojson_bytes(df: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946) of the rows: a Point per station, every other
    column a property (text as text; missing values as null)."""
    features = []
    columns = [c for c in df.columns if c not in ("latitude", "longitude")]
    for record in df.to_dict(orient="records"):
        properties = {c: (None if pd.isna(record[c]) else str(record[c])) for c in columns}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(record["longitude"]), float(record["latitude"])],
                },
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def citation(
    filters_query: str,
    version: str | None,
    reviewed: str,
    commit: str | None,
    now: dt.datetime,
    link: str | None,
    data_url: str | None = None,
) -> str:
    """The "cite this view" text: data version, filters, export time, the data's versioned
    address on the published site (`data_url`) and the view's link.

    `version` is None for files whose version nobody stated (uploads, other folders): the text
    says so instead of lending them the bundled data's version and review date.
    """
    if version:
        version = f"data version {version}, reviewed {reviewed}"
    else:
        version = "data version not stated"
    version += f", commit {commit[:12]}" if commit else ""
    shown = filters_query or "none (all stations)"
    lines = [
        'Alleged Chinese overseas police "service stations" dashboard '
        f"({version}). Filters: {shown}. Viewed {now.strftime('%Y-%m-%d %H:%M UTC')}.",
    ]
    if data_url:
        lines.append(f"Data: {data_url}")
    if link:
        lines.append(f"Link: {link}")
    return "\n".join(lines)
