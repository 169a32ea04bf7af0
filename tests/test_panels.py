"""Panel data: counts, a station's full record, dated timelines, and text that stays text."""

from __future__ import annotations

import datetime as dt
from typing import get_type_hints

import pandas as pd
import pytest

from dashboard import history, panels, rules
from dashboard.i18n import t
from dashboard.maps import STATUS_STYLES
from dashboard.schema import STATIONS, STATUS_DEFINITIONS, StationRecord


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "$x^2$ and :red[colour] and :smile:",
        "**bold** _it_ `code` # heading",
        "line\nbreak",
    ],
)
def test_md_text_escapes_every_markdown_character(text):
    escaped = panels.md_text(text)
    for char in "[]()<>$:*_`#":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == char)
    assert "\n" not in escaped


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.bbc.com/news/articles/crgndy37n16o", True),
        ("https://example.org/a_(b)", True),
        ("http://example.org", False),
        ("javascript:alert(1)", False),
        ("https://exa mple.org", False),
    ],
)
def test_only_https_urls_become_links(url, ok):
    link = panels.md_link(url)
    assert link.startswith("[") == ok
    if ok:
        assert "(b)" not in link.split("](", 1)[1][:-1]


def test_publisher_is_the_domain():
    assert panels.publisher("https://www.bbc.com/news/x") == "bbc.com"


def test_status_counts_cover_every_status(stations):
    counts = panels.status_counts(stations)
    assert list(counts["status"]) == [STATUS_STYLES[s].label for s in STATUS_DEFINITIONS]
    assert counts["stations"].sum() == len(stations)


def test_status_counts_in_chinese_name_statuses_in_chinese(stations):
    counts = panels.status_counts(stations, "zh")
    assert list(counts.columns) == ["状态", "服务站", "含义"]
    assert "调查中" in list(counts["状态"])


def test_station_record_holds_every_field(stations):
    record = panels.station_record(stations, "nl-rotterdam-1")
    assert set(record) == set(stations.columns)
    labels = [label for label, _ in panels.station_fields(record)]
    assert "Location precision" in labels
    assert panels.sources_of(record)[0].startswith("https://")
    assert panels.station_record(stations, "zz-none-1") is None


def test_a_chinese_page_names_the_country_in_its_script_with_the_datas_name_after(stations):
    record = panels.station_record(stations, "nl-rotterdam-1")
    fields = {
        lang: dict(panels.station_fields(record, lang)) for lang in ("en", "zh-Hans", "zh-Hant")
    }
    assert fields["en"]["Country"] == "Netherlands"
    assert fields["zh-Hans"]["国家"] == "荷兰 (Netherlands)"
    assert fields["zh-Hant"]["國家"] == "荷蘭 (Netherlands)"


def test_the_station_record_type_declares_the_schemas_columns_in_order():
    kinds = {c.name: c.kind for c in STATIONS.columns}
    fields = get_type_hints(StationRecord)
    assert list(fields) == list(kinds)
    assert {n: fields[n] for n in kinds} == {
        n: float if kind == "number" else str for n, kind in kinds.items()
    }


def test_a_station_record_holds_the_types_it_declares(stations):
    record = panels.station_record(stations, "nl-rotterdam-1")
    for name, kind in get_type_hints(StationRecord).items():
        assert isinstance(record[name], kind), (name, record[name])


def test_station_timeline_has_its_own_and_country_responses_in_date_order(stations, responses):
    record = panels.station_record(stations, "nl-rotterdam-1")
    timeline = panels.responses_for_station(responses, record)
    assert set(timeline["country_code"]) == {"NL"}
    assert set(timeline["station_id"].fillna("")) <= {"", "nl-rotterdam-1"}
    keys = [rules.date_key(d) for d in timeline["date"]]
    assert keys == sorted(keys)
    assert len(timeline) >= 2


def test_country_timelines_follow_the_filtered_countries(stations, responses):
    dutch_irish = stations[stations["country_code"].isin(["NL", "IE"])]
    timelines = panels.country_timelines(responses, dutch_irish)
    assert [code for code, _, _ in timelines] == ["IE", "NL"]
    assert all(set(t["country_code"]) <= {code} for code, _, t in timelines)


def test_chart_data(stations, responses):
    per_country = panels.stations_per_country(stations)
    assert per_country["stations"].sum() == len(stations)
    per_year = panels.responses_per_year(responses)
    assert per_year["responses"].sum() == len(responses)


