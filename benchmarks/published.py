"""What the published edition costs: building it, a reader's first visit, and serving it.

    python benchmarks/published.py [--sizes 95 10000] [--runs 3] [--seconds 20]

Prints, on this machine:
- build: seconds for `python -m dashboard.publish` on the bundled data (95 stations) and on a
  synthetic file of 10,000 stations (benchmarks/synth.py; the bundled responses, their station
  ids cleared so that they are about countries), with the number of files and the size;
- first visit: a station page through `deploy/run.sh` (Caddy compressing), a fresh browser
  profile, under the DevTools protocol's emulation of 4 Mbit/s with 150 ms latency: bytes
  transferred (bodies as sent plus headers) and seconds from navigation start to the first
  marker, medians of --runs;
- serving: through the same proxy, side by side in one run, how many station pages a second
  eight clients on loopback get (each a full GET of the page), and how many explorer page opens
  a second four browser pages get (each a new page that loads until its count line shows every
  station), with the resident memory of the proxy and the app process after each.
Nothing is asserted; the figures and the budgets are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sessions import rss_mb  # noqa: E402
from benchmarks.synth import write_synth  # noqa: E402
from dashboard.data import RESPONSES_PATH, STATIONS_PATH  # noqa: E402
from tests.browser.harness import COUNT_LINE, Deployment, launch_chromium  # noqa: E402

MBIT = 1e6 / 8
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 4 * MBIT,
        "uploadThroughput": 4 * MBIT}  # fmt: skip
STATION = "published/station/nl-rotterdam-1/"


def build(stations: Path, responses: Path, out: Path) -> tuple[float, int, int]:
    """Seconds to publish, files written, bytes on disk."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dashboard.publish", str(out), "--stations", str(stations),
         "--responses", str(responses)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    files = [p for p in out.rglob("*") if p.is_file()]
    return seconds, len(files), sum(p.stat().st_size for p in files)


def country_responses(folder: Path) -> Path:
    """The bundled responses with their station ids cleared (rows about countries)."""
    with RESPONSES_PATH.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        row["station_id"] = ""
    path = folder / "responses.csv"
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def first_visit(browser, url: str) -> tuple[int, float]:
    """Bytes transferred and seconds to the first marker, on the emulated slow line."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.update({e["requestId"]: e["encodedDataLength"]})
    )
    page.goto(url)
    page.locator(".st-mark").first.wait_for(timeout=120_000)
    first = page.evaluate("() => performance.now()") / 1000
    page.wait_for_load_state("networkidle")
    context.close()
    return int(sum(sizes.values())), first


def hammer(url: str, seconds: float, clients: int = 8) -> float:
    """Station pages a second, `clients` threads each fetching the page in a loop."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def explorer_opens(browser, url: str, seconds: float, pages: int = 4) -> float:
    """Explorer page opens a second: `pages` browser pages, each opening the explorer afresh
    (a new session) until its count line shows, in turn (one browser, threads of its own)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = 0
    stop = time.monotonic() + seconds
    tabs = [context.new_page() for _ in range(pages)]
    while time.monotonic() < stop:
        for tab in tabs:
            tab.goto(url, wait_until="commit")
        for tab in tabs:
            tab.wait_for_selector(COUNT_LINE, timeout=120_000)
            opened += 1
    context.close()
    return opened / seconds


def memory(deployment: Deployment) -> dict[str, float]:
    out: dict[str, float] = {}
    for pid in deployment.children():
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        name = "caddy" if b"caddy" in command else "app" if b"streamlit" in command else ""
        if name:
            out[name] = out.get(name, 0.0) + rss_mb(pid)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[95, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print(f"{platform.machine()}, {platform.python_version()}, {platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            if size == 95:
                stations, responses = STATIONS_PATH, RESPONSES_PATH
            else:
                stations = write_synth(size, folder / f"stations-{size}.csv")
                responses = country_responses(folder)
            seconds, files, size_bytes = build(stations, responses, folder / f"site-{size}")
            print(f"build {size} stations: {seconds:.1f} s, {files} files, "
                  f"{size_bytes / 1e6:.1f} MB")  # fmt: skip
    deployment = Deployment(replicas=1).wait_healthy()
    try:
        serve(deployment, args.runs, args.seconds)
    finally:
        deployment.stop()


def serve(deployment: Deployment, runs: int, seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visits = [first_visit(browser, deployment.url + STATION) for _ in range(runs)]
        sent = statistics.median(v[0] for v in visits)
        wait = statistics.median(v[1] for v in visits)
        print(f"station page first visit: {sent / 1000:.0f} KB, first marker {wait:.2f} s "
              f"(medians of {runs}; 4 Mbit/s, 150 ms)")  # fmt: skip
        pages = hammer(deployment.url + STATION, seconds)
        after_pages = memory(deployment)
        opens = explorer_opens(browser, deployment.url, seconds)
        after_opens = memory(deployment)
        browser.close()
    print(f"station pages: {pages:.0f}/s (8 clients, {seconds:.0f} s); memory after: {after_pages}")
    print(f"explorer opens: {opens:.2f}/s (4 pages, {seconds:.0f} s); memory after: {after_opens}")


if __name__ == "__main__":
    main()
