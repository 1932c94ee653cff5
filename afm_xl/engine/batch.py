"""Batch lookups: the one way every front-end (CLI, fill, worksheet functions) asks.

:meth:`Engine.lookup_many` turns any list of cell values into one
:class:`~afm_xl.result.LookupResult` per value, in input order:

1. normalise each value (:func:`afm_xl.afm.normalise`); invalid ones get
   status ``invalid`` and never reach the service;
2. dedupe: one lookup per unique AFM, every duplicate gets the same answer
   with its own ``input``;
3. the cache answers what it can (``source`` ``"cache"``);
4. the rest go to the service through a bounded pool of worker threads
   sharing one :class:`~afm_xl.gsis.client.GsisClient`; each answer is cached
   and counted (:mod:`afm_xl.engine.quota`) as soon as it arrives, so a killed
   process loses nothing it already had.

What stops a batch: an authentication error, a quota error, or the service
saying it is not active. No new call starts after it (the calls already in
flight, at most ``concurrency - 1``, complete and keep their answers); the
rows never looked up get status ``failed`` (code ``STOPPED``) and the error is
raised with the whole result list attached as ``exc.results``. A
:class:`~afm_xl.errors.TransientError` (after the client's own retries) fails
only its row. Cancelling (a :class:`threading.Event`, or ``progress`` raising
:class:`~afm_xl.errors.Cancelled`) works the same way, rows ``CANCELLED``,
nothing raised.

Without a client (no codes; the worksheet functions run cache-only) rows that
need the service fail with code ``NO_CREDENTIALS`` and
:class:`~afm_xl.errors.CredentialsMissing` is raised with ``.results`` —
unless ``offline=True``, which just returns them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from typing import Any, Callable, Iterator, Sequence

from .. import errors
from ..afm import normalise
from ..result import LookupResult
from .cache import Cache, Database, as_on_key
from .quota import Quota

__all__ = ["Engine", "BatchResult", "MAX_CONCURRENCY", "Progress"]

log = logging.getLogger(__name__)

MAX_CONCURRENCY = 16
#: ``progress(done, total, calls_made)``: input rows answered so far, all input rows, service calls
Progress = Callable[[int, int, int], Any]

#: error codes of rows that got no answer, with the Greek text the sheet shows
NO_CREDENTIALS = "NO_CREDENTIALS"
OFFLINE = "OFFLINE"
CANCELLED = "CANCELLED"
STOPPED = "STOPPED"
QUOTA_REFUSED = "QUOTA_REFUSED"
INTERNAL_ERROR = "INTERNAL_ERROR"
MESSAGES = {
    NO_CREDENTIALS: "Δεν υπάρχει αποθηκευμένη απάντηση και δεν έχουν οριστεί κωδικοί πρόσβασης ΑΑΔΕ",
    OFFLINE: "Δεν υπάρχει αποθηκευμένη απάντηση (χωρίς σύνδεση με την ΑΑΔΕ)",
    CANCELLED: "Ακυρώθηκε από τον χρήστη",
    QUOTA_REFUSED: "Δεν αναζητήθηκε: η εργασία ξεπερνά το όριο κλήσεων",
}
_STOP_TEXTS = (
    (errors.AuthenticationError, "Δεν αναζητήθηκε: η ΑΑΔΕ απέρριψε τους κωδικούς πρόσβασης"),
    (errors.QuotaError, "Δεν αναζητήθηκε: εξαντλήθηκε όριο κλήσεων της ΑΑΔΕ"),
    (errors.ServiceUnavailableError, "Δεν αναζητήθηκε: η υπηρεσία της ΑΑΔΕ δεν είναι ενεργή"),
)
_STOPPING = (errors.AuthenticationError, errors.QuotaError, errors.ServiceUnavailableError)
_DONE = object()


_NORMALISED: dict[tuple[type, Any], tuple[str | None, str | None]] = {}
_NORMALISED_MAX = 100_000


def _normalise(value: Any) -> tuple[str | None, str | None]:
    """:func:`~afm_xl.afm.normalise`, remembered for text and integer cells.

    Worksheets recalculate the same cells again and again; this keeps a
    cached lookup far below the cost of the checksum. (The type is part of the
    key: ``True == 1`` but they normalise differently.)
    """
    kind = type(value)
    if kind is not str and kind is not int:
        return normalise(value)
    key = (kind, value)
    hit = _NORMALISED.get(key)
    if hit is None:
        hit = normalise(value)
        if kind is str and len(value) > 64:
            return hit  # never an AFM; not worth remembering
        if len(_NORMALISED) >= _NORMALISED_MAX:
            _NORMALISED.clear()
        _NORMALISED[key] = hit
    return hit


def _stop_text(exc: BaseException) -> str:
    return next(text for kind, text in _STOP_TEXTS if isinstance(exc, kind))


def _failed(afm: str | None, code: str, message: str) -> LookupResult:
    return LookupResult(afm, afm, "failed", None, code, message, None)


def _echo(result: LookupResult, value: Any) -> LookupResult:
    """``result`` for the input ``value`` (shared when it already is)."""
    if result.input is value or (type(value) is str and result.input == value):
        return result
    return LookupResult(value, result.afm, result.status, result.record, result.error_code,
                        result.message, result.source)


class BatchResult(Sequence[LookupResult]):
    """The results of :meth:`Engine.lookup_many`, one per input, with counters.

    ``calls``: AFMs sent to the service (the client's own retries not counted);
    ``from_cache``: unique AFMs answered by the cache; ``unique``: unique valid
    AFMs; ``invalid``: input rows that are not an AFM; ``warnings``: Greek texts
    for the user (quota at 80 %, a cache file set aside); ``cancelled``: the
    batch was cancelled; ``error``: the error that stopped it, if any.
    """

    __slots__ = ("results", "calls", "from_cache", "invalid", "unique", "warnings", "cancelled", "error")

    def __init__(self, results: list[LookupResult], *, calls: int = 0, from_cache: int = 0,
                 invalid: int = 0, unique: int = 0, warnings: list[str] | None = None):
        self.results = results
        self.calls = calls
        self.from_cache = from_cache
        self.invalid = invalid
        self.unique = unique
        self.warnings = warnings if warnings is not None else []
        self.cancelled = False
        self.error: errors.AfmXlError | None = None

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index):
        return self.results[index]

    def __iter__(self) -> Iterator[LookupResult]:
        return iter(self.results)

    def __repr__(self) -> str:
        return (f"BatchResult({len(self)} results, calls={self.calls}, from_cache={self.from_cache}, "
                f"unique={self.unique}, invalid={self.invalid}, statuses={dict(self.statuses())})")

    @property
    def codes_verified(self) -> bool:
        """True when the service itself answered at least one row (so it accepted the codes).

        Rows from the cache, invalid inputs and transport failures prove nothing about the codes.
        """
        return any(r.source == "gsis" for r in self.results)

    def statuses(self) -> Counter:
        """How many rows have each status."""
        return Counter(r.status for r in self.results)


class Engine:
    """Looks things up: cache first, then the service, within the quota.

    ``client`` is ``None`` when there are no codes (cache-only). ``cache`` and
    ``quota`` are optional (``None``: no caching / no own accounting).
    ``concurrency`` is clamped to 1–16.
    """

    def __init__(self, client, *, cache: Cache | None = None, quota: Quota | None = None,
                 concurrency: int = 4):
        self.client = client
        self.cache = cache
        self.quota = quota
        self.concurrency = max(1, min(MAX_CONCURRENCY, int(concurrency)))

    def __repr__(self) -> str:
        return f"Engine({self.client!r}, cache={self.cache!r}, quota={self.quota!r}, concurrency={self.concurrency})"

    @classmethod
    def from_settings(cls, credentials, settings=None, *, endpoint: str | None = None,
                      use_cache: bool = True) -> "Engine":
        """An engine as the settings describe it (``settings`` ``None``: the saved ones).

        ``credentials`` ``None`` gives a cache-only engine. The endpoint is
        ``endpoint``, else ``$AFM_XL_ENDPOINT``, else the settings', else the real service.
        The quota is always accounted, also with ``use_cache=False``. Every engine
        of a process shares one :meth:`Database.shared` (connections and memory layer).
        """
        from .. import settings as settings_module
        from ..gsis.client import GsisClient

        settings = settings if settings is not None else settings_module.load()
        client = None
        if credentials is not None:
            client = GsisClient(
                credentials,
                endpoint=endpoint or settings.effective_endpoint,
                timeout=settings.timeout,
                afm_called_by=settings.caller_afm,
            )
        db = Database.shared()
        cache = None
        if use_cache:
            cache = Cache(db, ttl_days=settings.cache_ttl_days, negative_ttl_days=settings.negative_ttl_days)
        quota = Quota(db, settings)
        return cls(client, cache=cache, quota=quota, concurrency=settings.concurrency)

    @property
    def username(self) -> str | None:
        credentials = getattr(self.client, "credentials", None)
        return credentials.username if credentials else None

    def close(self) -> None:
        """Close this thread's and every other database connection (they reopen on use)."""
        for part in (self.cache, self.quota):
            if part is not None:
                part.db.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the API ----------------------------------------------------------------------------
    def lookup(self, value: Any, **options: Any) -> LookupResult:
        """One value; the options and errors of :meth:`lookup_many`."""
        return self.lookup_many((value,), **options)[0]

    def lookup_many(
        self,
        values: Sequence[Any],
        *,
        as_on_date: Any = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        force: bool = False,
        read_cache: bool = True,
        write_cache: bool = True,
        offline: bool = False,
    ) -> BatchResult:
        """Look up every value; results in input order (see the module docstring).

        ``as_on_date``: a ``date`` or ISO text for a historical lookup (cached apart).
        ``force``: skip afm-xl's own quota refusal. ``read_cache=False,
        write_cache=False`` is ``--no-cache``; ``read_cache=False`` alone is ``--refresh``.
        ``offline``: never call the service.

        Raises :class:`~afm_xl.errors.AuthenticationError`,
        :class:`~afm_xl.errors.QuotaError` (:class:`~afm_xl.errors.QuotaRefused`
        before any call), :class:`~afm_xl.errors.ServiceUnavailableError`,
        :class:`~afm_xl.errors.CredentialsMissing`, each with ``.results``;
        :class:`~afm_xl.errors.AfmXlError` (code ``INVALID_DATE``) for a bad ``as_on_date``.
        """
        if isinstance(values, (str, bytes)):  # one value, not a sequence of characters
            values = [values]
        values = values if isinstance(values, (list, tuple)) else list(values)
        try:
            date_key = as_on_key(as_on_date)
        except (TypeError, ValueError):
            raise errors.AfmXlError(
                f"Μη έγκυρη ημερομηνία αναφοράς {as_on_date!r}: γράψτε την ως ΕΕΕΕ-ΜΜ-ΗΗ "
                "(invalid as_on_date, use YYYY-MM-DD)", code="INVALID_DATE",
            ) from None
        total = len(values)
        results: list[LookupResult | None] = [None] * total
        rows_of: dict[str, list[int]] = {}
        invalid = 0
        for index, value in enumerate(values):
            afm, reason = _normalise(value)
            if afm is None:
                results[index] = LookupResult.invalid(value, reason)
                invalid += 1
            else:
                rows = rows_of.get(afm)
                if rows is None:
                    rows_of[afm] = [index]
                else:
                    rows.append(index)
        batch = BatchResult(results, invalid=invalid, unique=len(rows_of))  # type: ignore[arg-type]

        def report(done: int) -> None:
            if progress is not None:
                try:
                    progress(done, total, batch.calls)
                except errors.Cancelled:
                    if cancel is not None:
                        cancel.set()

        for db in {id(part.db): part.db for part in (self.cache, self.quota) if part is not None}.values():
            batch.warnings.extend(db.take_warnings())  # each told once per process

        def answer(afm: str, result: LookupResult) -> int:
            rows = rows_of[afm]
            for index in rows:
                results[index] = _echo(result, values[index])
            return len(rows)

        pending = list(rows_of)
        done = invalid
        if read_cache and self.cache is not None and pending:
            hits = self.cache.get_many(pending, date_key)
            if hits:
                batch.from_cache = len(hits)
                for afm, hit in hits.items():
                    done += answer(afm, hit)
                pending = [afm for afm in pending if afm not in hits]

        if pending and (offline or self.client is None):
            code = NO_CREDENTIALS if self.client is None else OFFLINE
            for afm in pending:
                answer(afm, _failed(afm, code, MESSAGES[code]))
            report(total)
            if offline:
                return batch
            batch.error = errors.CredentialsMissing(
                "Δεν έχουν οριστεί κωδικοί πρόσβασης ΑΑΔΕ (ειδικοί κωδικοί) και "
                f"{len(pending)} ΑΦΜ δεν έχουν αποθηκευμένη απάντηση.",
                code=NO_CREDENTIALS,
            )
            batch.error.results = batch
            raise batch.error

        username = self.username
        if pending and self.quota is not None and username and not force:
            try:
                self.quota.check(username, len(pending))
            except errors.QuotaRefused as exc:
                for afm in pending:
                    answer(afm, _failed(afm, QUOTA_REFUSED, MESSAGES[QUOTA_REFUSED]))
                batch.error = exc
                exc.results = batch
                raise

        if pending and cancel is None:
            cancel = threading.Event()  # lets ``progress`` cancel by raising Cancelled
        report(done)
        if pending:
            self._call_service(pending, answer, batch, date_key, done, report, cancel, write_cache)
        if batch.calls and self.quota is not None and username:
            batch.warnings.extend(self.quota.warnings(username))
        report(total)
        if batch.error is not None:
            batch.error.results = batch
            raise batch.error
        return batch

    # -- the worker pool --------------------------------------------------------------------
    def _call_service(self, pending: list[str], answer, batch: BatchResult, date_key: str, done: int,
                      report: Callable[[int], None], cancelled: threading.Event,
                      write_cache: bool) -> None:
        """Send ``pending`` to the service through the worker pool; fills ``batch``."""
        client = self.client
        as_on = date_key or None
        stop = threading.Event()
        outcomes: queue.SimpleQueue = queue.SimpleQueue()
        feed = iter(pending)
        feed_lock = threading.Lock()
        started: set[str] = set()

        def take() -> str | None:
            with feed_lock:
                if stop.is_set() or cancelled.is_set():
                    return None
                afm = next(feed, None)
                if afm is not None:
                    started.add(afm)
                return afm

        def work() -> None:
            try:
                while (afm := take()) is not None:
                    try:
                        outcomes.put((afm, client.lookup(afm, as_on), None))
                    except _STOPPING as exc:
                        stop.set()  # before anyone takes another AFM
                        outcomes.put((afm, None, exc))
                    except BaseException as exc:  # a row failure; never kills the pool
                        outcomes.put((afm, None, exc))
            finally:
                outcomes.put(_DONE)

        workers = [
            threading.Thread(target=work, name=f"afm-xl-lookup-{n}", daemon=True)
            for n in range(min(self.concurrency, len(pending)))
        ]
        for worker in workers:
            worker.start()
        running = len(workers)
        username = self.username
        try:
            while running:
                try:
                    item = outcomes.get(timeout=0.1)  # a timeout keeps Ctrl+C working on Windows
                except queue.Empty:
                    continue
                arrived = [item]
                while True:  # what else has arrived meanwhile: one count and one cache write for all
                    try:
                        arrived.append(outcomes.get_nowait())
                    except queue.Empty:
                        break
                answered, fresh = 0, []
                for item in arrived:
                    if item is _DONE:
                        running -= 1
                        continue
                    afm, result, exc = item
                    if exc is None or isinstance(exc, _STOPPING):
                        answered += 1
                    if exc is not None:
                        result = self._failure(afm, exc, batch)
                    fresh.append((afm, result, exc is None))
                if answered and self.quota is not None and username:
                    self.quota.record(username, answered)
                if write_cache and self.cache is not None:
                    cacheable = [result for _, result, ok in fresh if ok]
                    if cacheable:
                        self.cache.put_many(cacheable, date_key)
                for afm, result, _ in fresh:
                    batch.calls += 1
                    done += answer(afm, result)
                    report(done)
        finally:
            stop.set()
        batch.cancelled = cancelled.is_set() and batch.error is None
        for afm in pending:
            if afm not in started:
                if batch.error is not None:
                    answer(afm, _failed(afm, STOPPED, _stop_text(batch.error)))
                else:
                    answer(afm, _failed(afm, CANCELLED, MESSAGES[CANCELLED]))

    def _failure(self, afm: str, exc: BaseException, batch: BatchResult) -> LookupResult:
        """The row of a call that raised; remembers the first batch-stopping error."""
        if isinstance(exc, _STOPPING):
            if batch.error is None:
                batch.error = exc
            return _failed(afm, exc.code or type(exc).__name__, exc.message)
        if isinstance(exc, errors.AfmXlError):
            return _failed(afm, exc.code or type(exc).__name__, exc.message)
        log.error("lookup of %s failed unexpectedly", afm, exc_info=exc)
        return _failed(afm, INTERNAL_ERROR, f"Εσωτερικό σφάλμα ({type(exc).__name__})")

