"""App wiring with Streamlit's AppTest: filters, links and notices (the map is a black box here)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import panels, session
from dashboard.pagestate import MapBook, PageState
from tests.conftest import DATA_ENV, FIXTURE_RESPONSES, FIXTURE_STATIONS
from tests.helpers import station, write

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
SHOWING = re.compile(r"Showing (\d+) of (\d+) stations")


def start(
    query: dict[str, str] | None = None, argv: list[str] | None = None, map_drawn: bool = True
) -> AppTest:
    """The app under AppTest, on the tests' own data (tests/fixtures/) unless `argv` names other
    files (`--stations`, `--responses`: given to the app through its environment; none named
    means the bundled data). AppTest has no browser to draw the map: unless `map_drawn` is
    False, the session starts as after the map's first report, which brings the sidebar's
    filters (`PageState.filters_due`)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if map_drawn:
        at.session_state[session.STATE] = PageState(book=MapBook(drawn=True))
    for key, value in (query or {}).items():
        at.query_params[key] = value
    named = dict(zip(argv[::2], argv[1::2], strict=True)) if argv is not None else {}
    paths = (
        (named.get("--stations"), named.get("--responses"))
        if argv is not None
        else (str(FIXTURE_STATIONS), str(FIXTURE_RESPONSES))
    )
    for name, path in zip(DATA_ENV, paths, strict=True):
        if path:
            os.environ[name] = path
        else:
            os.environ.pop(name, None)
    at.run()
    assert not at.exception, at.exception
    return at


def showing(at: AppTest) -> tuple[int, int]:
    for md in at.markdown:
        found = SHOWING.search(md.value)
        if found:
            return int(found.group(1)), int(found.group(2))
    raise AssertionError("no 'Showing N of M stations' line")


def test_default_view_shows_every_station(stations):
    shown, total = showing(start())
    assert shown == total == len(stations)


def test_the_filters_wait_for_the_map_but_the_links_filters_apply_at_once():
    # Before the map has drawn its stations the sidebar says the filters are coming, and a
    # button brings them at once (for a reader whose map never draws). The link's filters
    # apply to the view from the start.
    at = start({"country": "NL"}, map_drawn=False)
    assert showing(at)[0] == 2
    assert not [m for m in at.multiselect if m.key == "countries"]
    assert any("appear as soon as the map" in c.value for c in at.sidebar.caption)
    show = [b for b in at.sidebar.button if b.label == "Show the filters now"]
    assert len(show) == 1
    show[0].click().run()
    assert at.multiselect(key="countries").value == ["NL"]
    assert showing(at)[0] == 2
    # Once shown, they stay, whatever reruns.
    at.text_input(key="query").set_value("Rotterdam").run()
    assert at.multiselect(key="countries").value == ["NL"]
    assert not [b for b in at.sidebar.button if b.label == "Show the filters now"]


def test_link_parameters_are_applied():
    at = start({"country": "NL"})
    assert showing(at)[0] == 2
    assert at.multiselect(key="countries").value == ["NL"]


def test_a_listed_in_link_shows_only_the_stations_of_that_source():
    at = start({"listed": "other"})
    assert showing(at)[0] == 3
    assert at.multiselect(key="listed_in").value == ["other"]
    at.multiselect(key="listed_in").set_value([]).run()
    assert showing(at)[0] == showing(at)[1]
    assert "listed" not in at.query_params


def test_bad_parameters_give_a_notice_and_the_rest_applies():
    at = start({"country": "ZZ,NL", "status": "nonsense"})
    assert showing(at)[0] == 2
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes
    assert "'ZZ'" in warnings
    assert "'nonsense'" in warnings


def test_changing_a_filter_changes_count_and_link():
    at = start()
    at.multiselect(key="countries").set_value(["IE"]).run()
    assert showing(at)[0] == 1
    assert at.query_params["country"] in ("IE", ["IE"])


