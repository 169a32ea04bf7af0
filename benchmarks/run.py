"""Every performance figure of the dashboard at 1,000, 10,000 and 100,000 stations.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--runs 5] [--browser-runs 3]

Prints, for each size (medians of several runs):
- load + validate time, and filter time for a typical filter;
- map build time, and the bytes per station sent to the browser against the compact JSON of
  the fields the map needs;
- in headless Chromium against `streamlit run`: time from navigation start to every station
  placed on the map ("first draw"), and from pressing Enter in the search box to the map
  holding exactly the matching stations ("search"), ours and the floor (benchmarks/floor/app.py:
  one search box and one st_folium map with folium's FastMarkerCluster of the same points)
  alternating in one run, medians and their ratio;
- server memory for one session and for each extra session.
Nothing is asserted: the figures and the targets they are read against are in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sessions import rss_mb  # noqa: E402
from benchmarks.synth import write_synth  # noqa: E402
from dashboard import maps  # noqa: E402
from dashboard.data import load_stations  # noqa: E402
from dashboard.filters import Filters, apply_filters  # noqa: E402

TYPICAL = Filters(countries=("ES", "IT", "FR", "DE", "GB"), statuses=("investigating", "closed"))
SEARCH = "Barcelona"
SETTLE_MS = 1500
TIMEOUT_MS = int(__import__("os").environ.get("BENCH_TIMEOUT_MS", "600000"))


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def server_side(path: Path, runs: int) -> dict[str, float]:
    from streamlit_folium import _get_feature_group_string

    load_ms = median_ms(lambda: load_stations(path), runs)
    stations = load_stations(path)
    filter_ms = median_ms(lambda: apply_filters(stations, TYPICAL), runs * 4)

    def build() -> str:
        base = maps.build_base_map()
        return _get_feature_group_string(maps.build_station_layer(stations), base)

    build_ms = median_ms(build, runs)
    sent = len(build().encode())
    layer = maps.StationLayer(stations)
    compact = len(json.dumps(layer.rows, separators=(",", ":"), ensure_ascii=False).encode())
    n = len(stations)
    return {
        "load_ms": load_ms,
        "filter_ms": filter_ms,
        "build_ms": build_ms,
        "bytes_per_station": sent / n,
        "compact_per_station": compact / n,
    }


def _expected_after_search(path: Path) -> int:
    return len(apply_filters(load_stations(path), Filters(query=SEARCH)))


def _drawn_at(page, total: int) -> float:
    """Seconds from navigation start (the page's time origin) to every station on the map,
    read in the page when the count is first seen."""
    from tests.browser.harness import MARKERS_JS

    handle = page.wait_for_function(
        f"() => ({MARKERS_JS})() === {total} ? performance.now() : false", timeout=TIMEOUT_MS
    )
    return float(handle.json_value()) / 1000


def browser_side(path: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import SETTLED_JS, AppServer, launch_chromium, wait_markers

    total = len(load_stations(path))
    found = _expected_after_search(path)
    out: dict[str, float] = {}
    pages = {
        "ours": ("dashboard/app.py", ["--stations", str(path)]),
        "floor": ("benchmarks/floor/app.py", [str(path)]),
    }
    servers = {
        name: AppServer(*args, script=script).wait_healthy(timeout=300)
        for name, (script, args) in pages.items()
    }
    times: dict[str, list[float]] = {f"{n}_{w}": [] for n in pages for w in ("draw", "search")}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            # Warm both servers (first script run, caches), then alternate ours and the floor.
            for name in pages:
                _open(browser, servers[name].url, total, wait_markers).close()
            for _ in range(runs):
                for name in pages:
                    context = browser.new_context(viewport={"width": 1440, "height": 900})
                    page = context.new_page()
                    page.goto(servers[name].url, timeout=TIMEOUT_MS)
                    times[f"{name}_draw"].append(_drawn_at(page, total))
                    # Both pages settle: their script has been idle for a second (ours builds
                    # its sidebar's filters just after the map has drawn, in a run of their
                    # own), and a reader types a second or more after that.
                    page.wait_for_function(SETTLED_JS, timeout=TIMEOUT_MS)
                    page.wait_for_timeout(SETTLE_MS)
                    times[f"{name}_search"].append(_search(page, found))
                    context.close()
            out.update(_memory(browser, servers["ours"], total))
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    for name in pages:
        out[f"{name}_first_draw_s"] = statistics.median(times[f"{name}_draw"])
        out[f"{name}_search_s"] = statistics.median(times[f"{name}_search"])
    return out


def _open(browser, url: str, total: int, wait_markers):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    wait_markers(page, total, timeout=TIMEOUT_MS)
    return context


def _search(page, expected: int) -> float:
    """Seconds from pressing Enter in the search box to the map holding exactly the matches."""
    from tests.browser.harness import wait_markers

    box = page.get_by_role("textbox", name=re.compile("^Search"))
    box.fill(SEARCH)
    start = time.perf_counter()
    box.press("Enter")
    wait_markers(page, expected, timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def _memory(browser, server, total: int) -> dict[str, float]:
    from tests.browser.harness import wait_markers

    contexts = []
    readings = [rss_mb(server.process.pid)]
    for _ in range(4):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(server.url, timeout=TIMEOUT_MS)
        wait_markers(page, total, timeout=TIMEOUT_MS)
        time.sleep(1)
        contexts.append(context)
        readings.append(rss_mb(server.process.pid))
    for context in contexts:
        context.close()
    extra = [b - a for a, b in itertools.pairwise(readings)]
    return {
        "rss_before_mb": readings[0],
        "rss_one_session_mb": readings[1],
        "extra_session_mb": statistics.median(extra),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.machine()}, Python "
        f"{platform.python_version()}; streamlit {version('streamlit')}, folium "
        f"{version('folium')}, streamlit-folium {version('streamlit-folium')}, pandas "
        f"{version('pandas')}"
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    for size in args.sizes:
        path = write_synth(size, folder / f"stations-{size}.csv")
        s = server_side(path, args.runs)
        print(f"\n== {size:,} stations ({path.stat().st_size / 1e6:.1f} MB file)")
        print(f"load + validate      {s['load_ms']:8.0f} ms")
        print(f"typical filter       {s['filter_ms']:8.1f} ms   ({TYPICAL.countries}, 2 statuses)")
        print(f"map build            {s['build_ms']:8.0f} ms")
        ratio = s["bytes_per_station"] / s["compact_per_station"]
        print(
            f"bytes per station    {s['bytes_per_station']:8.1f}      compact JSON "
            f"{s['compact_per_station']:.1f}, ratio {ratio:.2f}"
        )
        if args.no_browser:
            continue
        b = browser_side(path, args.browser_runs)
        for what in ("first_draw", "search"):
            ours, floor = b[f"ours_{what}_s"], b[f"floor_{what}_s"]
            label = what.replace("_", " ")
            print(
                f"{label:<20} {ours * 1000:8.0f} ms   floor {floor * 1000:.0f} ms, "
                f"ratio {ours / floor:.2f}"
            )
        print(
            f"server memory        {b['rss_one_session_mb']:8.0f} MB with one session "
            f"({b['rss_before_mb']:.0f} MB before), +{b['extra_session_mb']:.1f} MB per "
            "extra session"
        )


if __name__ == "__main__":
    main()
