"""Shared fixtures: the bundled data, loaded once."""

from __future__ import annotations

import pytest

from dashboard.data import load_responses, load_stations


@pytest.fixture(scope="session")
def stations():
    return load_stations()


@pytest.fixture(scope="session")
def responses(stations):
    return load_responses(stations=stations)
