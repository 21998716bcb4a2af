"""Military expenditure from the SIPRI Military Expenditure Database: the post-Soviet states, and, as
benchmarks, the members of NATO and of the SCO.

Reads the raw extracts in ``data/raw/sipri_milex_2026/`` (see the PROVENANCE.md there) and returns one
row per country and year with two measures:

- ``milex_constant2024_usd_m``: military expenditure in US$ million at constant 2024 prices and
  exchange rates (sheet "Constant (2024) US$");
- ``share_of_gdp_pct``: military expenditure as a share of GDP, in **percent**.  SIPRI's sheet stores a
  fraction (0.0527 = 5.27 %), so the value is multiplied by 100 here.

SIPRI writes two markers instead of numbers: ``...`` (data not available) and ``xxx`` (the country did
not exist or was not independent).  Both become empty cells (unknown, never zero) and the reason goes to
the status column of that measure.  SIPRI marks estimates by font colour, which a CSV loses; the
extractor listed those cells in ``sipri_milex_cell_flags.csv``, and each flag is attached to the value
it qualifies (after checking that the flagged value is the value in the sheet).

One known error of the raw extract is handled explicitly (see ``KNOWN_DUPLICATES``): the Belarus
share-of-GDP row for 1992-2021 repeats Georgia's row shifted by four years, so those values are not
used. In their place the book takes Belarus's share of GDP from SIPRI's previous (2025) release as
published by Our World in Data (``data/raw/owid_sipri_2025``), marked with the status
``sipri_2025_via_owid``; a year that release lacks stays empty (``withheld_duplicate``).  That copy is an
aggregator's, read from a mirror, so each value taken from it is checked against a second, independent
copy of the same release's sheet (``data/raw/sipri_2025_sheet_copy``, two decimals): a difference larger
than that copy's rounding, or a year it lacks, stops the build.

The benchmark extract (NATO and SCO members) holds the constant-dollar sheet only: their share of GDP
is empty with the status ``not_in_extract``.

Country names become ISO 3166-1 alpha-3 codes through the explicit table ``SIPRI_TO_ISO3`` (SUN for the
USSR).  There is no fuzzy matching: a name that is not in the table stops the build with an error naming
the file and the row.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd

from bookkit import paths

RAW = paths.RAW / "sipri_milex_2026"
MILEX_FILE = RAW / "sipri_milex_constant2024usd_m.csv"
SHARE_FILE = RAW / "sipri_milex_share_gdp.csv"
FLAGS_FILE = RAW / "sipri_milex_cell_flags.csv"
BENCHMARK_FILE = RAW / "sipri_milex_constant2024usd_m_nato_sco.csv"
BENCHMARK_FLAGS = RAW / "sipri_milex_cell_flags_nato_sco.csv"
OWID_SHARE_FILE = paths.RAW / "owid_sipri_2025" / "owid_milex_share_gdp_sipri.csv"
SOURCE_KEY = "sipri_milex_2026"
SHEET_COPY_FILE = paths.RAW / "sipri_2025_sheet_copy" / "share_of_gdp_belarus_georgia.json"
# The rows cite the release itself; the two copies it was read from are named in its bibliography entry.
RELEASE_2025_KEY = "sipri_milex_2025"
# The sheet copy shows two decimals: agreement means a difference within half a unit of the last one.
COPY_TOLERANCE_PCT = 0.005 + 1e-9

# Years kept: 1988 is the first year with any SIPRI figure for the USSR (its successor states start in
# 1992); earlier columns hold only markers for every country kept except the USA, which is kept here as
# a point of comparison, not as a subject.  2025 is the last year of the 2026 release.
FIRST_YEAR, LAST_YEAR = 1988, 2025

# SIPRI country name (as written in the sheets) -> ISO 3166-1 alpha-3.  Explicit on purpose.
SIPRI_TO_ISO3 = {
    "Armenia": "ARM",
    "Azerbaijan": "AZE",
    "Belarus": "BLR",
    "Georgia": "GEO",
    "Kazakhstan": "KAZ",
    "Kyrgyz Republic": "KGZ",
    "Moldova": "MDA",
    "Russia": "RUS",
    "Tajikistan": "TJK",
    "Turkmenistan": "TKM",
    "Ukraine": "UKR",
    "USSR": "SUN",
    "Uzbekistan": "UZB",
    "United States of America": "USA",
    # benchmark extract: NATO members other than the USA, and SCO members not above
    "Albania": "ALB", "Belgium": "BEL", "Bulgaria": "BGR", "Canada": "CAN", "Croatia": "HRV", "Czechia": "CZE",
    "Denmark": "DNK", "Estonia": "EST", "Finland": "FIN", "France": "FRA", "Germany": "DEU", "Greece": "GRC",
    "Hungary": "HUN", "Iceland": "ISL", "Italy": "ITA", "Latvia": "LVA", "Lithuania": "LTU", "Luxembourg": "LUX",
    "Montenegro": "MNE", "Netherlands": "NLD", "North Macedonia": "MKD", "Norway": "NOR", "Poland": "POL",
    "Portugal": "PRT", "Romania": "ROU", "Slovakia": "SVK", "Slovenia": "SVN", "Spain": "ESP", "Sweden": "SWE",
    "Türkiye": "TUR", "United Kingdom": "GBR", "China": "CHN", "India": "IND", "Pakistan": "PAK", "Iran": "IRN",
}

# SIPRI's markers -> why the cell is empty.
MARKERS = {"...": "not_available", "xxx": "not_independent"}

# Known errors in the raw extract, handled explicitly (the raw files are never edited).
# In the share-of-GDP extract the Belarus row for 1992-2021 repeats Georgia's values for 1996-2025
# (30 of 30 numbers identical, shifted by four years; SIPRI's 2025 release, as copied by Our World in
# Data, gives Belarus about 1-2 % of GDP in those years).  Each value that equals Georgia's value four
# years later is withheld (empty, status 'withheld_duplicate'); the check runs on every build, so a
# corrected extract would simply pass through.
KNOWN_DUPLICATES = {("share", "BLR"): ("GEO", 4)}

# Sheet legend text in the flags file -> flag value.
FLAG_MEANINGS = {"blue (SIPRI estimate)": "sipri_estimate", "red (highly uncertain)": "highly_uncertain"}
SHEETS = {"Constant (2024) US$": "milex", "Share of GDP": "share"}

_YEAR = re.compile(r"\d{4}")


class SipriInputError(ValueError):
    """The raw SIPRI extract holds something this module does not know how to read."""


def _rel(path: Path) -> str:
    return paths.rel(path)


def iso3(name: str, path: Path, line: int) -> str:
    """ISO3 code for a SIPRI country name, or an error that names the file and the row."""
    try:
        return SIPRI_TO_ISO3[name.strip()]
    except KeyError:
        raise SipriInputError(
            f"{_rel(path)}, line {line}: country name {name!r} is not in SIPRI_TO_ISO3 "
            "(add it to the table in csto/derive/sipri.py; no fuzzy matching)") from None


def parse_cell(text: str, path: Path, line: int, year: int) -> tuple[float | None, str]:
    """(value, status) for one SIPRI cell: a number, or None plus the marker's meaning."""
    cell = text.strip()
    if cell in MARKERS:
        return None, MARKERS[cell]
    try:
        return float(cell), "reported"
    except ValueError:
        raise SipriInputError(f"{_rel(path)}, line {line}, year {year}: cell {text!r} is neither a number "
                              f"nor a SIPRI marker ({', '.join(MARKERS)})") from None


