"""Start the real app (`streamlit run`) on a free port and drive it in Debian's headless Chromium.

Used by the browser tests and by scripts/screenshot.py. Every request to a host that is not
this machine is refused by Chromium's resolver and recorded, so tests can assert it never
happened (map tiles aside).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
TILE_HOSTS = frozenset({"tile.openstreetmap.org"})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
MAP_FRAME = 'iframe[data-testid="stCustomComponentV1"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _LoggedProcess:
    """A subprocess of the repository whose output goes to a log file, ready once its Streamlit
    health URL answers."""

    url: str

    def _start(self, command: list[str], env: dict[str, str]) -> None:
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # DASHBOARD_OFFLINE: no place is looked up online from a test.
            env={**os.environ, "DASHBOARD_OFFLINE": "1", **env},
        )

    def _wait_health(
        self,
        what: str,
        timeout: float,
        ready: Callable[[], bool] = lambda: True,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"{what} exited with {code}:\n{self.output()}")
            if ready():
                health = f"{self.url}_stcore/health"
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(health, timeout=5, context=tls) as answer,
                ):
                    if answer.status == 200:
                        return
            time.sleep(0.2)
        raise RuntimeError(f"{what} was not healthy after {timeout}s:\n{self.output()}")

    def output(self, tail: int = 4000) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return text[-tail:] if tail else text


class AppServer(_LoggedProcess):
    """`python -m streamlit run dashboard/app.py` in a subprocess, ready when healthy."""

    def __init__(
        self, *app_args: str, env: dict[str, str] | None = None, script: str = "dashboard/app.py"
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        if app_args:
            command += ["--", *app_args]
        self._start(command, env or {})

    def wait_healthy(self, timeout: float = 90) -> AppServer:
        self._wait_health("the app", timeout)
        return self

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextlib.contextmanager
def running_app(*app_args: str, env: dict[str, str] | None = None) -> Iterator[AppServer]:
    server = AppServer(*app_args, env=env)
    try:
        yield server.wait_healthy()
    finally:
        server.stop()


# How long a browser test waits for anything (a page, an element, the app to be idle) before it
# fails: generous, so that the suite passes on a busy 2-core machine, and bounded.
PATIENCE_MS = 120_000


class PatientBrowser:
    """The browser, whose every new context waits up to PATIENCE_MS (not Playwright's 30 s)."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(PATIENCE_MS)
        context.set_default_navigation_timeout(PATIENCE_MS)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


def launch_chromium(playwright):
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"Chromium is not installed at {CHROMIUM}. Install Debian's package: "
            "apt-get update && apt-get install -y chromium (.ci/run does this)."
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def third_party(urls: list[str]) -> list[str]:
    """Requested URLs whose host is neither this machine nor a tile server."""
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome-error"):
            continue
        if parts.hostname not in LOOPBACK and parts.hostname not in TILE_HOSTS:
            out.append(url)
    return out


COUNT_LINE = (
    "text=/Showing \\d+ of \\d+ stations"
    "|显示 \\d+ 个服务站中的 \\d+ 个|顯示 \\d+ 個服務站中的 \\d+ 個/"
)


# The script idle for a whole second (poll it every 100 ms). Once the map is drawn it reports its
# first view, which reruns part of the page just after the first run: a widget used or a
# download clicked in between can be redrawn under the pointer (a download then holds a file
# id the rerun replaces, and Streamlit cancels it). A reader acts later than that.
SETTLED_JS = (
    "() => { const a = document.querySelector('[data-test-script-state]');"
    " const idle = a && a.getAttribute('data-test-script-state') === 'notRunning';"
    " window.__idleSince = idle ? (window.__idleSince || performance.now()) : 0;"
    " return idle && performance.now() - window.__idleSince > 1000; }"
)


def wait_idle(page, timeout: float = PATIENCE_MS) -> None:
    """Wait until the count line is shown (in either language) and the script has stopped."""
    page.wait_for_selector(COUNT_LINE, timeout=timeout)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-test-script-state]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=timeout,
    )


def showing(page) -> tuple[int, int]:
    """(shown, total) from the count line, in either language."""
    return showing_in(page.locator(COUNT_LINE).first.inner_text())


def showing_in(text: str) -> tuple[int, int]:
    """(shown, total) from the count line's text, in either language."""
    english = re.search(r"Showing (\d+) of (\d+)", text)
    if english:
        return int(english.group(1)), int(english.group(2))
    chinese = re.search(r"显示 (\d+) 个服务站中的 (\d+) 个", text)
    return int(chinese.group(2)), int(chinese.group(1))


MARKERS_JS = """() => {
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const w = frame && frame.contentWindow;
  if (!w || !w.map) { return -1; }
  let n = 0;
  Object.values(w.map._layers).forEach(layer => {
    // A marker-cluster group on the map: count the markers it has placed in its tree.
    if (layer._featureGroup && layer._topClusterLevel) {
      n += layer._topClusterLevel.getChildCount();
    }
  });
  return n;
}"""


