"""What a first visit costs a reader: bytes transferred and the wait for the first marker.

    python benchmarks/first_visit.py [--runs 3]

Serves the bundled data three ways, alternating in one run: `streamlit run` alone ("direct"),
`deploy/run.sh` (Caddy in front, compressing) over plain HTTP/1.1 ("proxy"), and the same over
HTTPS ("https": Caddy's own certificate on localhost, so HTTP/2 as a public HTTPS deployment
serves it; many small files then share one connection instead of queueing for six). For each,
a fresh browser profile (empty cache) opens the landing page at 1440x900 and the script prints,
medians of --runs:
- bytes transferred by the time the page has settled (every station drawn, the country outlines
  loaded, the app idle): HTTP bodies as sent (compressed where the server compressed them) plus
  headers, and WebSocket frames; map tiles excluded (they are OpenStreetMap's, and the browser
  here has no internet), with the number of requests;
- under the DevTools protocol's network emulation of a slow connection (4 Mbit/s down, 4 Mbit/s
  up, 150 ms latency): seconds from navigation start to the first station marker on the map,
  and to every station drawn.
Nothing is asserted; the figures and the targets (2 MB, 5 s) are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import load_stations  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    MAP_FRAME,
    MARKERS_JS,
    TILE_HOSTS,
    AppServer,
    Deployment,
    launch_chromium,
    wait_idle,
)

MBIT = 1e6 / 8  # bytes per second
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 4 * MBIT,
        "uploadThroughput": 4 * MBIT}  # fmt: skip
TIMEOUT_MS = 180_000
FIRST_MARKER_JS = f"""() => {{
  const frame = document.querySelector('{MAP_FRAME}');
  const doc = frame && frame.contentDocument;
  return doc && doc.querySelector('.leaflet-marker-icon') ? performance.now() : false;
}}"""
OUTLINES_JS = f"""() => {{
  const frame = document.querySelector('{MAP_FRAME}');
  const doc = frame && frame.contentDocument;
  return !!(doc && doc.querySelector('.leaflet-outlines-pane path'));
}}"""


class Traffic:
    """Every byte the page and its frames receive, read from the DevTools protocol."""

    def __init__(self, page) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, float] = {}
        self.socket_bytes = 0
        self.session.on("Network.requestWillBeSent", self._request)
        self.session.on("Network.loadingFinished", self._finished)
        self.session.on("Network.webSocketFrameReceived", self._frame)

    def _request(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def _frame(self, event: dict) -> None:
        # Binary frames arrive base64-encoded: count the bytes they stand for.
        payload = event["response"]["payloadData"]
        self.socket_bytes += (
            len(payload) * 3 // 4 if event["response"]["opcode"] == 2 else len(payload.encode())
        )

    def emulate(self, conditions: dict) -> None:
        self.session.send("Network.emulateNetworkConditions", conditions)

    def totals(self) -> tuple[int, int]:
        """(bytes, requests), map tiles excluded."""
        kept = [
            size
            for request, size in self.sizes.items()
            if urlsplit(self.urls.get(request, "")).hostname not in TILE_HOSTS
        ]
        return int(sum(kept)) + self.socket_bytes, len(kept)


def visit(browser, url: str, total: int, slow: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, ignore_https_errors=True)
    page = context.new_page()
    traffic = Traffic(page)
    if slow:
        traffic.emulate(SLOW)
    page.goto(url, timeout=TIMEOUT_MS)
    first = page.wait_for_function(FIRST_MARKER_JS, timeout=TIMEOUT_MS, polling=20).json_value()
    drawn = page.wait_for_function(
        f"() => ({MARKERS_JS})() === {total} ? performance.now() : false",
        timeout=TIMEOUT_MS,
        polling=20,
    ).json_value()
    wait_idle(page, timeout=TIMEOUT_MS)
    page.wait_for_function(OUTLINES_JS, timeout=TIMEOUT_MS)
    time.sleep(1.0)  # anything still in flight after the page settled
    sent, requests = traffic.totals()
    context.close()
    return {"first_marker_s": first / 1000, "all_drawn_s": drawn / 1000, "bytes": sent,
            "requests": requests}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    total = len(load_stations())
    servers = {
        "direct": AppServer().wait_healthy(timeout=300),
        "proxy": Deployment(replicas=2).wait_healthy(timeout=300),
        "https": Deployment(replicas=2, https=True).wait_healthy(timeout=300),
    }
    results: dict[str, list[dict[str, float]]] = {f"{n}_{s}": [] for n in servers for s in "fs"}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            # Warm: every app process runs the app once (imports, caches), as on a site that
            # has been up a while; through the proxy a new reader may reach any of them.
            for server in servers.values():
                for url in server.app_urls() if isinstance(server, Deployment) else [server.url]:
                    visit(browser, url, total, slow=False)
            for _ in range(args.runs):
                for name, server in servers.items():
                    results[f"{name}_f"].append(visit(browser, server.url, total, slow=False))
                    results[f"{name}_s"].append(visit(browser, server.url, total, slow=True))
            browser.close()
    finally:
        for server in servers.values():
            server.stop()

    def median(key: str, field: str) -> float:
        return statistics.median(r[field] for r in results[key])

    print(f"machine: {platform.processor() or platform.machine()}, {platform.system()}, "
          f"Python {platform.python_version()}, streamlit {version('streamlit')}; "
          f"{total} stations (bundled data), medians of {args.runs}")  # fmt: skip
    for name in servers:
        print(
            f"{name:>6}: first visit {median(name + '_f', 'bytes') / 1e6:.2f} MB in "
            f"{median(name + '_f', 'requests'):.0f} requests (tiles excluded); "
            f"slow connection (4 Mbit/s, 150 ms): first marker "
            f"{median(name + '_s', 'first_marker_s'):.1f} s, all drawn "
            f"{median(name + '_s', 'all_drawn_s'):.1f} s; fast: first marker "
            f"{median(name + '_f', 'first_marker_s'):.2f} s"
        )


if __name__ == "__main__":
    main()
