// Accessibility fixes to the markup of the theme (sphinx-book-theme / pydata-sphinx-theme) and of
// Sphinx extensions, found by axe-core (tests/test_accessibility.py). Each fix is idempotent and
// runs again when the theme rewrites the affected elements (Font Awesome swaps <i> icons for <svg>).
(function () {
  "use strict";

  function each(selector, fn) { document.querySelectorAll(selector).forEach(fn); }
  function hide(el) { el.setAttribute("aria-hidden", "true"); }

  function fix() {
    // Search buttons: aria-label "Search" but the visible text is "Search Ctrl+K"
    // (label-content-name-mismatch). The visible text is the name; the shortcut is also declared.
    each(".search-button__button", function (b) {
      if (b.querySelector(".search-button__default-text")) { b.removeAttribute("aria-label"); }
      b.querySelectorAll("i, svg").forEach(hide);
      b.setAttribute("aria-keyshortcuts", "Control+K");
    });

    // Colour-mode button: its icons carry titles ("Light", "Dark", "System Settings") that become
    // visible text differing from the name "Color mode". The icons are decorative; the name says
    // what the button does and which mode is on.
    each(".theme-switch-button", function (b) {
      b.querySelectorAll(".theme-switch, svg, i").forEach(function (icon) {
        icon.removeAttribute("title");
        var t = icon.querySelector("title");
        if (t) { t.remove(); }
        icon.removeAttribute("aria-labelledby");
        icon.removeAttribute("role");
        hide(icon);
      });
      var mode = document.documentElement.dataset.mode || "auto";
      var label = "Color mode: " + ({ light: "light", dark: "dark", auto: "system setting" }[mode] || mode);
      if (b.getAttribute("aria-label") !== label) { b.setAttribute("aria-label", label); }
    });

    // Collapsed notebook cells: <summary aria-label="Toggle hidden content"> around the visible text
    // "Show code cell source". The visible text is the better name.
    each('summary[aria-label="Toggle hidden content"]', function (s) {
      if (s.textContent.trim()) { s.removeAttribute("aria-label"); }
    });

    // Table of contents: the expand/collapse <summary> holds only an icon (summary-name).
    each("nav.bd-links li.has-children > details > summary", function (s) {
      if (s.hasAttribute("aria-label")) { return; }
      var link = s.closest("li").querySelector(":scope > a");
      s.setAttribute("aria-label", "Sections of " + (link ? link.textContent.trim() : "this page"));
      s.querySelectorAll("i, svg, .toctree-toggle").forEach(hide);
    });

    // Bibliography: Sphinx marks entries role="doc-biblioentry" (deprecated) inside role="list",
    // which then has no list items (aria-required-children, critical).
    each('[role="list"] > [role="doc-biblioentry"]', function (e) { e.setAttribute("role", "listitem"); });
  }

  function start() {
    fix();
    // Font Awesome replaces <i> icons with <svg> (copying their titles) after load, and the theme
    // changes data-mode: watch the header buttons and <html> and re-apply.
    var pending = false;
    var again = function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; fix(); });
    };
    var observer = new MutationObserver(again);
    each(".theme-switch-button, .search-button__button, nav.bd-links", function (el) {
      observer.observe(el, { childList: true, subtree: true });
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
    window.addEventListener("load", fix);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
