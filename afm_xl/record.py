"""The registry record of one AFM, as RgWsPublic2 describes it, cleaned up.

The service sends CHAR columns padded with spaces, runs of internal spaces,
ΚΑΔ codes that lost their leading zeros, and the main activity anywhere in the
list. :func:`clean_text` and :class:`Activity` undo that; :class:`Record` holds
every ``basic_rec`` field under a clear name.

>>> clean_text('  ΕΝΕΡΓΟΣ ΑΦΜ          ')
'ΕΝΕΡΓΟΣ ΑΦΜ'
>>> clean_text('Δ.Ε.Η. Α.Ε.   -  Δ.Ε.Η.')
'Δ.Ε.Η. Α.Ε. - Δ.Ε.Η.'
>>> Activity.from_service(5200000, 'ΑΠΟΘΗΚΕΥΣΗ', '2', 'ΔΕΥΤΕΡΕΥΟΥΣΑ').code
'05200000'
>>> a = Activity.from_service(1, '47111000 ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ', '1', 'ΚΥΡΙΑ')
>>> a.code, a.description
('47111000', 'ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ')
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

__all__ = ["Activity", "Record", "clean_text", "KIND_NAMES"]

#: ``firm_act_kind`` → its name as the service spells it.
KIND_NAMES = {1: "ΚΥΡΙΑ", 2: "ΔΕΥΤΕΡΕΥΟΥΣΑ", 3: "ΛΟΙΠΗ", 4: "ΒΟΗΘΗΤΙΚΗ"}

_SPACES = re.compile(r"\s+")
_LEADING_KAD = re.compile(r"^\s*(\d{8})(?!\d)[\s\-.:]*")


def clean_text(value: Any) -> str | None:
    """Trim CHAR padding and collapse runs of whitespace; empty → ``None``."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None


def _kad(code: Any) -> str | None:
    if code is None:
        return None
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = text.replace(".", "")
    if not text.isdigit():
        return clean_text(code)
    return f"{int(text):08d}"


def _kind(kind: Any) -> int | None:
    try:
        number = int(str(kind).strip())
    except (TypeError, ValueError):
        return None
    return number if number in KIND_NAMES else None


@dataclasses.dataclass(frozen=True, slots=True)
class Activity:
    """One ΚΑΔ (activity code) of a business: 8-digit code, description, kind 1–4."""

    code: str | None
    description: str | None
    kind: int | None
    kind_name: str | None

    @classmethod
    def from_service(cls, code: Any, description: Any, kind: Any, kind_name: Any) -> "Activity":
        """Build from the ``firm_act_tab/item`` fields, fixing the service's quirks."""
        description = clean_text(description)
        code = _kad(code)
        if description:
            # Sometimes the code field holds another id and the real ΚΑΔ starts the text.
            match = _LEADING_KAD.match(description)
            if match:
                code = match.group(1)
                description = description[match.end():].strip() or None
        number = _kind(kind)
        name = clean_text(kind_name) or (KIND_NAMES.get(number) if number else None)
        return cls(code, description, number, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "description": self.description,
            "kind": self.kind,
            "kind_name": self.kind_name,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Activity":
        return cls(data.get("code"), data.get("description"), data.get("kind"), data.get("kind_name"))


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: Any) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


