"""Charts: the theme, ``finish``, the rules every chart obeys, and the renderer.

The renderer turns an Altair chart into a MIME bundle that works wherever a notebook is opened:

- ``application/vnd.vegalite.v6+json`` (Altair's own MIME type for Vega-Lite 6): the spec with its data.
  nbval compares it, the book's site draws it interactively with the Vega libraries it ships
  (``bookkit.sphinx``), and the project's JupyterLab extension (``bookkit/lab``) draws it in Lab.
- ``image/svg+xml``: a static picture made offline by vl-convert, for static viewers (GitHub,
  nbviewer) and for any frontend without the extension.
- ``text/plain``: the title and the description, for text-only readers.

Every chart must carry a title, a source line, axis titles, a tooltip and a description for screen
readers; the renderer refuses a chart without them (ChartRuleError), so the rule cannot be forgotten.
The description is generated from the chart's own data unless one is given, and any number written
in a description must be a value of the chart's data: nothing is typed in by hand.
"""
from __future__ import annotations

import hashlib
import json
import re

import altair as alt  # notebooks take it from here (`from bookkit.charts import alt`): see bookkit/__init__.py

THEME = "bookkit"
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
SVG_MIME = "image/svg+xml"
VL_VERSION = "6.4"
# Colour-blind-safe categorical palette (Okabe & Ito, 2008).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH = 480  # px: the book's text column; the site lays each chart out again at the column's real width


class ChartRuleError(ValueError):
    """A chart lacks something every chart in the book must have."""


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": "Helvetica, Arial, sans-serif",
            "view": {"continuousWidth": WIDTH, "continuousHeight": 280, "stroke": None},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 11, "subtitleColor": "#555555"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e5e5e5"},
            # Legends below the plot, so they are never clipped on a narrow page.
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                       "labelLimit": 260},
        }
    }


def finish(chart, *, title: str, source: str, description: str | None = None,
           subtitle: str | list[str] | None = None):
    """Add the title, the source line (under the title) and, if given, the screen-reader description.

    Without ``description`` the renderer writes one from the chart's data (``describe``).
    """
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle or [])
    props = {"title": alt.Title(title, subtitle=[*lines, f"Source: {source}"]), "usermeta": {"source": source}}
    if description:
        props["description"] = description
    return chart.properties(**props)


# --- reading a spec ------------------------------------------------------------------------------

