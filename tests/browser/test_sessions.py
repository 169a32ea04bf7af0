"""Ten viewers at once, each filtering a different country: no state leaks, no errors."""

from __future__ import annotations

import pytest

from dashboard.data import load_stations
from tests.browser.sessions import run_sessions
from tests.conftest import FIXTURE_STATIONS

pytestmark = pytest.mark.browser


def ten_countries() -> list[tuple[str, str, int]]:
    stations = load_stations(FIXTURE_STATIONS)
    counts = stations.groupby(["country_code", "country"]).size().sort_values(ascending=False)
    return [(code, name, int(n)) for (code, name), n in counts.head(10).items()]


def test_ten_sessions_each_see_their_own_filter_and_count(app):
    countries = ten_countries()
    results = run_sessions(app.url, countries)
    for (code, _, expected), result in zip(countries, results, strict=True):
        assert result.errors == []
        assert result.shown == expected
        assert result.query == f"country={code}"
