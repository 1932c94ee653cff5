"""The emulator's registry: a deterministic, synthetic ΜΗΤΡΩΟ of Greek businesses.

:func:`default_registry` holds the three public records whose values are
documented (gsis-service.md §5.7), twelve hand-made records that exercise the
service's quirks (:meth:`Registry.quirk_afms`), about 21,000 synthetic
businesses (about 5% of them deactivated) and about 1,100 private individuals,
for whom the service answers ``RG_WS_PUBLIC_EPIT_NF``. Every AFM passes the
checksum. The same seed gives the same registry on every run, whatever
``PYTHONHASHSEED`` is.

Each :class:`Entry` holds ``basic_rec`` as the service *sends* it, quirks
included (§5.6): CHAR padding in about half of the records (``ΦΠ   ``,
``ΕΝΕΡΓΟΣ ΑΦΜ          ``, and the ``afm`` padded to 12 in some of them),
runs of internal spaces in some names, the main activity not always first,
and ΚΑΔ codes that lost their leading zero (``5200000``).

>>> registry = default_registry()
>>> entry = registry.get('094014201')
>>> entry.kind, entry.basic['onomasia']
('business', 'ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ')
>>> entry.activities[0]
(64191204, 'ΥΠΗΡΕΣΙΕΣ ΤΡΑΠΕΖΩΝ', '1', 'ΚΥΡΙΑ')
>>> registry.get('123456789') is None
True
>>> registry.get(registry.individual_afms(1)[0]).kind
'individual'
>>> registry.get(registry.quirk_afms()['afm_padded']).basic['afm']
'099999035   '

Building the registry only draws the AFMs (about 0.1 s); :meth:`Registry.get`
generates an entry from its AFM when asked (under 0.1 ms), with a
:class:`random.Random` seeded by the registry's seed and that AFM.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import importlib.resources
import itertools
import random
import re
from typing import Any, NamedTuple

__all__ = [
    "BASIC_FIELDS",
    "KIND_NAMES",
    "PUBLIC_AFMS",
    "QUIRK_LABELS",
    "Entry",
    "Registry",
    "default_registry",
]

#: The 17 ``basic_rec`` fields, in the order the service sends them (§5.4).
BASIC_FIELDS = (
    "afm", "doy", "doy_descr", "i_ni_flag_descr", "deactivation_flag", "deactivation_flag_descr",
    "firm_flag_descr", "onomasia", "commer_title", "legal_status_descr", "postal_address",
    "postal_address_no", "postal_zip_code", "postal_area_description", "regist_date", "stop_date",
    "normal_vat_system_flag",
)

#: ``firm_act_kind`` → ``firm_act_kind_descr`` (§5.5).
KIND_NAMES = {"1": "ΚΥΡΙΑ", "2": "ΔΕΥΤΕΡΕΥΟΥΣΑ", "3": "ΛΟΙΠΗ", "4": "ΒΟΗΘΗΤΙΚΗ"}

#: The public AFMs whose records are documented (§5.7).
PUBLIC_AFMS = ("094014201", "090000045", "090165560")

#: The labels of :meth:`Registry.quirk_afms`, in order.
QUIRK_LABELS = (
    "main_activity_last", "kad_in_description", "afm_padded", "ceased_no_address", "formula_name",
    "plus_name", "minus_name", "at_name", "tab_name", "xml_specials", "placeholder_date", "long_name",
)

DEFAULT_SEED = 20260101
#: The registry's "today": synthetic dates never pass it, whatever day the tests run.
LAST_DATE = datetime.date(2025, 12, 31)
PLACEHOLDER_DATE = "1900-01-01"

# CHAR(n) columns and their widths (§5.4). The service pads them with spaces.
_CHAR_WIDTHS = {
    "i_ni_flag_descr": 5, "deactivation_flag_descr": 21, "firm_flag_descr": 20, "postal_address_no": 9,
}
_ACTIVE, _DEACTIVATED = ("1", "ΕΝΕΡΓΟΣ ΑΦΜ"), ("2", "ΑΠΕΝΕΡΓΟΠΟΙΗΜΕΝΟΣ ΑΦΜ")
_FIRM, _FORMER_FIRM, _NOT_FIRM = "ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ", "ΠΡΩΗΝ ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ", "ΜΗ ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ"

_LEGAL, _SOLE, _INDIVIDUAL = "legal", "sole", "individual"


@dataclasses.dataclass(frozen=True)
class Entry:
    """One AFM of the registry, as the service would answer for it.

    ``kind`` is ``"business"`` (the service answers with this record, active or
    deactivated) or ``"individual"`` (a private person: the service answers
    ``RG_WS_PUBLIC_EPIT_NF`` and every ``basic`` value is ``None``). ``basic``
    maps the 17 :data:`BASIC_FIELDS` to the text the service sends. Each
    activity is ``(firm_act_code, firm_act_descr, firm_act_kind,
    firm_act_kind_descr)``, with the code as a number, as on the wire.
    """

    afm: str
    kind: str
    basic: dict[str, str | None]
    activities: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def deactivated(self) -> bool:
        """True when the AFM is deactivated (``deactivation_flag`` 2)."""
        return (self.basic.get("deactivation_flag") or "").strip() == "2"


class _Sector(NamedTuple):
    """A line of business: its ΚΑΔ codes and the words its names and titles use."""

    weight_legal: float
    weight_person: float
    main: tuple[int, ...]
    secondary: tuple[int, ...]
    adjective: str  # "ΤΕΧΝΙΚΗ" in "ΚΩΝΣΤΑΝΤΙΝΙΔΗΣ ΤΕΧΝΙΚΗ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ"
    genitive: str  # "ΤΕΧΝΙΚΩΝ ΕΡΓΩΝ" in "ΑΛΦΑ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ ΤΕΧΝΙΚΩΝ ΕΡΓΩΝ"
    titles: tuple[str, ...] = ()  # commer_title patterns: {w} a Greek word, {l} a Latin brand
    vat_exempt: bool = False


class _City(NamedTuple):
    name: str  # postal_area_description
    genitive: str
    weight: float
    zips: tuple[tuple[int, int], ...]  # inclusive postcode ranges
    doys: tuple[tuple[str, float], ...]  # ΔΟΥ codes and their weights
    fae: str | None = None  # the office of large companies (ΦΑΕ) in that area
    streets: tuple[str, ...] = ()


class Registry:
    """A deterministic registry of AFMs; see the module docstring.

    ``businesses`` synthetic businesses (legal entities and sole traders, about
    ``deactivated_share`` of them deactivated) and ``individuals`` private
    persons, on top of the public and quirk records. The defaults build the
    registry that :func:`default_registry` returns.
    """

    def __init__(
        self,
        *,
        seed: int = DEFAULT_SEED,
        businesses: int = 21_000,
        individuals: int = 1_100,
        deactivated_share: float = 0.05,
    ) -> None:
        if businesses < 0 or individuals < 0 or not 0.0 <= deactivated_share <= 1.0:
            raise ValueError("businesses and individuals must be >= 0, deactivated_share in [0, 1]")
        self.seed = seed
        self._doy_names = _doy_names()
        self._fixed: dict[str, Entry] = {e.afm: e for e in _public_entries()}
        self._quirks = {label: _afm(prefix) for label, prefix in zip(QUIRK_LABELS, _QUIRK_PREFIXES)}
        for entry in _quirk_entries(self._quirks, self._doy_names):
            self._fixed[entry.afm] = entry
        reserved = set(self._fixed) | set(_RESERVED_AFMS)

        rng = random.Random(seed)
        n_legal = round(businesses * 0.6)
        legal = _draw_afms(rng, _LEGAL_RANGES, n_legal, reserved)
        people = _draw_afms(rng, _PERSON_RANGES, businesses - n_legal + individuals, reserved)
        rng.shuffle(people)
        tagged = [(afm, _LEGAL) for afm in legal] + [(afm, _SOLE) for afm in people[: businesses - n_legal]]
        rng.shuffle(tagged)

        # afm -> (legal | sole | individual, deactivated)
        self._synthetic: dict[str, tuple[str, bool]] = {}
        self._businesses: list[str] = []
        self._deactivated: list[str] = []
        for afm, kind in tagged:
            dead = rng.random() < deactivated_share
            self._synthetic[afm] = (kind, dead)
            self._businesses.append(afm)
            if dead:
                self._deactivated.append(afm)
        self._individuals = people[businesses - n_legal :]
        for afm in self._individuals:
            self._synthetic[afm] = (_INDIVIDUAL, False)

    # -- lookups ---------------------------------------------------------------------------------
    def get(self, afm: Any) -> Entry | None:
        """The entry of a 9-digit AFM string, or ``None`` when the registry does not hold it.

        A fresh :class:`Entry` on every call (changing it changes nothing here).
        """
        if not isinstance(afm, str):
            return None
        fixed = self._fixed.get(afm)
        if fixed is not None:
            return dataclasses.replace(fixed, basic=dict(fixed.basic))
        found = self._synthetic.get(afm)
        if found is None:
            return None
        kind, dead = found
        if kind == _INDIVIDUAL:
            return Entry(afm, "individual", dict.fromkeys(BASIC_FIELDS))
        return _synthetic_business(afm, self.seed, natural=kind == _SOLE, deactivated=dead,
                                   doy_names=self._doy_names)

    def __contains__(self, afm: object) -> bool:
        return isinstance(afm, str) and (afm in self._fixed or afm in self._synthetic)

    def __len__(self) -> int:
        return len(self._fixed) + len(self._synthetic)

    # -- AFM lists for tests, demos and benchmarks -------------------------------------------------
    def existing_afms(self, limit: int) -> list[str]:
        """Up to ``limit`` AFMs that answer with a record (active or deactivated), in a fixed order.

        The public records come first, then the synthetic businesses. The
        quirk records are left out (see :meth:`quirk_afms`), so that demo data
        stays plain.
        """
        return (list(PUBLIC_AFMS) + self._businesses)[: _count(limit)]

    def individual_afms(self, limit: int) -> list[str]:
        """Up to ``limit`` valid AFMs of private persons (the service answers ``EPIT_NF``)."""
        return self._individuals[: _count(limit)]

    def deactivated_afms(self, limit: int) -> list[str]:
        """Up to ``limit`` AFMs of deactivated synthetic businesses (``deactivation_flag`` 2)."""
        return self._deactivated[: _count(limit)]

    def unknown_afms(self, limit: int) -> list[str]:
        """``limit`` checksum-valid AFMs that the registry does not hold (``TAXPAYER_NF``)."""
        limit = _count(limit)
        rng = random.Random(f"{self.seed}:unknown")
        found: list[str] = []
        seen: set[str] = set()
        while len(found) < limit:
            lo, hi = rng.choice(_LEGAL_RANGES + _PERSON_RANGES)[:2]
            afm = _afm(rng.randrange(lo, hi))
            if afm not in seen and afm not in self and afm not in _RESERVED_AFMS:
                seen.add(afm)
                found.append(afm)
        return found

    def quirk_afms(self) -> dict[str, str]:
        """Label → AFM of the hand-made records that exercise one quirk each.

        ``main_activity_last``: the ΚΥΡΙΑ activity comes last; ``kad_in_description``:
        ``firm_act_code`` holds another id and the description starts with the
        real 8-digit ΚΑΔ; ``afm_padded``: ``afm`` padded to 12 and every CHAR
        column padded; ``ceased_no_address``: deactivated, every address field
        nil, no activities; ``formula_name``, ``plus_name``, ``minus_name``,
        ``at_name``, ``tab_name``: names that a spreadsheet would take for a
        formula (``=``, ``+``, ``-``, ``@``, a tab first); ``xml_specials``:
        ``Α & Β <ΤΕΣΤ> "Ο.Ε."``; ``placeholder_date``: ``regist_date`` 1900-01-01;
        ``long_name``: a 120-character name (the column's maximum).
        """
        return dict(self._quirks)


@functools.cache
def default_registry() -> Registry:
    """The registry the emulator serves, built once per process."""
    return Registry()


# -- AFMs --------------------------------------------------------------------------------------------
# Σ dᵢ·2^(3-i) over the 4 digits of every number below 10,000: the AFM checksum by blocks.
_BLOCK = [(n // 1000) * 8 + (n // 100 % 10) * 4 + (n // 10 % 10) * 2 + n % 10 for n in range(10_000)]


def _afm(prefix: int) -> str:
    """The 9-digit AFM whose first 8 digits are ``prefix`` (python-stdnum's check digit, faster).

    >>> _afm(9401420), _afm(9000004)
    ('094014201', '090000045')
    """
    high, low = divmod(prefix, 10_000)
    return f"{prefix:08d}{((_BLOCK[high] << 4) + _BLOCK[low]) * 2 % 11 % 10}"


def _draw_afms(rng: random.Random, ranges, count: int, reserved: set[str]) -> list[str]:
    """``count`` distinct AFMs from prefix ``ranges`` ``(low, high, share)``, none in ``reserved``."""
    afms: list[str] = []
    remaining = count
    for index, (low, high, share) in enumerate(ranges):
        wanted = remaining if index == len(ranges) - 1 else round(count * share)
        wanted = min(wanted, remaining)
        drawn = (_afm(p) for p in rng.sample(range(low, high), wanted + len(reserved)))
        afms.extend([a for a in drawn if a not in reserved][:wanted])
        remaining -= wanted
    return afms


def _count(limit: Any) -> int:
    try:
        return max(0, int(limit))
    except (TypeError, ValueError, OverflowError):
        return 0


# -- synthetic businesses ------------------------------------------------------------------------------
def _synthetic_business(afm: str, seed: int, *, natural: bool, deactivated: bool,
                        doy_names: dict[str, str]) -> Entry:
    """The record of one synthetic business, the same for the same ``seed`` and ``afm``."""
    rng = random.Random(f"{seed}:{afm}")
    sector = rng.choices(_SECTORS, cum_weights=_SECTOR_CUM_PERSON if natural else _SECTOR_CUM_LEGAL)[0]
    city = rng.choices(_CITIES, cum_weights=_CITY_CUM)[0]
    association = not natural and not deactivated and rng.random() < 0.01
    form = None if natural else ("ΣΩΜΑΤΕΙΟ" if association else _legal_form(rng, afm))

    if natural:
        name, title = _person_name(rng), _title(rng, sector, natural=True)
    elif association:
        name, title = _association_name(rng, city), None
    else:
        name, title = _company_name(rng, form, sector)
        title = title if title is not None else _title(rng, sector, natural=False)
    if not natural and rng.random() < 0.04:
        name = _widen_a_space(rng, name)
    if title and rng.random() < 0.04:
        title = _widen_a_space(rng, title)

    regist = _registration_date(rng, afm, form)
    stop = _stop_date(rng, regist) if deactivated else None
    doy = _doy_code(rng, city, form)
    street, number, postcode, area = _address(rng, city)
    activities: list[tuple[int, str, str, str]] = [] if association else _activities(rng, sector)
    if deactivated:
        if rng.random() < 0.25:
            activities = []
        if rng.random() < 0.10:
            street = number = postcode = area = None

    vat_exempt = sector.vat_exempt or association or rng.random() < (0.12 if natural else 0.03)
    basic = {
        "afm": afm,
        "doy": doy,
        "doy_descr": doy_names[doy],
        "i_ni_flag_descr": "ΦΠ" if natural else "ΜΗ ΦΠ",
        "deactivation_flag": (_DEACTIVATED if deactivated else _ACTIVE)[0],
        "deactivation_flag_descr": (_DEACTIVATED if deactivated else _ACTIVE)[1],
        "firm_flag_descr": _NOT_FIRM if association else (_FORMER_FIRM if deactivated else _FIRM),
        "onomasia": name[:120],
        "commer_title": title[:80] if title else None,
        "legal_status_descr": form,
        "postal_address": street,
        "postal_address_no": number,
        "postal_zip_code": postcode,
        "postal_area_description": area,
        "regist_date": regist,
        "stop_date": stop,
        "normal_vat_system_flag": "N" if vat_exempt else "Y",
    }
    if rng.random() < 0.5:  # half the records come padded, like the v1 samples and the v2 README
        basic = _pad(basic, afm=rng.random() < 0.3)
    return Entry(afm, "business", basic, tuple(activities))


def _legal_form(rng: random.Random, afm: str) -> str:
    if afm.startswith("80"):  # the AFMs given since 2011: ΙΚΕ (2012 on) above all
        return rng.choices(("ΙΚΕ", "ΑΕ", "ΕΠΕ", "ΟΕ", "ΕΕ"), weights=(55, 10, 3, 18, 14))[0]
    if afm.startswith("99"):  # old companies
        return rng.choices(("ΑΕ", "ΕΠΕ", "ΟΕ"), weights=(60, 25, 15))[0]
    return rng.choices(("ΑΕ", "ΕΠΕ", "ΙΚΕ", "ΟΕ", "ΕΕ"), weights=(24, 14, 4, 34, 24))[0]


def _feminine(surname: str) -> str:
    """The feminine form of a surname (ΠΑΠΑΔΟΠΟΥΛΟΣ → ΠΑΠΑΔΟΠΟΥΛΟΥ, ΓΕΩΡΓΙΑΔΗΣ → ΓΕΩΡΓΙΑΔΟΥ)."""
    if surname.endswith(("ΙΔΗΣ", "ΑΔΗΣ")):
        return surname[:-2] + "ΟΥ"
    if surname.endswith("ΟΣ"):
        return surname[:-2] + "ΟΥ"
    if surname.endswith(("ΗΣ", "ΑΣ")):
        return surname[:-1]
    return surname


def _genitive(surname: str) -> str:
    """ΠΑΠΑΔΟΠΟΥΛΟΣ → ΠΑΠΑΔΟΠΟΥΛΟΥ, ΧΑΤΖΗΔΑΚΗΣ → ΧΑΤΖΗΔΑΚΗ, ΠΑΠΠΑΣ → ΠΑΠΠΑ."""
    if surname.endswith("ΟΣ"):
        return surname[:-2] + "ΟΥ"
    if surname.endswith(("ΗΣ", "ΑΣ")):
        return surname[:-1]
    return surname


def _partner(rng: random.Random) -> tuple[str, str]:
    """A surname and first name, male or female."""
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.3:
        return _feminine(surname), rng.choice(_FEMALE_NAMES)
    return surname, rng.choice(_MALE_NAMES)


def _person_name(rng: random.Random) -> str:
    """A sole trader as the registry names one: ``ΕΠΩΝΥΜΟ ΟΝΟΜΑ ΠΑΤΡΩΝΥΜΟ``."""
    surname, first = _partner(rng)
    if first in _FEMALE_NAMES and rng.random() < 0.08:
        surname = f"{surname} - {_feminine(rng.choice(_SURNAMES))}"
    return f"{surname} {first} {rng.choice(_MALE_NAMES)}"


def _company_name(rng: random.Random, form: str, sector: _Sector) -> tuple[str, str | None]:
    """A legal entity's name, and its trading title (or None: the caller may pick one)."""
    brand = rng.choice(_BRANDS)
    surname = rng.choice(_SURNAMES)
    (s1, f1), (s2, f2) = _partner(rng), _partner(rng)
    adjective, genitive = sector.adjective, sector.genitive
    if form == "ΑΕ":
        name = rng.choice((
            f"{surname} {adjective} ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} {adjective} ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ {genitive}",
            f"{brand} ΑΝΩΝΥΜΗ ΕΜΠΟΡΙΚΗ ΚΑΙ ΒΙΟΜΗΧΑΝΙΚΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} Α.Ε.",
        ))
        if rng.random() < 0.2:
            name = name.replace("ΕΤΑΙΡΕΙΑ", "ΕΤΑΙΡΙΑ")  # the older spelling, as in ΔΕΗ's name
        return name, _brand_title(rng, name, brand, "Α.Ε.")
    if form == "ΕΠΕ":
        name = rng.choice((
            f"{surname} {adjective} ΕΤΑΙΡΕΙΑ ΠΕΡΙΟΡΙΣΜΕΝΗΣ ΕΥΘΥΝΗΣ",
            f"{brand} {adjective} Ε.Π.Ε.",
            f"{s1} - {s2} ΕΠΕ",
        ))
        return name, _brand_title(rng, name, brand, "Ε.Π.Ε.")
    if form == "ΙΚΕ":
        name = rng.choice((
            f"{brand} ΙΔΙΩΤΙΚΗ ΚΕΦΑΛΑΙΟΥΧΙΚΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} {adjective} ΜΟΝΟΠΡΟΣΩΠΗ Ι.Κ.Ε.",
            f"{surname} {adjective} ΜΟΝΟΠΡΟΣΩΠΗ ΙΔΙΩΤΙΚΗ ΚΕΦΑΛΑΙΟΥΧΙΚΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} Ι.Κ.Ε.",
        ))
        return name, _brand_title(rng, name, brand, "Ι.Κ.Ε.")
    if form == "ΟΕ":
        plural = surname[:-2] + "ΟΙ" if surname.endswith("ΟΣ") else _genitive(surname)
        name = rng.choice((
            f"ΑΦΟΙ {plural} Ο.Ε.",
            f"{s1} {f1} & {s2} {f2} Ο.Ε.",
            f"{s1} {f1} ΚΑΙ ΣΙΑ Ο.Ε.",
            f"{s1} - {s2} ΟΜΟΡΡΥΘΜΗ ΕΤΑΙΡΕΙΑ",
            f"{brand} - {s1} {f1} & ΣΙΑ Ο.Ε.",
        ))
        return name, None
    name = rng.choice((  # ΕΕ
        f"{s1} {f1} & ΣΙΑ Ε.Ε.",
        f"{s1} {f1} ΚΑΙ ΣΙΑ ΕΤΕΡΟΡΡΥΘΜΗ ΕΤΑΙΡΕΙΑ",
        f"{brand} {s1} {f1} & ΣΙΑ Ε.Ε.",
    ))
    return name, None


def _brand_title(rng: random.Random, name: str, brand: str, abbreviation: str) -> str | None:
    """``ΑΛΦΑ Α.Ε.`` or ``ΑΛΦΑ`` for a company named after its brand; otherwise None."""
    if brand not in name:
        return None
    return rng.choice((f"{brand} {abbreviation}", brand, None))


def _association_name(rng: random.Random, city: _City) -> str:
    return rng.choice((
        f"ΑΘΛΗΤΙΚΟΣ ΣΥΛΛΟΓΟΣ {rng.choice(_GREEK_WORDS)}",
        f"ΠΟΛΙΤΙΣΤΙΚΟΣ ΣΥΛΛΟΓΟΣ {city.genitive}",
        f"ΣΥΛΛΟΓΟΣ ΓΟΝΕΩΝ ΚΑΙ ΚΗΔΕΜΟΝΩΝ {rng.randint(1, 30)}ΟΥ ΔΗΜΟΤΙΚΟΥ ΣΧΟΛΕΙΟΥ {city.genitive}",
    ))


def _title(rng: random.Random, sector: _Sector, *, natural: bool) -> str | None:
    """A trading title (commer_title), or None, as for most records."""
    if not sector.titles or rng.random() > (0.25 if natural else 0.35):
        return None
    return rng.choice(sector.titles).format(w=rng.choice(_GREEK_WORDS), l=rng.choice(_LATIN_BRANDS))


def _widen_a_space(rng: random.Random, text: str) -> str:
    """One space becomes a run of 2–3, as in ``Δ.Ε.Η. Α.Ε.   -  Δ.Ε.Η.``."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    at = rng.choice(spaces)
    return text[:at] + " " * rng.randint(2, 3) + text[at + 1 :]


def _date_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _registration_date(rng: random.Random, afm: str, form: str | None) -> str:
    if afm.startswith("80"):
        first = datetime.date(2011, 1, 1)
    elif afm.startswith("99"):
        if rng.random() < 0.25:
            return PLACEHOLDER_DATE
        first = datetime.date(1960, 1, 1)
    elif afm.startswith(("08", "09")):
        if rng.random() < 0.06:
            return PLACEHOLDER_DATE
        first = datetime.date(1975, 1, 1)
    elif afm.startswith("1"):  # natural persons given an AFM since the late 1990s
        first = datetime.date(1998, 1, 1)
    else:
        first = datetime.date(1982, 1, 1)
    if form == "ΙΚΕ":  # the form exists since law 4072/2012
        first = max(first, datetime.date(2012, 5, 1))
    return _date_between(rng, first, LAST_DATE - datetime.timedelta(days=60)).isoformat()


def _stop_date(rng: random.Random, regist: str) -> str:
    start = max(datetime.date.fromisoformat(regist), datetime.date(1999, 12, 31)) + datetime.timedelta(days=30)
    return _date_between(rng, start, LAST_DATE).isoformat()


def _doy_code(rng: random.Random, city: _City, form: str | None) -> str:
    if city.fae and form == "ΑΕ" and rng.random() < 0.4:
        return city.fae
    codes, weights = zip(*city.doys)
    return rng.choices(codes, weights=weights)[0]


def _address(rng: random.Random, city: _City) -> tuple[str, str | None, str, str]:
    streets = city.streets if city.streets and rng.random() < 0.6 else _STREETS
    street = rng.choice(streets)
    roll = rng.random()
    if roll < 0.02:
        street = f"{street} & {rng.choice(_STREETS)}"  # a corner
    elif roll < 0.05:
        street = f"{street} {rng.choice(('Α', 'Β', 'Γ', 'Δ'))} ΟΡΟΦΟΣ"  # the floor, in the street field
    roll = rng.random()
    number = str(rng.choice((rng.randint(1, 30), rng.randint(1, 30), rng.randint(31, 120), rng.randint(1, 250))))
    if roll < 0.02:
        number = None
    elif roll < 0.05:
        number = f"{number}-{int(number) + 2}"
    elif roll < 0.11:
        number += rng.choice(("Α", "Β"))
    low, high = rng.choice(city.zips)
    return street, number, str(rng.randint(low, high)), city.name


def _activities(rng: random.Random, sector: _Sector) -> list[tuple[int, str, str, str]]:
    """1 main activity (kind 1) and 0–5 others of kinds 2–4; the main one not always first."""
    main = rng.choice(sector.main)
    others = rng.choices((0, 1, 2, 3, 4, 5), weights=(40, 25, 15, 10, 6, 4))[0]
    pool = [c for c in dict.fromkeys(sector.secondary + _COMMON_SECONDARY) if c != main]
    chosen = rng.sample(pool, min(others, len(pool)))
    if others and rng.random() < 0.15:
        chosen[-1] = rng.choice([c for c in _AUXILIARY if c not in chosen] or chosen[-1:])
    items = [_activity(main, "1")]
    for code in chosen:
        kind = "4" if code in _AUXILIARY else ("3" if rng.random() < 0.15 else "2")
        items.append(_activity(code, kind))
    if len(items) > 1 and rng.random() < 0.12:  # the main activity is not guaranteed to be first
        items.insert(rng.randint(1, len(items) - 1), items.pop(0))
    return items


def _activity(code: int, kind: str) -> tuple[int, str, str, str]:
    return (code, _KAD[code], kind, KIND_NAMES[kind])


def _pad(basic: dict[str, str | None], *, afm: bool) -> dict[str, str | None]:
    """CHAR columns right-padded with spaces, as the service sends them."""
    padded = dict(basic)
    for field, width in _CHAR_WIDTHS.items():
        if padded[field] is not None:
            padded[field] = padded[field].ljust(width)
    if afm:
        padded["afm"] = padded["afm"].ljust(12)
    return padded


# -- ΔΟΥ names as the service spells them --------------------------------------------------------------
_ORDINAL = re.compile(r"^(ΙΣΤ|ΣΤ|Ι[Α-Θ]|[Α-ΘΚ]) ")
_DOY_SPELLING = {"1117": "ΙΖ ΑΘΗΝΩΝ"}  # AADE leaves the numeral sign out of this one (data/README.md)


@functools.cache
def _doy_names() -> dict[str, str]:
    """ΔΟΥ code → ``doy_descr`` as RgWsPublic2 sends it, from ``afm_xl/data/doy.csv``.

    The file has ``Δ ΑΘΗΝΩΝ`` and ``Φ.Α.Ε. ΑΘΗΝΩΝ``; the service sends ``Δ΄ ΑΘΗΝΩΝ``
    (U+0384 numeral sign) and ``ΦΑΕ ΑΘΗΝΩΝ`` (data/README.md, gsis-service.md §5.6).
    """
    text = importlib.resources.files("afm_xl").joinpath("data/doy.csv").read_text(encoding="utf-8")
    names = {}
    for row in csv.DictReader(text.splitlines()):
        name = row["name"].replace("Φ.Α.Ε.", "ΦΑΕ").replace(" (Κ.Ε.ΜΕ.ΕΠ)", "")
        names[row["code"]] = _DOY_SPELLING.get(row["code"]) or _ORDINAL.sub("\\1\u0384 ", name)
    return names


# -- the documented public records ---------------------------------------------------------------------
def _basic(**values: str | None) -> dict[str, str | None]:
    basic = dict.fromkeys(BASIC_FIELDS)
    basic.update(values)
    return basic


def _public_entries() -> list[Entry]:
    """094014201 and 090000045 as public clients document them; 090165560 as in the sample."""
    active = dict(deactivation_flag="1", deactivation_flag_descr="ΕΝΕΡΓΟΣ ΑΦΜ", firm_flag_descr=_FIRM)
    bank = Entry("094014201", "business", _basic(
        afm="094014201", doy="1159", doy_descr="ΦΑΕ ΑΘΗΝΩΝ", i_ni_flag_descr="ΜΗ ΦΠ", **active,
        onomasia="ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ", legal_status_descr="ΑΕ",
        postal_address="ΑΙΟΛΟΥ", postal_address_no="86", postal_zip_code="10559", postal_area_description="ΑΘΗΝΑ",
        regist_date=PLACEHOLDER_DATE, normal_vat_system_flag="Y",
    ), (_activity(64191204, "1"), _activity(66221001, "2")))
    # As liagkos/vatidinfo's README shows it (ΔΟΥ 1159, 1900-01-01, VAT Y, 1 + 10 activities), with
    # the ΔΟΥ name in today's spelling (the README's 2018 reply has "Φ.Α.Ε. ΑΘΗΝΩΝ").
    power = Entry("090000045", "business", _basic(
        afm="090000045", doy="1159", doy_descr="ΦΑΕ ΑΘΗΝΩΝ", i_ni_flag_descr="ΜΗ ΦΠ", **active,
        onomasia="ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ ΑΝΩΝΥΜΗ ΕΤΑΙΡΙΑ", commer_title="Δ.Ε.Η. Α.Ε.   -  Δ.Ε.Η.",
        legal_status_descr="ΑΕ", postal_address="ΧΑΛΚΟΚΟΝΔΥΛΗ", postal_address_no="30", postal_zip_code="10432",
        postal_area_description="ΑΘΗΝΑ", regist_date=PLACEHOLDER_DATE, normal_vat_system_flag="Y",
    ), (_activity(35141000, "1"),) + tuple(_activity(code, "2") for code in (
        5200000, 35111000, 35111001, 35111002, 35111005, 35111007, 35111008, 35121000, 35131000, 77401901,
    )))
    ministry = Entry("090165560", "business", _basic(
        afm="090165560", doy="1104", doy_descr="Δ΄ ΑΘΗΝΩΝ", i_ni_flag_descr="ΜΗ ΦΠ", **active,
        onomasia="ΥΠΟΥΡΓΕΙΟ ΟΙΚΟΝΟΜΙΚΩΝ ΓΕΝΙΚΗ   ΔIEYΘΥΝΣΗ  Δ ΚΗΣΥΠ ΞΗΣ Δ ΟΙΚ",
        legal_status_descr="ΔΗΜΟΣΙΑ ΥΠΗΡΕΣΙΑ", postal_address="Κ ΣΕΡΒΙΑΣ", postal_address_no="10",
        postal_zip_code="10110", postal_area_description="ΑΘΗΝΑ", regist_date="1993-02-08",
        normal_vat_system_flag="N",
    ), (_activity(84111000, "1"),))
    return [bank, power, ministry]


# -- the hand-made quirk records ---------------------------------------------------------------------
# 8-digit prefixes, one per label of QUIRK_LABELS; the check digit is computed.
_QUIRK_PREFIXES = tuple(range(9_999_901, 9_999_901 + len(QUIRK_LABELS)))
_LONG_NAME = (  # exactly 120 characters, the width of onomasia (VARCHAR2(120))
    "ΚΟΙΝΟΠΡΑΞΙΑ ΑΛΦΑ ΤΕΧΝΙΚΗ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ - ΔΕΛΤΑ ΚΑΤΑΣΚΕΥΑΣΤΙΚΗ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ "
    "ΓΙΑ ΤΗΝ ΑΝΑΒΑΘΜΙΣΗ ΤΟΥ ΛΙΜΕΝΑ ΚΕΡΚΥΡΑΣ"
)


def _quirk_entries(afms: dict[str, str], doy_names: dict[str, str]) -> list[Entry]:
    """One record per quirk label, otherwise ordinary Athens businesses."""

    def record(label: str, *, activities=((47413100, "1"),), **values: str | None) -> Entry:
        afm = afms[label]
        basic = _basic(
            afm=afm, doy="1104", doy_descr=doy_names["1104"], i_ni_flag_descr="ΜΗ ΦΠ",
            deactivation_flag="1", deactivation_flag_descr="ΕΝΕΡΓΟΣ ΑΦΜ", firm_flag_descr=_FIRM,
            legal_status_descr="ΟΕ", postal_address="ΣΤΑΔΙΟΥ", postal_address_no="12",
            postal_zip_code="10564", postal_area_description="ΑΘΗΝΑ", regist_date="2004-03-15",
            normal_vat_system_flag="Y",
        )
        basic.update(values)
        items = tuple(item if isinstance(item[0], int) and len(item) == 4 else _activity(*item) for item in activities)
        return Entry(afm, "business", basic, items)

    def padded(entry: Entry) -> Entry:
        return dataclasses.replace(entry, basic=_pad(entry.basic, afm=True))

    return [
        record("main_activity_last", onomasia="ΠΟΛΥΚΑΤΑΣΤΗΜΑ ΠΛΗΡΟΦΟΡΙΚΗΣ ΚΩΣΤΑΚΗΣ ΚΑΙ ΣΙΑ Ο.Ε.",
               activities=((46511000, "2"), (47413100, "2"), (73111900, "3"), (47913100, "1"))),
        record("kad_in_description", onomasia="ΔΙΚΤΥΑΚΟ ΕΜΠΟΡΙΟ ΝΙΚΟΛΑΟΥ Ο.Ε.", activities=(
            (1, f"47913100 {_KAD[47913100]}", "1", KIND_NAMES["1"]),
            (2, f"62011100 {_KAD[62011100]}", "2", KIND_NAMES["2"]),
        )),
        padded(record("afm_padded", onomasia="ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ ΓΕΩΡΓΙΟΣ", i_ni_flag_descr="ΦΠ",
                      legal_status_descr=None, postal_address_no="4", activities=((69203100, "1"),))),
        record("ceased_no_address", onomasia="ΑΦΟΙ ΚΑΡΑΓΙΑΝΝΗ Ο.Ε.", deactivation_flag="2",
               deactivation_flag_descr="ΑΠΕΝΕΡΓΟΠΟΙΗΜΕΝΟΣ ΑΦΜ", firm_flag_descr=_FORMER_FIRM,
               postal_address=None, postal_address_no=None, postal_zip_code=None, postal_area_description=None,
               regist_date="1996-09-02", stop_date="2019-06-30", activities=()),
        record("formula_name", onomasia='=HYPERLINK("http://x","y")'),
        record("plus_name", onomasia="+30 ΤΗΛΕΠΙΚΟΙΝΩΝΙΕΣ Ο.Ε.", activities=((47423200, "1"),)),
        record("minus_name", onomasia="-ΜΕΙΟΝ- ΕΜΠΟΡΙΚΗ Ο.Ε."),
        record("at_name", onomasia="@HOME ΕΠΙΠΛΩΣΗ Ι.Κ.Ε.", legal_status_descr="ΙΚΕ", regist_date="2016-11-21"),
        record("tab_name", onomasia="\tΤΑΜΠΑΚΗΣ ΚΑΙ ΣΙΑ Ο.Ε."),
        record("xml_specials", onomasia='Α & Β <ΤΕΣΤ> "Ο.Ε."', commer_title="Α&Β <ΤΕΣΤ>"),
        record("placeholder_date", onomasia="ΠΑΛΑΙΑ ΕΜΠΟΡΙΚΗ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ", legal_status_descr="ΑΕ",
               regist_date=PLACEHOLDER_DATE, doy="1159", doy_descr=doy_names["1159"]),
        record("long_name", onomasia=_LONG_NAME, legal_status_descr="ΚΟΙΝΟΠΡΑΞΙΑ",
               activities=((71121200, "1"), (43211000, "2"))),
    ]


# -- reference data ------------------------------------------------------------------------------------
# AFM prefix ranges (first 8 digits, high end exclusive) and their share. Legal entities:
# mostly 08/09xxxxxxx, since 2011 80xxxxxxx, a few old 99xxxxxxx; natural persons 01–07 and 1x.
_LEGAL_RANGES = ((8_000_000, 10_000_000, 0.70), (80_000_000, 80_300_000, 0.25), (99_000_000, 100_000_000, 0.05))
_PERSON_RANGES = ((1_000_000, 8_000_000, 0.55), (10_000_000, 20_000_000, 0.45))
# AFMs no synthetic record may take: the public ones and the emulator's demo user (ΟΤΕ, 094019245).
_RESERVED_AFMS = frozenset(PUBLIC_AFMS) | {"094019245"}

# ΚΑΔ (activity codes) → descriptions. Codes marked "sample" are copied verbatim from captured
# replies (gsis-service.md §5.7: the bank, ΔΕΗ, the ministry, and the v1 sample 998184801).
# The others are KAD 2008 codes at CPA sub-category level (…00); their wording follows the
# nomenclature but was not checked against a live reply.
_KAD: dict[int, str] = {
    # sample
    64191204: "ΥΠΗΡΕΣΙΕΣ ΤΡΑΠΕΖΩΝ",
    66221001: "ΥΠΗΡΕΣΙΕΣ ΑΣΦΑΛΙΣΤΙΚΟΥ ΠΡΑΚΤΟΡΑ ΚΑΙ ΑΣΦΑΛΙΣΤΙΚΟΥ ΣΥΜΒΟΥΛΟΥ",
    84111000: "ΓΕΝΙΚΕΣ ΔΗΜΟΣΙΕΣ ΥΠΗΡΕΣΙΕΣ",
    35141000: "ΥΠΗΡΕΣΙΕΣ ΕΜΠΟΡΙΟΥ (ΠΩΛΗΣΗΣ) ΗΛΕΚΤΡΙΚΟΥ ΡΕΥΜΑΤΟΣ",
    5200000: "ΕΞΟΡΥΞΗ ΛΙΓΝΙΤΗ",
    35111000: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΟΥ ΡΕΥΜΑΤΟΣ",
    35111001: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΗΣ ΕΝΕΡΓΕΙΑΣ ΑΠΟ ΑΕΡΟΣΤΡΟΒΙΛΙΚΕΣ ΜΟΝΑΔΕΣ ΠΕΤΡΕΛΑΙΟΥ",
    35111002: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΗΣ ΕΝΕΡΓΕΙΑΣ ΑΠΟ ΛΙΓΝΙΤΙΚΕΣ ΜΟΝΑΔΕΣ",
    35111005: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΗΣ ΕΝΕΡΓΕΙΑΣ ΑΠΟ ΜΟΝΑΔΕΣ ΦΥΣΙΚΟΥ ΑΕΡΙΟΥ",
    35111007: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΗΣ ΕΝΕΡΓΕΙΑΣ ΑΠΟ ΣΤΑΘΜΟΥΣ ΕΣΩΤΕΡΙΚΗΣ ΚΑΥΣΗΣ",
    35111008: "ΠΑΡΑΓΩΓΗ ΗΛΕΚΤΡΙΚΗΣ ΕΝΕΡΓΕΙΑΣ ΑΠΟ ΥΔΡΟΗΛΕΚΤΡΙΚΟΥΣ ΣΤΑΘΜΟΥΣ",
    35121000: "ΥΠΗΡΕΣΙΕΣ ΜΕΤΑΔΟΣΗΣ ΗΛΕΚΤΡΙΚΟΥ ΡΕΥΜΑΤΟΣ",
    35131000: "ΥΠΗΡΕΣΙΕΣ ΔΙΑΝΟΜΗΣ ΗΛΕΚΤΡΙΚΟΥ ΡΕΥΜΑΤΟΣ",
    77401901: (  # sic: "ΠΑΡΑΧΩΡΗΡΗΣ", as the service spells it
        "ΥΠΗΡΕΣΙΕΣ ΜΕΤΑΒΙΒΑΣΗΣ Η ΠΑΡΑΧΩΡΗΡΗΣ ΧΡΗΣΗΣ ΑΥΛΩΝ ΑΓΑΘΩΝ (ΔΙΚΑΙΩΜΑΤΩΝ ΠΝΕΥΜΑΤΙΚΗΣ ΙΔΙΟΚΤΗΣΙΑΣ, "
        "ΔΙΚΑΙΩΜΑΤΩΝ ΕΚΠΟΜΠΗΣ ΑΕΡΙΩΝ ΘΕΡΜΟΚΗΠΙΟΥ, ΔΙΠΛΩΜΑΤΩΝ ΕΥΡΕΣΙΤΕΧΝΙΑΣ, ΑΔΕΙΩΝ ΕΚΜΕΤΑΛΛΕΥΣΗΣ "
        "ΒΙΟΜΗΧΑΝΙΚΩΝ ΚΑΙ ΕΜΠΟΡΙΚΩΝ ΣΗΜΑΤΩΝ ΚΑΙ ΠΑΡΟΜΟΙΩΝ ΔΙΚΑΙΩΜΑΤΩΝ"
    ),
    47913100: (
        "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΗΛΕΚΤΡΟΝΙΚΩΝ ΥΠΟΛΟΓΙΣΤΩΝ, ΠΕΡΙΦΕΡΕΙΑΚΩΝ ΜΟΝΑΔΩΝ ΚΑΙ ΛΟΓΙΣΜΙΚΟΥ, "
        "ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ"
    ),
    46511000: "ΧΟΝΔΡΙΚΟ ΕΜΠΟΡΙΟ ΗΛΕΚΤΡΟΝΙΚΩΝ ΥΠΟΛΟΓΙΣΤΩΝ, ΠΕΡΙΦΕΡΕΙΑΚΟΥ ΕΞΟΠΛΙΣΜΟΥ ΥΠΟΛΟΓΙΣΤΩΝ ΚΑΙ ΛΟΓΙΣΜΙΚΟΥ",
    46521100: "ΧΟΝΔΡΙΚΟ ΕΜΠΟΡΙΟ ΤΗΛΕΠΙΚΟΙΝΩΝΙΑΚΟΥ ΕΞΟΠΛΙΣΜΟΥ ΚΑΙ ΕΞΑΡΤΗΜΑΤΩΝ",
    47413100: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΗΛΕΚΤΡΟΝΙΚΩΝ ΥΠΟΛΟΓΙΣΤΩΝ, ΠΕΡΙΦΕΡΕΙΑΚΩΝ ΜΟΝΑΔΩΝ ΚΑΙ ΛΟΓΙΣΜΙΚΟΥ",
    47423200: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΤΗΛΕΠΙΚΟΙΝΩΝΙΑΚΟΥ ΕΞΟΠΛΙΣΜΟΥ",
    47913200: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΤΗΛΕΠΙΚΟΙΝΩΝΙΑΚΟΥ ΕΞΟΠΛΙΣΜΟΥ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47913300: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΗΧΗΤΙΚΟΥ ΕΞΟΠΛΙΣΜΟΥ ΚΑΙ ΕΞΟΠΛΙΣΜΟΥ ΒΙΝΤΕΟ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47915400: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΗΛΕΚΤΡΙΚΩΝ ΟΙΚΙΑΚΩΝ ΣΥΣΚΕΥΩΝ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47916300: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΧΑΡΤΙΚΩΝ ΕΙΔΩΝ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47916500: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΑΘΛΗΤΙΚΟΥ ΕΞΟΠΛΙΣΜΟΥ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47917600: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΚΑΛΛΥΝΤΙΚΩΝ ΚΑΙ ΕΙΔΩΝ ΚΑΛΛΩΠΙΣΜΟΥ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47918200: "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΡΟΛΟΓΙΩΝ ΚΑΙ ΚΟΣΜΗΜΑΤΩΝ, ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ",
    47918300: (
        "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΦΩΤΟΓΡΑΦΙΚΟΥ ΚΑΙ ΟΠΤΙΚΟΥ ΕΞΟΠΛΙΣΜΟΥ ΚΑΙ ΕΞΟΠΛΙΣΜΟΥ ΑΚΡΙΒΕΙΑΣ, "
        "ΜΕ ΑΛΛΗΛΟΓΡΑΦΙΑ Η ΜΕΣΩ ΔΙΑΔΙΚΤΥΟΥ"
    ),
    73111900: "ΑΛΛΕΣ ΥΠΗΡΕΣΙΕΣ ΔΙΑΦΗΜΙΣΗΣ",
    61201101: (  # cut short mid-word, as the sample has it
        "ΥΠΗΡΕΣΙΕΣ ΑΝΤΙΠΡΟΣΩΠΟΥ ΚΙΝΗΤΗΣ ΤΗΛΕΦΩΝΙΑΣ, ΠΟΥ ΑΜΕΙΒΕΤΑΙ ΜΕ ΠΡΟΜΗΘΕΙΑ ΕΠΙ ΤΩΝ ΛΟΓΑΡΙΑΣΜΩΝ "
        "ΤΩΝ ΣΥΝΔΡΟΜΗΤΩΝ, ΣΥΝΔΕΣΗΣ, ΦΕΡΕΓΓΥΟΤΗΤΑΣ ΠΕΛΑΤΩΝ, ΕΤΑΙΡΙΚΩΝ ΣΥΝΔΕΣΕΩΝ, ΚΟΙΝΗΣ ΔΙΑΦΗΜΙΣΗΣ, "
        "ΕΠΙΤΕΥΞΗΣ ΣΤΟΧΩΝ ΚΛΠ, ΚΑΘΩΣ ΚΑΙ ΕΠΙ ΤΗΣ ΕΠΙΔΟΤΗΣΗΣ ΤΗΣ ΣΥΣΚΕΥ"
    ),
    82991901: "ΥΠΗΡΕΣΙΕΣ ΔΙΑΘΕΣΗΣ ΠΑΡΚΟΚΑΡΤΩΝ, ΤΗΛΕΚΑΡΤΩΝ, ΚΑΡΤΩΝ INTERNET, ΚΙΝΗΤΗΣ ΤΗΛΕΦΩΝΙΑΣ, ΛΙΑΝΙΚΑ",
    82991902: "ΥΠΗΡΕΣΙΕΣ ΔΙΑΘΕΣΗΣ ΠΑΡΚΟΚΑΡΤΩΝ, ΤΗΛΕΚΑΡΤΩΝ, ΚΑΡΤΩΝ INTERNET, ΚΙΝΗΤΗΣ ΤΗΛΕΦΩΝΙΑΣ, ΧΟΝΔΡΙΚΑ",
    # KAD 2008, CPA sub-category level
    1241000: "ΚΑΛΛΙΕΡΓΕΙΑ ΜΗΛΩΝ",
    8111100: "ΕΞΟΡΥΞΗ ΜΑΡΜΑΡΟΥ ΚΑΙ ΑΛΛΩΝ ΑΣΒΕΣΤΟΛΙΘΙΚΩΝ ΛΙΘΩΝ ΓΙΑ ΜΝΗΜΕΙΑ Η ΟΙΚΟΔΟΜΕΣ",
    10711100: "ΠΑΡΑΓΩΓΗ ΝΩΠΟΥ ΨΩΜΙΟΥ",
    43211000: "ΕΡΓΑΣΙΕΣ ΗΛΕΚΤΡΙΚΩΝ ΕΓΚΑΤΑΣΤΑΣΕΩΝ",
    43221100: "ΕΡΓΑΣΙΕΣ ΕΓΚΑΤΑΣΤΑΣΗΣ ΣΥΣΤΗΜΑΤΩΝ ΥΔΡΕΥΣΗΣ ΚΑΙ ΑΠΟΧΕΤΕΥΣΗΣ",
    43341000: "ΕΡΓΑΣΙΕΣ ΒΑΦΗΣ ΚΑΙ ΧΡΩΜΑΤΙΣΜΟΥ",
    45201100: "ΣΥΝΗΘΕΙΣ ΥΠΗΡΕΣΙΕΣ ΣΥΝΤΗΡΗΣΗΣ ΚΑΙ ΕΠΙΣΚΕΥΗΣ ΕΠΙΒΑΤΙΚΩΝ ΑΥΤΟΚΙΝΗΤΩΝ ΚΑΙ ΕΛΑΦΡΩΝ ΟΧΗΜΑΤΩΝ",
    46901000: "ΜΗ ΕΙΔΙΚΕΥΜΕΝΟ ΧΟΝΔΡΙΚΟ ΕΜΠΟΡΙΟ",
    49321100: "ΥΠΗΡΕΣΙΕΣ ΤΑΞΙ",
    49411900: "ΑΛΛΕΣ ΥΠΗΡΕΣΙΕΣ ΟΔΙΚΩΝ ΜΕΤΑΦΟΡΩΝ ΕΜΠΟΡΕΥΜΑΤΩΝ",
    52101900: "ΑΛΛΕΣ ΥΠΗΡΕΣΙΕΣ ΑΠΟΘΗΚΕΥΣΗΣ",
    55101000: "ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΚΑΤΑΛΥΜΑΤΟΣ ΓΙΑ ΕΠΙΣΚΕΠΤΕΣ, ΜΕ ΚΑΘΗΜΕΡΙΝΕΣ ΥΠΗΡΕΣΙΕΣ ΚΑΘΑΡΙΣΜΟΥ ΔΩΜΑΤΙΩΝ",
    55201900: "ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΑΛΛΩΝ ΚΑΤΑΛΥΜΑΤΩΝ ΔΙΑΚΟΠΩΝ ΚΑΙ ΑΛΛΩΝ ΚΑΤΑΛΥΜΑΤΩΝ ΣΥΝΤΟΜΗΣ ΔΙΑΜΟΝΗΣ",
    56101100: "ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΓΕΥΜΑΤΩΝ ΜΕ ΠΛΗΡΗ ΕΞΥΠΗΡΕΤΗΣΗ ΕΣΤΙΑΤΟΡΙΟΥ",
    56211000: "ΥΠΗΡΕΣΙΕΣ ΤΡΟΦΟΔΟΣΙΑΣ ΕΚΔΗΛΩΣΕΩΝ",
    56301000: "ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΠΟΤΩΝ",
    62011100: "ΥΠΗΡΕΣΙΕΣ ΣΧΕΔΙΑΣΜΟΥ ΚΑΙ ΑΝΑΠΤΥΞΗΣ ΕΦΑΡΜΟΓΩΝ ΤΕΧΝΟΛΟΓΙΑΣ ΤΗΣ ΠΛΗΡΟΦΟΡΙΑΣ (ΤΠ)",
    68201200: "ΥΠΗΡΕΣΙΕΣ ΕΚΜΙΣΘΩΣΗΣ Η ΜΙΣΘΩΣΗΣ ΙΔΙΟΚΤΗΤΩΝ Η ΜΙΣΘΩΜΕΝΩΝ ΜΗ ΟΙΚΙΣΤΙΚΩΝ ΑΚΙΝΗΤΩΝ",
    69201000: "ΥΠΗΡΕΣΙΕΣ ΟΙΚΟΝΟΜΙΚΟΥ ΕΛΕΓΧΟΥ",
    69203100: "ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΣΥΜΒΟΥΛΩΝ ΚΑΙ ΠΡΟΕΤΟΙΜΑΣΙΑΣ ΕΤΑΙΡΙΚΩΝ ΦΟΡΟΛΟΓΙΚΩΝ ΔΗΛΩΣΕΩΝ",
    70101000: "ΥΠΗΡΕΣΙΕΣ ΚΕΝΤΡΙΚΩΝ ΓΡΑΦΕΙΩΝ",
    71121200: "ΥΠΗΡΕΣΙΕΣ ΜΗΧΑΝΙΚΟΥ ΓΙΑ ΚΑΤΑΣΚΕΥΑΣΤΙΚΑ ΕΡΓΑ ΚΤΙΡΙΩΝ",
    86211000: "ΥΠΗΡΕΣΙΕΣ ΓΕΝΙΚΗΣ ΙΑΤΡΙΚΗΣ",
    96021100: "ΥΠΗΡΕΣΙΕΣ ΚΟΜΜΩΤΙΚΗΣ ΓΙΑ ΓΥΝΑΙΚΕΣ ΚΑΙ ΚΟΡΙΤΣΙΑ",
}
_AUXILIARY = (52101900, 70101000)  # the usual kind-4 (ΒΟΗΘΗΤΙΚΗ) activities: storage, head office
_COMMON_SECONDARY = (73111900, 68201200, 46901000)

_SECTORS = (
    _Sector(8, 8, (56101100,), (56301000, 56211000), "ΕΠΙΣΙΤΙΣΤΙΚΗ", "ΕΣΤΙΑΣΗΣ",
            ("ΤΑΒΕΡΝΑ {w}", "ΕΣΤΙΑΤΟΡΙΟ {w}", "ΨΗΤΟΠΩΛΕΙΟ {w}", "ΟΥΖΕΡΙ {w}")),
    _Sector(5, 9, (56301000,), (56101100,), "ΕΠΙΣΙΤΙΣΤΙΚΗ", "ΕΣΤΙΑΣΗΣ", ("ΚΑΦΕ {w}", "{l} CAFE", "{l} COFFEE BAR")),
    _Sector(5, 2, (55101000,), (56101100, 56301000), "ΞΕΝΟΔΟΧΕΙΑΚΗ", "ΤΟΥΡΙΣΜΟΥ",
            ("ΞΕΝΟΔΟΧΕΙΟ {w}", "{l} HOTEL", "{l} RESORT")),
    _Sector(4, 6, (55201900,), (68201200,), "ΤΟΥΡΙΣΤΙΚΗ", "ΤΟΥΡΙΣΜΟΥ",
            ("{l} SUITES", "{l} APARTMENTS", "ΕΝΟΙΚΙΑΖΟΜΕΝΑ ΔΩΜΑΤΙΑ {w}")),
    _Sector(4, 3, (68201200,), (55201900,), "ΚΤΗΜΑΤΙΚΗ", "ΑΞΙΟΠΟΙΗΣΗΣ ΑΚΙΝΗΤΩΝ"),
    _Sector(3, 5, (69203100, 69201000), (69201000, 69203100), "ΣΥΜΒΟΥΛΕΥΤΙΚΗ", "ΛΟΓΙΣΤΙΚΩΝ ΥΠΗΡΕΣΙΩΝ",
            ("ΛΟΓΙΣΤΙΚΟ ΓΡΑΦΕΙΟ {w}",)),
    _Sector(6, 4, (62011100,), (47413100, 46511000, 47913100), "ΤΕΧΝΟΛΟΓΙΚΗ", "ΠΛΗΡΟΦΟΡΙΚΗΣ",
            ("{l} SOFTWARE", "{l} IT SOLUTIONS", "{l} DIGITAL")),
    _Sector(5, 3, (47913100, 47915400, 47916500, 47917600, 47918200),
            (47913200, 47913300, 47916300, 47918300, 73111900), "ΕΜΠΟΡΙΚΗ", "ΗΛΕΚΤΡΟΝΙΚΟΥ ΕΜΠΟΡΙΟΥ",
            ("{l}.GR", "{l} SHOP", "{l} ONLINE")),
    _Sector(4, 3, (47413100, 47423200), (61201101, 82991901, 82991902, 47913200, 46521100),
            "ΕΜΠΟΡΙΚΗ", "ΤΗΛΕΠΙΚΟΙΝΩΝΙΩΝ", ("{l} MOBILE", "{l} ELECTRONICS")),
    _Sector(7, 2, (46901000, 46511000, 46521100), (52101900, 46511000), "ΕΜΠΟΡΙΚΗ", "ΕΜΠΟΡΙΑΣ ΚΑΙ ΔΙΑΝΟΜΗΣ"),
    _Sector(8, 10, (43211000, 43221100, 43341000), (43211000, 43221100, 43341000, 71121200), "ΤΕΧΝΙΚΗ",
            "ΤΕΧΝΙΚΩΝ ΕΡΓΩΝ"),
    _Sector(4, 5, (71121200,), (43211000, 43221100), "ΤΕΧΝΙΚΗ", "ΜΕΛΕΤΩΝ ΚΑΙ ΚΑΤΑΣΚΕΥΩΝ", ("ΤΕΧΝΙΚΟ ΓΡΑΦΕΙΟ {w}",)),
    _Sector(5, 4, (49411900,), (52101900,), "ΜΕΤΑΦΟΡΙΚΗ", "ΜΕΤΑΦΟΡΩΝ"),
    _Sector(0, 6, (49321100,), (), "ΜΕΤΑΦΟΡΙΚΗ", "ΜΕΤΑΦΟΡΩΝ"),
    _Sector(3, 5, (45201100,), (), "ΤΕΧΝΙΚΗ", "ΕΠΙΣΚΕΥΗΣ ΑΥΤΟΚΙΝΗΤΩΝ", ("ΣΥΝΕΡΓΕΙΟ ΑΥΤΟΚΙΝΗΤΩΝ {w}",)),
    _Sector(2, 4, (10711100,), (56301000,), "ΒΙΟΜΗΧΑΝΙΚΗ", "ΑΡΤΟΠΟΙΙΑΣ", ("ΑΡΤΟΠΟΙΕΙΟ {w}", "ΦΟΥΡΝΟΣ {w}")),
    _Sector(0.5, 5, (96021100,), (), "ΕΜΠΟΡΙΚΗ", "ΚΟΜΜΩΤΙΚΗΣ", ("ΚΟΜΜΩΤΗΡΙΟ {w}", "{l} HAIR STUDIO")),
    _Sector(1, 5, (86211000,), (), "ΙΑΤΡΙΚΗ", "ΠΑΡΟΧΗΣ ΥΠΗΡΕΣΙΩΝ ΥΓΕΙΑΣ", vat_exempt=True),
    _Sector(2, 4, (66221001,), (), "ΑΣΦΑΛΙΣΤΙΚΗ", "ΑΣΦΑΛΙΣΤΙΚΩΝ ΣΥΜΒΟΥΛΩΝ", vat_exempt=True),
    _Sector(3, 2, (73111900,), (62011100,), "ΔΙΑΦΗΜΙΣΤΙΚΗ", "ΕΠΙΚΟΙΝΩΝΙΑΣ"),
    _Sector(4, 1, (35111000,), (), "ΕΝΕΡΓΕΙΑΚΗ", "ΕΝΕΡΓΕΙΑΣ", ("{l} SOLAR", "{l} ENERGY")),
    _Sector(1, 0.3, (8111100,), (46901000,), "ΛΑΤΟΜΙΚΗ", "ΜΑΡΜΑΡΩΝ"),
    _Sector(0.5, 2, (1241000,), (), "ΑΓΡΟΤΙΚΗ", "ΑΓΡΟΤΙΚΩΝ ΠΡΟΙΟΝΤΩΝ"),
)

_MALE_NAMES = (
    "ΓΕΩΡΓΙΟΣ", "ΙΩΑΝΝΗΣ", "ΚΩΝΣΤΑΝΤΙΝΟΣ", "ΔΗΜΗΤΡΙΟΣ", "ΝΙΚΟΛΑΟΣ", "ΠΑΝΑΓΙΩΤΗΣ", "ΒΑΣΙΛΕΙΟΣ", "ΧΡΗΣΤΟΣ",
    "ΑΘΑΝΑΣΙΟΣ", "ΜΙΧΑΗΛ", "ΕΥΑΓΓΕΛΟΣ", "ΣΠΥΡΙΔΩΝ", "ΑΝΤΩΝΙΟΣ", "ΑΝΑΣΤΑΣΙΟΣ", "ΘΕΟΔΩΡΟΣ", "ΑΝΔΡΕΑΣ",
    "ΧΑΡΑΛΑΜΠΟΣ", "ΑΛΕΞΑΝΔΡΟΣ", "ΕΜΜΑΝΟΥΗΛ", "ΗΛΙΑΣ", "ΣΤΑΥΡΟΣ", "ΣΩΤΗΡΙΟΣ", "ΣΤΥΛΙΑΝΟΣ", "ΕΛΕΥΘΕΡΙΟΣ",
    "ΑΠΟΣΤΟΛΟΣ", "ΦΩΤΙΟΣ", "ΔΙΟΝΥΣΙΟΣ", "ΓΡΗΓΟΡΙΟΣ", "ΑΡΙΣΤΕΙΔΗΣ", "ΠΕΤΡΟΣ", "ΣΤΕΦΑΝΟΣ", "ΠΑΥΛΟΣ",
    "ΘΩΜΑΣ", "ΛΕΩΝΙΔΑΣ", "ΚΥΡΙΑΚΟΣ", "ΠΑΝΤΕΛΕΗΜΩΝ", "ΜΑΡΙΟΣ", "ΟΔΥΣΣΕΑΣ", "ΣΑΒΒΑΣ", "ΤΡΥΦΩΝ",
)
_FEMALE_NAMES = (
    "ΜΑΡΙΑ", "ΕΛΕΝΗ", "ΑΙΚΑΤΕΡΙΝΗ", "ΒΑΣΙΛΙΚΗ", "ΣΟΦΙΑ", "ΑΓΓΕΛΙΚΗ", "ΓΕΩΡΓΙΑ", "ΔΗΜΗΤΡΑ", "ΚΩΝΣΤΑΝΤΙΝΑ",
    "ΠΑΡΑΣΚΕΥΗ", "ΕΥΑΓΓΕΛΙΑ", "ΙΩΑΝΝΑ", "ΧΡΙΣΤΙΝΑ", "ΑΝΑΣΤΑΣΙΑ", "ΑΝΝΑ", "ΕΙΡΗΝΗ", "ΠΑΝΑΓΙΩΤΑ", "ΧΡΥΣΟΥΛΑ",
    "ΘΕΟΔΩΡΑ", "ΔΕΣΠΟΙΝΑ", "ΣΤΑΥΡΟΥΛΑ", "ΑΘΑΝΑΣΙΑ", "ΕΥΤΥΧΙΑ", "ΑΡΓΥΡΩ", "ΝΙΚΟΛΕΤΑ", "ΑΛΕΞΑΝΔΡΑ",
    "ΚΥΡΙΑΚΗ", "ΦΩΤΕΙΝΗ", "ΟΛΓΑ", "ΣΤΥΛΙΑΝΗ",
)
_SURNAMES = (
    "ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΠΑΠΠΑΣ", "ΟΙΚΟΝΟΜΟΥ", "ΓΕΩΡΓΙΟΥ", "ΠΑΠΑΓΕΩΡΓΙΟΥ", "ΒΑΣΙΛΕΙΟΥ", "ΝΙΚΟΛΑΟΥ",
    "ΚΩΝΣΤΑΝΤΙΝΙΔΗΣ", "ΓΕΩΡΓΙΑΔΗΣ", "ΙΩΑΝΝΙΔΗΣ", "ΑΘΑΝΑΣΙΟΥ", "ΔΗΜΗΤΡΙΟΥ", "ΠΑΠΑΝΙΚΟΛΑΟΥ", "ΚΑΡΑΓΙΑΝΝΗΣ",
    "ΜΑΚΡΗΣ", "ΑΝΤΩΝΙΟΥ", "ΧΑΤΖΗΣ", "ΧΑΤΖΗΔΑΚΗΣ", "ΜΑΥΡΙΔΗΣ", "ΠΑΠΑΔΑΚΗΣ", "ΔΗΜΟΠΟΥΛΟΣ", "ΑΛΕΞΙΟΥ",
    "ΜΙΧΑΗΛΙΔΗΣ", "ΘΕΟΔΩΡΟΠΟΥΛΟΣ", "ΣΤΑΥΡΟΠΟΥΛΟΣ", "ΑΓΓΕΛΟΠΟΥΛΟΣ", "ΝΙΚΟΛΟΠΟΥΛΟΣ", "ΚΑΛΟΓΕΡΟΠΟΥΛΟΣ",
    "ΜΑΝΩΛΑΚΗΣ", "ΣΦΑΚΙΑΝΑΚΗΣ", "ΤΣΑΚΙΡΗΣ", "ΚΟΥΤΣΟΓΙΑΝΝΗΣ", "ΛΑΜΠΡΟΠΟΥΛΟΣ", "ΖΑΧΑΡΙΑΔΗΣ", "ΣΑΒΒΙΔΗΣ",
    "ΚΥΡΙΑΚΙΔΗΣ", "ΠΑΥΛΙΔΗΣ", "ΘΕΟΧΑΡΗΣ", "ΡΑΠΤΗΣ", "ΚΑΡΑΛΗΣ", "ΣΤΕΦΑΝΟΥ", "ΠΕΤΡΙΔΗΣ", "ΑΝΑΣΤΑΣΙΑΔΗΣ",
    "ΜΑΡΚΟΥ", "ΛΙΑΚΟΣ", "ΠΑΝΑΓΙΩΤΟΠΟΥΛΟΣ", "ΚΑΤΣΑΡΟΣ", "ΦΩΤΙΑΔΗΣ", "ΒΛΑΧΟΣ", "ΖΑΦΕΙΡΙΟΥ", "ΧΡΙΣΤΟΔΟΥΛΟΥ",
    "ΣΤΑΜΑΤΟΠΟΥΛΟΣ", "ΤΡΙΑΝΤΑΦΥΛΛΟΥ", "ΚΟΝΤΟΣ", "ΓΚΙΚΑΣ", "ΠΕΤΡΟΠΟΥΛΟΣ", "ΡΕΝΤΖΟΣ", "ΚΟΡΡΕΣ",
    "ΤΖΑΝΕΤΑΚΗΣ", "ΜΠΟΥΡΑΣ", "ΔΟΥΚΑΣ", "ΣΠΑΝΟΣ", "ΚΑΡΑΒΙΑΣ", "ΧΑΡΙΤΟΣ", "ΓΙΑΝΝΑΚΟΠΟΥΛΟΣ", "ΚΟΥΤΡΟΥΜΑΝΗΣ",
)
_BRANDS = (
    "ΑΛΦΑ", "ΔΕΛΤΑ", "ΩΜΕΓΑ", "ΓΑΙΑ", "ΑΙΓΑΙΟΝ", "ΟΛΥΜΠΟΣ", "ΠΗΓΑΣΟΣ", "ΑΣΤΗΡ", "ΑΡΓΩ", "ΕΡΜΗΣ", "ΗΛΙΟΣ",
    "ΠΡΟΟΔΟΣ", "ΑΝΑΤΟΛΗ", "ΚΥΚΛΟΣ", "ΤΡΙΑΙΝΑ", "ΙΚΑΡΟΣ", "ΠΟΣΕΙΔΩΝ", "ΝΕΦΕΛΗ", "ΚΑΣΤΑΛΙΑ", "ΑΚΤΗ",
    "ΠΥΡΑΜΙΣ", "ΕΛΛΗΝΙΚΗ ΓΗ", "ΝΕΑ ΕΠΟΧΗ", "ΔΩΔΕΚΑΝΗΣΟΣ", "ΜΑΚΕΔΟΝΙΚΗ", "ΙΟΝΙΟΣ", "ΚΡΗΤΙΚΗ ΓΗ",
    "NOVA", "EUROTECH", "MEDILINE", "GREENPOWER", "BLUEWAVE", "SMARTNET", "PRIMEFOODS", "AEGEAN STAR",
    "OLYMPIC LINE", "ATLAS", "ORION", "IONIAN", "HELLAS NET", "METROPOLIS", "VERTEX", "SIGMA", "ZENITH",
)
_GREEK_WORDS = (
    "ΤΟ ΣΤΕΚΙ", "Η ΓΩΝΙΑ", "ΤΟ ΛΙΜΑΝΑΚΙ", "Ο ΠΛΑΤΑΝΟΣ", "ΤΑ ΑΔΕΡΦΙΑ", "ΤΟ ΠΕΥΚΟ", "Η ΑΥΛΗ", "Ο ΜΥΛΟΣ",
    "ΑΡΙΑΔΝΗ", "ΕΛΙΑ", "ΑΝΕΜΟΣ", "ΘΑΛΑΣΣΑ", "ΑΣΤΕΡΙΑ", "ΠΟΡΤΟ", "Ο ΓΙΑΛΟΣ", "ΤΟ ΚΑΤΩΦΛΙ", "ΠΑΝΟΡΑΜΑ",
    "ΑΚΡΟΠΟΛΙΣ", "ΛΕΥΚΟΣ ΠΥΡΓΟΣ", "ΚΑΣΤΡΟ",
)
_LATIN_BRANDS = (
    "NOVA", "ORAMA", "BLUE", "SMART", "EURO", "DELTA", "ALPHA", "OMEGA", "GREEN", "SUNSET", "AEGEAN", "OLIVE",
    "URBAN", "CITY", "PRIME", "STAR", "ELITE", "ARTE", "VITA", "KOSMOS",
)

# Streets found in most Greek towns.
_STREETS = (
    "ΕΛ. ΒΕΝΙΖΕΛΟΥ", "ΚΟΛΟΚΟΤΡΩΝΗ", "ΚΑΝΑΡΗ", "ΜΙΑΟΥΛΗ", "ΜΠΟΤΣΑΡΗ", "ΑΝΔΡΟΥΤΣΟΥ", "ΚΑΠΟΔΙΣΤΡΙΟΥ",
    "ΠΑΠΑΦΛΕΣΣΑ", "ΘΕΜΙΣΤΟΚΛΕΟΥΣ", "ΠΕΡΙΚΛΕΟΥΣ", "ΣΩΚΡΑΤΟΥΣ", "ΠΛΑΤΩΝΟΣ", "ΑΡΙΣΤΟΤΕΛΟΥΣ", "ΕΡΜΟΥ",
    "ΔΗΜΟΚΡΑΤΙΑΣ", "ΕΛΕΥΘΕΡΙΑΣ", "ΕΙΡΗΝΗΣ", "28ΗΣ ΟΚΤΩΒΡΙΟΥ", "25ΗΣ ΜΑΡΤΙΟΥ", "ΑΓΙΟΥ ΓΕΩΡΓΙΟΥ",
    "ΑΓΙΑΣ ΣΟΦΙΑΣ", "ΑΓΙΟΥ ΝΙΚΟΛΑΟΥ", "ΜΑΚΕΔΟΝΙΑΣ", "ΚΡΗΤΗΣ", "ΚΥΠΡΟΥ", "ΣΜΥΡΝΗΣ", "ΠΟΝΤΟΥ", "ΙΩΝΙΑΣ",
    "ΕΘΝΙΚΗΣ ΑΝΤΙΣΤΑΣΕΩΣ", "ΗΡΩΩΝ ΠΟΛΥΤΕΧΝΕΙΟΥ", "ΠΑΥΛΟΥ ΜΕΛΑ", "ΚΑΖΑΝΤΖΑΚΗ", "ΣΕΦΕΡΗ", "ΕΛΥΤΗ",
    "ΠΑΛΑΜΑ", "ΣΟΛΩΜΟΥ", "ΚΑΛΒΟΥ", "ΔΡΑΓΟΥΜΗ", "ΦΙΛΙΚΗΣ ΕΤΑΙΡΕΙΑΣ", "ΑΘ. ΔΙΑΚΟΥ", "ΝΙΚΗΤΑΡΑ",
    "ΚΟΡΑΗ", "ΡΗΓΑ ΦΕΡΑΙΟΥ", "ΠΑΠΑΝΔΡΕΟΥ", "ΤΣΙΜΙΣΚΗ", "ΓΡ. ΛΑΜΠΡΑΚΗ", "ΝΑΥΑΡΙΝΟΥ", "ΑΡΚΑΔΙΟΥ",
)
_ATHENS_STREETS = (
    "ΣΤΑΔΙΟΥ", "ΠΑΝΕΠΙΣΤΗΜΙΟΥ", "ΑΚΑΔΗΜΙΑΣ", "ΠΑΤΗΣΙΩΝ", "ΛΕΩΦ. ΑΛΕΞΑΝΔΡΑΣ", "ΒΑΣ. ΣΟΦΙΑΣ", "ΜΕΣΟΓΕΙΩΝ",
    "ΛΕΩΦ. ΣΥΓΓΡΟΥ", "ΑΙΟΛΟΥ", "ΑΘΗΝΑΣ", "ΣΟΛΩΝΟΣ", "ΣΚΟΥΦΑ", "ΧΑΡ. ΤΡΙΚΟΥΠΗ", "ΙΠΠΟΚΡΑΤΟΥΣ", "ΑΧΑΡΝΩΝ",
    "ΛΙΟΣΙΩΝ", "ΠΕΙΡΑΙΩΣ", "ΚΑΛΛΙΡΡΟΗΣ", "ΦΙΛΕΛΛΗΝΩΝ", "ΜΗΤΡΟΠΟΛΕΩΣ", "ΑΓΙΟΥ ΚΩΝΣΤΑΝΤΙΝΟΥ", "ΧΑΛΚΟΚΟΝΔΥΛΗ",
    "ΚΗΦΙΣΙΑΣ", "ΦΕΙΔΙΠΠΙΔΟΥ", "ΔΗΜΗΤΣΑΝΑΣ", "ΠΑΝΟΡΜΟΥ", "ΛΟΥΙΖΗΣ ΡΙΑΝΚΟΥΡ", "ΚΥΠΡΟΥ", "ΦΩΚΙΩΝΟΣ ΝΕΓΡΗ",
    "ΔΡΟΣΟΠΟΥΛΟΥ", "ΑΓΙΟΥ ΜΕΛΕΤΙΟΥ", "ΙΟΥΛΙΑΝΟΥ", "ΜΑΡΝΗ", "ΚΟΛΩΝΟΥ", "ΚΕΡΑΜΕΙΚΟΥ", "ΑΓΙΑΣ ΖΩΝΗΣ",
)
_THESSALONIKI_STREETS = (
    "ΕΓΝΑΤΙΑΣ", "ΤΣΙΜΙΣΚΗ", "ΜΗΤΡΟΠΟΛΕΩΣ", "ΒΕΝΙΖΕΛΟΥ", "ΑΡΙΣΤΟΤΕΛΟΥΣ", "ΚΑΣΣΑΝΔΡΟΥ", "ΑΓΙΟΥ ΔΗΜΗΤΡΙΟΥ",
    "ΛΕΩΦ. ΝΙΚΗΣ", "ΠΑΥΛΟΥ ΜΕΛΑ", "ΒΑΣ. ΟΛΓΑΣ", "ΔΕΛΦΩΝ", "ΜΟΝΑΣΤΗΡΙΟΥ", "ΛΑΓΚΑΔΑ", "26ΗΣ ΟΚΤΩΒΡΙΟΥ",
    "ΠΡΟΞΕΝΟΥ ΚΟΡΟΜΗΛΑ", "ΚΟΜΝΗΝΩΝ", "ΦΡΑΓΚΩΝ", "ΙΟΥΣΤΙΝΙΑΝΟΥ", "ΑΝΤΙΓΟΝΙΔΩΝ", "ΠΤΟΛΕΜΑΙΩΝ",
)
_PIRAEUS_STREETS = (
    "ΗΡΩΩΝ ΠΟΛΥΤΕΧΝΕΙΟΥ", "ΑΚΤΗ ΜΙΑΟΥΛΗ", "ΑΚΤΗ ΚΟΝΔΥΛΗ", "ΓΡ. ΛΑΜΠΡΑΚΗ", "ΤΣΑΜΑΔΟΥ", "ΚΑΡΑΟΛΗ ΚΑΙ ΔΗΜΗΤΡΙΟΥ",
    "ΝΟΤΑΡΑ", "ΦΙΛΩΝΟΣ", "ΒΑΣ. ΓΕΩΡΓΙΟΥ Α", "ΣΩΤΗΡΟΣ ΔΙΟΣ", "ΚΟΛΟΚΟΤΡΩΝΗ", "ΑΓΙΟΥ ΣΠΥΡΙΔΩΝΟΣ",
)
_PATRAS_STREETS = (
    "ΜΑΙΖΩΝΟΣ", "ΚΟΡΙΝΘΟΥ", "ΡΗΓΑ ΦΕΡΑΙΟΥ", "ΑΓΙΟΥ ΝΙΚΟΛΑΟΥ", "ΓΟΥΝΑΡΗ", "ΚΑΝΑΚΑΡΗ", "ΟΘΩΝΟΣ ΑΜΑΛΙΑΣ",
    "ΑΓΙΟΥ ΑΝΔΡΕΟΥ", "ΖΑΙΜΗ", "ΚΑΡΟΛΟΥ", "ΑΚΡΩΤΗΡΙΟΥ", "ΝΟΡΜΑΝΟΥ",
)
_HERAKLION_STREETS = (
    "25ΗΣ ΑΥΓΟΥΣΤΟΥ", "ΔΙΚΑΙΟΣΥΝΗΣ", "1866", "ΚΑΛΟΚΑΙΡΙΝΟΥ", "ΕΒΑΝΣ", "ΛΕΩΦ. ΙΚΑΡΟΥ", "ΛΕΩΦ. ΚΝΩΣΟΥ",
    "ΜΑΡΤΥΡΩΝ", "ΧΑΝΔΑΚΟΣ", "ΔΟΥΚΟΣ ΜΠΩΦΩΡ",
)
_LARISA_STREETS = (
    "ΠΑΠΑΝΑΣΤΑΣΙΟΥ", "ΚΥΠΡΟΥ", "ΚΟΥΜΑ", "ΑΣΚΛΗΠΙΟΥ", "ΡΟΥΣΒΕΛΤ", "ΗΡΩΩΝ ΠΟΛΥΤΕΧΝΕΙΟΥ", "ΒΟΛΟΥ",
    "ΠΑΝΑΓΟΥΛΗ", "ΜΑΝΔΗΛΑΡΑ",
)
_VOLOS_STREETS = ("ΙΑΣΟΝΟΣ", "ΔΗΜΗΤΡΙΑΔΟΣ", "ΕΡΜΟΥ", "ΚΟΡΑΗ", "ΙΩΛΚΟΥ", "ΑΝΤΩΝΟΠΟΥΛΟΥ", "ΓΑΛΛΙΑΣ")


def _attica(name: str, genitive: str, weight: float, zips, doy: str, streets=()) -> _City:
    """An Attica town: its own office, or since 2024 often ΚΕΦΟΔΕ ΑΤΤΙΚΗΣ (1190)."""
    return _City(name, genitive, weight, zips, ((doy, 4), ("1190", 2)), "1159", streets)


def _town(name: str, genitive: str, weight: float, zips, *doys: str, streets=()) -> _City:
    return _City(name, genitive, weight, zips, tuple((d, 1) for d in doys), None, streets)


_CITIES = (
    _City("ΑΘΗΝΑ", "ΑΘΗΝΩΝ", 22, (
        (10431, 10447), (10551, 10564), (10671, 10683), (11141, 11147), (11251, 11257), (11361, 11364),
        (11471, 11476), (11521, 11528), (11631, 11636), (11741, 11745), (11851, 11855),
    ), (("1101", 3), ("1104", 3), ("1112", 2), ("1113", 2), ("1117", 2), ("1190", 4)), "1159", _ATHENS_STREETS),
    _City("ΠΕΙΡΑΙΑΣ", "ΠΕΙΡΑΙΑ", 5, ((18531, 18548),), (("1201", 4), ("1205", 3), ("1190", 2)), "1206",
          _PIRAEUS_STREETS),
    _attica("ΚΑΛΛΙΘΕΑ", "ΚΑΛΛΙΘΕΑΣ", 3, ((17671, 17676),), "1130", ("ΛΕΩΦ. ΣΥΓΓΡΟΥ", "ΘΗΣΕΩΣ", "ΑΡΓΥΡΟΥΠΟΛΕΩΣ")),
    _attica("ΜΑΡΟΥΣΙ", "ΑΜΑΡΟΥΣΙΟΥ", 3, ((15122, 15125),), "1135",
            ("ΛΕΩΦ. ΚΗΦΙΣΙΑΣ", "ΑΓΙΟΥ ΚΩΝΣΤΑΝΤΙΝΟΥ", "ΑΡΤΕΜΙΔΟΣ", "ΓΡΑΝΙΚΟΥ", "ΕΘΝΙΚΗΣ ΑΝΤΙΣΤΑΣΕΩΣ")),
    _attica("ΚΗΦΙΣΙΑ", "ΚΗΦΙΣΙΑΣ", 2, ((14561, 14564),), "1153", ("ΛΕΩΦ. ΚΗΦΙΣΙΑΣ", "ΤΑΤΟΙΟΥ", "ΔΡΟΣΙΝΗ", "ΛΕΒΙΔΟΥ")),
    _attica("ΓΛΥΦΑΔΑ", "ΓΛΥΦΑΔΑΣ", 2, ((16674, 16675),), "1139", ("ΛΕΩΦ. ΒΟΥΛΙΑΓΜΕΝΗΣ", "ΓΟΥΝΑΡΗ", "ΜΕΤΑΞΑ")),
    _attica("ΠΕΡΙΣΤΕΡΙ", "ΠΕΡΙΣΤΕΡΙΟΥ", 3, ((12131, 12137),), "1158",
            ("ΘΗΒΩΝ", "ΕΘΝ. ΜΑΚΑΡΙΟΥ", "ΠΑΝ. ΤΣΑΛΔΑΡΗ", "ΚΗΠΟΥΠΟΛΕΩΣ")),
    _attica("ΑΙΓΑΛΕΩ", "ΑΙΓΑΛΕΩ", 2, ((12241, 12244),), "1137", ("ΙΕΡΑ ΟΔΟΣ", "ΘΗΒΩΝ", "ΚΗΦΙΣΟΥ")),
    _attica("ΝΕΑ ΙΩΝΙΑ", "ΝΕΑΣ ΙΩΝΙΑΣ", 1.5, ((14231, 14235),), "1131", ("ΗΡΑΚΛΕΙΟΥ", "ΑΓΙΟΥ ΓΕΩΡΓΙΟΥ")),
    _attica("ΧΟΛΑΡΓΟΣ", "ΧΟΛΑΡΓΟΥ", 1.5, ((15561, 15562),), "1151", ("ΜΕΣΟΓΕΙΩΝ", "ΠΕΡΙΚΛΕΟΥΣ")),
    _attica("ΗΛΙΟΥΠΟΛΗ", "ΗΛΙΟΥΠΟΛΗΣ", 1.5, ((16341, 16346),), "1173", ("ΠΡΩΤΟΠΑΠΑΔΑΚΗ", "ΣΟΦ. ΒΕΝΙΖΕΛΟΥ")),
    _attica("ΨΥΧΙΚΟ", "ΨΥΧΙΚΟΥ", 1, ((15451, 15452),), "1175", ("ΛΕΩΦ. ΚΗΦΙΣΙΑΣ", "ΣΤΡ. ΚΑΛΛΑΡΗ")),
    _attica("ΑΓΙΟΙ ΑΝΑΡΓΥΡΟΙ", "ΑΓΙΩΝ ΑΝΑΡΓΥΡΩΝ", 1, ((13561, 13562),), "1136"),
    _attica("ΝΙΚΑΙΑ", "ΝΙΚΑΙΑΣ", 1.5, ((18450, 18454),), "1220", ("ΠΕΤΡΟΥ ΡΑΛΛΗ", "ΠΛΑΣΤΗΡΑ")),
    _attica("ΑΧΑΡΝΑΙ", "ΑΧΑΡΝΩΝ", 1.5, ((13671, 13679),), "1302", ("ΦΙΛΑΔΕΛΦΕΙΑΣ", "ΛΕΩΦ. ΔΕΚΕΛΕΙΑΣ")),
    _attica("ΕΛΕΥΣΙΝΑ", "ΕΛΕΥΣΙΝΑΣ", 0.8, ((19200, 19200),), "1303"),
    _attica("ΚΟΡΩΠΙ", "ΚΟΡΩΠΙΟΥ", 0.8, ((19400, 19400),), "1304"),
    _attica("ΠΑΛΛΗΝΗ", "ΠΑΛΛΗΝΗΣ", 1, ((15351, 15351),), "1312", ("ΛΕΩΦ. ΜΑΡΑΘΩΝΟΣ",)),
    _City("ΘΕΣΣΑΛΟΝΙΚΗ", "ΘΕΣΣΑΛΟΝΙΚΗΣ", 10, (
        (54621, 54646), (54248, 54250), (54351, 54352), (54453, 54454), (54655, 54655),
    ), (("4214", 4), ("4215", 3), ("4217", 3)), "4224", _THESSALONIKI_STREETS),
    _City("ΚΑΛΑΜΑΡΙΑ", "ΚΑΛΑΜΑΡΙΑΣ", 2, ((55131, 55134),), (("4232", 1),), "4224",
          ("ΚΟΜΝΗΝΩΝ", "ΜΕΤΑΜΟΡΦΩΣΕΩΣ", "ΠΟΝΤΟΥ", "ΣΟΦΟΥΛΗ")),
    _City("ΑΜΠΕΛΟΚΗΠΟΙ", "ΑΜΠΕΛΟΚΗΠΩΝ", 1, ((56121, 56123),), (("4233", 1),), "4224"),
    _City("ΕΥΟΣΜΟΣ", "ΕΥΟΣΜΟΥ", 1, ((56224, 56225),), (("4233", 1),), "4224"),
    _town("ΣΙΝΔΟΣ", "ΣΙΝΔΟΥ", 0.7, ((57400, 57400),), "4234"),
    _town("ΛΑΓΚΑΔΑΣ", "ΛΑΓΚΑΔΑ", 0.6, ((57200, 57200),), "4222"),
    _town("ΠΑΤΡΑ", "ΠΑΤΡΩΝ", 4, ((26221, 26226), (26331, 26335), (26441, 26443), (26500, 26504)), "2331", "2334",
          streets=_PATRAS_STREETS),
    _town("ΗΡΑΚΛΕΙΟ", "ΗΡΑΚΛΕΙΟΥ", 4, ((71201, 71202), (71303, 71307), (71409, 71410)), "8110",
          streets=_HERAKLION_STREETS),
    _town("ΛΑΡΙΣΑ", "ΛΑΡΙΣΑΣ", 3, ((41221, 41223), (41334, 41336), (41447, 41447)), "3231", "3232",
          streets=_LARISA_STREETS),
    _town("ΒΟΛΟΣ", "ΒΟΛΟΥ", 2, ((38221, 38222), (38333, 38334), (38445, 38446)), "3321", streets=_VOLOS_STREETS),
    _town("ΙΩΑΝΝΙΝΑ", "ΙΩΑΝΝΙΝΩΝ", 2, ((45221, 45221), (45332, 45333), (45444, 45445)), "6311"),
    _town("ΧΑΝΙΑ", "ΧΑΝΙΩΝ", 1.5, ((73131, 73136),), "8431"),
    _town("ΡΕΘΥΜΝΟ", "ΡΕΘΥΜΝΟΥ", 0.7, ((74100, 74100), (74131, 74132)), "8341"),
    _town("ΑΓΙΟΣ ΝΙΚΟΛΑΟΣ", "ΑΓΙΟΥ ΝΙΚΟΛΑΟΥ", 0.5, ((72100, 72100),), "8221"),
    _town("ΚΑΛΑΜΑΤΑ", "ΚΑΛΑΜΑΤΑΣ", 1, ((24100, 24100), (24131, 24134)), "2711"),
    _town("ΚΑΒΑΛΑ", "ΚΑΒΑΛΑΣ", 1, ((65201, 65201), (65302, 65302), (65403, 65404)), "5321"),
    _town("ΣΕΡΡΕΣ", "ΣΕΡΡΩΝ", 1, ((62121, 62125),), "5621"),
    _town("ΚΟΜΟΤΗΝΗ", "ΚΟΜΟΤΗΝΗΣ", 0.7, ((69100, 69100), (69131, 69133)), "5511"),
    _town("ΞΑΝΘΗ", "ΞΑΝΘΗΣ", 0.7, ((67100, 67100), (67131, 67133)), "5411"),
    _town("ΑΛΕΞΑΝΔΡΟΥΠΟΛΗ", "ΑΛΕΞΑΝΔΡΟΥΠΟΛΗΣ", 0.7, ((68100, 68100), (68131, 68133)), "5211"),
    _town("ΡΟΔΟΣ", "ΡΟΔΟΥ", 1.2, ((85100, 85100), (85131, 85133)), "7542"),
    _town("ΚΩΣ", "ΚΩ", 0.5, ((85300, 85300),), "7531"),
    _town("ΚΕΡΚΥΡΑ", "ΚΕΡΚΥΡΑΣ", 1, ((49100, 49100), (49131, 49132)), "9211"),
    _town("ΧΑΛΚΙΔΑ", "ΧΑΛΚΙΔΑΣ", 1, ((34100, 34100), (34131, 34133)), "1732"),
    _town("ΛΑΜΙΑ", "ΛΑΜΙΑΣ", 0.8, ((35100, 35100), (35131, 35133)), "1832"),
    _town("ΤΡΙΚΑΛΑ", "ΤΡΙΚΑΛΩΝ", 0.8, ((42100, 42100), (42131, 42132)), "3412"),
    _town("ΚΑΡΔΙΤΣΑ", "ΚΑΡΔΙΤΣΑΣ", 0.6, ((43100, 43100), (43131, 43132)), "3111"),
    _town("ΚΑΤΕΡΙΝΗ", "ΚΑΤΕΡΙΝΗΣ", 0.8, ((60100, 60100), (60131, 60134)), "4711"),
    _town("ΚΟΖΑΝΗ", "ΚΟΖΑΝΗΣ", 0.6, ((50100, 50100), (50131, 50132)), "4541"),
    _town("ΒΕΡΟΙΑ", "ΒΕΡΟΙΑΣ", 0.7, ((59100, 59100), (59131, 59132)), "4112"),
    _town("ΔΡΑΜΑ", "ΔΡΑΜΑΣ", 0.6, ((66100, 66100), (66131, 66133)), "5111"),
    _town("ΑΓΡΙΝΙΟ", "ΑΓΡΙΝΙΟΥ", 0.7, ((30100, 30100), (30131, 30133)), "1552"),
    _town("ΤΡΙΠΟΛΗ", "ΤΡΙΠΟΛΗΣ", 0.6, ((22100, 22100), (22131, 22132)), "2231"),
    _town("ΚΟΡΙΝΘΟΣ", "ΚΟΡΙΝΘΟΥ", 0.6, ((20100, 20100), (20131, 20132)), "2513"),
    _town("ΜΥΤΙΛΗΝΗ", "ΜΥΤΙΛΗΝΗΣ", 0.5, ((81100, 81100), (81131, 81132)), "7231"),
    _town("ΧΙΟΣ", "ΧΙΟΥ", 0.4, ((82100, 82100), (82131, 82132)), "7411"),
    _town("ΕΡΜΟΥΠΟΛΗ", "ΕΡΜΟΥΠΟΛΗΣ", 0.3, ((84100, 84100),), "7171"),
    _town("ΝΑΞΟΣ", "ΝΑΞΟΥ", 0.3, ((84300, 84300),), "7151"),
    _town("ΜΥΚΟΝΟΣ", "ΜΥΚΟΝΟΥ", 0.3, ((84600, 84600),), "7172"),
    _town("ΘΗΡΑ", "ΘΗΡΑΣ", 0.4, ((84700, 84700),), "7121"),
    _town("ΝΑΥΠΛΙΟ", "ΝΑΥΠΛΙΟΥ", 0.4, ((21100, 21100),), "2131"),
    _town("ΑΡΓΟΣ", "ΑΡΓΟΥΣ", 0.4, ((21200, 21200),), "2111"),
    _town("ΠΥΡΓΟΣ", "ΠΥΡΓΟΥ", 0.5, ((27100, 27100), (27131, 27132)), "2412"),
    _town("ΑΡΤΑ", "ΑΡΤΑΣ", 0.4, ((47100, 47100), (47131, 47132)), "6111"),
    _town("ΠΡΕΒΕΖΑ", "ΠΡΕΒΕΖΑΣ", 0.4, ((48100, 48100),), "6411"),
    _town("ΖΑΚΥΝΘΟΣ", "ΖΑΚΥΝΘΟΥ", 0.4, ((29100, 29100),), "9111"),
    _town("ΑΡΓΟΣΤΟΛΙ", "ΑΡΓΟΣΤΟΛΙΟΥ", 0.3, ((28100, 28100),), "9311"),
    _town("ΘΗΒΑ", "ΘΗΒΩΝ", 0.4, ((32200, 32200),), "1411"),
    _town("ΛΙΒΑΔΕΙΑ", "ΛΙΒΑΔΕΙΑΣ", 0.4, ((32100, 32100), (32131, 32132)), "1421"),
    _town("ΓΙΑΝΝΙΤΣΑ", "ΓΙΑΝΝΙΤΣΩΝ", 0.4, ((58100, 58100),), "4621"),
    _town("ΚΙΛΚΙΣ", "ΚΙΛΚΙΣ", 0.3, ((61100, 61100),), "4411"),
    _town("ΠΟΛΥΓΥΡΟΣ", "ΠΟΛΥΓΥΡΟΥ", 0.3, ((63100, 63100),), "4922"),
    _town("ΝΕΑ ΜΟΥΔΑΝΙΑ", "ΝΕΩΝ ΜΟΥΔΑΝΙΩΝ", 0.3, ((63200, 63200),), "4923"),
)

_SECTOR_CUM_LEGAL = tuple(itertools.accumulate(sector.weight_legal for sector in _SECTORS))
_SECTOR_CUM_PERSON = tuple(itertools.accumulate(sector.weight_person for sector in _SECTORS))
_CITY_CUM = tuple(itertools.accumulate(city.weight for city in _CITIES))
