"""Ask → try → save: run a service action with the user's codes, asking for them when needed.

:func:`run_with_credentials` takes the codes from the environment, the session
slot or the keyring (:mod:`afm_xl.credentials`); when there are none, or the
service refuses stored ones, it asks through a prompt (:mod:`afm_xl.prompts`),
calls the action, and keeps the codes only after the service accepted them.

Rules, because every refused call counts toward the service's lock-out:

* at most ``max_tries`` calls of the action in all (stored codes included);
* codes from the environment are never replaced by a prompt: a refusal raises;
* nobody to ask (``prompt=None``) and no codes: :class:`~afm_xl.errors.CredentialsMissing`
  (exit code 3) with a message that says how to log in;
* refused keyring codes are replaced only after new ones succeed; if the user
  turned "remember" off, stale stored codes that differ are deleted so they
  are not tried (and refused) again on the next run.

The caller AFM: the prompt shows ``settings.caller_afm`` and writes the user's
choice back into that same :class:`~afm_xl.settings.Settings` object before each
call, so an action that builds its client from ``settings`` uses it; a changed
caller AFM is saved to settings.json after a successful call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, TypeVar

from . import errors
from .credentials import (
    ENV_PASSWORD, ENV_USERNAME, LOGIN_HINT, CredentialStore, Credentials, default_store,
)

if TYPE_CHECKING:  # pragma: no cover
    from .prompts.base import CredentialPrompt, PromptAnswer
    from .settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAX_TRIES = 3
MISSING_MESSAGE = f"Δεν υπάρχουν ειδικοί κωδικοί της ΑΑΔΕ. {LOGIN_HINT}"
CANCELLED_MESSAGE = "Η σύνδεση ακυρώθηκε: δεν δόθηκαν κωδικοί."
ENV_HINT = f"(οι κωδικοί ήρθαν από τις μεταβλητές {ENV_USERNAME}/{ENV_PASSWORD}· ελέγξτε τις)"


def _tries_left_text(left: int) -> str:
    if left == 1:
        return "Απομένει 1 προσπάθεια: οι αποτυχημένες κλήσεις μετρούν στον προσωρινό αποκλεισμό."
    return f"Απομένουν {left} προσπάθειες."


def _with_hint(exc: errors.AuthenticationError, hint: str) -> errors.AuthenticationError:
    """The same error (same class, code and extra attributes such as ``results``) plus a hint."""
    hinted = type(exc)(f"{exc.message} {hint}", code=exc.code)
    hinted.__dict__.update({k: v for k, v in vars(exc).items() if k != "message"})
    return hinted


def run_with_credentials(
    action: Callable[[Credentials], T],
    *,
    prompt: "CredentialPrompt | None",
    max_tries: int = DEFAULT_MAX_TRIES,
    store: CredentialStore | None = None,
    settings: "Settings | None" = None,
) -> T:
    """Call ``action(credentials)`` with working codes and return its result.

    Raises :class:`~afm_xl.errors.CredentialsMissing` (no codes, nobody to ask),
    :class:`~afm_xl.errors.Cancelled` (the user cancelled the prompt), the last
    :class:`~afm_xl.errors.AuthenticationError` once the tries are spent, and
    anything else the action raises (quota, transport…) unchanged, saving nothing.
    """
    store = store if store is not None else default_store()
    max_tries = max(1, int(max_tries))
    creds, source = store.load()

    if source == "env":
        try:
            return action(creds)
        except errors.AuthenticationError as exc:
            raise _with_hint(exc, ENV_HINT) from exc

    if settings is None:
        from . import settings as settings_module

        settings = settings_module.load()
    original_caller = settings.caller_afm
    tries = 0
    error: str | None = None
    refused: Credentials | None = None
    last: errors.AuthenticationError | None = None

    if creds is not None:
        tries += 1
        try:
            return action(creds)
        except errors.AuthenticationError as exc:
            if prompt is None:
                raise _with_hint(exc, LOGIN_HINT) from exc
            log.info("stored codes (%s) refused: %s", source, exc.code)
            refused, last = creds, exc
            error = f"{exc.message} {_tries_left_text(max_tries - tries)}"
    elif prompt is None:
        raise errors.CredentialsMissing(MISSING_MESSAGE)

    username = creds.username if creds is not None else None
    while tries < max_tries:
        answer = prompt.ask(error=error, username=username, caller_afm=settings.caller_afm)
        if answer is None:
            settings.caller_afm = original_caller
            raise errors.Cancelled(CANCELLED_MESSAGE)
        tries += 1
        settings.caller_afm = answer.caller_afm  # the action reads it from here
        try:
            result = action(answer.credentials)
        except errors.AuthenticationError as exc:
            log.info("codes refused (try %d of %d): %s", tries, max_tries, exc.code)
            last, username = exc, answer.credentials.username
            left = max_tries - tries
            error = f"{exc.message} {_tries_left_text(left)}" if left else exc.message
            continue
        except BaseException:
            settings.caller_afm = original_caller
            raise
        _keep(store, answer, refused, source, verified=getattr(result, "codes_verified", True))
        if answer.caller_afm != original_caller:
            _save_caller_afm(answer.caller_afm)
        return result
    settings.caller_afm = original_caller
    assert last is not None
    raise _with_hint(last, f"Η σύνδεση σταμάτησε μετά από {max_tries} προσπάθειες.") from last


def _keep(
    store: CredentialStore, answer: "PromptAnswer", refused: Credentials | None, source: str, *, verified: bool
) -> None:
    """Keep codes the service accepted: keyring when "remember", else this process only.

    Codes the service has not answered yet (every call failed in transport) are kept
    for this process only, never saved unproven.
    """
    creds = answer.credentials
    if answer.remember and verified:
        store.save(creds)  # False: no usable keyring, kept for this process (save warns)
        return
    if refused is not None and source == "keyring" and refused != creds:
        store.delete()  # stale: they would be tried (and refused) first next time
    store.set_session(creds)


def _save_caller_afm(afm: str | None) -> None:
    from . import settings as settings_module

    try:
        saved = settings_module.load()
        saved.caller_afm = afm
        settings_module.save(saved)
    except OSError as exc:
        log.warning("could not save the caller AFM to the settings: %s", exc)
