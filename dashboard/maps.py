"""Build the folium map: an unchanging base (outlines, optional tiles, legend) and a station layer.

No data value is ever written into HTML or JavaScript source. Station fields travel as one JSON
array (HTML-safe JSON), and the browser puts them into the page with `textContent`, so names
such as `<img src=x onerror=alert(1)>` or `${alert(1)}` show as text and run nothing.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard import assets
from dashboard.i18n import DEFAULT_LANGUAGE, STATUS_LABELS, status_label, t
from dashboard.panels import country_layers
from dashboard.rules import NO_RESPONSE, RESPONSE_TIERS
from dashboard.schema import STATUS_DEFINITIONS
from dashboard.urlstate import MapFrame

WORLD_CENTER = (20.0, 10.0)
WORLD_ZOOM = 2
MAX_ZOOM = 18
MAP_WIDTH_PX = 720
MAP_HEIGHT_PX = 600
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
    code: StatusStyle(colour, letter, STATUS_LABELS[code][0])
    for code, (colour, letter) in _STATUS_MARKS.items()
}
UNKNOWN_STYLE = StatusStyle("#374151", "?", "Other status")
assert set(STATUS_STYLES) == set(STATUS_DEFINITIONS)

CHUNKED_ABOVE = 250_000
_NO_RESPONSES = pd.DataFrame({"country_code": [], "response_type": []}, dtype=object)
POPUP_ID = re.compile(r"ID ([a-z0-9]+(?:-[a-z0-9]+)*) \|")


class _Assets(JSCSSMixin, MacroElement):
    """Links our own copies of the marker-cluster plugin and the map's own script and style
    (the stations layer is added later)."""

    default_js = [*assets.CLUSTER_JS, *assets.MAP_JS]  # noqa: RUF012 (folium reads it)
    default_css = [*assets.CLUSTER_CSS, *assets.MAP_CSS]  # noqa: RUF012
    _template = Template("")


class _Outlines(MacroElement):
    """Country outlines fetched from our server into a pane beneath the tiles."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(map) {
  map.createPane('outlines');
  map.getPane('outlines').style.zIndex = 150;
  // Shared with the country layers, which shade the same outlines. Fetched once the stations
  // are drawn (they come first), or after a short wait when there are none to draw.
  map._stShapes = new Promise(function(resolve) {
    var started = false;
    function load() {
      if (started) { return; }
      started = true;
      resolve(fetch({{ this.url|tojson }}).then(function(r) { return r.json(); }));
    }
    window.stStationsDrawn = load;
    setTimeout(load, 1500);
  });
  map._stShapes.then(function(data) {
    L.geoJSON(data, {pane: 'outlines', interactive: false,
      style: {color: '#7b8794', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1}}).addTo(map);
  }).catch(function(err) { console.warn('country outlines not loaded', err); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "Outlines"
        self.url = url


class _Folds(MacroElement):
    """The map's key and its layer choices, folded into two small buttons (top right), and
    the tile layer: made always, added only when tiles are allowed (no request otherwise)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(map) {
  map._stKey = stFold(map, {label: {{ this.words.key|tojson }}, id: 'st-key'});
  map._stKey.panel.innerHTML = {{ this.legend|tojson }};
  map._stLayers = stFold(map, {label: {{ this.words.layers|tojson }}, id: 'st-layers'});
  var tiles = L.tileLayer({{ this.tile_url|tojson }}, {maxZoom: {{ this.max_zoom }},
    attribution: {{ this.attribution|tojson }}});
  // streamlit-folium reports overlays that carry wmsParams: the app learns of the switch.
  tiles.wmsParams = {layers: {{ this.tiles_id|tojson }}};
  map._stTiles = tiles;
  if ({{ this.tiles|tojson }}) {
    tiles.addTo(map);
    var shared = window.__GLOBAL_DATA__;
    if (shared && shared.selected_layers) {
      shared.selected_layers[tiles._url + ',' + {{ this.tiles_id|tojson }}] =
        {name: {{ this.tiles_id|tojson }}, url: tiles._url};
    }
  }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, tiles: bool, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._name = "Folds"
        self.tiles = tiles
        self.tiles_id = TILES_LAYER_ID
        self.tile_url = TILE_URL
        self.max_zoom = MAX_ZOOM
        self.attribution = TILE_ATTRIBUTION
        self.words = {"key": t("map_key", lang), "layers": t("map_layers", lang)}
        rows = [
            f'<div><span class="st-mark" style="background:{s.colour};color:{s.ink}">'
            f"{s.letter}</span>"
            f"{html.escape(status_label(code, lang))}</div>"
            for code, s in STATUS_STYLES.items()
        ]
        rows.append(
            '<div class="st-approx"><span class="st-mark" style="background:#9ca3af;'
            'color:#000">≈</span>'
            f"{html.escape(t('legend_approx', lang))}</div>"
        )
        self.legend = (
            f'<div class="st-legend"><strong>{html.escape(t("legend_status", lang))}</strong>'
            + "".join(rows)
            + "</div>"
        )


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
    strongest government response so far. The station layer sends each view's figures."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(map) {
  var words = {{ this.words|tojson }};
  var tiers = {{ this.tiers|tojson }};
  var countColours = {{ this.count_colours|tojson }};
  map.createPane('countries');
  map.getPane('countries').style.zIndex = 350;
  map.createPane('countryLabels');
  map.getPane('countryLabels').style.zIndex = 360;
  map.getPane('countryLabels').style.pointerEvents = 'none';
  // One shading at a time: radio buttons, with "no shading" first and chosen at the start.
  var groups = {none: L.layerGroup(), count: L.layerGroup(), tier: L.layerGroup()};
  var choices = {};
  choices[words.none] = groups.none;
  choices[words.count] = groups.count;
  choices[words.tier] = groups.tier;
  groups.none.addTo(map);
  var overlays = {};
  overlays[words.tiles] = map._stTiles;
  var control = L.control.layers(choices, overlays, {collapsed: false});
  control.addTo(map);
  map._stLayers.panel.appendChild(control.getContainer());
  var shapes = null, data = null, shownLegend = null, current = 'none';
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }
  function countClass(n) {
    var found = 0;
    data.classes.forEach(function(c, i) { if (n >= c[0]) { found = i; } });
    return found;
  }
  function legend(kind) {
      var div = L.DomUtil.create('div', 'st-legend');
      div.appendChild(text('strong', kind === 'count' ? words.countTitle : words.tierTitle));
      var rows = kind === 'count'
        ? data.classes.map(function(c, i) { return [countColours[i], '', c[2], '#000']; })
        : tiers.map(function(x, i) { return [x[1], String(i + 1), x[2], x[3]]; });
      rows.forEach(function(row) {
        var line = document.createElement('div');
        var swatch = text('span', row[1], 'st-swatch');
        swatch.style.background = row[0];
        swatch.style.color = row[3];
        line.appendChild(swatch);
        line.appendChild(document.createTextNode(row[2]));
        div.appendChild(line);
      });
      return div;
  }
  function tierIndex(code) {
    for (var i = 0; i < tiers.length; i++) { if (tiers[i][0] === code) { return i; } }
    return tiers.length - 1;
  }
  function draw(kind) {
    var group = groups[kind];
    group.clearLayers();
    var shown = function(f) { return data.counts[f.properties.iso_a2] !== undefined; };
    group.addLayer(L.geoJSON(shapes, {pane: 'countries', filter: shown,
      style: function(f) {
        var iso = f.properties.iso_a2;
        var fill = kind === 'count' ? countColours[countClass(data.counts[iso])]
          : tiers[tierIndex(data.tiers[iso])][1];
        return {color: '#374151', weight: 0.8, fillColor: fill, fillOpacity: 0.8};
      },
      onEachFeature: function(f, layer) {
        var iso = f.properties.iso_a2, n = data.counts[iso];
        var about = n + ' ' + words.stations;
        if (kind === 'tier') { about = tiers[tierIndex(data.tiers[iso])][2] + ' (' + about + ')'; }
        layer.bindTooltip(text('div', f.properties.name + ': ' + about));
        var mark = document.createElement('div');
        mark.appendChild(text('span', kind === 'count' ? String(n)
          : String(tierIndex(data.tiers[iso]) + 1)));
        group.addLayer(L.marker([f.properties.label_lat, f.properties.label_lon], {
          pane: 'countryLabels', interactive: false, keyboard: false,
          icon: L.divIcon({className: 'st-clabel', html: mark, iconSize: [0, 0]})}));
      }}));
  }
  function showLegend() {
    if (shownLegend) { shownLegend.remove(); shownLegend = null; }
    if (current !== 'none' && data) {
      shownLegend = legend(current);
      map._stKey.panel.appendChild(shownLegend);
    }
  }
  // Only the shading on show is drawn; the other is drawn when chosen (no work while hidden).
  var drawn = {};
  function redraw() {
    drawn = {};
    if (!shapes || !data) { return; }
    if (current !== 'none') { draw(current); drawn[current] = true; }
    showLegend();
  }
  map.on('baselayerchange', function(e) {
    current = e.layer === groups.count ? 'count' : e.layer === groups.tier ? 'tier' : 'none';
    if (current !== 'none' && shapes && data && !drawn[current]) {
      draw(current);
      drawn[current] = true;
    }
    showLegend();
  });
  map._stShapes.then(function(d) { shapes = d; redraw(); });
  // Leaflet's zoom buttons are titled in English; name them in the page's language.
  if (map.zoomControl) {
    [[map.zoomControl._zoomInButton, words.zoomIn], [map.zoomControl._zoomOutButton, words.zoomOut]]
      .forEach(function(pair) {
        pair[0].title = pair[1];
        pair[0].setAttribute('aria-label', pair[1]);
      });
  }
  window.stCountryLayers = {
    groups: groups,
    update: function(d) { data = d; redraw(); }
  };
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__()
        self._name = "CountryLayers"
        self.words = {
            "none": t("layer_none", lang),
            "count": t("layer_count", lang),
            "tier": t("layer_strongest", lang),
            "countTitle": t("legend_count", lang),
            "tierTitle": t("legend_strongest", lang),
            "stations": t("tip_stations", lang),
            "zoomIn": t("zoom_in", lang),
            "zoomOut": t("zoom_out", lang),
            "tiles": t("tiles", lang),
        }
        self.tiers = [
            [code, colour, t(f"tier_{code}", lang), text_colour(colour)]
            for code, colour in TIER_COLOURS.items()
        ]
        self.count_colours = list(COUNT_COLOURS)


class _CountryData(MacroElement):
    """This view's figures per country, handed to the country layers of the base map."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
if (window.stCountryLayers) { window.stCountryLayers.update({{ this.data|tojson }}); }
{% endmacro %}
"""
    )

    def __init__(self, counts: dict[str, int], tiers: dict[str, str]) -> None:
        super().__init__()
        self._name = "CountryData"
        classes = count_classes(max(counts.values())) if counts else []
        self.data = {
            "counts": counts,
            "tiers": tiers,
            "classes": [[low, high, class_label(low, high)] for low, high in classes],
        }


_STATION_JS = """(function() {
  var styles = %(styles)s;
  var words = %(words)s;
  var group = L.markerClusterGroup(%(options)s);
  var icons = {};
  function icon(style, approx) {
    var key = style + (approx ? 'a' : '');
    if (!icons[key]) {
      var s = styles[style];
      icons[key] = L.divIcon({
        className: approx ? 'st-icon st-approx' : 'st-icon',
        html: '<span class="st-mark" style="background:' + s[0] + ';color:' + s[3] + '">' +
          s[1] + '</span>',
        iconSize: [20, 20]
      });
    }
    return icons[key];
  }
  function line(parent, tag, text, cls) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) { el.className = cls; }
    parent.appendChild(el);
  }
  function place(r) { return r[6] ? r[6] + ', ' + r[7] : r[7]; }
  function tooltip(layer) {
    var r = layer.options.row, tip = document.createElement('div');
    tip.textContent = r[5] + ' (' + place(r) + ')' + (r[4] === 1 ? ' - ' + words.tipApprox : '');
    return tip;
  }
  function popup(r) {
    var pop = document.createElement('div');
    pop.className = 'st-pop';
    line(pop, 'div', 'ID ' + r[0] + ' |', 'st-id');
    line(pop, 'strong', r[5]);
    line(pop, 'div', place(r));
    line(pop, 'div', words.status + ': ' + styles[r[3]][2] + (r[8] ? ' (' + r[8] + ')' : ''));
    line(pop, 'div', words.first + ': ' + r[9]);
    if (r[4] === 1) { line(pop, 'em', words.approx); }
    return pop;
  }
  // A marker on the map is named for screen readers by its place and status, e.g.
  // "Rotterdam, Netherlands: " and the status in words (its letter alone says little).
  function named() {
    var r = this.options.row, el = this.getElement();
    if (el) { el.setAttribute('aria-label', place(r) + ': ' + styles[r[3]][2]); }
  }
  // The popup is built on the first click, before the map's own click handler reads it.
  function onClick() {
    if (!this.getPopup()) { this.bindPopup(popup(this.options.row)); this.openPopup(); }
  }
  // The rows travel column by column, each text column as codes into its table of distinct
  // values (names, cities, countries and dates repeat); a marker keeps its row as an array.
  var data = %(rows)s, n = data.id.length;
  function text(k, i) { var c = data.c[k][i]; return c < 0 ? '' : data.t[k][c]; }
  var markers = new Array(n);
  for (var i = 0; i < n; i++) {
    var r = [data.id[i], data.lat[i], data.lon[i], data.s[i], data.a[i],
      text(0, i), text(1, i), text(2, i), text(3, i), text(4, i)];
    var m = L.marker([r[1], r[2]], {icon: icon(r[3], r[4] === 1), keyboard: true, row: r});
    m.on('click', onClick);
    m.on('add', named);
    markers[i] = m;
  }
  // Tooltips too are made on first use, for the marker under the pointer or keyboard focus.
  function showTooltip(e) {
    var m = e.layer || e.target;
    if (m && m.options && m.options.row && !m.getTooltip()) {
      m.bindTooltip(tooltip).openTooltip();
    }
  }
  group.on('mouseover', showTooltip);
  group.on('keypress', showTooltip);
  group.addLayers(markers);
  // The country outlines wait for the stations (see _Outlines).
  setTimeout(function() { if (window.stStationsDrawn) { window.stStationsDrawn(); } }, 0);
  return group;
})()"""


def _js_json(value: object) -> str:
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


class StationLayer(MacroElement):
    """All stations as clustered markers, built in the browser from one JSON array."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.body }};
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
        styles = [*STATUS_STYLES.values(), UNKNOWN_STYLE]
        labels = [status_label(code, lang) for code in STATUS_STYLES] + [UNKNOWN_STYLE.label]
        self.styles = [
            [s.colour, s.letter, label, s.ink] for s, label in zip(styles, labels, strict=True)
        ]
        self.words = {
            "status": t("pop_status", lang),
            "first": t("pop_first", lang),
            "approx": t("pop_approx", lang),
            "tipApprox": t("tip_approx", lang),
        }
        self.rows_json = station_rows_json(stations, base)
        self.cluster_options = {
            "maxClusterRadius": 40,
            "showCoverageOnHover": False,
            "spiderfyOnMaxZoom": True,
            # Above this size, add markers in chunks so the page stays responsive while they
            # load; below it one pass is quicker (measured in docs/benchmarks.md).
            "chunkedLoading": len(stations) > CHUNKED_ABOVE,
        }
        self.body = _STATION_JS % {
            "styles": _js_json(self.styles),
            "words": _js_json(self.words),
            "rows": self.rows_json,
            "options": _js_json(self.cluster_options),
        }

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
_WHOLE: dict[int, tuple[pd.DataFrame, str]] = {}


