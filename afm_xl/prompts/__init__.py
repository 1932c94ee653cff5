"""Credential prompts: one small protocol, interchangeable front-ends, chosen in one place.

* :class:`~afm_xl.prompts.console.ConsolePrompt` — ``input`` + ``getpass`` (the CLI);
* :class:`~afm_xl.prompts.tk.TkPrompt` — a Tk dialog (the ribbon);
* ``None`` — nobody to ask (a service, CI, a pipe): callers raise
  :class:`~afm_xl.errors.CredentialsMissing` instead.

Importing this package never imports tkinter.

>>> choose_prompt('none') is None
True
"""

from __future__ import annotations

import logging
import os
import sys

from .base import CredentialPrompt, PromptAnswer

__all__ = ["CredentialPrompt", "PromptAnswer", "choose_prompt", "display_available", "tk_available"]

log = logging.getLogger(__name__)

KINDS = ("auto", "console", "tk", "none")


def stdin_is_terminal() -> bool:
    """True when standard input is an interactive terminal."""
    try:
        return bool(sys.stdin) and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):  # None under pythonw, closed, detached
        return False


def display_available() -> bool:
    """Windows and macOS always have a desktop; elsewhere ``$DISPLAY`` must be set."""
    if sys.platform.startswith(("win", "cygwin", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY"))


def tk_available() -> bool:
    """True when tkinter imports (it is optional in some Python builds)."""
    try:
        import tkinter  # noqa: F401
    except ImportError:
        return False
    return True


def choose_prompt(kind: str = "auto") -> CredentialPrompt | None:
    """The prompt for this process, or ``None`` when nobody can be asked.

    ``auto``: the console when stdin is a terminal, else the Tk dialog when a
    display is available and tkinter imports, else ``None``. ``console`` /
    ``tk`` force one (``None`` if it cannot work here); ``none`` never asks.
    """
    if kind not in KINDS:
        raise ValueError(f"prompt kind must be one of {', '.join(KINDS)}")
    if kind == "none":
        return None
    if kind in ("auto", "console") and stdin_is_terminal():
        from .console import ConsolePrompt

        return ConsolePrompt()
    if kind in ("auto", "tk") and display_available() and tk_available():
        from .tk import TkPrompt

        return TkPrompt()
    if kind != "auto":
        log.warning("the %s prompt is not available here", kind)
    return None