def test_table_rows_are_capped_and_carry_the_first_source(stations):
    rows = panels.table_rows(stations, limit=10)
    assert len(rows) == 10
    assert list(rows.columns) == [t(f"col_{c}", "en") for c in panels.TABLE_COLUMNS]
    assert rows.at[0, "first source"] == stations.iloc[0]["sources"].split(" ")[0]
    assert rows.at[0, "status"] == STATUS_STYLES[stations.iloc[0]["status"]].label


def test_table_rows_in_chinese_have_chinese_headers_and_status_words(stations):
    rows = panels.table_rows(stations, limit=5, lang="zh")
    assert {"名称", "国家", "状态", "首要来源"} <= set(rows.columns)
    assert set(rows["状态"]) <= {t(f"status.{s}", "zh") for s in STATUS_DEFINITIONS}
    assert set(rows["位置精度"]) <= {"街道地址", "城区", "城市", "仅国家"}
    assert rows["公安局"].str.contains("福州|青田|丽水|温州|南通|不详").all()


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://www.irishtimes.com/world/europe/2022/10/26/dutch-ministry/", "2022-10-26"),
        ("https://www.elconfidencial.com/espana/madrid/2022-11-07/china-policia", "2022-11-07"),
        ("https://thediplomat.com/2023/06/chinas-overseas-police/", "2023-06"),
        ("https://www.bbc.co.uk/news/articles/crgndy37n16o", None),
        ("https://example.org/2022/02/31/not-a-day", None),
        ("https://example.org/2022/13/01/x", None),
    ],
)
def test_url_date(url, date):
    assert panels.url_date(url) == date


def test_every_source_shows_publisher_date_and_archive_link():
    url = "https://www.irishtimes.com/world/europe/2022/10/26/dutch-ministry/"
    line = panels.md_source(url)
    assert line.startswith(f"[irishtimes\\.com]({url})")
    assert "(2022\\-10\\-26)" in line
    assert f"(https://web.archive.org/web/{url})" in line
    assert panels.md_source("javascript:alert(1)").endswith("(not a valid https link)")


def steps_of(stations, responses, sid):
    return [
        (step["date"], step["status"])
        for step in history.status_history(panels.station_record(stations, sid), responses)
    ]


def test_status_history_of_the_manhattan_station(stations, responses):
    assert steps_of(stations, responses, "us-new-york-1") == [
        ("2022-09-12", "reported"),
        ("2022-10", "investigating"),
        ("2023-04-17", "prosecuted"),
        ("2024-12-18", "prosecuted"),
    ]


def test_country_responses_before_a_station_was_reported_do_not_apply(stations, responses):
    steps = steps_of(stations, responses, "ca-montreal-1")
    assert steps[0] == ("2023-03", "reported")
    assert all(date >= "2023-03" for date, _ in steps)
    assert steps[-1][1] == "investigation_closed"


def test_people_responses_prosecute_only_the_station_they_name():
    import pandas as pd

    record = {
        "station_id": "xx-a-1",
        "country_code": "NL",
        "first_reported_date": "2022-09",
        "first_reported_by": "SD",
        "sources": "https://example.org/a",
    }
    rows = pd.DataFrame(
        {
            "response_id": ["nl-r01", "nl-r02", "nl-r03"],
            "country_code": ["NL", "NL", "NL"],
            "station_id": ["", "", "xx-a-1"],
            "date": ["2022-10", "2022-11", "2023-01"],
            "actor": ["A", "B", "C"],
            "response_type": ["arrest", "closure_order", "statement"],
            "summary": ["", "", ""],
            "source_url": ["https://example.org/b"] * 3,
        }
    )
    assert [s["status"] for s in history.status_history(record, rows)] == ["reported", "closed"]


def test_as_of_october_2022_shows_only_the_september_report(stations, responses):
    import datetime as dt

    then = history.as_of(
        stations, history.responses_by(responses, dt.date(2022, 10, 1)), dt.date(2022, 10, 1)
    )
    assert set(then["listed_in"]) == {"110 Overseas (2022-09)"}
    assert len(then) == (stations["listed_in"] == "110 Overseas (2022-09)").sum()
    assert set(then["status"]) == {"reported"}


