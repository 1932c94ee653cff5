"""The console prompt for the CLI: ``input`` for the username, ``getpass`` for the password.

Everything it prints goes to stderr (stdout may carry the command's data); the
password is read without echo and never printed. End-of-input or Ctrl-C
cancels (``ask`` returns ``None``).

>>> import io
>>> lines = iter(['afmxldemo01', 'ν'])
>>> prompt = ConsolePrompt(read_line=lambda: next(lines), read_password=lambda text: 'Demo!Pass2026',
...                        stream=io.StringIO())
>>> prompt.ask()
PromptAnswer(credentials=Credentials(username='AFMXLDEMO01', password='***'), remember=True, caller_afm=None)
"""

from __future__ import annotations

import getpass
import sys
from typing import Callable, TextIO

from ..credentials import Credentials
from .base import (
    CALLER_AFM_NOTE, INTRO, LEGAL_ENTITY_NOTE, STEPS, PromptAnswer,
    code_warning, parse_caller_afm,
)

__all__ = ["ConsolePrompt"]

_YES = frozenset({"ν", "ναι", "y", "yes", "ok"})
_NO = frozenset({"ο", "όχι", "οχι", "n", "no"})
#: how often an empty or refused entry is asked again before giving up
MAX_ATTEMPTS = 3


class ConsolePrompt:
    """A :class:`~afm_xl.prompts.base.CredentialPrompt` on the terminal.

    ``ask_remember``: ask whether to keep the codes in the keyring (default yes);
    ``ask_caller_afm``: also ask for the caller AFM (otherwise it is passed through).
    ``read_line`` / ``read_password`` / ``stream`` replace the terminal in tests.
    """

    def __init__(
        self,
        *,
        ask_remember: bool = True,
        ask_caller_afm: bool = False,
        read_line: Callable[[], str] | None = None,
        read_password: Callable[[str], str] | None = None,
        stream: TextIO | None = None,
    ):
        self.ask_remember = ask_remember
        self.ask_caller_afm = ask_caller_afm
        self._read_line = read_line or input
        self._read_password = read_password or (lambda text: getpass.getpass(text, stream=self.stream))
        self._stream = stream
        self._intro_shown = False

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    def say(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)

    def _line(self, text: str) -> str:
        self.stream.write(text)
        self.stream.flush()
        return self._read_line().strip()

    # -- single questions (also used by ``afm-xl login``) -----------------------------------
    def read_username(self, default: str | None = None) -> str | None:
        """The username (``default`` on an empty line); None when cancelled or left empty."""
        for _ in range(MAX_ATTEMPTS):
            shown = f" [{default}]" if default else ""
            text = self._line(f"Όνομα χρήστη ειδικών κωδικών{shown}: ") or (default or "")
            if text:
                return text
            self.say("Το όνομα χρήστη είναι υποχρεωτικό.")
        return None

    def read_password(self) -> str | None:
        """The password, typed without echo; None when left empty."""
        for _ in range(MAX_ATTEMPTS):
            text = self._read_password("Κωδικός πρόσβασης (δεν εμφανίζεται): ").strip()
            if text:
                return text
            self.say("Ο κωδικός πρόσβασης είναι υποχρεωτικός.")
        return None

    def read_caller_afm(self, default: str | None = None) -> tuple[bool, str | None]:
        """``(ok, afm)``: the caller AFM (``-`` clears it); ``ok`` False after repeated bad input."""
        self.say(CALLER_AFM_NOTE)
        for _ in range(MAX_ATTEMPTS):
            shown = f" [{default}, «-» για κανέναν]" if default else ""
            text = self._line(f"ΑΦΜ εντολέα (προαιρετικό){shown}: ")
            if text == "-":
                return True, None
            afm, error = parse_caller_afm(text or default)
            if error is None:
                return True, afm
            self.say(error)
        return False, None

    def confirm(self, question: str, default: bool = True) -> bool:
        """A yes/no question (ν/ο, y/n); an empty line gives ``default``."""
        hint = "[Ν/ο]" if default else "[ν/Ο]"
        for _ in range(MAX_ATTEMPTS):
            text = self._line(f"{question} {hint} ").lower()
            if not text:
                return default
            if text in _YES:
                return True
            if text in _NO:
                return False
            self.say("Απαντήστε ν (ναι) ή ο (όχι).")
        return default

    def show_intro(self) -> None:
        if self._intro_shown:
            return
        self._intro_shown = True
        self.say(INTRO)
        for label, url in STEPS:
            self.say(f"  {label}: {url}")
        self.say(LEGAL_ENTITY_NOTE)

    # -- the protocol -----------------------------------------------------------------------
    def ask(
        self,
        *,
        error: str | None = None,
        username: str | None = None,
        caller_afm: str | None = None,
    ) -> PromptAnswer | None:
        try:
            return self._ask(error, username, caller_afm)
        except (EOFError, KeyboardInterrupt):
            self.say()
            return None

    def _ask(self, error: str | None, username: str | None, caller_afm: str | None) -> PromptAnswer | None:
        self.show_intro()
        if error:
            self.say(f"Σφάλμα: {error}")
        for _ in range(MAX_ATTEMPTS):
            user = self.read_username(username)
            if user is None:
                return None
            password = self.read_password()
            if password is None:
                return None
            warning = code_warning(user, password)
            if warning:
                self.say(f"Προσοχή: {warning}")
                if not self.confirm("Να σταλούν όπως είναι;", default=False):
                    username = user
                    continue
            break
        else:
            return None
        if self.ask_caller_afm:
            ok, caller_afm = self.read_caller_afm(caller_afm)
            if not ok:
                return None
        remember = True
        if self.ask_remember:
            remember = self.confirm("Απομνημόνευση των κωδικών σε αυτόν τον υπολογιστή;", default=True)
        return PromptAnswer(Credentials(user, password), remember, caller_afm)
