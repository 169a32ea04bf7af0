"""WCAG 2.0/2.1/2.2 A and AA, checked by axe-core in the real page and inside the map's frame:
no violation at all in each language, size and view (with a country layer shown: no critical,
serious or moderate one), and no text on the map whose contrast axe cannot vouch for (cluster
counts, the key, country labels)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.i18n import t
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


LANGUAGES = ("en", "zh-Hans", "zh-Hant")
SIZES = {"desktop": DESKTOP, "phone": PHONE}
VIEWS = {"default": "", "station": "&station=nl-rotterdam-1"}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_violation_of_any_impact_in_every_language_size_and_view(browser, app, lang, size, view):
    """Every language, at desktop and phone sizes, with and without a station selected: no
    violation at all (minor ones included), and the page and the map's frame declare the
    page's language."""
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{app.url}?lang={lang}{VIEWS[view]}")
    settled(page)
    if view == "station":  # its details are open beside (or under) the map
        selected = page.get_by_role("tab", name=t("tab_station", lang))
        expect(selected).to_have_attribute("aria-selected", "true")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(map_document(page).locator("html")).to_have_attribute("lang", lang)
    on_page = audit(page.main_frame)
    on_map = audit(map_document(page))
    assert on_page["violations"] == [], on_page["violations"]
    assert on_map["violations"] == [], on_map["violations"]
    unmeasured = unmeasured_text(map_document(page), on_map)
    assert unmeasured == [], [(n["html"], n["summary"]) for n in unmeasured]
    context.close()


# The three languages at both sizes are audited above; these views add their own parts, read
# in a Latin and a Chinese script (the full matrix again cost the suite about half a minute).
SCRIPTS = ("en", "zh-Hant")


@pytest.mark.parametrize("lang", SCRIPTS)
def test_the_offline_outlines_country_names_have_no_violation(browser, app, lang):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{app.url}?lang={lang}&tiles=0&station=nl-rotterdam-1&map=48.5,10,4")
    settled(page)
    check(page)
    context.close()


@pytest.mark.parametrize("lang", SCRIPTS)
def test_the_embed_has_no_violation_in_an_articles_frame(browser, app, lang):
    """The embed (`mode=embed`) at 600 px, a station's details under the map, the skip link
    focused: no violation on the page or in the map."""
    context = browser.new_context(viewport={"width": 600, "height": 700})
    page = context.new_page()
    page.goto(f"{app.url}?mode=embed&tiles=0&lang={lang}&station=nl-rotterdam-1")
    settled(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_role("link", name=t("skip_map", lang)).focus()
    on_page = audit(page.main_frame)
    on_map = audit(map_document(page))
    assert on_page["violations"] == [], on_page["violations"]
    assert on_map["violations"] == [], on_map["violations"]
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
