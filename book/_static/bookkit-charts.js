// Draw every chart of the page with the Vega libraries shipped in _static/vendor (no network).
// Each chart is a <div class="bookkit-chart" id="chart-…"> followed by its spec as inline JSON.
//
// Under each drawn chart this script adds, built here from the spec's inline data (no network, works
// from file://):
//   - a "Download data (CSV)" link (a Blob URL; file name = chart id + ".csv");
//   - a collapsed "Data table" (<details>) holding the same data as an HTML table (first 500 rows).
// The data are the chart's largest inline dataset (spec.datasets, or spec.data.values); other, smaller
// datasets of a layered chart are annotations (lanes, labels) and are named in a note.
//
// Narrow pages: each chart is laid out again at the width of its container (fitted below), not scaled
// down, so on a phone (390 px) axis labels and legends keep their font size. Single and layered views
// get that width (autosize "fit"); facets lose columns; concatenated views are stacked and fitted one
// by one; long titles, subtitles and legend labels wrap or shorten. The stored spec is not changed; a
// chart is drawn again when its container's width changes.
//
// Dark mode: the theme sets data-theme="dark" on <html>. Charts are then drawn with light text, axes
// and grid on a transparent background (darkSpec below), and redrawn whenever data-theme changes.
// In light mode the spec is drawn exactly as stored. Each chart div carries data-rendered
// ("pending" | "ok" | "error", set once) and data-chart-theme (the theme of the current drawing).
(function () {
  "use strict";

  var ROW_CAP = 500;
  // The dark palette of pydata-sphinx-theme (text-base, text-muted, background) plus two guide greys.
  var DARK = { fg: "#ced6dd", muted: "#9ca4af", bg: "#121212", axis: "#9ca4af", grid: "#3b4048" };
  var DARK_CONFIG = {
    background: "transparent",
    title: { color: DARK.fg, subtitleColor: DARK.muted },
    axis: { labelColor: DARK.fg, titleColor: DARK.fg, domainColor: DARK.axis, tickColor: DARK.axis, gridColor: DARK.grid },
    legend: { labelColor: DARK.fg, titleColor: DARK.fg, symbolBaseFillColor: DARK.fg, symbolBaseStrokeColor: DARK.fg },
    header: { labelColor: DARK.fg, titleColor: DARK.fg },
    view: { stroke: null },
    text: { color: DARK.fg },
    rule: { color: DARK.fg }
  };
  var COLOR_KEYS = { color: 1, fill: 1, stroke: 1 };
  var NAMED_GREYS = { black: "#000000", white: "#ffffff", gray: "#808080", grey: "#808080" };
  var charts = [];   // {el, spec, view, theme, busy}

  // ---- theme -----------------------------------------------------------------------------
  function currentTheme() {
    var root = document.documentElement;
    var t = root.dataset.theme;
    if (t === "dark" || t === "light") { return t; }
    var m = root.dataset.mode;
    if (m === "dark" || m === "light") { return m; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function hex2(n) { return ("0" + n.toString(16)).slice(-2); }

  // A literal black/grey/white in a mark or scale becomes its counterpart on the dark background
  // (black -> light text colour, white -> background colour, greys in between, order kept).
  // Real colours (the colour-blind-safe palette) are kept as they are, and so is a colour channel
  // with a condition (e.g. white text on dark cells, black on light ones: chosen against the cells).
  function darkGrey(value) {
    if (typeof value !== "string") { return value; }
    var s = value.trim().toLowerCase();
    s = NAMED_GREYS[s] || s;
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
    if (!m) { return value; }
    var h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    var r = parseInt(h.slice(0, 2), 16), g = parseInt(h.slice(2, 4), 16), b = parseInt(h.slice(4, 6), 16);
    if (Math.max(r, g, b) - Math.min(r, g, b) > 16) { return value; }
    var v = (r + g + b) / 3, hi = parseInt(DARK.fg.slice(1, 3), 16), lo = parseInt(DARK.bg.slice(1, 3), 16);
    var out = hex2(Math.round(hi - (v / 255) * (hi - lo)));
    return "#" + out + out + out;
  }

  function recolour(node, inColour) {
    if (Array.isArray(node)) {
      return node.map(function (v) { return inColour && typeof v === "string" ? darkGrey(v) : recolour(v, inColour); });
    }
    if (!node || typeof node !== "object") { return node; }
    var out = {};
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      if (k === "datasets" || k === "data" || k === "usermeta" || k === "description") {
        out[k] = v;                                   // never touch the data
      } else if (COLOR_KEYS[k] && v && typeof v === "object" && !Array.isArray(v) && "condition" in v) {
        out[k] = v;                                   // colours chosen against the marks they sit on
      } else if (COLOR_KEYS[k]) {
        out[k] = typeof v === "string" ? darkGrey(v) : recolour(v, true);
      } else if (inColour && (k === "value" || k === "range")) {
        out[k] = typeof v === "string" ? darkGrey(v) : recolour(v, true);
      } else {
        out[k] = recolour(v, inColour && (k === "condition" || k === "scale"));
      }
    });
    return out;
  }

  function merge(base, over) {
    var out = Object.assign({}, base);
    Object.keys(over).forEach(function (k) {
      var b = out[k], o = over[k];
      out[k] = b && o && typeof b === "object" && typeof o === "object" && !Array.isArray(o) ? merge(b, o) : o;
    });
    return out;
  }

  function darkSpec(spec) {
    var s = recolour(spec, false);
    s.config = merge(s.config || {}, DARK_CONFIG);
    var range = s.config.range;                       // the palette's black becomes the light text colour
    if (range && Array.isArray(range.category)) { s.config.range = merge(range, { category: range.category.map(darkGrey) }); }
    return s;
  }

  // ---- fitting the text column ------------------------------------------------------------
  var AXIS_ROOM = 110;   // px beside a plot for its y axis labels and title
  var CHAR_PX = 6.6;     // px per character of 12 px Helvetica, to wrap titles

  function wrap(text, width, size) {
    var max = Math.max(12, Math.floor(width / (CHAR_PX * (size || 12) / 12)));
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function fitTitle(title, width) {
    if (!title) { return title; }
    var t = typeof title === "object" && !Array.isArray(title) ? Object.assign({}, title) : { text: title };
    var text = Array.isArray(t.text) ? t.text.join(" ") : t.text;
    t.text = wrap(text, width, 15);
    if (t.subtitle) {
      var subs = Array.isArray(t.subtitle) ? t.subtitle : [t.subtitle];
      t.subtitle = [].concat.apply([], subs.map(function (line) { return wrap(line, width, 11); }));
    }
    return t;
  }

  var MIN_PLOT = 200;    // px: a plot narrower than this, once labels and legends are placed, is too cramped

  function singleView(spec) {
    return !(spec.facet || spec.repeat || spec.concat || spec.hconcat || spec.vconcat);
  }

  function declaredWidth(view) {
    if (typeof view.width === "number") { return view.width; }
    if (view.spec && typeof view.spec.width === "number") { return view.spec.width; }
    return 480;
  }

  // The view (or sub-view) laid out for ``avail`` px; returns a new object, never the stored one.
  function fitView(view, avail, top) {
    var v = Object.assign({}, view);
    if (v.hconcat || v.concat) {               // side by side does not fit: stack the parts
      v.vconcat = (v.hconcat || v.concat); delete v.hconcat; delete v.concat; delete v.columns;
    }
    if (v.vconcat) {
      v.vconcat = v.vconcat.map(function (sub) { return fitView(sub, avail, false); });
      return v;
    }
    if (v.facet || v.repeat) {
      var inner = v.spec ? Object.assign({}, v.spec) : null;
      var panel = inner ? declaredWidth(inner) : 200;
      var cols = Math.max(1, Math.floor((avail - AXIS_ROOM / 2) / (panel + 40)));
      if (typeof v.columns === "number") { v.columns = Math.min(v.columns, cols); }
      if (inner && panel > avail - AXIS_ROOM) { inner.width = Math.max(120, avail - AXIS_ROOM); v.spec = inner; }
      return v;
    }
    // a single or layered view: the whole chart, axis labels and legends included, takes the width of
    // the text column (a plot squeezed below MIN_PLOT by them is drawn again in the compact layout)
    if (typeof v.width === "number" || v.width === undefined) {
      if (top) {
        v.width = Math.max(140, avail);
        v.autosize = { type: "fit-x", contains: "padding" };
      } else if (declaredWidth(v) + AXIS_ROOM > avail - 20) {
        v.width = Math.max(120, avail - 20 - AXIS_ROOM);
      }
    }
    return v;
  }

  // On a narrow page long axis labels (the names of crises, of states) are cut to a share of the width,
  // so that the plot keeps room; the full text stays in the tooltip and the data table.
  function capLabels(node, limit) {
    if (Array.isArray(node)) { return node.map(function (n) { return capLabels(n, limit); }); }
    if (!node || typeof node !== "object") { return node; }
    var out = {};
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      if (k === "encoding" && v && typeof v === "object") {
        var enc = Object.assign({}, v);
        ["x", "y"].forEach(function (ch) {
          if (enc[ch] && typeof enc[ch] === "object" && enc[ch].axis !== null) {
            var axis = Object.assign({}, enc[ch].axis || {});
            axis.labelLimit = Math.min(axis.labelLimit || 200, limit);
            enc[ch] = Object.assign({}, enc[ch], { axis: axis });
          }
        });
        out[k] = enc;
      } else if (k === "data" || k === "datasets") {
        out[k] = v;
      } else {
        out[k] = capLabels(v, limit);
      }
    });
    return out;
  }

  // The compact layout of a phone, also used on a wider page for a chart whose labels and legends
  // leave its plot less than MIN_PLOT px: legends under the chart, long axis labels shortened.
  function fitSpec(spec, avail, compact) {
    if (!avail || avail <= 0) { return spec; }
    var narrow = avail < 520 || !!compact;    // legends go under the chart, one entry per line
    if (narrow) { spec = capLabels(spec, Math.round(avail * 0.38)); }
    var s = fitView(spec, avail, true);
    s.title = fitTitle(spec.title, avail);
    // Vega's fit leaves out the overhang of slanted axis labels past the plot's right edge: room for it
    if (s.padding === undefined) { s.padding = { left: 5, top: 5, bottom: 5, right: 24 }; }
    s.config = merge(s.config || {}, { legend: { labelLimit: narrow ? Math.round(avail * 0.45) : Math.max(80, avail - 60),
                                                 titleLimit: narrow ? Math.round(avail * 0.5) : undefined, columns: narrow ? 1 : undefined,
                                                 orient: narrow ? "bottom" : undefined,
                                                 // several legends under a chart: one above the other, not side by side
                                                 layout: narrow ? { bottom: { direction: "vertical", anchor: "start" } } : undefined } });
    if (s.config.legend.columns === undefined) { delete s.config.legend.columns; }
    if (s.config.legend.layout === undefined) { delete s.config.legend.layout; }
    if (s.config.legend.titleLimit === undefined) { delete s.config.legend.titleLimit; }
    if (s.config.legend.orient === undefined) { delete s.config.legend.orient; }
    return s;
  }

  function availableWidth(el) {
    var w = el.getBoundingClientRect().width;
    return Math.floor(w) - 4;   // room for vega-embed's action button
  }

  // ---- drawing ---------------------------------------------------------------------------
  function embed(chart, theme) {
    chart.busy = true;
    var el = chart.el;
    if (chart.view) { chart.view.finalize(); chart.view = null; }
    var options = {
      renderer: "svg",                       // SVG keeps text selectable and carries ARIA labels
      actions: { export: true, source: false, compiled: false, editor: false },  // no link to an online editor
      downloadFileName: el.id
    };
    if (theme === "dark") { options.tooltip = { theme: "dark" }; }
    chart.width = availableWidth(el);
    // Axis labels can be wider than the room guessed for them: a chart drawn too wide is drawn again
    // with its panels narrowed by the overflow (at most twice).
    var laidOut = fitSpec(chart.spec, chart.width - (chart.squeeze || 0), chart.compact);
    return window.vegaEmbed(el, theme === "dark" ? darkSpec(laidOut) : laidOut, options).then(function (result) {
      chart.view = result;
      var svg = el.querySelector("svg.marks");
      var overflow = svg ? Math.ceil(svg.getBoundingClientRect().width - chart.width) : 0;
      if (!chart.compact && singleView(chart.spec) && result.view.width() < MIN_PLOT) {
        chart.compact = true;                // labels and legends took the room: the compact layout
        chart.busy = false;
        return embed(chart, theme);
      }
      if (overflow > 2 && (chart.tries || 0) < 2) {
        chart.tries = (chart.tries || 0) + 1;
        chart.squeeze = (chart.squeeze || 0) + overflow;
        chart.busy = false;
        return embed(chart, theme);
      }
      if (overflow > 2 && !chart.compact) {  // still too wide (a legend beside stacked panels): compact
        chart.compact = true; chart.tries = 0; chart.squeeze = 0;
        chart.busy = false;
        return embed(chart, theme);
      }
      chart.theme = theme;
      el.dataset.chartTheme = theme;
      var summary = el.querySelector(":scope > details > summary");
      if (summary) {                         // vega-embed's menu button is an icon with no name
        summary.setAttribute("aria-label", "Chart actions: save the chart as an SVG or PNG image");
        var icon = summary.querySelector("svg");
        if (icon) { icon.setAttribute("aria-hidden", "true"); }
      }
      if (!el.dataset.rendered || el.dataset.rendered === "pending") {
        el.dataset.rendered = "ok";
        addDataBlock(chart);
      }
      chart.busy = false;
      if (currentTheme() !== chart.theme) { return embed(chart, currentTheme()); }  // changed meanwhile
    }).catch(function (err) {
      chart.busy = false;
      el.dataset.rendered = "error";
      el.textContent = "This chart could not be drawn: " + err;
      console.error(err);
    });
  }

  function draw(el) {
    var specEl = document.getElementById(el.id + "-spec");
    if (!specEl || el.dataset.rendered) { return; }
    el.dataset.rendered = "pending";
    var chart = { el: el, spec: JSON.parse(specEl.textContent), view: null, theme: null, busy: false };
    charts.push(chart);
    embed(chart, currentTheme());
  }

  function redrawForTheme() {
    var theme = currentTheme();
    charts.forEach(function (chart) {
      if (!chart.busy && chart.el.dataset.rendered === "ok" && chart.theme !== theme) { embed(chart, theme); }
    });
  }

  var resizeTimer = null;
  function redrawForWidth() {             // lay out again when the text column changes width
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (chart) {
        if (!chart.busy && chart.el.dataset.rendered === "ok" && Math.abs(availableWidth(chart.el) - chart.width) > 8) {
          chart.squeeze = 0; chart.tries = 0; chart.compact = false;
          embed(chart, currentTheme());
        }
      });
    }, 200);
  }

  // ---- data: table and CSV ---------------------------------------------------------------
  function chartTitle(spec) {
    var t = spec.title;
    if (t && typeof t === "object" && !Array.isArray(t)) { t = t.text; }
    if (Array.isArray(t)) { t = t.join(" "); }
    return t ? String(t) : "";
  }

  // The largest inline dataset (ties: the first, in the spec's key order) and how many others there are.
  function chartData(spec) {
    var sets = [];
    if (spec.datasets && typeof spec.datasets === "object") {
      Object.keys(spec.datasets).forEach(function (k) {
        if (Array.isArray(spec.datasets[k])) { sets.push(spec.datasets[k]); }
      });
    }
    if (!sets.length && spec.data && Array.isArray(spec.data.values)) { sets.push(spec.data.values); }
    if (!sets.length) { return null; }
    var best = sets[0];
    sets.forEach(function (s) { if (s.length > best.length) { best = s; } });
    var rows = best.filter(function (r) { return r && typeof r === "object" && !Array.isArray(r); });
    return { rows: rows, others: sets.length - 1 };
  }

  // Columns: the keys of the first row, in order; keys that appear only later are appended.
  function columnsOf(rows) {
    var cols = [], seen = {};
    rows.forEach(function (r) {
      Object.keys(r).forEach(function (k) { if (!seen[k]) { seen[k] = true; cols.push(k); } });
    });
    return cols;
  }

  function cellText(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "object") { return JSON.stringify(v); }
    return String(v);
  }

  function csvField(v) {
    var s = cellText(v);
    return /[",\r\n]|^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCSV(cols, rows) {   // RFC 4180: comma-separated, CRLF line ends, quotes doubled
    var lines = [cols.map(csvField).join(",")];
    rows.forEach(function (r) { lines.push(cols.map(function (c) { return csvField(r[c]); }).join(",")); });
    return lines.join("\r\n") + "\r\n";
  }

  function node(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function srOnly(text) { return node("span", { "class": "bookkit-sr-only" }, text); }

  function buildTable(cols, rows, title, total) {
    var shown = rows.slice(0, ROW_CAP);
    var numeric = cols.map(function (c) {
      var any = false;
      var all = shown.every(function (r) {
        var v = r[c];
        if (v === null || v === undefined) { return true; }
        any = true;
        return typeof v === "number";
      });
      return any && all;
    });
    var table = node("table", { "class": "bookkit-chart-table" });
    table.appendChild(node("caption", {}, "Data drawn in the chart" + (title ? " \u201c" + title + "\u201d" : "") +
      ": " + total + (total === 1 ? " row" : " rows") + ", " + cols.length + " columns."));
    var thead = node("thead"), hr = node("tr");
    cols.forEach(function (c, i) {
      hr.appendChild(node("th", numeric[i] ? { scope: "col", "class": "num" } : { scope: "col" }, c));
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = node("tbody");
    shown.forEach(function (r) {
      var tr = node("tr");
      cols.forEach(function (c, i) { tr.appendChild(node("td", numeric[i] ? { "class": "num" } : {}, cellText(r[c]))); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    return table;
  }

  function addDataBlock(chart) {
    var el = chart.el, data = chartData(chart.spec);
    if (!data || !data.rows.length || document.getElementById(el.id + "-data")) { return; }
    var title = chartTitle(chart.spec), cols = columnsOf(data.rows), rows = data.rows;
    var block = node("div", { "class": "bookkit-chart-data", id: el.id + "-data" });

    var p = node("p", { "class": "bookkit-chart-download" });
    var blob = new Blob([toCSV(cols, rows)], { type: "text/csv;charset=utf-8" });
    var a = node("a", { href: URL.createObjectURL(blob), download: el.id + ".csv", type: "text/csv" },
                 "Download data (CSV)");
    if (title) { a.appendChild(srOnly(": " + title)); }
    p.appendChild(a);
    block.appendChild(p);

    var details = node("details", { "class": "bookkit-chart-details" });
    var summary = node("summary", {}, "Data table");
    if (title) { summary.appendChild(srOnly(": " + title)); }
    details.appendChild(summary);
    var notes = [];
    if (rows.length > ROW_CAP) {
      notes.push("Showing the first " + ROW_CAP + " of " + rows.length + " rows; the CSV download has them all.");
    }
    if (data.others) {
      notes.push("The chart also draws " + data.others + " smaller " + (data.others === 1 ? "table" : "tables") +
                 " of annotations, not shown here.");
    }
    if (notes.length) { details.appendChild(node("p", { "class": "bookkit-chart-note" }, notes.join(" "))); }
    // A scrolling region must be reachable and named for keyboard users.
    var scroller = node("div", { "class": "bookkit-chart-table-scroll", role: "region", tabindex: "0",
                                 "aria-label": "Data table" + (title ? ": " + title : "") });
    scroller.appendChild(buildTable(cols, rows, title, rows.length));
    details.appendChild(scroller);
    block.appendChild(details);
    el.insertAdjacentElement("afterend", block);
  }

  // ---- start -----------------------------------------------------------------------------
  function drawAll() {
    document.querySelectorAll("div.bookkit-chart").forEach(draw);
    new MutationObserver(redrawForTheme).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-theme"] });
    window.addEventListener("resize", redrawForWidth);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
