"""The typed errors of afm-xl, in one place.

Every failure a front-end must react to has its own class, so the CLI maps them
to exit codes, the fill engine to row statuses and the ribbon to a dialog,
without looking at message texts. Messages never contain a password.

>>> issubclass(AuthenticationError, ServiceError), AuthenticationError.exit_code
(True, 3)
"""

from __future__ import annotations

__all__ = [
    "AfmXlError",
    "ServiceError",
    "AuthenticationError",
    "QuotaError",
    "ServiceUnavailableError",
    "TransientError",
    "QuotaRefused",
    "CredentialsMissing",
    "Cancelled",
]


class AfmXlError(Exception):
    """Base of every expected afm-xl failure (shown to users without a traceback)."""

    exit_code = 1

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        #: the service's error code (``RG_WS_PUBLIC_…``) or a local one (``TIMEOUT``)
        self.code = code

    def __str__(self) -> str:
        return self.message


class ServiceError(AfmXlError):
    """The service answered with an error that stops a batch."""


class AuthenticationError(ServiceError):
    """The codes were refused (``TOKEN_*``, ``AFM_CALLED_BY_*``). Never retried."""

    exit_code = 3


class CredentialsMissing(AuthenticationError):
    """No codes are known and none can be asked for (non-interactive run)."""


class QuotaError(ServiceError):
    """A call limit of the service was hit (daily, monthly, failed-call lock-out). Never retried."""

    exit_code = 4


class QuotaRefused(QuotaError):
    """afm-xl's own accounting refused a batch before any call."""


class ServiceUnavailableError(ServiceError):
    """The service says it is not active (``RG_WS_PUBLIC_SERVICE_NOT_ACTIVE``)."""


class TransientError(AfmXlError):
    """A transport failure: timeout, HTTP 5xx, reset, malformed or hostile reply.

    Retried by the client (bounded, with backoff); a row that still fails gets
    status ``failed`` and is never cached.
    """


class Cancelled(AfmXlError):
    """The user cancelled (a prompt, or the batch)."""

    exit_code = 1