def test_search_box_filters():
    at = start()
    at.text_input(key="query").set_value("Rotterdam").run()
    assert showing(at)[0] == 1


def test_station_link_selects_it_and_shows_its_sources():
    at = start({"station": "ie-dublin-1"})
    text = " ".join(m.value for m in at.markdown)
    assert "Fuzhou Police Overseas Service Station \\(Dublin\\)" in text
    assert "**Sources:** [" in text


def test_reset_clears_filters_and_link():
    at = start({"country": "NL", "q": "x"})
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert showing(at)[0] == showing(at)[1]
    assert "country" not in at.query_params


def test_broken_stations_file_is_listed_on_the_page_not_a_traceback(tmp_path, bundled_stations):
    path = write(
        tmp_path / "bad.csv", [station(latitude="91"), station(station_id="x-1", status="?")]
    )
    at = start(argv=["--stations", str(path)])
    errors = " ".join(e.value for e in at.error)
    assert "Not used" in errors
    assert "stays in use" in errors
    code = " ".join(c.value for c in at.code)
    assert "line 2, column latitude: value '91': outside -90..90" in code
    assert "line 3, column status" in code
    shown, total = showing(at)
    assert shown == total == len(bundled_stations)  # the bundled data stays in use


def test_other_files_of_the_same_schema_load(tmp_path):
    path = write(tmp_path / "mine.csv", [station(), station(station_id="nl-rotterdam-2")])
    at = start(argv=["--stations", str(path)])
    assert showing(at) == (2, 2)
    infos = " ".join(i.value for i in at.info)
    assert "set aside" in infos


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x" * 10_000])
def test_hostile_search_links_do_not_break_the_page(value):
    at = start({"q": value})
    assert showing(at)[0] == 0


def test_large_files_take_the_light_table_and_station_box(tmp_path, monkeypatch):
    from benchmarks.synth import write_synth

    path = write_synth(6000, tmp_path / "big.csv")
    at = start(argv=["--stations", str(path)])
    assert showing(at) == (6000, 6000)
    # The table is built once its section is opened.
    at.session_state[session.Keys.TABLE_OPEN] = True
    at.run()
    captions = " ".join(c.value for c in at.caption)
    assert f"first {panels.TABLE_MAX_ROWS:,} of 6,000 stations" in captions
    box = at.text_input(key=session.Keys.STATION_PICK)
    box.set_value("nl-rotterdam-1-s1").run()
    text = " ".join(m.value for m in at.markdown)
    assert "nl\\-rotterdam\\-1\\-s1" in text


def test_as_of_link_shows_the_map_as_it_stood():
    at = start({"asof": "2022-10-01"})
    shown, total = showing(at)
    # The fixture's ten stations of the September report, and Prato (reported 3 September).
    assert (shown, total) == (11, 21)


def test_near_a_place_link_keeps_stations_within_the_distance():
    at = start({"near": "Amsterdam", "km": "60"})
    assert showing(at)[0] == 2
    at = start({"near": "Amsterdam", "km": "50"})
    assert showing(at)[0] == 1


def test_unknown_place_offline_gives_a_notice_not_an_error(monkeypatch):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    at = start({"near": "Nowhereville-on-Sea-xyz"})
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "not a city of the data or of the offline gazetteer" in warnings
    assert "not applied" in warnings
    assert showing(at)[0] == showing(at)[1]


def test_as_of_steps_through_months_with_buttons():
    at = start({"asof": "2022-10-01"})
    assert showing(at)[0] == 11  # the September report (and Prato)
    next(b for b in at.button if b.label == "1 month →").click().run()
    assert at.query_params["asof"] == "2022-11-01"
    assert showing(at)[0] == 12  # Sydney, reported in October (a month-only date)
    next(b for b in at.button if b.label == "1 month →").click().run()
    assert showing(at)[0] == 12  # the December report is not out yet
    next(b for b in at.button if b.label == "1 month →").click().run()
    assert at.query_params["asof"] == "2023-01-01"
    assert showing(at)[0] == 18  # now it is: every station first reported in 2022
    next(b for b in at.button if b.label == "← 1 month").click().run()
    assert at.query_params["asof"] == "2022-12-01"


