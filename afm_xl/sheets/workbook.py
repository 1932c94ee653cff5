"""Workbook files: an openpyxl worksheet as a sheet port, and the safe file fill.

``afm-xl fill BOOK`` goes through :class:`WorkbookFill`:

* only ``.xlsx``, ``.xlsm``, ``.xltx``, ``.xltm`` (what openpyxl reads); a
  ``.xlsm`` keeps its VBA byte for byte (``keep_vba=True``);
* it refuses a file open in Excel or LibreOffice (lock file ``~$NAME`` or
  ``.~lock.NAME#`` next to it);
* openpyxl drops what it does not model (charts, images, drawings, pivot
  tables, slicers, timelines, comments' boxes, form controls, worksheet
  extensions …). :func:`inspect_losses` reads the zip first; when anything
  would be lost the file is never filled in place: the fill needs an
  ``output`` path, and the original stays untouched;
* the AFM column is a header reading ΑΦΜ / Α.Φ.Μ. / AFM (or one named by the
  caller), or a column letter, or else the column holding the most valid AFMs;
* fields go to the columns whose headers name them (as in the templates), else
  into new columns (:func:`afm_xl.fill.choose_layout` with ``placement="free"``:
  right of the AFM column when those columns are empty, else after the last
  used column), so no existing value is ever shifted or overwritten unless
  overwriting was asked for;
* the result is written to a temporary file in the same directory and moved
  over the target with :func:`os.replace`: a crash or kill leaves either the
  old file or the new one, never half a workbook. Nothing changed → nothing
  written (in place).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any, Collection, Sequence

from .. import fill
from ..afm import normalise
from ..errors import AfmXlError
from ..fields import DEFAULT_FIELDS, header_key, is_afm_header
from .port import LOCKED, TEXT_FORMAT, Block, RecordedInteraction, column_index, column_letter

__all__ = [
    "SUPPORTED_SUFFIXES",
    "WorkbookError",
    "WorkbookSheet",
    "WorkbookFill",
    "fill_workbook",
    "inspect_losses",
    "lock_files",
    "find_afm_block",
    "atomic_save",
]

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
MACRO_SUFFIXES = (".xlsm", ".xltm")
#: rows searched for an AFM header
HEADER_SCAN_ROWS = 30

_UNSUPPORTED = {
    ".xls": "Τα αρχεία .xls (Excel 97–2003) δεν υποστηρίζονται: αποθηκεύστε το ως .xlsx (Αρχείο → Αποθήκευση ως).",
    ".xlsb": "Τα δυαδικά αρχεία .xlsb δεν υποστηρίζονται: αποθηκεύστε το ως .xlsx (Αρχείο → Αποθήκευση ως).",
    ".ods": "Τα αρχεία .ods (LibreOffice/OpenOffice) δεν υποστηρίζονται: αποθηκεύστε το ως .xlsx.",
    ".csv": "Τα αρχεία .csv δεν υποστηρίζονται από το fill: ανοίξτε το και αποθηκεύστε το ως .xlsx "
    "(ή χρησιμοποιήστε «afm-xl lookup --file»).",
    ".xlam": "Τα πρόσθετα .xlam δεν συμπληρώνονται.",
}

# zip members openpyxl does not carry over, by name prefix → what the user would lose
_LOST_PARTS = (
    ("xl/charts/", "γραφήματα (charts)"),
    ("xl/chartsheets/", "φύλλα γραφημάτων (chart sheets)"),
    ("xl/drawings/vmlDrawing", "σχέδια VML: πλαίσια σχολίων, στοιχεία ελέγχου φόρμας"),
    ("xl/drawings/", "σχέδια, σχήματα ή εικόνες (drawings)"),
    ("xl/media/", "εικόνες (media)"),
    ("xl/pivotTables/", "συγκεντρωτικοί πίνακες (pivot tables)"),
    ("xl/pivotCache/", "συγκεντρωτικοί πίνακες (pivot cache)"),
    ("xl/slicers/", "αναλυτές (slicers)"),
    ("xl/slicerCaches/", "αναλυτές (slicers)"),
    ("xl/timelines/", "λωρίδες χρόνου (timelines)"),
    ("xl/timelineCaches/", "λωρίδες χρόνου (timelines)"),
    ("xl/externalLinks/", "εξωτερικές συνδέσεις (external links)"),
    ("xl/comments", "σχόλια (comments: χάνεται το μέγεθος των πλαισίων)"),
    ("xl/threadedComments/", "σχόλια συζήτησης (threaded comments)"),
    ("xl/persons/", "σχόλια συζήτησης (threaded comments)"),
    ("xl/ctrlProps/", "στοιχεία ελέγχου φόρμας (form controls)"),
    ("xl/activeX/", "στοιχεία ActiveX"),
    ("xl/embeddings/", "ενσωματωμένα αντικείμενα (OLE)"),
    ("xl/richData/", "εικόνες σε κελιά ή τύποι δεδομένων (rich data)"),
    ("xl/model/", "μοντέλο δεδομένων (Power Pivot)"),
    ("xl/queryTables/", "πίνακες ερωτημάτων (query tables)"),
    ("xl/connections.xml", "συνδέσεις δεδομένων (Power Query)"),
    ("xl/xmlMaps.xml", "αντιστοιχίσεις XML (XML maps)"),
    ("xl/webextensions/", "πρόσθετα Office (web extensions)"),
    ("xl/webExtensions/", "πρόσθετα Office (web extensions)"),
)
_EXT_NAMES = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}": "μορφοποίηση υπό όρους (επέκταση x14)",
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "επικύρωση δεδομένων (επέκταση x14)",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparklines",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "αναλυτές (slicers)",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "αναλυτές (slicers)",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "λωρίδες χρόνου (timelines)",
    "{FC87AEE6-9EDD-4A0A-B7FB-166176984837}": "προστατευμένες περιοχές (protected ranges)",
    "{01252117-D84E-4E92-8308-4BE1C098FCBB}": "παράβλεψη σφαλμάτων (ignored errors)",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "πρόσθετα Office (web extensions)",
}
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_EXT_LIST = re.compile(rb"<(?:\w+:)?extLst[\s>/]")
_EXT_URI = re.compile(rb"<(?:\w+:)?ext\b[^>]*\buri=\"([^\"]+)\"")


class WorkbookError(AfmXlError):
    """A workbook that cannot be filled (format, lock, losses, corrupt, save failure). Exit 1."""


# -- checks ---------------------------------------------------------------------------------
def _check_suffix(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return
    raise WorkbookError(
        _UNSUPPORTED.get(suffix)
        or f"Μη υποστηριζόμενος τύπος αρχείου «{path.name}»: δίνετε .xlsx, .xlsm, .xltx ή .xltm."
    )


def lock_files(path: Path) -> list[Path]:
    """The lock files next to ``path`` that say it is open (Excel ``~$NAME``, LibreOffice ``.~lock.NAME#``)."""
    path = Path(path)
    candidates = (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#"))
    return [p for p in candidates if p.exists()]


def _refuse_if_open(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise WorkbookError(
            f"Το «{path.name}» είναι ανοιχτό (υπάρχει το αρχείο κλειδώματος «{locks[0].name}»). "
            "Κλείστε το στο Excel και ξαναδοκιμάστε· αν δεν είναι ανοιχτό, διαγράψτε το αρχείο κλειδώματος."
        )


def inspect_losses(path: Path) -> list[str]:
    """What openpyxl would drop from this workbook, in Greek (empty: safe to fill in place).

    Raises :class:`WorkbookError` when the file is not a readable zip.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            found: list[str] = []
            for prefix, text in _LOST_PARTS:
                if any(n.startswith(prefix) for n in names) and text not in found:
                    found.append(text)
            if path.suffix.lower() not in MACRO_SUFFIXES and any(n.startswith("xl/vba") for n in names):
                found.append("μακροεντολές (VBA) σε αρχείο χωρίς κατάληξη .xlsm")
            for name in names:
                if not _WORKSHEET.match(name):
                    continue
                xml = archive.read(name)
                if not _EXT_LIST.search(xml):
                    continue
                uris = [u.decode("ascii", "replace").upper() for u in _EXT_URI.findall(xml)] or ["?"]
                for uri in uris:
                    text = _EXT_NAMES.get(uri, f"επεκτάσεις φύλλου που δεν υποστηρίζονται ({uri})")
                    if text not in found:
                        found.append(text)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError) as exc:
        raise WorkbookError(f"Το «{path.name}» δεν είναι έγκυρο βιβλίο Excel ({exc}).") from None
    except OSError as exc:
        raise WorkbookError(f"Δεν διαβάζεται το «{path.name}»: {exc.strerror or exc}.") from None
    return found


# -- the sheet port -------------------------------------------------------------------------
#: cell value types that :func:`_plain` passes on as they are (most cells: no further checks)
_PLAIN_TYPES = frozenset({str, int, float, bool, datetime.datetime, datetime.date, datetime.time,
                          datetime.timedelta, type(None)})


def _plain(value: Any) -> Any:
    """A cell's value as the fill engine reads it: formulas as ``=…`` text, rich text as text."""
    if type(value) in _PLAIN_TYPES:
        return value
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, ArrayFormula):
        text = value.text or ""
        return text if text.startswith("=") else "=" + text
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    if value is not None and type(value).__name__ == "CellRichText":
        return str(value)
    return value


class WorkbookSheet(RecordedInteraction):
    """An openpyxl worksheet as a :class:`~afm_xl.sheets.port.SheetPort`.

    Reads never create cells (an empty cell read stays absent from the file);
    ``confirm`` answers ``answer`` (``False``: the CLI overwrites only with
    ``--overwrite``); statuses and messages are kept in lists.
    """

    def __init__(self, worksheet, block: Block, *, answer: bool = False):
        self.worksheet = worksheet
        self.block = block
        super().__init__(answer=answer)
        self.changed = False

    def _get(self, row: int, column: int) -> Any:
        from openpyxl.cell.cell import MergedCell

        cell = self.worksheet._cells.get((row, column))  # no cell is created by reading
        if cell is None:
            return None
        if isinstance(cell, MergedCell):
            return LOCKED
        return _plain(cell.value)

    def read_block(self) -> Block:
        return self.block

    def extent(self) -> tuple[int, int]:
        return _extent(self.worksheet)

    def read_range(self, row: int, column: int, rows: int, columns: int) -> list[list[Any]]:
        from openpyxl.cell.cell import MergedCell

        cells = self.worksheet._cells  # what _get does, without a call per cell (50,000-row sheets)
        grid = []
        for r in range(row, row + rows):
            line = []
            for c in range(column, column + columns):
                cell = cells.get((r, c))
                if cell is None:
                    line.append(None)
                elif isinstance(cell, MergedCell):
                    line.append(LOCKED)
                else:
                    line.append(_plain(cell.value))
            grid.append(line)
        return grid

    def write_block(
        self, row: int, column: int, values: list[list[Any]], *, text_columns: Collection[int] = ()
    ) -> None:
        from copy import copy

        from openpyxl.cell.cell import MergedCell

        header_style = self._header_style()
        worksheet = self.worksheet
        text_style = None  # the style of an unstyled cell once it has the text format (made once)
        for r, line in enumerate(values, start=row):
            for c, value in enumerate(line, start=column):
                if value is None:
                    continue
                cell = worksheet.cell(row=r, column=c)
                if isinstance(cell, MergedCell):
                    continue  # never reached: the engine keeps LOCKED cells
                unstyled = not cell.has_style
                if unstyled and header_style is not None and r == self.block.row:
                    cell._style = header_style
                    unstyled = False
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # literal text, even when it starts with '=' (§6.5)
                if c in text_columns:
                    if unstyled and text_style is not None:
                        cell._style = copy(text_style)
                    else:
                        cell.number_format = TEXT_FORMAT
                        if unstyled:
                            text_style = copy(cell._style)
                self.changed = True

    def _header_style(self):
        """The AFM header's style, for the headers of new columns (bold like the others)."""
        if self.block.header is False:
            return None
        cell = self.worksheet._cells.get((self.block.row, self.block.column))
        if cell is None or not cell.has_style:
            return None
        if not (self.block.header or fill.is_afm_header(_plain(cell.value))):
            return None  # the first AFM cell is data: its style is not a header's
        from copy import copy

        return copy(cell._style)



def _extent(worksheet) -> tuple[int, int]:
    rows = columns = 0
    for (r, c), cell in worksheet._cells.items():
        if cell.value is not None:
            rows, columns = max(rows, r), max(columns, c)
    return rows, columns


# -- finding the AFM column -----------------------------------------------------------------
def _column_values(worksheet, column: int, top: int, bottom: int) -> tuple[Any, ...]:
    cells = worksheet._cells
    return tuple(
        _plain(cells[(r, column)].value) if (r, column) in cells else None for r in range(top, bottom + 1)
    )


def _column_bottom(worksheet, column: int) -> int:
    rows = [r for (r, c), cell in worksheet._cells.items() if c == column and cell.value is not None]
    return max(rows, default=0)


def _find_header(worksheet, header: str | None) -> tuple[int, int] | None:
    """The first cell (row by row) in the first rows that reads ``header``, or an AFM header."""
    wanted = header_key(header) if header is not None else None

    def matches(value: str) -> bool:
        if wanted is None:
            return is_afm_header(value)
        return bool(wanted) and header_key(value) == wanted

    found = []
    for (r, c), cell in worksheet._cells.items():
        if r <= HEADER_SCAN_ROWS:
            value = _plain(cell.value)
            if isinstance(value, str) and matches(value):
                found.append((r, c))
    return min(found, default=None)


def find_afm_block(worksheet, *, column: str | None = None, header: str | None = None) -> Block:
    """The AFM cells of a worksheet.

    ``header``: the cell in the first 30 rows whose text is ``header`` (loosely:
    case, accents, dots ignored) heads the column. ``column``: that column, from
    its first non-empty cell (the engine decides whether that cell is a header).
    Neither: the first cell reading ΑΦΜ / Α.Φ.Μ. / AFM, else the column with the
    most valid AFMs. Raises :class:`WorkbookError`.
    """
    cells = worksheet._cells
    if column is not None:
        try:
            index = column_index(column)
        except ValueError:
            raise WorkbookError(f"Μη έγκυρη στήλη «{column}»: δώστε γράμμα στήλης, π.χ. A ή C.") from None
        rows = sorted(r for (r, c), cell in cells.items() if c == index and cell.value is not None)
        if not rows:
            raise WorkbookError(f"Η στήλη {column_letter(index)} του φύλλου «{worksheet.title}» είναι κενή.")
        return Block(rows[0], index, _column_values(worksheet, index, rows[0], rows[-1]))

    position = _find_header(worksheet, header)
    if position is not None:
        row, index = position
        bottom = max(_column_bottom(worksheet, index), row)
        return Block(row, index, _column_values(worksheet, index, row, bottom), header=True)
    if header is not None:
        raise WorkbookError(f"Δεν βρέθηκε επικεφαλίδα «{header}» στο φύλλο «{worksheet.title}».")

    counts: dict[int, int] = {}
    for (r, c), cell in cells.items():
        if cell.value is not None and normalise(_plain(cell.value)).afm:
            counts[c] = counts.get(c, 0) + 1
    if not counts:
        raise WorkbookError(
            f"Δεν βρέθηκε στήλη ΑΦΜ στο φύλλο «{worksheet.title}»: δώστε --column ΓΡΑΜΜΑ ή --header ΚΕΙΜΕΝΟ."
        )
    index = max(sorted(counts), key=lambda c: counts[c])
    return find_afm_block(worksheet, column=column_letter(index))


# -- saving ---------------------------------------------------------------------------------
def atomic_save(workbook, target: Path) -> Path:
    """Save to a temporary file beside ``target``, flush it to disk, then ``os.replace``.

    The target keeps its permissions (a symbolic link is followed, not
    replaced). On any failure the temporary file is
    removed, the target is as it was, and :class:`WorkbookError` says why.
    """
    target = Path(os.path.realpath(target))  # through a symbolic link, not over it
    try:
        fd, name = tempfile.mkstemp(prefix=".~afm-xl-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise WorkbookError(f"Δεν ήταν δυνατή η αποθήκευση στον φάκελο «{target.parent}»: {exc.strerror or exc}.") from None
    temporary = Path(name)
    try:
        os.close(fd)
        workbook.save(temporary)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, temporary)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, Exception):  # OSError, or lxml's SerialisationError (IO_EFBIG, IO_ENOSPC …)
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise WorkbookError(
                f"Η αποθήκευση του «{target.name}» απέτυχε ({reason}); το αρχείο δεν άλλαξε."
            ) from None
        raise  # KeyboardInterrupt and the like: cleaned up, then passed on
    return target


# -- the file fill --------------------------------------------------------------------------
def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _choose_sheet(workbook, name: str | None, column: str | None, header: str | None):
    from openpyxl.worksheet.worksheet import Worksheet

    sheets = [ws for ws in workbook.worksheets if isinstance(ws, Worksheet)]
    if not sheets:
        raise WorkbookError("Το βιβλίο δεν έχει φύλλα εργασίας.")
    if name is not None:
        exact = [ws for ws in sheets if ws.title == name] or [
            ws for ws in sheets if ws.title.casefold() == name.strip().casefold()
        ]
        if not exact:
            titles = ", ".join(f"«{ws.title}»" for ws in sheets)
            raise WorkbookError(f"Δεν υπάρχει φύλλο «{name}». Φύλλα: {titles}.")
        return exact[0], find_afm_block(exact[0], column=column, header=header)
    active = workbook.active if workbook.active in sheets else sheets[0]
    if column is not None:
        return active, find_afm_block(active, column=column)
    ordered = [active] + [ws for ws in sheets if ws is not active]
    for worksheet in ordered:  # the first sheet with the header wins
        if _find_header(worksheet, header) is not None:
            return worksheet, find_afm_block(worksheet, header=header)
    if header is not None:
        raise WorkbookError(f"Δεν βρέθηκε επικεφαλίδα «{header}» σε κανένα φύλλο.")
    return active, find_afm_block(active)


class WorkbookFill:
    """One workbook opened for filling: checked, loaded, its AFM column found.

    ``job = WorkbookFill.open(path)`` → ``job.run(lookup)`` → ``job.save()``; the
    checks happen in :meth:`open`, before anyone is asked for codes.
    """

    def __init__(self, path: Path, output: Path | None, workbook, sheet: WorkbookSheet, losses: list[str]):
        self.path = path
        #: where the result goes (``None``: in place)
        self.output = output
        self.workbook = workbook
        self.sheet = sheet
        #: what the copy lacks compared with the original (only with an output path)
        self.losses = losses
        self.report: fill.FillReport | None = None

    @property
    def target(self) -> Path:
        return self.output or self.path

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        *,
        sheet: str | None = None,
        column: str | None = None,
        header: str | None = None,
        output: str | os.PathLike | None = None,
    ) -> "WorkbookFill":
        """Check and load ``path``; raises :class:`WorkbookError` with a Greek reason."""
        path = Path(path)
        _check_suffix(path)
        if not path.exists():
            raise WorkbookError(f"Δεν βρέθηκε το αρχείο «{path}».")
        if not path.is_file():
            raise WorkbookError(f"Το «{path}» δεν είναι αρχείο.")
        out = Path(output) if output else None
        if out is not None and _same_file(path, out):
            out = None
        if out is not None:
            if out.suffix.lower() != path.suffix.lower():
                raise WorkbookError(
                    f"Το αρχείο εξόδου πρέπει να έχει την ίδια κατάληξη με το αρχικό ({path.suffix})."
                )
            if out.is_dir() or not out.parent.is_dir():
                raise WorkbookError(f"Μη έγκυρο αρχείο εξόδου «{out}».")
        _refuse_if_open(path)
        if out is not None:
            _refuse_if_open(out)
        losses = inspect_losses(path)
        if losses and out is None:
            raise WorkbookError(
                f"Το «{path.name}» περιέχει στοιχεία που θα χάνονταν αν συμπληρωνόταν στη θέση του: "
                + "; ".join(losses)
                + ". Το αρχείο δεν άλλαξε. Δώστε --output ΝΕΟ_ΑΡΧΕΙΟ για να γραφτεί συμπληρωμένο αντίγραφο."
            )
        workbook = _load(path)
        worksheet, block = _choose_sheet(workbook, sheet, column, header)
        return cls(path, out, workbook, WorkbookSheet(worksheet, block), losses)

    def run(
        self,
        lookup: fill.Lookup,
        fields: Sequence[str] | None = None,
        *,
        overwrite: bool = False,
        default_fields: Sequence[str] = DEFAULT_FIELDS,
    ) -> fill.FillReport:
        """Fill the sheet in memory (nothing is saved yet); see :func:`afm_xl.fill.run`."""
        self.report = fill.run(
            self.sheet, lookup, fields, overwrite=overwrite, placement="free", default_fields=default_fields
        )
        return self.report

    def save(self) -> Path | None:
        """Write the result atomically; ``None`` when filling in place changed nothing."""
        if self.output is None and not self.sheet.changed:
            return None
        return atomic_save(self.workbook, self.target)


def _load(path: Path):
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what would be lost was checked by inspect_losses
            return openpyxl.load_workbook(
                path, keep_vba=path.suffix.lower() in MACRO_SUFFIXES, rich_text=True, keep_links=True
            )
    except WorkbookError:
        raise
    except Exception as exc:  # a corrupt part can raise almost anything inside openpyxl
        raise WorkbookError(
            f"Το «{path.name}» δεν διαβάζεται ως βιβλίο Excel ({type(exc).__name__}: {exc})."
        ) from None


def fill_workbook(
    path: str | os.PathLike,
    lookup: fill.Lookup,
    fields: Sequence[str] | None = None,
    *,
    sheet: str | None = None,
    column: str | None = None,
    header: str | None = None,
    output: str | os.PathLike | None = None,
    overwrite: bool = False,
    default_fields: Sequence[str] = DEFAULT_FIELDS,
) -> fill.FillReport:
    """Open, fill and save a workbook in one call (see :class:`WorkbookFill`)."""
    job = WorkbookFill.open(path, sheet=sheet, column=column, header=header, output=output)
    report = job.run(lookup, fields, overwrite=overwrite, default_fields=default_fields)
    job.save()
    return report
