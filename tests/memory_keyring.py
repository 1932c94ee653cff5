"""Keyring backends for the tests only (never shipped in ``afm_xl``).

* :class:`MemoryKeyring` — one dict per instance; ``tests/conftest.py`` installs
  a fresh one for every test with ``keyring.set_keyring``.
* :class:`FileKeyring` — the same, persisted to the JSON file named by
  ``$AFM_XL_TEST_KEYRING_FILE``, so subprocess tests can run
  ``PYTHON_KEYRING_BACKEND=memory_keyring.FileKeyring`` with ``PYTHONPATH=tests``
  and see what an earlier process stored. (It stands in for the OS keyring; the
  file lives outside ``AFM_XL_HOME``.)
* :class:`LockedKeyring` — every call raises ``KeyringLocked``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringLocked, PasswordDeleteError

FILE_ENV = "AFM_XL_TEST_KEYRING_FILE"


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict: ``(service, username) → password``."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def _load(self) -> dict[tuple[str, str], str]:
        return self._store

    def _dump(self, store: dict[tuple[str, str], str]) -> None:
        self._store = store

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        store = self._load()
        store[(service, username)] = password
        self._dump(store)

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        try:
            del store[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None
        self._dump(store)

    def entries(self) -> dict[tuple[str, str], str]:
        """A copy of everything stored (for assertions)."""
        return dict(self._load())


class FileKeyring(MemoryKeyring):
    """A :class:`MemoryKeyring` kept in the JSON file ``$AFM_XL_TEST_KEYRING_FILE``."""

    @classmethod
    def _path(cls) -> Path:
        value = os.environ.get(FILE_ENV)
        if not value:
            raise RuntimeError(f"{FILE_ENV} is not set")
        return Path(value)

    @properties.classproperty
    def priority(cls) -> float:
        """Viable only when the file is named, so it never wins auto-detection by accident."""
        cls._path()
        return 1

    def _load(self) -> dict[tuple[str, str], str]:
        path = self._path()
        if not path.exists():
            return {}
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {(service, user): password for service, user, password in rows}

    def _dump(self, store: dict[tuple[str, str], str]) -> None:
        rows = [[service, user, password] for (service, user), password in sorted(store.items())]
        self._path().write_text(json.dumps(rows), encoding="utf-8")


class LockedKeyring(KeyringBackend):
    """A keyring that is always locked."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the keyring is locked")