def read_sheet(path: Path) -> dict[tuple[str, int], tuple[float | None, str, str]]:
    """{(iso3, year): (value, status, raw text)} for one sheet extract, plus the Notes markers."""
    out: dict[tuple[str, int], tuple[float | None, str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header[0] != "Country" or "Notes" not in header:
            raise SipriInputError(f"{_rel(path)}, line 1: expected 'Country' first and a 'Notes' column")
        years = {i: int(h) for i, h in enumerate(header) if _YEAR.fullmatch(h)}
        other = [i for i, h in enumerate(header) if i not in years and h not in {"Country", "Notes"}]
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise SipriInputError(f"{_rel(path)}, line {line}: {len(row)} fields, header has {len(header)}")
            code = iso3(row[0], path, line)
            for i in other:  # the unnamed second column of the constant-US$ sheet must stay empty
                if row[i].strip():
                    raise SipriInputError(f"{_rel(path)}, line {line}: unexpected value {row[i]!r} "
                                          f"in column {i + 1} (header {header[i]!r})")
            out[(code, 0)] = (None, "notes", row[header.index("Notes")].strip())
            for i, year in years.items():
                if FIRST_YEAR <= year <= LAST_YEAR:
                    value, status = parse_cell(row[i], path, line, year)
                    out[(code, year)] = (value, status, row[i].strip())
    return out


def read_flags(path: Path) -> dict[tuple[str, str, int], tuple[str, str]]:
    """{(measure, iso3, year): (flag, raw value text)} for the two sheets used here."""
    flags: dict[tuple[str, str, int], tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            if rec["sheet"] not in SHEETS:
                continue  # per-capita, share of government spending and regional sheets are not used
            if rec["meaning_per_sheet_legend"] not in FLAG_MEANINGS:
                raise SipriInputError(f"{_rel(path)}, line {line}: unknown flag "
                                      f"{rec['meaning_per_sheet_legend']!r}")
            year = int(rec["year"])
            code = iso3(rec["country_or_region"], path, line)
            if FIRST_YEAR <= year <= LAST_YEAR:
                flags[(SHEETS[rec["sheet"]], code, year)] = (FLAG_MEANINGS[rec["meaning_per_sheet_legend"]],
                                                            rec["value"].strip())
    return flags


def _flag_for(flags, measure: str, code: str, year: int, value: float | None, raw: str) -> str | None:
    """The estimate flag for a value: 'none' if unflagged, None (empty) if there is no value."""
    hit = flags.get((measure, code, year))
    if hit is not None and hit[1] != raw:
        raise SipriInputError(f"cell flags: flag for {measure} {code} {year} names value {hit[1]!r}, "
                              f"but the sheet holds {raw!r}")
    if value is None:
        # A coloured marker cell (SIPRI colours a few USSR '...' cells) qualifies no number: no flag.
        return None
    return hit[0] if hit else "none"


def read_owid_share(path: Path = OWID_SHARE_FILE) -> dict[tuple[str, int], float]:
    """{(iso3, year): percent of GDP} from the Our World in Data copy of SIPRI's 2025 release."""
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        column = "Military expenditure (% of GDP)"
        for line, rec in enumerate(reader, start=2):
            if not _YEAR.fullmatch(rec["Year"]) or not re.fullmatch(r"[A-Z]{3}", rec["Code"]):
                raise SipriInputError(f"{_rel(path)}, line {line}: unexpected year or code {rec['Year']!r}, {rec['Code']!r}")
            out[(rec["Code"], int(rec["Year"]))] = float(rec[column])
    return out


def read_sheet_copy(path: Path = SHEET_COPY_FILE) -> dict[tuple[str, int], float]:
    """{(iso3, year): percent of GDP} from the second copy of SIPRI's 2025 sheet (empty cells left out)."""
    out = {}
    for index, rec in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        name = rec.get("country")
        if name not in SIPRI_TO_ISO3:
            raise SipriInputError(f"{_rel(path)}, object {index + 1}: country {name!r} is not in SIPRI_TO_ISO3")
        for key, value in rec.items():
            if _YEAR.fullmatch(key) and value is not None:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise SipriInputError(f"{_rel(path)}, {name} {key}: {value!r} is not a number")
                out[(SIPRI_TO_ISO3[name], int(key))] = float(value)
    return out


def corroborate(taken: dict[tuple[str, int], float], copy: dict[tuple[str, int], float]) -> None:
    """Stop unless every value taken from the OWID copy is matched, within rounding, by the sheet copy."""
    problems = []
    for (code, year), value in sorted(taken.items()):
        other = copy.get((code, year))
        if other is None:
            problems.append(f"{code} {year}: {_rel(SHEET_COPY_FILE)} has no value to check {value:.4f} against")
        elif abs(value - other) > COPY_TOLERANCE_PCT:
            problems.append(f"{code} {year}: {_rel(OWID_SHARE_FILE)} gives {value:.4f}, {_rel(SHEET_COPY_FILE)} {other}")
    for (code, _), (copied_from, shift) in KNOWN_DUPLICATES.items():
        years = sorted(y for c, y in taken if c == code)
        if years and all(copy.get((code, y)) == copy.get((copied_from, y + shift)) for y in years):
            problems.append(f"{_rel(SHEET_COPY_FILE)} repeats {copied_from}'s row in {code}'s, like the 2026 extract")
    if problems:
        raise SipriInputError("the two copies of SIPRI's 2025 share of GDP disagree:\n  " + "\n  ".join(problems))


def build() -> pd.DataFrame:
    """Tidy table: one row per country (ISO3) and year, 1988-2025."""
    milex = read_sheet(MILEX_FILE)
    share = read_sheet(SHARE_FILE)
    benchmark = read_sheet(BENCHMARK_FILE)
    overlap = {c for c, y in benchmark if y == 0} & {c for c, y in milex if y == 0}
    if overlap:
        raise SipriInputError(f"{_rel(BENCHMARK_FILE)} repeats countries of {_rel(MILEX_FILE)}: {sorted(overlap)}")
    for (measure, code), (copied_from, shift) in KNOWN_DUPLICATES.items():
        table = {"milex": milex, "share": share}[measure]
        for (c, year), (value, _status, raw) in list(table.items()):
            twin = table.get((copied_from, year + shift))
            if c == code and year and value is not None and twin is not None and twin[2] == raw:
                table[(c, year)] = (None, "withheld_duplicate", raw)
    owid = read_owid_share()
    taken = {}
    flags = {**read_flags(FLAGS_FILE), **read_flags(BENCHMARK_FLAGS)}
    countries_m = {c for c, y in milex if y == 0}
    countries_s = {c for c, y in share if y == 0}
    if countries_m != countries_s:
        raise SipriInputError(f"the two sheets list different countries: {sorted(countries_m ^ countries_s)}")
    for (code, year), cell in benchmark.items():
        milex[(code, year)] = cell
        share[(code, year)] = (None, "notes", "") if year == 0 else (None, "not_in_extract", "")
    rows = []
    for code in sorted({c for c, y in milex if y == 0}):
        notes = milex[(code, 0)][2]
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for table, path in ((milex, MILEX_FILE), (share, SHARE_FILE)):
                if (code, year) not in table:
                    raise SipriInputError(f"{_rel(path)}: no column for year {year}")
            m_val, m_status, m_raw = milex[(code, year)]
            s_val, s_status, s_raw = share[(code, year)]
            source = SOURCE_KEY
            if s_status == "withheld_duplicate" and (code, year) in owid:
                taken[(code, year)] = owid[(code, year)]
                s_val, s_status, s_raw = owid[(code, year)] / 100, "sipri_2025_via_owid", None
                source = f"{SOURCE_KEY};{RELEASE_2025_KEY}"
            rows.append({
                "country": code,
                "year": year,
                "milex_constant2024_usd_m": m_val,
                "status": m_status,
                "estimate_flag": _flag_for(flags, "milex", code, year, m_val, m_raw),
                "share_of_gdp_pct": None if s_val is None else s_val * 100,
                "share_of_gdp_status": s_status,
                # The Our World in Data copy carries no estimate flags: 'unknown', not 'none'.
                "share_of_gdp_estimate_flag": ("unknown" if s_status == "sipri_2025_via_owid" else
                                               _flag_for(flags, "share", code, year, s_val, s_raw)),
                "sipri_notes": notes or None,
                "source": source,
            })
    corroborate(taken, read_sheet_copy())
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int64")
    return frame.sort_values(["country", "year"], kind="stable").reset_index(drop=True)


if __name__ == "__main__":  # quick look: python -m csto.derive.sipri
    print(build().to_string(max_rows=40))
