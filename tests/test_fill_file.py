"""Workbook-file fill (openpyxl): in place or to a copy, refusals, VBA, atomic save, injection."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from afm_xl import cli
from afm_xl.fields import FIELDS
from afm_xl.sheets.workbook import (
    WorkbookError,
    WorkbookFill,
    fill_workbook,
    find_afm_block,
    inspect_losses,
    lock_files,
)
from test_fill import AFM_A, AFM_B, AFM_C, Registry, record

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
TEMPLATE_HEADERS = ["ΑΦΜ"] + [
    FIELDS[k].header
    for k in ("name", "commercial_title", "address", "postal_code", "city", "doy", "doy_code",
              "main_activity", "status", "source", "fetched_at")
]


@pytest.fixture
def registry():
    return Registry({AFM_A: record(AFM_A), AFM_B: record(AFM_B), AFM_C: record(AFM_C, active=False)})


def plain_book(path: Path, *, afms=(AFM_A, 94014201, None, "123", "=1+1")) -> Path:
    """A user's workbook: AFMs with a note column, styles, a formula, a second sheet, a defined name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Πελάτες"
    ws.append(["ΑΦΜ", "Σημείωση", None, "Ποσό"])
    for index, afm in enumerate(afms):
        ws.append([afm, f"σημ {index}" if index == 0 else None, None, 100 + index])
    ws["A1"].font = Font(bold=True)
    ws["B2"].fill = PatternFill("solid", start_color="FFFF00", end_color="FFFF00")
    ws.column_dimensions["B"].width = 33
    ws["D10"] = "=SUM(D2:D6)"
    ws.merge_cells("F20:G21")
    other = wb.create_sheet("Ρυθμίσεις")
    other["A1"] = "μην αγγίζεις"
    wb.defined_names["ΠΟΣΑ"] = DefinedName("ΠΟΣΑ", attr_text="'Πελάτες'!$D$2:$D$6")
    wb.save(path)
    return path


