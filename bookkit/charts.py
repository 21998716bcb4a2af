"""Chart theme, the `finish` helper and the offline, deterministic Altair renderer.

The renderer turns a chart into a MIME bundle with
- ``text/html``: an empty ``<div class="bookkit-chart">`` plus the Vega-Lite spec as inline JSON.
  ``book/_static/bookkit-charts.js`` draws it with the Vega libraries the book ships in
  ``_static/vendor``: no CDN, no require.js, works from ``file://``.
- ``application/vnd.vegalite.v6+json``: the spec itself, so nbval compares the chart and its data.
- ``image/png``: a static image made by vl-convert, for non-HTML outputs (PDF, plain viewers).
The element id is a hash of the spec, so the same chart always gets the same id.

Every chart must carry a title, a source line, a description for screen readers, axis titles and a
tooltip; the renderer refuses charts that do not (ChartRuleError), so the rule cannot be forgotten.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt
import vl_convert

THEME = "bookkit"
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
# Colour-blind-safe categorical palette (Okabe & Ito, 2008).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


class ChartRuleError(ValueError):
    """A chart lacks something every chart in the book must have."""


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "Helvetica, Arial, sans-serif",
            # Narrow enough for the book's text column; legends below the plot so they are never clipped.
            "view": {"continuousWidth": 480, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": "#555555"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e5e5e5"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                       "labelLimit": 260},
        }
    }


def finish(chart: alt.TopLevelMixin, *, title: str, source: str, description: str,
           subtitle: str | list[str] | None = None) -> alt.TopLevelMixin:
    """Add the title, the source line (shown under the title) and the screen-reader description."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    return chart.properties(
        title=alt.Title(title, subtitle=[*lines, f"Source: {source}"]),
        description=description,
        usermeta={"source": source},
    )


def _walk(node, path=""):
    """Yield (path, dict) for every dict in a spec."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


def _title(spec: dict) -> str:
    title = spec.get("title")
    return str(title.get("text", "") if isinstance(title, dict) else title or "")


def check_rules(spec: dict) -> None:
    """Raise ChartRuleError unless the spec has title, source, description, axis titles and tooltips."""
    problems = []
    if not _title(spec):
        problems.append("no title (use bookkit.charts.finish)")
    if not (spec.get("usermeta") or {}).get("source"):
        problems.append("no source line (use bookkit.charts.finish)")
    if len(str(spec.get("description", ""))) < 20:
        problems.append("no description for screen readers (a sentence of at least 20 characters)")
    has_tooltip = False
    for path, node in _walk(spec):
        enc = node.get("encoding") if isinstance(node.get("encoding"), dict) else None
        if enc:
            has_tooltip |= "tooltip" in enc
            for channel in ("x", "y"):
                ch = enc.get(channel)
                if isinstance(ch, dict) and ("field" in ch or "aggregate" in ch) and "title" not in ch \
                        and not (isinstance(ch.get("axis"), dict) and "title" in ch["axis"]) and ch.get("axis", {}) is not None:
                    problems.append(f"{path}/encoding/{channel}: axis without a title (say what and the unit)")
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("tooltip"):
            has_tooltip = True
    if not has_tooltip:
        problems.append("no tooltip encoding anywhere in the chart")
    if problems:
        raise ChartRuleError("chart breaks the book's chart rules: " + "; ".join(problems))


def spec_json(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chart_id(spec: dict) -> str:
    return "chart-" + hashlib.sha256(spec_json(spec).encode("utf-8")).hexdigest()[:16]


def static_png(spec: dict) -> bytes:
    return vl_convert.vegalite_to_png(spec, vl_version="6.4", scale=1.0)


def to_html(spec: dict) -> str:
    cid = chart_id(spec)
    desc = html.escape(str(spec.get("description", "")), quote=True)
    # '</' inside inline JSON would end the <script> element early.
    payload = spec_json(spec).replace("</", "<\\/")
    return (f'<div class="bookkit-chart" id="{cid}" role="figure" aria-label="{desc}">'
            f'<noscript>This chart needs JavaScript. Its description: {desc}</noscript></div>\n'
            f'<script type="application/json" id="{cid}-spec">{payload}</script>')


def mimebundle(spec: dict) -> dict:
    check_rules(spec)
    return {
        "text/html": to_html(spec),
        VEGALITE_MIME: spec,
        "image/png": base64.b64encode(static_png(spec)).decode("ascii"),
        "text/plain": f"<{_title(spec)}: Altair chart {chart_id(spec)}>",
    }


def _renderer(spec: dict, **_: object) -> dict:
    return mimebundle(spec)


alt.renderers.register(THEME, _renderer)
alt.renderers.enable(THEME)
