/* Folded map controls: a small labelled button that opens its panel by click, Enter or Space,
 * and closes it again by the button or Escape (focus goes back to the button).
 * stFold(map, {label, id, position}) returns the Leaflet control; its `panel` takes the content. */
(function () {
  'use strict';
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
  window.stFold = stFold;
})();
