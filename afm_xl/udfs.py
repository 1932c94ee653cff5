"""Worksheet functions (xlwings UDFs): ``=AFM_NAME(A2)`` and friends, category «ΑΦΜ».

xlwings imports this module in its UDF server (the add-in's «UDF Modules» is
``afm_xl.udfs``); the Python names are the Excel names. Worksheet functions
work in Excel for Windows (xlwings has no UDFs on macOS); on Linux the
decorators are no-ops and the functions are plain Python functions.

=================================  ===================================================
``AFM_VALID(afm)``                 TRUE/FALSE: a valid AFM (checksum); never calls AADE
``AFM_NAME(afm)``                  Επωνυμία
``AFM_ADDRESS(afm)``               Πλήρης διεύθυνση («ΑΙΟΛΟΥ 86, 10559 ΑΘΗΝΑ»)
``AFM_DOY(afm)``                   ΔΟΥ
``AFM_FIELD(afm, field)``          any field of :data:`afm_xl.fields.FIELDS`, by key
                                   (``doy_code``) or Greek header (``Κωδ. ΔΟΥ``)
``AFM_INFO(afms, [fields])``       a 2-D array, one row per cell of ``afms`` and one
                                   column per field (default: the settings' fields),
                                   looked up in ONE batch; spills in Excel 365
=================================  ===================================================

Inputs: any cell value (numbers arrive as floats and lose the leading zero:
:func:`afm_xl.afm.normalise` handles that). A blank input gives an empty
string; ``AFM_NAME`` etc. given a range return one answer per cell.

Lookups go to the cache first; only what the cache lacks goes to AADE, through
one :class:`~afm_xl.engine.batch.Engine` per UDF-server process, and only when
codes exist (``AFM_XL_USERNAME``/``AFM_XL_PASSWORD`` or the OS keyring). A
formula never opens a dialog: without codes it tells the user to click the
ribbon button «Συμπλήρωση από ΑΦΜ» once. Codes the service refused are not
tried again until they change, and a call limit or a service outage pauses
calls for a while, so a recalculation cannot hammer AADE.

**Error convention.** xlwings cannot return real Excel errors (``#N/A``), so
every problem is a text that starts with :data:`ERROR_PREFIX` ``#ΑΦΜ!``
(test it with ``=LEFT(B2;5)="#ΑΦΜ!"``), at most 255 characters:

* ``#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λάθος ψηφίο ελέγχου)`` — the input is not an AFM;
* ``#ΑΦΜ! Δεν βρέθηκε`` / ``#ΑΦΜ! Όχι επιτηδευματίας`` — the registry's answer;
* ``#ΑΦΜ! Χωρίς κωδικούς ΑΑΔΕ — …«Συμπλήρωση από ΑΦΜ»…`` — not cached, no codes;
* ``#ΑΦΜ! Οι κωδικοί ΑΑΔΕ δεν έγιναν δεκτοί — …`` — codes refused;
* ``#ΑΦΜ! Όριο κλήσεων: …`` / ``#ΑΦΜ! Η υπηρεσία της ΑΑΔΕ δεν είναι διαθέσιμη: …``;
* ``#ΑΦΜ! Σφάλμα: …`` — no answer for this AFM (timeout …), tried again on the next recalculation;
* ``#ΑΦΜ! Άγνωστο πεδίο «…»`` — ``AFM_FIELD``/``AFM_INFO`` with an unknown field.

An input that already is such a text is passed on unchanged. Where the
registry answered, a field it leaves empty is an empty string. In a row of
``AFM_INFO`` (or ``AFM_FIELD``) without a record, the «Κατάσταση» field
still shows its status (``Δεν βρέθηκε``) and the first other column shows the
error text; the rest are empty.

>>> AFM_VALID(94014201.0), AFM_VALID('094014202'), AFM_VALID(None)
(True, False, '')
>>> AFM_NAME('123456789')
'#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λάθος ψηφίο ελέγχου)'
>>> AFM_FIELD('12', 'Κατάσταση'), AFM_FIELD('090000045', 'ύψος')
('Μη έγκυρος ΑΦΜ', '#ΑΦΜ! Άγνωστο πεδίο «ύψος»')
>>> AFM_INFO([['ΑΦΜ?'], [None]], 'name,status')
[['#ΑΦΜ! Μη έγκυρος ΑΦΜ (Μη έγκυροι χαρακτήρες)', 'Μη έγκυρος ΑΦΜ']]
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import threading
import time
from typing import Any, Callable, Sequence

import xlwings as xw

from . import errors
from .afm import normalise, reason_text
from .fields import DEFAULT_FIELDS, FIELDS, field_for_header, status_text
from .result import LookupResult

__all__ = [
    "AFM_VALID",
    "AFM_NAME",
    "AFM_ADDRESS",
    "AFM_DOY",
    "AFM_FIELD",
    "AFM_INFO",
    "ERROR_PREFIX",
    "MAX_TEXT",
    "UdfService",
    "service",
    "error_text",
]

log = logging.getLogger(__name__)

#: the Excel function category
CATEGORY = "ΑΦΜ"
#: every error text starts with it
ERROR_PREFIX = "#ΑΦΜ!"
#: longest text returned (longer strings can give #VALUE! in Excel, xlwings issue #456)
MAX_TEXT = 255
#: the ribbon button that asks for the codes
RIBBON_BUTTON = "«Συμπλήρωση από ΑΦΜ»"

NO_CODES_TEXT = (
    f"{ERROR_PREFIX} Χωρίς κωδικούς ΑΑΔΕ — επιλέξτε ένα κενό κελί και πατήστε {RIBBON_BUTTON} "
    "(καρτέλα ΑΦΜ, Ρυθμίσεις) για να τους δώσετε με απομνημόνευση"
)
REFUSED_TEXT = (
    f"{ERROR_PREFIX} Οι κωδικοί ΑΑΔΕ δεν έγιναν δεκτοί — πατήστε {RIBBON_BUTTON} για να τους διορθώσετε"
)
_STATUS_TEXTS = {
    "not_found": f"{ERROR_PREFIX} Δεν βρέθηκε",
    "not_business": f"{ERROR_PREFIX} Όχι επιτηδευματίας",
}
#: seconds without service calls after the service's own call limit / an outage
QUOTA_PAUSE_S = 600.0
OUTAGE_PAUSE_S = 60.0

_AFM_DOC = "Ο ΑΦΜ: κελί ή κείμενο (9 ψηφία· δεκτά και 8 ψηφία, EL/ΕΛ, κενά, τελείες)"


# -- texts ----------------------------------------------------------------------------------
def _short(text: str) -> str:
    """``text`` cut to :data:`MAX_TEXT` characters (with an ellipsis)."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def error_text(result: LookupResult, stop: BaseException | None = None) -> str:
    """The ``#ΑΦΜ!`` text of a result without a record (``stop``: the error that stopped its batch).

    >>> error_text(LookupResult.invalid('1', 'INVALID_LENGTH'))
    '#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λάθος πλήθος ψηφίων)'
    >>> error_text(LookupResult('090000045', '090000045', 'failed', error_code='TIMEOUT', message='Λήξη χρόνου'))
    '#ΑΦΜ! Σφάλμα: Λήξη χρόνου'
    """
    if result.status == "invalid":
        return f"{ERROR_PREFIX} Μη έγκυρος ΑΦΜ ({reason_text(result.error_code)})"
    if result.status in _STATUS_TEXTS:
        return _STATUS_TEXTS[result.status]
    from .engine.batch import NO_CREDENTIALS, QUOTA_REFUSED, STOPPED

    stopped = stop is not None and result.error_code in (NO_CREDENTIALS, STOPPED, QUOTA_REFUSED, getattr(stop, "code", None))
    if stopped:
        message = getattr(stop, "message", str(stop))
        if isinstance(stop, errors.AuthenticationError):
            return REFUSED_TEXT
        if isinstance(stop, errors.QuotaError):
            return _short(f"{ERROR_PREFIX} Όριο κλήσεων: {message}")
        if isinstance(stop, errors.ServiceUnavailableError):
            return _short(f"{ERROR_PREFIX} Η υπηρεσία της ΑΑΔΕ δεν είναι διαθέσιμη: {message}")
    if result.error_code == NO_CREDENTIALS:
        return NO_CODES_TEXT
    return _short(f"{ERROR_PREFIX} Σφάλμα: {result.message or result.error_code or 'χωρίς απάντηση'}")


