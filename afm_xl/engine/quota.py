"""afm-xl's own count of service calls, per username, per local day and month.

AADE limits the calls of each set of codes (a monthly limit, a daily cap per
username, and a lock-out after many failed calls) but publishes neither the
numbers nor the usage. afm-xl therefore counts every call itself, in the same
SQLite file as the cache, shared by every process of the user:

* a call **counts** when the service answered it: a record, or a business error
  (``not_found``, ``not_business``, authentication, quota …);
* a call **does not count** when it never got an answer from the service:
  timeouts, refused connections, resets, HTTP 5xx pages, malformed replies
  (:class:`~afm_xl.errors.TransientError`) and SOAP Faults.

Limits come from the settings (``monthly_limit`` default 10,000, ``daily_limit``
unset). :meth:`Quota.check` refuses a batch that would exceed one *before* any
call (:class:`~afm_xl.errors.QuotaRefused`); :meth:`Quota.warnings` gives the
80 % warning. Days and months are local dates.

>>> import tempfile, pathlib
>>> q = Quota(pathlib.Path(tempfile.mkdtemp()) / 'q.sqlite3', monthly_limit=10, daily_limit=None)
>>> q.record('USER1', 9)
>>> q.usage('USER1')
{'today': 9, 'month': 9, 'daily_limit': None, 'monthly_limit': 10, 'remaining': 1}
>>> q.check('USER1', 2)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
afm_xl.errors.QuotaRefused: Η εργασία χρειάζεται έως 2 κλήσεις ..., αλλά απομένει 1 (μηνιαίο όριο 10, ...
"""

from __future__ import annotations

import datetime
import logging
import os
import sqlite3
import time
from typing import Any, Callable

from .. import errors
from .cache import Cache, Database

__all__ = ["Quota", "WARN_AT"]

log = logging.getLogger(__name__)

#: share of a limit after which :meth:`Quota.warnings` speaks up
WARN_AT = 0.8
#: days of counters kept (a little over a year)
KEEP_DAYS = 400

_FROM_SETTINGS = object()  # "take the limit from the settings"
#: period → (Greek, Greek genitive, English)
_PERIOD_NAMES = {
    "daily": ("ημερήσιο", "ημερήσιου", "daily"),
    "monthly": ("μηνιαίο", "μηνιαίου", "monthly"),
}


def _number(n: int) -> str:
    """Greek thousands separator: ``10000`` → ``'10.000'``."""
    return f"{n:,}".replace(",", ".")


def _calls(n: int) -> str:
    return "1 κλήση" if n == 1 else f"{_number(n)} κλήσεις"