def test_as_of_agrees_with_each_station_history(stations, responses):
    import datetime as dt

    for day in (dt.date(2022, 11, 15), dt.date(2023, 6, 30), dt.date(2026, 11, 27)):
        table = history.as_of(stations, history.responses_by(responses, day), day)
        for record in table.to_dict(orient="records"):
            full = panels.station_record(stations, record["station_id"])
            steps = [
                s
                for s in history.status_history(full, responses)
                if history.period(s["date"])[1] <= day
            ]
            assert record["status"] == steps[-1]["status"], (record["station_id"], day)


def test_country_summary_says_in_words_what_the_map_shows(stations, responses):
    summary = panels.country_summary(stations, responses).set_index("country")
    assert summary["stations"].sum() == len(stations)
    assert summary.loc["Netherlands", "stations"] == 2
    assert summary.loc["Netherlands", "by status"] == (
        "1 Said to be closed, 1 Denied by host authorities"
    )
    assert summary.loc["Italy", "approximate (country only)"] == 1
    assert summary.loc["United States", "latest response"].startswith("2024-12-18: Conviction")
    assert summary.loc["United States", "strongest response"] == "Charges or conviction"
    assert summary.loc["Netherlands", "strongest response"] == "Closure, closure order or expulsion"


def test_strongest_response_ranks_prosecution_over_words(responses):
    strongest = rules.strongest_responses(responses)
    assert strongest["US"] == "prosecution"
    assert strongest["NL"] == "closure"
    assert set(strongest.values()) <= set(rules.RESPONSE_TIERS)


def test_strongest_response_of_a_made_up_country():
    frame = pd.DataFrame(
        {"country_code": ["XX", "XX", "YY"], "response_type": ["statement", "raid", "denial"]}
    )
    assert rules.strongest_responses(frame) == {"XX": "police", "YY": "denial"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (None, -1, dt.date(2026, 11, 1)),  # from today (2026-12-01 in this table)
        (dt.date(2022, 10, 1), 1, dt.date(2022, 11, 1)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),  # no 31 February
        (dt.date(2022, 12, 15), 1, dt.date(2023, 1, 15)),
        (dt.date(2026, 11, 1), 1, None),  # reaching today: no as-of date
        (dt.date(2016, 1, 15), -1, dt.date(2016, 1, 1)),  # not before the earliest day
    ],
)
def test_as_of_steps_a_month_at_a_time(day, months, expected):
    assert history.step_month(day, months, today=dt.date(2026, 12, 1)) == expected


def test_view_responses_are_those_about_its_stations_or_their_whole_countries(stations, responses):
    dutch = stations.loc[stations["country_code"] == "NL"]
    rotterdam = dutch.loc[dutch["station_id"] == "nl-rotterdam-1"]
    shown = panels.view_responses(responses, rotterdam)
    assert len(shown) > 0
    assert set(shown["country_code"]) == {"NL"}
    # About Rotterdam or about the whole country; never about the other Dutch station alone.
    assert set(shown["station_id"].fillna("")) <= {"", "nl-rotterdam-1"}
    whole = panels.view_responses(responses, dutch)
    assert len(whole) >= len(shown)
    assert list(whole["date"].map(rules.date_key)) == sorted(whole["date"].map(rules.date_key))
    assert sum(len(t) for _, _, t in panels.country_timelines(responses, dutch)) == len(whole)


def test_responses_per_year_counts_whole_responses_by_strength(responses):
    per_year = panels.responses_per_year(responses)
    assert per_year["responses"].sum() == len(responses)
    assert set(per_year["tier"]) <= set(rules.RESPONSE_TIERS)
    assert len(panels.TIER_CHART_COLOURS) == len(set(panels.TIER_CHART_COLOURS))


def test_coverage_against_the_reports():
    frame = pd.DataFrame(
        {
            "listed_in": ["110 Overseas (2022-09)", "Patrol and Persuade (2022-12)", "other"],
            "location_precision": ["city", "country", "country"],
        }
    )
    assert panels.coverage(frame) == panels.Coverage(102, 2, 1, 100, 1)


def test_markdown_tables_show_every_cell_as_text():
    frame = pd.DataFrame({"a|b": ["x | y", "<b>z</b>"], "n": [1, 2]})
    table = panels.md_table(frame)
    lines = table.splitlines()
    assert len(lines) == 4
    assert lines[0] == "| a\\|b | n |"
    assert "x \\| y" in lines[2]
    assert "\\<b\\>z\\<\\/b\\>" in lines[3]