def _cell(value: Any) -> Any:
    """A field value as a UDF returns it: text cut to 255, dates as dates, nothing as ``''``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _short(value)
    if isinstance(value, (datetime.date, bool, int, float)):
        return value
    return _short(str(value))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_error_text(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(ERROR_PREFIX)


# -- the lookups of this process ------------------------------------------------------------
@dataclasses.dataclass
class Answers:
    """Results in input order, and the error that stopped their batch (if any)."""

    results: list[LookupResult]
    stop: BaseException | None = None


class UdfService:
    """Cache-first lookups for the worksheet functions of one process (the UDF server).

    Thread-safe. Settings are re-read when ``settings.json`` changes, codes
    are read (environment, keyring) only when the cache cannot answer, and the
    engines are built lazily and rebuilt when codes, settings or the cache
    directory change. ``load_credentials`` returns ``(Credentials | None,
    source)``; ``clock`` gives monotonic seconds (both injectable for tests).
    """

    def __init__(
        self,
        *,
        load_credentials: Callable[[], tuple[Any, str]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._load_credentials = load_credentials
        self._clock = clock
        self._lock = threading.RLock()
        self._settings_key: Any = None
        self._settings = None
        self._offline: tuple[Any, Any] | None = None  # (key, Engine)
        self._online: tuple[Any, Any] | None = None
        self._refused = None  # credentials the service refused
        self._paused_until = 0.0
        self._pause_error: BaseException | None = None

    def reset(self) -> None:
        """Forget engines, settings, refused codes and pauses (tests; a changed environment)."""
        with self._lock:
            self._settings_key = self._settings = None
            self._offline = self._online = None
            self._refused = None
            self._paused_until, self._pause_error = 0.0, None

    # -- state, under the lock ------------------------------------------------------------
    def settings(self):
        """The saved settings, re-read when the file changes."""
        from . import settings as settings_module

        path = settings_module.settings_path()
        try:
            stat = os.stat(path)
            key = (str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (str(path), None, None)
        with self._lock:
            if key != self._settings_key or self._settings is None:
                self._settings = settings_module.load()
                self._settings_key = key
            return self._settings

    def _engine(self, credentials, settings):
        from . import paths
        from .engine.batch import Engine

        key = (credentials, repr(settings), settings.effective_endpoint, str(paths.cache_dir()))
        slot = "_online" if credentials is not None else "_offline"
        with self._lock:
            current = getattr(self, slot)
            if current is None or current[0] != key:
                engine = Engine.from_settings(credentials, settings, endpoint=settings.effective_endpoint)
                setattr(self, slot, (key, engine))
                current = getattr(self, slot)
            return current[1]

    def _credentials(self):
        if self._load_credentials is not None:
            return self._load_credentials()
        from .credentials import load

        return load()

    def _paused(self) -> BaseException | None:
        with self._lock:
            if self._pause_error is not None and self._clock() < self._paused_until:
                return self._pause_error
            self._pause_error = None
            return None

    def _remember(self, exc: BaseException, credentials) -> None:
        with self._lock:
            if isinstance(exc, errors.AuthenticationError):
                self._refused = credentials
            elif isinstance(exc, errors.QuotaError) and not isinstance(exc, errors.QuotaRefused):
                self._paused_until, self._pause_error = self._clock() + QUOTA_PAUSE_S, exc
            elif isinstance(exc, errors.ServiceUnavailableError):
                self._paused_until, self._pause_error = self._clock() + OUTAGE_PAUSE_S, exc

    # -- the one call -----------------------------------------------------------------------
    def lookup(self, values: Sequence[Any]) -> Answers:
        """Look up ``values`` (non-blank cell values): cache first, then AADE when codes exist."""
        values = list(values)
        if not any(normalise(v).valid for v in values):  # nothing to look up: no engine, no files
            return Answers([LookupResult.invalid(v, normalise(v).reason) for v in values])
        from .engine.batch import NO_CREDENTIALS

        settings = self.settings()
        first = self._engine(None, settings).lookup_many(values, offline=True)
        if not any(r.status == "failed" and r.error_code == NO_CREDENTIALS for r in first):
            return Answers(list(first))
        paused = self._paused()
        if paused is not None:
            return Answers(list(first), paused)
        credentials, _source = self._credentials()
        if credentials is None:
            return Answers(list(first))
        with self._lock:
            refused = credentials == self._refused
        if refused:
            return Answers(list(first), errors.AuthenticationError("refused", code="REFUSED_BEFORE"))
        try:
            return Answers(list(self._engine(credentials, settings).lookup_many(values)))
        except errors.AfmXlError as exc:
            self._remember(exc, credentials)
            results = getattr(exc, "results", None)
            if results is None or len(results) != len(values):
                results = first
            return Answers(list(results), exc)


_service = UdfService()


def service() -> UdfService:
    """The process-wide :class:`UdfService` (one per UDF server)."""
    return _service


# -- rows of field values -------------------------------------------------------------------
class UnknownField(ValueError):
    """A field name that :data:`afm_xl.fields.FIELDS` does not know (its text is the cell's)."""


def _field_keys(spec: Any) -> list[str]:
    """Field keys from ``None`` (the settings' fields), a text ``"name,ΔΟΥ"`` or cells."""
    if isinstance(spec, (list, tuple)):
        items = [v for v in _flatten(spec) if not _is_blank(v)]
    elif _is_blank(spec):
        items = []
    else:
        items = str(spec).split(",") if isinstance(spec, str) else [spec]
    if not items:
        return list(service().settings().fields or DEFAULT_FIELDS)
    keys = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        field = FIELDS.get(text) or field_for_header(text)
        if field is None:
            raise UnknownField(_short(f"{ERROR_PREFIX} Άγνωστο πεδίο «{text}»"))
        keys.append(field.key)
    return keys


def _row(result: LookupResult, keys: Sequence[str], stop: BaseException | None) -> list[Any]:
    if result.status == "ok":
        return [_cell(FIELDS[k].get(result)) for k in keys]
    cells: list[Any] = []
    error_shown = False
    for key in keys:
        value = status_text(result) if key == "status" and result.status != "failed" else None
        if value is None and not error_shown:
            value, error_shown = error_text(result, stop), True
        cells.append(_cell(value))
    return cells


def rows(values: Sequence[Any], keys: Sequence[str]) -> list[list[Any]]:
    """One row of cell values per input value (blank → empty strings), from ONE batch lookup."""
    width = len(keys)
    table: list[list[Any] | None] = [None] * len(values)
    wanted: list[int] = []
    for index, value in enumerate(values):
        if _is_blank(value):
            table[index] = [""] * width
        elif _is_error_text(value):
            table[index] = [_short(value)] + [""] * (width - 1)
        else:
            wanted.append(index)
    if wanted:
        answers = service().lookup([values[i] for i in wanted])
        for index, result in zip(wanted, answers.results):
            table[index] = _row(result, keys, answers.stop)
    return table  # type: ignore[return-value]


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in _flatten(part)]
    return [value]


