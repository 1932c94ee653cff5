"""The Tk credential dialog, driven for real under Xvfb (pytest-xvfb provides the display).

Each test opens the dialog through :class:`TkPrompt` and drives it from inside
its event loop (``after``): keys are typed with ``event_generate``, buttons and
links are pressed as a user would, and the dialog's answer is checked.
"""

from __future__ import annotations

import os
import sys
import tkinter

import pytest

from afm_xl import errors
from afm_xl.auth_flow import run_with_credentials
from afm_xl.credentials import CredentialStore, Credentials
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from afm_xl.gsis.client import GsisClient
from afm_xl.prompts.base import CODES_URL, MISSING_TEXT, REGISTRATION_URL, PromptAnswer
from afm_xl.prompts.tk import MASK, TkPrompt

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(
        sys.platform.startswith("linux") and not os.environ.get("DISPLAY"), reason="needs an X display"
    ),
]

DEMO = Credentials(DEMO_USERNAME, DEMO_PASSWORD)
KEYSYMS = {"!": "exclam", "@": "at", "#": "numbersign", "$": "dollar", "%": "percent", "&": "ampersand",
           "*": "asterisk", "(": "parenleft", ")": "parenright", "+": "plus", "-": "minus", "=": "equal",
           "^": "asciicircum", " ": "space"}


def type_into(entry, text: str) -> None:
    """Type ``text`` key by key into ``entry``."""
    entry.focus_force()
    entry.update()
    for char in text:
        entry.event_generate("<KeyPress>", keysym=KEYSYMS.get(char, char))
    entry.update()


