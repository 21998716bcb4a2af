"""Armed-conflict years by location country, from the UCDP/PRIO Armed Conflict Dataset v25.1.

Reads ``data/raw/ucdp_prio_acd_v25_1/ucdp_prio_acd_v25_1_postsoviet.csv`` (see the PROVENANCE.md
there) and returns one row per conflict, year and *location country*.  UCDP's ``gwno_loc`` may name
several countries (``"365, 369"`` for the Russia-Ukraine conflict); such a conflict-year becomes one
row per country, so a count of rows per country answers "in how many years was there a state-based
armed conflict on this country's territory?".

Quirks of the raw copy handled here (all documented in PROVENANCE.md):

- it is semicolon-delimited with CRLF line ends (``csv`` handles both);
- dates are written ``d-m-yyyy`` (``29-5-1997``); they become ISO ``YYYY-MM-DD``.  A date that does not
  parse stops the build with the file, the row and the column;
- Gleditsch-Ward codes become ISO 3166-1 alpha-3 through the explicit table ``GW_TO_ISO3`` below.  GW 365
  is "Russia (Soviet Union)": it is written SUN up to 1991 and RUS from 1992.  An unknown code stops the
  build with an error naming the file and the row - nothing is guessed.

Codes kept as UCDP writes them (UCDP/PRIO codebook, cited as Gleditsch et al. 2002; Davies et al. 2025):
``intensity_level`` 1 = 25-999 battle-related deaths in the year, 2 = at least 1,000;
``type_of_conflict`` 1 = extrasystemic, 2 = interstate, 3 = intrastate, 4 = internationalized intrastate;
``incompatibility`` 1 = territory, 2 = government, 3 = both.
"""
from __future__ import annotations

import csv
import re

import pandas as pd

from bookkit import paths

RAW_FILE = paths.RAW / "ucdp_prio_acd_v25_1" / "ucdp_prio_acd_v25_1_postsoviet.csv"
SOURCE_KEYS = "ucdp_prio_acd_v25_1;gleditsch_2002_armed;davies_2025_organized"

# Gleditsch-Ward state code -> list of (first year, last year, ISO 3166-1 alpha-3).  Explicit on purpose:
# the twelve post-Soviet codes the raw extract was filtered on, plus the other states that appear as a
# co-location in its rows (Hungary 1956, China 1969, Afghanistan 1979).
GW_TO_ISO3: dict[int, list[tuple[int, int, str]]] = {
    365: [(1946, 1991, "SUN"), (1992, 2100, "RUS")],  # "Russia (Soviet Union)"
    369: [(1991, 2100, "UKR")],
    370: [(1991, 2100, "BLR")],
    371: [(1991, 2100, "ARM")],
    372: [(1991, 2100, "GEO")],
    373: [(1991, 2100, "AZE")],
    359: [(1991, 2100, "MDA")],
    701: [(1991, 2100, "TKM")],
    702: [(1991, 2100, "TJK")],
    703: [(1991, 2100, "KGZ")],
    704: [(1991, 2100, "UZB")],
    705: [(1991, 2100, "KAZ")],
    310: [(1946, 2100, "HUN")],
    700: [(1946, 2100, "AFG")],
    710: [(1946, 2100, "CHN")],
}

COLUMNS = ["conflict_id", "year", "location", "location_gwno", "location_name", "side_a", "side_a_2nd",
           "side_b", "side_b_2nd", "incompatibility", "territory_name", "intensity_level",
           "type_of_conflict", "start_date", "episode_start_date", "source"]


class UcdpRowError(ValueError):
    """A raw UCDP row could not be read: names the file, the data row and the problem."""


def _where(row_no: int) -> str:
    return f"{paths.rel(RAW_FILE)}, data row {row_no} (line {row_no + 1})"


def gw_to_iso3(code: int, year: int, row_no: int) -> str:
    """ISO3 for Gleditsch-Ward ``code`` in ``year``; raise UcdpRowError if the table has no answer."""
    for first, last, iso3 in GW_TO_ISO3.get(code, []):
        if first <= year <= last:
            return iso3
    raise UcdpRowError(f"{_where(row_no)}: Gleditsch-Ward code {code} (year {year}) is not in GW_TO_ISO3; "
                       "add it to csto/derive/ucdp.py after checking the code list")


def iso_date(text: str, row_no: int, column: str) -> str:
    """'29-5-1997' -> '1997-05-29'; empty stays empty; anything else is an error."""
    text = text.strip()
    if not text:
        return ""
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    if not m:
        raise UcdpRowError(f"{_where(row_no)}, column '{column}': date {text!r} is not d-m-yyyy")
    day, month, year = (int(g) for g in m.groups())
    try:
        return pd.Timestamp(year=year, month=month, day=day).strftime("%Y-%m-%d")
    except ValueError as err:
        raise UcdpRowError(f"{_where(row_no)}, column '{column}': {text!r} is not a calendar date") from err


def read_raw() -> list[dict[str, str]]:
    with RAW_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def build() -> pd.DataFrame:
    """One row per conflict-year per location country (``gwno_loc`` exploded), sorted by key."""
    records = []
    for row_no, row in enumerate(read_raw(), start=1):
        year = int(row["year"])
        codes = [c.strip() for c in row["gwno_loc"].split(",") if c.strip()]
        if not codes:
            raise UcdpRowError(f"{_where(row_no)}, column 'gwno_loc': empty")
        for code in codes:
            if not code.isdigit():
                raise UcdpRowError(f"{_where(row_no)}, column 'gwno_loc': {code!r} is not a number")
            records.append({
                "conflict_id": row["conflict_id"].strip(),
                "year": year,
                "location": gw_to_iso3(int(code), year, row_no),
                "location_gwno": code,
                "location_name": row["location"].strip(),
                "side_a": row["side_a"].strip(),
                "side_a_2nd": row["side_a_2nd"].strip(),
                "side_b": row["side_b"].strip(),
                "side_b_2nd": row["side_b_2nd"].strip(),
                "incompatibility": int(row["incompatibility"]),
                "territory_name": row["territory_name"].strip(),
                "intensity_level": int(row["intensity_level"]),
                "type_of_conflict": int(row["type_of_conflict"]),
                "start_date": iso_date(row["start_date"], row_no, "start_date"),
                "episode_start_date": iso_date(row["start_date2"], row_no, "start_date2"),
                "source": SOURCE_KEYS,
            })
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["_cid"] = frame["conflict_id"].astype(int)
    frame = frame.sort_values(["_cid", "year", "location"], kind="stable").drop(columns="_cid")
    return frame.reset_index(drop=True)
