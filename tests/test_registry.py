"""The emulator's synthetic registry: size, determinism, validity, documented records, quirks."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum.gr import vat

from afm_xl.emulator.registry import (
    BASIC_FIELDS,
    KIND_NAMES,
    LAST_DATE,
    PUBLIC_AFMS,
    QUIRK_LABELS,
    Entry,
    Registry,
    _doy_names,
    default_registry,
)

ROOT = Path(__file__).resolve().parent.parent
DOY_CODES = {row["code"] for row in csv.DictReader((ROOT / "afm_xl" / "data" / "doy.csv").open(encoding="utf-8"))}
CHAR_WIDTHS = {"i_ni_flag_descr": 5, "deactivation_flag_descr": 21, "firm_flag_descr": 20, "postal_address_no": 9}
ADDRESS_FIELDS = ("postal_address", "postal_address_no", "postal_zip_code", "postal_area_description")
# Where the main cities' postcodes start (the registry must not put Athens in 54xxx).
POSTCODE_PREFIXES = {
    "ΑΘΗΝΑ": ("10", "11"), "ΘΕΣΣΑΛΟΝΙΚΗ": ("54", "55", "56"), "ΠΑΤΡΑ": ("26",), "ΗΡΑΚΛΕΙΟ": ("71",),
    "ΛΑΡΙΣΑ": ("41",), "ΠΕΙΡΑΙΑΣ": ("185",), "ΒΟΛΟΣ": ("38",), "ΙΩΑΝΝΙΝΑ": ("45",),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return default_registry()


@pytest.fixture(scope="module")
def businesses(registry) -> list[Entry]:
    return [registry.get(afm) for afm in registry.existing_afms(10**6)]


def text(value: str | None) -> str:
    return (value or "").strip()


# -- size and shape -----------------------------------------------------------------------------------
def test_counts(registry):
    existing = registry.existing_afms(10**6)
    individuals = registry.individual_afms(10**6)
    deactivated = registry.deactivated_afms(10**6)
    assert len(existing) >= 20_000
    assert 0.04 <= len(individuals) / len(registry) <= 0.06
    assert 0.04 <= len(deactivated) / len(existing) <= 0.06
    assert len(registry) == len(existing) + len(individuals) + len(registry.quirk_afms())
    assert existing[:3] == list(PUBLIC_AFMS)
    assert registry.existing_afms(5) == existing[:5]


def test_a_small_registry_has_the_sizes_asked_for():
    small = Registry(seed=7, businesses=200, individuals=10, deactivated_share=0.5)
    assert len(small.existing_afms(10**6)) == 3 + 200
    assert len(small.individual_afms(10**6)) == 10
    assert 60 <= len(small.deactivated_afms(10**6)) <= 140
    assert set(small.existing_afms(10**6)).isdisjoint(Registry(seed=8, businesses=200).existing_afms(10**6)[3:])
    with pytest.raises(ValueError):
        Registry(businesses=-1)


def test_limits_are_forgiving(registry):
    assert registry.existing_afms(0) == [] and registry.existing_afms(-5) == []
    assert registry.individual_afms("x") == [] and registry.deactivated_afms(None) == []
    assert registry.unknown_afms(float("inf")) == []
    assert len(registry.unknown_afms("3")) == 3


# -- AFMs --------------------------------------------------------------------------------------------
def test_every_afm_is_valid_and_the_categories_are_disjoint(registry):
    existing = set(registry.existing_afms(10**6))
    individuals = set(registry.individual_afms(10**6))
    deactivated = set(registry.deactivated_afms(10**6))
    quirks = list(registry.quirk_afms().values())
    unknown = registry.unknown_afms(2_000)
    for afm in [*existing, *individuals, *quirks, *unknown]:
        assert len(afm) == 9 and afm.isdigit() and afm != "000000000" and vat.is_valid(afm), afm
    assert len(set(quirks)) == len(quirks) == len(QUIRK_LABELS)
    assert len(set(unknown)) == len(unknown)
    assert existing.isdisjoint(individuals)
    assert existing.isdisjoint(quirks) and individuals.isdisjoint(quirks)
    assert deactivated <= existing
    assert not any(afm in registry for afm in unknown)
    assert all(afm in registry for afm in quirks)


def test_legal_entities_mostly_start_with_0_and_people_with_0_or_1(registry, businesses):
    legal = [e.afm for e in businesses if text(e.basic["i_ni_flag_descr"]) == "ΜΗ ΦΠ"]
    people = [e.afm for e in businesses if text(e.basic["i_ni_flag_descr"]) == "ΦΠ"]
    people += registry.individual_afms(10**6)
    assert sum(afm.startswith(("08", "09")) for afm in legal) / len(legal) > 0.6
    assert all(afm[0] in "01" and not afm.startswith(("08", "09")) for afm in people)


def test_get_of_an_unknown_or_bad_afm_is_none(registry):
    for value in ["123456789", "000000000", "", " 094014201", "094014201 ", None, 94014201, b"094014201"]:
        assert registry.get(value) is None
        assert value not in registry
    assert registry.get(registry.unknown_afms(1)[0]) is None


def test_entries_are_fresh_and_frozen(registry):
    entry = registry.get("094014201")
    entry.basic["onomasia"] = "ΑΛΛΟ"
    assert registry.get("094014201").basic["onomasia"].startswith("ΤΡΑΠΕΖΑ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.kind = "individual"
    synthetic = registry.existing_afms(10)[5]
    assert registry.get(synthetic) == registry.get(synthetic)


def test_individuals_have_no_record(registry):
    for afm in registry.individual_afms(50):
        entry = registry.get(afm)
        assert entry.kind == "individual" and entry.afm == afm
        assert list(entry.basic) == list(BASIC_FIELDS) and set(entry.basic.values()) == {None}
        assert entry.activities == ()


# -- determinism --------------------------------------------------------------------------------------
def _digest(registry: Registry) -> str:
    afms = registry.existing_afms(400) + registry.individual_afms(50) + list(registry.quirk_afms().values())
    parts = [repr(registry.get(afm)) for afm in afms]
    parts += registry.unknown_afms(50) + registry.deactivated_afms(50)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_two_builds_are_equal():
    first, second = Registry(), Registry()
    assert first.existing_afms(10**6) == second.existing_afms(10**6)
    assert first.individual_afms(10**6) == second.individual_afms(10**6)
    assert first.deactivated_afms(10**6) == second.deactivated_afms(10**6)
    assert first.unknown_afms(100) == second.unknown_afms(100)
    assert _digest(first) == _digest(second)


@pytest.mark.parametrize("hash_seed", ["0", "4242"])
def test_the_registry_does_not_depend_on_the_hash_seed(hash_seed):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_registry as t; "
        "from afm_xl.emulator.registry import Registry; print(t._digest(Registry()))"
    )
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "tests")], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == _digest(Registry())


# -- the documented public records ----------------------------------------------------------------------
def test_national_bank_as_documented(registry):
    entry = registry.get("094014201")
    assert entry.kind == "business"
    assert entry.basic == {
        "afm": "094014201", "doy": "1159", "doy_descr": "ΦΑΕ ΑΘΗΝΩΝ", "i_ni_flag_descr": "ΜΗ ΦΠ",
        "deactivation_flag": "1", "deactivation_flag_descr": "ΕΝΕΡΓΟΣ ΑΦΜ", "firm_flag_descr": "ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ",
        "onomasia": "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ", "commer_title": None,
        "legal_status_descr": "ΑΕ", "postal_address": "ΑΙΟΛΟΥ", "postal_address_no": "86",
        "postal_zip_code": "10559", "postal_area_description": "ΑΘΗΝΑ", "regist_date": "1900-01-01",
        "stop_date": None, "normal_vat_system_flag": "Y",
    }
    assert entry.activities == (
        (64191204, "ΥΠΗΡΕΣΙΕΣ ΤΡΑΠΕΖΩΝ", "1", "ΚΥΡΙΑ"),
        (66221001, "ΥΠΗΡΕΣΙΕΣ ΑΣΦΑΛΙΣΤΙΚΟΥ ΠΡΑΚΤΟΡΑ ΚΑΙ ΑΣΦΑΛΙΣΤΙΚΟΥ ΣΥΜΒΟΥΛΟΥ", "2", "ΔΕΥΤΕΡΕΥΟΥΣΑ"),
    )


def test_power_corporation_as_documented(registry):
    entry = registry.get("090000045")
    basic = entry.basic
    assert basic["onomasia"] == "ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ ΑΝΩΝΥΜΗ ΕΤΑΙΡΙΑ"
    assert basic["commer_title"] == "Δ.Ε.Η. Α.Ε.   -  Δ.Ε.Η."  # the runs of spaces are the service's
    assert [basic[f] for f in ADDRESS_FIELDS] == ["ΧΑΛΚΟΚΟΝΔΥΛΗ", "30", "10432", "ΑΘΗΝΑ"]
    assert basic["legal_status_descr"] == "ΑΕ" and basic["i_ni_flag_descr"] == "ΜΗ ΦΠ"
    assert basic["doy"] in DOY_CODES and basic["deactivation_flag"] == "1"
    kinds = [kind for _, _, kind, _ in entry.activities]
    assert kinds.count("1") == 1 and kinds.count("2") == 10 and len(kinds) == 11
    assert (5200000, "ΕΞΟΡΥΞΗ ΛΙΓΝΙΤΗ", "2", "ΔΕΥΤΕΡΕΥΟΥΣΑ") in entry.activities


def test_ministry_exactly_as_in_the_sample(registry):
    entry = registry.get("090165560")
    assert entry.basic == {
        "afm": "090165560", "doy": "1104", "doy_descr": "Δ΄ ΑΘΗΝΩΝ", "i_ni_flag_descr": "ΜΗ ΦΠ",
        "deactivation_flag": "1", "deactivation_flag_descr": "ΕΝΕΡΓΟΣ ΑΦΜ", "firm_flag_descr": "ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ",
        "onomasia": "ΥΠΟΥΡΓΕΙΟ ΟΙΚΟΝΟΜΙΚΩΝ ΓΕΝΙΚΗ   ΔIEYΘΥΝΣΗ  Δ ΚΗΣΥΠ ΞΗΣ Δ ΟΙΚ", "commer_title": None,
        "legal_status_descr": "ΔΗΜΟΣΙΑ ΥΠΗΡΕΣΙΑ", "postal_address": "Κ ΣΕΡΒΙΑΣ", "postal_address_no": "10",
        "postal_zip_code": "10110", "postal_area_description": "ΑΘΗΝΑ", "regist_date": "1993-02-08",
        "stop_date": None, "normal_vat_system_flag": "N",
    }
    assert "I" in entry.basic["onomasia"]  # the Latin homoglyphs of the sample stay
    assert entry.activities == ((84111000, "ΓΕΝΙΚΕΣ ΔΗΜΟΣΙΕΣ ΥΠΗΡΕΣΙΕΣ", "1", "ΚΥΡΙΑ"),)


# -- the quirk records ----------------------------------------------------------------------------------
def test_quirk_records(registry):
    quirks = registry.quirk_afms()
    assert list(quirks) == list(QUIRK_LABELS)
    get = {label: registry.get(afm) for label, afm in quirks.items()}
    assert all(entry.kind == "business" for entry in get.values())

    last = get["main_activity_last"].activities
    assert len(last) > 1 and last[-1][2] == "1" and all(kind != "1" for _, _, kind, _ in last[:-1])

    main = next(a for a in get["kad_in_description"].activities if a[2] == "1")
    assert main[0] < 10_000_000 and main[1].startswith("47913100 ")

    padded = get["afm_padded"].basic
    assert padded["afm"] == quirks["afm_padded"] + "   "
    for field, width in CHAR_WIDTHS.items():
        assert len(padded[field]) == width, field

    ceased = get["ceased_no_address"]
    assert all(ceased.basic[f] is None for f in ADDRESS_FIELDS) and ceased.activities == ()
    assert ceased.deactivated and ceased.basic["stop_date"]

    names = {label: entry.basic["onomasia"] for label, entry in get.items()}
    assert names["formula_name"].startswith('=HYPERLINK("http://x","y")')
    assert names["plus_name"].startswith("+30 ")
    assert names["minus_name"].startswith("-")
    assert names["at_name"].startswith("@")
    assert names["tab_name"].startswith("\t")
    assert names["xml_specials"] == 'Α & Β <ΤΕΣΤ> "Ο.Ε."'
    assert len(names["long_name"]) == 120 and not names["long_name"].endswith(" ")
    assert get["placeholder_date"].basic["regist_date"] == "1900-01-01"


def test_quirk_records_are_not_in_the_plain_lists(registry):
    quirks = set(registry.quirk_afms().values())
    assert quirks.isdisjoint(registry.existing_afms(10**6))
    assert quirks.isdisjoint(registry.deactivated_afms(10**6))


# -- synthetic records ------------------------------------------------------------------------------------
def test_records_have_the_shape_the_service_sends(businesses):
    doy_names = _doy_names()
    for entry in businesses:
        basic = entry.basic
        assert entry.kind == "business" and list(basic) == list(BASIC_FIELDS)
        assert basic["afm"].rstrip() == entry.afm and len(basic["afm"]) in (9, 12)
        for field, width in CHAR_WIDTHS.items():
            value = basic[field]
            assert value is None or len(value.rstrip()) <= len(value) <= max(width, len(value.rstrip()))
        assert basic["doy"] in DOY_CODES and basic["doy_descr"] == doy_names[basic["doy"]]
        natural = text(basic["i_ni_flag_descr"]) == "ΦΠ"
        assert natural or text(basic["i_ni_flag_descr"]) == "ΜΗ ΦΠ"
        if natural:
            assert basic["legal_status_descr"] is None and len(basic["onomasia"].split()) >= 3
        else:
            assert basic["legal_status_descr"]
        if entry.deactivated:
            assert text(basic["deactivation_flag_descr"]) == "ΑΠΕΝΕΡΓΟΠΟΙΗΜΕΝΟΣ ΑΦΜ"
            assert text(basic["firm_flag_descr"]) == "ΠΡΩΗΝ ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ"
            assert basic["stop_date"] and basic["stop_date"] > basic["regist_date"]
        else:
            assert basic["deactivation_flag"] == "1" and text(basic["deactivation_flag_descr"]) == "ΕΝΕΡΓΟΣ ΑΦΜ"
            assert basic["stop_date"] is None
        for field in ("regist_date", "stop_date"):
            if basic[field]:
                assert datetime.date.fromisoformat(basic[field]) <= LAST_DATE
        assert basic["normal_vat_system_flag"] in ("Y", "N")
        assert 0 < len(basic["onomasia"]) <= 120
        assert basic["commer_title"] is None or 0 < len(basic["commer_title"]) <= 80
        zip_code, city = basic["postal_zip_code"], basic["postal_area_description"]
        if zip_code is not None:
            assert len(zip_code) == 5 and zip_code.isdigit()
            assert zip_code.startswith(POSTCODE_PREFIXES.get(city, ("",))), (city, zip_code)
        if entry.activities:
            assert [kind for _, _, kind, _ in entry.activities].count("1") == 1
        for code, descr, kind, kind_descr in entry.activities:
            assert isinstance(code, int) and 0 < code < 100_000_000 and descr
            assert KIND_NAMES[kind] == kind_descr


def test_records_look_greek(businesses):
    forms = {text(e.basic["legal_status_descr"]) for e in businesses}
    assert {"ΑΕ", "ΕΠΕ", "ΙΚΕ", "ΟΕ", "ΕΕ"} <= forms
    names = [e.basic["onomasia"] for e in businesses]
    assert any(n.startswith("ΑΦΟΙ ") and n.endswith(" Ο.Ε.") for n in names)
    assert any(n.endswith(" ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ") for n in names)
    assert len({e.basic["postal_area_description"] for e in businesses}) >= 30
    assert len({e.activities[0][0] for e in businesses if e.activities}) >= 30


def test_some_records_carry_each_quirk_of_the_wire(businesses):
    def share(predicate) -> float:
        return sum(1 for e in businesses if predicate(e)) / len(businesses)

    padded = lambda e: e.basic["deactivation_flag_descr"] != text(e.basic["deactivation_flag_descr"])  # noqa: E731
    assert 0.2 < share(padded) < 0.8
    assert 0.02 < share(lambda e: len(e.basic["afm"]) == 12) < 0.5
    assert 0.005 < share(lambda e: "  " in e.basic["onomasia"]) < 0.2
    assert share(lambda e: len(e.activities) > 1 and e.activities[0][2] != "1") > 0.02
    assert share(lambda e: any(code < 10_000_000 for code, *_ in e.activities)) > 0.002
    assert share(lambda e: "&" in e.basic["onomasia"]) > 0.01
    assert share(lambda e: e.basic["regist_date"] == "1900-01-01") > 0.005
    assert share(lambda e: e.basic["commer_title"] is None) > 0.5
    assert share(lambda e: e.basic["normal_vat_system_flag"] == "N") > 0.03
    assert share(lambda e: text(e.basic["i_ni_flag_descr"]) == "ΦΠ") > 0.2
    assert share(lambda e: any(kind in "34" for _, _, kind, _ in e.activities)) > 0.02


def test_doy_names_as_the_service_spells_them():
    names = _doy_names()
    assert names["1104"] == "Δ΄ ΑΘΗΝΩΝ" and names["2334"] == "Γ΄ ΠΑΤΡΩΝ" and names["1112"] == "ΙΒ΄ ΑΘΗΝΩΝ"
    assert names["1159"] == "ΦΑΕ ΑΘΗΝΩΝ" and names["1117"] == "ΙΖ ΑΘΗΝΩΝ"
    assert names["1118"] == "ΚΕΝΤΡΟ ΕΛΕΓΧΟΥ ΜΕΓΑΛΩΝ ΕΠΙΧΕΙΡΗΣΕΩΝ"
    assert names["1145"] == "Ν.ΗΡΑΚΛΕΙΟΥ" and names["7531"] == "ΚΩ" and names["1190"] == "ΚΕΦΟΔΕ ΑΤΤΙΚΗΣ"
    assert set(names) == DOY_CODES


# -- through the emulator and the client --------------------------------------------------------------------
def test_records_survive_the_wire(client, registry):
    quirks = registry.quirk_afms()
    ok = client.lookup("090000045")
    assert ok.status == "ok" and ok.record.commercial_title == "Δ.Ε.Η. Α.Ε. - Δ.Ε.Η."
    assert "05200000" in [a.code for a in ok.record.activities]

    padded = client.lookup(quirks["afm_padded"]).record
    assert padded.afm == quirks["afm_padded"] and padded.natural_person is True
    assert client.lookup(quirks["main_activity_last"]).record.main_activity.code == "47913100"
    assert client.lookup(quirks["kad_in_description"]).record.main_activity.code == "47913100"
    assert client.lookup(quirks["xml_specials"]).record.name == 'Α & Β <ΤΕΣΤ> "Ο.Ε."'
    ceased = client.lookup(quirks["ceased_no_address"]).record
    assert ceased.active is False and ceased.address is None and ceased.activities == ()

    dead = client.lookup(registry.deactivated_afms(1)[0])
    assert dead.status == "ok" and dead.record.active is False and dead.record.stop_date
    assert client.lookup(registry.individual_afms(1)[0]).status == "not_business"
    assert client.lookup(registry.unknown_afms(1)[0]).status == "not_found"
