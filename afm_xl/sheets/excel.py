"""The sheet port over xlwings: the Excel selection the ribbon button fills.

:class:`ExcelSheet` implements :class:`~afm_xl.sheets.port.SheetPort` with a
small subset of the xlwings API, so a plain fake of that subset can stand in
for Excel in tests:

* ``Range``: ``row``, ``column``, ``shape``, ``address``, ``sheet``,
  ``options(ndim=2).value`` (read), ``value = rows`` (write), ``formula``,
  ``number_format = "@"``, ``merge_cells``;
* ``Sheet``: ``range((row, col), (row2, col2))``, ``used_range``;
* ``App``: ``status_bar``, ``alert(prompt, title, buttons, mode)``.

How a selection becomes the AFM cells (:meth:`ExcelSheet.from_selection`):
one area only (several areas → :class:`SelectionError`); a whole column, row
or sheet is cut to the used range, so a click on column A reads its values,
not a million cells; of several columns, the one with the AFM header (else
the most valid AFMs) is the AFM column; blank cells at either end are left
out; a single selected header cell «ΑΦΜ» stands for the column below it.

Writing keeps the port's contract under COM, where ``Range.Value`` behaves
like typing: the cells of text columns get the ``@`` format *before* the
values, and a text that Excel would parse (``=``, ``+``, ``-``, ``@``, tab,
CR, or a leading apostrophe, which Excel would swallow) gets a leading
apostrophe, which Excel keeps as a prefix character, not as part of the value.
A text in any other column gets the apostrophe too (no ``@`` there, so
«10559» would become a number). ``None`` leaves a cell as it is: a block is
written in one call when its ``None`` cells are empty, else in runs around them.
Cells of merged areas read as :data:`~afm_xl.sheets.port.LOCKED` (never written).
"""

from __future__ import annotations

import logging
from typing import Any, Collection

from ..afm import normalise
from ..errors import AfmXlError
from ..fields import is_afm_header
from .port import LOCKED, TEXT_FORMAT, Block, needs_text_guard

__all__ = ["ExcelSheet", "SelectionError", "TITLE", "excel_text", "looks_like_afms"]

log = logging.getLogger(__name__)

#: message box title
TITLE = "afm-xl — Συμπλήρωση από ΑΦΜ"
#: the prefix character that makes Excel keep a typed value as text
APOSTROPHE = "'"

NO_CELLS_TEXT = "Επιλέξτε τα κελιά με τους ΑΦΜ (ή την επικεφαλίδα «ΑΦΜ») και πατήστε ξανά το κουμπί."


class SelectionError(AfmXlError):
    """The selection cannot be filled: not cells, or several areas."""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_like_afms(values: Any) -> bool:
    """True when some value is a valid AFM or an AFM header (``ΑΦΜ``, ``Α.Φ.Μ.``…).

    >>> looks_like_afms([None, 'ΑΦΜ']), looks_like_afms([94014201.0]), looks_like_afms(['x', 123])
    (True, True, False)
    """
    return any(is_afm_header(v) or normalise(v).valid for v in values if not _is_blank(v))


def excel_text(value: Any, text_column: bool = True) -> Any:
    """``value`` as it must be sent through COM ``Range.Value`` to stay literal.

    >>> excel_text('=1+1'), excel_text("'ΤΙΤΛΟΣ"), excel_text('ΑΘΗΝΑ'), excel_text('10559', False)
    ("'=1+1", "''ΤΙΤΛΟΣ", 'ΑΘΗΝΑ', "'10559")
    """
    if not isinstance(value, str):
        return value
    if not text_column or needs_text_guard(value) or value.startswith(APOSTROPHE):
        return APOSTROPHE + value
    return value


def _bounds(rng: Any) -> tuple[int, int, int, int]:
    """``(top, left, bottom, right)`` of an xlwings Range."""
    rows, columns = rng.shape
    return rng.row, rng.column, rng.row + rows - 1, rng.column + columns - 1


def _grid(value: Any) -> list[list[Any]]:
    """A value read with ``ndim=2`` (or a bare scalar) as a list of rows."""
    if isinstance(value, (list, tuple)):
        return [list(row) if isinstance(row, (list, tuple)) else [row] for row in value]
    return [[value]]


def _area_count(rng: Any) -> int:
    """How many areas a selection has (COM ``Areas.Count``, else the commas of its address)."""
    try:
        return int(rng.api.Areas.Count)
    except Exception:
        pass
    try:
        return str(rng.address).count(",") + 1
    except Exception:
        return 1


