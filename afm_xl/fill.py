"""The fill engine: AFM cells in, registry columns out, through a sheet port.

Shared by the ribbon button (an xlwings sheet) and ``afm-xl fill BOOK`` (an
openpyxl worksheet); it never imports Excel. One :func:`run`:

1. reads the AFM cells (:meth:`~afm_xl.sheets.port.SheetPort.read_block`) and
   decides whether the first one is a header (:func:`detect_header`);
2. chooses the target column of every field (:func:`choose_layout`): columns whose
   header names a field (``Επωνυμία``, ``ΔΟΥ`` … :func:`afm_xl.fields.field_for_header`)
   are filled in place; other fields get new columns, with their headers when
   the block has a header row (its first cell, or the row just above it);
3. looks up the non-blank cells through ``lookup`` (the engine's batch API);
4. computes the writes (:func:`plan`): a target cell that already holds another
   value is a *conflict*, overwritten only with ``overwrite=True`` or when the
   user confirms once — except afm-xl's own status, source and update time
   (:func:`is_own_value`); a value equal to the current one is not written; a
   missing value (``None``) never blanks a cell;
5. writes each column block in one call; every text is written as text.

Blank AFM cells get no status; a row per non-blank cell gets its Greek status
(:func:`afm_xl.fields.status_text`) when the ``status`` field is filled.

>>> from afm_xl.sheets.memory import MemorySheet
>>> from afm_xl.result import LookupResult
>>> sheet = MemorySheet([['ΑΦΜ'], ['12']])
>>> report = run(sheet, lambda values, progress: [LookupResult.invalid(v, 'INVALID_LENGTH') for v in values])
>>> sheet.row(1), sheet.row(2)
(['ΑΦΜ', 'Επωνυμία', 'Διεύθυνση', 'ΤΚ', 'Περιοχή', 'ΔΟΥ', 'Κατάσταση'], ['12', None, None, None, None, None, 'Μη έγκυρος ΑΦΜ'])
>>> report.invalid, report.cells
(1, 7)
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any, Callable, Mapping, Sequence

from .afm import normalise
from .errors import AfmXlError, AuthenticationError
from .fields import DEFAULT_FIELDS, FIELDS, STATUS_OK, STATUS_TEXTS, field_for_header
from .fields import is_afm_header as _is_afm_header
from .result import LookupResult
from .sheets.port import LOCKED, Block, SheetPort, column_letter

__all__ = [
    "Progress",
    "Lookup",
    "Layout",
    "Cell",
    "Plan",
    "FillReport",
    "run",
    "plan",
    "choose_layout",
    "detect_header",
    "cell_value",
    "is_blank",
    "is_own_value",
    "is_afm_header",
    "same_value",
    "MAX_COLUMN",
]

#: ``progress(done, total, calls_made)``, as the engine's batch API calls it.
Progress = Callable[[int, int, int], None]
#: ``lookup(values, progress) -> results`` in input order, e.g.
#: ``lambda values, progress: engine.lookup_many(values, progress=progress)``.
Lookup = Callable[[list[Any], Progress], Sequence[LookupResult]]

MAX_COLUMN = 16384  # XFD
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
_ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ANSWERED = ("ok", "not_found", "not_business")


# -- values ---------------------------------------------------------------------------------
def is_blank(value: Any) -> bool:
    """An empty cell: ``None`` or whitespace-only text.

    >>> is_blank(None), is_blank('  '), is_blank(0), is_blank(LOCKED)
    (True, True, False, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value: Any, text: bool = True) -> Any:
    """A field's value as it goes into a cell: text fields as ``str`` (control
    characters removed, cut at Excel's 32,767), dates as dates, ``None`` for nothing.

    >>> cell_value(10559), cell_value('A\\x00B'), cell_value(''), cell_value(datetime.date(2020, 1, 2), False)
    ('10559', 'AB', None, datetime.date(2020, 1, 2))
    """
    if value is None:
        return None
    if text or isinstance(value, str):
        value = _ILLEGAL_CHARS.sub("", str(value))[:MAX_CELL_TEXT]
        return value or None
    return value


