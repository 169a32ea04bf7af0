/* The stations map's own script, loaded once per map frame after Leaflet and markercluster.
 *
 * The Python side (dashboard/maps.py) passes data and options only; everything here puts text
 * into the page with textContent, never as HTML, so a station named <img onerror=...> shows as
 * text. Every word shown comes from the options (the page's language).
 *
 *   stFold(map, {label, id, position})       a folded control: button + panel
 *   stControls(map, options)                 map label, key and layers folds, tile layer
 *   stOutlines(map, url, names)               offline country outlines (after the stations),
 *                                            named while the tiles are off
 *   stCountryLayers(map, options)            two shadings of the outlines, in the layers fold
 *   stCountryData(figures)                   this view's figures for the shadings
 *   stStationLayer(options, data)            the stations as clustered, keyboard-usable markers
 *   stHighlight(layer, latlng, label)        a ring around the selected station, its place
 *   stChanged(map, latlngs)                  dashed rings on the stations changed since a day
 *   stPlace(map, options)                    a distance filter's place and its circle
 *   stViewFirst(center, zoom, fit)           a new layer's view, set before it is drawn
 *   stFitted(map, fit)                       a fitted frame widened to a small map at once
 */
(function () {
  'use strict';

  /* The map fills its frame (map.css says so too, but the style file may arrive after the map
   * is made). Leaflet measures its container once, when the map is made: measured at the
   * 600 px that streamlit-folium writes on it, it drew the outlines and tiles short of the
   * frame's bottom and put the view's centre 60 px too high. Set here, the rule is in place
   * before the map's own script runs.
   * A page of the published site (data-st-site on its root) holds the map in its text instead.
   */
  if (!document.documentElement.hasAttribute('data-st-site')) {
    var fillFrame = document.createElement('style');
    fillFrame.textContent = 'html, body { height: 100%; margin: 0; overflow: hidden; }\n' +
      '#map_div, .folium-map { height: 100vh !important; }';
    document.head.appendChild(fillFrame);
  }

  /* Leaflet focuses the map on a mouse press so that its arrow keys work. Its focus() scrolls
   * every page that holds the frame to show as much of the map as fits: when the map's bottom
   * is below the window (a notice above it pushed it down), the page moved between press and
   * release, Leaflet read the click on a station as a drag, and nothing was selected. Focus
   * without scrolling (the map is already where the reader is pressing). */
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (this._focused) { return; }
    this._map._container.focus({preventScroll: true});
  };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? String(values[name]) : all;
    });
  }

  // A station's place in words: "City, Country", or the country alone.
  function place(r) { return r[6] ? r[6] + ', ' + r[7] : r[7]; }

  function isActivate(event) {
    return event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar';
  }

  /* A small labelled button that opens its panel by click, Enter or Space, and closes it again
   * by the button or Escape (focus goes back to the button). */
  function stFold(map, options) {
    var control = L.control({position: options.position || 'topright'});
    control.onAdd = function () {
      var box = L.DomUtil.create('div', 'leaflet-bar st-fold');
      var button = L.DomUtil.create('button', 'st-fold-button', box);
      button.type = 'button';
      button.textContent = options.label;
      button.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-controls', options.id);
      var panel = L.DomUtil.create('div', 'st-fold-panel', box);
      panel.id = options.id;
      panel.hidden = true;
      panel.setAttribute('role', 'group');
      panel.setAttribute('aria-label', options.label);
      // A long panel scrolls: focusable, so the keyboard can scroll it too.
      panel.tabIndex = 0;
      function show(open) {
        panel.hidden = !open;
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
        L.DomUtil[open ? 'addClass' : 'removeClass'](box, 'st-open');
      }
      L.DomEvent.on(button, 'click', function (e) {
        L.DomEvent.stop(e);
        show(panel.hidden);
      });
      L.DomEvent.on(box, 'keydown', function (e) {
        if (e.key === 'Escape' && !panel.hidden) {
          L.DomEvent.stop(e);
          show(false);
          button.focus();
        }
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      control.panel = panel;
      control.button = button;
      control.show = show;
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* The status key (a coloured letter and a word per status), built from data. */
  function statusKey(options) {
    var box = el('div', null, 'st-legend');
    box.appendChild(el('strong', options.words.status));
    options.styles.forEach(function (s) {
      var row = el('div');
      var mark = el('span', s[1], 'st-mark');
      mark.style.background = s[0];
      mark.style.color = s[3];
      mark.setAttribute('aria-hidden', 'true');
      row.appendChild(mark);
      row.appendChild(document.createTextNode(s[2]));
      box.appendChild(row);
    });
    var approx = el('div', null, 'st-approx');
    var mark = el('span', '\u2248', 'st-mark st-approx-mark');
    mark.setAttribute('aria-hidden', 'true');
    approx.appendChild(mark);
    approx.appendChild(document.createTextNode(options.words.approx));
    box.appendChild(approx);
    return box;
  }

  /* The map's name for assistive technology, its key and layers folds, and the tile layer:
   * made always, added only when tiles are allowed (no request to a tile server otherwise). */
  function stControls(map, options) {
    // folium's page forbids zooming (user-scalable=no); readers may zoom (WCAG 1.4.4).
    document.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      meta.setAttribute('content', 'width=device-width, initial-scale=1');
    });
    var container = map.getContainer();
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', options.words.map);
    try {
      if (window.frameElement) {
        window.frameElement.setAttribute('title', options.words.map);
        // The written view under the map (app.py, VIEW_TEXT_ID) describes what it shows.
        window.frameElement.setAttribute('aria-describedby', 'st-view-text');
      }
    } catch (e) { /* a frame of another origin: its title stays as it is */ }
    map._stKey = stFold(map, {label: options.words.key, id: 'st-key'});
    map._stKey.panel.appendChild(statusKey(options));
    map._stLayers = stFold(map, {label: options.words.layers, id: 'st-layers'});
    var tiles = L.tileLayer(options.tileUrl, {maxZoom: options.maxZoom,
      attribution: options.attribution});
    // streamlit-folium reports overlays that carry wmsParams: the app learns of the switch.
    tiles.wmsParams = {layers: options.tilesId};
    map._stTiles = tiles;
    if (options.tiles) {
      tiles.addTo(map);
      var shared = window.__GLOBAL_DATA__;
      if (shared && shared.selected_layers) {
        shared.selected_layers[tiles._url + ',' + options.tilesId] =
          {name: options.tilesId, url: tiles._url};
      }
    }
    // Leaflet's zoom buttons are titled in English; name them in the page's language.
    if (map.zoomControl) {
      [[map.zoomControl._zoomInButton, options.words.zoomIn],
        [map.zoomControl._zoomOutButton, options.words.zoomOut]].forEach(function (pair) {
        pair[0].title = pair[1];
        pair[0].setAttribute('aria-label', pair[1]);
      });
    }
    // Escape closes an open popup wherever focus is in the map, and focus stays where it was.
    L.DomEvent.on(container, 'keydown', function (e) {
      if (e.key === 'Escape' && map._popup && map.hasLayer(map._popup)) {
        map.closePopup();
        L.DomEvent.stop(e);
      }
    });
  }

  /* The compact outlines (see dashboard/assets.py) as GeoJSON: each ring's points are steps
   * in whole 1/scale degrees from the point before. */
  function outlines(compact) {
    var scale = compact.scale;
    function ring(steps) {
      var points = new Array(steps.length / 2), x = 0, y = 0;
      for (var i = 0; i < steps.length; i += 2) {
        x += steps[i];
        y += steps[i + 1];
        points[i / 2] = [x / scale, y / scale];
      }
      return points;
    }
    return {type: 'FeatureCollection', features: compact.features.map(function (f) {
      var polygons = f[1].map(function (p) { return p.map(ring); });
      return {type: 'Feature', properties: f[0], geometry: polygons.length === 1
        ? {type: 'Polygon', coordinates: polygons[0]}
        : {type: 'MultiPolygon', coordinates: polygons}};
    })};
  }

  /* Country outlines fetched from our server into a pane beneath the tiles. They wait for the
   * stations (drawn first), or a short while when there are none to draw. `names`: the
   * countries' names in the page's language ({iso_a2: name}; null: the outlines' own). */
  function stOutlines(map, url, names) {
    map.createPane('outlines');
    map.getPane('outlines').style.zIndex = 150;
    map._stShapes = new Promise(function (resolve) {
      var started = false;
      function load() {
        if (started) { return; }
        started = true;
        resolve(fetch(url).then(function (r) { return r.json(); }).then(outlines));
      }
      window.stStationsDrawn = load;
      setTimeout(load, 1500);
    });
    map._stShapes.then(function (data) {
      map._stOutlines = L.geoJSON(data, {pane: 'outlines', interactive: false,
        style: {color: '#7b8794', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1}});
      // A search may have moved the map (and taken the outlines off) meanwhile: see stViewFirst.
      if (!map._stOutlinesAway) { map._stOutlines.addTo(map); }
      outlineNames(map, data, names);
    }).catch(function (err) { console.warn('country outlines not loaded', err); });
  }

  /* A country's main part, for the room its name has: the bounds of the part that holds its
   * label point (the largest if none does), so that France is named by its European part,
   * not by a box from French Guiana to Réunion. */
  function mainPart(geometry, at) {
    var parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    var best = null, bestArea = -1, bestHolds = false;
    parts.forEach(function (polygon) {
      var bounds = L.latLngBounds(polygon[0].map(function (p) { return [p[1], p[0]]; }));
      var area = (bounds.getNorth() - bounds.getSouth()) * (bounds.getEast() - bounds.getWest());
      var holds = bounds.contains(at);
      if ((holds && !bestHolds) || (holds === bestHolds && area > bestArea)) {
        best = bounds; bestArea = area; bestHolds = holds;
      }
    });
    return best;
  }

  // The width and height in pixels of `bounds` at `zoom`.
  function onScreen(map, bounds, zoom) {
    var ne = map.project(bounds.getNorthEast(), zoom);
    var sw = map.project(bounds.getSouthWest(), zoom);
    return L.point(ne.x - sw.x, sw.y - ne.y);
  }

  var measure = null;
  function textWidth(text) {
    if (measure === null) {
      measure = document.createElement('canvas').getContext('2d') || false;
      if (measure) { measure.font = NAME_FONT; }
    }
    return measure ? measure.measureText(text).width : text.length * 7;
  }
  var NAME_FONT = '600 12px sans-serif';  // as map.css's .st-oname span

  // Whether a point is inside a (Multi)Polygon: a ray's crossings, even-odd over its rings.
  function holds(geometry, lat, lng) {
    var parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    return parts.some(function (polygon) {
      var inside = false;
      polygon.forEach(function (ring) {
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          var a = ring[i], b = ring[j];
          if ((a[1] > lat) !== (b[1] > lat) &&
              lng < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0]) { inside = !inside; }
        }
      });
      return inside;
    });
  }

  /* Where a country's name goes in the map's view (pixel bounds at `zoom`): its label point,
   * or, when that is off the screen, the point of the screen nearest to it that is still in
   * the country, so that a map zoomed in on one station still says which country it shows.
   * Null when the name has no room: its country's main part is narrower or lower on the
   * screen than the name, or out of sight. */
  function nameSpot(map, p, zoom, view) {
    var part = L.bounds(map.project(p.part.getNorthWest(), zoom),
      map.project(p.part.getSouthEast(), zoom));
    var size = part.getSize();
    if (size.x < p.width + 12 || size.y < 36) { return null; }
    var half = L.point(p.width / 2 + 12, 20);  // the name's half, and a margin
    var min = L.point(Math.max(part.min.x, view.min.x + half.x),
      Math.max(part.min.y, view.min.y + half.y));
    var max = L.point(Math.min(part.max.x, view.max.x - half.x),
      Math.min(part.max.y, view.max.y - half.y));
    if (min.x > max.x || min.y > max.y) { return null; }
    var c = map.project(p.at, zoom);
    var at = L.point(Math.min(max.x, Math.max(min.x, c.x)), Math.min(max.y, Math.max(min.y, c.y)));
    if (at.equals(c)) { return at; }
    var ll = map.unproject(at, zoom);
    return holds(p.geometry, ll.lat, ll.lng) ? at : null;
  }

  // The map's view (pixel bounds) less the bands its controls take at the top and the bottom.
  function clearOfControls(map, view) {
    var container = map.getContainer(), frame = container.getBoundingClientRect();
    var top = 0, bottom = 0;
    container.querySelectorAll('.leaflet-control').forEach(function (control) {
      var r = control.getBoundingClientRect();
      if (!r.height) { return; }
      if (L.DomUtil.hasClass(control.parentNode, 'leaflet-top')) {
        top = Math.max(top, r.bottom - frame.top);
      } else {
        bottom = Math.max(bottom, frame.bottom - r.top);
      }
    });
    return L.bounds(view.min.add([0, top]), view.max.subtract([0, bottom]));
  }

  // The boxes (pixels at `zoom`) of the stations' markers and clusters on the map: no name
  // goes under one.
  function stationBoxes(map, zoom) {
    var boxes = [];
    map.eachLayer(function (layer) {
      if (!(layer.options.row || layer.getAllChildMarkers) || !layer.getLatLng) { return; }
      var c = map.project(layer.getLatLng(), zoom);
      boxes.push([c.x - 20, c.y - 20, c.x + 20, c.y + 20]);
    });
    return boxes;
  }

  /* Country names on the offline outlines, shown only while the tile layer is off the map
   * (the tiles carry names of their own). They duplicate the outlines, so they are hidden
   * from assistive technology, never focusable, and never in the pointer's way (a pane of
   * their own, under the stations, taking no pointer events). A name goes where it has room
   * (nameSpot) and meets no station and no name already placed, the larger countries first;
   * placed again after each move or zoom. */
  function outlineNames(map, data, names) {
    map.createPane('outlineNames');
    var pane = map.getPane('outlineNames');
    pane.style.zIndex = 355;  // above the shadings' fills (350), under their numbers (360)
    pane.style.pointerEvents = 'none';
    pane.setAttribute('aria-hidden', 'true');
    var places = [], layer = L.layerGroup().addTo(map);
    data.features.forEach(function (f) {
      var p = f.properties, name = names ? names[p.iso_a2] : p.name;
      if (!name || p.label_lat === undefined) { return; }
      var at = L.latLng(p.label_lat, p.label_lon), part = mainPart(f.geometry, at);
      var size = onScreen(map, part, 0);
      places.push({name: name, at: at, part: part, geometry: f.geometry,
        area: size.x * size.y, width: textWidth(name) + 6});
    });
    places.sort(function (a, b) { return b.area - a.area; });
    function draw() {
      layer.clearLayers();
      if (map._stTiles && map.hasLayer(map._stTiles)) { return; }
      var zoom = map.getZoom(), view = clearOfControls(map, map.getPixelBounds());
      var placed = stationBoxes(map, zoom);
      places.forEach(function (p) {
        var at = nameSpot(map, p, zoom, view);
        if (!at) { return; }
        // Its box, and below it where a shading's number pushes it (map.css, .st-shaded).
        var box = [at.x - p.width / 2 - 4, at.y - 12, at.x + p.width / 2 + 4, at.y + 28];
        if (placed.some(function (q) {
          return box[0] < q[2] && q[0] < box[2] && box[1] < q[3] && q[1] < box[3];
        })) { return; }
        placed.push(box);
        layer.addLayer(L.marker(map.unproject(at, zoom), {pane: 'outlineNames',
          interactive: false, keyboard: false,
          icon: L.divIcon({className: 'st-oname', html: el('span', p.name), iconSize: [0, 0]})}));
      });
    }
    map.on('moveend', draw);
    map.on('layeradd layerremove', function (e) { if (e.layer === map._stTiles) { draw(); } });
    draw();
  }

  /* Two shadings of the offline outlines, chosen in the layers fold: stations per country, and
   * the strongest government response so far. The station layer sends each view's figures. */
  function stCountryLayers(map, options) {
    var words = options.words, tiers = options.tiers, countColours = options.countColours;
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
    function countClass(n) {
      var found = 0;
      data.classes.forEach(function (c, i) { if (n >= c[0]) { found = i; } });
      return found;
    }
    function legend(kind) {
      var div = L.DomUtil.create('div', 'st-legend');
      div.appendChild(el('strong', kind === 'count' ? words.countTitle : words.tierTitle));
      var rows = kind === 'count'
        ? data.classes.map(function (c, i) { return [countColours[i], '', c[2], '#000']; })
        : tiers.map(function (x, i) { return [x[1], String(i + 1), x[2], x[3]]; });
      rows.forEach(function (row) {
        var line = document.createElement('div');
        var swatch = el('span', row[1], 'st-swatch');
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
      var shown = function (f) { return data.counts[f.properties.iso_a2] !== undefined; };
      group.addLayer(L.geoJSON(shapes, {pane: 'countries', filter: shown,
        style: function (f) {
          var iso = f.properties.iso_a2;
          var colour = kind === 'count' ? countColours[countClass(data.counts[iso])]
            : tiers[tierIndex(data.tiers[iso])][1];
          return {color: '#374151', weight: 0.8, fillColor: colour, fillOpacity: 0.8};
        },
        onEachFeature: function (f, layer) {
          var iso = f.properties.iso_a2, n = data.counts[iso];
          var about = n + ' ' + words.stations;
          if (kind === 'tier') { about = tiers[tierIndex(data.tiers[iso])][2] + ' (' + about + ')'; }
          layer.bindTooltip(el('div', f.properties.name + ': ' + about));
          var mark = document.createElement('div');
          mark.appendChild(el('span', kind === 'count' ? String(n)
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
    map.on('baselayerchange', function (e) {
      current = e.layer === groups.count ? 'count' : e.layer === groups.tier ? 'tier' : 'none';
      // A shading's numbers sit on the label points: the country names move below them.
      L.DomUtil[current === 'none' ? 'removeClass' : 'addClass'](map.getContainer(), 'st-shaded');
      if (current !== 'none' && shapes && data && !drawn[current]) {
        draw(current);
        drawn[current] = true;
      }
      showLegend();
    });
    map._stShapes.then(function (d) { shapes = d; redraw(); });
    window.stShading = {
      groups: groups,
      update: function (d) { data = d; redraw(); }
    };
  }

  function stCountryData(figures) {
    if (window.stShading) { window.stShading.update(figures); }
  }

  /* A cluster's name: how many stations, and where ("3 stations in Milan, Italy"; "12 stations
   * in Italy: Milan, Rome, Prato and more"; "49 stations in 9 countries: ..."). */
  function clusterName(cluster, words) {
    var markers = cluster.getAllChildMarkers(), n = markers.length;
    var cities = {}, countries = {}, cityList = [], countryList = [];
    markers.forEach(function (m) {
      var r = m.options.row, city = place(r), country = r[7];
      if (!cities[city]) { cities[city] = 0; cityList.push(city); }
      cities[city] += 1;
      if (!countries[country]) { countries[country] = 0; countryList.push(country); }
      countries[country] += 1;
    });
    function top(list, counts, names) {
      list.sort(function (a, b) { return counts[b] - counts[a]; });
      var shown = list.slice(0, 3).map(names).join(words.comma);
      return list.length > 3 ? fill(words.andMore, {list: shown}) : shown;
    }
    var count = fill(words.stations, {n: n});
    if (cityList.length === 1) { return fill(words.clusterIn, {count: count, place: cityList[0]}); }
    if (countryList.length === 1) {
      return fill(words.clusterCountry, {count: count, place: countryList[0],
        list: top(cityList, cities, function (c) { return c.split(', ')[0]; })});
    }
    return fill(words.clusterCountries, {count: count, k: countryList.length,
      list: top(countryList, countries, function (c) { return c; })});
  }

  /* A cluster's icon names the cluster when it is made (only clusters on show are made). */
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.setAttribute('aria-label', clusterName(this.options.cluster, this.options.words));
      return div;
    }
  });

  /* The stations as clustered markers. The rows travel column by column, each text column as
   * codes into its table of distinct values; a marker keeps its row as an array:
   * [id, lat, lon, style, approximate, name, city, country, status date, first reported by]. */
  function stStationLayer(options, data) {
    var styles = options.styles, words = options.words;
    // The frame's language, for screen readers (its page is folium's, declared English).
    if (options.lang) { document.documentElement.lang = options.lang; }
    var clusterOptions = L.extend({}, options.cluster, {
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
        return new ClusterIcon({html: '<div><span>' + n + '</span></div>',
          className: 'marker-cluster marker-cluster-' + size, iconSize: L.point(40, 40),
          cluster: cluster, words: words});
      }
    });
    var group = L.markerClusterGroup(clusterOptions);
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
    function tooltip(layer) {
      var r = layer.options.row;
      return el('div', r[5] + ' (' + place(r) + ')' + (r[4] === 1 ? ' - ' + words.tipApprox : ''));
    }
    function popup(r) {
      var pop = el('div', null, 'st-pop');
      // The page finds the clicked station by this text (maps.py, POPUP_ID_AROUND).
      pop.appendChild(el('div', options.popupId[0] + r[0] + options.popupId[1], 'st-id'));
      pop.appendChild(el('strong', r[5]));
      pop.appendChild(el('div', place(r)));
      pop.appendChild(el('div', words.status + ': ' + styles[r[3]][2] + (r[8] ? ' (' + r[8] + ')' : '')));
      pop.appendChild(el('div', words.first + ': ' + r[9]));
      if (r[4] === 1) { pop.appendChild(el('em', words.approx)); }
      return pop;
    }
    function showTooltip(m) {
      if (m && m.options && m.options.row && !m.getTooltip()) {
        m.bindTooltip(tooltip).openTooltip();
      }
    }
    // A marker on the map is named by its place and status in words (its letter alone says
    // little), and shows its tooltip on keyboard focus as it does under the pointer.
    function named() {
      var m = this, r = m.options.row, node = m.getElement();
      if (!node) { return; }
      node.setAttribute('aria-label', place(r) + ': ' + styles[r[3]][2]);
      if (!node._stFocus) {
        node._stFocus = true;
        node.addEventListener('focus', function () { showTooltip(m); });
      }
    }
    // The popup is built on the first click, before the map's own click handler reads it.
    function onClick() {
      if (!this.getPopup()) { this.bindPopup(popup(this.options.row)); this.openPopup(); }
    }
    var n = data.id.length;
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
    // Tooltips too are made on first use, for the marker under the pointer.
    group.on('mouseover', function (e) { showTooltip(e.layer); });
    // Enter or Space does what a click does: on a station it selects it (the click reaches
    // the map's listeners, which tell the app), on a cluster it opens it. Preventing the
    // default also keeps Space from scrolling and Enter from toggling the popup a second time.
    group.on('keydown', function (e) {
      if (!isActivate(e.originalEvent)) { return; }
      L.DomEvent.preventDefault(e.originalEvent);
      // The app redraws the stations once it has the choice: focus comes back to this one.
      window.stRefocus = e.layer.options.row[0];
      e.layer.fire('click', {latlng: e.layer.getLatLng(), originalEvent: e.originalEvent}, true);
    });
    group.on('clusterkeydown', function (e) {
      if (!isActivate(e.originalEvent)) { return; }
      L.DomEvent.preventDefault(e.originalEvent);
      var map = group._map, cluster = e.layer, bottom = cluster;
      while (bottom._childClusters.length === 1) { bottom = bottom._childClusters[0]; }
      var spread = bottom._zoom === group._maxZoom && bottom._childCount === cluster._childCount;
      // Opened, the cluster's stations (or smaller clusters) are on the map: the first of them
      // takes the focus, so the reader goes on inside what they opened. Listened for before
      // opening: without animations the cluster group says so at once.
      group.once(spread ? 'spiderfied' : 'animationend', function () {
        focusInside(map, cluster);
      });
      // The cluster's own element goes: meanwhile the focus waits on the map.
      map.getContainer().focus({preventScroll: true});
      if (spread) { cluster.spiderfy(); } else { cluster.zoomToBounds(); }
    });
    /* The first, west to east (then north to south), of the markers and clusters now on the
     * screen that hold an opened cluster's stations; unless the reader took the focus elsewhere
     * while it opened. */
    function focusInside(map, cluster) {
      if (document.activeElement !== map.getContainer()) { return; }
      var shown = [], bounds = map.getBounds();
      cluster.getAllChildMarkers().forEach(function (m) {
        var parent = group.getVisibleParent(m);
        if (parent && shown.indexOf(parent) < 0 && parent.getElement() &&
            bounds.contains(parent.getLatLng())) { shown.push(parent); }
      });
      shown.sort(function (a, b) {
        var x = a.getLatLng(), y = b.getLatLng();
        return x.lng - y.lng || y.lat - x.lat;
      });
      if (shown.length) { shown[0].getElement().focus({preventScroll: true}); }
    }
    group.addLayers(markers);
    // A station chosen from the keyboard keeps the focus across the redraw that follows (on
    // its marker, or on the cluster that now holds it).
    group.on('add', function () {
      var id = window.stRefocus;
      if (!id) { return; }
      setTimeout(function () {
        for (var k = 0; k < n; k++) {
          if (markers[k].options.row[0] !== id) { continue; }
          var shown = group.getVisibleParent(markers[k]);
          var node = shown && shown.getElement ? shown.getElement() : null;
          if (node) {
            window.stRefocus = null;
            node.focus({preventScroll: true});
          }
          return;
        }
      }, 0);
    });
    // The country outlines wait for the stations (see stOutlines).
    setTimeout(function () { if (window.stStationsDrawn) { window.stStationsDrawn(); } }, 0);
    return group;
  }

  /* The place a distance filter measures from: its circle (dashed, barely filled, so the
   * stations and the outlines stay readable) and a point with its name, neither clickable.
   * The name may come from the data (a city as written there): it goes in as text, never HTML. */
  function stPlace(map, options) {
    L.circle(options.latlng, {radius: options.metres, color: '#1d4ed8', weight: 2,
      dashArray: '6 4', fillColor: '#1d4ed8', fillOpacity: 0.05, interactive: false}).addTo(map);
    L.circleMarker(options.latlng, {radius: 6, color: '#1d4ed8', weight: 3, fillColor: '#ffffff',
      fillOpacity: 1, interactive: false}).bindTooltip(el('span', options.label), {permanent: true,
      direction: 'right', offset: [6, 0], className: 'st-place-label'}).addTo(map);
  }

  /* The selected station's ring, and, zoomed in to its city (LABEL_ZOOM), its place beside it
   * as text: the map's context when no tiles name the places around it (the details beside
   * or under the map say the same). Zoomed out, the label would cover its neighbours. */
  var LABEL_ZOOM = 8;
  function stHighlight(layer, latlng, label) {
    L.circleMarker(latlng, {radius: 17, color: '#111827', weight: 3, fill: false,
      interactive: false}).addTo(layer);
    var map = window.map;
    if (!label || !map) { return; }
    if (!map.getPane('selectedLabel')) {
      map.createPane('selectedLabel');
      map.getPane('selectedLabel').style.zIndex = 650;  // above the markers, under popups
      map.getPane('selectedLabel').style.pointerEvents = 'none';
    }
    // Centred above the ring by its own style (map.css), whatever its width.
    var text = el('span', label);
    var mark = L.marker(latlng, {pane: 'selectedLabel', interactive: false, keyboard: false,
      icon: L.divIcon({className: 'st-selected-label', html: text, iconSize: [0, 0]})});
    function follow() {
      if (mark.options.gone) { return; }
      var wanted = map.getZoom() >= LABEL_ZOOM;
      if (wanted && !map.hasLayer(mark)) { mark.addTo(map); }
      if (!wanted && map.hasLayer(mark)) { map.removeLayer(mark); }
    }
    // The label goes with its layer (a new selection, a new view).
    layer.on('remove', function () {
      mark.options.gone = true;
      map.off('zoomend', follow);
      if (map.hasLayer(mark)) { map.removeLayer(mark); }
    });
    map.on('zoomend', follow);
    follow();
  }

  function stChanged(map, latlngs) {
    latlngs.forEach(function (latlng) {
      L.circleMarker(latlng, {radius: 12, color: '#6d28d9', weight: 2.5, dashArray: '4 3',
        fill: false, interactive: false}).addTo(map);
    });
  }

  /* The view that comes with a new layer. streamlit-folium takes the old layer off, adds the
   * new one (running its script, which calls this first), and only then moves the map if the
   * centre or zoom it was given changed: the clusters were drawn at the old zoom, then again at
   * the new one, and every outline re-projected on the way. streamlit-folium runs the layer's
   * script with eval() where the centre and zoom it was given are in scope; the layer passes
   * them here, the map moves first under streamlit-folium's own rule, and the view is recorded
   * as given so that streamlit-folium does not move it again. (The layer's script is the same
   * whatever the view, so a reader's own move does not redraw the stations.)
   * The country outlines are the stations' background: moving the map re-projects every one
   * of them, in the same task that draws the stations. They are taken off for the move and put
   * back once the browser has shown the stations (the next frame), as at a first visit, where
   * they are fetched after the stations are drawn.
   * `fit`: the frame the server fitted to these stations, with its box. Handed that frame (or
   * the fitted frame the map was made at), a map smaller than the server's fit assumes opens
   * it wider, keeping its centre (fittedZoom), in the same move. */
  function stViewFirst(center, zoom, fit) {
    var map = window.map, given = window.__GLOBAL_DATA__;
    if (!map || !given) { return; }
    var zoomChanged = zoom && zoom !== given.last_zoom;
    var centerChanged = center && JSON.stringify(center) !== JSON.stringify(given.last_center);
    if (!zoomChanged && !centerChanged) { return; }
    var outlines = map._stOutlines;
    if (outlines && map.hasLayer(outlines)) { map.removeLayer(outlines); }
    var to = zoomChanged ? zoom : map.getZoom();
    // Handed the frame fitted to these stations (or the one the map was made at, see
    // stFitted), a small map opens it wider, in this one move.
    [fit, map._stFitted].forEach(function (f) {
      if (f && center && f.zoom === zoom && f.center[0] === center[0] &&
          f.center[1] === center[1]) { to = fittedZoom(map, f); }
    });
    map.setView(centerChanged ? center : map.getCenter(), to, {animate: false});
    if (zoomChanged) { given.last_zoom = zoom; }
    if (centerChanged) { given.last_center = center; }
    if (!map._stOutlinesAway) {
      map._stOutlinesAway = true;
      requestAnimationFrame(function () {
        setTimeout(function () {
          map._stOutlinesAway = false;
          if (map._stOutlines && !map.hasLayer(map._stOutlines)) { map._stOutlines.addTo(map); }
        }, 0);
      });
    }
  }

  /* The zoom at which a fitted frame's box (south, west, north, east) shows whole on this map
   * around the frame's centre. The server fits the box to a desktop-sized map (`_fit` in
   * maps.py, with the same margin: the box takes at most 1/1.2 of the map each way); on a
   * smaller map (a phone's) that is a lower zoom. Never higher than the frame's own. */
  function fittedZoom(map, fit) {
    var zoom = fit.zoom, b = fit.box, size = map.getSize();
    var c = map.project(fit.center, zoom);
    var sw = map.project([b[0], b[1]], zoom), ne = map.project([b[2], b[3]], zoom);
    var halfX = Math.max(c.x - sw.x, ne.x - c.x), halfY = Math.max(sw.y - c.y, c.y - ne.y);
    var scale = Math.min(size.x / (2.4 * halfX), size.y / (2.4 * halfY));
    if (!(scale < 1) || !size.x || !size.y) { return zoom; }  // it fits (or it is a point)
    return Math.max(map.getMinZoom(), Math.floor(zoom + Math.log(scale) / Math.LN2 + 1e-9));
  }

  /* The base map made at a fitted frame (`_Fitted` in maps.py): widened at once on a small
   * map, before the map first tells the page where it is, so that the page takes the wider
   * frame for the one it handed (pagestate.reaches) and not for the reader's move. */
  function stFitted(map, fit) {
    map._stFitted = fit;
    var zoom = fittedZoom(map, fit);
    if (zoom < map.getZoom()) { map.setView(fit.center, zoom, {animate: false}); }
  }

  window.stFold = stFold;
  window.stFitted = stFitted;
  window.stViewFirst = stViewFirst;
  window.stControls = stControls;
  window.stOutlines = stOutlines;
  window.stCountryLayers = stCountryLayers;
  window.stCountryData = stCountryData;
  window.stStationLayer = stStationLayer;
  window.stHighlight = stHighlight;
  window.stChanged = stChanged;
  window.stPlace = stPlace;
})();