def _choose_column(grid: list[list[Any]]) -> int | None:
    """Index of the AFM column of ``grid``: an AFM header first, else the most valid AFMs."""
    if not grid:
        return None
    width = max(len(row) for row in grid)
    columns = [[row[c] if c < len(row) else None for row in grid] for c in range(width)]
    for index, column in enumerate(columns):
        if any(is_afm_header(v) for v in column if not _is_blank(v)):
            return index
    counts = [sum(1 for v in column if not _is_blank(v) and normalise(v).valid) for column in columns]
    best = max(counts)
    return counts.index(best) if best else 0


class ExcelSheet:
    """A :class:`~afm_xl.sheets.port.SheetPort` over an xlwings sheet.

    ``sheet`` is the xlwings Sheet, ``block`` the AFM cells, ``app`` the xlwings
    App (status bar, message boxes; ``None``: silent, ``confirm`` says no).
    With ``defer_messages`` the texts of :meth:`message` are kept in
    :attr:`notes` (the ribbon shows them in its closing message) instead of
    one message box each.
    """

    def __init__(self, sheet: Any, block: Block, app: Any = None, *, defer_messages: bool = False):
        self.sheet = sheet
        self.block = block
        self.app = app
        self.defer_messages = defer_messages
        self.notes: list[str] = []
        self._status: str | None = None

    @classmethod
    def from_selection(cls, selection: Any, app: Any = None, **options: Any) -> "ExcelSheet":
        """The AFM cells of ``selection`` (an xlwings Range); see the module docstring.

        Raises :class:`SelectionError` for no selection or several areas.
        """
        if selection is None or not hasattr(selection, "sheet"):
            raise SelectionError(NO_CELLS_TEXT, code="NO_SELECTION")
        areas = _area_count(selection)
        if areas > 1:
            raise SelectionError(
                f"Η επιλογή έχει {areas} χωριστές περιοχές. Επιλέξτε μία συνεχή περιοχή "
                "(τη στήλη με τους ΑΦΜ) και πατήστε ξανά το κουμπί.",
                code="MULTIPLE_AREAS",
            )
        sheet = selection.sheet
        top, left, bottom, right = _bounds(selection)
        used = _used_bounds(sheet)
        if used is None:
            return cls(sheet, Block(top, left, ()), app, **options)
        top, left = max(top, used[0]), max(left, used[1])
        bottom, right = min(bottom, used[2]), min(right, used[3])
        if top > bottom or left > right:
            return cls(sheet, Block(*_bounds(selection)[:2], ()), app, **options)
        grid = _grid(sheet.range((top, left), (bottom, right)).options(ndim=2).value)
        index = _choose_column(grid) or 0
        column = left + index
        values = [row[index] if index < len(row) else None for row in grid]
        if len(values) == 1 and is_afm_header(values[0]) and used[2] > top:
            below = sheet.range((top + 1, column), (used[2], column)).options(ndim=2).value
            values += [row[0] for row in _grid(below)]
        while values and _is_blank(values[-1]):
            values.pop()
        first = next((i for i, v in enumerate(values) if not _is_blank(v)), 0)
        return cls(sheet, Block(top + first, column, tuple(values[first:])), app, **options)

    def looks_like_afms(self) -> bool:
        """See :func:`looks_like_afms` (the ribbon fills, else it opens the settings)."""
        return looks_like_afms(self.block.values)

    # -- the port: reading --------------------------------------------------------------------
    def read_block(self) -> Block:
        return self.block

    def extent(self) -> tuple[int, int]:
        used = _used_bounds(self.sheet)
        return (0, 0) if used is None else (used[2], used[3])

    def read_range(self, row: int, column: int, rows: int, columns: int) -> list[list[Any]]:
        if rows < 1 or columns < 1:
            return []
        rng = self.sheet.range((row, column), (row + rows - 1, column + columns - 1))
        grid = _grid(rng.options(ndim=2).value)
        for r, c in self._merged_cells(row, column, rows, columns):
            grid[r - row][c - column] = LOCKED
        return grid

    def _merged_cells(self, row: int, column: int, rows: int, columns: int) -> list[tuple[int, int]]:
        """Cells of the rectangle that belong to a merged area (a column checked at once)."""
        rect = self.sheet.range((row, column), (row + rows - 1, column + columns - 1))
        if rect.merge_cells is False:
            return []
        cells = []
        for c in range(column, column + columns):
            part = self.sheet.range((row, c), (row + rows - 1, c))
            if part.merge_cells is False:
                continue
            cells += [(r, c) for r in range(row, row + rows) if self.sheet.range((r, c)).merge_cells]
        return cells

    # -- the port: writing --------------------------------------------------------------------
    def write_block(
        self, row: int, column: int, values: list[list[Any]], *, text_columns: Collection[int] = ()
    ) -> None:
        if not values or not values[0]:
            return
        height, width = len(values), max(len(line) for line in values)
        grid = [list(line) + [None] * (width - len(line)) for line in values]
        holes = [(r, c) for r in range(height) for c in range(width) if grid[r][c] is None]
        if holes and not self._all_empty(row, column, height, width, holes):
            for r0, c0, run in _runs(grid):
                self._write(row + r0, column + c0, run, text_columns)
            return
        self._write(row, column, grid, text_columns)

    def _all_empty(self, row: int, column: int, height: int, width: int, holes: list[tuple[int, int]]) -> bool:
        """Whether the cells at ``holes`` hold nothing, not even a formula (one read)."""
        rng = self.sheet.range((row, column), (row + height - 1, column + width - 1))
        formulas = _grid(rng.formula)
        return all(_is_blank(formulas[r][c]) for r, c in holes)

    def _write(self, row: int, column: int, grid: list[list[Any]], text_columns: Collection[int]) -> None:
        """One rectangle: ``@`` on its text columns first, then the values in one call."""
        bottom = row + len(grid) - 1
        columns = range(column, column + len(grid[0]))
        for first, last in _spans([c for c in columns if c in text_columns]):
            self.sheet.range((row, first), (bottom, last)).number_format = TEXT_FORMAT
        cells = [[excel_text(v, column + i in text_columns) for i, v in enumerate(line)] for line in grid]
        self.sheet.range((row, column), (bottom, columns[-1])).value = cells

    # -- the port: talking to the user --------------------------------------------------------
    def status(self, text: str) -> None:
        if self.app is None or text == self._status:
            return
        self._status = text
        try:
            self.app.status_bar = text
        except Exception as exc:  # Excel busy: progress is not worth failing for
            log.debug("status bar: %s", exc)

    def reset_status(self) -> None:
        """Give the status bar back to Excel."""
        self._status = None
        if self.app is not None:
            try:
                self.app.status_bar = False
            except Exception as exc:
                log.debug("status bar: %s", exc)

    def message(self, text: str) -> None:
        if self.defer_messages:
            self.notes.append(text)
            return
        alert(self.app, text)

    def confirm(self, text: str) -> bool:
        if self.app is None:
            return False
        try:
            return self.app.alert(text, TITLE, "yes_no", "info") == "yes"
        except Exception as exc:
            log.warning("could not ask %r: %s", text, exc)
            return False


