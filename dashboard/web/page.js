/* The page's language, declared for screen readers and browsers (WCAG 3.1.1): Streamlit serves
 * its page as English whatever the text, so app.py puts the page's language on a hidden mark
 * and this script, served from our static folder, copies it to <html lang>. */
(function () {
  var mark = document.getElementById('st-page-lang');
  var lang = mark && mark.getAttribute('data-lang');
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) {
    document.documentElement.lang = lang;
  }
})();
