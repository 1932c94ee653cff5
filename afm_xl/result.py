"""The answer for one input of a lookup: status, record, and why.

A :class:`LookupResult` is what every front-end receives from the engine, one
per input value, in input order. Its :meth:`~LookupResult.to_json` is the stable
JSON contract of ``afm-xl lookup --json``.

Statuses:

=================  ==========================================================
``ok``             the registry answered with a record (``record`` is set)
``invalid``        the input is not a valid AFM; no call was made
``not_found``      the service does not know it (``TAXPAYER_NF``, ``WRONG_AFM``)
``not_business``   a valid AFM of a non-business (``EPIT_NF``)
``failed``         no answer: transport, authentication, quota, cancel …
=================  ==========================================================

>>> r = LookupResult.invalid('12', 'INVALID_LENGTH')
>>> r.status, r.to_json()['error_code'], r.to_json()['name']
('invalid', 'INVALID_LENGTH', None)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .record import Record

__all__ = ["LookupResult", "STATUSES", "JSON_KEYS"]

STATUSES = ("ok", "invalid", "not_found", "not_business", "failed")

#: The keys of one object of ``afm-xl lookup --json``, in order.
JSON_KEYS = (
    "input", "afm", "status", "source", "name", "commercial_title", "legal_form",
    "natural_person", "active", "firm_type", "street", "street_number", "address",
    "postal_code", "city", "doy_code", "doy_name", "registration_date", "stop_date",
    "normal_vat", "activities", "main_activity", "as_on_date", "call_seq_id",
    "fetched_at", "error_code", "message",
)

_EMPTY_RECORD = {k: None for k in JSON_KEYS}
_EMPTY_RECORD["activities"] = []


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclasses.dataclass(frozen=True, slots=True)
class LookupResult:
    """The outcome for one input value."""

    input: Any
    afm: str | None
    status: str
    record: Record | None = None
    error_code: str | None = None
    message: str | None = None
    #: ``"gsis"`` (answered by the service now), ``"cache"``, or ``None`` (no answer)
    source: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @classmethod
    def invalid(cls, value: Any, reason: str) -> "LookupResult":
        from .afm import reason_text

        return cls(value, None, "invalid", None, reason, reason_text(reason))

    def with_input(self, value: Any) -> "LookupResult":
        """The same answer for another spelling of the same AFM."""
        return dataclasses.replace(self, input=value)

    def to_json(self) -> dict[str, Any]:
        data = dict(_EMPTY_RECORD)
        if self.record is not None:
            data.update(self.record.to_json())
        data["input"] = _jsonable(self.input)
        data["afm"] = self.afm
        data["status"] = self.status
        data["source"] = self.source
        data["error_code"] = self.error_code
        data["message"] = self.message
        return {k: data[k] for k in JSON_KEYS}
