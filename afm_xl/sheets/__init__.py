"""Sheet ports: the one small interface the fill engine writes through, and its implementations.

* :mod:`.port` — :class:`SheetPort` (read the AFM cells, read a range, write a
  block, status, message, confirm), :class:`Block`, :data:`LOCKED`, A1 helpers;
* :mod:`.memory` — :class:`~afm_xl.sheets.memory.MemorySheet`, a dict-backed sheet for tests;
* :mod:`.workbook` — an openpyxl worksheet and the safe file fill behind
  ``afm-xl fill BOOK`` (imports openpyxl when used);
* the ribbon's xlwings sheet implements the same port.

The fill engine (:mod:`afm_xl.fill`) never learns which one it talks to.
"""

from .port import LOCKED, TEXT_FORMAT, Block, SheetPort, column_index, column_letter, needs_text_guard, parse_ref

__all__ = [
    "Block",
    "SheetPort",
    "LOCKED",
    "TEXT_FORMAT",
    "needs_text_guard",
    "column_letter",
    "column_index",
    "parse_ref",
]