def press(widget, sequence: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate(sequence)
    try:
        widget.update()
    except tkinter.TclError:
        pass  # the key closed the dialog


class Driver:
    """Opens the dialog with a script that runs inside its event loop."""

    def __init__(self):
        self.urls: list[str] = []
        self.dialog = None

    def ask(self, script, **kwargs) -> PromptAnswer | None:
        failures: list[BaseException] = []

        def on_open(dialog):
            self.dialog = dialog

            def step():
                try:
                    dialog.window.update()
                    script(dialog)
                    assert dialog.closed, "the script left the dialog open"
                except BaseException as exc:  # surface assertion errors from inside Tk
                    failures.append(exc)
                    dialog.cancel()

            dialog.window.after(1, step)

        answer = TkPrompt(open_url=self.urls.append, on_open=on_open).ask(**kwargs)
        if failures:
            raise failures[0]
        return answer


@pytest.fixture
def driver():
    return Driver()


def test_typing_masking_and_enter(driver):
    def script(d):
        assert d.window.attributes("-topmost") == 1
        assert d.password_entry.cget("show") == MASK == "•"
        assert d.username_entry.cget("show") == ""
        assert d.remember_var.get() is True
        type_into(d.username_entry, "afmxldemo01")
        type_into(d.password_entry, DEMO_PASSWORD)
        assert d.password_entry.get() == DEMO_PASSWORD  # masked on screen only
        press(d.password_entry, "<Return>")

    assert driver.ask(script) == PromptAnswer(DEMO, True, None)


def test_escape_cancels(driver):
    def script(d):
        type_into(d.username_entry, "afmxldemo01")
        press(d.username_entry, "<Escape>")

    assert driver.ask(script) is None


def test_cancel_button_and_window_close_cancel(driver):
    assert driver.ask(lambda d: d.cancel_button.invoke()) is None
    assert driver.ask(lambda d: d.window.tk.call(d.window.protocol("WM_DELETE_WINDOW"))) is None


def test_enter_on_the_focused_cancel_button_cancels(driver):
    def script(d):
        type_into(d.username_entry, "afmxldemo01")
        type_into(d.password_entry, DEMO_PASSWORD)
        press(d.cancel_button, "<Return>")

    assert driver.ask(script) is None


def test_re_ask_shows_the_error_and_prefills(driver):
    message = "Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος."

    def script(d):
        assert d.error_label.cget("text") == message
        assert d.username_entry.get() == DEMO_USERNAME
        assert d.caller_entry.get() == "094014201"
        assert d.password_entry.get() == ""
        assert d.window.focus_get() is d.password_entry
        type_into(d.password_entry, DEMO_PASSWORD)
        d.ok_button.invoke()

    got = driver.ask(script, error=message, username=DEMO_USERNAME, caller_afm="094014201")
    assert got == PromptAnswer(DEMO, True, "094014201")


def test_empty_fields_block_with_a_message(driver):
    def script(d):
        press(d.username_entry, "<Return>")
        assert not d.closed
        assert d.error_label.cget("text") == MISSING_TEXT
        type_into(d.username_entry, DEMO_USERNAME)
        d.ok_button.invoke()
        assert not d.closed
        assert d.window.focus_get() is d.password_entry
        type_into(d.password_entry, DEMO_PASSWORD)
        d.ok_button.invoke()

    assert driver.ask(script) == PromptAnswer(DEMO, True, None)


def test_an_invalid_caller_afm_blocks(driver):
    def script(d):
        type_into(d.username_entry, DEMO_USERNAME)
        type_into(d.password_entry, DEMO_PASSWORD)
        type_into(d.caller_entry, "123456789")
        d.ok_button.invoke()
        assert not d.closed
        assert "ΑΦΜ εντολέα δεν είναι έγκυρος" in d.error_label.cget("text")
        d.caller_entry.delete(0, "end")
        type_into(d.caller_entry, "EL 094 014 201")
        d.ok_button.invoke()

    assert driver.ask(script) == PromptAnswer(DEMO, True, "094014201")


def test_codes_outside_the_service_rule_need_a_second_ok(driver):
    def script(d):
        type_into(d.username_entry, "short")
        type_into(d.password_entry, "tiny")
        d.ok_button.invoke()
        assert not d.closed
        warning = d.error_label.cget("text")
        assert "10–100 χαρακτήρες" in warning and "tiny" not in warning
        d.ok_button.invoke()

    assert driver.ask(script) == PromptAnswer(Credentials("SHORT", "tiny"), True, None)


def test_remember_can_be_turned_off(driver):
    def script(d):
        d.remember_check.invoke()
        type_into(d.username_entry, DEMO_USERNAME)
        type_into(d.password_entry, DEMO_PASSWORD)
        press(d.password_entry, "<KP_Enter>")

    assert driver.ask(script) == PromptAnswer(DEMO, False, None)


def test_registration_links_open_the_browser(driver):
    def script(d):
        assert [link.url for link in d.links] == [REGISTRATION_URL, CODES_URL]
        for link in d.links:
            link.event_generate("<Button-1>")
        d.window.update()
        d.cancel()

    driver.ask(script)
    assert driver.urls == [REGISTRATION_URL, CODES_URL]


def test_flow_with_the_dialog_against_the_emulator(emulator):
    store = CredentialStore()
    errors_shown: list[str] = []
    passwords = iter(["Wrong!Pass2026", DEMO_PASSWORD])

    def on_open(d):
        def step():
            errors_shown.append(d.error_label.cget("text"))
            if not d.username_entry.get():
                type_into(d.username_entry, DEMO_USERNAME)
            type_into(d.password_entry, next(passwords))
            press(d.password_entry, "<Return>")

        d.window.after(1, step)
        d.window.after(10_000, d.cancel)  # a watchdog: never hang the suite

    def action(creds):
        return GsisClient(creds, endpoint=emulator.url, timeout=5, backoff=0).lookup("090000045")

    result = run_with_credentials(action, prompt=TkPrompt(on_open=on_open), store=store)
    assert result.status == "ok"
    assert errors_shown[0] == ""
    assert errors_shown[1].startswith("Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος.")
    assert store.load() == (DEMO, "keyring")


def test_no_display_means_no_codes(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":4242")  # nothing listens there
    with pytest.raises(errors.CredentialsMissing) as info:
        TkPrompt().ask()
    assert "afm-xl login" in str(info.value)
