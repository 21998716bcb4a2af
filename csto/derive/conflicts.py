"""member_conflicts: armed conflict touching CSTO members, by member, year and conflict, with its kind.

One computation of "conflict on members' territory", used by every chapter that counts it. It reads
three tables:
- ``armed_conflict_years`` (UCDP/PRIO): state-based conflicts by location and year (to 2024);
- ``member_years``: which states were members in law (member, or participation frozen) on 31 December;
- ``attacks_on_members``: attacks by a non-member on a member's own territory, compiled by this book,
  because UCDP files the fighting on Armenia's border of 2021-2022 under the Karabakh conflict (388),
  which it locates in Azerbaijan, so Armenia's own territory would otherwise show nothing.

Each row gets one kind, decided in this order:
- ``between_members``: members' governments on opposite sides;
- ``in_russia``: on Russia's territory (its insurgencies, attacks by the Islamic State, the war with
  Ukraine that UCDP locates in both states): Russia is the party, and no member asked the others to help;
- ``internal``: a member's government against rebels on its own territory;
- ``abroad``: a member's government is a (secondary) party to a conflict outside its territory;
- ``attack``: a non-member attacks the member's territory (from ``attacks_on_members``).
"""
from __future__ import annotations

import pandas as pd

from bookkit import load
from bookkit.countries import name

UCDP_KEYS = "ucdp_prio_acd_v25_1;gleditsch_2002_armed;davies_2025_organized"


def _government(iso3: str) -> str:
    """UCDP's name for a member's government ('Government of Russia (Soviet Union)' for Russia)."""
    return "Government of Russia (Soviet Union)" if iso3 == "RUS" else f"Government of {name(iso3)}"


def build() -> pd.DataFrame:
    conflicts = load("armed_conflict_years")
    years = load("member_years")
    members = years[(years["org"] == "CSTO") & years["status"].isin(["member", "frozen"])]
    member_set = {(c, int(y)) for c, y in zip(members["country"], members["year"])}
    rows = []
    for r in conflicts.itertuples(index=False):
        year = int(r.year)

        def side(*cols) -> set[str]:
            return {s.strip() for col in cols if isinstance(col, str) for s in col.split(",")}

        on_a = {c for c, y in member_set if y == year and _government(c) in side(r.side_a, r.side_a_2nd)}
        on_b = {c for c, y in member_set if y == year and _government(c) in side(r.side_b, r.side_b_2nd)}
        base = {"year": year, "conflict": f"UCDP {r.conflict_id}", "intensity": int(r.intensity_level),
                "description": f"{r.side_a} against {r.side_b}", "source": UCDP_KEYS}
        on_territory = (r.location, year) in member_set
        if on_territory:
            kind = ("between_members" if on_a and on_b else "in_russia" if r.location == "RUS" else "internal")
            rows.append({**base, "country": r.location, "kind": kind})
        elif on_a and on_b:
            for c in sorted(on_a | on_b):
                rows.append({**base, "country": c, "kind": "between_members"})
        else:
            for c in sorted(on_a | on_b):
                rows.append({**base, "country": c, "kind": "abroad"})
    # A conflict UCDP locates in two states (Russia and Ukraine) is one row per member and year.
    attacks = load("attacks_on_members")
    for a in attacks.itertuples(index=False):
        year = int(str(a.date)[:4])
        if (a.country, year) in member_set:
            rows.append({"country": a.country, "year": year, "conflict": f"attack {a.id}", "kind": "attack",
                         "intensity": None, "description": f"{name(a.attacker)}: {a.place}", "source": a.source})
    out = pd.DataFrame(rows).drop_duplicates(["country", "year", "conflict"], keep="first")
    out["intensity"] = out["intensity"].astype("Int64")
    return out[["country", "year", "conflict", "kind", "intensity", "description", "source"]]
