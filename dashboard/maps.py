"""Build the folium map: an unchanging base (outlines, optional tiles, legend) and a station layer.

No data value is ever written into HTML or JavaScript source. Station fields travel as one JSON
array (HTML-safe JSON), and the browser puts them into the page with `textContent`, so names
such as `<img src=x onerror=alert(1)>` or `${alert(1)}` show as text and run nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from dashboard import assets
from dashboard.schema import STATUS_DEFINITIONS

WORLD_CENTER = (20.0, 10.0)
WORLD_ZOOM = 2
MAX_ZOOM = 18
MAP_WIDTH_PX = 760
MAP_HEIGHT_PX = 540


@dataclass(frozen=True)
class StatusStyle:
    colour: str
    letter: str
    label: str


# Okabe-Ito colours (safe for the common colour-vision deficiencies) plus a letter and a word,
# so that colour is never the only signal.
STATUS_STYLES: dict[str, StatusStyle] = {
    "reported": StatusStyle("#E69F00", "R", "Reported (alleged)"),
    "investigating": StatusStyle("#0072B2", "I", "Under investigation"),
    "closed": StatusStyle("#009E73", "C", "Said to be closed"),
    "prosecuted": StatusStyle("#D55E00", "P", "Prosecuted"),
    "denied": StatusStyle("#CC79A7", "D", "Denied by host authorities"),
    "investigation_closed": StatusStyle("#6B7280", "E", "Investigation ended"),
}
UNKNOWN_STYLE = StatusStyle("#374151", "?", "Other status")
assert set(STATUS_STYLES) == set(STATUS_DEFINITIONS)

CHUNKED_ABOVE = 20_000
POPUP_ID = re.compile(r"ID ([a-z0-9]+(?:-[a-z0-9]+)*) \|")

_CSS = """
<style>
.leaflet-container { background: #d7e6f2; }
.st-icon { background: none; border: none; }
.st-mark { display: flex; align-items: center; justify-content: center; width: 20px; height: 20px;
  border-radius: 50%; border: 2px solid #1f2937; color: #fff; font: bold 11px/1 sans-serif;
  box-sizing: border-box; text-shadow: 0 0 2px #000; }
.st-approx .st-mark { border-style: dashed; opacity: 0.8; border-radius: 3px; }
.marker-cluster, .marker-cluster div { background-color: rgba(31, 41, 55, 0.35) !important; }
.marker-cluster div { background-color: rgba(31, 41, 55, 0.85) !important; color: #fff; }
.st-legend { background: rgba(255,255,255,0.92); padding: 4px 6px; border-radius: 4px;
  font: 11px/1.4 sans-serif; color: #111; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.st-legend .st-mark { display: inline-flex; width: 16px; height: 16px; font-size: 9px;
  vertical-align: middle; margin-right: 4px; }
.st-pop { font: 13px/1.4 sans-serif; max-width: 260px; }
.st-pop .st-id { color: #555; font-size: 11px; }
</style>
"""


class _Assets(JSCSSMixin, MacroElement):
    """Links our own copies of the marker-cluster plugin (the stations layer is added later)."""

    default_js = assets.CLUSTER_JS
    default_css = assets.CLUSTER_CSS
    _template = Template("")


class _Outlines(MacroElement):
    """Country outlines fetched from our server into a pane beneath the tiles."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(map) {
  map.createPane('outlines');
  map.getPane('outlines').style.zIndex = 150;
  fetch({{ this.url|tojson }}).then(function(r) { return r.json(); }).then(function(data) {
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


class _Legend(MacroElement):
    """A legend built from constants only: colour, letter and words for each status."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(map) {
  var legend = L.control({position: 'topright'});
  legend.onAdd = function() {
    var div = L.DomUtil.create('div', 'st-legend');
    div.innerHTML = {{ this.html|tojson }};
    return div;
  };
  legend.addTo(map);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        rows = [
            f'<div><span class="st-mark" style="background:{s.colour}">{s.letter}</span>'
            f"{s.label}</div>"
            for s in STATUS_STYLES.values()
        ]
        rows.append(
            '<div class="st-approx"><span class="st-mark" style="background:#9ca3af">≈</span>'
            "Dashed square: country known only (approximate)</div>"
        )
        self.html = "<strong>Status</strong>" + "".join(rows)


_STATION_JS = """(function() {
  var styles = %(styles)s;
  var rows = %(rows)s;
  var group = L.markerClusterGroup(%(options)s);
  var icons = {};
  function icon(style, approx) {
    var key = style + (approx ? 'a' : '');
    if (!icons[key]) {
      var s = styles[style];
      icons[key] = L.divIcon({
        className: approx ? 'st-icon st-approx' : 'st-icon',
        html: '<span class="st-mark" style="background:' + s[0] + '">' + s[1] + '</span>',
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
    tip.textContent = r[5] + ' (' + place(r) + ')' + (r[4] === 1 ? ' - approximate location' : '');
    return tip;
  }
  function popup(r) {
    var pop = document.createElement('div');
    pop.className = 'st-pop';
    line(pop, 'div', 'ID ' + r[0] + ' |', 'st-id');
    line(pop, 'strong', r[5]);
    line(pop, 'div', place(r));
    line(pop, 'div', 'Status: ' + styles[r[3]][2] + (r[8] ? ' (' + r[8] + ')' : ''));
    line(pop, 'div', 'First reported by ' + r[9]);
    if (r[4] === 1) { line(pop, 'em', 'Approximate location: only the country is known.'); }
    return pop;
  }
  // The popup is built on the first click, before the map's own click handler reads it.
  function onClick() {
    if (!this.getPopup()) { this.bindPopup(popup(this.options.row)); this.openPopup(); }
  }
  var markers = new Array(rows.length);
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var m = L.marker([r[1], r[2]], {icon: icon(r[3], r[4] === 1), keyboard: true, row: r});
    m.on('click', onClick);
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

    def __init__(self, stations: pd.DataFrame) -> None:
        super().__init__()
        self._name = "StationLayer"
        styles = [*STATUS_STYLES.values(), UNKNOWN_STYLE]
        self.styles = [[s.colour, s.letter, s.label] for s in styles]
        index = {status: i for i, status in enumerate(STATUS_STYLES)}
        self.rows = station_rows(stations, index, len(styles) - 1)
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
            "rows": _js_json(self.rows),
            "options": _js_json(self.cluster_options),
        }

    def render(self, **kwargs: object) -> None:
        # As MacroElement.render, without compiling megabytes of data as a Jinja template.
        script = self._template.module.__dict__["script"](self, kwargs)
        self.get_root().script.add_child(_RawScript(str(script)), name=self.get_name())


def _texts(column: pd.Series) -> list[str]:
    return ["" if v is None or v is pd.NA else str(v) for v in column.astype(object).tolist()]


def station_rows(stations: pd.DataFrame, index: dict[str, int], unknown: int) -> list[list]:
    """The compact per-station arrays the browser needs (id, lat, lon, style, approx, text...)."""
    styles = [index.get(v, unknown) for v in _texts(stations["status"])]
    approx = [1 if v == "country" else 0 for v in _texts(stations["location_precision"])]
    return [
        list(row)
        for row in zip(
            _texts(stations["station_id"]),
            stations["latitude"].astype(float).round(5).tolist(),
            stations["longitude"].astype(float).round(5).tolist(),
            styles,
            approx,
            _texts(stations["name"]),
            _texts(stations["city"]),
            _texts(stations["country"]),
            _texts(stations["status_date"]),
            _texts(stations["first_reported_by"]),
            strict=True,
        )
    ]


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


def build_base_map(tiles: bool = True) -> folium.Map:
    """The part of the map that does not change with the filters."""
    fmap = folium.Map(
        location=WORLD_CENTER,
        zoom_start=WORLD_ZOOM,
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
    fmap.get_root().header.add_child(Element(_CSS), name="station_css")
    fmap.add_child(_Assets())
    fmap.add_child(_Outlines(assets.COUNTRIES_URL))
    if tiles:
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap tiles",
            max_zoom=MAX_ZOOM,
            attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
            "contributors",
        ).add_to(fmap)
    fmap.add_child(_Legend())
    return fmap


def build_station_layer(stations: pd.DataFrame, selected: str | None = None) -> folium.FeatureGroup:
    """The stations (and the selected one's ring) as one feature group for `st_folium`."""
    group = folium.FeatureGroup(name="Stations")
    group.add_child(StationLayer(stations))
    if selected is not None:
        row = stations.loc[stations["station_id"] == selected]
        if not row.empty:
            group.add_child(_Highlight(row.iloc[0]["latitude"], row.iloc[0]["longitude"]))
    return group


def build_map(
    stations: pd.DataFrame, selected: str | None = None, tiles: bool = True
) -> folium.Map:
    """The whole map in one object (for saving as HTML and for tests)."""
    fmap = build_base_map(tiles)
    fmap.add_child(build_station_layer(stations, selected))
    center, zoom = view_for(stations)
    fmap.location = list(center)
    fmap.options["zoom"] = zoom
    return fmap


def view_for(stations: pd.DataFrame) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show every given station."""
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
    zoom = int(max(1, min(11, math.floor(min(zoom_x, zoom_y)))))
    return (round(center[0], 4), round(center[1], 4)), zoom


def _mercator_y(latitude: float) -> float:
    lat = math.radians(max(-85.0, min(85.0, latitude)))
    return math.log(math.tan(math.pi / 4 + lat / 2))


def station_from_popup(text: str | None) -> str | None:
    """The station id in a clicked marker's popup text (see `StationLayer`)."""
    if not text:
        return None
    found = POPUP_ID.search(text)
    return found.group(1) if found else None
