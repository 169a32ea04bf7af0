"""Ten viewers at once on one app: per-session time from a filter change to the new count.

    python benchmarks/sessions.py [--sessions 10]

All sessions open the page; then all pick their own country in the Country filter at the same
moment. Printed per session: the time from typing the country to the page showing the new
count with the script idle (browser side, so it includes Chromium rendering ten pages on the
same cores), and, from the server's own log (DASHBOARD_TIMINGS=1), how long each script run
took on the server.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import load_stations  # noqa: E402
from tests.browser.harness import running_app  # noqa: E402
from tests.browser.sessions import run_sessions  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    stations = load_stations()
    counts = stations.groupby(["country_code", "country"]).size().sort_values(ascending=False)
    countries = [(c, name, int(n)) for (c, name), n in counts.head(args.sessions).items()]
    print(f"machine: {platform.platform()}, Python {platform.python_version()}")
    with running_app(env={"DASHBOARD_TIMINGS": "1"}) as app:
        idle = rss_mb(app.process.pid)
        results = run_sessions(app.url, countries)
        after = rss_mb(app.process.pid)
        runs = [line.split() for line in app.output(tail=0).splitlines()]
        reruns = [float(r[2]) for r in runs if len(r) == 3 and r[0] == "rerun-ms"]
    for r in results:
        ok = "ok" if not r.errors and r.query == f"country={r.country}" else "WRONG"
        print(f"  {r.label:<16} {r.shown:>3} stations  {r.seconds * 1000:6.0f} ms  {ok}")
    ms = [r.seconds * 1000 for r in results]
    print(
        f"{len(results)} concurrent sessions: median {statistics.median(ms):.0f} ms, "
        f"max {max(ms):.0f} ms per filter change"
    )
    print(f"server memory: {idle:.0f} MB idle, {after:.0f} MB after {len(results)} sessions")
    sessions = len(results)
    print(
        f"server-side script runs: {len(reruns)} in all; first run of each session (page open) "
        f"median {statistics.median(reruns[:sessions]):.0f} ms; filter-change reruns median "
        f"{statistics.median(reruns[sessions:]):.0f} ms, max {max(reruns[sessions:]):.0f} ms"
    )


if __name__ == "__main__":
    main()
