"""Valid synthetic stations files of any size, made from the bundled rows.

    python benchmarks/synth.py 10000 /tmp/stations-10k.csv

Each synthetic row copies a bundled row (cycling through them), gets a unique id, and has its
coordinates jittered by up to 0.6 degrees, kept only if the new point is inside the row's own
country (rejection sampling against the Natural Earth outlines in data/countries.geojson;
after 50 misses the original point is kept). Needs shapely (requirements-dev.txt). The result
passes `python -m dashboard.validate --stations FILE`.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import STATIONS_PATH  # noqa: E402

JITTER_DEGREES = 0.6


def _outlines() -> dict:
    from shapely.geometry import shape
    from shapely.prepared import prep

    features = json.loads((ROOT / "data" / "countries.geojson").read_text())["features"]
    return {f["properties"]["iso_a2"]: prep(shape(f["geometry"])) for f in features}


def synth_rows(count: int, seed: int = 1) -> list[dict[str, str]]:
    from shapely.geometry import Point

    rng = random.Random(seed)
    outlines = _outlines()
    with STATIONS_PATH.open(encoding="utf-8", newline="") as handle:
        base = list(csv.DictReader(handle))
    rows = []
    for i in range(count):
        row = dict(base[i % len(base)])
        lat, lon = float(row["latitude"]), float(row["longitude"])
        country = outlines[row["country_code"]]
        for _ in range(50):
            new_lat = lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
            new_lon = lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
            if country.contains(Point(new_lon, new_lat)):
                lat, lon = new_lat, new_lon
                break
        row["latitude"], row["longitude"] = f"{lat:.4f}", f"{lon:.4f}"
        row["station_id"] = f"{row['station_id']}-s{i}"
        rows.append(row)
    return rows


def write_synth(count: int, path: Path, seed: int = 1) -> Path:
    rows = synth_rows(count, seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


if __name__ == "__main__":
    out = write_synth(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {out}")