def same_value(old: Any, new: Any) -> bool:
    """Whether a cell already shows ``new`` (numbers read back as text, dates as datetimes).

    >>> same_value(10559, '10559'), same_value(10559.0, '10559'), same_value(' OK', 'OK')
    (True, True, True)
    >>> same_value(datetime.datetime(2020, 1, 2), datetime.date(2020, 1, 2)), same_value('ΑΘΗΝΑ', 'ΠΕΙΡΑΙΑΣ')
    (True, False)
    """
    if old is None:  # most target cells: the quick answer of the checks below
        return new is None
    if old is LOCKED or new is LOCKED:
        return False
    if is_blank(old) or new is None:
        return is_blank(old) and new is None
    if isinstance(old, datetime.datetime) and type(new) is datetime.date:
        return old == datetime.datetime.combine(new, datetime.time())
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, float) and old.is_integer():
        old = int(old)
    return str(old).strip() == str(new).strip()


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def _own_status(value: Any) -> bool:
    text = str(value).strip()
    return text == STATUS_OK or text in STATUS_TEXTS.values() or text.startswith(STATUS_TEXTS["failed"] + ":")


#: Values afm-xl itself writes about a lookup (not registry data): a later fill replaces them freely.
_OWN_VALUES: dict[str, Callable[[Any], bool]] = {
    "status": _own_status,
    "source": lambda value: str(value).strip() in ("ΑΑΔΕ", "ΑΑΔΕ (cache)"),
    "fetched_at": lambda value: isinstance(value, datetime.datetime) or bool(_TIMESTAMP.match(str(value).strip())),
}


def is_own_value(key: str, value: Any) -> bool:
    """Whether ``value`` in the column of field ``key`` is afm-xl's own lookup metadata.

    Statuses (``OK``, ``Δεν βρέθηκε``, ``Σφάλμα: …``), the source and the
    update time change from one fill to the next; they are replaced without
    asking. Registry data (names, addresses …) never is: a user may have edited it.

    >>> is_own_value('status', 'Σφάλμα: Λήξη χρόνου'), is_own_value('status', 'πελάτης VIP'), is_own_value('name', 'OK')
    (True, False, False)
    """
    check = _OWN_VALUES.get(key)
    return bool(check and value is not LOCKED and not is_blank(value) and check(value))


def is_afm_header(value: Any) -> bool:
    """:func:`afm_xl.fields.is_afm_header`, answering at once for numbers and digit strings (most cells).

    >>> is_afm_header(' Α.Φ.Μ. '), is_afm_header('090000045'), is_afm_header(90000045)
    (True, False, False)
    """
    return isinstance(value, str) and any(ch.isalpha() for ch in value) and _is_afm_header(value)


def detect_header(values: Sequence[Any]) -> bool:
    """Whether the first cell is a header: an AFM header (``ΑΦΜ``, ``Α.Φ.Μ.``, ``AFM``…),
    or words (not an AFM) above at least one valid AFM.

    >>> detect_header(['Α.Φ.Μ.']), detect_header(['Πελάτης', 90000045]), detect_header(['12345678', '090000045'])
    (True, True, False)
    >>> detect_header(['090000045', '094014201']), detect_header(['Πελάτης', 'x']), detect_header([])
    (False, False, False)
    """
    if not values:
        return False
    first = values[0]
    if is_afm_header(first):
        return True
    if not isinstance(first, str) or not any(ch.isalpha() for ch in first):
        return False
    if normalise(first).reason not in ("INVALID_FORMAT", "TOO_LONG"):
        return False  # a valid AFM, a formula, an Excel error …
    return any(normalise(v).afm for v in values[1:])


# -- layout ---------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Layout:
    """Where a fill reads and writes."""

    afm_column: int
    #: rows of the AFM cells that are data (header rows excluded), top to bottom
    data_rows: tuple[int, ...]
    #: rows whose AFM cell is a header (the block's first row, and any ``ΑΦΜ`` cell further down)
    header_rows: tuple[int, ...]
    #: ``(field key, column)`` in field order
    columns: tuple[tuple[str, int], ...]
    #: columns created by this fill (their header is written in ``header_rows``)
    new_columns: tuple[int, ...]

    @property
    def top(self) -> int:
        return min(self.data_rows + self.header_rows)

    @property
    def bottom(self) -> int:
        return max(self.data_rows + self.header_rows)


def _columns_empty(sheet: SheetPort, first: int, count: int, last_row: int) -> bool:
    if last_row < 1 or count < 1:
        return True
    return all(is_blank(v) for row in sheet.read_range(1, first, last_row, count) for v in row)


