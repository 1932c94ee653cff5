"""The lookup cache: one SQLite file per user, safe for several processes at once.

:class:`Database` owns the file (``afm-xl.sqlite3`` in :func:`afm_xl.paths.cache_dir`):
WAL mode, one connection per thread, short write transactions retried while
another process holds the lock, and a corrupt or unreadable file set aside as
``afm-xl.sqlite3.corrupt-<timestamp>`` and rebuilt (with a warning, never a
crash). The quota counters (:mod:`afm_xl.engine.quota`) live in the same file.

:class:`Cache` keeps the answers of the service keyed by AFM and ``as_on_date``
(``''`` for a current lookup, so historical lookups are kept apart): the whole
record for ``ok`` (``Record.to_storage()`` JSON), the error for ``not_found`` /
``not_business``. ``failed`` is never cached. Records live ``ttl_days`` (30),
negative answers ``negative_ttl_days`` (1); 0 turns either off. An in-process
dict in front of SQLite makes a repeated lookup cost a dict access; entries
there also expire by TTL. A process does not see another process's ``clear``
in entries it already holds in memory (they stay valid until their TTL).

>>> import tempfile, pathlib
>>> from afm_xl.result import LookupResult
>>> cache = Cache(pathlib.Path(tempfile.mkdtemp()) / 'c.sqlite3')
>>> cache.put(LookupResult('090000045', '090000045', 'not_found', error_code='RG_WS_PUBLIC_TAXPAYER_NF'))
True
>>> hit = cache.get('090000045')
>>> hit.status, hit.source, cache.get('090000045', '2020-01-01')
('not_found', 'cache', None)
>>> cache.close()
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .. import paths
from ..record import Record
from ..result import LookupResult

__all__ = ["Database", "Cache", "as_on_key", "FILE_NAME", "CACHEABLE"]

log = logging.getLogger(__name__)
T = TypeVar("T")

FILE_NAME = "afm-xl.sqlite3"
SCHEMA_VERSION = 1
#: statuses worth keeping; ``failed`` never is
CACHEABLE = ("ok", "not_found", "not_business")
DAY = 86400.0
#: entries stamped further in the future than this (clock changes) count as expired
CLOCK_SKEW = 300.0
_CHUNK = 500  # AFMs per ``IN (…)`` query
#: entries kept in memory per process
MEMO_SIZE = 250_000
_SHARED: dict[str, "Database"] = {}
_SHARED_LOCK = threading.Lock()
_SHARED_MAX = 4

# ``lookups`` is a rowid table on purpose: records of about 1 KB would spill to an overflow
# page each in a WITHOUT ROWID b-tree (measured: 4.7 KB per row instead of 1.1 KB).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS lookups (
    afm         TEXT NOT NULL,
    as_on_date  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    record      TEXT,
    error_code  TEXT,
    message     TEXT,
    call_seq_id TEXT,
    fetched_at  REAL NOT NULL,
    UNIQUE (afm, as_on_date)
);
CREATE INDEX IF NOT EXISTS lookups_fetched_at ON lookups (fetched_at);
CREATE TABLE IF NOT EXISTS calls (
    username TEXT NOT NULL,
    day      TEXT NOT NULL,
    calls    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (username, day)
) WITHOUT ROWID;
"""

# primary result codes (the low byte of an extended code)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 6, 11, 26


def _primary_code(exc: BaseException) -> int:
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _is_busy(exc: BaseException) -> bool:
    """"database is locked" / "busy": another connection holds the lock; worth retrying."""
    text = str(exc).lower()
    return _primary_code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text or "busy" in text


def _is_corrupt(exc: BaseException) -> bool:
    """Garbage bytes, a truncated file, a damaged page."""
    text = str(exc).lower()
    return (
        _primary_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        or "not a database" in text
        or "malformed" in text
    )


