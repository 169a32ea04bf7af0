"""The interface in English and 简体中文: no UI string lacks a translation, and a Chinese page
shows no English interface text (data values stay as the data has them)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from dashboard import i18n, panels, rules, session
from dashboard.i18n import MESSAGES, ONLY_IN_TRANSLATION, Msg, msg, placeholders, t
from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    RESPONSE_TYPE_DEFINITIONS,
    STATIONS,
    STATUS_DEFINITIONS,
)
from tests.helpers import station, write
from tests.test_app import start

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
FILTERS_PY = ROOT / "dashboard" / "filters.py"  # draws the filters' widgets
CJK = re.compile(r"[\u4e00-\u9fff]")
# Written the same in both languages on purpose.
SAME_IN_BOTH = {"col_station_id", "field_station_id"}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    en, zh = MESSAGES[key]["en"], MESSAGES[key]["zh"]
    assert zh.strip(), f"{key} has no Chinese"
    assert en.strip() or key in ONLY_IN_TRANSLATION, f"{key} has no English"
    if en:
        assert placeholders(en) == placeholders(zh), key
    if key not in SAME_IN_BOTH and not key.startswith("bureau."):
        assert CJK.search(zh), f"{key}: {zh!r} is not Chinese"


@pytest.mark.parametrize(
    ("prefix", "codes"),
    [
        ("status.", STATUS_DEFINITIONS),
        ("status_meaning.", STATUS_DEFINITIONS),
        ("rtype.", RESPONSE_TYPE_DEFINITIONS),
        ("precision.", PRECISION_DEFINITIONS),
        ("precision_name.", PRECISION_DEFINITIONS),
        ("listed_in.", LISTED_IN_DEFINITIONS),
        ("listed_name.", LISTED_IN_DEFINITIONS),
        ("bureau.", BUREAU_DEFINITIONS),
        ("field_", STATIONS.names),
        ("col_", panels.TABLE_COLUMNS),
        ("tier_", [*rules.RESPONSE_TIERS, rules.NO_RESPONSE]),
    ],
)
def test_every_schema_value_the_page_names_has_a_translation(prefix, codes):
    missing = [code for code in codes if f"{prefix}{code}" not in MESSAGES]
    assert missing == []


def test_a_message_decided_now_is_worded_in_the_language_shown_later():
    notice = msg("bad_lang", value="'xx'")
    assert notice.text("en") == "Language lang='xx' is not one of: en, zh; English is shown."
    assert notice.text("zh").startswith("语言 lang='xx'")
    assert str(notice) == notice.text("en")
    with pytest.raises(KeyError):
        msg("no_such_message")


def test_an_unknown_language_falls_back_to_english():
    assert t("filters", "fr") == "Filters"
    assert i18n.language("zh") == "zh"
    assert i18n.language("<script>") == "en"


def test_status_and_response_names_are_translated():
    assert i18n.status_label("investigating", "zh") == "调查中"
    assert i18n.response_label("closure_order", "zh") == "关闭令"
    assert i18n.status_label("made_up", "zh") == "made_up"


SHOWS_TEXT = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning",
    "error", "success", "button", "download_button", "multiselect", "selectbox", "radio",
    "text_input", "number_input", "date_input", "select_slider", "slider", "toggle", "checkbox",
    "expander", "tabs", "spinner", "file_uploader", "metric", "set_page_config",
}  # fmt: skip


def _literal_texts_given_to_streamlit(tree: ast.AST) -> list[str]:
    """Literal words given as the text of a Streamlit element (label, help, placeholder...)."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in SHOWS_TEXT:
            continue
        texts = list(node.args[:1]) + [
            k.value
            for k in node.keywords
            if k.arg in ("label", "help", "placeholder", "body", "page_title", "file_name")
        ]
        texts += [e for text in texts if isinstance(text, ast.List) for e in text.elts]
        for text in texts:
            if isinstance(text, ast.JoinedStr):  # only the f-string's own words, not its values
                words = "".join(v.value for v in text.values if isinstance(v, ast.Constant))
            else:
                words = text.value if isinstance(text, ast.Constant) else ""
            if isinstance(words, str) and re.search(r"[A-Za-z]{3}", words):
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return found


@pytest.mark.parametrize("path", [APP, FILTERS_PY], ids=lambda path: path.name)
def test_the_layout_passes_no_untranslated_text_to_streamlit(path):
    literal = _literal_texts_given_to_streamlit(ast.parse(path.read_text()))
    # The language switch's own label is written in both languages on purpose; the problems
    # file keeps its name.
    assert [x for x in literal if "Language / 语言" not in x and "problems.txt" not in x] == []


