"""Map building, inspected as a folium object and as the HTML it renders."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import maps
from dashboard.maps import STATUS_STYLES, StationLayer, build_map, station_from_popup, view_for

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`${alert(2)}`",
    "</script><script>alert(3)</script>",
    '" onmouseover="alert(4)',
    "\\u003cb\\u003e",
]


def calls(html: str, function: str) -> list[list]:
    """The JSON arguments of each `function(...)` call in the page's script (the map's own
    variable names, which are not JSON, are skipped)."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(re.escape(function) + r"\(", html):
        args, at = [], match.end()
        while html[at] not in ");":
            if html[at] in "{[":
                value, at = decoder.raw_decode(html, at)
                args.append(value)
            else:
                at += 1
        found.append(args)
    return found


def station_layer(group) -> StationLayer:
    return next(c for c in group._children.values() if isinstance(c, StationLayer))


def test_every_filtered_station_is_on_the_map(stations):
    layer = station_layer(maps.build_station_layer(stations))
    assert [r[0] for r in layer.rows] == list(stations["station_id"])


def test_markers_carry_status_style_and_country_precision(stations):
    layer = station_layer(maps.build_station_layer(stations))
    styles = {r[0]: (layer.styles[r[3]], r[4]) for r in layer.rows}
    colour, letter, _label, _ink = styles["us-new-york-1"][0]
    assert (colour, letter) == (STATUS_STYLES["prosecuted"].colour, "P")
    assert styles["us-new-york-1"][1] == 0
    assert styles["ru-country-1"][1] == 1


def test_map_html_loads_assets_from_our_server_only(stations):
    html = build_map(stations).get_root().render()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    links = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert scripts
    assert all(u.startswith("/app/static/") for u in scripts + links), scripts + links
    assert "cdn" not in html.lower()


def test_tiles_are_added_only_when_allowed(stations):
    # The tile layer always exists (the switch on the map needs it) but is added to the map,
    # and so asks the tile server for anything, only when tiles are allowed.
    on = build_map(stations).get_root().render()
    off = build_map(stations, tiles=False).get_root().render()
    assert [args[0]["tiles"] for args in calls(on, "stControls")] == [True]
    assert [args[0]["tiles"] for args in calls(off, "stControls")] == [False]


@pytest.mark.parametrize(
    ("precision", "zoom"), [("country", 5), ("city", 10), ("district", 12), ("address", 15)]
)
def test_a_station_opens_at_the_zoom_its_precision_allows(stations, precision, zoom):
    record = stations.iloc[0].to_dict() | {"location_precision": precision}
    (lat, lon), got = maps.station_view(record)
    assert got == zoom
    assert (lat, lon) == (round(float(record["latitude"]), 4), round(float(record["longitude"]), 4))


def test_a_fitted_view_never_zooms_past_the_least_precise_point(stations):
    one_city = stations.loc[stations["location_precision"] == "city"].head(1)
    assert maps.view_for(one_city)[1] == maps.PRECISION_ZOOM["city"]
    country = stations.loc[stations["location_precision"] == "country"].head(1)
    assert maps.view_for(country)[1] == maps.PRECISION_ZOOM["country"]
    assert maps.view_for(pd.concat([one_city, country]))[1] <= maps.PRECISION_ZOOM["country"]


def test_offline_base_map_has_a_max_zoom_for_clustering():
    html = maps.build_base_map(tiles=False).get_root().render()
    assert f'"maxZoom": {maps.MAX_ZOOM}' in html


def test_legend_names_every_status_in_words():
    html = maps.build_base_map().get_root().render()
    for style in STATUS_STYLES.values():
        assert style.label in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_data_reaches_the_page_only_as_json(stations, payload):
    hostile = stations.head(3).assign(name=payload, city=payload, first_reported_by=payload)
    html = build_map(hostile).get_root().render()
    found = re.search(r"stStationLayer\((\{.*?\}), (\{.*?\})\);\n", html)
    rows = maps.rows_from_columns(json.loads(found.group(2)))
    assert {r[5] for r in rows} == {payload}
    # Outside that one JSON object (HTML-safe: no raw <, >, &), the payload appears nowhere.
    assert "<" not in found.group(2)
    rest = html[: found.start(2)] + html[found.end(2) :]
    assert "alert(" not in rest


def test_selected_station_gets_a_ring(stations):
    group = maps.build_station_layer(stations, selected="nl-rotterdam-1")
    rings = [c for c in group._children.values() if type(c).__name__ == "_Highlight"]
    assert len(rings) == 1
    assert rings[0].location == [51.9225, 4.4792]
    assert rings[0].label == "Rotterdam, Netherlands"
    chinese = maps.build_station_layer(stations, selected="nl-rotterdam-1", lang="zh-Hant")
    ring = next(c for c in chinese._children.values() if type(c).__name__ == "_Highlight")
    assert ring.label == "Rotterdam, 荷蘭"  # the city as recorded, the country in the page's


def test_the_selected_stations_place_goes_into_the_map_as_json_not_html(stations):
    hostile = stations.copy()
    row = hostile["station_id"] == "nl-rotterdam-1"
    hostile.loc[row, "city"] = "</script><img src=x onerror=alert(1)>"
    html = maps.build_map(hostile, selected="nl-rotterdam-1").get_root().render()
    assert "</script><img" not in html
    assert "onerror=alert(1)" in html.replace("\u003c", "<").replace("\u003e", ">")


def test_view_fits_the_filtered_stations(stations):
    dutch = stations[stations["country_code"] == "NL"]
    (lat, lon), zoom = view_for(dutch)
    assert 51.9 < lat < 52.4
    assert 4.4 < lon < 4.9
    assert zoom >= 8
    assert view_for(stations)[1] <= 2
    assert view_for(stations.head(0)) == (maps.WORLD_CENTER, maps.WORLD_ZOOM)


def test_single_station_view_is_not_infinitely_zoomed(stations):
    assert view_for(stations.head(1))[1] <= 11


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ID nl-rotterdam-1 |Alleged station", "nl-rotterdam-1"),
        ("ID nl-rotterdam-1 |ID us-new-york-1 |", "nl-rotterdam-1"),
        ("no id here", None),
        (None, None),
    ],
)
def test_station_from_popup(text, expected):
    assert station_from_popup(text) == expected


