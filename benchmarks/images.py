"""Measure the map images of a published edition (`preview.write_all`): all of them, and per
image. Prints figures, asserts nothing.

    python benchmarks/images.py                     # the bundled data
    python benchmarks/images.py --size 10000        # a synthetic table (benchmarks/synth.py)

Wall time and CPU time: on a busy machine the CPU time is the fairer figure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import write_synth  # noqa: E402
from dashboard import preview  # noqa: E402
from dashboard.data import load_responses, load_stations  # noqa: E402


@dataclass(frozen=True)
class Bundle:
    stations: pd.DataFrame
    responses: pd.DataFrame
    version: str | None


def measure(stations: pd.DataFrame, responses: pd.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as out:
        wall, cpu = time.perf_counter(), time.process_time()
        paths = preview.write_all(Path(out), Bundle(stations, responses, "benchmark"))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = sum(p.stat().st_size for p in paths)
    print(
        f"{len(stations):,} stations: {len(paths):,} images in {wall:.1f} s "
        f"(CPU {cpu:.1f} s), {wall / len(paths) * 1000:.0f} ms per image "
        f"(CPU {cpu / len(paths) * 1000:.0f} ms), {size / len(paths) / 1024:.0f} KiB per image"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=0, help="synthetic stations (0: bundled)")
    args = parser.parse_args()
    responses = load_responses()
    if not args.size:
        measure(load_stations(), responses)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = write_synth(args.size, Path(folder) / "stations.csv")
        measure(load_stations(path), responses.iloc[0:0])


if __name__ == "__main__":
    main()