def _walk(node, path=""):
    """Yield (path, dict) for every dict in a spec."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


def title_of(spec: dict) -> str:
    title = spec.get("title")
    return str(title.get("text", "") if isinstance(title, dict) else title or "")


def _rows(spec: dict, view: dict) -> list[dict]:
    data = view.get("data") or spec.get("data") or {}
    if "values" in data:
        return data["values"]
    return (spec.get("datasets") or {}).get(data.get("name"), [])


def _channel_title(ch: dict) -> str:
    axis = ch.get("axis") if isinstance(ch.get("axis"), dict) else {}
    return str(ch.get("title") or axis.get("title") or ch.get("field") or "")


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    if isinstance(value, (int, float)):
        return f"{int(value):,}" if abs(value) >= 10000 else f"{int(value)}"
    return str(value)


MARK_WORDS = {"bar": "Bar chart", "line": "Line chart", "point": "Dot chart", "circle": "Dot chart",
              "square": "Grid", "rect": "Grid", "tick": "Tick chart", "area": "Area chart",
              "geoshape": "Map", "text": "Labels", "rule": "Reference lines", "trail": "Line chart"}


def _list(values: list, most: int = 8) -> str:
    shown = [str(v) for v in values[:most]]
    more = f" and {len(values) - most} more" if len(values) > most else ""
    return ", ".join(shown) + more


def _field_of(ch: dict) -> str | None:
    return ch.get("field") if isinstance(ch, dict) else None


def describe(spec: dict) -> str:
    """A description of a chart written from its spec and data: what is plotted against what, the
    categories shown and the range of the measured values (for screen readers and text viewers)."""
    views = [v for _, v in _walk(spec) if "mark" in v and isinstance(v.get("encoding"), dict)]
    if not views:
        return f"Chart: {title_of(spec)}."
    main = max(views, key=lambda v: len(_rows(spec, v)))
    mark = main["mark"]["type"] if isinstance(main["mark"], dict) else main["mark"]
    enc = main["encoding"]
    rows = _rows(spec, main)
    x, y = enc.get("x") or {}, enc.get("y") or {}
    quant = next((ch for ch in (x, y) if ch.get("type") == "quantitative" or ch.get("aggregate")), None)
    other = y if quant is x else x
    parts = [MARK_WORDS.get(mark, "Chart")]
    if quant and other:
        parts.append(f"of {_channel_title(quant)} by {_channel_title(other)}")
    elif x or y:
        parts.append(f"of {_channel_title(y or x)} against {_channel_title(x)}" if x and y else
                     f"of {_channel_title(x or y)}")
    facet = spec.get("facet") if isinstance(spec.get("facet"), dict) else enc.get("facet")
    for ch, word in ((enc.get("color"), "coloured by"), (enc.get("shape"), "shaped by"), (facet, "one panel per")):
        if isinstance(ch, dict) and ch.get("field"):
            parts.append(f"{word} {_channel_title(ch)}")
    text = ", ".join([" ".join(parts[:2])] + parts[2:]) + f"; {len(rows)} rows of data."
    cat = _field_of(other) if other.get("type") in ("nominal", "ordinal") else None
    if cat and rows:
        seen = list(dict.fromkeys(r.get(cat) for r in rows if r.get(cat) is not None))
        text += f" {_channel_title(other)}: {_list(seen)}."
    if quant and rows:
        field, agg = quant.get("field"), quant.get("aggregate")
        if agg in ("count", "sum") and cat:
            totals: dict = {}
            for r in rows:
                totals[r.get(cat)] = totals.get(r.get(cat), 0) + (1 if agg == "count" else (r.get(field) or 0))
            pairs = sorted(totals.items(), key=lambda kv: kv[1])
            points = [{cat: k, "_v": v} for k, v in pairs]
            field = "_v"
        else:
            points = [r for r in rows if isinstance(r.get(field), (int, float)) and not isinstance(r.get(field), bool)]
        if points:
            lo, hi = min(points, key=lambda r: r[field]), max(points, key=lambda r: r[field])
            at = cat or _field_of(other)
            lo_at = f" ({lo.get(at)})" if lo.get(at) is not None else ""
            hi_at = f" ({hi.get(at)})" if hi.get(at) is not None else ""
            text += f" {_channel_title(quant)} runs from {_fmt(lo[field])}{lo_at} to {_fmt(hi[field])}{hi_at}."
    return text


# A number as prose writes it: 1,234 or 1234 or 12.5 (a trailing comma or full stop is punctuation).
_NUMBER = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")


def _numbers_in_data(spec: dict) -> set[str]:
    """Every number a description may quote: values in the chart's data (as written or rounded), counts,
    and totals of any field per category (what an aggregated bar shows)."""
    found: set[str] = set()
    datasets = list((spec.get("datasets") or {}).values())
    datasets += [v["data"]["values"] for _, v in _walk(spec) if isinstance(v.get("data"), dict) and "values" in v["data"]]
    for rows in datasets:
        found.add(str(len(rows)))
        columns: dict[str, set] = {}
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            for key, value in row.items():
                columns.setdefault(key, set()).add(json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value)
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, (int, float)):
                    for text in (str(value), f"{value:,}", f"{value:.0f}", f"{value:,.0f}", f"{value:.1f}",
                                 f"{value:,.1f}", f"{value:.2f}"):
                        found.add(text)
                elif isinstance(value, str):
                    found.update(_NUMBER.findall(value))
        found.update(str(len(v)) for v in columns.values())
        # counts of rows per value of each field (a count() bar)
        for key in columns:
            counts: dict = {}
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict):
                    k = json.dumps(row.get(key), sort_keys=True)
                    counts[k] = counts.get(k, 0) + 1
            found.update(str(v) for v in counts.values())
    return found


def check_rules(spec: dict, generated: bool = False) -> None:
    """Raise ChartRuleError unless the spec has title, source, description, axis titles and a tooltip.

    A description given by the author must quote only numbers of the chart's data; one ``describe``
    generated is built from the data and needs no such check (``generated``).
    """
    problems = []
    if not title_of(spec):
        problems.append("no title (use bookkit.charts.finish)")
    if not (spec.get("usermeta") or {}).get("source"):
        problems.append("no source line (use bookkit.charts.finish)")
    description = str(spec.get("description", ""))
    if len(description) < 20:
        problems.append("no description for screen readers (a sentence of at least 20 characters)")
    typed_in = [] if generated else sorted(set(_NUMBER.findall(description)) - _numbers_in_data(spec))
    if typed_in:
        problems.append(f"numbers in the description that are not in the chart's data: {typed_in} "
                        "(compute them from the data, or leave the description to bookkit.charts.describe)")
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
    """The same chart always gets the same element id (a hash of its spec)."""
    return "chart-" + hashlib.sha256(spec_json(spec).encode("utf-8")).hexdigest()[:16]


def static_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)


def mimebundle(spec: dict) -> dict:
    generated = not spec.get("description")
    if generated:
        spec = {**spec, "description": describe(spec)}
    check_rules(spec, generated)
    return {
        VEGALITE_MIME: spec,
        SVG_MIME: static_svg(spec),
        "text/plain": f"{title_of(spec)}\n{spec['description']}",
    }


def _renderer(spec: dict, **_: object) -> dict:
    return mimebundle(spec)


alt.renderers.register(THEME, _renderer)
alt.renderers.enable(THEME)
