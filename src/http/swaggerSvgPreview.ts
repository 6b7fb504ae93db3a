/**
 * Swagger UI prints an image/svg+xml answer as XML source (its /xml/ rule comes before its image
 * rule), so this script, added to the Swagger UI page, shows each SVG response body as a picture
 * above its source: a frontier chart for a seed is then one "Execute" away. The SVG comes from
 * this service and is shown through an <img> (a data: URL), where no script in it could run.
 */
export const SWAGGER_SVG_PREVIEW_JS = `
(function () {
  function preview() {
    document.querySelectorAll('.live-responses-table .response-col_description').forEach(function (cell) {
      var code = cell.querySelector('pre code, pre');
      if (!code) return;
      var text = code.textContent.trim();
      var shown = cell.querySelector('img.bitplan-svg-preview');
      if (text.indexOf('<svg') !== 0) { if (shown) shown.remove(); return; }
      var src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
      if (shown && shown.getAttribute('src') === src) return;
      if (!shown) {
        shown = document.createElement('img');
        shown.className = 'bitplan-svg-preview';
        shown.alt = 'frontier chart';
        shown.style.cssText = 'display:block;max-width:100%;background:#fff;margin:8px 0;border:1px solid #ddd';
        code.parentNode.parentNode.insertBefore(shown, code.parentNode);
      }
      shown.setAttribute('src', src);
    });
  }
  new MutationObserver(preview).observe(document.documentElement, { childList: true, subtree: true });
})();
`;

/**
 * The service has one document, so the top bar's "Select a definition" menu (Swagger UI shows it
 * whenever `urls` is set, which is what makes it load /openapi.json) would list one entry: hidden.
 */
export const SWAGGER_ONE_DEFINITION_CSS = '.swagger-ui .topbar .download-url-wrapper { display: none; }\n';
