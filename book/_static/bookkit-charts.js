// Draw every chart of the page with the Vega libraries shipped in _static/vendor (no network).
// Each chart is a <div class="bookkit-chart" id="chart-…"> followed by its spec as inline JSON.
(function () {
  "use strict";
  function draw(el) {
    var specEl = document.getElementById(el.id + "-spec");
    if (!specEl || el.dataset.rendered) { return; }
    el.dataset.rendered = "pending";
    var spec = JSON.parse(specEl.textContent);
    window.vegaEmbed(el, spec, {
      renderer: "svg",                       // SVG keeps text selectable and carries ARIA labels
      actions: { export: true, source: false, compiled: false, editor: false },  // no link to an online editor
      downloadFileName: el.id
    }).then(function () {
      el.dataset.rendered = "ok";
    }).catch(function (err) {
      el.dataset.rendered = "error";
      el.textContent = "This chart could not be drawn: " + err;
      console.error(err);
    });
  }
  function drawAll() { document.querySelectorAll("div.bookkit-chart").forEach(draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
