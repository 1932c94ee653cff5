"""The fill engine over the in-memory sheet: layout, statuses, conflicts, text safety."""

from __future__ import annotations

import datetime
import math

import pytest

from afm_xl import fill
from afm_xl.afm import normalise
from afm_xl.errors import AuthenticationError, QuotaError
from afm_xl.fields import DEFAULT_FIELDS, FIELDS
from afm_xl.record import Activity, Record
from afm_xl.result import LookupResult
from afm_xl.sheets.memory import MemorySheet
from afm_xl.sheets.port import LOCKED, Block, SheetPort, needs_text_guard

AFM_A, AFM_B, AFM_C = "090000045", "094014201", "090165560"
DEFAULT_HEADERS = [FIELDS[k].header for k in DEFAULT_FIELDS]


def record(afm: str, **changes) -> Record:
    data = dict(
        name=f"ΕΤΑΙΡΕΙΑ {afm}",
        commercial_title="ΤΙΤΛΟΣ",
        legal_form="ΑΕ",
        street="ΑΙΟΛΟΥ",
        street_number="86",
        postal_code="10559",
        city="ΑΘΗΝΑ",
        doy_code="1104",
        doy_name="Δ΄ ΑΘΗΝΩΝ",
        active=True,
        registration_date=datetime.date(2001, 2, 3),
        activities=(Activity("47111000", "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ", 1, "ΚΥΡΙΑ"),),
    )
    data.update(changes)
    return Record(afm, **data)


class Registry:
    """A real lookup function over canned answers: afm → Record or a status; unknown → not_found."""

    def __init__(self, answers: dict | None = None):
        self.answers = answers if answers is not None else {}
        self.batches: list[list] = []

    def __call__(self, values, progress):
        self.batches.append(list(values))
        results = []
        for value in values:
            afm, reason = normalise(value)
            if afm is None:
                results.append(LookupResult.invalid(value, reason))
                continue
            answer = self.answers.get(afm, "not_found")
            if isinstance(answer, Record):
                results.append(LookupResult(value, afm, "ok", answer, source="gsis"))
            elif answer == "failed":
                results.append(LookupResult(value, afm, "failed", None, "TIMEOUT", "Λήξη χρόνου"))
            else:
                results.append(LookupResult(value, afm, answer, None, answer.upper()))
        progress(len(values), len(values), len(values))
        return results

    @property
    def values(self):
        return [v for batch in self.batches for v in batch]


@pytest.fixture
def registry():
    return Registry({AFM_A: record(AFM_A), AFM_B: record(AFM_B), AFM_C: record(AFM_C, active=False)})


def test_memory_sheet_implements_the_port():
    assert isinstance(MemorySheet(), SheetPort)


def test_selection_with_header_fills_default_columns_with_headers(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]], selection="A1:A3")
    report = fill.run(sheet, registry)
    assert sheet.row(1) == ["ΑΦΜ", *DEFAULT_HEADERS]
    assert sheet.row(2) == [AFM_A, f"ΕΤΑΙΡΕΙΑ {AFM_A}", "ΑΙΟΛΟΥ 86", "10559", "ΑΘΗΝΑ", "Δ΄ ΑΘΗΝΩΝ", "OK"]
    assert sheet["G3"] == "OK"
    assert registry.values == [AFM_A, AFM_B]
    assert (report.rows, report.filled, report.header, report.kept) == (2, 2, True, 0)
    assert report.columns == dict(zip(DEFAULT_FIELDS, "BCDEFG"))
    assert all(sheet.format(f"{c}{r}") == "@" for c in "BCDEFG" for r in (2, 3))
    assert len(sheet.writes) == 1  # one rectangle, headers included
    assert sheet.questions == []


def test_selection_without_header_writes_no_header(registry):
    sheet = MemorySheet([[AFM_A], [AFM_B]], selection="A1:A2")
    report = fill.run(sheet, registry)
    assert report.header is False
    assert sheet["B1"] == f"ΕΤΑΙΡΕΙΑ {AFM_A}" and sheet["G2"] == "OK"
    assert sheet.extent() == (2, 7)


