"""The credential store, the console prompt, ``choose_prompt`` and the ask → try → save flow.

The flow's actions are real lookups against the emulator over loopback; the
prompt is a scripted class that implements the prompt protocol.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null

from afm_xl import credentials, errors, prompts
from afm_xl import settings as settings_module
from afm_xl.auth_flow import run_with_credentials
from afm_xl.credentials import SERVICE, USERNAME_KEY, CredentialStore, Credentials
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from afm_xl.gsis.client import GsisClient
from afm_xl.prompts.base import CredentialPrompt, PromptAnswer, code_warning
from afm_xl.prompts.console import ConsolePrompt
from memory_keyring import LockedKeyring, MemoryKeyring

WRONG = "Wrong!Pass2026"
NOT_AUTHENTICATED = "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"
DEMO = Credentials(DEMO_USERNAME, DEMO_PASSWORD)
BAD = Credentials(DEMO_USERNAME, WRONG)
#: the keyring's content after saving the demo codes
STORED_DEMO = {(SERVICE, USERNAME_KEY): DEMO_USERNAME, (SERVICE, DEMO_USERNAME): DEMO_PASSWORD}


@pytest.fixture(autouse=True)
def clean_default_store():
    """The process-wide store's session slot must not leak between tests."""
    credentials.default_store().set_session(None)
    yield
    credentials.default_store().set_session(None)


@pytest.fixture
def backend():
    """The in-memory keyring installed by conftest."""
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


@pytest.fixture
def store():
    return CredentialStore()


class ScriptedPrompt:
    """A prompt that gives prepared answers and records what it was asked."""

    def __init__(self, *answers: PromptAnswer | None):
        self.answers = list(answers)
        self.asked: list[dict] = []

    def ask(self, *, error=None, username=None, caller_afm=None):
        self.asked.append({"error": error, "username": username, "caller_afm": caller_afm})
        assert self.answers, "the flow asked more often than scripted"
        return self.answers.pop(0)


def answer(creds: Credentials = DEMO, remember: bool = True, caller_afm: str | None = None) -> PromptAnswer:
    return PromptAnswer(creds, remember, caller_afm)


def lookup_action(emulator, settings=None):
    """A real service call: the public AFM, through the emulator."""

    def action(creds: Credentials):
        caller = settings.caller_afm if settings is not None else None
        client = GsisClient(creds, endpoint=emulator.url, timeout=5, backoff=0, afm_called_by=caller)
        return client.lookup("090000045")

    return action


# -- the store ---------------------------------------------------------------------------------
def test_nothing_stored(store):
    assert store.load() == (None, "none")
    assert store.source() == "none"
    assert "afm-xl login" in store.describe_source()


def test_keyring_round_trip_and_layout(store, backend):
    assert store.save(Credentials("afmxldemo01", DEMO_PASSWORD)) is True
    assert backend.entries() == STORED_DEMO
    assert store.load() == (DEMO, "keyring")
    assert store.describe_source() == f"keyring ({DEMO_USERNAME})"
    assert store.problem is None


def test_a_new_username_replaces_the_old_entry(store, backend):
    store.save(DEMO)
    store.save(Credentials("otheruser01", "Other!Pass2026"))
    assert backend.entries() == {
        (SERVICE, USERNAME_KEY): "OTHERUSER01", (SERVICE, "OTHERUSER01"): "Other!Pass2026",
    }


def test_environment_takes_precedence(store, backend, monkeypatch):
    store.save(DEMO)
    monkeypatch.setenv("AFM_XL_USERNAME", "envuser0001")
    monkeypatch.setenv("AFM_XL_PASSWORD", "Env!Pass2026")
    assert store.load() == (Credentials("ENVUSER0001", "Env!Pass2026"), "env")
    assert store.describe_source() == "env: AFM_XL_USERNAME/AFM_XL_PASSWORD (ENVUSER0001)"