def test_the_popup_names_its_station_as_the_page_reads_it_back(stations):
    # map.js writes the popup's id line from the layer's settings; a click returns its text.
    layer = station_layer(maps.build_station_layer(stations))
    before, after = json.loads(layer.settings)["popupId"]
    assert (before, after) == maps.POPUP_ID_AROUND == ("ID ", " |")  # what readers see
    for row in layer.rows:
        popup_text = f"{before}{row[0]}{after}{row[5]}"
        assert station_from_popup(popup_text) == row[0]


def test_map_js_takes_the_popup_id_text_from_its_settings():
    script = (maps.assets.WEB_DIR / "map.js").read_text(encoding="utf-8")
    assert "options.popupId[0] + r[0] + options.popupId[1]" in script
    assert "'ID '" not in script


def test_missing_values_do_not_break_the_layer(stations):
    frame = stations.head(2).assign(city=pd.NA)
    layer = station_layer(maps.build_station_layer(frame))
    assert [r[6] for r in layer.rows] == ["", ""]


def country_data(group) -> dict:
    element = next(c for c in group._children.values() if isinstance(c, maps._CountryData))
    return element.data


def test_country_layer_counts_the_stations_of_the_view(stations, responses):
    data = country_data(maps.build_station_layer(stations, responses=responses))
    assert sum(data["counts"].values()) == len(stations)
    assert data["counts"]["NL"] == 2
    assert data["tiers"]["US"] == "prosecution"
    assert data["tiers"]["NL"] == "closure"
    dutch = stations[stations["country_code"] == "NL"]
    assert country_data(maps.build_station_layer(dutch, responses=responses))["counts"] == {"NL": 2}


def test_a_country_without_responses_is_shaded_as_none(stations):
    data = country_data(maps.build_station_layer(stations.head(5)))
    assert set(data["tiers"].values()) == {"none"}


@pytest.mark.parametrize(
    ("largest", "classes"),
    [
        (1, [(1, None)]),
        (4, [(1, 1), (2, 2), (3, None)]),
        (11, [(1, 1), (2, 2), (3, 4), (5, 9), (10, None)]),
        (60_000, [(1, 9), (10, 199), (200, 1999), (2000, 49999), (50000, None)]),
    ],
)
def test_count_classes_cover_every_count(largest, classes):
    assert maps.count_classes(largest) == classes


def test_base_map_has_the_country_layers_in_a_layer_control_and_a_legend():
    html = maps.build_base_map(tiles=False).get_root().render()
    [[options]] = calls(html, "stCountryLayers")
    assert options["words"]["count"] == "Countries: stations"
    assert "L.control.layers(" in (maps.assets.WEB_DIR / "map.js").read_text()
    assert "Countries: stations" in html
    assert "Countries: strongest response" in html
    assert "Charges or conviction" in html


def test_chinese_map_words_legend_layers_and_popups_in_chinese(stations):
    html = build_map(stations, lang="zh").get_root().render()
    for words in ("调查中", "国家：服务站数量", "迄今最强的政府回应", "首次报道者", "位置近似"):
        assert words in html or json.dumps(words)[1:-1] in html, words
    assert "Under investigation" not in html


