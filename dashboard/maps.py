"""Build the folium map: an unchanging base (outlines, optional tiles, legend) and a station layer.

No data value is ever written into HTML or JavaScript source. Station fields travel as one JSON
array (HTML-safe JSON), and the browser puts them into the page with `textContent`, so names
such as `<img src=x onerror=alert(1)>` or `${alert(1)}` show as text and run nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from dashboard import assets
from dashboard.i18n import (
    DEFAULT_LANGUAGE,
    STATUS_LABELS,
    country_label,
    language,
    status_label,
    t,
)
from dashboard.panels import country_layers, country_words, place_words
from dashboard.rules import NO_RESPONSE, RESPONSE_TIERS
from dashboard.schema import SLUG_PATTERN, STATUS_DEFINITIONS
from dashboard.urlstate import Box, MapFrame

WORLD_CENTER = (20.0, 10.0)
WORLD_ZOOM = 2
MAX_ZOOM = 18
# Zoom 0 shows the whole world in 256 pixels: the stations of every continent on a phone's map.
MIN_ZOOM = 0
MAP_WIDTH_PX = 720
MAP_HEIGHT_PX = 600
PHONE_MAP_PX = 340  # the map's width on a 390 px phone, less margins
TILES_LAYER_ID = "osm-tiles"
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
# The closest a view fitted to stations may zoom, by how precisely they are placed: a point at a
# city's centre says nothing at street level.
PRECISION_ZOOM = {"address": 15, "district": 12, "city": 10, "country": 5}


def luminance(colour: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    dark = contrast(background, "#000000") >= contrast(background, "#ffffff")
    return "#000000" if dark else "#ffffff"


@dataclass(frozen=True)
class StatusStyle:
    colour: str
    letter: str
    label: str

    @property
    def ink(self) -> str:
        return text_colour(self.colour)


# Okabe-Ito colours (safe for the common colour-vision deficiencies) plus a letter and a word,
# so that colour is never the only signal.
_STATUS_MARKS = {
    "reported": ("#E69F00", "R"),
    "investigating": ("#0072B2", "I"),
    "closed": ("#009E73", "C"),
    "prosecuted": ("#D55E00", "P"),
    "denied": ("#CC79A7", "D"),
    "investigation_closed": ("#6B7280", "E"),
}
STATUS_STYLES: dict[str, StatusStyle] = {
    code: StatusStyle(colour, letter, STATUS_LABELS[code])
    for code, (colour, letter) in _STATUS_MARKS.items()
}
UNKNOWN_STYLE = StatusStyle("#374151", "?", "Other status")
assert set(STATUS_STYLES) == set(STATUS_DEFINITIONS)

CHUNKED_ABOVE = 250_000
# How a list of places is joined in each language (a punctuation mark, not a message).
_NO_RESPONSES = pd.DataFrame({"country_code": [], "response_type": []}, dtype=object)
# How a marker's popup names its station, "ID nl-rotterdam-1 |": the text before and after
# the id. map.js writes it from the layer's settings (`popupId`); a click on the map comes back
# as the popup's text, and `station_from_popup` finds the id between the two again.
POPUP_ID_AROUND = ("ID ", " |")
POPUP_ID = re.compile(
    re.escape(POPUP_ID_AROUND[0]) + f"({SLUG_PATTERN})" + re.escape(POPUP_ID_AROUND[1])
)


class _Outlines(MacroElement):
    """Country outlines fetched from our server into a pane beneath the tiles, named in the
    page's language while the tiles are off (`stOutlines`)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stOutlines({{ this._parent.get_name() }}, {{ this.url|tojson }}, {{ this.names }});
{% endmacro %}
"""
    )

    def __init__(self, url: str, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._name = "Outlines"
        self.url = url
        self.names = js_json(outline_names(lang))


@cache
def outline_names(lang: str) -> dict[str, str] | None:
    """The outlines' countries named in `lang` from CLDR, `{iso_a2: name}`, for their labels on
    the map; None in English, where the outlines' own names serve (short map labels, such as
    "Dem. Rep. Congo"). A country CLDR does not name gets no label."""
    if language(lang) == DEFAULT_LANGUAGE:
        return None
    named = {code: country_label(code, lang) for code in assets.outline_codes()}
    return {code: name for code, name in named.items() if name != code}


def status_styles(lang: str) -> list[list[str]]:
    """Per status style index: colour, letter, label in `lang`, letter colour (the last: other)."""
    styles = [*STATUS_STYLES.values(), UNKNOWN_STYLE]
    labels = [status_label(code, lang) for code in STATUS_STYLES] + [UNKNOWN_STYLE.label]
    return [[s.colour, s.letter, label, s.ink] for s, label in zip(styles, labels, strict=True)]


class _Controls(MacroElement):
    """The map's label, its key and its layer choices folded into two small buttons (top
    right), and the tile layer: made always, added only when tiles are allowed (`stControls`)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stControls({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, tiles: bool, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._name = "Controls"
        self.options = controls_options(tiles, lang)


def controls_options(tiles: bool, lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The options of map.js's `stControls`: the tile layer, the status key and their words."""
    return {
        "tiles": tiles,
        "tilesId": TILES_LAYER_ID,
        "tileUrl": TILE_URL,
        "maxZoom": MAX_ZOOM,
        "attribution": TILE_ATTRIBUTION,
        "styles": status_styles(lang)[: len(STATUS_STYLES)],
        "words": {
            "map": t("map_label", lang),
            "key": t("map_key", lang),
            "layers": t("map_layers", lang),
            "status": t("legend_status", lang),
            "approx": t("legend_approx", lang),
            "zoomIn": t("zoom_in", lang),
            "zoomOut": t("zoom_out", lang),
        },
    }


# Sequential blues for station counts; a strong-to-weak ramp for response tiers, with a number
# on each country so that the shade is never the only signal.
COUNT_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
TIER_COLOURS = {
    "prosecution": "#67000d",
    "police": "#cb181d",
    "closure": "#fb6a4a",
    "investigation": "#fcbba1",
    "words": "#fff5f0",
    "denial": "#bcbddc",
    NO_RESPONSE: "#e5e7eb",
}
assert list(TIER_COLOURS) == [*RESPONSE_TIERS, NO_RESPONSE]
_STEPS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)


def count_classes(largest: int, most: int = len(COUNT_COLOURS)) -> list[tuple[int, int | None]]:
    """Up to `most` count ranges (low, high or None for "and more") covering 1..largest."""
    lows = [step for step in _STEPS if step <= max(largest, 1)]
    if len(lows) > most:
        lows = sorted({lows[round(i * (len(lows) - 1) / (most - 1))] for i in range(most)})
    return [(low, lows[i + 1] - 1 if i + 1 < len(lows) else None) for i, low in enumerate(lows)]


def class_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low:,}" if low == 1 else f"{low:,}+"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


class _CountryLayers(MacroElement):
    """Two shadings of the offline outlines, in the layer control: stations per country, and the
    strongest government response so far (`stCountryLayers`). The station layer sends each
    view's figures."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stCountryLayers({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._name = "CountryLayers"
        self.options = country_layer_options(lang)


def country_layer_options(lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The options of map.js's `stCountryLayers`: the two shadings' words and colours."""
    return {
        "words": {
            "none": t("layer_none", lang),
            "count": t("layer_count", lang),
            "tier": t("layer_strongest", lang),
            "countTitle": t("legend_count", lang),
            "tierTitle": t("legend_strongest", lang),
            "stations": t("tip_stations", lang),
            "tiles": t("tiles", lang),
        },
        "tiers": [
            [code, colour, t(f"tier_{code}", lang), text_colour(colour)]
            for code, colour in TIER_COLOURS.items()
        ],
        "countColours": list(COUNT_COLOURS),
    }


class _CountryData(MacroElement):
    """This view's figures per country, handed to the country layers of the base map."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stCountryData({{ this.data|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, counts: dict[str, int], tiers: dict[str, str]) -> None:
        super().__init__()
        self._name = "CountryData"
        self.data = country_data(counts, tiers)


def country_data(counts: dict[str, int], tiers: dict[str, str]) -> dict[str, object]:
    """The figures of map.js's `stCountryData`: stations and strongest tier per country, and
    the count classes."""
    classes = count_classes(max(counts.values())) if counts else []
    return {
        "counts": counts,
        "tiers": tiers,
        "classes": [[low, high, class_label(low, high)] for low, high in classes],
    }


def js_json(value: object) -> str:
    """Compact JSON that is also safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class _RawScript(Element):
    """Script text added to the page as it is (branca would compile it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


def layer_settings(count: int, lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The settings of map.js's `stStationLayer` for `count` stations: the marker styles, the
    popup's id marks, the words of tooltips, popups and cluster names, and clustering."""
    return {
        "lang": language(lang),  # the frame's <html lang> (map.js)
        "styles": status_styles(lang),
        "popupId": list(POPUP_ID_AROUND),
        "words": {
            "status": t("pop_status", lang),
            "first": t("pop_first", lang),
            "approx": t("pop_approx", lang),
            "tipApprox": t("tip_approx", lang),
            "stations": t("cluster_stations", lang),
            "clusterIn": t("cluster_in", lang),
            "clusterCountry": t("cluster_country", lang),
            "clusterCountries": t("cluster_countries", lang),
            "andMore": t("list_and_more", lang),
            "comma": t("list_comma", lang),
        },
        "cluster": {
            "maxClusterRadius": 40,
            "showCoverageOnHover": False,
            "spiderfyOnMaxZoom": True,
            # Above this size, add markers in chunks so the page stays responsive while
            # they load; below it one pass is quicker (measured in docs/benchmarks.md).
            "chunkedLoading": count > CHUNKED_ABOVE,
        },
    }


class StationLayer(MacroElement):
    """All stations as clustered markers, built in the browser (`stStationLayer`) from one
    JSON object of columns; `settings` carries the styles, words and clustering options."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = stStationLayer({{ this.settings }}, {{ this.rows_json }});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        stations: pd.DataFrame,
        lang: str = DEFAULT_LANGUAGE,
        base: pd.DataFrame | None = None,
    ) -> None:
        super().__init__()
        self._name = "StationLayer"
        self.styles = status_styles(lang)
        self.rows_json = station_rows_json(stations, base, lang)
        self.settings = js_json(layer_settings(len(stations), lang))

    @property
    def rows(self) -> list[list]:
        """The rows as the browser receives them."""
        return rows_from_columns(json.loads(self.rows_json))

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        # As MacroElement.render, without compiling megabytes of data as a Jinja template.
        script = self._template.module.__dict__["script"](self, kwargs)
        root: Any = self.get_root()
        root.script.add_child(_RawScript(str(script)), name=self.get_name())


_STYLE_INDEX = {status: i for i, status in enumerate(STATUS_STYLES)}
_UNKNOWN_INDEX = len(STATUS_STYLES)
TEXT_COLUMNS = ("name", "city", "country", "status_date", "first_reported_by")
# The payload of a whole shared table, made once (see `station_rows_json`).
_WHOLE: dict[tuple[int, str], tuple[pd.DataFrame, str]] = {}


def station_columns(stations: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> dict[str, list]:
    """What the browser needs per station, column by column: id, coordinates, style index,
    approximate flag, and each text column as codes (-1: empty) into its distinct values (the
    country named in `lang`)."""
    stations = country_words(stations, lang)
    styles = stations["status"].astype(object).map(_STYLE_INDEX).fillna(_UNKNOWN_INDEX)
    tables, codes = [], []
    for column in TEXT_COLUMNS:
        found, distinct = pd.factorize(stations[column], use_na_sentinel=True)
        codes.append(found.tolist())
        tables.append([str(v) for v in distinct])
    return {
        "id": [str(v) for v in stations["station_id"].tolist()],
        "lat": stations["latitude"].astype(float).round(5).tolist(),
        "lon": stations["longitude"].astype(float).round(5).tolist(),
        "s": styles.astype(int).tolist(),
        "a": (stations["location_precision"] == "country").fillna(False).astype(int).tolist(),
        "t": tables,
        "c": codes,
    }


def station_rows_json(
    stations: pd.DataFrame, base: pd.DataFrame | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The stations' payload as JSON for the page. `base`: the shared table the view was
    selected from; when the view is that whole table (no filter), its payload is made once
    and reused by every session."""
    if base is not None and stations is base:
        cached = _WHOLE.get((id(base), language(lang)))
        if cached is None or cached[0] is not base:
            if len(_WHOLE) >= 8:
                _WHOLE.clear()
            cached = (base, js_json(station_columns(base, lang)))
            _WHOLE[(id(base), language(lang))] = cached
        return cached[1]
    return js_json(station_columns(stations, lang))


def rows_from_columns(columns: dict[str, list]) -> list[list]:
    """The per-station rows the browser builds from the payload (for tests and reading)."""

    def text(k: int, i: int) -> str:
        code = columns["c"][k][i]
        return "" if code < 0 else columns["t"][k][code]

    return [
        [columns["id"][i], columns["lat"][i], columns["lon"][i], columns["s"][i],
         columns["a"][i], *(text(k, i) for k in range(len(TEXT_COLUMNS)))]
        for i in range(len(columns["id"]))
    ]  # fmt: skip


def station_rows(stations: pd.DataFrame) -> list[list]:
    """The compact per-station arrays (id, lat, lon, style, approx, text...)."""
    return rows_from_columns(station_columns(stations))


class _Highlight(MacroElement):
    """A ring around the selected station, drawn above the clusters, and its place in words
    beside it ("Rotterdam, Netherlands"): a station view has its context with the tiles off."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stHighlight({{ this._parent.get_name() }}, {{ this.location|tojson }}, {{ this.label|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, latitude: float, longitude: float, label: str = "") -> None:
        super().__init__()
        self._name = "Highlight"
        self.location = [float(latitude), float(longitude)]
        self.label = label


class _Changed(MacroElement):
    """Dashed rings on the stations that changed since the `since` day (`changes`)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stChanged({{ this._parent.get_name() }}, {{ this.locations|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, locations: Sequence[tuple[float, float]]) -> None:
        super().__init__()
        self._name = "Changed"
        self.locations = [[float(lat), float(lon)] for lat, lon in locations]


def build_base_map(
    tiles: bool = True, frame: MapFrame | None = None, lang: str = DEFAULT_LANGUAGE
) -> folium.Map:
    """The part of the map that does not change with the filters, opening at `frame`."""
    fmap = folium.Map(
        location=(frame.latitude, frame.longitude) if frame else WORLD_CENTER,
        zoom_start=frame.zoom if frame else WORLD_ZOOM,
        tiles=None,
        max_zoom=MAX_ZOOM,
        min_zoom=MIN_ZOOM,
        world_copy_jump=True,
        control_scale=True,
    )
    # Without a tile layer Leaflet has no maxZoom, and clustering throws: set it on the map.
    fmap.options["max_zoom"] = MAX_ZOOM
    fmap.options["min_zoom"] = MIN_ZOOM
    # Leaflet, the cluster plugin and the map's own script and style, each in one bundle.
    fmap.default_js = assets.MAP_JS
    fmap.default_css = assets.MAP_CSS
    if frame is not None and frame.box is not None:
        fmap.add_child(_Fitted(frame))
    fmap.add_child(_Outlines(assets.COUNTRIES_URL, lang))
    fmap.add_child(_Controls(tiles, lang))
    fmap.add_child(_CountryLayers(lang))
    return fmap


@dataclass(frozen=True)
class PlaceMark:
    """The place of a "near a place" filter: its point, the circle of the distance, its name."""

    latitude: float
    longitude: float
    km: float
    label: str


class _Place(MacroElement):
    """The place a distance is measured from, with its circle, under the stations."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stPlace({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, mark: PlaceMark) -> None:
        super().__init__()
        self._name = "Place"
        self.options = {
            "latlng": [float(mark.latitude), float(mark.longitude)],
            "metres": float(mark.km) * 1000,
            # The name only: the distance is in the line above the map, and a short label
            # stays inside a phone's map.
            "label": mark.label,
        }


class _ViewFirst(MacroElement):
    """The centre and zoom streamlit-folium was given with this layer, set before the stations
    are drawn (`stViewFirst`). streamlit-folium runs the layer's script with `center` and `zoom`
    in scope; elsewhere (a saved map) they are undefined and nothing moves. The script is the
    same whatever the view, so a move of the reader's own leaves the layer as it is.
    `fit`: the frame fitted to these stations (or the place's circle), with its box: handed that
    frame, a map smaller than the one it was fitted for opens wider (`fit_options`)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stViewFirst(typeof center === 'undefined' ? null : center,
  typeof zoom === 'undefined' ? null : zoom, {{ this.fit|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, fit: MapFrame | None = None) -> None:
        super().__init__()
        self._name = "ViewFirst"
        self.fit = fit_options(fit)


class _Fitted(MacroElement):
    """A base map made at a fitted frame: widened at once on a map smaller than the one it was
    fitted for (`stFitted`), before the map first reports where it is, so that the page takes
    the wider frame for the one it handed (pagestate.reaches), not for a reader's move."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
stFitted({{ this._parent.get_name() }}, {{ this.fit|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, frame: MapFrame) -> None:
        super().__init__()
        self._name = "Fitted"
        self.fit = fit_options(frame)


def fit_options(frame: MapFrame | None) -> dict[str, object] | None:
    """A fitted frame as map.js reads it: centre, zoom and the box (south, west, north, east)
    it shows on a map of MAP_WIDTH_PX by MAP_HEIGHT_PX; None for a frame with no box."""
    if frame is None or frame.box is None:
        return None
    box = [round(x, 4) for x in frame.box]
    return {"center": [frame.latitude, frame.longitude], "zoom": frame.zoom, "box": box}


def build_station_layer(
    stations: pd.DataFrame,
    selected: str | None = None,
    responses: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
    base: pd.DataFrame | None = None,
    place: PlaceMark | None = None,
    changed: Sequence[str] = (),
) -> folium.FeatureGroup:
    """The stations (and the selected one's ring) as one feature group for `st_folium`, with the
    figures per country that the country layers shade (responses: those of this view), the
    place of a distance filter with its circle, and a dashed ring on each `changed` station."""
    group = folium.FeatureGroup(name=t("layer_stations", lang))
    group.add_child(_ViewFirst(fitted_frame(stations, place)))
    if place is not None:
        group.add_child(_Place(place))
    group.add_child(StationLayer(stations, lang, base))
    counts, tiers = country_layers(stations, responses if responses is not None else _NO_RESPONSES)
    group.add_child(_CountryData(counts, tiers))
    if changed:
        rows = stations.loc[stations["station_id"].isin(set(changed))]
        group.add_child(_Changed(list(zip(rows["latitude"], rows["longitude"], strict=True))))
    if selected is not None:
        row = stations.loc[stations["station_id"] == selected]
        if not row.empty:
            first = row.iloc[0]
            label = place_words({str(k): v for k, v in first.items()}, lang)
            group.add_child(_Highlight(first["latitude"], first["longitude"], label))
    return group


def build_map(
    stations: pd.DataFrame,
    selected: str | None = None,
    tiles: bool = True,
    responses: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> folium.Map:
    """The whole map in one object (for saving as HTML and for tests)."""
    fmap = build_base_map(tiles, lang=lang)
    fmap.add_child(build_station_layer(stations, selected, responses, lang))
    center, zoom = view_for(stations)
    fmap.location = list(center)
    fmap.options["zoom"] = zoom
    return fmap


def zoom_cap(precisions: pd.Series) -> int:
    """The closest zoom the least precisely placed of these stations allows."""
    caps = [PRECISION_ZOOM.get(str(p), PRECISION_ZOOM["country"]) for p in precisions.unique()]
    return min(caps, default=PRECISION_ZOOM["city"])


def station_box(stations: pd.DataFrame) -> Box | None:
    """The box (south, west, north, east) of the stations, or None for none."""
    if stations.empty:
        return None
    lat = stations["latitude"].astype(float)
    lon = stations["longitude"].astype(float)
    return float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())


def view_for(stations: pd.DataFrame) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show every given station, never closer than their precision."""
    box = station_box(stations)
    if box is None:
        return WORLD_CENTER, WORLD_ZOOM
    cap = zoom_cap(stations["location_precision"]) if "location_precision" in stations else 10
    return _fit(box, cap)


def circle_box(latitude: float, longitude: float, km: float) -> Box:
    """The box (south, west, north, east) of the circle of `km` around a place."""
    half_lat = km / 111.0
    half_lon = min(180.0, half_lat / max(math.cos(math.radians(latitude)), 0.01))
    south, north = max(-85.0, latitude - half_lat), min(85.0, latitude + half_lat)
    return south, longitude - half_lon, north, longitude + half_lon


def circle_view(latitude: float, longitude: float, km: float) -> tuple[tuple[float, float], int]:
    """Centred on a place, at the zoom that shows the whole circle of `km` around it, on a
    phone's map too (a square of PHONE_MAP_PX)."""
    return _fit(circle_box(latitude, longitude, km), MAX_ZOOM, (PHONE_MAP_PX, PHONE_MAP_PX))


def fitted_frame(stations: pd.DataFrame, place: PlaceMark | None = None) -> MapFrame:
    """The frame that fits a view, with the box it fits: the whole circle of a distance
    filter's place (whatever is in it), else the stations (with none, the world, no box)."""
    if place is not None:
        box: Box | None = circle_box(place.latitude, place.longitude, place.km)
        (lat, lon), zoom = circle_view(place.latitude, place.longitude, place.km)
    else:
        box = station_box(stations)
        (lat, lon), zoom = view_for(stations)
    return MapFrame(float(lat), float(lon), zoom, box)


def _fit(
    box: Box, cap: int, size: tuple[int, int] = (MAP_WIDTH_PX, MAP_HEIGHT_PX)
) -> tuple[tuple[float, float], int]:
    """The centre of a box (south, west, north, east) and the closest zoom (at most `cap`)
    that shows all of it on a map of `size` pixels."""
    south, west, north, east = box
    center = ((south + north) / 2, (west + east) / 2)
    lon_span = max(east - west, 0.02)
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    lat_span = max(y_north - y_south, 0.0004)
    zoom_x = math.log2(size[0] * 360 / (256 * lon_span * 1.2))
    zoom_y = math.log2(size[1] * 2 * math.pi / (256 * lat_span * 1.2))
    zoom = int(max(1, min(cap, math.floor(min(zoom_x, zoom_y)))))
    return (round(center[0], 4), round(center[1], 4)), zoom


def station_view(record: Mapping[str, object]) -> tuple[tuple[float, float], int]:
    """Centred on one station, at the zoom its location precision allows."""
    zoom = PRECISION_ZOOM.get(str(record.get("location_precision")), PRECISION_ZOOM["country"])
    lat = float(str(record["latitude"]))
    lon = float(str(record["longitude"]))
    return (round(lat, 4), round(lon, 4)), zoom


def _mercator_y(latitude: float) -> float:
    lat = math.radians(max(-85.0, min(85.0, latitude)))
    return math.log(math.tan(math.pi / 4 + lat / 2))


def station_from_popup(text: str | None) -> str | None:
    """The station id in a clicked marker's popup text (see `StationLayer`)."""
    if not text:
        return None
    found = POPUP_ID.search(text)
    return found.group(1) if found else None
