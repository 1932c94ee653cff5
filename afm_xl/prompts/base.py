"""What every credential prompt offers, and the checks they share.

A prompt is anything with an ``ask`` method (:class:`CredentialPrompt`): the Tk
dialog for the ribbon, the console prompt for the CLI, a scripted one in tests.
``ask`` returns a :class:`PromptAnswer`, or ``None`` when the user cancelled.

Validation policy (one place, used by every front-end):

* username and password must not be empty, and a caller AFM, when given, must
  be a valid AFM — these block;
* the service's own rule (10–100 characters: Latin letters, digits and
  ``!@#$%^&*()+-=``) only *warns*: the service is the authority and may relax
  it, but a call with codes that break it is a failed call that counts toward
  the service's lock-out, so the user confirms once before it is sent.

>>> code_warning('AFMXLDEMO01', 'Demo!Pass2026') is None
True
>>> print(code_warning('short', 'Demo!Pass2026'))
Το όνομα χρήστη έχει 5 χαρακτήρες· η ΑΑΔΕ δίνει ειδικούς κωδικούς με 10–100 χαρακτήρες.
>>> parse_caller_afm(' 090000045 ')
('090000045', None)
>>> parse_caller_afm('')
(None, None)
>>> parse_caller_afm('123456789')
(None, 'Ο ΑΦΜ εντολέα δεν είναι έγκυρος: Λάθος ψηφίο ελέγχου.')
"""

from __future__ import annotations

import string
from typing import Any, NamedTuple, Protocol, runtime_checkable

from ..credentials import Credentials

#: Step 1: register for the service (with the TAXISnet codes of the business).
REGISTRATION_URL = "https://www1.gsis.gr/webtax/wspublicreg"
#: Step 2: create the special codes.
CODES_URL = "https://www1.gsis.gr/sgsisapps/tokenservices"

MIN_CODE_LENGTH = 10
MAX_CODE_LENGTH = 100
#: characters the service allows in special codes
CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "!@#$%^&*()+-=")

TITLE = "afm-xl — Ειδικοί κωδικοί ΑΑΔΕ"
INTRO = (
    "Η αναζήτηση στοιχείων μητρώου (υπηρεσία RgWsPublic2 της ΑΑΔΕ) χρειάζεται "
    "ειδικούς κωδικούς πρόσβασης. Δεν είναι οι κωδικοί TAXISnet."
)
STEPS = (
    ("1. Εγγραφή στην υπηρεσία (με τους κωδικούς TAXISnet)", REGISTRATION_URL),
    ("2. Δημιουργία ειδικών κωδικών", CODES_URL),
)
LEGAL_ENTITY_NOTE = (
    "Τα νομικά πρόσωπα αποκτούν ειδικούς κωδικούς μέσω του νόμιμου εκπροσώπου τους."
)
CALLER_AFM_NOTE = "Μόνο αν καλείτε για λογαριασμό άλλου ΑΦΜ που σας έχει εξουσιοδοτήσει."
MISSING_TEXT = "Συμπληρώστε όνομα χρήστη και κωδικό πρόσβασης."


class PromptAnswer(NamedTuple):
    """What the user typed: the codes, whether to keep them, and the caller AFM (or None)."""

    credentials: Credentials
    remember: bool = True
    caller_afm: str | None = None


@runtime_checkable
class CredentialPrompt(Protocol):
    """Asks the user for the special codes."""

    def ask(
        self,
        *,
        error: str | None = None,
        username: str | None = None,
        caller_afm: str | None = None,
    ) -> PromptAnswer | None:
        """Show ``error`` (the service's message on a re-ask), prefill ``username`` and
        ``caller_afm``; return the answer, or ``None`` when the user cancels."""
        ...


def _rule_problem(what: str, value: str) -> str | None:
    if not MIN_CODE_LENGTH <= len(value) <= MAX_CODE_LENGTH:
        return (
            f"{what} έχει {len(value)} χαρακτήρες· η ΑΑΔΕ δίνει ειδικούς κωδικούς με "
            f"{MIN_CODE_LENGTH}–{MAX_CODE_LENGTH} χαρακτήρες."
        )
    if not set(value) <= CODE_CHARACTERS:
        return (
            f"{what} περιέχει χαρακτήρες που δεν επιτρέπονται στους ειδικούς κωδικούς "
            "(επιτρέπονται λατινικά γράμματα, ψηφία και !@#$%^&*()+-=)."
        )
    return None


def code_warning(username: str, password: str) -> str | None:
    """A warning when the codes break the service's rule (10–100 chars, allowed set), else None.

    Never includes the password itself.
    """
    problems = [
        p for p in (_rule_problem("Το όνομα χρήστη", username),
                    _rule_problem("Ο κωδικός πρόσβασης", password)) if p
    ]
    return " ".join(problems) or None


def parse_caller_afm(text: str | None) -> tuple[str | None, str | None]:
    """``(afm, None)``, ``(None, None)`` for empty, or ``(None, error text)``."""
    from ..afm import normalise, reason_text

    if text is None or not str(text).strip():
        return None, None
    result = normalise(str(text))
    if result.afm is None:
        return None, f"Ο ΑΦΜ εντολέα δεν είναι έγκυρος: {reason_text(result.reason)}."
    return result.afm, None


class ModalDialog:
    """``cancel``, ``run`` and closing for a Tk dialog: ``window`` is its toplevel, ``result`` its answer.

    Subclasses set ``window`` and may override :meth:`_forget` to clear what must
    not outlive the window (a typed password). No tkinter import here.
    """

    window: Any
    result: Any = None
    closed: bool = False

    def cancel(self, _event: Any = None) -> str:
        self.result = None
        self._close()
        return "break"

    def _close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._forget()
        self.window.destroy()

    def _forget(self) -> None:
        """Clear state that must not outlive the window; nothing by default."""

    def run(self) -> Any:
        """Wait until the dialog closes (a local event loop), then return :attr:`result`."""
        if not self.closed:
            self.window.wait_window(self.window)
        return self.result
