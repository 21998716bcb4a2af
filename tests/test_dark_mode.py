"""Charts stay legible in the theme's dark mode, and light mode is drawn exactly as stored.

The theme (pydata-sphinx-theme) sets data-theme="dark" on <html>; book/_static/bookkit-charts.js then
redraws every chart with light text, axes and grid on a transparent background. On one chart page,
opened from file:// with the network off, this test
- screenshots the first chart in light mode, switches the page to dark mode, waits for the redraw and
  screenshots it again (PNGs under pytest's tmp_path, printed with -s);
- checks that the axis labels' fill differs between the modes and has a contrast ratio of at least
  4.5:1 against what lies behind the chart (the page background in dark mode) in both, and the same
  for every other text of the chart's guides (titles, subtitles, legends, facet headers);
- switches back to light and checks the chart is drawn exactly as before (same SVG).
"""
import re

import pytest
from conftest import pages

PREFERRED = "book/07_challenges.html"
GUIDE_TEXT = ("role-axis-label", "role-axis-title", "role-legend-label", "role-legend-title",
              "role-title-text", "role-title-subtitle", "role-column-header", "role-row-header")

# In the page: the colour behind an element (its own and its ancestors' backgrounds, alpha-composited
# over white) and the fill of SVG text, both as [r, g, b].
COLOURS_JS = """
([chartId, classes]) => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    return out.map(Math.round);
  };
  const chart = document.getElementById(chartId);
  const svg = chart.querySelector('svg.marks');
  const texts = {};
  for (const cls of classes) {
    texts[cls] = Array.from(svg.querySelectorAll(`g.${cls} text`))
      .filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, fill: parse(getComputedStyle(t).fill)}));
  }
  return {svgBackground: behind(svg), pageBackground: behind(document.body), texts: texts,
          svg: svg.outerHTML, theme: document.documentElement.dataset.theme};
}
"""


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def chart_page(built):
    preferred = built / PREFERRED
    if preferred.exists() and 'class="bookkit-chart"' in preferred.read_text(encoding="utf-8"):
        return preferred
    for page in pages():
        if 'class="bookkit-chart"' in page.read_text(encoding="utf-8"):
            return page
    pytest.skip("no page of the built book has a chart")


def wait_for_theme(page, n, theme):
    page.wait_for_function(
        """([n, theme]) => document.querySelectorAll(
             `div.bookkit-chart[data-rendered=ok][data-chart-theme=${theme}] svg.marks`).length >= n""",
        arg=[n, theme], timeout=30000)


def test_charts_are_legible_in_dark_mode(built, browser, tmp_path):
    page_path = chart_page(built)
    n = len(re.findall(r'<div class="bookkit-chart" id="chart-', page_path.read_text(encoding="utf-8")))
    context = browser.new_context(offline=True, color_scheme="light", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(page_path.as_uri(), wait_until="load")
    wait_for_theme(page, n, "light")
    chart_id = page.eval_on_selector("div.bookkit-chart", "el => el.id")
    chart = page.locator(f"#{chart_id}")
    chart.scroll_into_view_if_needed()

    shots, seen = {}, {}
    for theme in ("light", "dark"):
        if theme == "dark":  # what the theme's colour-mode button does
            page.evaluate("() => { document.documentElement.dataset.mode = 'dark'; "
                          "document.documentElement.dataset.theme = 'dark'; }")
            wait_for_theme(page, n, "dark")
            page.wait_for_timeout(200)
        shots[theme] = tmp_path / f"{page_path.stem}-{chart_id}-{theme}.png"
        chart.screenshot(path=str(shots[theme]))
        seen[theme] = page.evaluate(COLOURS_JS, [chart_id, list(GUIDE_TEXT)])
    print("screenshots:", *shots.values())

    light, dark = seen["light"], seen["dark"]
    assert (light["theme"], dark["theme"]) == ("light", "dark")
    assert contrast(light["pageBackground"], dark["pageBackground"]) > 5, "the page did not switch to dark mode"
    labels = {t: [x["fill"] for x in seen[t]["texts"]["role-axis-label"]] for t in seen}
    assert labels["light"] and labels["dark"], f"no axis labels found in {chart_id}"
    assert labels["light"][0][:3] != labels["dark"][0][:3], "axis label colour is the same in both modes"

    problems = []
    for theme, got in seen.items():
        for background_name in ("svgBackground", "pageBackground"):
            background = got[background_name]
            for cls, texts in got["texts"].items():
                for t in texts:
                    ratio = contrast(t["fill"], background)
                    if ratio < 4.5:
                        problems.append(f"{theme}: {cls} {t['text']!r} fill {t['fill'][:3]} on {background_name} "
                                        f"{background}: contrast {ratio:.2f} < 4.5")
    assert not problems, "\n".join(problems[:20])

    # Back to light: the chart is drawn exactly as it was first (light mode untouched by dark mode).
    page.evaluate("() => { document.documentElement.dataset.mode = 'light'; "
                  "document.documentElement.dataset.theme = 'light'; }")
    wait_for_theme(page, n, "light")
    again = page.evaluate(COLOURS_JS, [chart_id, list(GUIDE_TEXT)])
    assert again["svg"] == light["svg"], "the chart differs after switching to dark mode and back"
    assert not errors, errors[:3]
    context.close()


def test_every_page_keeps_its_contrast_in_dark_mode(site_visit):
    """axe-core's colour-contrast rule on every page switched to the dark scheme during the shared visit
    (tests/site_visit.py): the only rule the scheme can change (every rule runs in the light scheme in
    tests/test_accessibility.py)."""
    from test_accessibility import require_axe, serious

    require_axe()
    assert site_visit, "no pages found in _build/html"
    report = serious(site_visit, "dark")
    assert not report, f"{len(report)} contrast violations (dark scheme):\n" + "\n".join(report)
