"""Hostile text in every field: shown literally in tooltip, popup, panels and table; nothing runs.

The hostile files are given both with `--stations`/`--responses` and through the uploader.
A trap in every frame records any alert/confirm/prompt and any element created with an event
handler attribute or from a payload (`<img src=x>`, `<script>`, `<svg onload>`).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.conftest import Session
from tests.browser.harness import (
    MAP_FRAME,
    PATIENCE_MS,
    SETTLED_JS,
    open_table,
    running_app,
    wait_idle,
    wait_markers,
)
from tests.helpers import csv_text, response, station, write
from tests.matrix import FORMULAS, FREE_TEXT, HTML

pytestmark = pytest.mark.browser

# At most 80 characters: it goes into every text field, `country` included.
PAYLOAD = "<img src=x onerror=alert(1)>${alert(2)}`${alert(3)}`\"'><script>alert(4)</script>"
SUMMARY = PAYLOAD + " [x](javascript:alert(5)) $x$ :red[y] **b** <a href=javascript:alert(6)>"
PAYLOADS = [PAYLOAD, *HTML, *FORMULAS]
TRAP = """
window.__pwned = [];
function pwn(what) { try { window.top.__pwned.push(what); } catch (e) {} }
window.alert = window.confirm = window.prompt = function (m) { pwn('dialog ' + m); };
new MutationObserver(function (records) {
  records.forEach(function (r) { r.addedNodes.forEach(function (n) {
    if (n.nodeType !== 1) { return; }
    [n].concat(Array.from(n.querySelectorAll('*'))).forEach(function (el) {
      Array.from(el.attributes).forEach(function (a) {
        if (/^on/i.test(a.name)) { pwn('handler ' + el.tagName + ' ' + a.name); }
      });
      if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') { pwn('img'); }
      if (el.tagName === 'SCRIPT' && /alert/.test(el.textContent)) { pwn('script'); }
    });
  }); });
}).observe(document, {childList: true, subtree: true});
"""


def hostile_rows() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    stations, responses = [], []
    for i, payload in enumerate(PAYLOADS):
        sid = f"nl-hostile-{i + 1}"
        row = station(
            station_id=sid,
            summary=SUMMARY if i == 0 else payload,
            latitude=f"{51 + i * 0.4:.1f}",
            longitude=f"{3.5 + i * 0.3:.1f}",
        )
        row.update(dict.fromkeys(FREE_TEXT[:-1] if i == 0 else FREE_TEXT, payload))
        if i == 0:
            row["summary"] = SUMMARY
        stations.append(row)
        responses.append(
            response(response_id=f"nl-r{i + 1:02d}", station_id=sid, actor=payload, summary=payload)
        )
    return stations, responses


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    stations, responses = hostile_rows()
    return (
        write(folder / "stations.csv", stations, lineterminator="\r\n"),
        write(folder / "responses.csv", responses, lineterminator="\r\n"),
    )


@pytest.fixture(scope="module")
def hostile_app(hostile_files):
    stations, responses = hostile_files
    with running_app("--stations", str(stations), "--responses", str(responses)) as server:
        yield server


@pytest.fixture
def hostile(browser, hostile_app):
    current = Session(browser, hostile_app.url)
    current.context.add_init_script(TRAP)
    yield current
    current.context.close()


def assert_nothing_ran(session: Session) -> None:
    page = session.page
    assert session.dialogs == []
    assert page.evaluate("() => window.__pwned") == []
    frame_pwned = page.evaluate(
        f"() => (document.querySelector('{MAP_FRAME}') || {{}}).contentWindow?.__pwned || []"
    )
    assert frame_pwned == []


def panel_texts(page) -> list[str]:
    return page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()


@pytest.mark.parametrize("lang", ["", "&lang=zh"])
def test_details_panel_shows_every_field_literally(hostile, lang):
    page = hostile.open(f"?station=nl-hostile-1{lang}")
    wait_idle(page)
    page.get_by_text(PAYLOAD, exact=True).first.wait_for()
    texts = panel_texts(page)
    assert sum(t.count(PAYLOAD) for t in texts) >= len(FREE_TEXT)
    assert any(SUMMARY in t for t in texts)
    links = page.locator('[data-testid="stMarkdownContainer"] a').evaluate_all(
        "links => links.map(a => a.href)"
    )
    # Only source links (https), Streamlit's own same-page heading anchors, and the station's
    # permanent page in the published edition (by its id, which is a slug).
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    permanent = f"{origin}/published/station/nl-hostile-1/"
    assert all(
        link.startswith(("https://", page.url + "#")) or link == permanent for link in links
    ), links
    assert permanent in links
    assert_nothing_ran(hostile)


OPEN_MARKER = """(sid) => new Promise((done) => {
  const w = document.querySelector('MAP_FRAME').contentWindow;
  let marker = null;
  w.feature_group.filter(fg => w.map.hasLayer(fg)).forEach(fg => fg.eachLayer(group => {
    if (!group.getLayers) { return; }
    group.getLayers().forEach(m => {
      if (m.options.row && m.options.row[0] === sid) { marker = m; }
    });
  }));
  let tries = 0;
  (function attempt() {
    // The page may still be flying to its own view: stop it and zoom in until the marker shows.
    w.map.stop();
    w.map.setView(marker.getLatLng(), 17, {animate: false});
    setTimeout(() => {
      if (marker._map) {
        marker.fire('mouseover', {}, true);  // as a pointer would: propagates to the group
        marker.fire('click', {}, true);
        done(true);
      }
      else if (++tries < 20) { attempt(); } else { done(false); }
    }, 300);
  })();
})""".replace("MAP_FRAME", MAP_FRAME)


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_each_payload_in_tooltip_popup_and_panel(hostile, index):
    payload = PAYLOADS[index]
    sid = f"nl-hostile-{index + 1}"
    page = hostile.open(f"?station={sid}")
    wait_idle(page)
    wait_markers(page, len(PAYLOADS))
    assert page.evaluate(OPEN_MARKER, sid)
    frame = page.frame_locator(MAP_FRAME)
    assert payload in frame.locator(".leaflet-tooltip").last.text_content()
    assert payload in frame.locator(".leaflet-popup-content").last.text_content()
    assert (
        frame.locator(".leaflet-popup-content *, .leaflet-tooltip *").evaluate_all(
            "els => els.map(e => e.tagName).filter(t => !['DIV', 'STRONG', 'EM'].includes(t))"
        )
        == []
    )
    # The click reruns the page (the first report of the map also brings the sidebar's
    # filters): read the panel once it has settled.
    page.wait_for_function(SETTLED_JS, timeout=PATIENCE_MS)
    texts = " ".join(
        t.text_content() for t in page.locator('[data-testid="stMarkdownContainer"]').all()
    )
    assert payload.strip() in texts
    wait_idle(page)
    assert_nothing_ran(hostile)


def test_table_and_responses_panel_show_payloads_literally(hostile):
    page = hostile.open()
    wait_idle(page)
    table = open_table(page)
    cells = table.evaluate(
        "e => Array.from(e.querySelectorAll('table td')).map(td => td.textContent)"
    )
    for payload in (PAYLOAD, *HTML):
        assert payload in cells
    page.get_by_role("tab", name="Government responses").click()
    wait_idle(page)
    # The tab is built when opened: wait for its first country, then open it.
    country = page.locator('[role="tabpanel"] [data-testid="stExpander"]').first
    country.wait_for()
    country.click()
    page.wait_for_function(
        "p => Array.from(document.querySelectorAll('[data-testid=\"stMarkdownContainer\"]'))"
        ".some(e => e.innerText.includes(p))",
        arg=PAYLOAD,
        timeout=PATIENCE_MS,
    )
    assert_nothing_ran(hostile)


def test_download_of_hostile_rows_holds_no_live_formula(hostile):
    page = hostile.open()
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("^Download CSV")).click()
    with open(info.value.path(), encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        for column, value in row.items():
            if column not in ("latitude", "longitude"):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
        float(row["latitude"]), float(row["longitude"])  # numbers stay numbers
    assert any(r["name"] == "'" + FORMULAS[0] for r in rows)
    assert_nothing_ran(hostile)


def test_hostile_upload_runs_nothing_and_shows_text(browser, app, hostile_files):
    session = Session(browser, app.url)
    session.context.add_init_script(TRAP)
    try:
        page = session.open()
        wait_idle(page)
        page.get_by_text("Use your own files").click()
        inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        inputs.nth(0).set_input_files(str(hostile_files[0]))
        page.wait_for_selector(f"text=Showing {len(PAYLOADS)} of {len(PAYLOADS)} stations")
        wait_idle(page)
        wait_markers(page, len(PAYLOADS))
        page.get_by_label("Station details").click()
        page.get_by_role("option").nth(1).click()
        wait_idle(page)
        page.get_by_text(PAYLOAD, exact=True).first.wait_for()
        assert_nothing_ran(session)
        page.get_by_role("button", name="Back to the bundled data").click()
        page.wait_for_selector("text=/Showing \\d{2,} of \\d{2,} stations/")
    finally:
        session.context.close()


def test_rows_are_what_the_files_hold():
    stations, responses = hostile_rows()
    assert csv_text(stations)  # the fixture data itself is valid CSV text
    assert len(stations) == len(responses) == len(PAYLOADS)


def test_a_place_named_by_the_data_is_text_on_the_map_and_the_page(hostile):
    """Near a city of the data whose name is hostile: the place's label and the line above the
    map show it as text, and nothing runs."""
    page = hostile.open("?" + urlencode({"near": PAYLOAD, "km": "20000"}))
    wait_idle(page)
    label = page.frame_locator(MAP_FRAME).locator(".st-place-label")
    label.wait_for()
    assert PAYLOAD in label.text_content()
    assert label.locator("*").evaluate_all("els => els.map(e => e.tagName)") == ["SPAN"]
    page.get_by_text(re.compile("Within 20000 km of")).first.wait_for()
    assert PAYLOAD in page.get_by_text(re.compile("Within 20000 km of")).first.text_content()
    assert_nothing_ran(hostile)
