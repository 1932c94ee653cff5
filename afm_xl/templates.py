"""Offline template workbooks: a customer or supplier list ready for ``afm-xl fill``.

Each workbook has a main sheet (``Πελάτες`` / ``Προμηθευτές``) holding an Excel
table whose headers are the ones :mod:`afm_xl.fields` recognises, a ``ΔΟΥ``
reference sheet and an ``Οδηγίες`` sheet. The AFM column is text (``@``, so the
leading 0 survives), is checked as the user types (data validation) and marks
invalid values red (conditional formatting, which also catches pasted values
and numbers). Both use the portable Excel 2007+ checksum formula of
:func:`afm_check_formula`.

The output is deterministic (fixed document properties, fixed zip entry
times), so a fresh build equals the committed ``workbook_templates/`` files.
Regenerate them with ``python -m afm_xl.templates [DIRECTORY]``.

>>> TEMPLATE_HEADERS[:4]
['ΑΦΜ', 'Επωνυμία', 'Διακριτικός τίτλος', 'Διεύθυνση']
>>> wb = build_template("suppliers", ["090000045", 94014201])
>>> ws = wb["Προμηθευτές"]
>>> ws["A2"].value, ws["A2"].number_format, ws["A3"].value
('090000045', '@', 94014201)
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import numbers
import os
import re
import secrets
import sys
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .fields import FIELDS

__all__ = [
    "KINDS",
    "TEMPLATE_HEADERS",
    "TEMPLATE_FIELDS",
    "DATA_ROWS",
    "afm_check_formula",
    "afm_invalid_formula",
    "build_template",
    "workbook_bytes",
    "write_template",
    "write_all",
]

#: template kind → title of its main sheet
KINDS = {"customers": "Πελάτες", "suppliers": "Προμηθευτές"}

AFM_HEADER = "ΑΦΜ"
#: the fill columns after the AFM column, as :data:`afm_xl.fields.FIELDS` keys
TEMPLATE_FIELDS = (
    "name",
    "commercial_title",
    "address",
    "postal_code",
    "city",
    "doy",
    "doy_code",
    "main_activity",
    "status",
    "source",
    "fetched_at",
)
#: the main sheet's header row
TEMPLATE_HEADERS = [AFM_HEADER] + [FIELDS[key].header for key in TEMPLATE_FIELDS]

#: empty data rows formatted, validated and covered by the table
DATA_ROWS = 1000
#: Excel's limit for the text of one cell
MAX_CELL_TEXT = 32767

_TABLE_NAMES = {"customers": "tblCustomers", "suppliers": "tblSuppliers"}
_WIDTHS = {
    "afm": 13,
    "name": 40,
    "commercial_title": 28,
    "address": 32,
    "postal_code": 9,
    "city": 20,
    "doy": 24,
    "doy_code": 11,
    "main_activity": 48,
    "status": 20,
    "source": 15,
    "fetched_at": 20,
}
# Fixed so that a rebuild gives the same bytes (document properties, zip entries).
_FIXED_TIME = datetime.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

_CELL_REF = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}$")
_RED_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_RED_FONT = Font(color="9C0006")
_BOLD = Font(bold=True)


def afm_check_formula(ref: str = "A2") -> str:
    """The portable Excel 2007+ AFM check (no leading ``=``): TRUE for a valid AFM.

    Exactly 9 characters, not ``000000000``, and (Σ dᵢ·2⁹⁻ⁱ mod 11) mod 10 equal
    to the 9th digit. Any non-digit makes a ``MID(…)*w`` fail and ``IFERROR``
    turns that into FALSE. No arrays and no volatile functions, so it works in
    data validation and conditional formatting. Stricter than
    :func:`afm_xl.afm.normalise`: no prefix or separator cleaning, and a number
    cell that lost its leading 0 (8 digits) is FALSE.

    >>> len(afm_check_formula()), afm_check_formula("B7")[:26]
    (194, 'IFERROR(AND(LEN(B7)=9,B7<>')
    >>> afm_check_formula("A1:A2")
    Traceback (most recent call last):
    ...
    ValueError: not a single-cell reference: 'A1:A2'
    """
    if not isinstance(ref, str) or not _CELL_REF.match(ref):
        raise ValueError(f"not a single-cell reference: {ref!r}")
    weighted = "+".join(f"MID({ref},{i},1)*{2 ** (9 - i)}" for i in range(1, 9))
    return (
        f'IFERROR(AND(LEN({ref})=9,{ref}<>"000000000",'
        f"MOD(MOD({weighted},11),10)=--MID({ref},9,1)),FALSE)"
    )


def afm_invalid_formula(ref: str = "A2") -> str:
    """The conditional-formatting rule (no leading ``=``): TRUE for a non-blank invalid AFM.

    Spaces-only cells count as blank (as in ``afm-xl fill``); a cell holding an
    Excel error value is TRUE.

    >>> afm_invalid_formula().startswith('IFERROR(AND(TRIM(A2)<>"",NOT(IFERROR(')
    True
    """
    return f'IFERROR(AND(TRIM({ref})<>"",NOT({afm_check_formula(ref)})),TRUE)'


def build_template(kind: str, rows: Iterable[Any] | None = None) -> Workbook:
    """The template workbook of ``kind`` (a key of :data:`KINDS`).

    ``rows`` pre-fills the AFM column from row 2 on: a ``str`` is written as
    text (even one starting with ``=``), an ``int``/``float`` as a number (as
    a pasted number would be, in the General format), ``None`` leaves the cell
    empty. Any other value, a non-finite number, or text that Excel cannot
    hold raises ``ValueError``; an unknown ``kind`` too (a ``str`` as ``rows``:
    ``TypeError``). More rows than
    :data:`DATA_ROWS` extend the table.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown template kind {kind!r}; known: {', '.join(KINDS)}")
    if isinstance(rows, (str, bytes)):
        raise TypeError("rows is an iterable of cell values, not one string")
    values = [_afm_cell_value(value) for value in (rows or ())]
    wb = Workbook()
    _set_properties(wb, kind)
    main = wb.active
    main.title = KINDS[kind]
    _fill_main_sheet(main, kind, values)
    _fill_instructions_sheet(wb.create_sheet("Οδηγίες"), kind)
    _fill_doy_sheet(wb.create_sheet("ΔΟΥ"))
    wb.active = 0
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """``wb`` as ``.xlsx`` bytes, with fixed zip entry times and attributes."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # ExcelWriter, not wb.save(): save() stamps the current time into "modified".
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the platform's default: same bytes on every OS
            info.external_attr = 0
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def write_template(kind: str, path: str | os.PathLike, rows: Iterable[Any] | None = None) -> Path:
    """Build the template and write it to ``path`` atomically; returns the path.

    The bytes go to a temporary file in the same folder, which then replaces
    ``path`` (an existing file is overwritten; a reader never sees half a file).
    """
    path = Path(path)
    data = workbook_bytes(build_template(kind, rows))
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def write_all(directory: str | os.PathLike) -> list[Path]:
    """Write every template (``customers.xlsx``, ``suppliers.xlsx``) into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_template(kind, directory / f"{kind}.xlsx") for kind in KINDS]


