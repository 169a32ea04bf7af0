/* The published site's map: a progressive enhancement of a page that says everything in text.
 *
 * Loaded after Leaflet, Leaflet.markercluster and the explorer's own map.js, whose functions
 * draw the markers (colour and letter per status), name them, make them keyboard-usable and
 * fold the key, exactly as in the explorer. The page gives the data in a JSON island
 * (<script type="application/json" id="stations">, written by dashboard/site.py):
 *   layer, rows        stStationLayer's settings and the stations, column by column
 *   controls, layers   stControls' and stCountryLayers' options (tiles off unless chosen)
 *   figures            stCountryData's figures per country
 *   outlines           the country outlines' file (relative to the page)
 *   view               [latitude, longitude, zoom]
 *   bounds             [[south, west], [north, east]] to fit the map to (never closer than
 *                      the view's zoom), or null
 *   highlight          [latitude, longitude] of the page's own station, or null
 *   pages, page        the station pages' folder (relative) and the popup link's words
 * Text goes in with textContent only.
 */
(function () {
  'use strict';
  var island = document.getElementById('stations');
  var box = document.getElementById('map');
  if (!island || !box || !window.L || !window.stStationLayer) { return; }
  var d = JSON.parse(island.textContent);
  box.hidden = false;
  var map = L.map(box, {center: [d.view[0], d.view[1]], zoom: d.view[2], minZoom: 0,
    maxZoom: d.controls.maxZoom, worldCopyJump: true});
  if (d.bounds) { map.fitBounds(d.bounds, {maxZoom: d.view[2], padding: [24, 24]}); }
  L.control.scale().addTo(map);
  window.map = map;
  window.stControls(map, d.controls);
  window.stOutlines(map, d.outlines);
  window.stCountryLayers(map, d.layers);
  window.stCountryData(d.figures);
  map.addLayer(window.stStationLayer(d.layer, d.rows));
  if (d.highlight) { window.stHighlight(map, d.highlight); }
  // A station's popup links to its page (the popup is made on the first click or Enter).
  map.on('popupopen', function (e) {
    var source = e.popup._source, node = e.popup.getContent();
    if (!source || !source.options.row || !node || node.querySelector('.st-page')) { return; }
    var link = document.createElement('a');
    link.className = 'st-page';
    link.href = d.pages + encodeURIComponent(source.options.row[0]) + '/';
    link.textContent = d.page;
    node.appendChild(link);
    e.popup.update();
  });
})();