def test_a_word_above_afms_is_a_header_but_a_bad_afm_is_not(registry):
    sheet = MemorySheet([["Πελάτες"], [AFM_A]])
    assert fill.run(sheet, registry).header is True
    assert sheet["B1"] == "Επωνυμία"
    sheet = MemorySheet([["12345678"], [AFM_A]])
    report = fill.run(sheet, registry)
    assert report.header is False and report.invalid == 1
    assert sheet["G1"] == "Μη έγκυρος ΑΦΜ"


def test_explicit_header_flag_wins():
    sheet = MemorySheet([["Πελάτες"], ["x"]], header=True)
    report = fill.run(sheet, Registry())
    assert report.header and report.rows == 1 and sheet["G2"] == "Μη έγκυρος ΑΦΜ"


def test_every_status_in_greek():
    answers = {
        "090000045": record("090000045"),
        "094014201": record("094014201", active=False),
        "090165560": "not_business",
        "094019245": "failed",
    }
    values = [["ΑΦΜ"], ["090000045"], ["094014201"], ["123456789"], ["099999902"], ["090165560"], ["094019245"]]
    sheet = MemorySheet(values)
    report = fill.run(sheet, Registry(answers))
    assert sheet.column("G")[1:] == [
        "OK",
        "Απενεργοποιημένος ΑΦΜ",
        "Μη έγκυρος ΑΦΜ",
        "Δεν βρέθηκε",
        "Όχι επιτηδευματίας",
        "Σφάλμα: Λήξη χρόνου",
    ]
    assert (report.filled, report.deactivated, report.invalid, report.not_found) == (2, 1, 1, 1)
    assert (report.not_business, report.failed, report.rows) == (1, 1, 6)
    assert sheet["B3"] == "ΕΤΑΙΡΕΙΑ 094014201"  # a deactivated AFM still gets its record
    assert sheet["B4"] is None and sheet["B7"] is None
    assert "6 ΑΦΜ" in report.summary() and "1 σφάλματα" in report.summary()


def test_conflicts_are_kept_when_the_user_declines(registry):
    sheet = MemorySheet([["ΑΦΜ", "Δικό μου"], [AFM_A, "σημείωση"], [AFM_B]], answer=False)
    report = fill.run(sheet, registry)
    assert sheet.questions == ["2 κελιά έχουν ήδη τιμές. Αντικατάσταση;"]
    assert sheet["B1"] == "Δικό μου" and sheet["B2"] == "σημείωση"
    assert sheet["B3"] == f"ΕΤΑΙΡΕΙΑ {AFM_B}" and sheet["C2"] == "ΑΙΟΛΟΥ 86"
    assert report.kept == 2
    # the runs of column B split around the kept cell: nothing is ever written over it
    assert all(not (col <= 2 < col + len(block[0]) and row <= 2 < row + len(block)) for row, col, block in sheet.writes)


def test_conflicts_are_overwritten_when_the_user_confirms(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A, "σημείωση"]], answer=True)
    report = fill.run(sheet, registry)
    assert sheet.questions == ["1 κελί έχει ήδη τιμή. Αντικατάσταση;"]
    assert sheet["B2"] == f"ΕΤΑΙΡΕΙΑ {AFM_A}" and report.kept == 0


def test_overwrite_flag_asks_nothing(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A, "σημείωση"]])
    fill.run(sheet, registry, overwrite=True)
    assert sheet.questions == [] and sheet["B2"] == f"ΕΤΑΙΡΕΙΑ {AFM_A}"


def test_a_second_run_changes_nothing_and_keeps_an_edited_cell(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]])
    fill.run(sheet, registry)
    writes = len(sheet.writes)
    report = fill.run(sheet, registry)
    assert len(sheet.writes) == writes and sheet.questions == [] and report.cells == 0
    sheet["B2"] = "ΤΟ ΟΝΟΜΑ ΠΟΥ ΘΕΛΩ"
    report = fill.run(sheet, registry)
    assert sheet.questions == ["1 κελί έχει ήδη τιμή. Αντικατάσταση;"]
    assert sheet["B2"] == "ΤΟ ΟΝΟΜΑ ΠΟΥ ΘΕΛΩ" and report.kept == 1