class Database:
    """The engine's SQLite file: per-thread connections, retries, self-repair.

    ``path`` defaults to ``cache_dir()/afm-xl.sqlite3``. ``warnings`` collects
    Greek texts for the user (a file set aside, a fallback to memory).
    When the file cannot be used at all (unwritable directory, rename refused)
    the database lives in memory for this process, so lookups still work.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, busy_timeout: float = 5.0,
                 lock_timeout: float = 30.0):
        self.path = Path(path) if path is not None else paths.cache_dir() / FILE_NAME
        self.busy_timeout = float(busy_timeout)
        #: how long a write keeps retrying "database is locked" before giving up
        self.lock_timeout = float(lock_timeout)
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self._local = threading.local()
        self._generation = 0
        self._connections: list[sqlite3.Connection] = []
        self._memory_uri: str | None = None
        self._keeper: sqlite3.Connection | None = None
        self._orphans: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        #: ``(afm, as_on_key) → (fetched_at, result)``: the in-process layer in front of SQLite
        self.memo: dict[tuple[str, str], tuple[float, LookupResult]] = {}
        self.memo_size = MEMO_SIZE
        self._open()

    @classmethod
    def shared(cls, path: str | os.PathLike | None = None) -> "Database":
        """One :class:`Database` per file per process (``None``: the default file under
        :func:`~afm_xl.paths.cache_dir`), so every engine of a process shares connections and memo."""
        resolved = Path(path) if path is not None else paths.cache_dir() / FILE_NAME
        key = str(resolved.expanduser().absolute())
        with _SHARED_LOCK:
            db = _SHARED.pop(key, None)
            if db is None or db._pid != os.getpid():
                db = cls(resolved)
            _SHARED[key] = db  # most recently used last
            while len(_SHARED) > _SHARED_MAX:  # another AFM_XL_HOME (tests): close, it reopens on use
                _SHARED.pop(next(iter(_SHARED))).close()
            return db

    def take_warnings(self) -> list[str]:
        """The :attr:`warnings` not taken yet (so a long-lived process reports each once)."""
        with self._lock:
            taken, self.warnings = self.warnings, []
        return taken

    def remember(self, afm: str, key: str, fetched_at: float, result: LookupResult) -> None:
        """Keep ``result`` in :attr:`memo` (emptied when it grows past ``memo_size``)."""
        memo = self.memo
        if len(memo) >= self.memo_size:
            memo.clear()
        memo[(afm, key)] = (fetched_at, result)

    def __repr__(self) -> str:
        where = "memory" if self.in_memory else str(self.path)
        return f"Database({where!r})"

    @property
    def in_memory(self) -> bool:
        return self._memory_uri is not None

    # -- connections ------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        """A new connection with our pragmas and the schema in place."""
        if self._memory_uri is not None:
            conn = sqlite3.connect(self._memory_uri, uri=True, timeout=self.busy_timeout,
                                   isolation_level=None, check_same_thread=False)
        else:
            paths.ensure(self.path.parent)
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout,
                                   isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            if self._memory_uri is None:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            _ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._connections.append(conn)
        return conn

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (made on first use, and again after a repair)."""
        local = self._local
        conn = getattr(local, "conn", None)
        if conn is None or local.generation != self._generation or self._pid != os.getpid():
            if self._pid != os.getpid():
                # a forked child must never use (nor close) the parent's handles
                self._pid = os.getpid()
                self._orphans, self._connections = self._connections, []
                self._generation += 1
            local.conn = None
            local.generation = self._generation
            local.conn = conn = self._connect()
        return conn

    def _close_all(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:  # pragma: no cover - closing never matters
                    pass
            self._connections = []
            self._generation += 1

    def close(self) -> None:
        """Close every connection (any thread's). Using the object again reopens the file."""
        self._close_all()

    # -- opening and repair -----------------------------------------------------------------
    def _open(self) -> None:
        try:
            self._run(lambda conn: None, write=False)
        except (sqlite3.Error, OSError) as exc:
            self._fall_back_to_memory(exc)

    def _still_corrupt(self) -> bool:
        """Check with a fresh connection: another process may have rebuilt the file already."""
        try:
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error:
            return True
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
        except sqlite3.DatabaseError as exc:
            return not _is_busy(exc)
        finally:
            conn.close()

    def _set_aside(self, exc: BaseException) -> None:
        """Rename the damaged file to ``*.corrupt-<timestamp>``; the next connection starts a new one."""
        with self._lock:
            self._close_all()
            if self._memory_uri is not None or not self._still_corrupt():
                return
            stamp = time.strftime("%Y%m%d-%H%M%S")
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            n = 1
            while target.exists():
                n += 1
                target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            try:
                os.replace(self.path, target)
                _move_aside(Path(f"{self.path}-wal"), Path(f"{target}-wal"))
                _move_aside(Path(f"{self.path}-shm"), None)
            except OSError as rename_error:  # e.g. Windows: another process has it open
                self._fall_back_to_memory(rename_error)
                return
            log.warning("cache: %s was damaged (%s); moved to %s and rebuilt", self.path, exc, target)
            self.warnings.append(
                f"Το αρχείο της προσωρινής μνήμης (cache) ήταν κατεστραμμένο ({exc}). "
                f"Φυλάχτηκε ως {target.name} και δημιουργήθηκε νέο."
            )

    def _fall_back_to_memory(self, exc: BaseException) -> None:
        """Keep working without a file: a shared in-memory database for this process."""
        with self._lock:
            if self._memory_uri is not None:
                return
            self._close_all()
            self._memory_uri = f"file:afm-xl-{os.getpid()}-{id(self)}?mode=memory&cache=shared"
            self._keeper = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False)
            log.warning("cache: cannot use %s (%s); keeping results in memory only", self.path, exc)
            self.warnings.append(
                f"Η προσωρινή μνήμη (cache) {self.path} δεν μπορεί να χρησιμοποιηθεί ({exc}). "
                "Τα αποτελέσματα κρατούνται μόνο στη μνήμη για αυτή την εκτέλεση."
            )

    # -- running statements -----------------------------------------------------------------
    def _run(self, op: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        """Run ``op``; retry while locked (up to ``lock_timeout``), repair once when corrupt."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.005
        repaired = False
        while True:
            try:
                conn = self._connection()
                if not write:
                    return op(conn)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    value = op(conn)
                    conn.execute("COMMIT")
                    return value
                except BaseException:
                    if conn.in_transaction:
                        try:
                            conn.execute("ROLLBACK")
                        except sqlite3.Error:  # pragma: no cover
                            pass
                    raise
            except sqlite3.ProgrammingError as exc:
                # a connection closed under us by a repair in another thread: reconnect
                if "closed" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                self._local.conn = None
            except sqlite3.DatabaseError as exc:
                if _is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.1)
                    continue
                if _is_corrupt(exc) and not repaired:
                    repaired = True
                    self._set_aside(exc)
                    continue
                raise

    def read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        """Rows of one query (retried while locked, repaired when corrupt)."""
        return self._run(lambda conn: conn.execute(sql, tuple(params)).fetchall(), write=False)

    def write(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``op(connection)`` in one short ``BEGIN IMMEDIATE`` transaction."""
        return self._run(op, write=True)

    def compact(self) -> None:
        """Give space back to the disk (skipped when another process is using the file)."""
        if self.in_memory:
            return
        try:
            conn = self._connection()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            log.info("cache: not compacted (%s)", exc)

    def size_bytes(self) -> int:
        """The file's size on disk, its WAL included (0 in memory)."""
        if self.in_memory:
            return 0
        total = 0
        for name in (str(self.path), f"{self.path}-wal"):
            try:
                total += os.path.getsize(name)
            except OSError:
                pass
        return total


def _ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables on a new file (a cheap read when they exist)."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails fast on a damaged file
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _move_aside(path: Path, target: Path | None) -> None:
    """Move ``path`` to ``target`` (delete it when ``target`` is ``None``), if it exists."""
    try:
        if target is None:
            path.unlink()
        else:
            os.replace(path, target)
    except FileNotFoundError:
        pass


def as_on_key(value: Any) -> str:
    """The cache key of an ``as_on_date``: ``''`` for a current lookup, else ISO ``YYYY-MM-DD``.

    Raises ``ValueError`` for text that is not an ISO date.

    >>> as_on_key(None), as_on_key(' 2024-03-01 '), as_on_key(datetime.date(2024, 3, 1))
    ('', '2024-03-01', '2024-03-01')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    return datetime.date.fromisoformat(text).isoformat() if text else ""


def _local_iso(epoch: float | None) -> str | None:
    """Epoch seconds → local ISO time, e.g. ``'2026-03-01T10:15:00+02:00'``."""
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch).astimezone().replace(microsecond=0).isoformat()


class Cache:
    """Answers of the service, by AFM and ``as_on_date``, with TTLs.

    ``db`` is a :class:`Database`, a path, or ``None`` for the process-wide
    default file (:meth:`Database.shared`). ``clock`` returns epoch seconds
    (tests pass a fake one). Every method is safe to call from any thread.
    """

    def __init__(
        self,
        db: Database | str | os.PathLike | None = None,
        *,
        ttl_days: float = 30.0,
        negative_ttl_days: float = 1.0,
        clock: Callable[[], float] = time.time,
    ):
        self.db = db if isinstance(db, Database) else Database.shared(db)
        self.ttl = max(0.0, float(ttl_days)) * DAY
        self.negative_ttl = max(0.0, float(negative_ttl_days)) * DAY
        self.clock = clock
        self._pruned = False

    @classmethod
    def open(cls, settings=None, *, clock: Callable[[], float] = time.time) -> "Cache":
        """The user's cache with the TTLs of ``settings`` (``None``: the saved settings)."""
        if settings is None:
            from .. import settings as settings_module

            settings = settings_module.load()
        return cls(ttl_days=settings.cache_ttl_days, negative_ttl_days=settings.negative_ttl_days,
                   clock=clock)

    def __repr__(self) -> str:
        return f"Cache({self.db!r}, ttl_days={self.ttl / DAY:g}, negative_ttl_days={self.negative_ttl / DAY:g})"

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def warnings(self) -> list[str]:
        """Greek texts about the file (set aside, memory only) for the user."""
        return self.db.warnings

    def _ttl_of(self, status: str) -> float:
        return self.ttl if status == "ok" else self.negative_ttl

    def close(self) -> None:
        self.db.close()

    # -- reading ----------------------------------------------------------------------------
    def get(self, afm: str, as_on_date: Any = None) -> LookupResult | None:
        """The cached answer for one AFM (``source`` ``"cache"``), or ``None``."""
        return self.get_many((afm,), as_on_date).get(afm)

    def get_many(self, afms: Iterable[str], as_on_date: Any = None) -> dict[str, LookupResult]:
        """Cached answers for the AFMs that have a fresh entry: ``{afm: result}``.

        ``as_on_date``: ``None`` for current lookups, else a date (see :func:`as_on_key`).
        A database that cannot be read counts as empty (a warning is logged).
        """
        key = as_on_key(as_on_date)
        now = self.clock()
        ttl, negative_ttl = self.ttl, self.negative_ttl
        found: dict[str, LookupResult] = {}
        missing: list[str] = []
        memo = self.db.memo
        for afm in afms:
            entry = memo.get((afm, key))
            if entry is not None:
                fetched_at, result = entry
                age = now - fetched_at
                if -CLOCK_SKEW <= age < (ttl if result.status == "ok" else negative_ttl):
                    found[afm] = result
                    continue
            missing.append(afm)
        if not missing or (ttl <= 0 and negative_ttl <= 0):
            return found
        try:
            for start in range(0, len(missing), _CHUNK):
                chunk = missing[start:start + _CHUNK]
                rows = self.db.read(
                    "SELECT afm, status, record, error_code, message, fetched_at FROM lookups "
                    f"WHERE as_on_date = ? AND afm IN ({','.join('?' * len(chunk))})",
                    (key, *chunk),
                )
                for afm, status, record, error_code, message, fetched_at in rows:
                    if not -CLOCK_SKEW <= now - fetched_at < self._ttl_of(status):
                        continue
                    result = _from_row(afm, status, record, error_code, message)
                    if result is not None:
                        found[afm] = result
                        self.db.remember(afm, key, fetched_at, result)
        except sqlite3.Error as exc:
            log.warning("cache: read failed (%s); looking up without it", exc)
        return found

    # -- writing ----------------------------------------------------------------------------
    def put(self, result: LookupResult, as_on_date: Any = None) -> bool:
        """Store one answer; returns whether it was stored (``failed`` never is)."""
        return self.put_many((result,), as_on_date) == 1

    def put_many(self, results: Iterable[LookupResult], as_on_date: Any = None) -> int:
        """Store answers in one short transaction; returns how many were stored.

        A write that fails (disk full, locked for too long) is logged and skipped.
        """
        key = as_on_key(as_on_date)
        now = self.clock()
        rows = []
        for result in results:
            row = self._row(result, key, now)
            if row is not None:
                rows.append((row, result))
        if not rows:
            return 0

        def store(conn: sqlite3.Connection) -> None:
            if not self._pruned:
                self._prune(conn, now)
            conn.executemany(
                "INSERT INTO lookups (afm, as_on_date, status, record, error_code, message, "
                "call_seq_id, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (afm, as_on_date) DO UPDATE SET status = excluded.status, "
                "record = excluded.record, error_code = excluded.error_code, "
                "message = excluded.message, call_seq_id = excluded.call_seq_id, "
                "fetched_at = excluded.fetched_at",
                [row for row, _ in rows],
            )

        try:
            self.db.write(store)
        except sqlite3.Error as exc:
            log.warning("cache: write failed (%s); results not cached", exc)
            return 0
        self._pruned = True
        for row, result in rows:
            self.db.remember(row[0], key, now, _as_cached(result))
        return len(rows)

    def _row(self, result: LookupResult, key: str, now: float) -> tuple | None:
        if result.status not in CACHEABLE or not result.afm or self._ttl_of(result.status) <= 0:
            return None
        record_json = call_seq_id = None
        if result.status == "ok":
            if result.record is None:
                return None
            record_json = json.dumps(result.record.to_storage(), ensure_ascii=False, separators=(",", ":"))
            call_seq_id = result.record.call_seq_id
        return (result.afm, key, result.status, record_json, result.error_code, result.message,
                call_seq_id, now)

    def _prune(self, conn: sqlite3.Connection, now: float) -> None:
        """Drop entries past their TTL (the service's terms frown on keeping data for long)."""
        conn.execute(
            "DELETE FROM lookups WHERE (status = 'ok' AND fetched_at < ?) "
            "OR (status != 'ok' AND fetched_at < ?)",
            (now - self.ttl, now - self.negative_ttl),
        )

    # -- maintenance ------------------------------------------------------------------------
    def clear(self, older_than_days: float | None = None) -> int:
        """Remove every entry, or those fetched more than ``older_than_days`` ago; returns how many."""
        if older_than_days is not None and not older_than_days >= 0:
            raise ValueError("older_than_days must be a number >= 0")
        if older_than_days is None:
            sql, params = "DELETE FROM lookups", ()
        else:
            sql, params = "DELETE FROM lookups WHERE fetched_at < ?", (self.clock() - older_than_days * DAY,)
        removed = self.db.write(lambda conn: conn.execute(sql, params).rowcount)
        self.db.memo.clear()
        if removed and older_than_days is None:
            self.db.compact()
        return max(0, removed)

    def stats(self) -> dict[str, Any]:
        """``path``, ``entries``, ``ok``, ``negative``, ``expired``, ``size_bytes``, ``oldest``,
        ``newest`` (local ISO times of ``fetched_at``, ``None`` when empty)."""
        now = self.clock()
        (entries, ok, oldest, newest, expired), = self.db.read(
            "SELECT count(*), coalesce(sum(status = 'ok'), 0), min(fetched_at), max(fetched_at), "
            "coalesce(sum(CASE WHEN status = 'ok' THEN fetched_at < ? ELSE fetched_at < ? END), 0) "
            "FROM lookups",
            (now - self.ttl, now - self.negative_ttl),
        )
        return {
            "path": "(memory)" if self.db.in_memory else str(self.path),
            "entries": entries,
            "ok": ok,
            "negative": entries - ok,
            "expired": expired,
            "size_bytes": self.db.size_bytes(),
            "oldest": _local_iso(oldest),
            "newest": _local_iso(newest),
        }


def _as_cached(result: LookupResult) -> LookupResult:
    """``result`` as the cache serves it: input = AFM, source ``"cache"``."""
    record = result.record
    if record is not None and record.source != "cache":
        record = record.replace(source="cache")
    return LookupResult(result.afm, result.afm, result.status, record, result.error_code,
                        result.message, "cache")


def _from_row(afm: str, status: str, record: str | None, error_code: str | None,
              message: str | None) -> LookupResult | None:
    if status == "ok":
        try:
            data = json.loads(record)
            data["source"] = "cache"
            rec = Record.from_json(data)
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("cache: unreadable record for %s ignored", afm)
            return None
        return LookupResult(afm, afm, "ok", rec, None, None, "cache")
    if status in CACHEABLE:
        return LookupResult(afm, afm, status, None, error_code, message, "cache")
    return None