@dataclasses.dataclass(frozen=True, slots=True)
class Record:
    """Every ``basic_rec`` field of one AFM under a clear name, plus call metadata.

    ``source`` is ``"gsis"`` for a fresh answer, ``"cache"`` when served from the cache.
    """

    afm: str
    name: str | None = None  # onomasia
    commercial_title: str | None = None  # commer_title
    legal_form: str | None = None  # legal_status_descr
    natural_person: bool | None = None  # i_ni_flag_descr: ΦΠ / ΜΗ ΦΠ
    active: bool | None = None  # deactivation_flag: 1 active, 2 deactivated
    active_text: str | None = None  # deactivation_flag_descr
    firm_type: str | None = None  # firm_flag_descr: ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ, ΜΗ …, ΠΡΩΗΝ …
    street: str | None = None  # postal_address
    street_number: str | None = None  # postal_address_no
    postal_code: str | None = None  # postal_zip_code
    city: str | None = None  # postal_area_description
    doy_code: str | None = None  # doy
    doy_name: str | None = None  # doy_descr
    registration_date: datetime.date | None = None  # regist_date
    stop_date: datetime.date | None = None
    normal_vat: bool | None = None  # normal_vat_system_flag: Y / N
    activities: tuple[Activity, ...] = ()
    as_on_date: datetime.date | None = None
    call_seq_id: str | None = None
    fetched_at: datetime.datetime | None = None
    source: str | None = "gsis"

    @property
    def main_activity(self) -> Activity | None:
        """The activity of kind 1 (ΚΥΡΙΑ), wherever it stands in the list."""
        return next((a for a in self.activities if a.kind == 1), None)

    @property
    def street_line(self) -> str | None:
        """Street and number, e.g. ``'ΑΙΟΛΟΥ 86'``."""
        return " ".join(p for p in (self.street, self.street_number) if p) or None

    @property
    def address(self) -> str | None:
        """The composed address, e.g. ``'ΑΙΟΛΟΥ 86, 10559 ΑΘΗΝΑ'``."""
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.street_line, place) if p) or None

    def replace(self, **changes: Any) -> "Record":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (the record part of ``afm-xl lookup --json``)."""
        main = self.main_activity
        return {
            "afm": self.afm,
            "source": self.source,
            "name": self.name,
            "commercial_title": self.commercial_title,
            "legal_form": self.legal_form,
            "natural_person": self.natural_person,
            "active": self.active,
            "firm_type": self.firm_type,
            "street": self.street,
            "street_number": self.street_number,
            "address": self.address,
            "postal_code": self.postal_code,
            "city": self.city,
            "doy_code": self.doy_code,
            "doy_name": self.doy_name,
            "registration_date": _iso(self.registration_date),
            "stop_date": _iso(self.stop_date),
            "normal_vat": self.normal_vat,
            "activities": [a.to_json() for a in self.activities],
            "main_activity": main.to_json() if main else None,
            "as_on_date": _iso(self.as_on_date),
            "call_seq_id": self.call_seq_id,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
        }

    def to_storage(self) -> dict[str, Any]:
        """:meth:`to_json` plus the fields it leaves out, for the cache."""
        data = self.to_json()
        data["active_text"] = self.active_text
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Record":
        """Inverse of :meth:`to_json` / :meth:`to_storage`."""
        fetched = data.get("fetched_at")
        return cls(
            afm=data["afm"],
            name=data.get("name"),
            commercial_title=data.get("commercial_title"),
            legal_form=data.get("legal_form"),
            natural_person=data.get("natural_person"),
            active=data.get("active"),
            active_text=data.get("active_text"),
            firm_type=data.get("firm_type"),
            street=data.get("street"),
            street_number=data.get("street_number"),
            postal_code=data.get("postal_code"),
            city=data.get("city"),
            doy_code=data.get("doy_code"),
            doy_name=data.get("doy_name"),
            registration_date=_date(data.get("registration_date")),
            stop_date=_date(data.get("stop_date")),
            normal_vat=data.get("normal_vat"),
            activities=tuple(Activity.from_json(a) for a in data.get("activities") or ()),
            as_on_date=_date(data.get("as_on_date")),
            call_seq_id=data.get("call_seq_id"),
            fetched_at=datetime.datetime.fromisoformat(fetched) if fetched else None,
            source=data.get("source", "gsis"),
        )

    @classmethod
    def from_basic_rec(
        cls,
        basic: dict[str, Any],
        activities: list[dict[str, Any]] | None = None,
        *,
        as_on_date: Any = None,
        call_seq_id: Any = None,
        fetched_at: datetime.datetime | None = None,
    ) -> "Record":
        """Build from the service's ``basic_rec`` and ``firm_act_tab`` items (raw names)."""
        get = basic.get
        flag = clean_text(get("i_ni_flag_descr"))
        deactivation = clean_text(get("deactivation_flag"))
        vat = clean_text(get("normal_vat_system_flag"))
        afm = clean_text(get("afm")) or ""
        if afm.isdigit() and len(afm) < 9:
            afm = afm.zfill(9)
        return cls(
            afm=afm,
            name=clean_text(get("onomasia")),
            commercial_title=clean_text(get("commer_title")),
            legal_form=clean_text(get("legal_status_descr")),
            natural_person=None if flag is None else flag.replace(" ", "") == "ΦΠ",
            active=None if deactivation is None else deactivation == "1",
            active_text=clean_text(get("deactivation_flag_descr")),
            firm_type=clean_text(get("firm_flag_descr")),
            street=clean_text(get("postal_address")),
            street_number=clean_text(get("postal_address_no")),
            postal_code=clean_text(get("postal_zip_code")),
            city=clean_text(get("postal_area_description")),
            doy_code=clean_text(get("doy")),
            doy_name=clean_text(get("doy_descr")),
            registration_date=_date(get("regist_date")),
            stop_date=_date(get("stop_date")),
            normal_vat=None if vat is None else vat.upper() == "Y",
            activities=tuple(
                Activity.from_service(
                    a.get("firm_act_code"),
                    a.get("firm_act_descr"),
                    a.get("firm_act_kind"),
                    a.get("firm_act_kind_descr"),
                )
                for a in activities or ()
            ),
            as_on_date=_date(as_on_date),
            call_seq_id=None if call_seq_id is None else str(call_seq_id),
            fetched_at=fetched_at,
        )