def test_marker_letters_and_tier_numbers_are_readable_on_their_colours():
    # WCAG AA for normal text: 4.5:1 (the letters are 9-11 px bold).
    for style in STATUS_STYLES.values():
        assert maps.contrast(style.colour, style.ink) >= 4.5, style
    for colour in maps.TIER_COLOURS.values():
        assert maps.contrast(colour, maps.text_colour(colour)) >= 4.5, colour


def test_markers_carry_their_letter_colour(stations):
    layer = station_layer(maps.build_station_layer(stations))
    assert [s[3] for s in layer.styles[:-1]] == [s.ink for s in STATUS_STYLES.values()]


def test_an_empty_view_has_no_country_classes(stations):
    data = country_data(maps.build_station_layer(stations.head(0)))
    assert data == {"counts": {}, "tiers": {}, "classes": []}


def test_the_whole_tables_payload_is_made_once_and_equals_a_fresh_one(stations):
    first = maps.station_rows_json(stations, base=stations)
    assert maps.station_rows_json(stations, base=stations) is first  # reused
    assert first == maps.station_rows_json(stations)
    subset = stations.loc[stations["country_code"] == "NL"]
    assert maps.station_rows_json(subset, base=stations) == maps.station_rows_json(subset)


def test_payload_codes_repeated_texts_once_and_reads_back_row_by_row(stations):
    columns = maps.station_columns(stations)
    countries = columns["t"][maps.TEXT_COLUMNS.index("country")]
    assert sorted(countries) == sorted(set(stations["country"]))
    rows = maps.rows_from_columns(columns)
    assert [r[0] for r in rows] == list(stations["station_id"])
    assert [r[7] for r in rows] == list(stations["country"])
    assert [r[5] for r in rows] == list(stations["name"])


def test_a_fitted_frame_carries_the_box_of_its_stations_or_of_its_places_circle(stations):
    frame = maps.fitted_frame(stations)
    lat, lon = stations["latitude"], stations["longitude"]
    assert frame.box == (lat.min(), lon.min(), lat.max(), lon.max())
    assert ((frame.latitude, frame.longitude), frame.zoom) == view_for(stations)
    place = maps.PlaceMark(51.9225, 4.4792, 50.0, "Rotterdam")
    circle = maps.fitted_frame(stations.head(0), place)
    south, west, north, east = circle.box
    assert (round((south + north) / 2, 4), round((west + east) / 2, 4)) == (51.9225, 4.4792)
    assert 0.8 < north - south < 1.0  # 100 km across
    assert maps.fitted_frame(stations.head(0)).box is None  # the world: nothing to fit


def test_a_base_map_made_at_a_fitted_frame_may_widen_it_to_show_the_box(stations):
    frame = maps.fitted_frame(stations)
    html = maps.build_base_map(tiles=False, frame=frame).get_root().render()
    [[fit]] = calls(html, "stFitted")
    assert fit["center"] == [frame.latitude, frame.longitude]
    assert (fit["zoom"], fit["box"]) == (frame.zoom, [round(x, 4) for x in frame.box])
    # Down to zoom 0, where the whole world is 256 pixels wide (a phone's map is about 358).
    assert '"minZoom": 0' in html
    # A station's or a reader's frame (no box) opens as it is.
    unfitted = replace(frame, box=None)
    assert calls(maps.build_base_map(frame=unfitted).get_root().render(), "stFitted") == []


def test_the_station_layer_hands_its_own_fitted_frame_to_the_map(stations):
    dutch = stations.loc[stations["country_code"] == "NL"]
    fmap = maps.build_base_map(tiles=False)
    fmap.add_child(maps.build_station_layer(dutch))
    [[fit]] = calls(fmap.get_root().render(), "stViewFirst")
    expected = maps.fitted_frame(dutch)
    assert (fit["center"], fit["zoom"]) == ([expected.latitude, expected.longitude], expected.zoom)


@pytest.mark.parametrize(("lang", "netherlands"), [("zh-Hans", "荷兰"), ("zh-Hant", "荷蘭")])
def test_the_outlines_are_named_in_the_pages_language(lang, netherlands):
    html = maps.build_base_map(tiles=False, lang=lang).get_root().render()
    [[names]] = calls(html, "stOutlines")  # (after the URL, which `calls` skips)
    assert names["NL"] == netherlands
    # Only the countries the outlines have, each named.
    assert set(names) <= set(maps.assets.outline_codes())
    assert all(names.values())


def test_english_outlines_keep_their_own_short_names():
    html = maps.build_base_map(tiles=False).get_root().render()
    assert re.search(r"stOutlines\(\w+, \"[^\"]+\", null\);", html)
