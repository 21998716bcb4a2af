"""bookkit: the plumbing behind this book.

- ``load(name)``: a validated, typed table (schema in data/schemas/<name>.yaml).
- ``date_start(series)``: partial ISO dates -> first day of the period.
- ``bookkit.charts.finish``: title, source line and description for a chart.
- ``bookkit.geo.features``: country shapes for maps, offline.
Importing bookkit enables the book's chart theme and its offline renderer.
"""
from . import charts  # noqa: F401  (registers the theme and renderer)
from .data import date_start, load
from .schema import DatasetError

__all__ = ["load", "date_start", "DatasetError", "charts"]
