"""Measure "near a place" on the server: the gazetteer's first look-up (it builds its index
then) and a look-up with the nearest station on a large synthetic table. Prints figures,
asserts nothing.

    python benchmarks/places.py [--size 100000] [--runs 5]

Each figure is the median of `--runs`; the index build runs in a fresh process each time, as
a reader's first look-up does after a deploy.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUILD = (
    "import time; t = time.perf_counter(); from dashboard import gazetteer; "
    "gazetteer.find('Toronto'); print(time.perf_counter() - t)"
)
PLACES = ["Amsterdam", "Lyon", "多伦多", "Milan, Italy", "Torontp"]


def first_lookup(runs: int) -> list[float]:
    """Seconds from import to the first answer, each in a new Python process."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", BUILD], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
        for _ in range(runs)
    ]


def lookups(size: int, runs: int) -> dict[str, float]:
    """Median seconds per place: resolve it, then the stations within 50 km and the nearest."""
    from benchmarks.synth import write_synth
    from dashboard import gazetteer
    from dashboard.data import load_stations
    from dashboard.places import Place, nearest, resolve_place, within

    with tempfile.TemporaryDirectory() as folder:
        stations = load_stations(write_synth(size, Path(folder) / "stations.csv"))
    gazetteer.find("Toronto")  # the index, built once per process
    out = {}
    for name in PLACES:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            place = resolve_place(name, stations)
            if isinstance(place, Place):
                within(stations, place, 50)
                nearest(stations, place)
            timings.append(time.perf_counter() - start)
        out[name] = statistics.median(timings)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cpu = platform.processor() or "cpu ?"
    print(f"machine: {platform.platform()}, {cpu}, python {platform.python_version()}")
    build = first_lookup(args.runs)
    print(
        f"first look-up of a process (index build): median {statistics.median(build):.2f} s "
        f"(min {min(build):.2f}, max {max(build):.2f}, {args.runs} runs)"
    )
    for name, seconds in lookups(args.size, args.runs).items():
        print(f"{args.size:,} stations, near {name!r}: median {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
