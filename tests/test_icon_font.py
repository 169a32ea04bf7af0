"""The deployment's smaller copy of Streamlit's icon font (dashboard/icon_font.py): it keeps every
icon Streamlit's scripts name and drops the rest. (The browser test in
tests/browser/test_deploy.py checks that the page's icons are drawn with it.)"""

from __future__ import annotations

import pytest

from dashboard import icon_font

SOURCE = icon_font.source_font()


@pytest.fixture(scope="module")
def known() -> set[str]:
    assert SOURCE is not None, "this Streamlit has no Material Symbols font: see icon_font.py"
    return icon_font.icon_names(SOURCE)


def test_the_font_knows_its_icons_by_name(known):
    assert {"expand_more", "keyboard_double_arrow_left", "upload", "search"} <= known
    assert len(known) > 3000


def test_the_names_kept_are_the_icon_words_of_the_scripts(tmp_path, known):
    (tmp_path / "a.js").write_text('x("expand_more");const upload=1;// keyboard_arrow_right\n')
    (tmp_path / "b.js").write_text("not_an_icon_name zzz")
    (tmp_path / "c.css").write_text("search")  # not a script
    assert icon_font.names_used(tmp_path, known) == {
        "expand_more",
        "upload",
        "keyboard_arrow_right",
    }


def test_the_copy_draws_the_kept_icons_only_and_is_small(tmp_path, known):
    copy = tmp_path / "copy.woff2"
    copy.write_bytes(icon_font.subset(SOURCE, {"expand_more", "upload"}))
    assert icon_font.icon_names(copy) == {"expand_more", "upload"}
    assert copy.stat().st_size < SOURCE.stat().st_size / 20


def test_the_deployment_copy_keeps_every_icon_streamlit_names(tmp_path, known):
    made = icon_font.ensure_icon_font(root=tmp_path)
    assert made == tmp_path / "static" / "media" / SOURCE.name
    wanted = icon_font.names_used(icon_font.streamlit_static() / "static" / "js", known)
    assert {"keyboard_double_arrow_left", "keyboard_arrow_right", "upload"} <= wanted
    assert icon_font.icon_names(made) == wanted
    assert made.stat().st_size < SOURCE.stat().st_size / 4
    # Made once: a second call finds it and leaves it as it is.
    before = made.stat().st_mtime_ns
    assert icon_font.ensure_icon_font(root=tmp_path) == made
    assert made.stat().st_mtime_ns == before


def test_without_the_font_there_is_no_copy_and_the_proxy_serves_streamlits(tmp_path):
    (tmp_path / "static" / "media").mkdir(parents=True)
    assert icon_font.ensure_icon_font(root=tmp_path / "out", static=tmp_path) is None
    assert not (tmp_path / "out").exists()