def test_own_status_is_replaced_without_asking(registry):
    sheet = MemorySheet([["ΑΦΜ", "Κατάσταση"], [AFM_A, "Σφάλμα: Λήξη χρόνου"], [AFM_B, "ΠΡΟΣΟΧΗ"]], answer=False)
    fill.run(sheet, registry, ["status"])
    assert sheet["B2"] == "OK"  # afm-xl's own earlier status
    assert sheet["B3"] == "ΠΡΟΣΟΧΗ"  # the user's text
    assert sheet.questions == ["1 κελί έχει ήδη τιμή. Αντικατάσταση;"]


def test_several_blocks_and_blank_cells(registry):
    rows = [["ΑΦΜ"], [AFM_A], [None], ["   "], [AFM_B], [None], [AFM_C]]
    sheet = MemorySheet(rows)
    report = fill.run(sheet, registry)
    assert registry.batches == [[AFM_A, AFM_B, AFM_C]]
    assert sheet.column("G") == ["Κατάσταση", "OK", None, None, "OK", None, "Απενεργοποιημένος ΑΦΜ"]
    assert (report.skipped, report.rows) == (3, 3)
    assert len(sheet.writes) == 1  # the empty rows between the blocks are spanned with None


def test_a_second_afm_header_further_down_starts_another_table(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [None], ["Α.Φ.Μ."], [AFM_B]])
    report = fill.run(sheet, registry)
    assert sheet["B4"] == "Επωνυμία" and sheet["G4"] == "Κατάσταση"
    assert report.rows == 2 and report.invalid == 0


def test_numeric_afms_and_formula_cells(registry):
    sheet = MemorySheet([["ΑΦΜ"], [90000045], [94014201.0], ["=B1"]])
    report = fill.run(sheet, registry)
    assert registry.values == [90000045, 94014201.0, "=B1"]
    assert sheet["G2"] == "OK" and sheet["G3"] == "OK" and sheet["G4"] == "Μη έγκυρος ΑΦΜ"
    assert sheet["A2"] == 90000045 and sheet["A4"] == "=B1"  # the AFM column is never written
    assert report.invalid == 1


def test_odd_cell_values_get_a_status_never_a_crash():
    odd = [True, datetime.date(2020, 1, 1), b"\xff\xfe", "x" * 5000, math.nan, -5, 1e300, "#N/A", object()]
    sheet = MemorySheet([["ΑΦΜ"]] + [[v] for v in odd])
    report = fill.run(sheet, Registry())
    assert report.invalid == len(odd)
    assert sheet.column("G")[1:] == ["Μη έγκυρος ΑΦΜ"] * len(odd)


def test_formula_looking_service_text_is_written_as_text():
    nasty = {
        AFM_A: record(AFM_A, name="=HYPERLINK(\"http://x\",\"κλικ\")", city="+30 ΑΘΗΝΑ", street="-ΑΙΟΛΟΥ"),
        AFM_B: record(AFM_B, name="@SUM(A1)", city="\tΤΑΒ", street="\rCR", street_number=None),
    }
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]])
    fill.run(sheet, Registry(nasty))
    assert sheet["B2"] == "=HYPERLINK(\"http://x\",\"κλικ\")" and sheet.format("B2") == "@"
    assert sheet["E2"] == "+30 ΑΘΗΝΑ" and sheet["C2"] == "-ΑΙΟΛΟΥ 86"
    assert sheet["B3"] == "@SUM(A1)" and sheet["E3"] == "\tΤΑΒ" and sheet["C3"] == "\rCR"
    assert all(needs_text_guard(sheet[ref]) for ref in ("B2", "E2", "C2", "B3", "E3", "C3"))


def test_cell_values_are_sanitised():
    assert fill.cell_value("Α\x00Β\x1fΓ\tΔ") == "ΑΒΓ\tΔ"
    assert len(fill.cell_value("x" * 40000)) == 32767
    assert fill.cell_value(1104) == "1104"
    assert fill.cell_value("\x01") is None


def test_field_list_and_codes_as_text(registry):
    fields = ("main_activity", "legal_form", "doy_code", "active", "commercial_title", "source", "registration_date")
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_C]])
    fill.run(sheet, registry, fields)
    assert sheet.row(1)[1:] == [FIELDS[k].header for k in fields]
    assert sheet.row(2)[1:] == [
        "47111000 ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ", "ΑΕ", "1104", "ΝΑΙ", "ΤΙΤΛΟΣ", "ΑΑΔΕ", datetime.date(2001, 2, 3)
    ]
    assert sheet["E3"] == "ΟΧΙ"
    assert sheet.format("D2") == "@"  # ΔΟΥ code as text
    assert sheet.format("H2") is None  # a real date, not text