# The renders the map's frame has finished: each message that gives it a run's arguments, counted
# once its own handler and the work that handler queues (streamlit-folium's onRender awaits its
# scripts, then evaluates the station layer) are done. A test that asserts something did NOT
# happen after a run waits for that run's render here, instead of sleeping.
RENDERS = """() => {
  const w = document.querySelector('iframe[data-testid="stCustomComponentV1"]').contentWindow;
  if (w.stRenders === undefined) {
    w.stRenders = 0;
    w.addEventListener('message', e => {
      if (e.data && e.data.type === 'streamlit:render') {
        w.setTimeout(() => { w.stRenders += 1; }, 0);
      }
    });
  }
  return w.stRenders;
}"""


def renders(page) -> int:
    """How many runs' arguments the map's frame has rendered since this was first asked."""
    return int(page.evaluate(RENDERS))


def wait_render(page, seen: int, timeout: float = PATIENCE_MS) -> None:
    """Wait until the map's frame has rendered a run after the `seen`-th."""
    page.wait_for_function(f"() => ({RENDERS})() > {seen}", timeout=timeout)


# Run in a document whose global `map` is the stations' map (the map's frame, or a published
# page): the ids of the stations outside the map's bounds, or whose marker (or the cluster that
# holds it) is not wholly on the map.
NOT_SHOWN = """() => {
  const bounds = map.getBounds(), box = map.getContainer().getBoundingClientRect();
  const group = Object.values(map._layers).find(layer => layer._topClusterLevel);
  return group.getLayers().filter(marker => {
    const shown = group.getVisibleParent(marker), icon = shown && shown.getElement();
    const r = icon && icon.getBoundingClientRect();
    return !(bounds.contains(marker.getLatLng()) && r && r.left >= box.left
             && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom);
  }).map(marker => marker.options.row[0]);
}"""


def map_document(page):
    """The map's frame (a Playwright Frame), to run script in or audit."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def markers_on_map(page) -> int:
    """How many station markers the map has placed (clustered or not), in any cluster group."""
    return page.evaluate(MARKERS_JS)


def wait_markers(page, expected: int, timeout: float = PATIENCE_MS) -> None:
    page.wait_for_function(f"() => ({MARKERS_JS})() === {expected}", timeout=timeout)


def open_table(page):
    """Open the station table's section (it is built only when open) and return the table."""
    table = page.locator('[data-testid="stDataFrame"]').last
    if not table.count():
        page.get_by_text(re.compile(r"^Table of the |^所显示的 ")).first.click()
        wait_idle(page)
    table.scroll_into_view_if_needed()
    table.locator("table td").first.wait_for(state="attached")
    return table


class Deployment(_LoggedProcess):
    """`deploy/run.sh PORT REPLICAS`: app processes behind Caddy, ready when healthy through it."""

    def __init__(
        self,
        replicas: int = 2,
        env: dict[str, str] | None = None,
        https: bool = False,
        app_args: tuple[str, ...] = (),
    ) -> None:
        if not shutil.which("caddy"):
            raise RuntimeError(
                "caddy is not installed. Install Debian's package: "
                "apt-get update && apt-get install -y caddy (.ci/run does this)."
            )
        self.port = free_port()
        # https: on localhost with Caddy's own certificate (the browser must ignore its issuer).
        self.https = https
        self.url = f"https://localhost:{self.port}/" if https else f"http://127.0.0.1:{self.port}/"
        caddy_home = tempfile.mkdtemp(prefix="caddy-")
        self._start(
            [
                "bash",
                "deploy/run.sh",
                str(self.port),
                str(replicas),
                *(["--", *app_args] if app_args else []),
            ],
            {
                "PYTHON": sys.executable,
                "XDG_CONFIG_HOME": caddy_home,
                "XDG_DATA_HOME": caddy_home,
                **({"DEPLOY_LOCAL_HTTPS": "1"} if https else {}),
                **(env or {}),
            },
        )

    def wait_healthy(self, timeout: float = 180) -> Deployment:
        self._wait_health(
            "deploy/run.sh",
            timeout,
            ready=lambda: "deploy/run.sh: serving" in self.output(tail=0),
            tls=self._tls(),
        )
        return self

    def _tls(self) -> ssl.SSLContext | None:
        if not self.https:
            return None
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        return unverified

    def app_urls(self) -> list[str]:
        """Each app process's own loopback URL (behind the proxy), from run.sh's output."""
        found = re.search(r"app processes healthy: ([\d.: ]+)", self.output(tail=0))
        return [f"http://{address}/" for address in found.group(1).split()] if found else []

    def children(self) -> list[int]:
        """Process ids of run.sh's children (the app processes and Caddy)."""
        return [pid for pid, parent in _parents().items() if parent == self.process.pid]

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM to run.sh; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for pid in [*self.children(), self.process.pid]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            raise


def _parents() -> dict[int, int]:
    """{pid: parent pid} of every process on this machine (Linux /proc)."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The command name (field 2) is in parentheses and may hold spaces.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            out[int(stat.parent.name)] = int(fields[1])
    return out


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
