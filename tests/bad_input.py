"""The table of cell values Excel can hand us, with the documented result of each.

One row: (value, expected AFM or None, expected reason or None). Used by the
normalisation tests, ``afm-xl validate --json``, ``AFM_VALID`` and the fill tests.
"""

from __future__ import annotations

import datetime
import decimal
import math

V = "094014201"  # ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ
D = "090000045"  # ΔΕΗ

CASES: list[tuple[object, str | None, str | None]] = [
    # valid, in every spelling Excel and people produce
    ("094014201", V, None),
    (94014201, V, None),
    (94014201.0, V, None),
    (decimal.Decimal("94014201"), V, None),
    ("94014201", V, None),
    ("94014201.0", V, None),
    (" 094014201 ", V, None),
    ("094 014 201", V, None),
    ("094.014.201", V, None),
    ("094-014-201", V, None),
    ("094\t014201", V, None),
    ("EL094014201", V, None),
    ("el094014201", V, None),
    ("El 094014201", V, None),
    ("GR094014201", V, None),
    ("gr 094014201", V, None),
    ("ΕΛ094014201", V, None),
    ("ελ094014201", V, None),
    ("EL-094014201", V, None),
    ("'094014201", V, None),
    ("\u200b094014201", V, None),  # zero-width space from a web page
    ("094014201\ufeff", V, None),  # BOM
    ("\u00a0094014201\u00a0", V, None),  # non-breaking spaces
    ("０９４０１４２０１", V, None),  # full-width digits (NFKC)
    (90000045, D, None),
    (90000045.0, D, None),
    ("090000045", D, None),
    ("100000090", "100000090", None),  # remainder-10 check digit
    (100000090, "100000090", None),
    # invalid: checksum, length, zeros
    ("123456789", None, "INVALID_CHECKSUM"),
    ("094014202", None, "INVALID_CHECKSUM"),
    (940142010, None, "INVALID_CHECKSUM"),  # the float-to-text bug's output is not our output
    ("000000000", None, "ALL_ZEROS"),
    (0, None, "INVALID_LENGTH"),
    ("0", None, "INVALID_LENGTH"),
    ("12345", None, "INVALID_LENGTH"),
    ("0940142010", None, "INVALID_LENGTH"),
    (1234567890, None, "INVALID_LENGTH"),
    ("123456789012345678", None, "INVALID_LENGTH"),
    (123456789012345678, None, "INVALID_LENGTH"),
    (1e20, None, "INVALID_LENGTH"),
    # invalid numbers
    (-94014201, None, "INVALID_NUMBER"),
    (-94014201.0, None, "INVALID_NUMBER"),
    (94014201.5, None, "INVALID_NUMBER"),
    (math.nan, None, "INVALID_NUMBER"),
    (math.inf, None, "INVALID_NUMBER"),
    (decimal.Decimal("NaN"), None, "INVALID_NUMBER"),
    # not AFMs at all
    ("09401420A", None, "INVALID_FORMAT"),
    ("ABCDEFGHI", None, "INVALID_FORMAT"),
    ("AFM 094014201", None, "INVALID_FORMAT"),
    ("٠٩٤٠١٤٢٠١", None, "INVALID_FORMAT"),  # Arabic-Indic digits: not accepted
    ("-", None, "INVALID_FORMAT"),
    ("EL", None, "INVALID_FORMAT"),
    ("=A1", None, "FORMULA"),
    ('=HYPERLINK("http://x","094014201")', None, "FORMULA"),
    ("#N/A", None, "EXCEL_ERROR"),
    ("#VALUE!", None, "EXCEL_ERROR"),
    ("#REF!", None, "EXCEL_ERROR"),
    ("#DIV/0!", None, "EXCEL_ERROR"),
    ("#NAME?", None, "EXCEL_ERROR"),
    (True, None, "BOOLEAN"),
    (False, None, "BOOLEAN"),
    (datetime.date(2024, 1, 2), None, "DATE"),
    (datetime.datetime(2024, 1, 2, 3, 4), None, "DATE"),
    (None, None, "EMPTY"),
    ("", None, "EMPTY"),
    ("   ", None, "EMPTY"),
    ("\t\r\n", None, "EMPTY"),
    ("9" * 5000, None, "TOO_LONG"),
    ("x" * 5000, None, "TOO_LONG"),
    ([94014201], None, "UNSUPPORTED_TYPE"),
    (object(), None, "UNSUPPORTED_TYPE"),
]
