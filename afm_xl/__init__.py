"""afm-xl: fill Excel columns from Greek AFMs through AADE's RgWsPublic2 service.

Importing this package is cheap on purpose: every ribbon click starts a new
Python process that runs ``import afm_xl; afm_xl.main()``. Heavy modules
(zeep, lxml, openpyxl, tkinter, xlwings) are imported only where they are used.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "main"]


def main() -> None:
    """The ribbon button's entry point (``RunPython "import afm_xl; afm_xl.main()"``)."""
    from .ribbon import main as ribbon_main

    ribbon_main()