def test_half_an_environment_is_ignored(store, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", "envuser0001")
    assert store.load() == (None, "none")


def test_username_without_password_counts_as_nothing(store, backend):
    backend.set_password(SERVICE, USERNAME_KEY, DEMO_USERNAME)
    assert store.load() == (None, "none")


def test_delete(store, backend):
    assert store.delete() is False
    store.save(DEMO)
    assert store.delete() is True
    assert backend.entries() == {}
    assert store.load() == (None, "none")
    assert store.delete() is False


@pytest.mark.parametrize(
    "broken, words",
    [(fail.Keyring(), "Δεν βρέθηκε"), (LockedKeyring(), "κλειδωμένη")],
    ids=["NoKeyringError", "KeyringLocked"],
)
def test_no_usable_keyring_keeps_codes_for_this_process_only(broken, words, afm_home):
    store = CredentialStore(backend=broken)
    assert store.load() == (None, "none")
    assert store.save(DEMO) is False
    assert words in store.problem and "keyrings.alt" not in store.problem
    assert store.load() == (DEMO, "session")
    assert store.describe_source() == f"session ({DEMO_USERNAME})"
    assert store.delete() is True  # the session slot
    assert store.load() == (None, "none")
    assert not afm_home.exists() or not any(p.is_file() for p in afm_home.rglob("*"))


def test_a_backend_that_drops_secrets_is_not_trusted():
    store = CredentialStore(backend=null.Keyring())
    assert store.save(DEMO) is False
    assert store.load() == (DEMO, "session")


def test_plaintext_keyrings_alt_backends_are_refused(monkeypatch):
    plaintext = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})()
    keyring.set_keyring(plaintext)
    store = CredentialStore()
    assert store.save(DEMO) is False
    assert plaintext.entries() == {}
    assert "keyrings.alt" in store.problem
    assert store.load() == (DEMO, "session")


def test_module_functions_use_the_installed_keyring(backend):
    assert credentials.save(DEMO) is True
    assert credentials.load() == (DEMO, "keyring")
    assert credentials.source() == "keyring"
    assert credentials.describe_source() == f"keyring ({DEMO_USERNAME})"
    assert credentials.delete() is True
    assert credentials.source() == "none"


def test_password_never_in_repr_or_description(store):
    store.save(DEMO)
    for text in (repr(DEMO), str(DEMO), store.describe_source(), repr(store.load())):
        assert DEMO_PASSWORD not in text


# -- the flow ----------------------------------------------------------------------------------
def test_prompt_then_success_saves_to_keyring(emulator, store):
    prompt = ScriptedPrompt(answer(Credentials("afmxldemo01", DEMO_PASSWORD)))
    result = run_with_credentials(lookup_action(emulator), prompt=prompt, store=store)
    assert result.status == "ok"
    assert prompt.asked == [{"error": None, "username": None, "caller_afm": None}]
    assert store.load() == (DEMO, "keyring")
    assert emulator.stats()["total_calls"] == 1


def test_stored_codes_are_used_without_asking(emulator, store):
    store.save(DEMO)
    prompt = ScriptedPrompt()
    assert run_with_credentials(lookup_action(emulator), prompt=prompt, store=store).status == "ok"
    assert prompt.asked == []


def test_wrong_password_asks_again_with_the_service_message(emulator, store):
    prompt = ScriptedPrompt(answer(BAD), answer(DEMO))
    assert run_with_credentials(lookup_action(emulator), prompt=prompt, store=store).status == "ok"
    second = prompt.asked[1]
    assert second["username"] == DEMO_USERNAME
    assert second["error"].startswith("Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος.")
    assert "Απομένουν 2 προσπάθειες" in second["error"]
    assert store.load() == (DEMO, "keyring")
    assert emulator.stats()["calls_by_error_code"] == {NOT_AUTHENTICATED: 1, "OK": 1}


def test_three_refusals_stop_and_save_nothing(emulator, store, backend):
    prompt = ScriptedPrompt(answer(BAD), answer(BAD), answer(BAD), answer(DEMO))
    with pytest.raises(errors.AuthenticationError) as info:
        run_with_credentials(lookup_action(emulator), prompt=prompt, store=store)
    assert info.value.code == NOT_AUTHENTICATED
    assert info.value.exit_code == 3
    assert "3 προσπάθειες" in str(info.value)
    assert len(prompt.asked) == 3
    assert emulator.stats()["total_calls"] == 3
    assert backend.entries() == {}
    assert store.load() == (None, "none")


def test_refused_keyring_codes_count_as_a_try_and_are_replaced_only_after_success(emulator, store, backend):
    store.save(BAD)
    prompt = ScriptedPrompt(answer(BAD), answer(DEMO))
    run_with_credentials(lookup_action(emulator), prompt=prompt, store=store)
    assert [a["username"] for a in prompt.asked] == [DEMO_USERNAME, DEMO_USERNAME]
    assert "Απομένουν 2 προσπάθειες" in prompt.asked[0]["error"]
    assert "Απομένει 1 προσπάθεια" in prompt.asked[1]["error"]
    assert store.load() == (DEMO, "keyring")
    assert emulator.stats()["total_calls"] == 3


def test_refused_keyring_codes_stay_when_the_user_cancels(emulator, store):
    store.save(BAD)
    prompt = ScriptedPrompt(None)
    with pytest.raises(errors.Cancelled):
        run_with_credentials(lookup_action(emulator), prompt=prompt, store=store)
    assert store.load() == (BAD, "keyring")