class Quota:
    """Call counters and limits (``None`` = no limit) over a :class:`Database`.

    ``db`` is a :class:`Database`, a :class:`~afm_xl.engine.cache.Cache` (its
    database), a path, or ``None`` for the process-wide default file. The limits
    come from ``monthly_limit`` / ``daily_limit`` when given, else from
    ``settings`` (``None``: the defaults, 10,000 a month, no daily limit).
    ``clock`` returns epoch seconds; its local date decides the day and month.
    """

    def __init__(
        self,
        db: Database | Cache | str | os.PathLike | None = None,
        settings=None,
        *,
        monthly_limit: int | None | object = _FROM_SETTINGS,
        daily_limit: int | None | object = _FROM_SETTINGS,
        clock: Callable[[], float] = time.time,
        warn_at: float = WARN_AT,
    ):
        if isinstance(db, Cache):
            db = db.db
        self.db = db if isinstance(db, Database) else Database.shared(db)
        if settings is None:
            from ..settings import Settings

            settings = Settings()
        if monthly_limit is _FROM_SETTINGS:
            monthly_limit = settings.monthly_limit
        if daily_limit is _FROM_SETTINGS:
            daily_limit = settings.daily_limit
        self.monthly_limit: int | None = int(monthly_limit) if monthly_limit else None
        self.daily_limit: int | None = int(daily_limit) if daily_limit else None
        self.clock = clock
        self.warn_at = warn_at
        self._pruned = False

    @classmethod
    def open(cls, settings=None, *, clock: Callable[[], float] = time.time) -> "Quota":
        """The user's counters with the limits of ``settings`` (``None``: the saved settings)."""
        if settings is None:
            from .. import settings as settings_module

            settings = settings_module.load()
        return cls(None, settings, clock=clock)

    def __repr__(self) -> str:
        return f"Quota(daily_limit={self.daily_limit}, monthly_limit={self.monthly_limit})"

    def _today(self) -> datetime.date:
        return datetime.date.fromtimestamp(self.clock())

    # -- counting ---------------------------------------------------------------------------
    def record(self, username: str, calls: int = 1) -> None:
        """Count ``calls`` answered calls for ``username`` today (a failed write is logged)."""
        if calls <= 0 or not username:
            return
        today = self._today()
        user = username.strip().upper()

        def add(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO calls (username, day, calls) VALUES (?, ?, ?) "
                "ON CONFLICT (username, day) DO UPDATE SET calls = calls + excluded.calls",
                (user, today.isoformat(), int(calls)),
            )
            if not self._pruned:
                cutoff = today - datetime.timedelta(days=KEEP_DAYS)
                conn.execute("DELETE FROM calls WHERE day < ?", (cutoff.isoformat(),))

        try:
            self.db.write(add)
        except sqlite3.Error as exc:
            log.warning("quota: could not count %d call(s) (%s)", calls, exc)
            return
        self._pruned = True

    def used(self, username: str) -> tuple[int, int]:
        """Calls counted ``(today, this month)`` for ``username``."""
        today = self._today()
        first = today.replace(day=1).isoformat()
        try:
            (day, month), = self.db.read(
                "SELECT coalesce(sum(CASE WHEN day = ? THEN calls END), 0), coalesce(sum(calls), 0) "
                "FROM calls WHERE username = ? AND day >= ? AND day <= ?",
                (today.isoformat(), (username or "").strip().upper(), first, today.isoformat()),
            )
        except sqlite3.Error as exc:
            log.warning("quota: could not read the counters (%s)", exc)
            return 0, 0
        return int(day), int(month)

    # -- limits -----------------------------------------------------------------------------
    def _limits(self, day: int, month: int) -> list[tuple[str, int, int]]:
        """``(period, limit, used)`` for each limit that is set."""
        limits = []
        if self.daily_limit:
            limits.append(("daily", self.daily_limit, day))
        if self.monthly_limit:
            limits.append(("monthly", self.monthly_limit, month))
        return limits

    def usage(self, username: str) -> dict[str, Any]:
        """What ``afm-xl status`` shows: ``today``, ``month``, the limits and ``remaining``.

        ``remaining`` is the smaller of what the limits leave (``None`` when no limit is set).
        """
        day, month = self.used(username)
        left = [max(0, limit - used) for _, limit, used in self._limits(day, month)]
        return {
            "today": day,
            "month": month,
            "daily_limit": self.daily_limit,
            "monthly_limit": self.monthly_limit,
            "remaining": min(left) if left else None,
        }

    def check(self, username: str, needed: int) -> None:
        """Raise :class:`~afm_xl.errors.QuotaRefused` when ``needed`` calls would exceed a limit."""
        if needed <= 0:
            return
        day, month = self.used(username)
        tightest = None
        for period, limit, used in self._limits(day, month):
            left = max(0, limit - used)
            if tightest is None or left < tightest[1]:
                tightest = (period, left, limit, used)
        if tightest is None or needed <= tightest[1]:
            return
        period, left, limit, used = tightest
        greek, _, english = _PERIOD_NAMES[period]
        verb = "απομένει" if left == 1 else "απομένουν"
        message = (
            f"Η εργασία χρειάζεται έως {_calls(needed)} στην υπηρεσία της ΑΑΔΕ, αλλά {verb} "
            f"{_number(left)} ({greek} όριο {_number(limit)}, έχουν γίνει {_number(used)}). "
            f"Needs up to {needed} calls, {left} left in the {english} limit of afm-xl."
        )
        raise errors.QuotaRefused(message, code="QUOTA_REFUSED")

    def warnings(self, username: str) -> list[str]:
        """Greek warnings for every limit used to ``warn_at`` (80 %) or more."""
        day, month = self.used(username)
        texts = []
        for period, limit, used in self._limits(day, month):
            if used >= self.warn_at * limit:
                texts.append(
                    f"Προσοχή: έχουν γίνει {_number(used)} από τις {_number(limit)} κλήσεις του "
                    f"{_PERIOD_NAMES[period][1]} ορίου ({used * 100 // limit} %)."
                )
        return texts
