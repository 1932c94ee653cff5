"""An in-memory worksheet implementing the sheet port (tests, demos, dry runs).

It keeps values and number formats per cell and records what the fill engine
did to it: every write, status text, message and question.

>>> sheet = MemorySheet([['ΑΦΜ'], ['090000045']], selection='A1:A2')
>>> sheet.read_block()
Block(row=1, column=1, values=('ΑΦΜ', '090000045'), header=None)
>>> sheet.write_block(1, 2, [['Επωνυμία'], ['=X']], text_columns={2})
>>> sheet['B2'], sheet.format('B2'), sheet.extent()
('=X', '@', (2, 2))
"""

from __future__ import annotations

from typing import Any, Collection, Iterable

from .port import LOCKED, TEXT_FORMAT, Block, RecordedInteraction, column_index, parse_ref

__all__ = ["MemorySheet"]


class MemorySheet(RecordedInteraction):
    """A worksheet held in a dict. ``selection`` is ``'A2:A9'``, a column ``'C'``, or ``None`` (column A).

    A column selection covers the column's cells from its first to its last
    value (as the ribbon trims a whole-column selection to the used range).
    ``answer`` is what :meth:`confirm` replies; ``locked`` cells (``'B3'``)
    behave like cells inside a merged range: they read as :data:`LOCKED`.
    """

    def __init__(
        self,
        rows: Iterable[Iterable[Any]] = (),
        *,
        selection: str | None = None,
        header: bool | None = None,
        answer: bool = False,
        locked: Iterable[str] = (),
    ):
        self.cells: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    self.cells[(r, c)] = value
        self.selection = selection or "A"
        self.header = header
        super().__init__(answer=answer)
        self.locked = {parse_ref(ref) for ref in locked}
        self.writes: list[tuple[int, int, list[list[Any]]]] = []

    # -- inspection helpers for tests ------------------------------------------------------
    def __getitem__(self, ref: str) -> Any:
        return self.cells.get(parse_ref(ref))

    def __setitem__(self, ref: str, value: Any) -> None:
        key = parse_ref(ref)
        if value is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = value

    def format(self, ref: str) -> str | None:
        """The number format given to a cell (``'@'``), or ``None``."""
        return self.formats.get(parse_ref(ref))

    def column(self, letter: str) -> list[Any]:
        """The values of a column from row 1 to the sheet's last row."""
        col = column_index(letter)
        return [self.cells.get((r, col)) for r in range(1, self.extent()[0] + 1)]

    def row(self, number: int) -> list[Any]:
        """The values of a row from column A to the sheet's last column."""
        return [self.cells.get((number, c)) for c in range(1, self.extent()[1] + 1)]

    # -- the port ------------------------------------------------------------------------
    def read_block(self) -> Block:
        if ":" in self.selection:
            first, last = (parse_ref(p) for p in self.selection.split(":"))
            top, bottom, col = first[0], last[0], first[1]
        else:
            col = column_index(self.selection)
            used = sorted(r for (r, c) in self.cells if c == col)
            if not used:
                return Block(1, col, (), self.header)
            top, bottom = used[0], used[-1]
        values = tuple(self.cells.get((r, col)) for r in range(top, bottom + 1))
        return Block(top, col, values, self.header)

    def extent(self) -> tuple[int, int]:
        if not self.cells:
            return (0, 0)
        return max(r for r, _ in self.cells), max(c for _, c in self.cells)

    def read_range(self, row: int, column: int, rows: int, columns: int) -> list[list[Any]]:
        return [
            [
                LOCKED if (r, c) in self.locked else self.cells.get((r, c))
                for c in range(column, column + columns)
            ]
            for r in range(row, row + rows)
        ]

    def write_block(
        self, row: int, column: int, values: list[list[Any]], *, text_columns: Collection[int] = ()
    ) -> None:
        self.writes.append((row, column, [list(v) for v in values]))
        for r, line in enumerate(values, start=row):
            for c, value in enumerate(line, start=column):
                if value is None:
                    continue
                if (r, c) in self.locked:
                    raise ValueError(f"cell {(r, c)} is locked")
                self.cells[(r, c)] = value
                if c in text_columns:
                    self.formats[(r, c)] = TEXT_FORMAT

