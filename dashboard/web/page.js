/* The page's own script, served from our static folder and run by each of app.py's marks.
 *
 * 1. The page's language, declared for screen readers and browsers (WCAG 3.1.1): Streamlit
 *    serves its page as English whatever the text, so app.py puts the page's language on a
 *    hidden mark (#st-page-lang) and this copies it to <html lang>.
 * 2. What a run changed, read from the map part's mark (#st-page-view): its filters and its
 *    selected station. When the filters changed and the sidebar covers most of the page (a
 *    phone), the sidebar closes so the reader sees the map they asked for. When a reader
 *    picked a station and its details are below the map (a phone, the embed), the page
 *    scrolls them into view. Nothing moves on the page's first run (a link opened as sent).
 * 3. Keys and links, bound once per page: Enter in a date field applies the typed date, as
 *    Tab out of its last part does (Streamlit's date field applies it only when its calendar
 *    closes, by Escape); a "skip the map" link moves focus past the map's stops to the
 *    written view under it.
 * The selectors are Streamlit's test ids (dashboard/compat.py names them).
 */
(function () {
  var mark = document.getElementById('st-page-lang');
  var lang = mark && mark.getAttribute('data-lang');
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) {
    document.documentElement.lang = lang;
  }

  if (!window.stPageKeys) {
    window.stPageKeys = true;
    document.addEventListener('keydown', function (e) {
      var part = e.target && e.target.closest && e.target.closest('[role="spinbutton"]');
      var field = part && part.closest('[data-testid="stDateInput"]');
      if (!field || e.altKey || e.ctrlKey || e.metaKey) { return; }
      var parts = field.querySelectorAll('[role="spinbutton"]');
      var leaving = e.key === 'Tab' && !e.shiftKey && part === parts[parts.length - 1];
      if (e.key !== 'Enter' && !leaving) { return; }
      if (e.key === 'Enter') { e.preventDefault(); }
      part.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', code: 'Escape',
        keyCode: 27, bubbles: true, cancelable: true}));
    }, true);
    document.addEventListener('click', function (e) {
      var link = e.target && e.target.closest && e.target.closest('a.st-skip');
      var target = link && document.getElementById(link.getAttribute('href').slice(1));
      if (!target) { return; }
      e.preventDefault();
      target.setAttribute('tabindex', '-1');
      target.focus();
    });
  }

  var view = document.getElementById('st-page-view');
  if (!view) { return; }
  var now = {filters: view.getAttribute('data-filters'), station: view.getAttribute('data-station')};
  var last = window.stPageView;
  window.stPageView = now;
  if (!last) { return; }

  if (now.filters !== last.filters) {
    // Open and over most of the page: a closed sidebar is moved off the page's left edge.
    var sidebar = document.querySelector('[data-testid="stSidebar"]');
    var box = sidebar && sidebar.getBoundingClientRect();
    var covering = box && Math.min(box.right, window.innerWidth) - Math.max(box.left, 0) >
      window.innerWidth * 0.6;
    var close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (covering && close) { close.click(); }
  }

  if (now.station && now.station !== last.station) {
    var details = document.querySelector('.st-key-side');
    var map = document.querySelector('.st-key-mapcol');
    var scroller = document.querySelector('[data-testid="stMain"]');
    if (!details || !map || !scroller) { return; }
    // Only when the details come after the map (stacked), never beside it.
    var below = details.getBoundingClientRect().top >= map.getBoundingClientRect().bottom - 1;
    if (!below) { return; }
    var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    // Clear of Streamlit's header, which stays over the page's top (none in the embed).
    var header = document.querySelector('[data-testid="stHeader"]');
    var under = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    // The page's own scroller, not scrollIntoView: an embed must never scroll the article.
    scroller.scrollTo({top: scroller.scrollTop + details.getBoundingClientRect().top - under - 8,
      behavior: still ? 'auto' : 'smooth'});
  }
})();
