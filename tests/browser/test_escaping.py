"""Hostile text in the data shows literally in tooltip, popup and panel, and runs nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Session
from tests.browser.harness import MAP_FRAME, running_app, wait_idle, wait_markers
from tests.helpers import station, write

pytestmark = pytest.mark.browser

# At most 80 characters: it goes into every text field, `country` included.
PAYLOAD = "<img src=x onerror=alert(1)>${alert(2)}`${alert(3)}`\"'><script>alert(4)</script>"
SUMMARY = PAYLOAD + " [x](javascript:alert(5)) $x$ :red[y] **b**"
TEXT_FIELDS = ("name", "address", "city", "country", "location_note", "first_reported_by")
TRAP = """
window.__pwned = [];
window.alert = window.confirm = window.prompt = function (m) {
  window.top.__pwned.push(String(m));
};
new MutationObserver(function (records) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.tagName === 'IMG' && n.getAttribute('src') === 'x') { window.top.__pwned.push('img'); }
    if (n.tagName === 'SCRIPT' && /alert/.test(n.textContent)) {
      window.top.__pwned.push('script');
    }
  }); });
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    row = station(station_id="nl-hostile-1", summary=SUMMARY)
    row.update(dict.fromkeys(TEXT_FIELDS, PAYLOAD))
    path = write(folder / "stations.csv", [row])
    with running_app("--stations", str(path)) as server:
        yield server


@pytest.fixture
def hostile(browser, hostile_app):
    current = Session(browser, hostile_app.url)
    current.context.add_init_script(TRAP)
    yield current
    current.context.close()


def pwned(page) -> list[str]:
    return page.evaluate("() => window.__pwned")


def test_payload_shows_as_text_in_the_details_panel_and_runs_nothing(hostile):
    page = hostile.open("?station=nl-hostile-1")
    wait_idle(page)
    page.get_by_text(PAYLOAD, exact=True).first.wait_for()
    panel = page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()
    assert sum(text.count(PAYLOAD) for text in panel) > len(TEXT_FIELDS)
    assert any(SUMMARY in text for text in panel)
    links = page.locator('[data-testid="stMarkdownContainer"] a').evaluate_all(
        "links => links.map(a => a.href)"
    )
    # Only source links (https) and Streamlit's own same-page heading anchors.
    assert all(link.startswith(("https://", page.url + "#")) for link in links), links
    assert hostile.dialogs == []
    assert pwned(page) == []


def test_payload_shows_as_text_in_tooltip_and_popup(hostile):
    page = hostile.open()
    wait_idle(page)
    wait_markers(page, 1)
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator(".leaflet-marker-icon .st-mark").first
    marker.hover()
    assert PAYLOAD in frame.locator(".leaflet-tooltip").inner_text()
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert PAYLOAD in popup.inner_text()
    assert frame.locator(".leaflet-popup-content img, .leaflet-tooltip img").count() == 0
    wait_idle(page)
    assert hostile.dialogs == []
    assert pwned(page) == []
