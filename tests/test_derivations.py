"""Raw to tidy: the known defects of the raw extracts are handled as their PROVENANCE.md says.

SIPRI's 2026 extract repeats Georgia's share of GDP in Belarus's row for 1992-2021. Those years come
from SIPRI's 2025 release instead, read in Our World in Data's copy, and every value taken is checked
against a second, independent copy of that release's sheet, so that none rests on one mirror alone.
"""
import pytest

from csto.derive import sipri


@pytest.fixture(scope="module")
def copies():
    return sipri.read_owid_share(), sipri.read_sheet_copy()


def test_belarus_share_of_gdp_comes_from_the_2025_release_where_the_2026_row_is_a_copy():
    frame = sipri.build()
    taken = frame[frame["share_of_gdp_status"] == "sipri_2025_via_owid"]
    assert set(taken["country"]) == {"BLR"}
    assert list(taken["year"]) == list(range(1992, 2022))
    assert set(taken["source"]) == {"sipri_milex_2026;sipri_milex_2025"}


def test_every_value_taken_agrees_with_the_second_copy(copies):
    owid, sheet = copies
    years = range(1992, 2022)
    assert all(abs(owid[("BLR", y)] - sheet[("BLR", y)]) <= sipri.COPY_TOLERANCE_PCT for y in years)


def test_a_value_the_second_copy_contradicts_stops_the_build(copies):
    owid, sheet = copies
    with pytest.raises(sipri.SipriInputError, match=r"BLR 1995: .*owid_milex_share_gdp_sipri.csv gives"):
        sipri.corroborate({("BLR", 1995): owid[("BLR", 1995)] + 0.01}, sheet)


def test_a_year_the_second_copy_lacks_stops_the_build(copies):
    owid, sheet = copies
    sheet = {k: v for k, v in sheet.items() if k != ("BLR", 2000)}
    with pytest.raises(sipri.SipriInputError, match=r"BLR 2000: .* has no value"):
        sipri.corroborate({("BLR", 2000): owid[("BLR", 2000)]}, sheet)
