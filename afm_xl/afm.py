"""ΑΦΜ (Αριθμός Φορολογικού Μητρώου, the Greek tax ID): any cell value → AFM or a reason.

Excel hands us every kind of value: numbers as floats (the leading zero lost),
strings with spaces, dots, dashes or a country prefix, formulas, error texts,
booleans, dates. :func:`normalise` turns any of them into a 9-digit AFM, or
``None`` with a reason code saying why not. The checksum is python-stdnum's
``stdnum.gr.vat``; this module adds the hygiene that spreadsheet input needs.

>>> normalise(94014201.0)
Normalised(afm='094014201', reason=None)
>>> normalise(' EL 094-014-201 ')
Normalised(afm='094014201', reason=None)
>>> normalise('ΕΛ094014201').afm
'094014201'
>>> normalise('123456789')
Normalised(afm=None, reason='INVALID_CHECKSUM')
>>> normalise('000000000').reason
'ALL_ZEROS'
>>> normalise('#N/A').reason
'EXCEL_ERROR'
>>> is_valid('090000045'), is_valid(90000046)
(True, False)
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata
from typing import Any, NamedTuple

__all__ = ["Normalised", "REASONS", "normalise", "is_valid"]

#: Every reason code :func:`normalise` can give, with a Greek and an English text.
REASONS: dict[str, tuple[str, str]] = {
    "EMPTY": ("Κενό κελί", "empty cell"),
    "BOOLEAN": ("Λογική τιμή, όχι ΑΦΜ", "a TRUE/FALSE value, not an AFM"),
    "DATE": ("Ημερομηνία, όχι ΑΦΜ", "a date, not an AFM"),
    "FORMULA": ("Τύπος, όχι ΑΦΜ", "a formula, not an AFM"),
    "EXCEL_ERROR": ("Σφάλμα Excel στο κελί", "an Excel error value"),
    "TOO_LONG": ("Πολύ μεγάλο κείμενο", "text far too long for an AFM"),
    "INVALID_NUMBER": ("Μη έγκυρος αριθμός", "a negative, fractional or non-finite number"),
    "INVALID_FORMAT": ("Μη έγκυροι χαρακτήρες", "characters other than digits"),
    "INVALID_LENGTH": ("Λάθος πλήθος ψηφίων", "not 9 digits (or 8 with the leading zero lost)"),
    "INVALID_CHECKSUM": ("Λάθος ψηφίο ελέγχου", "the check digit does not match"),
    "ALL_ZEROS": ("Μηδενικός ΑΦΜ", "000000000 is not an AFM"),
    "UNSUPPORTED_TYPE": ("Μη υποστηριζόμενη τιμή", "a value of an unsupported type"),
}

#: Longest text still treated as a candidate (an AFM with prefix and separators).
MAX_TEXT = 40

_EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! "
    "#FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN! #N/A!".split()
)
# Invisible characters that ride along with copy-and-paste from web pages and PDFs.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"))
_SEPARATORS = re.compile(r"[\s\-./:_,·]+")
_PREFIX = re.compile(r"^(EL|GR|ΕΛ)", re.IGNORECASE)
_NUMBER_TEXT = re.compile(r"^\d{1,9}\.0+$")  # "94014201.0": a number that became text


class Normalised(NamedTuple):
    """The outcome of :func:`normalise`: exactly one of ``afm`` and ``reason`` is set."""

    afm: str | None
    reason: str | None

    @property
    def valid(self) -> bool:
        return self.afm is not None


def _digits_from_number(value: int | float | decimal.Decimal) -> str | Normalised:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return Normalised(None, "INVALID_NUMBER")
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        return Normalised(None, "INVALID_NUMBER")
    if value < 0 or value != int(value):
        return Normalised(None, "INVALID_NUMBER")
    if value >= 10**12:
        return Normalised(None, "INVALID_LENGTH")
    return str(int(value))


def _digits_from_text(text: str) -> str | Normalised:
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).strip()
    if not text:
        return Normalised(None, "EMPTY")
    if len(text) > MAX_TEXT:
        return Normalised(None, "TOO_LONG")
    if text.startswith("="):
        return Normalised(None, "FORMULA")
    if text.upper() in _EXCEL_ERRORS or (text.startswith("#") and text[-1:] in "!?"):
        return Normalised(None, "EXCEL_ERROR")
    if text.startswith("'"):  # Excel's text prefix, kept by some CSV exports
        text = text[1:].strip()
    if _NUMBER_TEXT.match(text):
        return text.split(".")[0]
    text = _PREFIX.sub("", text.upper())
    text = _SEPARATORS.sub("", text)
    if not text:
        return Normalised(None, "INVALID_FORMAT")
    if not (text.isascii() and text.isdigit()):
        return Normalised(None, "INVALID_FORMAT")
    return text


def normalise(value: Any) -> Normalised:
    """Any cell value → :class:`Normalised` ``(afm, None)`` or ``(None, reason)``.

    Never raises. Reason codes are the keys of :data:`REASONS`.

    >>> normalise(90000045)
    Normalised(afm='090000045', reason=None)
    >>> normalise('94014201.0').afm
    '094014201'
    >>> normalise(True).reason, normalise(None).reason, normalise('=A1').reason
    ('BOOLEAN', 'EMPTY', 'FORMULA')
    >>> normalise('09401420').reason, normalise(1234567890).reason
    ('INVALID_CHECKSUM', 'INVALID_LENGTH')
    """
    try:
        if value is None:
            return Normalised(None, "EMPTY")
        if isinstance(value, bool):
            return Normalised(None, "BOOLEAN")
        if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            return Normalised(None, "DATE")
        if isinstance(value, (int, float, decimal.Decimal)):
            digits = _digits_from_number(value)
        elif isinstance(value, bytes):
            digits = _digits_from_text(value.decode("utf-8", "replace"))
        elif isinstance(value, str):
            digits = _digits_from_text(value)
        else:
            return Normalised(None, "UNSUPPORTED_TYPE")
        if isinstance(digits, Normalised):
            return digits
        return _check(digits)
    except Exception:  # pragma: no cover - a last guard: bad input never crashes anything
        return Normalised(None, "UNSUPPORTED_TYPE")


def _check(digits: str) -> Normalised:
    from stdnum.exceptions import ValidationError
    from stdnum.gr import vat

    if len(digits) == 8:
        digits = "0" + digits  # the leading zero lost in a number cell
    if len(digits) != 9:
        return Normalised(None, "INVALID_LENGTH")
    if digits == "000000000":
        return Normalised(None, "ALL_ZEROS")
    try:
        return Normalised(vat.validate(digits), None)
    except ValidationError:
        return Normalised(None, "INVALID_CHECKSUM")


def is_valid(value: Any) -> bool:
    """True when ``value`` normalises to a valid AFM."""
    return normalise(value).afm is not None


def reason_text(reason: str | None, lang: str = "el") -> str:
    """The human text of a reason code (``lang`` ``"el"`` or ``"en"``).

    >>> reason_text('INVALID_CHECKSUM')
    'Λάθος ψηφίο ελέγχου'
    """
    if reason is None:
        return "OK"
    greek, english = REASONS.get(reason, (reason, reason))
    return english if lang == "en" else greek
