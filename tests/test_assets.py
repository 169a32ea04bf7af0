"""The map's JavaScript and CSS are copied from registry packages into our static folder."""

from __future__ import annotations

from dashboard import assets


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