# -- the AFM column's pre-filled values ---------------------------------------------------


def _afm_cell_value(value: Any) -> str | int | float | None:
    if value is None or isinstance(value, str):
        if value is not None and (len(value) > MAX_CELL_TEXT or ILLEGAL_CHARACTERS_RE.search(value)):
            raise ValueError(f"text that an Excel cell cannot hold: {value[:20]!r}…")
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        if not finite:
            raise ValueError(f"not a number an Excel cell can hold: {value!r}")
        return int(value) if isinstance(value, numbers.Integral) else float(value)
    raise ValueError(f"an AFM cell takes str, int, float or None, not {type(value).__name__}")


# -- sheets -------------------------------------------------------------------------------


def _set_properties(wb: Workbook, kind: str) -> None:
    props = wb.properties
    props.creator = props.lastModifiedBy = "afm-xl"
    props.title = f"afm-xl: {KINDS[kind]}"
    props.subject = "Συμπλήρωση στοιχείων από ΑΦΜ (ΑΑΔΕ RgWsPublic2)"
    props.language = "el-GR"
    props.created = props.modified = _FIXED_TIME


def _fill_main_sheet(ws, kind: str, values: list[Any]) -> None:
    last_row = 1 + max(DATA_ROWS, len(values))
    ws.append(TEMPLATE_HEADERS)
    keys = ("afm",) + TEMPLATE_FIELDS
    for column, key in enumerate(keys, start=1):
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = _WIDTHS[key]
        if key == "afm" or FIELDS[key].text:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, last_row + 1):
                ws.cell(row=row, column=column).number_format = "@"
    for row, value in enumerate(values, start=2):
        cell = ws.cell(row=row, column=1)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, even "=…": never a formula
        elif value is not None:
            cell.number_format = "General"

    afm_range = f"A2:A{last_row}"
    validation = DataValidation(
        type="custom",
        formula1=afm_check_formula("A2"),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Μη έγκυρος ΑΦΜ",
        error=(
            "Ο ΑΦΜ έχει 9 ψηφία (μαζί με το αρχικό 0) και σωστό ψηφίο ελέγχου. "
            "Γράψτε μόνο τα ψηφία, χωρίς κενά, τελείες, παύλες ή πρόθεμα EL."
        ),
    )
    validation.add(afm_range)
    ws.add_data_validation(validation)
    ws.conditional_formatting.add(
        afm_range,
        FormulaRule(formula=[afm_invalid_formula("A2")], fill=_RED_FILL, font=_RED_FONT),
    )

    table_ref = f"A1:{get_column_letter(len(keys))}{last_row}"
    table = Table(
        displayName=_TABLE_NAMES[kind],
        ref=table_ref,
        autoFilter=AutoFilter(ref=table_ref),
        tableColumns=[TableColumn(id=i, name=h) for i, h in enumerate(TEMPLATE_HEADERS, start=1)],
        tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
    )
    ws.add_table(table)

    ws.freeze_panes = "A2"
    for selection in ws.sheet_view.selection:
        selection.activeCell = selection.sqref = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _doy_rows() -> list[tuple[str, str]]:
    text = resources.files("afm_xl").joinpath("data/doy.csv").read_text(encoding="utf-8")
    return [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(io.StringIO(text))]


