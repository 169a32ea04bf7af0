"""The interface in English, 简体中文 and 繁體中文: every catalog translates every message with
the same placeholders, the catalogs and their compiled files are in step with the source, the
Traditional catalog is Traditional, and a Chinese page shows no English interface text (data
values stay as the data has them)."""

from __future__ import annotations

import ast
import builtins
import datetime as dt
import re
from pathlib import Path

import opencc
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from dashboard import catalogs, i18n, panels, rules, session
from dashboard.i18n import CATALOGS, MESSAGES, ONLY_IN_TRANSLATION, Msg, msg, placeholders, t
from dashboard.schema import (
    BUREAU_DEFINITIONS,
    LISTED_IN_DEFINITIONS,
    PRECISION_DEFINITIONS,
    RESPONSE_TYPE_DEFINITIONS,
    STATIONS,
    STATUS_DEFINITIONS,
)
from scripts import draft_hant
from tests.helpers import station, write
from tests.test_app import start

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
FILTERS_PY = ROOT / "dashboard" / "filters.py"  # draws the filters' widgets
CJK = re.compile(r"[\u4e00-\u9fff]")
# Written the same in every language on purpose, or punctuation only.
NOT_WORDS = {"col_station_id", "field_station_id", "list_comma", "list_semicolon"}
TRANSLATED = sorted(CATALOGS)
TITLES = {
    "zh-Hans": "被指称的中国海外警务“服务站”",
    "zh-Hant": "被指稱的中國海外警務「服務站」",
}


def _entries(lang: str) -> dict[str, tuple[str, str]]:
    """{key: (English msgid, translation)} of a language's catalog."""
    catalog = catalogs.read(catalogs.po_path(lang))
    return {str(m.context): (str(m.id), str(m.string)) for m in catalog if m.id}


ENTRIES = {lang: _entries(lang) for lang in TRANSLATED}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_has_exactly_the_messages_of_the_source(lang):
    assert set(ENTRIES[lang]) == set(MESSAGES)
    changed = [key for key, (english, _) in ENTRIES[lang].items() if english != MESSAGES[key]]
    assert changed == [], "English changed: pybabel extract and update (CONTRIBUTING.md)"


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_translated_with_the_same_placeholders(lang, key):
    english, translated = ENTRIES[lang][key]
    assert translated.strip(), f"{key} has no {lang}"
    assert placeholders(english) == placeholders(translated), key
    if key not in NOT_WORDS and not key.startswith("bureau."):
        assert CJK.search(translated), f"{key}: {translated!r} is not Chinese"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_has_fuzzy_or_obsolete_entries(lang):
    catalog = catalogs.read(catalogs.po_path(lang))
    assert [m.context for m in catalog if m.id and m.fuzzy] == []
    assert list(catalog.obsolete) == []


def test_the_template_holds_every_message_of_the_source():
    template = catalogs.read(catalogs.TEMPLATE)
    assert {(m.context, m.id) for m in template if m.id} == set(MESSAGES.items())


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogs_are_in_step_with_the_po_files(lang):
    po = catalogs.po_path(lang)
    expected = catalogs.compiled(catalogs.read(po))
    assert po.with_suffix(".mo").read_bytes() == expected, (
        "run: pybabel compile -d dashboard/locale"
    )


def test_the_traditional_catalog_is_what_the_draft_and_the_reviews_make():
    assert draft_hant.main(["--check"]) == 0, "run: python -m scripts.draft_hant"


def test_the_traditional_catalog_has_no_simplified_characters():
    # OpenCC's s2t leaves Traditional text alone; the glossary's Taiwan forms are allowed as
    # they are (s2t would make 核查 into 覈查).
    s2t = opencc.OpenCC("s2t.json").convert
    allowed = sorted(set(catalogs.read_glossary().values()), key=len, reverse=True)
    found = []
    for key, (_, text) in ENTRIES["zh-Hant"].items():
        for term in allowed:
            text = text.replace(term, "")
        if s2t(text) != text:
            found.append(f"{key}: {text} -> {s2t(text)}")
    assert found == []


def test_the_glossary_rows_are_complete_and_each_term_is_listed_once():
    rows = catalogs.GLOSSARY.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["simplified", "taiwan", "hong_kong", "notes"]
    cells = [row.split("\t") for row in rows[1:]]
    assert [row for row in cells if len(row) != 4 or not all(c.strip() for c in row)] == []
    terms = [row[0] for row in cells]
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中华人民共和国公安局发布声明", "中華人民共和國公安局發布聲明"),
        ("报道的“服务站”", "報導的「服務站」"),
        ("国家代码", "國家代碼"),
    ],
)
def test_the_draft_takes_the_glossary_over_opencc(text, expected):
    convert = opencc.OpenCC(catalogs.HANT_CONVERSION).convert
    assert catalogs.draft(text, convert, catalogs.read_glossary()) == expected


def test_each_language_has_its_own_translations_and_none_is_installed_process_wide():
    assert t("filters", "zh-Hans") == "筛选"
    assert t("filters", "zh-Hant") == "篩選"
    assert i18n.translations("zh-Hans") is not i18n.translations("zh-Hant")
    assert "_" not in vars(builtins)


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
    assert notice.text("en") == (
        "Language lang='xx' is not one of: en, zh-Hans, zh-Hant (zh: zh-Hans); English is shown."
    )
    assert notice.text("zh-Hans").startswith("语言 lang='xx'")
    assert notice.text("zh-Hant").startswith("語言 lang='xx'")
    assert str(notice) == notice.text("en")
    with pytest.raises(KeyError):
        msg("no_such_message")


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("en", "en"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh_CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh_Hant", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("fr", "en"),
        ("<script>", "en"),
        (None, "en"),
    ],
)
def test_language_codes_are_normalised(value, lang):
    assert i18n.language(value) == lang


