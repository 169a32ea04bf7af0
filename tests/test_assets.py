"""The map's JavaScript and CSS are copied from registry packages into our static folder."""

from __future__ import annotations

import inspect
import shutil
import subprocess

from dashboard import assets, maps


def test_assets_are_copied_and_match_the_urls_the_map_uses(tmp_path):
    written = assets.ensure_static_assets(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    for _, url in assets.LEAFLET_JS + assets.LEAFLET_CSS + assets.CLUSTER_JS + assets.CLUSTER_CSS:
        assert url.removeprefix(assets.STATIC_URL + "/") in names
    assert "countries.geojson" in names
    assert all(p.stat().st_size > 0 for p in written)
    assert "layers.png" in " ".join(names)


def test_copying_twice_is_harmless(tmp_path):
    first = assets.ensure_static_assets(tmp_path)
    second = assets.ensure_static_assets(tmp_path)
    assert first == second
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_maps_own_script_and_style_are_served_and_linked(tmp_path):
    names = {p.relative_to(tmp_path).as_posix() for p in assets.ensure_static_assets(tmp_path)}
    for _, url in assets.MAP_JS + assets.MAP_CSS:
        assert url.removeprefix(assets.STATIC_URL + "/") in names


def test_the_maps_own_script_is_valid_javascript():
    # Node.js parses each file without running it; a syntax error fails here, not in a reader's
    # browser. No Node.js on the machine is a failure too (the brief says it is there).
    node = shutil.which("node")
    assert node, "Node.js is needed to check the map's script"
    scripts = sorted(assets.WEB_DIR.glob("*.js"))
    assert scripts
    for script in scripts:
        result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"


def test_a_syntax_error_in_a_script_is_caught(tmp_path):
    broken = tmp_path / "broken.js"
    broken.write_text("(function () { var x = ; })();\n")
    result = subprocess.run(["node", "--check", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_the_python_side_passes_data_and_options_only():
    # The map's behaviour lives in dashboard/web/*.js; maps.py's templates only call it.
    source = inspect.getsource(maps)
    assert "function" not in source.replace("`stStationLayer`", "")
    assert "=>" not in source