def test_cancel_raises_cancelled_and_calls_nothing(emulator, store):
    with pytest.raises(errors.Cancelled) as info:
        run_with_credentials(lookup_action(emulator), prompt=ScriptedPrompt(None), store=store)
    assert info.value.exit_code == 1
    assert emulator.stats()["total_calls"] == 0
    assert store.load() == (None, "none")


def test_environment_codes_are_never_replaced_by_a_prompt(emulator, store, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", WRONG)
    prompt = ScriptedPrompt(answer(DEMO))
    with pytest.raises(errors.AuthenticationError) as info:
        run_with_credentials(lookup_action(emulator), prompt=prompt, store=store)
    assert "AFM_XL_USERNAME" in str(info.value)
    assert prompt.asked == []
    assert emulator.stats()["total_calls"] == 1


def test_environment_codes_work_without_a_prompt(emulator, store, backend, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    assert run_with_credentials(lookup_action(emulator), prompt=None, store=store).status == "ok"
    assert backend.entries() == {}  # never copied into the keyring


def test_non_interactive_without_codes_says_how_to_log_in(emulator, store):
    with pytest.raises(errors.CredentialsMissing) as info:
        run_with_credentials(lookup_action(emulator), prompt=None, store=store)
    message = str(info.value)
    assert "afm-xl login" in message and "AFM_XL_USERNAME" in message and "AFM_XL_PASSWORD" in message
    assert info.value.exit_code == 3
    assert emulator.stats()["total_calls"] == 0


def test_non_interactive_with_refused_keyring_codes(emulator, store):
    store.save(BAD)
    with pytest.raises(errors.AuthenticationError) as info:
        run_with_credentials(lookup_action(emulator), prompt=None, store=store)
    assert info.value.code == NOT_AUTHENTICATED
    assert "afm-xl login" in str(info.value)
    assert store.load() == (BAD, "keyring")


def test_remember_off_keeps_codes_for_this_process_only(emulator, store, backend):
    run_with_credentials(lookup_action(emulator), prompt=ScriptedPrompt(answer(remember=False)), store=store)
    assert backend.entries() == {}
    assert store.load() == (DEMO, "session")


def test_remember_off_forgets_stale_keyring_codes(emulator, store, backend):
    store.save(BAD)
    run_with_credentials(lookup_action(emulator), prompt=ScriptedPrompt(answer(remember=False)), store=store)
    assert backend.entries() == {}
    assert store.load() == (DEMO, "session")


def test_without_keyring_the_flow_still_works_for_this_process(emulator):
    store = CredentialStore(backend=fail.Keyring())
    run_with_credentials(lookup_action(emulator), prompt=ScriptedPrompt(answer()), store=store)
    assert store.load() == (DEMO, "session")
    assert store.problem


def test_other_service_errors_propagate_and_save_nothing(emulator, store, backend):
    emulator.knobs.daily_limit = 0
    with pytest.raises(errors.QuotaError):
        run_with_credentials(lookup_action(emulator), prompt=ScriptedPrompt(answer()), store=store)
    assert backend.entries() == {}
    assert store.load() == (None, "none")


def test_caller_afm_from_the_prompt_is_used_and_saved(emulator, store):
    settings = settings_module.load()
    prompt = ScriptedPrompt(answer(caller_afm="094014201"))
    action = lookup_action(emulator, settings)
    result = run_with_credentials(action, prompt=prompt, store=store, settings=settings)
    assert result.status == "ok"
    assert settings.caller_afm == "094014201"
    assert settings_module.load().caller_afm == "094014201"


def test_a_refused_caller_afm_can_be_corrected(emulator, store):
    settings = settings_module.Settings(caller_afm="090165560")  # has not authorised anybody
    store.save(DEMO)
    prompt = ScriptedPrompt(answer(caller_afm=None))
    action = lookup_action(emulator, settings)
    result = run_with_credentials(action, prompt=prompt, store=store, settings=settings)
    assert result.status == "ok"
    assert prompt.asked[0]["caller_afm"] == "090165560"
    assert "δεν έχει εξουσιοδοτηθεί" in prompt.asked[0]["error"]
    assert settings.caller_afm is None


def test_a_failed_flow_leaves_the_caller_afm_as_it_was(emulator, store):
    settings = settings_module.Settings(caller_afm="094014201")
    prompt = ScriptedPrompt(answer(BAD, caller_afm=None), None)
    with pytest.raises(errors.Cancelled):
        run_with_credentials(lookup_action(emulator, settings), prompt=prompt, store=store, settings=settings)
    assert prompt.asked[1]["caller_afm"] is None  # the re-ask shows what the user typed
    assert settings.caller_afm == "094014201"
    assert not settings_module.settings_path().exists()


def test_scripted_prompt_satisfies_the_protocol():
    assert isinstance(ScriptedPrompt(), CredentialPrompt)
    assert isinstance(ConsolePrompt(), CredentialPrompt)


# -- the console prompt ------------------------------------------------------------------------
class Terminal:
    """Scripted terminal lines; ``getpass`` answers come from their own list."""

    def __init__(self, lines, passwords):
        self.lines, self.passwords = list(lines), list(passwords)
        self.out = io.StringIO()

    def read_line(self):
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def read_password(self, text):
        self.out.write(text)
        if not self.passwords:
            raise EOFError
        return self.passwords.pop(0)

    def prompt(self, **kwargs) -> ConsolePrompt:
        return ConsolePrompt(
            read_line=self.read_line, read_password=self.read_password, stream=self.out, **kwargs
        )


def test_console_prompt_answers():
    term = Terminal(["afmxldemo01", "ο"], [DEMO_PASSWORD])
    got = term.prompt().ask(error="Λάθος κωδικοί")
    assert got == PromptAnswer(DEMO, False, None)
    text = term.out.getvalue()
    assert "Σφάλμα: Λάθος κωδικοί" in text and "Δεν είναι οι κωδικοί TAXISnet" in text
    assert "wspublicreg" in text and "tokenservices" in text
    assert DEMO_PASSWORD not in text


def test_console_prompt_prefills_username_and_asks_caller_afm():
    term = Terminal(["", "123456789", "094014201"], [DEMO_PASSWORD])
    got = term.prompt(ask_remember=False, ask_caller_afm=True).ask(username=DEMO_USERNAME)
    assert got == PromptAnswer(DEMO, True, "094014201")
    assert "Λάθος ψηφίο ελέγχου" in term.out.getvalue()


def test_console_prompt_warns_about_the_service_rule_and_lets_the_user_retype():
    term = Terminal(["short", "ο", "afmxldemo01", ""], ["x", DEMO_PASSWORD])
    got = term.prompt().ask()
    assert got == PromptAnswer(DEMO, True, None)
    assert "10–100 χαρακτήρες" in term.out.getvalue()


def test_console_prompt_end_of_input_cancels():
    assert Terminal([], []).prompt().ask() is None
    assert Terminal(["afmxldemo01"], []).prompt().ask() is None


def test_code_warning_rule():
    assert code_warning(DEMO_USERNAME, DEMO_PASSWORD) is None
    assert "λατινικά" in code_warning("ΧΡΗΣΤΗΣ12345", DEMO_PASSWORD)
    warning = code_warning(DEMO_USERNAME, "x" * 101)
    assert "101 χαρακτήρες" in warning and "x" * 101 not in warning


# -- choosing a prompt -------------------------------------------------------------------------
class FakeStdin(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self._tty = tty

    def isatty(self):
        return self._tty


def test_choose_prompt(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(True))
    assert isinstance(prompts.choose_prompt(), ConsolePrompt)
    monkeypatch.setattr(sys, "stdin", FakeStdin(False))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert prompts.choose_prompt() is None
    assert prompts.choose_prompt("console") is None
    assert prompts.choose_prompt("tk") is None
    monkeypatch.setenv("DISPLAY", ":99")
    from afm_xl.prompts.tk import TkPrompt

    assert isinstance(prompts.choose_prompt(), TkPrompt)
    assert prompts.choose_prompt("none") is None
    monkeypatch.setattr(sys, "stdin", None)
    assert prompts.stdin_is_terminal() is False
    with pytest.raises(ValueError):
        prompts.choose_prompt("gui")


def test_importing_afm_xl_never_imports_tkinter_or_keyring():
    code = (
        "import sys, afm_xl, afm_xl.credentials, afm_xl.auth_flow, afm_xl.prompts, afm_xl.prompts.tk, "
        "afm_xl.prompts.console, afm_xl.commands.login; "
        "print(sorted(m for m in ('tkinter', 'keyring') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"


def test_codes_not_saved_when_the_service_never_answered(emulator, store):
    """Every call failed in transport: the codes are unproven, kept for this process only."""
    from afm_xl.engine.batch import Engine
    from afm_xl.gsis.client import GsisClient

    emulator.knobs.fault = "http503"

    def batch(creds):
        client = GsisClient(creds, endpoint=emulator.url, retries=0, backoff=0)
        return Engine(client, concurrency=1).lookup_many(["094014201"])

    result = run_with_credentials(batch, prompt=ScriptedPrompt(answer()), store=store)
    assert result[0].status == "failed" and not result.codes_verified
    assert store.load() == (DEMO, "session")
    emulator.knobs.fault = None
    result = run_with_credentials(batch, prompt=ScriptedPrompt(), store=store)
    assert result.codes_verified and result[0].status == "ok"