def test_an_unknown_language_falls_back_to_english():
    assert t("filters", "fr") == "Filters"
    assert t("filters", "zh") == t("filters", "zh-Hans")


def test_a_note_said_only_in_translation_is_empty_in_english():
    assert t("problems_english", "en") == ""
    assert t("problems_english", "zh-Hant").startswith("以下問題明細為英文")


def test_status_and_response_names_are_translated():
    assert i18n.status_label("investigating", "zh") == "调查中"
    assert i18n.response_label("closure_order", "zh") == "关闭令"
    assert i18n.response_label("statement", "zh-Hant") == "聲明"
    assert i18n.status_label("made_up", "zh") == "made_up"


@pytest.mark.parametrize(
    ("code", "lang", "name", "expected"),
    [
        ("NL", "en", "Netherlands", "Netherlands"),  # English keeps the data's name
        ("CZ", "en", "Czech Republic", "Czech Republic"),
        ("NL", "zh-Hans", "Netherlands", "荷兰"),
        ("NL", "zh-Hant", "Netherlands", "荷蘭"),
        ("KR", "zh-Hant", "South Korea", "南韓"),
        ("IT", "zh-Hant", "Italy", "義大利"),
        ("nz", "zh-Hant", None, "紐西蘭"),
        ("XK", "zh-Hans", "Kosovo", "科索沃"),
        ("QQ", "zh-Hans", "Nowhere", "Nowhere"),  # unknown to CLDR: the data's name
        ("QQ", "zh-Hans", None, "QQ"),
    ],
)
def test_country_names_come_from_cldr_in_the_page_language(code, lang, name, expected):
    assert i18n.country_label(code, lang, name) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "1,234,567.5"), ("zh-Hans", "1,234,567.5"), ("zh-Hant", "1,234,567.5")],
)
def test_numbers_are_formatted_for_the_page_language(lang, expected):
    assert i18n.number(1234567.5, lang) == expected


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
    for key, english in MESSAGES.items():
        if key == "language" or key in ONLY_IN_TRANSLATION:
            continue  # the switch's label is in both languages on purpose
        if key.split(".")[0] in ("status_meaning", "precision", "listed_in", "bureau"):
            continue  # definitions echo the data's own wording
        for piece in re.split(r"\{[^}]*\}", english):
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


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_chinese_page_shows_no_english_interface_text(monkeypatch, lang):
    # A selected station (details, history, sources), a bad parameter (notice), a place that
    # cannot be found offline (message) and an as-of date: most of the page's text at once.
    at = _run(
        {
            "lang": lang,
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
    assert TITLES[lang] in page
    english = sorted(f for f in _english_fragments() if f in page)
    assert english == []
    labels = [w.label for w in (*at.multiselect, *at.text_input, *at.button, *at.tabs)]
    assert len(labels) > 10
    assert [label for label in labels if not CJK.search(label)] == []


def test_switching_language_rewords_the_page_and_the_link(monkeypatch):
    at = _run({"country": "NL"}, monkeypatch)
    assert at.title[0].value.startswith("Alleged")
    at.radio(key="lang").set_value("zh-Hant").run()
    assert at.title[0].value == TITLES["zh-Hant"]
    assert at.query_params["lang"] == "zh-Hant"
    assert at.query_params["country"] == "NL"
    assert any(o.startswith("荷蘭") for w in at.multiselect for o in w.options)
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
    at.radio(key="lang").set_value("zh-Hans").run()
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


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("zh", "zh-Hans"),  # old links keep giving Simplified
        ("ZH", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh_Hans", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
    ],
)
def test_chinese_link_forms_give_the_chinese_page(monkeypatch, value, lang):
    at = _run({"lang": value}, monkeypatch)
    assert at.title[0].value == TITLES[lang]
    assert list(at.warning) == []
    assert at.radio(key="lang").value == lang


@pytest.mark.parametrize(
    ("count", "en", "hans", "hant"),
    [
        (1, "1 station", "1 个服务站", "1 個服務站"),
        (2, "2 stations", "2 个服务站", "2 個服務站"),
        (0, "0 stations", "0 个服务站", "0 個服務站"),
        (1234, "1,234 stations", "1,234 个服务站", "1,234 個服務站"),
    ],
)
def test_counts_take_the_right_plural(count, en, hans, hant):
    assert i18n.plural("n_stations", count, "en") == en
    assert i18n.plural("n_stations", count, "zh-Hans") == hans
    assert i18n.plural("n_stations", count, "zh-Hant") == hant


@pytest.mark.parametrize(
    ("lang", "day", "month"),
    [
        ("en", "1 October 2022", "October 2022"),
        ("zh", "2022年10月1日", "2022年10月"),
        ("zh-Hant", "2022年10月1日", "2022年10月"),
    ],
)
def test_dates_come_from_cldr_in_the_page_language(lang, day, month):
    assert i18n.long_date(dt.date(2022, 10, 1), lang) == day
    assert i18n.month_year(dt.date(2022, 10, 1), lang) == month


@pytest.mark.parametrize(("lang", "changed"), [("zh-Hans", "状态变为"), ("zh-Hant", "狀態變為")])
def test_the_changes_tab_in_chinese_shows_no_english_interface_text(monkeypatch, lang, changed):
    at = _run({"lang": lang, "since": "2022-11-01"}, monkeypatch)
    page = "\n".join(_visible_texts(at)).replace("\\", "")
    assert changed in page  # the Changes tab is open
    assert sorted(f for f in _english_fragments() if f in page) == []
