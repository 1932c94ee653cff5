"""The service's special codes (username + password) and where they come from.

:class:`Credentials` never shows its password in ``repr``/``str``, so a stray
log line or exception cannot leak it:

>>> Credentials('afmxldemo01', 'Demo!Pass2026')
Credentials(username='AFMXLDEMO01', password='***')

Where codes come from, first match wins (:meth:`CredentialStore.load`):

* ``env`` — ``AFM_XL_USERNAME`` + ``AFM_XL_PASSWORD`` (CI, servers);
* ``session`` — codes verified in this process but not kept in the keyring
  ("remember" off, or no keyring backend); gone when the process ends;
* ``keyring`` — the OS keyring (Windows Credential Manager, macOS Keychain,
  Secret Service), service name ``afm-xl``;
* ``none`` — no codes.

The keyring holds two entries: the username under the fixed key
``__username__`` (macOS Keychain cannot list usernames) and the password under
the username. There is never a plaintext fallback: without a usable backend
the codes live in the session slot only, and :attr:`CredentialStore.problem`
says why in plain words.

>>> from keyring.backends import fail
>>> store = CredentialStore(backend=fail.Keyring())      # what headless Linux has
>>> store.save(Credentials('afmxldemo01', 'Demo!Pass2026'))
False
>>> store.load()
(Credentials(username='AFMXLDEMO01', password='***'), 'session')
>>> store.describe_source()
'session (AFMXLDEMO01)'
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

ENV_USERNAME = "AFM_XL_USERNAME"
ENV_PASSWORD = "AFM_XL_PASSWORD"

#: keyring service name
SERVICE = "afm-xl"
#: keyring entry that holds the username (its password field is the username)
USERNAME_KEY = "__username__"

#: the values of a credential source
SOURCES = ("env", "session", "keyring", "none")

LOGIN_HINT = (
    "Συνδεθείτε με «afm-xl login» ή ορίστε τις μεταβλητές περιβάλλοντος "
    f"{ENV_USERNAME} και {ENV_PASSWORD}."
)
NO_KEYRING_TEXT = (
    "Δεν βρέθηκε ασφαλής αποθήκη κωδικών του συστήματος (keyring): οι κωδικοί "
    "κρατούνται μόνο για αυτή την εκτέλεση και δεν γράφονται σε κανένα αρχείο. "
    f"Για μόνιμη χρήση ορίστε τις μεταβλητές {ENV_USERNAME} και {ENV_PASSWORD}."
)


class _CredentialFields(NamedTuple):
    username: str
    password: str


class Credentials(_CredentialFields):
    """Username (stored upper-case, as the service requires) and password.

    A subclass of a NamedTuple, because a NamedTuple body may not define ``__new__``.

    >>> user, password = Credentials(' afmxldemo01 ', 'Demo!Pass2026')
    >>> user
    'AFMXLDEMO01'
    """

    __slots__ = ()

    def __new__(cls, username: str, password: str) -> "Credentials":
        return super().__new__(cls, (username or "").strip().upper(), password or "")

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password='***')"

    __str__ = __repr__


def from_environment() -> Credentials | None:
    """Codes from ``AFM_XL_USERNAME`` / ``AFM_XL_PASSWORD`` when both are set."""
    username = os.environ.get(ENV_USERNAME, "").strip()
    password = os.environ.get(ENV_PASSWORD, "")
    if username and password:
        return Credentials(username, password)
    return None


class KeyringUnavailable(Exception):
    """The OS keyring cannot be used; the message is a plain Greek explanation."""


def _explain(exc: BaseException) -> str:
    """A plain text for a keyring failure (never keyring's own advice to install keyrings.alt)."""
    from keyring import errors as kerr

    name = type(exc).__name__
    if isinstance(exc, kerr.NoKeyringError):
        return NO_KEYRING_TEXT
    if isinstance(exc, kerr.KeyringLocked):
        return (
            "Η αποθήκη κωδικών του συστήματος (keyring) είναι κλειδωμένη: οι κωδικοί "
            "κρατούνται μόνο για αυτή την εκτέλεση."
        )
    return (
        f"Η αποθήκη κωδικών του συστήματος (keyring) δεν είναι διαθέσιμη ({name}): "
        "οι κωδικοί κρατούνται μόνο για αυτή την εκτέλεση."
    )


class CredentialStore:
    """The codes of this user: environment, then session slot, then OS keyring.

    ``backend`` is a keyring backend instance; ``None`` uses whatever
    ``keyring.get_keyring()`` returns at each call (so tests and
    ``PYTHON_KEYRING_BACKEND`` work). Thread-safe; never raises for keyring
    trouble: :attr:`problem` holds the last explanation instead.
    """

    def __init__(self, *, backend: Any = None, service: str = SERVICE):
        self.service = service
        self._backend = backend
        self._session: Credentials | None = None
        self._lock = threading.RLock()
        #: plain text of the last keyring failure (None while the keyring works)
        self.problem: str | None = None

    # -- the keyring, behind one guard --------------------------------------------------------
    def backend(self) -> Any:
        """The keyring backend in use (refuses plaintext ``keyrings.alt`` backends)."""
        if self._backend is not None:
            return self._backend
        import keyring

        backend = keyring.get_keyring()
        if type(backend).__module__.startswith("keyrings.alt"):
            raise KeyringUnavailable(
                "Η αποθήκη κωδικών που έχει ρυθμιστεί (keyrings.alt) γράφει τους κωδικούς σε "
                "απλό αρχείο· το afm-xl δεν τη χρησιμοποιεί. Οι κωδικοί κρατούνται μόνο για "
                "αυτή την εκτέλεση."
            )
        return backend

    def backend_name(self) -> str:
        """A short name of the keyring backend, e.g. ``WinVaultKeyring`` (or ``none``)."""
        try:
            return type(self.backend()).__name__
        except Exception:
            return "none"

    def _keyring(self, operation: str, *args: str) -> Any:
        """Call ``operation`` on the backend; any failure becomes :class:`KeyringUnavailable`."""
        try:
            result = getattr(self.backend(), operation)(self.service, *args)
        except KeyringUnavailable as exc:
            self.problem = str(exc)
            raise
        except Exception as exc:  # NoKeyringError, KeyringLocked, InitError, D-Bus, RuntimeError…
            from keyring.errors import PasswordDeleteError

            if isinstance(exc, PasswordDeleteError):
                return False
            self.problem = _explain(exc)
            log.info("keyring %s failed (%s)", operation, type(exc).__name__)
            raise KeyringUnavailable(self.problem) from None
        self.problem = None
        return result

    def _read_keyring(self) -> Credentials | None:
        username = self._keyring("get_password", USERNAME_KEY)
        if not username:
            return None
        password = self._keyring("get_password", username)
        if not password:
            log.info("keyring has the username %s but no password for it", username)
            return None
        return Credentials(username, password)

    # -- public API ---------------------------------------------------------------------------
    def load(self) -> tuple[Credentials | None, str]:
        """``(credentials or None, source)``; source is one of :data:`SOURCES`."""
        env = from_environment()
        if env is not None:
            return env, "env"
        if bool(os.environ.get(ENV_USERNAME, "").strip()) != bool(os.environ.get(ENV_PASSWORD)):
            log.warning("only one of %s / %s is set; both are needed", ENV_USERNAME, ENV_PASSWORD)
        with self._lock:
            if self._session is not None:
                return self._session, "session"
            try:
                stored = self._read_keyring()
            except KeyringUnavailable:
                return None, "none"
        return (stored, "keyring") if stored else (None, "none")

    def source(self) -> str:
        """Where the codes in use come from: ``env``, ``session``, ``keyring`` or ``none``."""
        return self.load()[1]

    def stored_username(self) -> str | None:
        """The username kept in the keyring (None when there is none or no keyring)."""
        try:
            return self._keyring("get_password", USERNAME_KEY) or None
        except KeyringUnavailable:
            return None

    def save(self, creds: Credentials) -> bool:
        """Keep ``creds`` in the keyring; True on success.

        Without a usable keyring: warn, keep them in the session slot, return
        False (:attr:`problem` says why). The write is read back, so a backend
        that silently drops secrets (``null.Keyring``) also counts as a failure.
        """
        with self._lock:
            try:
                previous = self._keyring("get_password", USERNAME_KEY)
                self._keyring("set_password", creds.username, creds.password)
                self._keyring("set_password", USERNAME_KEY, creds.username)
                if self._read_keyring() != creds:
                    self.problem = (
                        f"Η αποθήκη κωδικών ({self.backend_name()}) δεν κράτησε τους κωδικούς: "
                        "οι κωδικοί κρατούνται μόνο για αυτή την εκτέλεση."
                    )
                    raise KeyringUnavailable(self.problem)
                if previous and previous != creds.username:
                    self._keyring("delete_password", previous)
            except KeyringUnavailable:
                log.warning("%s", self.problem)
                self._session = creds
                return False
            self._session = None
            return True

    def set_session(self, creds: Credentials | None) -> None:
        """Use ``creds`` for the rest of this process only (None clears the slot)."""
        with self._lock:
            self._session = creds

    def delete(self) -> bool:
        """Forget the codes: keyring entries and session slot. True if there was anything."""
        with self._lock:
            removed = self._session is not None
            self._session = None
            try:
                username = self._keyring("get_password", USERNAME_KEY)
                if username:
                    self._keyring("delete_password", username)  # absent: PasswordDeleteError → False
                    self._keyring("delete_password", USERNAME_KEY)
                    removed = True
            except KeyringUnavailable:
                pass
            return removed

    def describe_source(self) -> str:
        """One line for ``afm-xl status``, e.g. ``keyring (AFMXLDEMO01)``; never the password."""
        creds, source = self.load()
        if creds is not None:
            if source == "env":
                return f"env: {ENV_USERNAME}/{ENV_PASSWORD} ({creds.username})"
            return f"{source} ({creds.username})"
        if self.problem:
            return f"none — {self.problem}"
        return f"none — {LOGIN_HINT}"


_default_store = CredentialStore()


def default_store() -> CredentialStore:
    """The process-wide store (its session slot is shared by every caller)."""
    return _default_store


def load() -> tuple[Credentials | None, str]:
    """See :meth:`CredentialStore.load` (process-wide store)."""
    return _default_store.load()


def save(creds: Credentials) -> bool:
    """See :meth:`CredentialStore.save` (process-wide store)."""
    return _default_store.save(creds)


def delete() -> bool:
    """See :meth:`CredentialStore.delete` (process-wide store)."""
    return _default_store.delete()


def source() -> str:
    """See :meth:`CredentialStore.source` (process-wide store)."""
    return _default_store.source()


def describe_source() -> str:
    """See :meth:`CredentialStore.describe_source` (process-wide store)."""
    return _default_store.describe_source()