@pytest.mark.parametrize("value", ["2030-01-01", "2010-01-01"])
def test_asof_out_of_range_gives_a_notice_not_a_crash(value):
    at = start({"asof": value})  # start() asserts no exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"asof={value} is not between 2016-01-01 and today" in warnings
    assert showing(at)[0] == showing(at)[1]


def vega_charts(at: AppTest) -> list[dict]:
    """The specs and data of the page's Vega-Lite charts."""
    import json

    import pyarrow as pa

    out = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        spec = json.loads(proto.spec)
        rows = []
        for dataset in proto.datasets:
            rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        if proto.data.data:
            rows += pa.ipc.open_stream(proto.data.data).read_all().to_pylist()
        out.append({"spec": spec, "rows": rows})
    return out


def test_both_charts_follow_the_view_with_whole_numbers():
    from dashboard.data import load_responses, load_stations

    at = start({"country": "NL"})
    at.session_state[session.Keys.PANEL] = "Charts"
    at.run()
    per_country, per_year = vega_charts(at)
    assert [r["country"] for r in per_country["rows"]] == ["Netherlands"]
    stations = load_stations(FIXTURE_STATIONS)
    dutch = stations.loc[stations["country_code"] == "NL"]
    expected = len(
        panels.view_responses(load_responses(FIXTURE_RESPONSES, stations=stations), dutch)
    )
    assert sum(r["responses"] for r in per_year["rows"]) == expected
    assert per_country["spec"]["encoding"]["x"]["axis"]["format"] == "d"
    assert per_year["spec"]["encoding"]["y"]["axis"]["format"] == "d"
    legend = per_year["spec"]["encoding"]["color"]
    assert legend["legend"]["labelLimit"] == 0  # never clipped
    assert len(set(legend["scale"]["range"])) == len(legend["scale"]["domain"])


def test_report_buttons_show_the_map_as_of_each_report():
    at = start()
    next(b for b in at.button if b.label.startswith("110 Overseas")).click().run()
    assert at.query_params["asof"] in ("2022-09-12", ["2022-09-12"])
    heading = " ".join(m.value for m in at.markdown)
    assert "As of 12 September 2022" in heading
    next(b for b in at.button if b.label.startswith("Patrol and Persuade")).click().run()
    assert at.query_params["asof"] in ("2022-12-05", ["2022-12-05"])


def about_text(at: AppTest) -> str:
    at.session_state[session.Keys.ABOUT_OPEN] = True
    at.run()
    assert not at.exception, at.exception
    # Markdown escapes punctuation ("1\\.1\\.0"); the reader sees it without the backslashes.
    shown = " ".join([*(m.value for m in at.markdown), *(t.value for t in at.text)])
    return shown.replace("\\", "")


def test_about_and_citation_give_the_datas_version():
    text = about_text(start())
    # tests/fixtures/datapackage.json states it; the bundled data's is in data/datapackage.json.
    assert "Data version:** 0.1.0-fixtures, reviewed" in text
    assert "data version 0.1.0-fixtures, reviewed" in text


def test_files_without_a_stated_version_are_not_given_one(tmp_path):
    path = write(tmp_path / "mine.csv", [station()])
    text = about_text(start(argv=["--stations", str(path)]))
    assert "not stated for these files" in text
    assert "data version not stated" in text


def test_a_near_miss_offers_the_suggested_place_in_one_click(monkeypatch):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    at = start({"near": "Torontp"})
    assert "Did you mean Toronto?" in " ".join(w.value for w in at.warning).replace("\\", "")
    next(b for b in at.button if b.label == "Use Toronto").click().run()
    assert at.query_params["near"] == "Toronto"
    assert showing(at)[0] == 1  # ca-toronto-1


