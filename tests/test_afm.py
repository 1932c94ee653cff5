"""AFM normalisation: every cell value gets an AFM or a documented reason, and nothing raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.gr import vat

from afm_xl.afm import REASONS, Normalised, is_valid, normalise, reason_text
from bad_input import CASES


@pytest.mark.parametrize("value, afm, reason", CASES, ids=[repr(c[0])[:30] for c in CASES])
def test_normalisation_table(value, afm, reason):
    assert normalise(value) == Normalised(afm, reason)


def test_table_is_large_and_uses_every_reason():
    assert len(CASES) >= 60
    used = {reason for _, _, reason in CASES if reason}
    assert used == set(REASONS)


def test_float_never_shifts_digits():
    # 94014201.0 must give 094014201, never 940142010
    assert normalise(94014201.0).afm == "094014201"
    assert normalise(str(94014201.0)).afm == "094014201"


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_valid_afm_survives_every_spelling(n):
    body = f"{n:08d}"
    afm = body + vat.calc_check_digit(body)
    if afm == "000000000":
        assert normalise(afm).reason == "ALL_ZEROS"
        return
    spellings = [afm, f"EL{afm}", f"ΕΛ {afm}", f" {afm[:3]}.{afm[3:6]}.{afm[6:]} "]
    if not afm.startswith("00"):  # a number cell loses one leading zero, which we restore
        spellings += [int(afm), float(int(afm))]
    else:  # two lost zeros are not guessed back
        assert normalise(int(afm)).reason == "INVALID_LENGTH"
    for spelling in spellings:
        assert normalise(spelling).afm == afm, spelling


@settings(max_examples=500)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans(), st.binary(), st.decimals()))
def test_anything_gives_afm_or_reason(value):
    result = normalise(value)
    assert (result.afm is None) != (result.reason is None)
    if result.afm is not None:
        assert len(result.afm) == 9 and result.afm.isdigit() and vat.is_valid(result.afm)
        assert result.afm != "000000000"
    else:
        assert result.reason in REASONS


def test_is_valid_and_texts():
    assert is_valid("090000045") and not is_valid("090000046")
    assert reason_text(None) == "OK"
    assert reason_text("ALL_ZEROS", "en") == "000000000 is not an AFM"
    assert all(greek and english for greek, english in REASONS.values())