def _reshape(value: Any, flat: list[Any]) -> Any:
    """``flat`` back into the shape of ``value`` (scalar, 1-D or 2-D list)."""
    items = iter(flat)

    def build(part: Any) -> Any:
        if isinstance(part, (list, tuple)):
            return [build(p) for p in part]
        return next(items)

    return build(value)


INTERNAL_ERROR_TEXT = f"{ERROR_PREFIX} Εσωτερικό σφάλμα (δείτε το αρχείο udfs.log του afm-xl)"
_log_ready = threading.Lock()


def _internal_error(what: str) -> str:
    """Log the current exception to ``udfs.log`` (the UDF server has no console) and give the cell text."""
    if _log_ready.acquire(blocking=False):  # the first time: add the file handler
        try:
            from . import paths

            handler = logging.FileHandler(paths.ensure(paths.log_dir()) / "udfs.log", encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            log.addHandler(handler)
        except OSError:
            pass
    log.exception("%s failed", what)
    return INTERNAL_ERROR_TEXT


def _field_udf(afm: Any, key: str) -> Any:
    """One field for one cell, or for each cell of a range (same shape, one batch)."""
    flat = _flatten(afm)
    try:
        answers = [row[0] for row in rows(flat, [key])]
    except Exception:  # a bug must not become an unreadable COM error in the cell
        answers = [_internal_error(f"the worksheet function for {key}")] * len(flat)
    return _reshape(afm, answers)


# -- the worksheet functions ----------------------------------------------------------------
@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afm", doc=_AFM_DOC, err_to_str=True)
def AFM_VALID(afm):
    """Ελέγχει αν ο ΑΦΜ είναι έγκυρος (ψηφίο ελέγχου): TRUE ή FALSE. Χωρίς σύνδεση στην ΑΑΔΕ. Κενό κελί: κενό."""
    flat = _flatten(afm)
    answers = ["" if _is_blank(v) else normalise(v).valid for v in flat]
    return _reshape(afm, answers)


@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afm", doc=_AFM_DOC, err_to_str=True)
def AFM_NAME(afm):
    """Η επωνυμία του ΑΦΜ από το μητρώο της ΑΑΔΕ (πρώτα από την αποθηκευμένη απάντηση). Σφάλματα: κείμενο που αρχίζει με #ΑΦΜ!"""
    return _field_udf(afm, "name")


@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afm", doc=_AFM_DOC, err_to_str=True)
def AFM_ADDRESS(afm):
    """Η διεύθυνση του ΑΦΜ (οδός, αριθμός, ΤΚ, περιοχή) από το μητρώο της ΑΑΔΕ. Σφάλματα: κείμενο που αρχίζει με #ΑΦΜ!"""
    return _field_udf(afm, "full_address")


@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afm", doc=_AFM_DOC, err_to_str=True)
def AFM_DOY(afm):
    """Η ΔΟΥ του ΑΦΜ από το μητρώο της ΑΑΔΕ. Σφάλματα: κείμενο που αρχίζει με #ΑΦΜ!"""
    return _field_udf(afm, "doy")


@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afm", doc=_AFM_DOC, err_to_str=True)
@xw.arg(
    "field",
    doc="Το πεδίο: επικεφαλίδα (Επωνυμία, ΔΟΥ, Κωδ. ΔΟΥ, ΤΚ, Κατάσταση, Έναρξη…) ή κλειδί (name, doy_code…)",
)
def AFM_FIELD(afm, field):
    """Ένα πεδίο του ΑΦΜ από το μητρώο της ΑΑΔΕ, π.χ. =AFM_FIELD(A2;"Κωδ. ΔΟΥ"). Σφάλματα: κείμενο που αρχίζει με #ΑΦΜ!"""
    if _is_blank(field) or isinstance(field, (list, tuple)):
        problem = f"{ERROR_PREFIX} Δώστε ένα πεδίο, π.χ. \"ΔΟΥ\" (για πολλά πεδία: AFM_INFO)"
        return _reshape(afm, [problem] * len(_flatten(afm)))
    try:
        keys = _field_keys(field)
    except UnknownField as exc:
        return _reshape(afm, [str(exc)] * len(_flatten(afm)))
    if len(keys) != 1:
        return _reshape(afm, [f"{ERROR_PREFIX} Δώστε ένα πεδίο (για πολλά πεδία: AFM_INFO)"] * len(_flatten(afm)))
    return _field_udf(afm, keys[0])


@xw.func(category=CATEGORY, volatile=False, call_in_wizard=False)
@xw.arg("afms", ndim=2, err_to_str=True, doc="Τα κελιά με τους ΑΦΜ (μία γραμμή αποτελεσμάτων ανά κελί)")
@xw.arg(
    "fields",
    doc="Προαιρετικό: πεδία χωρισμένα με κόμμα (π.χ. \"Επωνυμία,ΔΟΥ,ΤΚ\") ή κελιά με επικεφαλίδες· "
    "χωρίς αυτό, τα πεδία των ρυθμίσεων",
)
def AFM_INFO(afms, fields=None):
    """Πίνακας στοιχείων μητρώου: μία γραμμή ανά ΑΦΜ, μία στήλη ανά πεδίο, με μία μαζική αναζήτηση. Στο Excel 365 απλώνεται αυτόματα."""
    try:
        keys = _field_keys(fields)
    except UnknownField as exc:
        return str(exc)
    values = _flatten(afms)
    while values and _is_blank(values[-1]):  # a whole column: stop at its last value
        values.pop()
    if not values:
        return ""
    try:
        return rows(values, keys)
    except Exception:
        return _internal_error("AFM_INFO")
