"""xlwings' real UDF decorators on Linux, for tests (excel-platform.md §3.4).

On Linux ``xw.func/arg/ret`` are no-ops. The real ones live in
``xlwings.udfs``, which imports ``pythoncom``, ``pywintypes`` and
``win32com.client`` at the top; with stand-ins for those three, it imports,
and a module decorated with the real decorators gets its ``__xlfunc__``
metadata, and ``udfs.generate_vba_wrapper`` writes the VBA that Excel's
«Import Functions» would write.

:func:`real_udfs` does all of it inside a ``with`` block and restores
``sys.modules`` and the ``xw`` attributes afterwards, so other tests keep the
no-op decorators and the ordinary copy of the module.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import types
from types import SimpleNamespace
from typing import Iterator

STUBBED = ("pythoncom", "pywintypes", "win32com", "win32com.client")


def win32_stubs() -> dict[str, types.ModuleType]:
    """Stand-ins for the three pywin32 modules ``xlwings.udfs`` imports."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}


@contextlib.contextmanager
def real_udfs(module_name: str = "afm_xl.udfs") -> Iterator[tuple[types.ModuleType, types.ModuleType]]:
    """``(xlwings.udfs, a fresh copy of module_name decorated for real)``; everything restored after."""
    import xlwings as xw

    saved_modules = {name: sys.modules.get(name) for name in (*STUBBED, "xlwings.udfs", module_name)}
    saved_attrs = {name: getattr(xw, name) for name in ("func", "arg", "ret")}
    package_name, _, child = module_name.rpartition(".")
    package = sys.modules.get(package_name) if package_name else None
    saved_child = getattr(package, child, None) if package is not None else None
    try:
        sys.modules.update(win32_stubs())
        sys.modules.pop("xlwings.udfs", None)
        xl_udfs = importlib.import_module("xlwings.udfs")
        xw.func, xw.arg, xw.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
        sys.modules.pop(module_name, None)
        module = importlib.import_module(module_name)
        yield xl_udfs, module
    finally:
        for name, attr in saved_attrs.items():
            setattr(xw, name, attr)
        for name, previous in saved_modules.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
        if package is not None:
            if saved_child is None:
                with contextlib.suppress(AttributeError):
                    delattr(package, child)
            else:
                setattr(package, child, saved_child)
        if hasattr(xw, "udfs") and saved_modules["xlwings.udfs"] is None:
            with contextlib.suppress(AttributeError):
                delattr(xw, "udfs")


def vba_wrapper(xl_udfs: types.ModuleType, module: types.ModuleType, module_name: str = "afm_xl.udfs",
                book_name: str = "afm_xl.xlam") -> str:
    """The VBA text «Import Functions» would write for ``module`` into ``book_name``."""
    buffer = io.StringIO()
    xl_udfs.generate_vba_wrapper(module_name, module, buffer, SimpleNamespace(Name=book_name))
    return buffer.getvalue()