# English interface text long enough not to occur in the data by chance.
def _english_fragments() -> set[str]:
    out = set()
    for key, texts in MESSAGES.items():
        if key == "language":
            continue  # the switch's label is in both languages on purpose
        if key.split(".")[0] in ("status_meaning", "precision", "listed_in", "bureau"):
            continue  # definitions echo the data's own wording
        for piece in re.split(r"\{[^}]*\}", texts["en"]):
            words = piece.strip(" .,:;()…").split()
            if len(words) >= 3:
                out.add(" ".join(words))
    return out


def _visible_texts(at: AppTest) -> list[str]:
    """Every string of every element on the page (labels, bodies, helps, options, columns)."""
    out: list[str] = []

    def strings(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("data", "arrowData", "id", "formId", "datasets", "url"):
                    strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            strings(MessageToDict(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns]
    return out


def _run(
    query: dict[str, str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...] = ()
) -> AppTest:
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")  # no place is looked up online in a test
    return start(query, list(argv))


def test_a_chinese_page_shows_no_english_interface_text(monkeypatch):
    # A selected station (details, history, sources), a bad parameter (notice), a place that
    # cannot be found offline (message) and an as-of date: most of the page's text at once.
    at = _run(
        {
            "lang": "zh",
            "station": "nl-rotterdam-1",
            "utm_source": "x",
            "near": "Nowhereville-on-Sea",
            "asof": "2025-01-01",
            "since": "2022-11-01",
        },
        monkeypatch,
    )
    texts = _visible_texts(at)
    page = "\n".join(texts).replace("\\", "")
    assert "被指称的中国海外警务“服务站”" in page
    english = sorted(f for f in _english_fragments() if f in page)
    assert english == []
    labels = [w.label for w in (*at.multiselect, *at.text_input, *at.button, *at.tabs)]
    assert len(labels) > 10
    assert [label for label in labels if not CJK.search(label)] == []


def test_switching_language_rewords_the_page_and_the_link(monkeypatch):
    at = _run({"country": "NL"}, monkeypatch)
    assert at.title[0].value.startswith("Alleged")
    at.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == t("title", "zh")
    assert at.query_params["lang"] == "zh"
    assert at.query_params["country"] == "NL"
    at.radio(key="lang").set_value("en").run()
    assert "lang" not in at.query_params


def test_a_bad_language_in_the_link_gives_an_english_page_and_a_notice(monkeypatch):
    at = _run({"lang": "<b>xx</b>"}, monkeypatch)
    assert at.title[0].value.startswith("Alleged")
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "lang='<b>xx</b>'" in warnings


def test_notices_follow_the_language_switch(monkeypatch):
    at = _run({"zzz": "1"}, monkeypatch)
    assert any("Unknown link parameter" in w.value for w in at.warning)
    at.radio(key="lang").set_value("zh").run()
    assert any("未知的链接参数" in w.value for w in at.warning)
    # Kept as messages (not as text in the first language), so they follow the switch.
    assert all(isinstance(n, Msg) for n in at.session_state[session.STATE].notices)


def test_a_broken_file_is_reported_in_chinese_with_its_details(monkeypatch, tmp_path):
    bad = write(tmp_path / "bad.csv", [station(latitude="123.4")])
    at = _run({"lang": "zh"}, monkeypatch, ("--stations", str(bad)))
    error = at.error[0].value.replace("\\", "")
    assert error.startswith("未采用：")
    assert "之前使用的数据继续有效" in error
    assert any("以下问题明细为英文" in c.value for c in at.caption)
    assert "latitude" in at.code[0].value  # the line-by-line detail, naming the column
    assert at.title[0].value == t("title", "zh")  # the bundled data is shown instead


@pytest.mark.parametrize("value", ["zh", "ZH", "zh-CN", "zh_Hans", "zh-TW"])
def test_chinese_link_forms_give_the_chinese_page(monkeypatch, value):
    at = _run({"lang": value}, monkeypatch)
    assert at.title[0].value == t("title", "zh")
    assert list(at.warning) == []


@pytest.mark.parametrize(
    ("count", "en", "zh"),
    [
        (1, "1 station", "1 个服务站"),
        (2, "2 stations", "2 个服务站"),
        (0, "0 stations", "0 个服务站"),
    ],
)
def test_counts_take_the_right_plural(count, en, zh):
    assert i18n.plural("n_stations", count, "en") == en
    assert i18n.plural("n_stations", count, "zh") == zh


def test_long_dates_in_both_languages():
    import datetime as dt

    day = dt.date(2022, 10, 1)
    assert i18n.long_date(day, "en") == "1 October 2022"
    assert i18n.long_date(day, "zh") == "2022年10月1日"


def test_the_changes_tab_in_chinese_shows_no_english_interface_text(monkeypatch):
    at = _run({"lang": "zh", "since": "2022-11-01"}, monkeypatch)
    page = "\n".join(_visible_texts(at)).replace("\\", "")
    assert "状态变为" in page  # the Changes tab is open
    assert sorted(f for f in _english_fragments() if f in page) == []
