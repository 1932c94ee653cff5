"""The columns afm-xl can fill: a key, a Greek header, and how to get the value.

Shared by the fill engine (ribbon and workbook files), the worksheet functions
and the templates, so a header written by one is recognised by the others.

>>> [FIELDS[k].header for k in DEFAULT_FIELDS]
['Επωνυμία', 'Διεύθυνση', 'ΤΚ', 'Περιοχή', 'ΔΟΥ', 'Κατάσταση']
>>> field_for_header(' κωδ. δου ').key
'doy_code'
>>> from afm_xl.result import LookupResult
>>> status_text(LookupResult.invalid('x', 'INVALID_CHECKSUM'))
'Μη έγκυρος ΑΦΜ'
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any, Callable

from .result import LookupResult

__all__ = ["Field", "FIELDS", "DEFAULT_FIELDS", "status_text", "field_for_header", "parse_fields"]

STATUS_OK = "OK"
STATUS_TEXTS = {
    "invalid": "Μη έγκυρος ΑΦΜ",
    "not_found": "Δεν βρέθηκε",
    "not_business": "Όχι επιτηδευματίας",
    "deactivated": "Απενεργοποιημένος ΑΦΜ",
    "failed": "Σφάλμα",
}


def status_text(result: LookupResult) -> str:
    """The Greek status of one row, e.g. ``OK``, ``Δεν βρέθηκε``, ``Σφάλμα: …``."""
    if result.status == "ok":
        if result.record is not None and result.record.active is False:
            return STATUS_TEXTS["deactivated"]
        return STATUS_OK
    if result.status == "failed":
        detail = result.message or result.error_code or "?"
        if detail.startswith(STATUS_TEXTS["failed"]):
            return detail
        return f"{STATUS_TEXTS['failed']}: {detail}"
    return STATUS_TEXTS.get(result.status, result.status)


def _record_getter(fn: Callable[[Any], Any]) -> Callable[[LookupResult], Any]:
    def get(result: LookupResult) -> Any:
        return fn(result.record) if result.record is not None else None

    return get


def _main_activity(record) -> str | None:
    main = record.main_activity
    if main is None:
        return None
    return " ".join(p for p in (main.code, main.description) if p) or None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ΝΑΙ" if value else "ΟΧΙ")


def _source(result: LookupResult) -> str | None:
    return {"gsis": "ΑΑΔΕ", "cache": "ΑΑΔΕ (cache)"}.get(result.source or "", None)


def _fetched(result: LookupResult) -> Any:
    record = result.record
    if record is None or record.fetched_at is None:
        return None
    return record.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclasses.dataclass(frozen=True)
class Field:
    """A fillable column. ``text`` fields are written as text (``@``), never as numbers."""

    key: str
    header: str
    get: Callable[[LookupResult], Any]
    text: bool = True
    aliases: tuple[str, ...] = ()


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("name", "Επωνυμία", _record_getter(lambda r: r.name), aliases=("name", "onomasia")),
        Field("commercial_title", "Διακριτικός τίτλος", _record_getter(lambda r: r.commercial_title)),
        Field("address", "Διεύθυνση", _record_getter(lambda r: r.street_line), aliases=("address",)),
        Field("full_address", "Πλήρης διεύθυνση", _record_getter(lambda r: r.address)),
        Field("postal_code", "ΤΚ", _record_getter(lambda r: r.postal_code), aliases=("Τ.Κ.", "zip")),
        Field("city", "Περιοχή", _record_getter(lambda r: r.city), aliases=("Πόλη", "city")),
        Field("doy", "ΔΟΥ", _record_getter(lambda r: r.doy_name), aliases=("Δ.Ο.Υ.",)),
        Field("doy_code", "Κωδ. ΔΟΥ", _record_getter(lambda r: r.doy_code), aliases=("Κωδικός ΔΟΥ",)),
        Field("main_activity", "Κύρια δραστηριότητα", _record_getter(_main_activity), aliases=("ΚΑΔ",)),
        Field("legal_form", "Νομική μορφή", _record_getter(lambda r: r.legal_form)),
        Field("active", "Ενεργός", _record_getter(lambda r: _yes_no(r.active))),
        Field("firm_type", "Τύπος", _record_getter(lambda r: r.firm_type)),
        Field("natural_person", "Φυσικό πρόσωπο", _record_getter(lambda r: _yes_no(r.natural_person))),
        Field("normal_vat", "Κανονικό ΦΠΑ", _record_getter(lambda r: _yes_no(r.normal_vat))),
        Field("registration_date", "Έναρξη", _record_getter(lambda r: r.registration_date), text=False),
        Field("stop_date", "Διακοπή", _record_getter(lambda r: r.stop_date), text=False),
        Field("status", "Κατάσταση", status_text, aliases=("status",)),
        Field("source", "Πηγή", _source, aliases=("source",)),
        Field("fetched_at", "Ημ/νία ενημέρωσης", _fetched, aliases=("Ενημέρωση",)),
    )
}

DEFAULT_FIELDS = ("name", "address", "postal_code", "city", "doy", "status")

#: Headers that name the AFM column.
AFM_HEADERS = ("ΑΦΜ", "Α.Φ.Μ.", "AFM", "Α.Φ.Μ", "VAT", "ΑΦΜ ΠΕΛΑΤΗ", "ΑΦΜ ΠΡΟΜΗΘΕΥΤΗ")


def header_key(text: Any) -> str:
    """A header compared loosely: case, accents, dots and spaces ignored.

    >>> header_key(' Α.Φ.Μ. ') == header_key('αφμ')
    True
    """
    value = unicodedata.normalize("NFKD", str(text or ""))
    value = "".join(c for c in value if not unicodedata.combining(c))
    return "".join(c for c in value.casefold() if c.isalnum())


_BY_HEADER = {
    header_key(name): field
    for field in FIELDS.values()
    for name in (field.header, field.key, *field.aliases)
}


def field_for_header(text: Any) -> Field | None:
    """The field a header cell names, or ``None``."""
    return _BY_HEADER.get(header_key(text))


_AFM_HEADER_KEYS = frozenset(header_key(h) for h in AFM_HEADERS)


def is_afm_header(text: Any) -> bool:
    """True for a header that names the AFM column (ΑΦΜ, Α.Φ.Μ., AFM …)."""
    return header_key(text) in _AFM_HEADER_KEYS


def parse_fields(spec: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"name,doy,status"`` (keys or Greek headers) → field keys; ``None`` → the defaults.

    Raises ``ValueError`` naming an unknown field.

    >>> parse_fields('name, ΔΟΥ ,status')
    ('name', 'doy', 'status')
    """
    if not spec:
        return DEFAULT_FIELDS
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    keys = []
    for item in items:
        if not str(item).strip():
            continue
        field = FIELDS.get(str(item).strip()) or field_for_header(item)
        if field is None:
            raise ValueError(
                f"unknown field {str(item).strip()!r}; known: {', '.join(FIELDS)}"
            )
        if field.key not in keys:
            keys.append(field.key)
    return tuple(keys) or DEFAULT_FIELDS
