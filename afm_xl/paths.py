"""Where afm-xl keeps its files: config, cache, logs.

Everything lives in the platform's per-user directories (platformdirs), or under
``$AFM_XL_HOME`` when that is set (tests, portable installs):

>>> import os; os.environ["AFM_XL_HOME"] = "/tmp/afm-home"
>>> str(config_dir()), str(cache_dir())
('/tmp/afm-home/config', '/tmp/afm-home/cache')
>>> del os.environ["AFM_XL_HOME"]
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "afm-xl"


def home() -> Path | None:
    """``$AFM_XL_HOME`` as a path, or ``None``."""
    value = os.environ.get("AFM_XL_HOME")
    return Path(value).expanduser() if value else None


def _dir(kind: str) -> Path:
    base = home()
    if base is not None:
        return base / kind
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir(APP, appauthor=False))
    if kind == "cache":
        return Path(platformdirs.user_cache_dir(APP, appauthor=False))
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def config_dir() -> Path:
    return _dir("config")


def cache_dir() -> Path:
    return _dir("cache")


def log_dir() -> Path:
    return _dir("logs")


def ensure(path: Path) -> Path:
    """Create ``path`` (a directory) if needed and return it."""
    path.mkdir(parents=True, exist_ok=True)
    return path