def test_unknown_field_is_refused(registry):
    with pytest.raises(ValueError, match="nope"):
        fill.run(MemorySheet([[AFM_A]]), registry, ["name", "nope"])


def test_named_columns_are_filled_in_place(registry):
    header = ["ΑΦΜ", "Επωνυμία", "Κωδ. ΔΟΥ", "Σημειώσεις", "Κατάσταση"]
    sheet = MemorySheet([header, [AFM_A, None, None, "πελάτης"], [AFM_B]])
    report = fill.run(sheet, registry)
    assert report.columns == {"name": "B", "doy_code": "C", "status": "E"}
    assert sheet.row(1) == header  # no header written
    assert sheet.row(2) == [AFM_A, f"ΕΤΑΙΡΕΙΑ {AFM_A}", "1104", "πελάτης", "OK"]
    assert sheet.questions == []


def test_explicit_fields_use_named_columns_and_add_the_rest(registry):
    sheet = MemorySheet([["ΑΦΜ", "Κατάσταση"], [AFM_A]])
    report = fill.run(sheet, registry, ["name", "status"])
    assert report.columns == {"name": "C", "status": "B"}  # B is taken by its header
    assert sheet.row(1) == ["ΑΦΜ", "Κατάσταση", "Επωνυμία"]


def test_a_selection_below_its_header_row_maps_named_columns(registry):
    header = ["ΑΦΜ", "Επωνυμία", "Διακριτικός τίτλος", "Διεύθυνση"]
    sheet = MemorySheet([header, [AFM_A], [AFM_B]], selection="A2:A3")
    report = fill.run(sheet, registry)
    assert report.columns == {"name": "B", "commercial_title": "C", "address": "D"}
    assert sheet["C2"] == "ΤΙΤΛΟΣ" and sheet["D3"] == "ΑΙΟΛΟΥ 86"


def test_free_placement_goes_after_the_used_range(registry):
    sheet = MemorySheet([["ΑΦΜ", "Σχόλιο", None, "Ποσό"], [AFM_A, "x", None, 10]], answer=True)
    report = fill.run(sheet, registry, ["name", "status"], placement="free")
    assert report.columns == {"name": "E", "status": "F"}
    assert sheet.row(2) == [AFM_A, "x", None, 10, f"ΕΤΑΙΡΕΙΑ {AFM_A}", "OK"]
    assert sheet.questions == []


def test_free_placement_uses_the_empty_columns_next_to_the_afms(registry):
    sheet = MemorySheet([["ΑΦΜ", None, None, "Ποσό"], [AFM_A, None, None, 10]])
    report = fill.run(sheet, registry, ["name", "status"], placement="free")
    assert report.columns == {"name": "B", "status": "C"}


def test_locked_cells_are_never_written(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]], locked=["B2"], answer=True)
    report = fill.run(sheet, registry, overwrite=True)
    assert sheet["B2"] is None and sheet["B3"] == f"ΕΤΑΙΡΕΙΑ {AFM_B}" and report.kept == 1


def test_missing_values_never_blank_a_cell():
    sheet = MemorySheet([["ΑΦΜ", "Επωνυμία", "Κατάσταση"], [AFM_A, "ΠΑΛΙΑ ΕΠΩΝΥΜΙΑ", "OK"]])
    report = fill.run(sheet, Registry({AFM_A: "failed"}))
    assert sheet.row(2) == [AFM_A, "ΠΑΛΙΑ ΕΠΩΝΥΜΙΑ", "Σφάλμα: Λήξη χρόνου"]
    assert report.failed == 1 and sheet.questions == []


def test_progress_goes_to_the_status_bar(registry):
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A]])
    report = fill.run(sheet, registry)
    assert sheet.statuses[0] == "Αναζήτηση 1 ΑΦΜ…"
    assert "Αναζήτηση ΑΦΜ: 1/1 (κλήσεις: 1)" in sheet.statuses
    assert sheet.statuses[-1] == report.summary()