def choose_layout(
    sheet: SheetPort,
    block: Block,
    fields: Sequence[str] | None = None,
    *,
    default_fields: Sequence[str] = DEFAULT_FIELDS,
    placement: str = "adjacent",
) -> Layout:
    """Target columns for ``fields`` (``None``: the fields the header row names, else ``default_fields``).

    The header row is the block's first row when it is a header
    (:func:`detect_header`), else the row just above the block when that row
    reads like one (an AFM header above the AFMs, or a header naming a field):
    a selection of the AFMs alone still maps to its table's columns.

    New columns (fields without a column of their own):

    * ``placement="adjacent"`` (the ribbon): right of the AFM column, skipping
      columns whose header names a field or an AFM; cells there that hold
      something are conflicts.
    * ``placement="free"`` (workbook files): right of the AFM column when those
      columns are empty in the whole sheet, else after the sheet's last used
      column — never over existing data.
    """
    if placement not in ("adjacent", "free"):
        raise ValueError(f"placement must be 'adjacent' or 'free', not {placement!r}")
    header = block.header if block.header is not None else detect_header(block.values)
    header_rows, data_rows = [], []
    for offset, value in enumerate(block.values):
        row = block.row + offset
        if (offset == 0 and header) or (offset > 0 and is_afm_header(value)):
            header_rows.append(row)
        else:
            data_rows.append(row)

    last_row, last_col = sheet.extent()
    last_col = max(last_col, block.column)
    if not header and block.row > 1:  # a selection below its table's header row
        above = sheet.read_range(block.row - 1, 1, 1, last_col)[0]
        if is_afm_header(above[block.column - 1]) or any(
            field_for_header(v) for v in above if v is not LOCKED and not is_blank(v)
        ):
            header_rows.insert(0, block.row - 1)
    named: dict[str, int] = {}
    reserved = {block.column}
    if header_rows:
        for column, value in enumerate(sheet.read_range(header_rows[0], 1, 1, last_col)[0], start=1):
            if column == block.column or value is LOCKED:
                continue
            field = field_for_header(value)
            if field is not None:
                named.setdefault(field.key, column)
                reserved.add(column)
            elif is_afm_header(value):
                reserved.add(column)

    if fields:
        keys = list(dict.fromkeys(fields))
    else:
        keys = list(named) if named else list(default_fields)
    unknown = [k for k in keys if k not in FIELDS]
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")

    missing = [k for k in keys if k not in named]
    new: list[int] = []
    if placement == "adjacent":
        column = block.column + 1
        while len(new) < len(missing):
            if column not in reserved:
                new.append(column)
            column += 1
    elif missing:
        start = block.column + 1
        if not _columns_empty(sheet, start, len(missing), last_row):
            start = last_col + 1
        new = list(range(start, start + len(missing)))
    if new and new[-1] > MAX_COLUMN:
        raise AfmXlError("Δεν υπάρχουν αρκετές ελεύθερες στήλες στο φύλλο για τα πεδία.")
    placed = dict(zip(missing, new))
    columns = tuple((k, named[k] if k in named else placed[k]) for k in keys)
    return Layout(block.column, tuple(data_rows), tuple(header_rows), columns, tuple(new))


