"""Shared fixtures: the tests' own small data (tests/fixtures/), loaded once.

Only tests/test_bundled_data.py (and the docs-in-step tests) read data/: a correction to the
data never breaks a logic test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.data import load_responses, load_stations

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_STATIONS = FIXTURES / "stations.csv"
FIXTURE_RESPONSES = FIXTURES / "responses.csv"
# How the app is started on them (streamlit run, AppTest): its own command-line options.
FIXTURE_ARGS = ("--stations", str(FIXTURE_STATIONS), "--responses", str(FIXTURE_RESPONSES))
# Or from the environment (AppTest runs the app in this process, with no command line).
DATA_ENV = ("DASHBOARD_STATIONS", "DASHBOARD_RESPONSES")


@pytest.fixture(autouse=True)
def _data_env_restored() -> Iterator[None]:
    """A test that points the app at files through the environment leaves it as it was (a
    browser test's app would otherwise inherit them)."""
    before = {name: os.environ.get(name) for name in DATA_ENV}
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def stations():
    return load_stations(FIXTURE_STATIONS)


@pytest.fixture(scope="session")
def responses(stations):
    return load_responses(FIXTURE_RESPONSES, stations=stations)


@pytest.fixture(scope="session")
def bundled_stations():
    return load_stations()


@pytest.fixture(scope="session")
def bundled_responses(bundled_stations):
    return load_responses(stations=bundled_stations)