def alert(app: Any, text: str, *, critical: bool = False) -> None:
    """A message box: Excel's (``app.alert``), else Tk's, else the log."""
    if app is not None:
        try:
            app.alert(text, TITLE, "ok", "critical" if critical else "info")
            return
        except Exception as exc:
            log.info("app.alert failed (%s); trying Tk", exc)
    try:
        import tkinter
        from tkinter import messagebox

        root = tkinter.Tk()
        root.withdraw()
        root.attributes("-topmost", True)
        try:
            (messagebox.showwarning if critical else messagebox.showinfo)(TITLE, text, parent=root)
        finally:
            root.destroy()
    except Exception as exc:
        log.warning("%s (no message box: %s)", text, exc)


def _used_bounds(sheet: Any) -> tuple[int, int, int, int] | None:
    """``(top, left, bottom, right)`` of the used range, ``None`` for an empty sheet."""
    used = sheet.used_range
    bounds = _bounds(used)
    if bounds[0] == bounds[2] and bounds[1] == bounds[3] and _is_blank(used.value):
        return None
    return bounds


def _spans(columns: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted column numbers: ``[2, 3, 5]`` → ``[(2, 3), (5, 5)]``.

    >>> _spans([2, 3, 5])
    [(2, 3), (5, 5)]
    """
    spans: list[tuple[int, int]] = []
    for c in columns:
        if spans and c == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], c)
        else:
            spans.append((c, c))
    return spans


def _runs(grid: list[list[Any]]) -> list[tuple[int, int, list[list[Any]]]]:
    """The non-``None`` cells of ``grid`` as vertical runs ``(row, col, values)``, column by column.

    >>> _runs([['a', None], [None, 'b'], ['c', 'd']])
    [(0, 0, [['a']]), (2, 0, [['c']]), (1, 1, [['b'], ['d']])]
    """
    runs = []
    for c in range(len(grid[0])):
        start = None
        for r in range(len(grid) + 1):
            present = r < len(grid) and grid[r][c] is not None
            if present and start is None:
                start = r
            elif not present and start is not None:
                runs.append((start, c, [[grid[i][c]] for i in range(start, r)]))
                start = None
    return runs
