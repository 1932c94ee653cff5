"""The ribbon button «Συμπλήρωση από ΑΦΜ»: fill the selection, or open the settings.

The add-in runs ``RunPython "import afm_xl; afm_xl.main()"`` in a new Python
process per click (Excel waits for it). :func:`main` is the only code that
touches ``xw.Book.caller()``; everything else works on any object with the
xlwings subset that :mod:`afm_xl.sheets.excel` describes, so it is tested on
Linux with a fake of that subset.

:func:`fill_selection`:

* the selection holds AFM-like values (a valid AFM, or an «ΑΦΜ» header):
  fill the columns next to it through the fill engine (:mod:`afm_xl.fill`),
  cache first, asking for the codes in a Tk dialog only when AADE must be
  called; progress in Excel's status bar; one write per column block; a
  closing message with counts, calls made and calls left;
* otherwise: the settings dialog (:mod:`afm_xl.prompts.settings_dialog`).

Every expected failure (no codes and the dialog cancelled, codes refused three
times, a call limit, the service down, a selection of several areas) ends in
a Greek message box, never a traceback; rows answered before a stop are
still written. An unexpected error is logged to ``ribbon.log`` in
:func:`afm_xl.paths.log_dir` and reported in one line.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Callable

from .errors import (
    AfmXlError, AuthenticationError, Cancelled, CredentialsMissing, QuotaError, ServiceUnavailableError,
)

__all__ = ["main", "fill_selection", "RibbonOutcome", "closing_message", "quota_line"]

log = logging.getLogger(__name__)

LOG_FILE = "ribbon.log"
UNCHANGED = "Κανένα κελί δεν άλλαξε."
_DEFAULT: Any = object()


@dataclasses.dataclass
class RibbonOutcome:
    """What one click did: ``action`` is ``filled``, ``settings`` or ``error``."""

    action: str
    #: the text shown in the closing message box (None: nothing was shown)
    message: str | None = None
    #: the fill's report (:class:`afm_xl.fill.FillReport`) when it ran
    report: Any = None
    error: BaseException | None = None


# -- texts ----------------------------------------------------------------------------------
def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def quota_line(usage: dict[str, Any] | None) -> str | None:
    """One Greek line about the calls left, from :meth:`afm_xl.engine.quota.Quota.usage`.

    >>> quota_line({'today': 3, 'month': 120, 'daily_limit': None, 'monthly_limit': 10000, 'remaining': 9880})
    'Υπόλοιπο κλήσεων: 9.880 (μηνιαίο όριο 10.000· έχουν γίνει 120 αυτόν τον μήνα, 3 σήμερα)'
    >>> quota_line({'today': 3, 'month': 3, 'daily_limit': None, 'monthly_limit': None, 'remaining': None})
    'Κλήσεις: 3 αυτόν τον μήνα, 3 σήμερα (χωρίς όριο στις ρυθμίσεις)'
    """
    if not usage:
        return None
    used = f"{_number(usage['month'])} αυτόν τον μήνα, {_number(usage['today'])} σήμερα"
    if usage.get("remaining") is None:
        return f"Κλήσεις: {used} (χωρίς όριο στις ρυθμίσεις)"
    limits = []
    if usage.get("daily_limit"):
        limits.append(f"ημερήσιο όριο {_number(usage['daily_limit'])}")
    if usage.get("monthly_limit"):
        limits.append(f"μηνιαίο όριο {_number(usage['monthly_limit'])}")
    return f"Υπόλοιπο κλήσεων: {_number(usage['remaining'])} ({', '.join(limits)}· έχουν γίνει {used})"


def closing_message(report: Any, usage: dict[str, Any] | None = None, notes: list[str] = ()) -> str:
    """The closing message of a fill: counts, cells, calls, calls left, then ``notes``.

    >>> from afm_xl.fill import FillReport
    >>> print(closing_message(FillReport(rows=4, filled=2, invalid=1, not_found=1, cells=14, calls=2)))
    Συμπληρώθηκαν 2 από 4 ΑΦΜ.
      Μη έγκυροι ΑΦΜ: 1
      Δεν βρέθηκαν: 1
    Κελιά που γράφτηκαν: 14
    Κλήσεις στην ΑΑΔΕ: 2
    """
    lines = [f"Συμπληρώθηκαν {report.filled} από {report.rows} ΑΦΜ."]
    for count, label in (
        (report.deactivated, "Απενεργοποιημένοι (συμπληρώθηκαν)"),
        (report.invalid, "Μη έγκυροι ΑΦΜ"),
        (report.not_found, "Δεν βρέθηκαν"),
        (report.not_business, "Όχι επιτηδευματίες"),
        (report.failed, "Χωρίς απάντηση (Σφάλμα)"),
    ):
        if count:
            lines.append(f"  {label}: {count}")
    cells = f"Κελιά που γράφτηκαν: {report.cells}"
    if report.kept:
        cells += f" · κρατήθηκαν {report.kept} κελιά που είχαν ήδη τιμή"
    lines.append(cells)
    lines.append(f"Κλήσεις στην ΑΑΔΕ: {report.calls}")
    line = quota_line(usage)
    if line:
        lines.append(line)
    lines += [n for n in notes if n]
    return "\n".join(lines)


def error_message(exc: BaseException) -> str:
    """The Greek text of a failure that stopped a click (nothing was written)."""
    if isinstance(exc, (Cancelled, CredentialsMissing)):
        return f"{exc} {UNCHANGED}"
    if isinstance(exc, AuthenticationError):
        return f"Η ΑΑΔΕ δεν δέχτηκε τους κωδικούς: {exc} {UNCHANGED}"
    if isinstance(exc, QuotaError):
        return f"Όριο κλήσεων: {exc} {UNCHANGED}"
    if isinstance(exc, ServiceUnavailableError):
        return f"Η υπηρεσία της ΑΑΔΕ δεν είναι διαθέσιμη: {exc} Δοκιμάστε αργότερα. {UNCHANGED}"
    if isinstance(exc, AfmXlError):
        return str(exc)
    return (
        f"Απρόσμενο σφάλμα ({type(exc).__name__}). Λεπτομέρειες στο αρχείο καταγραφής {_log_path()}."
    )


def _log_path() -> str:
    from . import paths

    return str(paths.log_dir() / LOG_FILE)


# -- the click ------------------------------------------------------------------------------
class _Stopped(AfmXlError):
    """An authentication stop after some rows were answered: the fill writes them."""


def _throttled(progress: Callable[[int, int, int], None], steps: int = 100) -> Callable[..., None]:
    """``progress`` called at most ``steps`` times per batch (the status bar is a COM call)."""
    last = [-1]

    def report(done: int, total: int, calls: int = 0) -> None:
        step = done * steps // total if total else steps
        if step != last[0] or done >= total:
            last[0] = step
            progress(done, total, calls)

    return report


def _usage(settings) -> dict[str, Any] | None:
    """Calls counted for the codes in use, or ``None`` when there are none."""
    try:
        from .credentials import load
        from .engine.quota import Quota

        credentials, _ = load()
        if credentials is None:
            return None
        return Quota(None, settings).usage(credentials.username)
    except Exception as exc:  # the count is a courtesy; never fail the click for it
        log.warning("quota usage: %s", exc)
        return None


def _open_settings() -> Any:
    from .prompts.settings_dialog import open_settings_dialog

    return open_settings_dialog()


def fill_selection(
    book: Any,
    *,
    prompt: Any = _DEFAULT,
    open_settings: Callable[[], Any] | None = None,
    settings: Any = None,
    endpoint: str | None = None,
) -> RibbonOutcome:
    """Fill ``book.selection`` or open the settings; see the module docstring.

    ``book``: an xlwings Book (``selection``, ``app``) or a fake of it.
    ``prompt``: the credential prompt (default: the Tk dialog when one can
    open); ``open_settings``: shows the settings dialog (default: Tk).
    Never raises for an expected failure; the outcome says what happened.
    """
    app = getattr(book, "app", None)
    sheet = None
    try:
        from .sheets.excel import ExcelSheet

        try:
            selection = book.selection
        except Exception as exc:  # a chart or a shape is selected
            log.info("no cell selection: %s", exc)
            selection = None
        sheet = ExcelSheet.from_selection(selection, app, defer_messages=True)
        if not sheet.looks_like_afms():
            (open_settings or _open_settings)()
            return RibbonOutcome("settings")
        return _fill(sheet, prompt=prompt, settings=settings, endpoint=endpoint)
    except Exception as exc:
        if not isinstance(exc, AfmXlError):
            log.exception("the ribbon button failed")
        text = error_message(exc)
        _show(app, text, critical=True)
        return RibbonOutcome("error", text, error=exc)
    finally:
        if sheet is not None:
            sheet.reset_status()


def _fill(sheet, *, prompt: Any, settings: Any, endpoint: str | None) -> RibbonOutcome:
    from . import fill
    from . import settings as settings_module
    from .fields import DEFAULT_FIELDS
    from .lookups import lookup_values

    settings = settings or settings_module.load()
    if prompt is _DEFAULT:
        from .prompts import choose_prompt

        prompt = choose_prompt("tk")
    stopped: list[AuthenticationError] = []

    def lookup(values, progress):
        try:
            return lookup_values(
                values, prompt=prompt, settings=settings, endpoint=endpoint, progress=_throttled(progress)
            )
        except AuthenticationError as exc:
            results = getattr(exc, "results", None)
            if results is None or not any(r.status in ("ok", "not_found", "not_business") for r in results):
                raise
            stopped.append(exc)  # codes refused after the cache answered some rows: write those
            partial = _Stopped(f"Η ΑΑΔΕ δεν δέχτηκε τους κωδικούς: {exc}", code=exc.code)
            partial.results = results
            raise partial from exc

    report = fill.run(sheet, lookup, default_fields=settings.fields or DEFAULT_FIELDS)
    if stopped:
        report.error = stopped[0]
    text = closing_message(report, _usage(settings), sheet.notes)
    _show(sheet.app, text, critical=report.error is not None or bool(report.failed))
    return RibbonOutcome("filled", text, report, report.error)


def _show(app: Any, text: str, *, critical: bool = False) -> None:
    from .sheets.excel import alert

    alert(app, text, critical=critical)


def _setup_logging() -> None:
    """Warnings and errors of this click go to ``ribbon.log`` (never a password: see errors.py)."""
    from . import paths

    try:
        directory = paths.ensure(paths.log_dir())
        handler = logging.FileHandler(directory / LOG_FILE, encoding="utf-8")
    except OSError:
        return
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("afm_xl").addHandler(handler)


def main() -> None:
    """The button's entry point: ``xw.Book.caller()`` → :func:`fill_selection`."""
    _setup_logging()
    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception as exc:
        log.exception("xw.Book.caller() failed")
        _show(None, f"Το afm-xl πρέπει να ξεκινά από το κουμπί του Excel ({type(exc).__name__}).", critical=True)
        return
    fill_selection(book)
