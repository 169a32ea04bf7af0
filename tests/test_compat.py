"""Canaries for the undocumented surfaces the page relies on (`dashboard.compat`): each fails by
name when an upgrade of Streamlit, streamlit-folium or Leaflet changes one. And the rules that
keep that surface in one place: no private Streamlit API, one owner of the session state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import compat

DASHBOARD = Path(compat.__file__).resolve().parent
MODULES = sorted(DASHBOARD.glob("*.py"))


@pytest.mark.parametrize("surface", compat.SURFACES, ids=lambda s: f"{s.owner}: {s.name}")
def test_an_undocumented_surface_is_still_there(surface):
    files = surface.files()
    assert files, f"{surface.owner} no longer has the files of '{surface.name}' ({surface.used_in})"
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in files)
    missing = [needle for needle in surface.needles if needle not in text]
    assert missing == [], f"'{surface.name}' changed in {surface.owner}: {missing} not found"


def test_every_leaflet_private_member_map_js_uses_is_named_in_compat():
    script = (DASHBOARD / "web" / "map.js").read_text(encoding="utf-8")
    # Leaflet's and MarkerCluster's own underscored members (ours are `_st...`).
    used = set(re.findall(r"\.(_(?!st)[a-zA-Z]+)\b", script))
    named = {n for s in compat.SURFACES if s.owner == "leaflet" for n in s.needles}
    assert used <= named, f"map.js uses {sorted(used - named)}: name them in dashboard/compat.py"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_no_module_uses_private_streamlit_api(module):
    text = module.read_text(encoding="utf-8")
    private = re.findall(r"streamlit\.runtime|get_script_run_ctx|streamlit\.errors|\._run\b", text)
    assert private == [], f"{module.name} uses {private}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_only_the_session_adapter_touches_the_session_state(module):
    uses = module.read_text(encoding="utf-8").count("session_state")
    if module.name == "session.py":
        assert uses > 0
    else:
        assert uses == 0, f"{module.name} touches st.session_state: go through dashboard.session"


def test_app_tests_need_no_private_patch():
    text = (DASHBOARD.parent / "tests" / "test_app.py").read_text(encoding="utf-8")
    assert "._run" not in text
