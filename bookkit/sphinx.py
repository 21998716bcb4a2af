"""Sphinx side of the engine: how the book's site shows chart outputs, and a reproducible HTML build.

- ``VegaLiteRenderer`` is a myst-nb MIME renderer (entry point ``myst_nb.mime_renderers``): in HTML
  builds it turns a stored ``application/vnd.vegalite.v6+json`` output into an empty chart element and
  the spec as inline JSON, which ``_static/bookkit-charts.js`` draws with the Vega libraries the book
  ships (no CDN, works from file://). Other builders fall back to the stored static image.
- ``setup`` (listed in ``_config.yml`` extensions) removes Sphinx's ``?v=<checksum>`` suffix from
  stylesheet and script links. Sphinx adds it only when the file is already in the output folder, so a
  rebuild in an existing ``_build`` would differ from a clean build; without it the two are identical.
- It also keeps MathJax, which Sphinx loads from a CDN, off a single-page build that has no equation:
  Jupyter Book asks for every asset on single pages, so the page the PDF is printed from would
  otherwise carry a remote script (the PDF step blocks it, but the page should not ask).
"""
from __future__ import annotations

import html
import re

from docutils import nodes

from .charts import VEGALITE_MIME, chart_id, spec_json

HTML_BUILDERS = ("html", "singlehtml", "dirhtml")


def chart_html(spec: dict) -> str:
    cid = chart_id(spec)
    desc = html.escape(str(spec.get("description", "")), quote=True)
    payload = spec_json(spec).replace("</", "<\\/")  # '</' inside inline JSON would end the <script> early
    return (f'<div class="bookkit-chart" id="{cid}" role="figure" aria-label="{desc}">'
            f'<noscript>This chart needs JavaScript. Its description: {desc}</noscript></div>\n'
            f'<script type="application/json" id="{cid}-spec">{payload}</script>')


class VegaLiteRenderer:
    mime_priority_overrides = [(builder, VEGALITE_MIME, 1) for builder in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer, data, inline):
        # Only HTML builders rank this MIME type (mime_priority_overrides); the others use the static image.
        if inline or data.mime_type != VEGALITE_MIME:
            return None
        return [nodes.raw(text=chart_html(data.content), format="html", classes=["output", "bookkit-vegalite"])]


_CHECKSUM = re.compile(r"\?v=[0-9a-f]+")


def _without_checksums(app, pagename, templatename, context, doctree):
    for key in ("css_tag", "js_tag"):
        tag = context.get(key)
        if tag is not None:
            context[key] = lambda asset, tag=tag: _CHECKSUM.sub("", tag(asset))


def _no_mathjax_without_math(app, pagename, templatename, context, doctree):
    # Runs before sphinx.ext.mathjax (priority 500), which adds the script under the 'always' policy.
    if app.registry.html_assets_policy == "always" and not app.env.get_domain("math").has_equations():
        app.registry.html_assets_policy = "per_page"


def setup(app):
    app.connect("html-page-context", _no_mathjax_without_math, priority=400)
    app.connect("html-page-context", _without_checksums, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
