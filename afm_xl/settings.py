"""Non-secret settings, kept in ``settings.json`` in the config directory.

Never holds a password (those live in the OS keyring, see
:mod:`afm_xl.credentials`). Unknown keys are ignored, bad values fall back to
the default with a warning, so a hand-edited file never stops afm-xl.

>>> s = Settings()
>>> s.concurrency, s.cache_ttl_days, s.monthly_limit, s.daily_limit
(4, 30.0, 10000, None)
>>> Settings.from_dict({'concurrency': 99, 'fields': 'name,doy'}).concurrency
16
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import Any

from . import paths

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
ENV_ENDPOINT = "AFM_XL_ENDPOINT"


@dataclasses.dataclass
class Settings:
    """What a user may configure (``afm-xl`` and the ribbon's settings dialog)."""

    #: AFM on whose behalf calls are made (``afm_called_by``); empty = the owner of the codes
    caller_afm: str | None = None
    #: columns the fill writes, as field keys (see :mod:`afm_xl.fields`)
    fields: tuple[str, ...] | None = None
    #: parallel service calls (1–16)
    concurrency: int = 4
    #: days a record stays in the cache (0 disables the cache)
    cache_ttl_days: float = 30.0
    #: days a ``not_found`` / ``not_business`` answer stays in the cache
    negative_ttl_days: float = 1.0
    #: own accounting: calls per month / per day (None = no limit)
    monthly_limit: int | None = 10000
    daily_limit: int | None = None
    #: UI language: "el" or "en"
    language: str = "el"
    #: service endpoint (None = the real service); ``$AFM_XL_ENDPOINT`` wins
    endpoint: str | None = None
    #: seconds to wait for one service call
    timeout: float = 20.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        settings = cls()
        for field in dataclasses.fields(cls):
            if field.name not in data:
                continue
            try:
                setattr(settings, field.name, _coerce(field.name, data[field.name]))
            except (TypeError, ValueError) as exc:
                log.warning("settings: ignoring %s=%r (%s)", field.name, data[field.name], exc)
        return settings

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["fields"] = list(self.fields) if self.fields else None
        return data

    @property
    def effective_endpoint(self) -> str | None:
        return os.environ.get(ENV_ENDPOINT) or self.endpoint or None


def _limit(value: Any) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    number = int(value)
    if number < 0:
        raise ValueError("negative limit")
    return number


def _coerce(name: str, value: Any) -> Any:
    if name == "caller_afm":
        if not value:
            return None
        from .afm import normalise

        afm = normalise(value).afm
        if afm is None:
            raise ValueError("not a valid AFM")
        return afm
    if name == "fields":
        if not value:
            return None
        from .fields import parse_fields

        return parse_fields(value)
    if name == "concurrency":
        return min(16, max(1, int(value)))
    if name in ("cache_ttl_days", "negative_ttl_days"):
        number = float(value)
        if number < 0:
            raise ValueError("negative")
        return number
    if name in ("monthly_limit", "daily_limit"):
        return _limit(value)
    if name == "language":
        if value not in ("el", "en"):
            raise ValueError("language is el or en")
        return value
    if name == "endpoint":
        return str(value).strip() or None if value is not None else None
    if name == "timeout":
        number = float(value)
        if not 0 < number <= 600:
            raise ValueError("timeout out of range")
        return number
    return value


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load() -> Settings:
    """The saved settings (defaults when there is no file or it is unreadable)."""
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("settings: cannot read %s (%s); using defaults", path, exc)
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return Settings.from_dict(data)


def save(settings: Settings) -> Path:
    """Write the settings atomically; returns the file's path."""
    path = settings_path()
    paths.ensure(path.parent)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