def rows(path: Path, sheet: int = 0):
    wb = openpyxl.load_workbook(path)
    return [list(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def sheet_xml(path: Path, member: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8")


def rewrite_member(path: Path, member: str, change) -> None:
    """Rewrite one zip member in place (to build what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, change(data) if info.filename == member else data)


# -- in place -------------------------------------------------------------------------------
def test_plain_workbook_is_filled_in_place_keeping_everything_else(tmp_path, registry):
    book = plain_book(tmp_path / "πελάτες.xlsx")
    report = fill_workbook(book, registry)
    # B holds notes and D amounts: the new columns go after the used range (E…), nothing shifts
    assert report.columns == dict(zip(("name", "address", "postal_code", "city", "doy", "status"), "EFGHIJ"))
    table = rows(book)
    assert table[0][:4] == ["ΑΦΜ", "Σημείωση", None, "Ποσό"]
    assert table[0][4:10] == ["Επωνυμία", "Διεύθυνση", "ΤΚ", "Περιοχή", "ΔΟΥ", "Κατάσταση"]
    assert table[1][:4] == [AFM_A, "σημ 0", None, 100]
    assert table[1][4:10] == [f"ΕΤΑΙΡΕΙΑ {AFM_A}", "ΑΙΟΛΟΥ 86", "10559", "ΑΘΗΝΑ", "Δ΄ ΑΘΗΝΩΝ", "OK"]
    assert table[2][0] == 94014201 and table[2][9] == "OK"  # a number AFM, left as it was
    assert table[3][9] is None  # a blank AFM cell gets no status
    assert table[4][9] == "Μη έγκυρος ΑΦΜ" and table[5][9] == "Μη έγκυρος ΑΦΜ"
    assert (report.filled, report.invalid, report.skipped, report.calls) == (2, 2, 1, 2)

    wb = openpyxl.load_workbook(book)
    ws = wb["Πελάτες"]
    assert ws["A6"].value == "=1+1" and ws["A6"].data_type == "f"  # the formula AFM cell is kept
    assert ws["D10"].value == "=SUM(D2:D6)"
    assert ws["A1"].font.b and ws["E1"].font.b  # new headers look like the AFM header
    assert ws["B2"].fill.start_color.rgb == "00FFFF00"
    assert ws.column_dimensions["B"].width == 33
    assert "F20:G21" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["G2"].number_format == "@" and ws["G2"].data_type == "s"  # postal code as text
    assert wb["Ρυθμίσεις"]["A1"].value == "μην αγγίζεις"
    assert wb.defined_names["ΠΟΣΑ"].attr_text == "'Πελάτες'!$D$2:$D$6"
    assert not list(tmp_path.glob(".~afm-xl-*"))


def test_new_columns_go_right_of_the_afms_when_those_are_empty(tmp_path, registry):
    wb = openpyxl.Workbook()
    wb.active.append(["Α.Φ.Μ."])
    wb.active.append([AFM_A])
    wb.active["J1"] = "μακριά"
    wb.save(tmp_path / "b.xlsx")
    report = fill_workbook(tmp_path / "b.xlsx", registry)
    assert report.columns["name"] == "B" and report.columns["status"] == "G"
    assert rows(tmp_path / "b.xlsx")[0][9] == "μακριά"


def test_second_run_keeps_a_cell_the_user_edited(tmp_path, registry):
    book = plain_book(tmp_path / "b.xlsx")
    fill_workbook(book, registry)
    before = book.read_bytes()
    report = fill_workbook(book, registry)  # nothing new: the file is not even rewritten
    assert report.cells == 0 and report.kept == 0 and book.read_bytes() == before

    wb = openpyxl.load_workbook(book)
    wb.active["E2"] = "Η ΕΠΩΝΥΜΙΑ ΜΟΥ"
    wb.save(book)
    job = WorkbookFill.open(book)
    report = job.run(registry)
    assert job.save() is None and report.kept == 1
    assert job.sheet.questions == ["1 κελί έχει ήδη τιμή. Αντικατάσταση;"]  # answered "no"
    assert rows(book)[1][4] == "Η ΕΠΩΝΥΜΙΑ ΜΟΥ"

    report = fill_workbook(book, registry, overwrite=True)
    assert report.kept == 0 and rows(book)[1][4] == f"ΕΤΑΙΡΕΙΑ {AFM_A}"


def test_template_like_sheet_fills_its_named_columns(tmp_path, registry):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(TEMPLATE_HEADERS)
    ws.append([AFM_A])
    ws.append([AFM_C, None, None, None, None, None, None, None, None, None, "δικό μου"])
    for r in range(2, 100):
        ws.cell(row=r, column=1).number_format = "@"
    wb.save(tmp_path / "t.xlsx")
    report = fill_workbook(tmp_path / "t.xlsx", registry)
    table = rows(tmp_path / "t.xlsx")
    assert table[0] == TEMPLATE_HEADERS
    assert table[1][:11] == [
        AFM_A, f"ΕΤΑΙΡΕΙΑ {AFM_A}", "ΤΙΤΛΟΣ", "ΑΙΟΛΟΥ 86", "10559", "ΑΘΗΝΑ", "Δ΄ ΑΘΗΝΩΝ", "1104",
        "47111000 ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ", "OK", "ΑΑΔΕ",
    ]
    assert table[2][9] == "Απενεργοποιημένος ΑΦΜ"
    assert table[2][10] == "δικό μου" and report.kept == 1  # a user's text in «Πηγή» is kept
    assert len(table[0]) == len(TEMPLATE_HEADERS)  # no new columns


def test_the_project_template_fills(tmp_path, registry):
    templates = pytest.importorskip("afm_xl.templates")
    path = templates.write_template("customers", tmp_path / "customers.xlsx", rows=[AFM_A, 90165560])
    assert inspect_losses(path) == []
    report = fill_workbook(path, registry)
    assert report.filled == 2 and report.header
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws["B2"].value == f"ΕΤΑΙΡΕΙΑ {AFM_A}" and ws["J3"].value == "Απενεργοποιημένος ΑΦΜ"
    assert ws.tables and ws.data_validations.dataValidation and len(wb.worksheets) == len(
        templates.build_template("customers").worksheets
    )


def test_explicit_fields_sheet_column_and_header(tmp_path, registry):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "εξώφυλλο"
    data = wb.create_sheet("Δεδομένα")
    data.append(["Κωδικός", "Tax number"])
    data.append(["K1", AFM_A])
    wb.save(tmp_path / "b.xlsx")
    report = fill_workbook(tmp_path / "b.xlsx", registry, ["name", "status"], sheet="δεδομένα", header="TAX NUMBER")
    assert report.header and report.columns == {"name": "C", "status": "D"}
    assert rows(tmp_path / "b.xlsx", 1)[1] == ["K1", AFM_A, f"ΕΤΑΙΡΕΙΑ {AFM_A}", "OK"]
    report = fill_workbook(tmp_path / "b.xlsx", registry, ["doy_code"], sheet="Δεδομένα", column="b")
    assert report.header and report.columns == {"doy_code": "E"}
    with pytest.raises(WorkbookError, match="Δεν υπάρχει φύλλο «Χ».*Δεδομένα"):
        WorkbookFill.open(tmp_path / "b.xlsx", sheet="Χ")
    with pytest.raises(WorkbookError, match="επικεφαλίδα «ΑΦΜ πελάτη»"):
        WorkbookFill.open(tmp_path / "b.xlsx", header="ΑΦΜ πελάτη")
    with pytest.raises(WorkbookError, match="στήλη"):
        WorkbookFill.open(tmp_path / "b.xlsx", sheet="Δεδομένα", column="1")


def test_afm_column_found_without_a_header(tmp_path, registry):
    wb = openpyxl.Workbook()
    ws = wb.active
    for index, afm in enumerate((AFM_A, AFM_B, "x")):
        ws.append([f"όνομα {index}", afm])
    wb.save(tmp_path / "b.xlsx")
    block = find_afm_block(openpyxl.load_workbook(tmp_path / "b.xlsx").active)
    assert (block.row, block.column, block.header) == (1, 2, None)
    report = fill_workbook(tmp_path / "b.xlsx", registry, ["status"])
    assert not report.header and rows(tmp_path / "b.xlsx")[2] == ["όνομα 2", "x", "Μη έγκυρος ΑΦΜ"]


def test_a_sheet_without_afms_is_a_clear_error(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "τίποτα"
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(WorkbookError, match="Δεν βρέθηκε στήλη ΑΦΜ"):
        WorkbookFill.open(tmp_path / "b.xlsx")


def test_merged_target_cells_are_kept(tmp_path, registry):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ΑΦΜ", "Επωνυμία", "Κατάσταση"])
    ws.append([AFM_A])
    ws.append([AFM_B])
    ws["B2"] = "συγχωνευμένο"
    ws.merge_cells("B2:B3")
    wb.save(tmp_path / "b.xlsx")
    report = fill_workbook(tmp_path / "b.xlsx", registry, overwrite=True)
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert ws["B2"].value == f"ΕΤΑΙΡΕΙΑ {AFM_A}"  # the anchor is an ordinary cell
    assert ws["B3"].value is None and "B2:B3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["C3"].value == "OK" and report.kept == 1


def test_rich_text_cells_survive(tmp_path, registry):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    wb.active.append(["ΑΦΜ", "Σημείωση"])
    wb.active.append([AFM_A, CellRichText(["απλό ", TextBlock(InlineFont(b=True), "έντονο")])])
    wb.save(tmp_path / "b.xlsx")
    fill_workbook(tmp_path / "b.xlsx", registry)
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx", rich_text=True).active
    assert isinstance(ws["B2"].value, CellRichText) and str(ws["B2"].value) == "απλό έντονο"


# -- formula injection ----------------------------------------------------------------------
def test_formula_looking_service_text_is_saved_as_text(tmp_path):
    nasty = Registry({AFM_A: record(AFM_A, name="=cmd|' /C calc'!A0", city="@SUM(1)", street="+ΑΙΟΛΟΥ")})
    wb = openpyxl.Workbook()
    wb.active.append(["ΑΦΜ"])
    wb.active.append([AFM_A])
    wb.active.append(["=A2"])
    wb.save(tmp_path / "b.xlsx")
    fill_workbook(tmp_path / "b.xlsx", nasty)
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert ws["B2"].value == "=cmd|' /C calc'!A0" and ws["B2"].data_type == "s"
    assert ws["E2"].value == "@SUM(1)" and ws["C2"].value == "+ΑΙΟΛΟΥ 86"
    assert ws["B2"].number_format == "@"
    xml = sheet_xml(tmp_path / "b.xlsx")
    cell_b2 = re.search(r'<c r="B2"[^>]*>(.*?)</c>', xml).group(1)
    assert "<f>" not in cell_b2 and "<is>" in cell_b2
    assert xml.count("<f>") == 1 and '<c r="A3"><f>A2</f>' in xml  # only the user's own formula


# -- refusals -------------------------------------------------------------------------------
def test_a_workbook_with_a_chart_is_refused_in_place_and_filled_to_a_copy(tmp_path, registry):
    book = plain_book(tmp_path / "γράφημα.xlsx")
    wb = openpyxl.load_workbook(book)
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=4, min_row=1, max_row=6), titles_from_data=True)
    wb.active.add_chart(chart, "L2")
    wb.save(book)
    before = book.read_bytes()
    losses = inspect_losses(book)
    assert "γραφήματα (charts)" in losses

    with pytest.raises(WorkbookError, match=r"γραφήματα \(charts\).*--output") as info:
        fill_workbook(book, registry)
    assert "δεν άλλαξε" in str(info.value)
    assert book.read_bytes() == before and registry.batches == []

    copy = tmp_path / "συμπληρωμένο.xlsx"
    job = WorkbookFill.open(book, output=copy)
    assert job.losses == losses
    job.run(registry)
    assert job.save() == copy
    assert book.read_bytes() == before
    assert rows(copy)[1][9] == "OK"


@pytest.mark.parametrize(
    "kind, expected",
    [("comment", "σχόλια"), ("extension", "επικύρωση δεδομένων (επέκταση x14)"), ("image", "εικόνες (media)")],
)
def test_other_parts_openpyxl_would_drop_are_named(tmp_path, kind, expected):
    book = plain_book(tmp_path / "b.xlsx")
    if kind == "comment":
        wb = openpyxl.load_workbook(book)
        wb.active["B3"].comment = Comment("προσοχή", "λογιστής")
        wb.save(book)
    elif kind == "extension":
        ext = (
            b'<extLst><ext uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}" '
            b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
            b'<x14:dataValidations count="0"/></ext></extLst></worksheet>'
        )
        rewrite_member(book, "xl/worksheets/sheet1.xml", lambda data: data.replace(b"</worksheet>", ext))
    else:
        with zipfile.ZipFile(book, "a") as archive:
            archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
    losses = inspect_losses(book)
    assert any(expected in text for text in losses)
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match=re.escape(expected)):
        WorkbookFill.open(book)
    assert book.read_bytes() == before


def test_xlsm_keeps_its_vba_byte_for_byte(tmp_path, registry):
    import xlwings

    original = Path(xlwings.__file__).with_name("quickstart.xlsm")
    with zipfile.ZipFile(original) as archive:
        vba = archive.read("xl/vbaProject.bin")
    book = tmp_path / "μακρο.xlsm"
    shutil.copy(original, book)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb.worksheets[0]["A1"] = "ΑΦΜ"
    wb.worksheets[0]["A2"] = AFM_A
    wb.save(book)
    assert inspect_losses(book) == []

    report = fill_workbook(book, registry)
    assert report.filled == 1
    with zipfile.ZipFile(book) as archive:
        assert archive.read("xl/vbaProject.bin") == vba
        content_types = archive.read("[Content_Types].xml").decode()
    assert "macroEnabled" in content_types and "vbaProject" in content_types
    assert rows(book)[1][:2] == [AFM_A, f"ΕΤΑΙΡΕΙΑ {AFM_A}"]
    with pytest.raises(WorkbookError, match="κατάληξη"):
        WorkbookFill.open(book, output=tmp_path / "χωρίς-μακρο.xlsx")


@pytest.mark.parametrize("lock", ["~$b.xlsx", ".~lock.b.xlsx#"])
def test_a_workbook_open_in_excel_is_refused(tmp_path, registry, lock):
    book = plain_book(tmp_path / "b.xlsx")
    (tmp_path / lock).write_bytes(b"owner")
    assert lock_files(book) == [tmp_path / lock]
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match="είναι ανοιχτό"):
        fill_workbook(book, registry)
    assert book.read_bytes() == before and registry.batches == []


@pytest.mark.parametrize(
    "name, words",
    [("old.xls", "97–2003"), ("calc.ods", "LibreOffice"), ("list.csv", "lookup --file"), ("b.xlsb", "xlsb"),
     ("notes.txt", "Μη υποστηριζόμενος")],
)
def test_other_formats_get_a_clear_error(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(WorkbookError, match=re.escape(words)):
        WorkbookFill.open(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(WorkbookError, match="Δεν βρέθηκε το αρχείο"):
        WorkbookFill.open(tmp_path / "λείπει.xlsx")
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(os.urandom(3000))
    with pytest.raises(WorkbookError, match="δεν είναι έγκυρο βιβλίο"):
        WorkbookFill.open(garbage)
    truncated = tmp_path / "truncated.xlsx"
    data = plain_book(tmp_path / "whole.xlsx").read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookError, match="δεν είναι έγκυρο βιβλίο"):
        WorkbookFill.open(truncated)
    hollow = tmp_path / "hollow.xlsx"
    with zipfile.ZipFile(hollow, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(WorkbookError, match="δεν διαβάζεται"):
        WorkbookFill.open(hollow)
    with pytest.raises(WorkbookError, match="δεν είναι αρχείο"):
        WorkbookFill.open(tmp_path.joinpath("dir.xlsx").mkdir() or tmp_path / "dir.xlsx")


# -- atomic save ----------------------------------------------------------------------------
SAVE_SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from test_fill import Registry, record
    from afm_xl.sheets.workbook import WorkbookError, fill_workbook

    registry = Registry({{"090000045": record("090000045")}})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    try:
        fill_workbook(sys.argv[1], registry)
    except WorkbookError as exc:
        print(exc)
        sys.exit(7)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file-size limits")
def test_a_failed_save_leaves_the_original_intact(tmp_path):
    book = plain_book(tmp_path / "b.xlsx", afms=[AFM_A] * 300)
    before = book.read_bytes()
    script = SAVE_SCRIPT.format(root=str(ROOT), tests=str(TESTS))
    done = subprocess.run(
        [sys.executable, "-c", script, str(book)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 7, done.stderr
    assert "απέτυχε" in done.stdout and "δεν άλλαξε" in done.stdout
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]  # no temporary file left behind


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{root!r}, {tests!r}]
    from test_fill import Registry, record
    from afm_xl.sheets.workbook import fill_workbook

    fill_workbook(sys.argv[1], Registry({{"090000045": record("090000045")}}))
    """
)


def test_a_kill_during_the_save_leaves_a_whole_workbook(tmp_path):
    import time

    book = plain_book(tmp_path / "b.xlsx", afms=[AFM_A] * 3000)
    before = book.read_bytes()
    script = KILL_SCRIPT.format(root=str(ROOT), tests=str(TESTS))
    process = subprocess.Popen([sys.executable, "-c", script, str(book)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            partial = [p for p in tmp_path.glob(".~afm-xl-*") if p.stat().st_size > 0]
            if partial:  # the new workbook is being written: kill the process mid-way
                process.kill()
                break
            time.sleep(0.001)
    finally:
        process.kill()
        process.wait()
    # whatever the moment of the kill, the workbook is the old one or the whole new one
    after = book.read_bytes()
    assert after == before or rows(book)[3000][9] == "OK"
    assert rows(book)[0][0] == "ΑΦΜ"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_directory_is_a_clear_error(tmp_path, registry):
    book = plain_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(WorkbookError, match="αποθήκευση"):
            fill_workbook(book, registry)
    finally:
        tmp_path.chmod(0o755)
    assert book.read_bytes() == before


def test_saving_keeps_the_file_mode(tmp_path, registry):
    book = plain_book(tmp_path / "b.xlsx")
    book.chmod(0o640)
    fill_workbook(book, registry)
    assert book.stat().st_mode & 0o777 == 0o640


# -- the command ----------------------------------------------------------------------------
def test_cli_refusals_exit_1_with_a_message(tmp_path, capsys):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli.main(["fill", str(tmp_path / "old.xls")]) == 1
    assert ".xls (Excel 97–2003)" in capsys.readouterr().err
    assert cli.main(["fill", str(tmp_path / "λείπει.xlsx")]) == 1
    assert "Δεν βρέθηκε το αρχείο" in capsys.readouterr().err
    book = plain_book(tmp_path / "b.xlsx")
    (tmp_path / "~$b.xlsx").write_bytes(b"x")
    assert cli.main(["fill", str(book)]) == 1
    assert "ανοιχτό" in capsys.readouterr().err


def test_cli_usage_errors(tmp_path, capsys):
    book = plain_book(tmp_path / "b.xlsx")
    assert cli.main(["fill", str(book), "--fields", "name,σκουπίδι"]) == 2
    assert "σκουπίδι" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        cli.main(["fill", str(book), "--column", "A", "--header", "ΑΦΜ"])
    assert info.value.code == 2


def test_cli_without_codes_exits_3_and_leaves_the_file(tmp_path, capsys):
    pytest.importorskip("afm_xl.lookups")
    book = plain_book(tmp_path / "b.xlsx")
    before = book.read_bytes()
    assert cli.main(["fill", str(book), "--endpoint", "http://127.0.0.1:9/", "-q"]) == 3
    assert "afm-xl login" in capsys.readouterr().err
    assert book.read_bytes() == before


# -- the command against the emulator -------------------------------------------------------
@pytest.fixture
def service(emulator, demo_credentials, monkeypatch):
    """The emulator, with the demo codes and its URL in the environment."""
    pytest.importorskip("afm_xl.emulator.registry")
    monkeypatch.setenv("AFM_XL_USERNAME", demo_credentials.username)
    monkeypatch.setenv("AFM_XL_PASSWORD", demo_credentials.password)
    monkeypatch.setenv("AFM_XL_ENDPOINT", emulator.url)
    return emulator


def test_cli_fills_a_workbook_through_the_emulator(tmp_path, service, capsys):
    afms = ("094014201", 90000045, None, "123", "090165560", " 094-014-201 ")
    book = plain_book(tmp_path / "b.xlsx", afms=afms)
    assert cli.main(["fill", str(book), "-q"]) == 0
    out = capsys.readouterr().out
    assert "Στήλες: Επωνυμία → E" in out and "Κλήσεις υπηρεσίας:" in out and "Αποθηκεύτηκε:" in out
    assert service.stats()["total_calls"] == 3  # the duplicate and the invalid AFM cost nothing
    table = rows(book)
    statuses = [table[r][9] for r in range(1, 7)]
    assert statuses[2] is None and statuses[3] == "Μη έγκυρος ΑΦΜ"
    assert all(statuses[i] for i in (0, 1, 4, 5))
    assert table[1][4] and table[1][4] == table[6][4]  # the same AFM typed twice, the same name
    assert table[1][:4] == ["094014201", "σημ 0", None, 100]

    assert cli.main(["fill", str(book), "-q"]) == 0  # from the cache: no call, nothing to write
    assert service.stats()["total_calls"] == 3
    assert "Καμία αλλαγή" in capsys.readouterr().out


def test_cli_quota_stop_writes_the_answered_rows_and_exits_4(tmp_path, service, capsys):
    service.knobs.daily_limit = 1
    book = plain_book(tmp_path / "b.xlsx", afms=("094014201", "090000045", "090165560"))
    assert cli.main(["fill", str(book), "-q"]) == 4
    captured = capsys.readouterr()
    assert "Αποθηκεύτηκε:" in captured.out
    statuses = [row[9] for row in rows(book)[1:4]]
    assert sum(s is not None and not s.startswith("Σφάλμα") for s in statuses) >= 1
    assert any(s and s.startswith("Σφάλμα") for s in statuses)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_symbolic_link_is_followed_not_replaced(tmp_path, registry):
    real = plain_book(tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    fill_workbook(link, registry)
    assert link.is_symlink() and rows(real)[1][9] == "OK"
