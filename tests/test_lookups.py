"""Place look-ups shared by the server's sessions: one rate limit for the process, one cache,
a cap per session, a self-hosted service by URL, and failures in plain words."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from dashboard import lookups
from dashboard.geocode import GeocodeFailure, Location, Query
from dashboard.lookups import LookupRefused, Lookups, MachineGate, service_from_env
from dashboard.places import resolve_place
from tests.helpers import station


class FakeClock:
    """Time that moves only when slept, so the limiter is tested without waiting."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    def __init__(self, clock: FakeClock, answer: Location | None = None, fail: bool = False):
        self.clock, self.answer, self.fail = clock, answer, fail
        self.asked: list[tuple[str, float]] = []

    def __call__(self, query: Query) -> Location | None:
        self.asked.append((query.city, self.clock()))
        if self.fail:
            raise GeocodeFailure("HTTPSConnectionPool(host='nominatim...') NameResolutionError")
        return self.answer


def make(answer=None, fail=False, cap=20):
    clock = FakeClock()
    geocoder = Recorder(clock, answer, fail)
    return Lookups(geocoder, session_cap=cap, clock=clock, sleep=clock.sleep), geocoder


def test_requests_from_every_session_are_a_second_apart():
    service, geocoder = make(Location(48.85, 2.35, "city"))
    for i, name in enumerate(["Paris", "Lyon", "Nice", "Lille"]):
        service.find(name, session=f"s{i}")
    times = [t for _, t in geocoder.asked]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


def test_threads_never_ask_twice_at_once():
    service, geocoder = make(Location(1, 1, "city"))
    service.sleep = lambda s: None  # real threads, no waiting
    running, most = [0], [0]
    inner = service.geocoder

    def counting(query):
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return inner(query)
        finally:
            running[0] -= 1

    service.geocoder = counting
    threads = [
        threading.Thread(target=service.find, args=(f"place {i}", f"s{i}")) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert len(geocoder.asked) == 8


def test_an_answer_is_shared_and_asked_once():
    service, geocoder = make(Location(45.46, 9.19, "city"))
    first = service.find("Milano", "a")
    assert service.find("  milano ", "b") == first
    assert len(geocoder.asked) == 1


def test_a_session_over_its_cap_gets_a_clear_refusal_and_others_do_not():
    service, geocoder = make(None, cap=2)
    service.find("x1", "greedy")
    service.find("x2", "greedy")
    with pytest.raises(LookupRefused) as refused:
        service.find("x3", "greedy")
    assert refused.value.key == "place_cap"
    assert service.find("x1", "greedy") is None  # answers from the cache still come
    service.find("x3", "patient")
    assert len(geocoder.asked) == 3


def test_a_failed_service_reads_as_plain_words_in_the_pages_language(caplog):
    service, _ = make(fail=True)
    stations = __import__("pandas").DataFrame([station()])
    online = lambda query: service.find(query.city, "s")  # noqa: E731
    message = resolve_place("Nowhere-xyz", stations, online=online)
    for lang in ("en", "zh"):
        text = message.text(lang)
        assert "HTTPS" not in text
        assert "NameResolution" not in text
    assert "did not answer" in message.text("en")
    assert "地名服务没有回应" in message.text("zh")
    assert "NameResolutionError" in caplog.text  # the detail goes to the server log


@pytest.mark.parametrize(
    ("env", "service"),
    [
        ({}, ("https", "nominatim.openstreetmap.org")),
        ({"DASHBOARD_NOMINATIM_URL": "http://127.0.0.1:8080"}, ("http", "127.0.0.1:8080")),
        ({"DASHBOARD_NOMINATIM_URL": "https://geo.example.org/nominatim/"},
         ("https", "geo.example.org/nominatim")),
        ({"DASHBOARD_NOMINATIM_URL": "ftp://x"}, None),
        ({"DASHBOARD_OFFLINE": "1", "DASHBOARD_NOMINATIM_URL": "http://127.0.0.1:8080"}, None),
    ],
)  # fmt: skip
def test_the_service_comes_from_the_environment(env, service):
    assert service_from_env(env) == service


def _ask_through_gate(path: str, interval: float, count: int, times) -> None:
    gate = MachineGate(Path(path), interval)
    for _ in range(count):
        with gate():
            times.append(time.time())


def test_app_processes_on_one_machine_share_one_rate_limit(tmp_path):
    # deploy/run.sh runs several app processes: together they still ask the service at most
    # once per interval (here 0.25 s, for speed; the app uses a second).
    interval = 0.25
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        times = manager.list()
        workers = [
            context.Process(
                target=_ask_through_gate, args=(str(tmp_path / "gate"), interval, 3, times)
            )
            for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert all(worker.exitcode == 0 for worker in workers)
        stamps = sorted(times)
    assert len(stamps) == 9
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= interval * 0.95, gaps


def test_a_damaged_gate_file_waits_a_whole_interval(tmp_path):
    path = tmp_path / "gate"
    path.write_text("not a time")
    waited: list[float] = []
    gate = MachineGate(path, 1.0, clock=lambda: 100.0, sleep=waited.append)
    with gate():
        pass
    assert waited == [1.0]
    assert float(path.read_text()) == 100.0


def test_the_shared_lookups_go_through_the_machines_gate(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_LOOKUP_LOCK", str(tmp_path / "gate"))
    monkeypatch.setenv("DASHBOARD_NOMINATIM_URL", "http://127.0.0.1:9/gate-test")
    monkeypatch.delenv("DASHBOARD_OFFLINE", raising=False)
    found = lookups.shared()
    assert isinstance(found.gate, MachineGate)
    assert found.gate.path == tmp_path / "gate"
