"""The lookup engine: persistent cache, quota accounting, batch lookups.

Front-ends use :class:`Engine` (usually :meth:`Engine.from_settings`) and
nothing below it: ``Engine.lookup_many(values)`` → :class:`BatchResult`.

* :mod:`.cache` — :class:`Database` (the SQLite file) and :class:`Cache`;
* :mod:`.quota` — :class:`Quota`, afm-xl's own call counters and limits;
* :mod:`.batch` — :class:`Engine` and :class:`BatchResult`.
"""

from __future__ import annotations

from .batch import BatchResult, Engine
from .cache import Cache, Database
from .quota import Quota

__all__ = ["Engine", "BatchResult", "Cache", "Database", "Quota"]
