"""The offline template workbooks (afm_xl.templates) and ``afm-xl template``."""

from __future__ import annotations

import csv
import datetime
import io
import math
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from stdnum.gr import vat

from afm_xl import templates
from afm_xl.afm import normalise
from afm_xl.cli import main as cli_main
from afm_xl.fields import FIELDS, field_for_header, is_afm_header
from afm_xl.templates import (
    DATA_ROWS,
    KINDS,
    TEMPLATE_FIELDS,
    TEMPLATE_HEADERS,
    afm_check_formula,
    afm_invalid_formula,
    build_template,
    workbook_bytes,
    write_template,
)
from bad_input import CASES

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbook_templates"
LAST_ROW = DATA_ROWS + 1
INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Each kind built, saved and loaded back: {kind: openpyxl workbook}."""
    folder = tmp_path_factory.mktemp("templates")
    return {kind: openpyxl.load_workbook(write_template(kind, folder / f"{kind}.xlsx")) for kind in KINDS}


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


# -- determinism: the committed files are a fresh build -----------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_committed_template_equals_a_fresh_build(kind):
    committed = (COMMITTED / f"{kind}.xlsx").read_bytes()
    fresh = workbook_bytes(build_template(kind))
    # Member by member: the deflate bytes may differ between zlib builds, the content may not.
    assert zip_members(committed) == zip_members(fresh), (
        "workbook_templates/ is stale: run `python -m afm_xl.templates workbook_templates`"
    )


def test_build_is_byte_for_byte_deterministic():
    first = workbook_bytes(build_template("customers"))
    second = workbook_bytes(build_template("customers"))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "<dc:creator" in core and ">afm-xl<" in core
    assert core.count("2026-01-01T00:00:00Z") == 2  # created and modified


def test_write_all_and_module_main_regenerate_both_files(tmp_path, capsys):
    assert templates.main([str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == ["customers.xlsx", "suppliers.xlsx"]
    for kind in KINDS:
        assert (tmp_path / "out" / f"{kind}.xlsx").read_bytes() == workbook_bytes(build_template(kind))


# -- structure -----------------------------------------------------------------------------


def test_headers_are_the_ones_fill_recognises():
    assert TEMPLATE_HEADERS == [
        "ΑΦΜ", "Επωνυμία", "Διακριτικός τίτλος", "Διεύθυνση", "ΤΚ", "Περιοχή", "ΔΟΥ",
        "Κωδ. ΔΟΥ", "Κύρια δραστηριότητα", "Κατάσταση", "Πηγή", "Ημ/νία ενημέρωσης",
    ]
    assert is_afm_header(TEMPLATE_HEADERS[0])
    for header, key in zip(TEMPLATE_HEADERS[1:], TEMPLATE_FIELDS, strict=True):
        assert FIELDS[key].header == header
        assert field_for_header(header).key == key


@pytest.mark.parametrize("kind", KINDS)
def test_main_sheet_layout(saved, kind):
    wb = saved[kind]
    assert wb.sheetnames == [KINDS[kind], "Οδηγίες", "ΔΟΥ"]
    ws = wb.worksheets[0]
    assert wb.active.title == KINDS[kind]
    assert [c.value for c in ws[1]] == TEMPLATE_HEADERS
    assert ws.freeze_panes == "A2"
    (table,) = ws.tables.values()
    assert table.ref == f"A1:L{LAST_ROW}"
    assert table.autoFilter.ref == table.ref
    assert [c.name for c in table.tableColumns] == TEMPLATE_HEADERS
    assert ws.column_dimensions["A"].width >= 11 and ws.column_dimensions["B"].width >= 30


@pytest.mark.parametrize("kind", KINDS)
def test_afm_postal_code_and_doy_code_columns_are_text(saved, kind):
    ws = saved[kind].worksheets[0]
    for header in ("ΑΦΜ", "ΤΚ", "Κωδ. ΔΟΥ"):
        column = TEMPLATE_HEADERS.index(header) + 1
        formats = {ws.cell(row=r, column=column).number_format for r in range(2, LAST_ROW + 1)}
        assert formats == {"@"}, header
        letter = openpyxl.utils.get_column_letter(column)
        assert ws.column_dimensions[letter].number_format == "@"  # rows below the table too


@pytest.mark.parametrize("kind", KINDS)
def test_validation_and_red_marking_use_the_checksum_formula(saved, kind):
    ws = saved[kind].worksheets[0]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "custom"
    assert dv.formula1 == afm_check_formula("A2")
    assert str(dv.sqref) == f"A2:A{LAST_ROW}"
    assert dv.allow_blank and dv.showErrorMessage and dv.errorStyle == "stop"
    assert dv.errorTitle == "Μη έγκυρος ΑΦΜ" and "9 ψηφία" in dv.error
    assert len(dv.errorTitle) <= 32 and len(dv.error) <= 225  # Excel's limits

    (cf,) = ws.conditional_formatting
    assert str(cf.sqref) == f"A2:A{LAST_ROW}"
    (rule,) = cf.rules
    assert rule.type == "expression"
    assert rule.formula == [afm_invalid_formula("A2")]
    assert afm_check_formula("A2") in rule.formula[0]
    assert rule.dxf.fill.fgColor.rgb.endswith("FFC7CE")


def test_the_portable_formula_is_the_documented_one():
    documented = (
        'IFERROR(AND(LEN(A2)=9,A2<>"000000000",MOD(MOD(MID(A2,1,1)*256+MID(A2,2,1)*128'
        "+MID(A2,3,1)*64+MID(A2,4,1)*32+MID(A2,5,1)*16+MID(A2,6,1)*8+MID(A2,7,1)*4"
        '+MID(A2,8,1)*2,11),10)=--MID(A2,9,1)),FALSE)'
    )
    assert afm_check_formula() == documented
    assert len(afm_invalid_formula()) < 255  # Excel's limit for a DV/CF formula
    assert afm_check_formula("$C$10").count("$C$10") == 11


@pytest.mark.parametrize("ref", ["", "A0", "A1:A9", "Sheet1!A1", "a1", "A1)+1", None, 5])
def test_formula_reference_must_be_one_cell(ref):
    with pytest.raises(ValueError):
        afm_check_formula(ref)


@pytest.mark.parametrize("kind", KINDS)
def test_doy_sheet_has_every_code_as_text(saved, kind):
    ws = saved[kind]["ΔΟΥ"]
    with open(ROOT / "afm_xl" / "data" / "doy.csv", encoding="utf-8", newline="") as handle:
        expected = [(row["code"], row["name"]) for row in csv.DictReader(handle)]
    rows = list(ws.iter_rows(min_row=2))
    assert [(a.value, b.value) for a, b in rows] == expected
    assert len(expected) == 121
    for code, _name in rows:
        assert code.data_type == "s" and code.number_format == "@" and isinstance(code.value, str)


@pytest.mark.parametrize("kind", KINDS)
def test_instructions_cover_fill_codes_quota_and_privacy(saved, kind):
    text = "\n".join(str(c.value) for row in saved[kind]["Οδηγίες"].iter_rows() for c in row if c.value)
    for needle in (
        KINDS[kind],
        "«Συμπλήρωση από ΑΦΜ»",
        "afm-xl fill ΑΡΧΕΙΟ.xlsx",
        "https://www1.gsis.gr/webtax/wspublicreg",
        "https://www1.gsis.gr/sgsisapps/tokenservices",
        "TAXISnet",
        "νομικό πρόσωπο",
        "1.000",
        "20.000",
        "ημερήσιο όριο",
        "αποτυχημένες κλήσεις",
        "γνωστοποιείται",
        "30 ημέρες",
        "afm-xl cache clear",
    ):
        assert needle in text, needle
    links = {c.hyperlink.target for row in saved[kind]["Οδηγίες"].iter_rows() for c in row if c.hyperlink}
    assert links == {
        "https://www1.gsis.gr/webtax/wspublicreg",
        "https://www1.gsis.gr/sgsisapps/tokenservices",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_no_template_text_can_become_a_formula(kind):
    wb = openpyxl.load_workbook(COMMITTED / f"{kind}.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(INJECTION_STARTS), (ws.title, cell.coordinate)


# -- pre-filled AFM cells (the demo's input) ----------------------------------------------


def test_rows_write_text_as_text_and_numbers_as_numbers(tmp_path):
    rows = ["090000045", 90000045, 94014201.0, None, "=1+1", '=HYPERLINK("http://x")', ""]
    ws = openpyxl.load_workbook(write_template("customers", tmp_path / "c.xlsx", rows)).worksheets[0]
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(rows))]
    assert cells[0].value == "090000045" and cells[0].data_type == "s" and cells[0].number_format == "@"
    assert cells[1].value == 90000045 and cells[1].data_type == "n"
    assert cells[2].value == 94014201 and cells[2].data_type == "n"
    assert cells[3].value is None and cells[3].number_format == "@"
    assert (cells[4].value, cells[4].data_type) == ("=1+1", "s")  # text, never a formula
    assert cells[5].data_type == "s"
    assert ws.cell(row=2 + len(rows), column=1).value is None


def test_more_rows_than_the_template_holds_extend_table_and_checks():
    wb = build_template("suppliers", ["090000045"] * (DATA_ROWS + 5))
    ws = wb.worksheets[0]
    last = DATA_ROWS + 6
    assert next(iter(ws.tables.values())).ref == f"A1:L{last}"
    assert str(ws.data_validations.dataValidation[0].sqref) == f"A2:A{last}"
    assert ws.cell(row=last, column=1).number_format == "@"


@pytest.mark.parametrize(
    "bad",
    [True, datetime.date(2024, 1, 2), b"090000045", [1], float("nan"), float("inf"), 10**400,
     "09\x0000045", "9" * 40000],
)
def test_rows_reject_values_a_cell_cannot_take(bad):
    with pytest.raises(ValueError):
        build_template("customers", [bad])


def test_unknown_kind_and_a_string_as_rows_are_clear_errors():
    with pytest.raises(ValueError, match="customers, suppliers"):
        build_template("clients")
    with pytest.raises(TypeError):
        build_template("customers", "090000045")


def test_write_template_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "c.xlsx"
    target.write_bytes(b"old")
    assert write_template("customers", target) == target
    assert target.read_bytes() == workbook_bytes(build_template("customers"))
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(OSError):
        write_template("customers", tmp_path / "folder.xlsx")  # cannot replace a folder
    with pytest.raises(OSError):
        write_template("customers", tmp_path / "missing" / "c.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx", "folder.xlsx"]


# -- afm-xl template ----------------------------------------------------------------------


def test_command_writes_kind_xlsx_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli_main(["template", "suppliers"]) == 0
    written = tmp_path / "suppliers.xlsx"
    assert capsys.readouterr().out.strip() == str(written.resolve())
    assert written.read_bytes() == workbook_bytes(build_template("suppliers"))


def test_command_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "πελάτες 2026.xlsx"
    target.write_bytes(b"the user's own work")
    assert cli_main(["template", "customers", "-o", str(target)]) == 1
    assert "--force" in capsys.readouterr().err
    assert target.read_bytes() == b"the user's own work"
    assert cli_main(["template", "customers", "-o", str(target), "--force"]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "Πελάτες"


def test_command_output_folder_and_bad_paths(tmp_path, capsys):
    assert cli_main(["template", "customers", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "customers.xlsx").is_file()
    assert cli_main(["template", "customers", "-o", str(tmp_path / "no" / "such.xlsx")]) == 1
    assert "φάκελος" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli_main(["template", "customers", "-o", str(tmp_path / "list.xls")])
    assert usage.value.code == 2
    with pytest.raises(SystemExit):
        cli_main(["template", "clients"])


# -- LibreOffice recalculates the formulas ------------------------------------------------


def excel_check(value) -> bool:
    """What the portable formula must say: the Python reference on the cell's exact content.

    Deliberately stricter than ``afm.normalise`` (which strips prefixes and
    separators and pads 8 digits): the Excel check sees the stored text as is,
    so only exactly nine ASCII digits, not ``000000000``, with a valid check
    digit (stdnum) pass. A number cell is seen as its digits: 9 digits may pass,
    8 digits (the leading 0 lost) may not; the template's ``@`` format keeps typed
    AFMs as text, and the red marking flags number cells.
    """
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0 or value != int(value) or value >= 10**15:
            return False
        value = str(int(value))
    if not isinstance(value, str):
        return False
    nine_digits = len(value) == 9 and value.isascii() and value.isdigit()
    return nine_digits and value != "000000000" and vat.is_valid(value)


def check_digit(prefix: str) -> str:
    total = sum(int(d) * 2 ** (8 - i) for i, d in enumerate(prefix))
    return str(total % 11 % 10)


def vector_set() -> list:
    generator = random.Random(20260101)
    vectors = [
        "090000045", "094014201", "090165560", "094019245", "100000090",  # valid; the last: S mod 11 = 10
        "123456789", "090000046", "000000000",
        "90000045", "0900000451", "09000004A", "ΑΒΓΔΕΖΗΘΙ", "EL0940142",
        "0900 0045", "090 00045", " 90000045", "90000045 ", " ", "\t", "9.0000045", "090-00045", "090.00045",
        "-90000045", "+90000045", "1e0000045",
        "=1+1", '=HYPERLINK("x")', "@SUM(A1)",
        90000045, 94014201.0, 100000090, 123456789, 940142010, -90000045, 94014201.5, 1e20,
        True, False, datetime.date(2024, 1, 2),
    ]
    vectors += [value for value, _afm, _reason in CASES]
    for _ in range(40):
        prefix = f"{generator.randrange(10**8):08d}"
        vectors.append(prefix + check_digit(prefix))
        vectors.append(f"{generator.randrange(10**9):09d}")
    return vectors


def cell_safe(value) -> bool:
    try:
        templates._afm_cell_value(value)
        return True
    except ValueError:
        return False


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculation_agrees_with_python(tmp_path):
    import decimal

    vectors = []
    for value in vector_set():
        if isinstance(value, decimal.Decimal):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            continue  # no cell can hold it
        if not isinstance(value, (str, int, float, bool, datetime.date, type(None))):
            continue  # lists, objects: not cell values
        vectors.append(value)

    wb = build_template("customers", [v if cell_safe(v) else None for v in vectors])
    ws = wb.worksheets[0]
    check_column, flag_column = 13, 14  # M, N: right of the table
    for row, value in enumerate(vectors, start=2):
        if not cell_safe(value):  # bools and dates: as Excel stores them (a date is a serial number)
            ws.cell(row=row, column=1, value=value)
        ws.cell(row=row, column=check_column, value="=" + afm_check_formula(f"A{row}"))
        ws.cell(row=row, column=flag_column, value="=" + afm_invalid_formula(f"A{row}"))
    source = tmp_path / "vectors.xlsx"
    source.write_bytes(workbook_bytes(wb))

    profile = (tmp_path / "lo-profile").as_uri()
    completed = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = tmp_path / "vectors.csv"
    assert output.is_file(), completed.stderr
    with open(output, encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))[1 : 1 + len(vectors)]

    disagreements = []
    for value, row in zip(vectors, table, strict=True):
        check, flag = row[check_column - 1], row[flag_column - 1]
        expected_check = excel_check(value)
        blank = value is None or (isinstance(value, str) and not value.strip(" "))  # TRIM: spaces only
        expected_flag = not blank and not expected_check
        if (check, flag) != (str(expected_check).upper(), str(expected_flag).upper()):
            disagreements.append((value, check, flag))
        if expected_check:  # the Excel check is stricter: what it accepts, afm-xl accepts as is
            assert normalise(value).afm == (value if isinstance(value, str) else f"{int(value):09d}")
    assert not disagreements, disagreements[:10]
    assert sum(map(excel_check, vectors)) >= 45  # not a vacuous agreement on FALSE
    # the strictness is real: these are fine for afm-xl but red in the template
    assert normalise("90000045").afm and not excel_check("90000045")
    assert normalise(90000045).afm and not excel_check(90000045)
    assert normalise("094 014 201").afm and not excel_check("094 014 201")