# -- plan -----------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Cell:
    """One target cell: its current value and the value the fill would write."""

    row: int
    column: int
    old: Any
    new: Any

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a fill would do, before anything is written.

    ``writes``: empty target cells that get a value; ``conflicts``: cells that
    hold another value (written only when overwriting); ``locked``: cells that
    cannot be written (merged ranges), always kept.
    """

    layout: Layout
    writes: tuple[Cell, ...]
    conflicts: tuple[Cell, ...]
    locked: tuple[Cell, ...]
    #: absolute columns of fields written as text (number format ``@``)
    text_columns: frozenset[int]
    #: target cells that hold something now (a rectangle never spans them)
    occupied: frozenset[tuple[int, int]] = frozenset()

    def cells(self, overwrite: bool = False) -> list[Cell]:
        """The cells to write, column by column, top to bottom."""
        chosen = list(self.writes) + (list(self.conflicts) if overwrite else [])
        return sorted(chosen, key=lambda c: (c.column, c.row))

    def blocks(self, overwrite: bool = False) -> list[tuple[int, int, list[list[Any]]]]:
        """The writes as few rectangles as possible: ``(row, column, values)``.

        A rectangle spans the rows between two writes only across cells that
        are empty now (``None`` there leaves them empty, whatever the sheet
        does with it); neighbouring columns with the same rows share one.
        """
        by_column: dict[int, dict[int, Any]] = {}
        for cell in self.cells(overwrite):
            by_column.setdefault(cell.column, {})[cell.row] = cell.new
        spans: dict[tuple[int, int], list[int]] = {}
        for column, values in sorted(by_column.items()):
            rows = sorted(values)
            start = previous = rows[0]
            for row in rows[1:]:
                if any((r, column) in self.occupied for r in range(previous + 1, row)):
                    spans.setdefault((start, previous), []).append(column)
                    start = row
                previous = row
            spans.setdefault((start, previous), []).append(column)
        blocks = []
        for (top, bottom), columns in spans.items():
            groups = [[columns[0]]]
            for column in columns[1:]:
                if column == groups[-1][-1] + 1:
                    groups[-1].append(column)
                else:
                    groups.append([column])
            for group in groups:
                values = [[by_column[c].get(r) for c in group] for r in range(top, bottom + 1)]
                blocks.append((top, group[0], values))
        return sorted(blocks, key=lambda b: (b[1], b[0]))


def plan(
    layout: Layout,
    results: Mapping[int, LookupResult],
    current: Mapping[tuple[int, int], Any],
) -> Plan:
    """The writes for ``results`` (data row → result) given the ``current`` target values.

    Pure: no sheet access; a cell missing from ``current`` is empty. The
    headers of new columns are written in every header row. A cell holding
    afm-xl's own lookup metadata (:func:`is_own_value`) is no conflict.
    """
    writes, conflicts, locked = [], [], []

    def consider(row: int, column: int, new: Any, key: str | None = None) -> None:
        old = current.get((row, column))
        if new is None or same_value(old, new):
            return
        cell = Cell(row, column, old, new)
        if old is LOCKED:
            locked.append(cell)
        elif is_blank(old) or (key is not None and is_own_value(key, old)):
            writes.append(cell)
        else:
            conflicts.append(cell)

    for key, column in layout.columns:
        field = FIELDS[key]
        if column in layout.new_columns:
            for row in layout.header_rows:
                consider(row, column, field.header)
        for row in layout.data_rows:
            result = results.get(row)
            if result is not None:
                consider(row, column, cell_value(field.get(result), field.text), key)
    text_columns = frozenset(col for key, col in layout.columns if FIELDS[key].text)
    occupied = frozenset(k for k, v in current.items() if v is LOCKED or not is_blank(v))
    return Plan(layout, tuple(writes), tuple(conflicts), tuple(locked), text_columns, occupied)


# -- report ---------------------------------------------------------------------------------
@dataclasses.dataclass
class FillReport:
    """What a fill did. Row counts by status, cell counts for writes and kept values."""

    #: non-blank AFM cells looked up
    rows: int = 0
    #: rows answered with a registry record (active or deactivated)
    filled: int = 0
    #: of ``filled``, deactivated AFMs (status «Απενεργοποιημένος ΑΦΜ»)
    deactivated: int = 0
    invalid: int = 0
    not_found: int = 0
    not_business: int = 0
    failed: int = 0
    #: blank AFM cells (no status written)
    skipped: int = 0
    #: cells written (headers included)
    cells: int = 0
    #: target cells that held another value and were kept
    kept: int = 0
    #: service calls made by the lookup
    calls: int = 0
    header: bool = False
    #: field key → column letter
    columns: dict[str, str] = dataclasses.field(default_factory=dict)
    warnings: list[str] = dataclasses.field(default_factory=list)
    #: an error that stopped the lookup part-way (quota, service down); rows after it are «Σφάλμα»
    error: AfmXlError | None = None

    def count(self, result: LookupResult) -> None:
        self.rows += 1
        if result.status == "ok":
            self.filled += 1
            if result.record is not None and result.record.active is False:
                self.deactivated += 1
        elif result.status in ("invalid", "not_found", "not_business", "failed"):
            setattr(self, result.status, getattr(self, result.status) + 1)
        else:
            self.failed += 1

    def summary(self) -> str:
        """One Greek line, e.g. ``Συμπληρώθηκαν 3 από 5 ΑΦΜ · 2 μη έγκυροι · κλήσεις: 3``."""
        parts = [f"Συμπληρώθηκαν {self.filled} από {self.rows} ΑΦΜ"]
        for count, text in (
            (self.deactivated, "απενεργοποιημένοι"),
            (self.invalid, "μη έγκυροι"),
            (self.not_found, "δεν βρέθηκαν"),
            (self.not_business, "όχι επιτηδευματίες"),
            (self.failed, "σφάλματα"),
            (self.kept, "κελιά με τιμές κρατήθηκαν"),
        ):
            if count:
                parts.append(f"{count} {text}")
        parts.append(f"κλήσεις: {self.calls}")
        return " · ".join(parts)


def _conflict_question(count: int) -> str:
    if count == 1:
        return "1 κελί έχει ήδη τιμή. Αντικατάσταση;"
    return f"{count} κελιά έχουν ήδη τιμές. Αντικατάσταση;"


def _calls(results: Sequence[LookupResult]) -> int:
    calls = getattr(results, "calls", None)
    if isinstance(calls, int):
        return calls
    return len({r.afm for r in results if r.source == "gsis"})


def _lookup(lookup: Lookup, values: list[Any], progress: Progress) -> tuple[Sequence[LookupResult], AfmXlError | None]:
    """Run the lookup; a stop part-way that still answered some rows gives those rows."""
    try:
        results = lookup(values, progress)
        error = None
    except AuthenticationError:
        raise  # the front-end asks for codes again; nothing is written
    except AfmXlError as exc:
        results = getattr(exc, "results", None)
        if results is None or len(results) != len(values) or not any(r.status in _ANSWERED for r in results):
            raise
        error = exc
    if len(results) != len(values):
        raise ValueError(f"lookup returned {len(results)} results for {len(values)} values")
    return results, error


# -- run ------------------------------------------------------------------------------------
def run(
    sheet: SheetPort,
    lookup: Lookup,
    fields: Sequence[str] | None = None,
    *,
    overwrite: bool = False,
    placement: str = "adjacent",
    default_fields: Sequence[str] = DEFAULT_FIELDS,
) -> FillReport:
    """Fill ``sheet`` from its AFM cells; see the module docstring.

    ``fields``: field keys (:data:`afm_xl.fields.FIELDS`), ``None`` for the
    fields the header row names, else ``default_fields``. Conflicts are
    overwritten when ``overwrite`` is true, else after one ``confirm``; when
    declined only empty cells are filled. Raises what ``lookup`` raises, except
    a quota or service stop with partial ``.results``: those rows are written
    and the error is returned in :attr:`FillReport.error`.
    """
    block = sheet.read_block()
    layout = choose_layout(sheet, block, fields, default_fields=default_fields, placement=placement)
    report = FillReport(header=bool(layout.header_rows) and layout.header_rows[0] <= block.row)
    report.columns = {key: column_letter(col) for key, col in layout.columns}

    rows, values = [], []
    for row in layout.data_rows:
        value = block.values[row - block.row]
        if is_blank(value):
            report.skipped += 1
        else:
            rows.append(row)
            values.append(value)
    if not values:
        sheet.message("Δεν βρέθηκαν ΑΦΜ στα επιλεγμένα κελιά.")
        return report

    sheet.status(f"Αναζήτηση {len(values)} ΑΦΜ…")

    shown = [-1]

    def progress(done: int, total: int, calls: int = 0) -> None:
        percent = 100 * done // max(total, 1)
        if percent != shown[0] or done == total:  # at most ~100 status updates (COM calls in Excel)
            shown[0] = percent
            sheet.status(f"Αναζήτηση ΑΦΜ: {done}/{total} (κλήσεις: {calls})")

    results, report.error = _lookup(lookup, values, progress)
    report.calls = _calls(results)
    report.warnings = [str(w) for w in getattr(results, "warnings", None) or ()]
    for result in results:
        report.count(result)

    columns = sorted(col for _, col in layout.columns)
    top, bottom = layout.top, layout.bottom
    current: dict[tuple[int, int], Any] = {}
    if columns:
        grid = sheet.read_range(top, columns[0], bottom - top + 1, columns[-1] - columns[0] + 1)
        wanted = set(columns)
        for r, line in enumerate(grid, start=top):
            for c, value in enumerate(line, start=columns[0]):
                if c in wanted:
                    current[(r, c)] = value
    the_plan = plan(layout, dict(zip(rows, results)), current)

    if the_plan.conflicts and not overwrite:
        overwrite = bool(sheet.confirm(_conflict_question(len(the_plan.conflicts))))
    for row, column, block_values in the_plan.blocks(overwrite):
        sheet.write_block(row, column, block_values, text_columns=the_plan.text_columns)
    report.cells = len(the_plan.cells(overwrite))
    report.kept = len(the_plan.locked) + (0 if overwrite else len(the_plan.conflicts))

    for warning in report.warnings:
        sheet.message(warning)
    if report.error is not None:
        sheet.message(f"Η αναζήτηση σταμάτησε: {report.error}")
    sheet.status(report.summary())
    return report
