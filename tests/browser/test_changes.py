""" "What changed since" in the real app, on the fixtures: a `since` link marks the changed
stations on the map, lists the changes in their tab, in both languages, and the shortcut for
the previous data version (tests/fixtures/CHANGELOG.md) sets the day and the link."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from dashboard.changes import marked_since
from dashboard.data import load_responses, load_stations
from dashboard.versions import releases_beside
from tests.browser.harness import MAP_FRAME, PATIENCE_MS, wait_idle, wait_markers
from tests.conftest import FIXTURE_RESPONSES, FIXTURE_STATIONS

pytestmark = pytest.mark.browser

STATIONS = load_stations(FIXTURE_STATIONS)
RESPONSES = load_responses(FIXTURE_RESPONSES, stations=STATIONS)
ENTRIES = releases_beside(FIXTURE_STATIONS)
# The dashed rings on the map (dashboard/web/map.js, stChanged).
RINGS = 'path[stroke-dasharray="4 3"]'


def changed_stations(day: dt.date) -> set[str]:
    return {c.station_id for c in marked_since(STATIONS, RESPONSES, day, ENTRIES) if c.station_id}


def test_a_since_link_rings_the_changed_stations_and_lists_the_changes(session):
    page = session.open("?since=2025-01-01")
    wait_idle(page)
    wait_markers(page, len(STATIONS))
    changes = marked_since(STATIONS, RESPONSES, dt.date(2025, 1, 1), ENTRIES)
    page.get_by_text(f"{len(changes)} changes after 1 January 2025 in this view").wait_for()
    rings = page.frame_locator(MAP_FRAME).locator(RINGS)
    expect(rings).to_have_count(len(changed_stations(dt.date(2025, 1, 1))))
    tab = page.get_by_role("tab", name="Changes")
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_role("listitem")).to_have_count(len(changes))
    expect(panel.get_by_role("listitem").first).to_contain_text("2025-12-17")  # newest first


def test_the_previous_version_shortcut_sets_the_day_and_the_link(session):
    page = session.open("")
    wait_idle(page)
    page.get_by_role("button", name="Since data version 0.0.1 (27 November 2026)").click()
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('since') === '2026-11-27'",
        timeout=PATIENCE_MS,
    )
    panel = page.get_by_role("tabpanel")
    expect(panel).to_contain_text("row added or corrected in data version 0.1.0")
    rings = page.frame_locator(MAP_FRAME).locator(RINGS)
    expect(rings).to_have_count(len(changed_stations(dt.date(2026, 11, 27))))


def test_the_changes_read_in_chinese(session):
    page = session.open("?since=2025-01-01&lang=zh")
    wait_idle(page)
    expect(page.get_by_role("tab", name="变化")).to_have_attribute("aria-selected", "true")
    page.get_by_text("2025年1月1日 之后有").wait_for()
