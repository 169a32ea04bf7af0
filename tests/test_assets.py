"""The map's JavaScript and CSS are copied from registry packages into our static folder."""

from __future__ import annotations

import inspect
import json
import re
import shutil
import subprocess

from dashboard import assets, maps


def test_assets_are_copied_and_match_the_urls_the_map_uses(tmp_path):
    written = assets.ensure_static_assets(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    for _, url in assets.LEAFLET_JS + assets.LEAFLET_CSS + assets.CLUSTER_JS + assets.CLUSTER_CSS:
        assert url.removeprefix(assets.STATIC_URL + "/") in names
    assert assets.OUTLINES in names
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


def test_the_maps_own_script_is_valid_javascript(tmp_path):
    # Node.js parses each file without running it; a syntax error fails here, not in a reader's
    # browser. No Node.js on the machine is a failure too (the brief says it is there).
    node = shutil.which("node")
    assert node, "Node.js is needed to check the map's script"
    scripts = sorted(assets.WEB_DIR.glob("*.js"))
    assert scripts
    # And the bundle the map frame loads (Leaflet, the cluster plugin and ours, in one file).
    scripts.append(tmp_path / assets.BUNDLE_JS)
    assets.ensure_static_assets(tmp_path)
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


def test_the_bundles_hold_each_part_in_order_and_keep_image_paths(tmp_path):
    assets.ensure_static_assets(tmp_path)
    script = (tmp_path / assets.BUNDLE_JS).read_text()
    at = [script.index(f"/* {name} */") for name in assets._BUNDLED_JS]
    assert at == sorted(at)
    assert (assets.WEB_DIR / "map.js").read_text() in script
    style = (tmp_path / assets.BUNDLE_CSS).read_text()
    for image in re.findall(r"url\(([^)#]+)\)", style):
        assert (tmp_path / assets.BUNDLE_CSS).parent.joinpath(image).resolve().exists(), image


def test_a_changed_script_remakes_the_bundle(tmp_path, monkeypatch):
    assets.ensure_static_assets(tmp_path)
    web = tmp_path / "source-web"
    web.mkdir()
    for source in assets.WEB_DIR.iterdir():
        (web / source.name).write_bytes(source.read_bytes())
    (web / "map.js").write_text("window.changed = 1;\n")
    monkeypatch.setattr(assets, "WEB_DIR", web)
    assets.ensure_static_assets(tmp_path)
    assert "window.changed = 1;" in (tmp_path / assets.BUNDLE_JS).read_text()


def test_the_compact_outlines_read_back_as_the_geojson(tmp_path):
    # The map decodes them in the browser (map.js, `outlines`); Node.js runs that same function
    # on the file we serve, and every point must come back as data/countries.geojson has it.
    assets.ensure_static_assets(tmp_path)
    script = (assets.WEB_DIR / "map.js").read_text()
    decoder = script[script.index("  function outlines(") : script.index("  /* Country outlines")]
    program = (
        decoder + "const fs = require('fs');"
        f"const c = JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / assets.OUTLINES))}));"
        "process.stdout.write(JSON.stringify(outlines(c)));"
    )
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    decoded = json.loads(result.stdout)
    source = json.loads(assets.OUTLINES_SOURCE.read_text())
    assert len(decoded["features"]) == len(source["features"])
    for got, want in zip(decoded["features"], source["features"], strict=True):
        assert got["properties"] == want["properties"]
        assert got["geometry"]["type"] == want["geometry"]["type"]
        assert got["geometry"]["coordinates"] == want["geometry"]["coordinates"]
    size = (tmp_path / assets.OUTLINES).stat().st_size
    assert size < assets.OUTLINES_SOURCE.stat().st_size * 0.6
