"""The sheet port: the few things the fill engine asks of a worksheet.

The fill engine (:mod:`afm_xl.fill`) never imports Excel, xlwings or openpyxl;
it talks to a :class:`SheetPort`. Implementations: :mod:`.memory` (tests),
:mod:`.workbook` (an openpyxl worksheet, for ``afm-xl fill BOOK``) and the
ribbon's xlwings sheet. Rows and columns are 1-based, as in Excel.

Contract of :meth:`SheetPort.write_block` that every implementation keeps:
a ``str`` is stored as literal text — never parsed as a formula, number or
date, whatever it starts with (``=``, ``+``, ``-``, ``@``, tab, CR; see
:func:`needs_text_guard`); ``None`` leaves the cell as it is; cells of
``text_columns`` get the text number format ``@``.

>>> column_letter(1), column_letter(28), column_index('ab')
('A', 'AB', 28)
>>> parse_ref('C7')
(7, 3)
>>> needs_text_guard('=1+1'), needs_text_guard('-ΑΕ'), needs_text_guard('ΑΕ')
(True, True, False)
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Collection, Protocol, runtime_checkable

__all__ = [
    "Block",
    "SheetPort",
    "RecordedInteraction",
    "LOCKED",
    "TEXT_FORMAT",
    "needs_text_guard",
    "column_letter",
    "column_index",
    "parse_ref",
]

#: Excel's number format for text.
TEXT_FORMAT = "@"

#: First characters that make Excel (or a CSV export of the sheet) read a value as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Locked:
    """A cell that cannot be written (inside a merged range); never empty, never equal to a value."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "LOCKED"


#: What :meth:`SheetPort.read_range` returns for a cell that cannot be written.
LOCKED = _Locked()


@dataclasses.dataclass(frozen=True)
class Block:
    """The AFM cells to fill: one column, from ``row`` down, ``values`` top to bottom.

    ``header``: ``True`` when the first value is the column's header, ``False``
    when it is data, ``None`` to let the fill engine decide.
    """

    row: int
    column: int
    values: tuple[Any, ...]
    header: bool | None = None

    @property
    def last_row(self) -> int:
        return self.row + len(self.values) - 1


@runtime_checkable
class SheetPort(Protocol):
    """A worksheet as the fill engine sees it."""

    def read_block(self) -> Block:
        """The AFM cells (the selection, or the AFM column found in a file)."""

    def extent(self) -> tuple[int, int]:
        """The last row and column holding a value, ``(0, 0)`` for an empty sheet."""

    def read_range(self, row: int, column: int, rows: int, columns: int) -> list[list[Any]]:
        """Current values of a rectangle (rows of values); :data:`LOCKED` for unwritable cells."""

    def write_block(
        self, row: int, column: int, values: list[list[Any]], *, text_columns: Collection[int] = ()
    ) -> None:
        """Write a rectangle in one go (see the module's contract); ``text_columns`` are absolute."""

    def status(self, text: str) -> None:
        """Show progress (Excel's status bar); cheap, called often."""

    def message(self, text: str) -> None:
        """Tell the user something that needs no answer."""

    def confirm(self, text: str) -> bool:
        """Ask a yes/no question; ``False`` when nobody can answer."""


class RecordedInteraction:
    """``status``/``message``/``confirm`` for a sheet nobody watches (tests, workbook files).

    Keeps what was said in ``statuses``, ``messages`` and ``questions``; ``confirm``
    answers ``answer`` (``False``: a file fill never overwrites without ``--overwrite``).
    """

    def __init__(self, *, answer: bool = False) -> None:
        self.answer = answer
        self.statuses: list[str] = []
        self.messages: list[str] = []
        self.questions: list[str] = []

    def status(self, text: str) -> None:
        self.statuses.append(text)

    def message(self, text: str) -> None:
        self.messages.append(text)

    def confirm(self, text: str) -> bool:
        self.questions.append(text)
        return self.answer


def needs_text_guard(value: Any) -> bool:
    """True for a text that a spreadsheet could take for a formula (CWE-1236)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def column_letter(index: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    if index < 1:
        raise ValueError(f"column {index} < 1")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` → 1, ``aa`` → 27; ``ValueError`` for anything but 1–3 letters A–XFD."""
    text = str(letters).strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", text):
        raise ValueError(f"not a column letter: {letters!r}")
    index = 0
    for char in text:
        index = index * 26 + ord(char) - 64
    if index > 16384:
        raise ValueError(f"column {letters!r} is beyond XFD")
    return index


def parse_ref(ref: str) -> tuple[int, int]:
    """``'B2'`` → ``(row, column)`` = ``(2, 2)``."""
    match = _REF.match(str(ref).strip())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), column_index(match.group(1))
