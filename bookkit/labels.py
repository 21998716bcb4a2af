"""Labels, colours and order of coded columns, read from the schemas (one look everywhere).

A coded column (an ``enum``, ``categories`` or ``codelist`` in its schema) has categories in display
order, each with the words a reader sees and, optionally, a colour. Charts and tables take all three
from here, so 'partly supported' has the same wording, colour and place in every chapter.

    level = coded("orders", "status")
    frame["status_words"] = level.words(frame["status"])
    alt.Color("status_words:N", **level.encoding("Status"))
"""
from __future__ import annotations

from dataclasses import dataclass

from .schema import Category, codelist, get_schema

# Colour-blind-safe categorical palette (Okabe & Ito, 2008), for categories whose schema gives none.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999"]


@dataclass(frozen=True)
class Coded:
    categories: tuple[Category, ...]
    title: str = ""

    @property
    def values(self) -> list[str]:
        return [c.value for c in self.categories]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.categories]

    @property
    def colours(self) -> list[str]:
        return [c.colour or PALETTE[i % len(PALETTE)] for i, c in enumerate(self.categories)]

    def word(self, value) -> str:
        for c in self.categories:
            if c.value == value:
                return c.label
        raise KeyError(f"{value!r} is not one of {self.values}")

    def words(self, series):
        """The labels of a column of codes (missing stays missing)."""
        import pandas as pd

        mapping = dict(zip(self.values, self.labels))
        unknown = set(series.dropna()) - set(mapping)
        if unknown:
            raise KeyError(f"codes {sorted(unknown)} are not among {self.values}")
        return pd.Series(series, dtype=object).map(lambda v: mapping.get(v, v) if isinstance(v, str) else None)

    def colour(self, value) -> str:
        return dict(zip(self.values, self.colours))[value]

    def scale(self):
        import altair as alt

        return alt.Scale(domain=self.labels, range=self.colours)

    def encoding(self, title: str | None = None) -> dict:
        """Keyword arguments for alt.Color / alt.Y / alt.X on a column of labels: scale, sort and title."""
        return {"scale": self.scale(), "sort": self.labels, "title": title or self.title}

    def order(self) -> dict:
        """Label -> rank, for sorting rows in display order."""
        return {label: i for i, label in enumerate(self.labels)}


def coded(table: str, column: str) -> Coded:
    field = get_schema(table).field(column)
    if field.categories is None:
        raise KeyError(f"{table}.{column} is not a coded column (no enum, categories or codelist)")
    return Coded(field.categories, field.title)


def from_codelist(name: str, title: str = "") -> Coded:
    return Coded(codelist(name), title)


def titles(table: str) -> dict[str, str]:
    """Column name -> the title a reader sees, for every column of ``table``."""
    return {f.name: f.title for f in get_schema(table).fields}
