"""The page's text about its data: what each line says, and that data in it stays text."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard import panels, texts
from dashboard.data import Problem, Rejection
from dashboard.filters import Filters
from dashboard.panels import Coverage
from dashboard.places import Place
from dashboard.sources import NO_ORIGIN, Origin
from tests.helpers import response, station

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "**bold** _it_ `code`",
    "$x$ :red[y] :smile:",
    "<script>alert(2)</script>",
]
# Markdown's escapes (`\*`, `\<`...): `panels.md_text` escapes every ASCII punctuation character.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
AMSTERDAM = Place("Amsterdam, Netherlands", 52.37403, 4.88969, "dataset")


def shown(markdown: str) -> str:
    """The text a reader sees, roughly: escapes dropped, emphasis marks of the labels kept."""
    return ESCAPE.sub(r"\1", markdown)


def assert_inert(markdown: str) -> None:
    """Outside its escapes, `markdown` has nothing that makes HTML, maths, code, a colour
    directive, an emoji or a link other than https."""
    bare = ESCAPE.sub("", markdown)
    assert not re.search(r"[<>$`]|:\w+[:\[]", bare), bare
    assert all(url.startswith("https://") for url in re.findall(r"\]\(([^)\s]*)", bare))


def assert_shown_as_text(markdown: str, payload: str) -> None:
    """`payload` is in `markdown` escaped, never as it is, and the rest is inert."""
    assert panels.md_text(payload) in markdown
    assert payload not in markdown
    assert_inert(markdown)


def frame(*rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def hostile_station(payload: str) -> tuple[dict[str, object], pd.DataFrame]:
    """A station with `payload` in every field (but the first report's date, which the status
    history counts from), and a closure order about it with `payload` in every free field."""
    record: dict[str, object] = dict.fromkeys(station(), payload)
    record["first_reported_date"] = "2022-09"
    about = response(station_id=payload, country_code=payload, actor=payload, summary=payload) | {
        "source_url": payload
    }
    return record, frame(about)


def rejected(file: str, problems: int) -> Rejection:
    """A file rejected for `problems` problems, on lines 1, 2, ..."""
    return Rejection(file, tuple(Problem(n + 1, None, None, "why") for n in range(problems)))


@pytest.mark.parametrize(
    ("origin", "lang", "expected"),
    [
        (Origin("bundled", "stations.csv"), "en", "the bundled stations.csv"),
        (Origin("bundled", "stations.csv"), "zh", "内置的 stations.csv"),
        (NO_ORIGIN, "zh", "无政府回应数据"),
        (Origin("upload", "mine.csv"), "zh", "mine.csv"),
    ],
)
def test_data_origin_is_in_the_readers_language_but_file_names_stay(origin, lang, expected):
    assert texts.origin_text(origin, lang) == expected


def test_a_rejected_file_names_its_problem_with_the_file_name_escaped():
    report = texts.problem_text(rejected("<b>mine</b>.csv", 1), "en")
    assert report.error.startswith("Not used: \\<b\\>mine\\<\\/b\\>\\.csv\\: 1 problem.")
    assert report.lines == "  line 1: why"


@pytest.mark.parametrize(
    ("problems", "lang", "last_line", "cut"),
    [
        (3, "en", "  line 3: why", False),
        (5, "en", "  line 5: why", False),
        (6, "en", "  … and 1 more (download the full list)", True),
        (1007, "zh", "  ……还有 1,002 个（请下载完整列表）", True),
    ],
)
def test_problems_past_the_limit_are_cut_with_how_many_more(problems, lang, last_line, cut):
    report = texts.problem_text(rejected("f.csv", problems), lang, max_lines=5)
    assert report.lines.splitlines()[-1] == last_line
    assert report.cut == cut
    assert len(report.lines.splitlines()) == min(problems, 5) + cut


def test_only_the_first_thousand_problems_are_shown_by_default():
    assert texts.problem_text(rejected("f.csv", 1001), "en").cut
    assert not texts.problem_text(rejected("f.csv", 1000), "en").cut


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (
            None,
            "en",
            "**Showing 2 of 5 stations in 1 country** · data last reviewed 30 November 2026",
        ),
        (
            dt.date(2022, 9, 12),
            "en",
            "**As of 12 September 2022: 2 stations reported so far** · "
            "Showing 2 of 5 stations in 1 country",
        ),
        (
            dt.date(2022, 9, 12),
            "zh",
            "**截至 2022年9月12日：已报道 2 个服务站** · 显示 5 个服务站中的 2 个，分布于 1 个国家",
        ),
    ],
)
def test_count_line_says_how_many_and_as_of_when(day, lang, expected):
    two = frame(station(), station(station_id="nl-rotterdam-2"))
    line = texts.count_line(two, 5, day, "2026-11-30", lang)
    assert shown(line) == expected


def test_place_line_names_the_place_its_coordinates_and_how_it_was_found():
    line = texts.place_line(AMSTERDAM, 60.0, None, "en")
    assert shown(line) == (
        "Within 60 km of Amsterdam, Netherlands (52.374, 4.890; found in the dataset)."
    )


def test_with_nothing_in_range_the_place_line_names_the_nearest_station_first():
    milan = station(name="Milan liaison site", city="Milan", country="Italy")
    line = texts.place_line(AMSTERDAM, 50.0, (milan, 838.4), "en")
    assert shown(line).startswith(
        "No station within 50 km of Amsterdam, Netherlands. The nearest is Milan liaison site "
        "(Milan, Italy), 838 km away. Within 50 km of Amsterdam"
    )


def test_place_line_in_chinese():
    line = texts.place_line(Place("多伦多", 43.7, -79.4, "gazetteer"), 1500.0, None, "zh")
    assert shown(line) == "距 多伦多 1500 公里以内（43.700, -79.400；来源：离线地名库）。"


def test_coverage_line_counts_against_the_reports_and_links_both():
    line = texts.coverage_line(Coverage(102, 18, 4, 84, 3), "en")
    assert shown(line).startswith(
        "Safeguard Defenders reported 102 stations in 53 countries. This data identifies 18 "
        "of them, 4 only to their country"
    )
    links = re.findall(r"\[([^\]]+)\]\((https://[^)]+)\)", line)
    assert links == [(r.title, r.url) for r in panels.REPORTS]
    assert "(12 September 2022)" in line


def test_coverage_line_dates_the_reports_in_chinese():
    assert "(2022年12月5日)" in texts.coverage_line(Coverage(102, 0, 0, 102, 0), "zh")


def test_station_heading_is_its_name_under_the_page_title():
    heading, _ = texts.station_markdown(
        station(name="Station (Rotterdam)"), frame(response()), "en"
    )
    assert heading == "## Station \\(Rotterdam\\)"


@pytest.mark.parametrize(
    ("status", "lang", "expected"),
    [
        (
            "closed",
            "en",
            "**Status:** Said to be closed (closed, 2022-11-01): The host government or the PRC "
            "side said it closed",
        ),
        # No raw code on a Chinese page: the label, the date and the meaning.
        ("closed", "zh", "**状态:** 据称已关闭 (2022-11-01): 东道国政府或中方称其已关闭"),
        ("reported", "en", "**Status:** Reported (alleged) (reported, 2022-11-01): Alleged in"),
    ],
)
def test_status_line_shows_its_label_date_and_meaning_and_in_english_its_code(
    status, lang, expected
):
    _, blocks = texts.station_markdown(station(status=status), frame(response()), lang)
    assert shown(blocks[0]).startswith(expected)


def test_sources_are_links_with_their_archived_copies():
    _, blocks = texts.station_markdown(station(), frame(response()), "en")
    assert blocks[2] == (
        "**Sources:** [example\\.org](https://example.org/a) "
        "[\\[archive\\]](https://web.archive.org/web/https://example.org/a) · "
        "[example\\.org](https://example.org/b) "
        "[\\[archive\\]](https://web.archive.org/web/https://example.org/b)"
    )


def test_every_field_with_a_value_is_listed_one_a_line_and_no_empty_row():
    _, blocks = texts.station_markdown(station(address=""), frame(response()), "en")
    lines = shown(blocks[3]).split("  \n")
    assert lines[0] == "**ID:** nl-rotterdam-1"
    assert not any(line.startswith("**Address:**") for line in lines)
    _, blocks = texts.station_markdown(station(address="Capel Street"), frame(response()), "en")
    assert "**Address:** Capel Street" in shown(blocks[3]).split("  \n")
    assert "**Location precision:** city: " in shown(blocks[3])
    # Status, summary and sources have lines of their own above.
    assert not any(line.startswith(("**Summary:", "**Sources:", "**Status:")) for line in lines)


def test_status_history_lists_each_dated_step_with_its_source():
    responses = frame(
        response(),
        response(response_id="nl-r02", date="2022-10-01", response_type="investigation"),
    )
    _, blocks = texts.station_markdown(station(), responses, "en")
    assert shown(blocks[4]) == "**Status history (derived; rules in data/README.md)**"
    assert shown(blocks[5]).splitlines() == [
        "- **2022-09** · Reported (alleged) · First reported by Safeguard Defenders "
        "([example.org](https://example.org/a))",
        "- **2022-10-01** · Under investigation · Investigation (Dutch Ministry of Foreign "
        "Affairs) ([example.org](https://example.org/c))",
        "- **2022-11-01** · Said to be closed · Closure order (Dutch Ministry of Foreign "
        "Affairs) ([example.org](https://example.org/c))",
    ]


@pytest.mark.parametrize(
    ("count", "lang", "expected"),
    [
        (0, "en", "**Government responses about it or its country (0)**"),
        (3, "zh", "**关于该服务站或其所在国的政府回应（3）**"),
    ],
)
def test_responses_heading_counts_them(count, lang, expected):
    assert texts.responses_heading(count, lang) == expected


def test_timeline_lists_each_response_with_kind_actor_and_source():
    timeline = frame(response(), response(response_id="nl-r02", source_url="http://x.org"))
    lines = texts.timeline_markdown(timeline, "zh").splitlines()
    assert shown(lines[0]) == (
        "- **2022-11-01** · 关闭令 · Dutch Ministry of Foreign Affairs: Told the Chinese "
        "ambassador the stations must close. ([example.org](https://example.org/c) "
        "[[存档]](https://web.archive.org/web/https://example.org/c))"
    )
    assert shown(lines[1]).endswith("(http://x.org (不是有效的 https 链接))")


def test_no_responses_make_no_lines():
    assert texts.timeline_markdown(frame(response()).head(0), "en") == ""


@pytest.mark.parametrize(
    ("version", "commit", "lang", "expected"),
    [
        (
            "1.2.0",
            "0123456789abcdef",
            "en",
            "**Data version:** 1.2.0, reviewed 2026-11-30, commit 0123456789ab",
        ),
        (
            None,
            None,
            "en",
            "**Data version:** not stated for these files (they are not the bundled data), "
            "commit -",
        ),
        ("1.2.0", "abc", "zh", "**数据版本:** 1.2.0，核查于 2026-11-30，提交 abc"),
    ],
)
def test_version_line_states_the_datas_version_or_that_none_is_stated(
    version, commit, lang, expected
):
    assert shown(texts.version_line(version, "2026-11-30", commit, lang)) == expected


@pytest.mark.parametrize(
    ("query", "page_url", "link"),
    [
        ("country=NL", "https://host/app?country=IE&q=x", "Link: https://host/app?country=NL"),
        ("", "https://host/app?country=IE", "Link: https://host/app"),
        ("country=NL", None, None),
    ],
)
def test_citation_links_to_the_view_on_this_page(query, page_url, link):
    now = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    cite = texts.cite_text(
        query, page_url, "1.2.0", "2026-11-30", "0123456789abcdef", now, "https://s.org/p/"
    )
    assert cite.startswith(
        'Alleged Chinese overseas police "service stations" dashboard (data version 1.2.0, '
        "reviewed 2026-11-30, commit 0123456789ab)."
    )
    assert cite.splitlines()[1:] == ["Data: https://s.org/p/data/1.2.0/", *([link] if link else [])]


@pytest.mark.parametrize(
    ("version", "page_url", "data"),
    [
        ("1.2.0", "https://host/app?country=NL", "Data: https://host/published/data/1.2.0/"),
        ("1.2.0", None, "Data: /published/data/1.2.0/"),
        (None, "https://host/app", None),
    ],
)
def test_citation_names_the_versioned_data_address(monkeypatch, version, page_url, data):
    monkeypatch.delenv("DASHBOARD_SITE_URL", raising=False)
    now = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    cite = texts.cite_text("", page_url, version, "2026-11-30", None, now)
    found = [line for line in cite.splitlines() if line.startswith("Data: ")]
    assert found == ([data] if data else [])


def test_cite_heading_in_chinese():
    assert texts.cite_heading("zh") == "**引用此视图**"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_every_field_of_a_station_stays_text(payload):
    record, responses = hostile_station(payload)
    heading, blocks = texts.station_markdown(record, responses, "en")
    status, summary, sources, fields, _, steps, permanent = blocks
    timeline = texts.timeline_markdown(panels.responses_for_station(responses, record), "en")
    for markdown in [heading, status, summary, timeline, *fields.split("  \n")]:
        if not markdown.startswith("**First reported:**"):
            assert_shown_as_text(markdown, payload)
    for markdown in [sources, *steps.splitlines()]:
        assert_inert(markdown)
    assert panels.md_text(payload) in steps.splitlines()[1]  # the response's actor
    # The id (here the payload) is percent-encoded into the address: one link, nothing else.
    target = re.fullmatch(r"\[[^\]]+\]\(([^()\s<>`]+)\)", permanent)
    assert target is not None, permanent


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_the_lines_above_the_map_and_in_about_stays_text(payload):
    nearest = station(name=payload, city=payload, country=payload)
    lines = [
        texts.place_line(Place(payload, 1.0, 2.0, "online"), 50.0, (nearest, 9.0), "en"),
        texts.version_line(payload, "2026-11-30", payload, "en"),
        texts.problem_text(rejected(payload, 1), "en").error,
    ]
    for markdown in lines:
        assert_shown_as_text(markdown, payload)


@pytest.mark.parametrize(
    ("checked", "stale"),
    [("2026-12-01", False), ("2025-12-06", False), ("2025-12-05", True)],
)
def test_a_stations_age_says_when_it_changed_and_was_checked_and_marks_a_stale_row(checked, stale):
    from dashboard.versions import Release

    record = station(last_checked=checked)
    line, old = texts.age_line(
        record, Release("1.2.0", "2026-12-06", ""), dt.date(2026, 12, 6), "en"
    )
    assert "data version 1\\.2\\.0 \\(6 December 2026\\)" in line
    assert "last checked" in line
    assert old is stale
    assert ("more than a year" in line) is stale


def test_a_station_of_unversioned_data_gives_only_its_check_day_in_chinese():
    line, old = texts.age_line(station(last_checked="2026-11-30"), None, dt.date(2026, 12, 6), "zh")
    assert line.startswith("来源最近核对于 2026年11月30日")
    assert not old


def _change(**fields):
    from dashboard.changes import Change

    base = {
        "kind": "response",
        "date": "2025-07",
        "country_code": "FR",
        "station_id": None,
        "response_id": "fr-r06",
        "title": "France: Statement (Interior Ministry)",
        "summary": "s",
        "source_url": "https://example.org/a",
        "key": "response:fr-r06",
        "response_type": "statement",
    }
    return Change(**{**base, **fields})


def test_the_changes_list_dates_names_and_sources_each_change_in_the_readers_language():
    listed = texts.changes_markdown(
        [
            _change(recorded="1.2.0"),
            _change(kind="status", status="closed", response_id=None, key="status:x"),
        ],
        dt.date(2025, 1, 1),
        "zh",
    )
    first, second = listed.splitlines()
    assert first.startswith("- **2025\\-07** · 声明")
    assert "该记录于数据版本 1\\.2\\.0 新增或更正" in first
    assert "[example.org]" in first or "example.org" in first
    assert "状态变为 已关闭" in second or "状态变为" in second


def test_nothing_changed_is_said_with_the_day():
    assert "1 January 2025" in texts.changes_markdown([], dt.date(2025, 1, 1), "en")


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_a_change_stays_text(payload):
    listed = texts.changes_markdown(
        [_change(subject=payload, date=payload, source_url=payload)], dt.date(2025, 1, 1), "en"
    )
    assert_shown_as_text(listed, payload)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), "Filters: none (all stations)"),
        (Filters(countries=("NL", "CA")), "Filters: in Netherlands or CA"),
        (Filters(statuses=("closed", "made_up")), "Filters: status Said to be closed or made_up"),
        (Filters(bureaus=("Fuzhou",)), "Filters: bureau Fuzhou"),
        (Filters(listed_in=("other",)), "Filters: listed in Other sources"),
        (
            Filters(response_types=("raid", "closure")),
            "Filters: where the government did: Raid / search or Closure",
        ),
        (Filters(query="Chinatown"), "Filters: matching “Chinatown”"),
        (Filters(date_from="2022-09", date_to="2023"), "Filters: first reported 2022-09 to 2023"),
        (Filters(date_from="2022-09"), "Filters: first reported from 2022-09"),
        (Filters(date_to="2023-12"), "Filters: first reported until 2023-12"),
        (Filters(as_of="2022-10-01"), "Filters: as of 1 October 2022"),
        (Filters(as_of="not a day"), "Filters: as of not a day"),
        (Filters(near="Amsterdam"), "Filters: within 50 km of Amsterdam"),
        (Filters(near="Amsterdam", km=12.5), "Filters: within 12.5 km of Amsterdam"),
        (Filters(station="nl-rotterdam-1"), "Filters: station nl-rotterdam-1"),
        (
            Filters(countries=("NL",), query="x", as_of="2022-10-01"),
            "Filters: in Netherlands; matching “x”; as of 1 October 2022",
        ),
    ],
)
def test_filter_words_name_every_kind_of_filter(filters, expected):
    assert texts.filter_words(filters, "en", {"NL": "Netherlands"}) == expected


@pytest.mark.parametrize("value", [*HOSTILE, "{count} {0}", "x" * 10_000, "\u202eevil"])
def test_filter_words_keep_hostile_values_as_plain_text(value):
    filters = Filters(countries=("NL",), query=value, near=value, station=value)
    words = texts.filter_words(filters, "en", {"NL": value})
    assert words.count(value) == 4


def test_filter_words_in_chinese():
    words = texts.filter_words(Filters(statuses=("closed",), as_of="2022-10-01"), "zh")
    assert words == "筛选：状态为据称已关闭；截至2022年10月1日"


@pytest.mark.parametrize(
    ("environ", "site", "expected"),
    [
        ({}, None, "/published/station/nl-rotterdam-1/"),
        ({"DASHBOARD_SITE_URL": "https://example.org/stations"}, None,
         "https://example.org/stations/station/nl-rotterdam-1/"),
        ({}, "../site/", "../site/station/nl-rotterdam-1/"),
    ],
)  # fmt: skip
def test_station_panel_links_to_its_permanent_page(monkeypatch, environ, site, expected):
    monkeypatch.delenv("DASHBOARD_SITE_URL", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    _, blocks = texts.station_markdown(station(), frame(response()), "en", site)
    assert blocks[-1] == f"[Permanent page of this station]({expected})"


def _view(stations, responses, filters=None, place=None):
    from dashboard.urlstate import Display
    from dashboard.view import Data, make_view

    data = Data(stations, responses, "1.0.0")
    return make_view(data, filters or Filters(), Display(), dt.date(2026, 12, 6), place)


def test_the_written_view_says_how_many_where_by_status_and_the_strongest_responses(
    stations, responses
):
    view = _view(stations, responses, Filters(countries=("NL", "US")))
    text = texts.view_description(view, "en")
    assert text.startswith(f"The map shows {len(view.stations)} of {len(stations)} stations")
    assert "2 countries (Netherlands, United States)" in text
    assert "By status:" in text
    assert "1 Said to be closed" in text or "Said to be closed" in text
    assert "Strongest government response recorded: Charges or conviction in United States" in text


def test_the_written_view_names_the_day_and_the_place_and_reads_in_chinese(stations, responses):
    rotterdam = Place("Rotterdam, Netherlands", 51.9225, 4.4792, "dataset")
    view = _view(stations, responses, Filters(as_of="2022-10-01", near="Rotterdam", km=30.0),
                 rotterdam)  # fmt: skip
    assert "As they stood on 1 October 2022." in texts.view_description(view, "en")
    assert "Within 30 km of Rotterdam, Netherlands." in texts.view_description(view, "en")
    chinese = texts.view_description(view, "zh-Hans")
    assert "荷兰" in chinese
    assert "2022年10月1日" in chinese
    assert "的情况" in chinese


def test_an_empty_view_says_so(stations, responses):
    view = _view(stations, responses, Filters(query="no such place anywhere"))
    assert texts.view_description(view, "en") == (
        f"The map shows none of the {len(stations)} stations."
    )


def test_a_chinese_page_names_the_precision_and_listing_instead_of_their_codes():
    _, blocks = texts.station_markdown(station(), frame(response()), "zh-Hans")
    fields = shown(blocks[3])
    assert "city:" not in fields
    assert "110 Overseas (2022-09):" not in fields


def test_a_stacked_table_names_each_value_by_its_column_and_escapes_every_text():
    frame = pd.DataFrame(
        {"country": ["<b>Ne</b>therlands"], "stations": [2], "latest": ['"><img onerror=x>']}
    )
    out = texts.stacked_table(frame, "Per <country>")
    assert "<b>" not in out
    assert "<img" not in out
    assert "<country>" not in out
    assert '<th scope="row" role="rowheader">&lt;b&gt;Ne&lt;/b&gt;therlands</th>' in out
    assert '<td role="cell" data-label="stations">2</td>' in out
    assert 'data-label="latest">&quot;&gt;&lt;img onerror=x&gt;</td>' in out
    assert out.count('scope="col"') == 3
    assert "<caption>Per &lt;country&gt;</caption>" in out


@pytest.mark.parametrize(
    ("page", "query", "link"),
    [
        (
            "https://maps.example/?embed=true&country=NL#x",
            "country=NL",
            "https://maps.example/?country=NL",
        ),
        ("https://maps.example/app/", "", "https://maps.example/app/"),
        (None, "country=NL", "?country=NL"),
    ],
)
def test_the_embeds_link_to_the_full_explorer_keeps_the_page_and_takes_the_views_query(
    page, query, link
):
    assert texts.explorer_link(page, query) == link