def _fill_doy_sheet(ws) -> None:
    ws.append(["Κωδικός ΔΟΥ", "Ονομασία ΔΟΥ"])
    for code, name in _doy_rows():
        ws.append([code, name])
        ws.cell(row=ws.max_row, column=1).number_format = "@"
        for cell in ws[ws.max_row]:
            cell.data_type = "s"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["A"].number_format = "@"
    ws.column_dimensions["B"].width = 40
    table = Table(displayName="tblDOY", ref=f"A1:B{ws.max_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"


# (style, text, link): style "title", "heading", "text" or "command"
_URL_REGISTER = "https://www1.gsis.gr/webtax/wspublicreg"
_URL_CODES = "https://www1.gsis.gr/sgsisapps/tokenservices"


def _instructions(kind: str) -> list[tuple[str, str, str | None]]:
    sheet = KINDS[kind]
    return [
        ("title", f"afm-xl: πρότυπο «{sheet}»", None),
        ("text", f"Γράψτε ΑΦΜ στη στήλη «ΑΦΜ» του φύλλου «{sheet}». Το afm-xl συμπληρώνει τις "
                 "υπόλοιπες στήλες (επωνυμία, διεύθυνση, ΔΟΥ, κατάσταση κ.ά.) από το μητρώο "
                 "της ΑΑΔΕ (υπηρεσία «Αναζήτηση Βασικών Στοιχείων Μητρώου», RgWsPublic2).", None),
        ("text", "Η στήλη ΑΦΜ είναι μορφοποιημένη ως κείμενο, ώστε να μη χάνεται το αρχικό 0. "
                 "Γράψτε τα 9 ψηφία χωρίς κενά, τελείες, παύλες ή πρόθεμα EL.", None),
        ("text", "Το Excel ελέγχει το ψηφίο ελέγχου καθώς πληκτρολογείτε. Όσοι ΑΦΜ δεν "
                 "είναι έγκυροι (και όσοι επικολλήθηκαν ή αποθηκεύτηκαν ως αριθμοί, με "
                 "χαμένο το αρχικό 0) εμφανίζονται με κόκκινο χρώμα.", None),
        ("text", "Οι στήλες αναγνωρίζονται από την επικεφαλίδα τους: μην αλλάζετε τα ονόματά "
                 "τους. Μπορείτε να προσθέσετε δικές σας στήλες.", None),
        ("heading", "Συμπλήρωση μέσα από το Excel (Windows)", None),
        ("text", "Με εγκατεστημένο το πρόσθετο afm-xl, επιλέξτε τα κελιά με τους ΑΦΜ και "
                 "πατήστε «Συμπλήρωση από ΑΦΜ» στην κορδέλα.", None),
        ("heading", "Συμπλήρωση από τη γραμμή εντολών (Windows, macOS, Linux)", None),
        ("text", "Αποθηκεύστε και κλείστε το αρχείο και εκτελέστε:", None),
        ("command", "afm-xl fill ΑΡΧΕΙΟ.xlsx", None),
        ("heading", "Ειδικοί κωδικοί πρόσβασης", None),
        ("text", "Η υπηρεσία της ΑΑΔΕ δεν δέχεται τους κωδικούς TAXISnet: χρειάζονται "
                 "«ειδικοί κωδικοί πρόσβασης», που τους δημιουργείτε μία φορά.", None),
        ("text", "1. Εγγραφή στην υπηρεσία, με τους κωδικούς TAXISnet:", None),
        ("command", _URL_REGISTER, _URL_REGISTER),
        ("text", "2. Δημιουργία των ειδικών κωδικών:", None),
        ("command", _URL_CODES, _URL_CODES),
        ("text", "Για νομικό πρόσωπο, την εγγραφή και τους κωδικούς τους κάνει ο νόμιμος "
                 "εκπρόσωπός του με τους δικούς του κωδικούς TAXISnet.", None),
        ("text", "3. Καταχώριση στο afm-xl (μία φορά). Ο κωδικός φυλάσσεται στη θυρίδα "
                 "κωδικών του λειτουργικού συστήματος, ποτέ σε αυτό το αρχείο:", None),
        ("command", "afm-xl login", None),
        ("heading", "Όρια κλήσεων", None),
        ("text", "Η ΑΑΔΕ ορίζει μηνιαίο όριο κλήσεων (από 1.000 έως 20.000 τον μήνα, ανάλογα με "
                 "τη μορφή του προσώπου), ημερήσιο όριο, και αποκλείει προσωρινά τον χρήστη "
                 "μετά από πολλές αποτυχημένες κλήσεις.", None),
        ("text", "Το afm-xl ζητά κάθε ΑΦΜ μία φορά: οι επαναλήψεις και οι νέες συμπληρώσεις "
                 "εξυπηρετούνται από την τοπική μνήμη, χωρίς κλήση.", None),
        ("heading", "Απόρρητο", None),
        ("text", "Κάθε αναζήτηση γνωστοποιείται στην επιχείρηση που αναζητήθηκε: βλέπει στο "
                 "myTAXISnet την ημερομηνία, τον ΑΦΜ και το όνομα εκείνου που την αναζήτησε.", None),
        ("text", "Τα αποτελέσματα φυλάσσονται τοπικά στον υπολογιστή σας για 30 ημέρες "
                 "(προεπιλογή). Διαγραφή τους:", None),
        ("command", "afm-xl cache clear", None),
        ("heading", "Φύλλο «ΔΟΥ»", None),
        ("text", "Οι κωδικοί και οι ονομασίες των ΔΟΥ, για αναφορά. Η ΑΑΔΕ μπορεί να "
                 "γράφει τις ονομασίες λίγο διαφορετικά· ο κωδικός είναι αυτός που μετράει.", None),
    ]


def _fill_instructions_sheet(ws, kind: str) -> None:
    ws.column_dimensions["A"].width = 110
    ws.sheet_view.showGridLines = False
    fonts = {
        "title": Font(bold=True, size=14),
        "heading": Font(bold=True, size=12),
        "command": Font(name="Consolas"),
    }
    row = 0
    for style, text, link in _instructions(kind):
        row += 2 if style == "heading" else 1
        cell = ws.cell(row=row, column=1, value=text)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1 if style == "command" else 0)
        if link:
            cell.hyperlink = link
            cell.style = "Hyperlink"
            cell.alignment = Alignment(indent=1)
        elif style in fonts:
            cell.font = fonts[style]


def main(argv: list[str] | None = None) -> int:
    """``python -m afm_xl.templates [DIRECTORY]``: regenerate the templates.

    ``DIRECTORY`` defaults to ``workbook_templates`` (run it from the repository root).
    """
    argv = sys.argv[1:] if argv is None else argv
    for path in write_all(argv[0] if argv else "workbook_templates"):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
