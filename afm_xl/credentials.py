"""The service's special codes (username + password) and where they come from.

:class:`Credentials` never shows its password in ``repr``/``str``, so a stray
log line or exception cannot leak it:

>>> Credentials('afmxldemo01', 'Demo!Pass2026')
Credentials(username='AFMXLDEMO01', password='***')
"""

from __future__ import annotations

import os
from typing import NamedTuple

ENV_USERNAME = "AFM_XL_USERNAME"
ENV_PASSWORD = "AFM_XL_PASSWORD"


class Credentials(NamedTuple):
    """Username (stored upper-case, as the service requires) and password."""

    username: str
    password: str

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