def test_nothing_in_range_names_the_nearest_station_and_widens_to_it(monkeypatch):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    at = start({"near": "Lyon"})
    assert showing(at)[0] == 0
    info = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "No station within 50 km of Lyon, France" in info
    assert re.search(r"The nearest is .+ \(Milan, Italy\), 3[34]\d km away\.", info)
    next(b for b in at.button if b.label == "Widen to 350 km").click().run()
    assert at.query_params["km"] == "350"
    assert showing(at)[0] >= 1


def test_a_chinese_place_name_filters_by_distance(monkeypatch):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    at = start({"near": "多伦多", "km": "50"})
    assert showing(at)[0] == 1
    assert "Toronto, Ontario, Canada" in " ".join(c.value for c in at.caption).replace("\\", "")


def test_a_since_link_opens_the_changes_with_its_count_above_the_map():
    at = start({"since": "2025-01-01"})
    captions = " ".join(c.value for c in at.caption)
    assert "changes after 1 January 2025 in this view" in captions
    text = " ".join(m.value for m in at.markdown)
    assert "fr\\-r06" not in text  # ids are not shown: the change's title and source are
    assert "2025\\-07" in text  # the French ministry's answer of July 2025
    assert at.tabs[-1].label == "Changes"


def test_the_since_shortcut_names_the_previous_version_of_the_data():
    at = start()
    button = next(b for b in at.button if b.label.startswith("Since data version"))
    assert button.label == "Since data version 0.0.1 (27 November 2026)"
    button.click().run()
    assert at.query_params["since"] == "2026-11-27"
    text = " ".join(m.value for m in at.markdown)
    assert "row added or corrected in data version 0\\.1\\.0" in text


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Download map image (PNG)"), ("zh", "下载地图图片（PNG）")]
)
def test_the_map_image_is_the_fourth_download_named_like_the_others(lang, label):
    at = start({"lang": lang, "country": "NL"})
    buttons = at.get("download_button")
    assert len(buttons) == 4
    assert buttons[3].proto.label == label
    assert buttons[3].proto.deferred_file_id  # the image is drawn only when clicked


def test_the_per_country_chart_says_which_countries_it_leaves_out(tmp_path):
    from benchmarks.synth import write_synth

    path = write_synth(400, tmp_path / "many.csv")  # every bundled country: more than 25
    at = start(argv=["--stations", str(path)])
    at.session_state[session.Keys.PANEL] = "Charts"
    at.run()
    captions = " ".join(c.value for c in at.caption)
    assert "The 25 countries with the most stations, of 44 in this view." in captions


def test_a_selection_outside_the_filtered_view_is_cleared_with_a_notice():
    at = start({"country": "CA", "station": "nl-rotterdam-1"})
    infos = " ".join(i.value for i in at.info).replace("\\", "")
    assert "Station nl-rotterdam-1 is not in this view, so it is no longer selected." in infos
    assert "station" not in at.query_params
    assert at.query_params["country"] == "CA"


def test_the_embed_has_no_sidebar_search_or_tabs_and_links_to_the_full_view():
    at = start({"mode": "embed", "country": "IE", "station": "ie-dublin-1"})
    assert len(at.sidebar) == 0  # no language switch, filters or files
    assert [t.key for t in at.text_input] == []  # no search box
    assert len(at.tabs) == 0
    assert showing(at)[0] == 1
    text = " ".join(m.value for m in at.markdown)
    assert "Fuzhou Police Overseas Service Station \\(Dublin\\)" in text
    full = next(h.proto.body for h in at.get("html") if "st-embed-full" in h.proto.body)
    assert "?country=IE&amp;station=ie-dublin-1" in full
    assert "mode=" not in full
    assert at.query_params["mode"] in ("embed", ["embed"])
