"""WCAG 2.0/2.1/2.2 A and AA, checked by axe-core in the real page and inside the map's frame:
no critical, serious or moderate violation, and no text on the map whose contrast axe cannot
vouch for (cluster counts, the key, country labels)."""

from __future__ import annotations

import re

import pytest

from dashboard.maps import contrast
from tests.browser.axe import audit, serious
from tests.browser.harness import MAP_FRAME, map_document, wait_idle

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# axe asks for a human look at text it cannot measure; on the map we leave it none, except
# Leaflet's scale bar (which axe finds "partly covered" at world zoom) and glyphs such as "−".
UNMEASURED_ALLOWED = ("leaflet-control-scale-line",)
NON_TEXT = "only non-text characters"


# The text's colour and the first background behind it that is not fully transparent.
COLOURS = """(selector) => {
  const node = document.querySelector(selector);
  let box = node, paper = 'rgba(0, 0, 0, 0)';
  while (box && box.nodeType === 1) {
    paper = getComputedStyle(box).backgroundColor;
    if (paper !== 'rgba(0, 0, 0, 0)' && paper !== 'transparent') { break; }
    box = box.parentElement;
  }
  return [getComputedStyle(node).color, paper];
}"""


def hex_colour(css: str) -> str:
    """`rgb(r, g, b)` as `#rrggbb`; a see-through colour is not measurable and fails."""
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    if len(parts) == 4 and parts[3] < 1:
        return "see-through"
    return "#" + "".join(f"{round(p):02x}" for p in parts[:3])


def unmeasured_text(frame, results: dict) -> list[dict]:
    """Text whose contrast axe could not measure (single characters, such as the counts on the
    clusters and country labels, or a label partly under a marker), measured here against the
    background it sits on, which must be opaque."""
    left = []
    for check in results["incomplete"]:
        if check["id"] != "color-contrast":
            continue
        for node in check["nodes"]:
            if any(name in node["html"] for name in UNMEASURED_ALLOWED):
                continue
            if NON_TEXT in node["summary"]:
                continue
            ink, paper = (hex_colour(c) for c in frame.evaluate(COLOURS, node["target"]))
            if "see-through" in (ink, paper) or contrast(ink, paper) < 4.5:
                left.append(node)
    return left


# The map drawn: markers placed and the outlines (which arrive after them) beneath. Asked of
# the page, not of a frame object, which would be stale if Streamlit replaced the frame.
SETTLED = f"""() => {{
  const frame = document.querySelector('{MAP_FRAME}');
  const doc = frame && frame.contentDocument;
  return !!(doc && frame.contentWindow.map && doc.querySelector('.leaflet-marker-icon')
    && doc.querySelector('.leaflet-outlines-pane path'));
}}"""


def settled(page) -> None:
    wait_idle(page)
    page.wait_for_function(SETTLED)


def check(page) -> None:
    on_page = audit(page.main_frame)
    on_map = audit(map_document(page))
    assert serious(on_page) == [], on_page["violations"]
    assert serious(on_map) == [], on_map["violations"]
    unmeasured = unmeasured_text(map_document(page), on_map)
    assert unmeasured == [], [(n["html"], n["summary"]) for n in unmeasured]


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("", DESKTOP),
        ("?station=nl-rotterdam-1", DESKTOP),
        ("?lang=zh", DESKTOP),
        ("", PHONE),
        ("?tiles=0&station=nl-rotterdam-1&map=48.5,10,4", DESKTOP),
    ],
    ids=["landing", "station-selected", "chinese", "phone", "offline-country-names"],
)
def test_no_accessibility_violations(browser, app, query, size):
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.goto(app.url + query)
    settled(page)
    check(page)
    context.close()


@pytest.mark.parametrize("shading", ["Countries: stations", "Countries: strongest response"])
def test_no_violations_with_a_country_layer_and_its_key_shown(browser, app, shading):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(app.url)
    settled(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.get_by_role("button", name="Layers").click()
    frame.get_by_label(shading).check()
    frame.locator(".st-clabel span").first.wait_for()
    check(page)
    # The layers folded again, and the key open with the shading's legend.
    frame.get_by_role("button", name="Layers").click()
    frame.get_by_role("button", name="Key").click()
    frame.locator(".st-swatch").first.wait_for()
    check(page)
    context.close()