def test_an_empty_selection_makes_no_lookup(registry):
    sheet = MemorySheet([["ΑΦΜ"], [None], ["  "]], selection="A1:A3")
    report = fill.run(sheet, registry)
    assert registry.batches == [] and report.rows == 0 and report.skipped == 2
    assert sheet.messages == ["Δεν βρέθηκαν ΑΦΜ στα επιλεγμένα κελιά."]
    assert sheet.writes == []


def test_authentication_error_writes_nothing(registry):
    def refused(values, progress):
        exc = AuthenticationError("Λάθος κωδικοί", code="RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED")
        exc.results = [LookupResult(v, None, "failed", None, "AUTH", "Λάθος κωδικοί") for v in values]
        raise exc

    sheet = MemorySheet([["ΑΦΜ"], [AFM_A]])
    with pytest.raises(AuthenticationError):
        fill.run(sheet, refused)
    assert sheet.writes == []


def test_a_quota_stop_writes_the_rows_answered_before_it(registry):
    def stopped(values, progress):
        results = registry(values, progress)
        exc = QuotaError("Εξαντλήθηκε το ημερήσιο όριο κλήσεων", code="RG_WS_PUBLIC_MAX_DAILY_CALLS")
        exc.results = [results[0]] + [
            LookupResult(v, None, "failed", None, "QUOTA", "Όριο κλήσεων") for v in values[1:]
        ]
        raise exc

    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]])
    report = fill.run(sheet, stopped)
    assert sheet["G2"] == "OK" and sheet["G3"] == "Σφάλμα: Όριο κλήσεων"
    assert isinstance(report.error, QuotaError) and report.failed == 1
    assert sheet.messages == ["Η αναζήτηση σταμάτησε: Εξαντλήθηκε το ημερήσιο όριο κλήσεων"]


def test_a_stop_before_any_answer_is_raised():
    def stopped(values, progress):
        exc = QuotaError("όριο")
        exc.results = [LookupResult(v, None, "failed", None, "QUOTA", "όριο") for v in values]
        raise exc

    sheet = MemorySheet([["ΑΦΜ"], [AFM_A]])
    with pytest.raises(QuotaError):
        fill.run(sheet, stopped)
    assert sheet.writes == []


def test_a_lookup_that_loses_rows_is_a_bug_not_a_fill():
    sheet = MemorySheet([["ΑΦΜ"], [AFM_A], [AFM_B]])
    with pytest.raises(ValueError, match="2 values"):
        fill.run(sheet, lambda values, progress: [])


def test_batch_counters_and_warnings_are_reported(registry):
    class Batch(list):
        calls = 7
        warnings = ["Χρησιμοποιήθηκε το 80% του μηνιαίου ορίου."]

    sheet = MemorySheet([["ΑΦΜ"], [AFM_A]])
    report = fill.run(sheet, lambda values, progress: Batch(registry(values, progress)))
    assert report.calls == 7 and report.warnings == Batch.warnings
    assert sheet.messages == Batch.warnings


def test_plan_is_pure_and_splits_writes_around_kept_cells():
    layout = fill.Layout(1, (2, 3, 4), (1,), (("name", 2), ("status", 3)), (2, 3))
    results = {r: LookupResult(AFM_A, AFM_A, "ok", record(AFM_A)) for r in (2, 3, 4)}
    current = {(3, 2): "κρατημένο"}
    plan = fill.plan(layout, results, current)
    assert [c.ref for c in plan.conflicts] == ["B3"]
    assert [c.ref for c in plan.writes] == ["B1", "B2", "B4", "C1", "C2", "C3", "C4"]
    assert plan.text_columns == {2, 3}
    blocks = plan.blocks()
    assert [(row, col, len(values), len(values[0])) for row, col, values in blocks] == [
        (1, 2, 2, 1), (4, 2, 1, 1), (1, 3, 4, 1)
    ]
    assert [(row, col, len(values), len(values[0])) for row, col, values in plan.blocks(True)] == [(1, 2, 4, 2)]


def test_same_value_and_blank_rules():
    assert fill.same_value(None, None) and fill.same_value("", None)
    assert not fill.same_value(LOCKED, "x")
    assert fill.same_value(True, True) and not fill.same_value(1, True)
    assert not fill.is_blank(LOCKED) and fill.is_blank("\t ")


def test_block_last_row():
    assert Block(3, 1, ("a", "b")).last_row == 4
