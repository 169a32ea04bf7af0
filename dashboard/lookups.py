"""Place look-ups for the page, shared by every session of the server process.

OpenStreetMap's Nominatim allows one request per second per application and blocks offenders,
so the whole server keeps to that, whatever number of readers type place names at once:
- one rate limit for the machine: every app process (deploy/run.sh starts several) takes a
  lock file in turn, which holds the time of the last request (`MachineGate`);
- one shared cache of answers (found or not found), so a name is asked once;
- a cap per session, with a clear message once a reader has used it up;
- `DASHBOARD_NOMINATIM_URL` points look-ups at a self-hosted Nominatim (for organisations that
  must not send readers' queries to OpenStreetMap); `DASHBOARD_OFFLINE=1` turns them off.
A failure reads as plain words in the page's language; its technical detail goes to the log.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.geocode import GeocodeFailure, Location, NominatimGeocoder, Query

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 1.0
SESSION_CAP = 20  # look-ups one session may make (answers from the cache do not count)
CACHE_SIZE = 1000
DEFAULT_URL = "https://nominatim.openstreetmap.org"


class LookupRefused(Exception):
    """A look-up that was not made or failed; `key` names the message the page shows."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def service_from_env(environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(scheme, host[:port][/path]) of the Nominatim to ask, or None when look-ups are off."""
    env = os.environ if environ is None else environ
    if env.get("DASHBOARD_OFFLINE", "") not in ("", "0"):
        return None
    url = env.get("DASHBOARD_NOMINATIM_URL", "").strip() or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        log.error("DASHBOARD_NOMINATIM_URL=%r is not an http(s) URL; look-ups are off", url)
        return None
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


class MachineGate:
    """At most one request per `interval` across every process on this machine that uses the
    same lock file: each takes the file's lock in turn, waits until `interval` has passed since
    the time written in it, makes its request, and writes the time again."""

    def __init__(
        self,
        path: Path,
        interval: float = MIN_INTERVAL_S,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path, self.interval, self.clock, self.sleep = path, interval, clock, sleep

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with open(self.path, "a+", encoding="ascii") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                try:
                    last = float(handle.read().strip() or "-inf")
                except ValueError:  # a damaged file: wait a whole interval to be safe
                    last = self.clock()
                wait = min(last + self.interval - self.clock(), self.interval)
                if wait > 0:
                    self.sleep(wait)
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                handle.write(repr(self.clock()))
                handle.flush()
                fcntl.flock(handle, fcntl.LOCK_UN)


def gate_path(environ: dict[str, str] | None = None) -> Path:
    """The lock file every app process on the machine shares (`DASHBOARD_LOOKUP_LOCK`)."""
    env = os.environ if environ is None else environ
    default = Path(tempfile.gettempdir()) / "police-stations-dashboard-lookups.lock"
    return Path(env.get("DASHBOARD_LOOKUP_LOCK", "").strip() or default)


@dataclass
class Lookups:
    """Look-ups through one geocoder, rate-limited, cached and capped per session."""

    geocoder: Callable[[Query], Location | None]
    min_interval: float = MIN_INTERVAL_S
    session_cap: int = SESSION_CAP
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _state: threading.Lock = field(default_factory=threading.Lock)  # cache and counts
    _requests: threading.Lock = field(default_factory=threading.Lock)  # one request at a time
    gate: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext
    _last: float = float("-inf")
    _cache: OrderedDict[str, Location | None] = field(default_factory=OrderedDict)
    _used: dict[str, int] = field(default_factory=dict)

    def _cached(self, key: str) -> tuple[bool, Location | None]:
        with self._state:
            if key in self._cache:
                self._cache.move_to_end(key)
                return True, self._cache[key]
        return False, None

    def find(self, name: str, session: str) -> Location | None:
        """The place called `name` (None: not found). Raises LookupRefused."""
        key = " ".join(name.split()).casefold()
        known, found = self._cached(key)
        if known:
            return found
        with self._state:
            if self._used.get(session, 0) >= self.session_cap:
                raise LookupRefused("place_cap")
            self._used[session] = self._used.get(session, 0) + 1
        with self._requests:
            known, found = self._cached(key)  # asked meanwhile by another session
            if known:
                return found
            # One request at a time for the whole process, at least a second apart.
            wait = self._last + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
            try:
                with self.gate():  # and one at a time, a second apart, for the machine
                    found = self.geocoder(Query("", name.strip(), "", ""))
            except GeocodeFailure as exc:
                log.warning("place look-up for %r failed: %s", name, exc)
                raise LookupRefused("place_lookup_failed") from exc
            except Exception as exc:  # a failing service must never break the page
                log.exception("place look-up for %r failed unexpectedly", name)
                raise LookupRefused("place_lookup_failed") from exc
            finally:
                self._last = self.clock()
        with self._state:
            self._cache[key] = found
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return found


_SHARED: dict[tuple[str, str], Lookups] = {}
_SHARED_LOCK = threading.Lock()


def shared() -> Lookups | None:
    """The process's one `Lookups` for the configured service (None when look-ups are off).
    The environment is read on every call, so switching DASHBOARD_OFFLINE takes effect at once."""
    service = service_from_env()
    if service is None:
        return None
    with _SHARED_LOCK:
        if service not in _SHARED:
            scheme, domain = service
            _SHARED[service] = Lookups(
                NominatimGeocoder(timeout=3, scheme=scheme, domain=domain),
                gate=MachineGate(gate_path()),
            )
        return _SHARED[service]
