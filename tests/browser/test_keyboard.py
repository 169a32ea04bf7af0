"""The map without a mouse: Tab reaches the stations, each marker and cluster is named, Enter or
Space does what a click does, Escape closes a popup, and the map itself has a name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import MAP_FRAME, PATIENCE_MS, map_document, wait_idle, wait_markers

pytestmark = pytest.mark.browser

ACTIVE = """() => {
  const a = document.activeElement;
  return a ? {label: a.getAttribute('aria-label'), role: a.getAttribute('role'),
              cls: String(a.className)} : null;
}"""
MAX_TABS = 150


def tab_to(page, wanted: re.Pattern, most: int = MAX_TABS) -> dict:
    """Press Tab (only) until the focus is on a map element whose name matches `wanted`."""
    frame = map_document(page)
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.tagName") != (
            "IFRAME"
        ):
            continue
        active = frame.evaluate(ACTIVE)
        if active and active["label"] and wanted.search(active["label"]):
            return active
    pytest.fail(f"{most} presses of Tab never reached {wanted.pattern!r}")


def focused_label(page) -> str | None:
    active = map_document(page).evaluate(ACTIVE)
    return active and active["label"]


def test_the_map_and_its_frame_are_named(session):
    page = session.open("?country=NL")
    wait_idle(page)
    name = "Map of the stations in this view"
    expect(page.locator(MAP_FRAME)).to_have_attribute("title", name, timeout=PATIENCE_MS)
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("role", "region")
    expect(container).to_have_attribute("aria-label", name)


def test_enter_on_a_marker_selects_it_and_escape_closes_its_popup(session):
    page = session.open("?country=NL")
    wait_idle(page)
    wait_markers(page, 2)
    marker = tab_to(page, re.compile(r"^Rotterdam, Netherlands: "))
    assert marker["role"] == "button"
    page.keyboard.press("Enter")
    # What a click does: the station's details beside the map, and the link names it.
    page.wait_for_function("() => location.search.includes('station=nl-rotterdam-1')")
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Rotterdam")).first.wait_for()
    # The redraw that follows gives the focus back to the same marker.
    page.wait_for_function(
        "() => { const f = document.querySelector('" + MAP_FRAME.replace("'", "\\'") + "');"
        " const a = f && f.contentDocument.activeElement;"
        " return a && (a.getAttribute('aria-label') || '').startsWith('Rotterdam, Netherlands');"
        " }",
        timeout=PATIENCE_MS,
    )
    frame = page.frame_locator(MAP_FRAME)
    page.keyboard.press("Enter")
    # (The popup of the marker before the redraw may still be fading out: one remains.)
    popup = frame.locator(".leaflet-popup")
    expect(popup).to_have_count(1, timeout=PATIENCE_MS)
    expect(popup).to_contain_text("ID nl-rotterdam-1")
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0, timeout=PATIENCE_MS)
    assert focused_label(page).startswith("Rotterdam, Netherlands")


def test_space_on_a_marker_selects_it_without_scrolling_the_page(session):
    page = session.open("?country=NL")
    wait_idle(page)
    wait_markers(page, 2)
    tab_to(page, re.compile(r"^Amsterdam, Netherlands: "))
    before = page.evaluate("() => window.scrollY")
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search.includes('station=nl-amsterdam-1')")
    assert page.evaluate("() => window.scrollY") == before


# In the map's frame: the stations of the focused marker or cluster (their ids and places), or
# null when the focus is on no station (on the map itself, say).
FOCUSED_STATIONS = """() => {
  const a = document.activeElement;
  const layer = Object.values(map._layers).find(l => l.getElement && l.getElement() === a);
  if (!layer || !layer.options.row && !layer.getAllChildMarkers) { return null; }
  const rows = layer.getAllChildMarkers ? layer.getAllChildMarkers().map(m => m.options.row)
    : [layer.options.row];
  return {ids: rows.map(r => r[0]), places: rows.flatMap(r => [r[6], r[7]]).filter(Boolean)};
}"""


def test_a_cluster_is_named_and_enter_takes_the_focus_into_it(session):
    page = session.open()
    wait_idle(page)
    cluster = tab_to(page, re.compile(r"^\d+ stations in "))
    assert cluster["role"] == "button"
    assert "marker-cluster" in cluster["cls"]
    inner = map_document(page)
    opened = inner.evaluate(FOCUSED_STATIONS)
    assert len(opened["ids"]) == int(cluster["label"].split()[0]) >= 2
    zoom = inner.evaluate("() => map.getZoom()")
    page.keyboard.press("Enter")
    # Opened (the map zoomed in on it, or spread it out), the focus is on the first of its
    # stations or smaller clusters now on the map, not on the map itself.
    inner.wait_for_function(
        f"() => ({FOCUSED_STATIONS})() !== null && document.activeElement !== map.getContainer()",
        timeout=PATIENCE_MS,
    )
    inside = inner.evaluate(FOCUSED_STATIONS)
    assert set(inside["ids"]) <= set(opened["ids"])
    label = focused_label(page)
    assert any(place in label for place in opened["places"]), label
    assert inner.evaluate("() => map.getZoom()") > zoom or len(inside["ids"]) == 1