def station_columns(stations: pd.DataFrame) -> dict[str, list]:
    """What the browser needs per station, column by column: id, coordinates, style index,
    approximate flag, and each text column as codes (-1: empty) into its distinct values."""
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


def station_rows_json(stations: pd.DataFrame, base: pd.DataFrame | None = None) -> str:
    """The stations' payload as JSON for the page. `base`: the shared table the view was
    selected from; when the view is that whole table (no filter), its payload is made once
    and reused by every session."""
    if base is not None and stations is base:
        cached = _WHOLE.get(id(base))
        if cached is None or cached[0] is not base:
            if len(_WHOLE) >= 8:
                _WHOLE.clear()
            cached = (base, _js_json(station_columns(base)))
            _WHOLE[id(base)] = cached
        return cached[1]
    return _js_json(station_columns(stations))


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
    """A ring around the selected station, drawn above the clusters."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.circleMarker({{ this.location|tojson }}, {radius: 17, color: '#111827', weight: 3,
  fill: false, interactive: false}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, latitude: float, longitude: float) -> None:
        super().__init__()
        self._name = "Highlight"
        self.location = [float(latitude), float(longitude)]


def build_base_map(
    tiles: bool = True, frame: MapFrame | None = None, lang: str = DEFAULT_LANGUAGE
) -> folium.Map:
    """The part of the map that does not change with the filters, opening at `frame`."""
    fmap = folium.Map(
        location=(frame.latitude, frame.longitude) if frame else WORLD_CENTER,
        zoom_start=frame.zoom if frame else WORLD_ZOOM,
        tiles=None,
        max_zoom=MAX_ZOOM,
        min_zoom=1,
        world_copy_jump=True,
        control_scale=True,
    )
    # Without a tile layer Leaflet has no maxZoom, and clustering throws: set it on the map.
    fmap.options["max_zoom"] = MAX_ZOOM
    fmap.options["min_zoom"] = 1
    fmap.default_js = assets.LEAFLET_JS
    fmap.default_css = assets.LEAFLET_CSS
    fmap.add_child(_Assets())
    fmap.add_child(_Outlines(assets.COUNTRIES_URL))
    fmap.add_child(_Folds(tiles, lang))
    fmap.add_child(_CountryLayers(lang))
    return fmap


def build_station_layer(
    stations: pd.DataFrame,
    selected: str | None = None,
    responses: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
    base: pd.DataFrame | None = None,
) -> folium.FeatureGroup:
    """The stations (and the selected one's ring) as one feature group for `st_folium`, with the
    figures per country that the country layers shade (responses: those of this view)."""
    group = folium.FeatureGroup(name=t("layer_stations", lang))
    group.add_child(StationLayer(stations, lang, base))
    counts, tiers = country_layers(stations, responses if responses is not None else _NO_RESPONSES)
    group.add_child(_CountryData(counts, tiers))
    if selected is not None:
        row = stations.loc[stations["station_id"] == selected]
        if not row.empty:
            group.add_child(_Highlight(row.iloc[0]["latitude"], row.iloc[0]["longitude"]))
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


def view_for(stations: pd.DataFrame) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show every given station, never closer than their precision."""
    if stations.empty:
        return WORLD_CENTER, WORLD_ZOOM
    lat = stations["latitude"].astype(float)
    lon = stations["longitude"].astype(float)
    south, north, west, east = lat.min(), lat.max(), lon.min(), lon.max()
    center = ((south + north) / 2, (west + east) / 2)
    lon_span = max(east - west, 0.02)
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    lat_span = max(y_north - y_south, 0.0004)
    zoom_x = math.log2(MAP_WIDTH_PX * 360 / (256 * lon_span * 1.2))
    zoom_y = math.log2(MAP_HEIGHT_PX * 2 * math.pi / (256 * lat_span * 1.2))
    cap = zoom_cap(stations["location_precision"]) if "location_precision" in stations else 10
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
