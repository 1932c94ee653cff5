"""The settings dialog of the ribbon button (Tk), opened when the selection holds no AFMs.

It shows and edits what :class:`afm_xl.settings.Settings` keeps, plus the codes:

* the codes: where they come from and the username (never the password), a
  button to change them (the credential dialog of :mod:`afm_xl.prompts.tk`,
  checked with ONE lookup, as ``afm-xl login`` does) and one to log out;
* the caller AFM (``afm_called_by``);
* the fields to fill: one checkbox per :data:`afm_xl.fields.FIELDS` entry;
* the cache lifetime in days, and a button that empties the cache;
* afm-xl's own monthly and daily call limits (empty: no limit), with the calls made;
* the parallel calls (1–16).

«Αποθήκευση» validates the form (:func:`apply_form`) and saves with
:func:`afm_xl.settings.save`, keeping the settings the dialog does not show.
tkinter is imported inside functions only.

>>> from afm_xl.settings import Settings
>>> s = apply_form(Settings(), caller_afm='', fields=['name', 'doy'], cache_ttl_days='7',
...                monthly_limit='5.000', daily_limit='', concurrency='8')
>>> s.fields, s.cache_ttl_days, s.monthly_limit, s.daily_limit, s.concurrency
(('name', 'doy'), 7.0, 5000, None, 8)
>>> apply_form(Settings(), caller_afm='', fields=[], cache_ttl_days='7', monthly_limit='',
...            daily_limit='', concurrency='4')
Traceback (most recent call last):
...
ValueError: Επιλέξτε τουλάχιστον ένα πεδίο για συμπλήρωση.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any, Callable, Sequence

from .. import errors
from ..credentials import ENV_PASSWORD, ENV_USERNAME, CredentialStore, Credentials, default_store
from ..fields import DEFAULT_FIELDS, FIELDS
from .base import ModalDialog, PromptAnswer, parse_caller_afm

__all__ = ["SettingsDialog", "apply_form", "open_settings_dialog", "verify_codes"]

log = logging.getLogger(__name__)

TITLE = "afm-xl — Ρυθμίσεις"
ERROR_COLOUR = "#b00020"
NOTE_COLOUR = "#555555"
FIELD_COLUMNS = 3
#: looked up to check new codes when no caller AFM is given (a public-sector AFM, as ``afm-xl login``)
VERIFY_AFM = "090000045"
MAX_TRIES = 3
_GROUPED = re.compile(r"\d{1,3}([. ]\d{3})+")  # 10.000 or 10 000


# -- the form, without Tk -------------------------------------------------------------------
def _whole(text: Any, what: str, *, low: int, high: int | None = None, empty: Any = ...) -> Any:
    """A whole number typed by a person (``5.000`` and ``5 000`` accepted)."""
    value = str(text if text is not None else "").strip()
    if not value and empty is not ...:
        return empty
    if _GROUPED.fullmatch(value):
        value = re.sub(r"[. ]", "", value)
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        span = f"{low}–{high}" if high is not None else f"από {low} και πάνω"
        raise ValueError(f"{what}: γράψτε έναν ακέραιο αριθμό ({span}).")
    return int(value)


def apply_form(
    settings,
    *,
    caller_afm: str,
    fields: Sequence[str],
    cache_ttl_days: str,
    monthly_limit: str,
    daily_limit: str,
    concurrency: str,
):
    """A copy of ``settings`` with the form's values; ``ValueError`` with a Greek text for a bad one."""
    caller, problem = parse_caller_afm(caller_afm)
    if problem:
        raise ValueError(problem)
    keys = tuple(k for k in FIELDS if k in set(fields))
    if not keys:
        raise ValueError("Επιλέξτε τουλάχιστον ένα πεδίο για συμπλήρωση.")
    try:
        ttl = float(str(cache_ttl_days).strip().replace(",", "."))
    except ValueError:
        ttl = -1.0
    if not 0 <= ttl <= 3650:
        raise ValueError("Διάρκεια αποθηκευμένων απαντήσεων: γράψτε ημέρες από 0 έως 3650 (0: χωρίς cache).")
    updated = copy.copy(settings)
    updated.caller_afm = caller
    updated.fields = keys
    updated.cache_ttl_days = ttl
    updated.monthly_limit = _whole(monthly_limit, "Μηνιαίο όριο κλήσεων", low=1, empty=None)
    updated.daily_limit = _whole(daily_limit, "Ημερήσιο όριο κλήσεων", low=1, empty=None)
    updated.concurrency = _whole(concurrency, "Παράλληλες κλήσεις", low=1, high=16)
    return updated


def verify_codes(credentials: Credentials, caller_afm: str | None, settings) -> None:
    """Check codes with ONE lookup; raises :class:`~afm_xl.errors.AuthenticationError` when refused."""
    from ..gsis.client import GsisClient

    client = GsisClient(
        credentials, endpoint=settings.effective_endpoint, timeout=settings.timeout, afm_called_by=caller_afm
    )
    result = client.lookup(caller_afm or VERIFY_AFM)
    if result.status not in ("ok", "not_found", "not_business"):
        raise errors.AfmXlError(f"Ο έλεγχος των κωδικών απέτυχε: {result.message or result.status}")


def _usage_text(settings, username: str | None) -> str:
    if not username:
        return ""
    try:
        from ..engine.quota import Quota

        usage = Quota(None, settings).usage(username)
    except Exception as exc:
        log.warning("quota usage: %s", exc)
        return ""
    return f"Κλήσεις του {username}: σήμερα {usage['today']}, αυτόν τον μήνα {usage['month']}."


def _cache_text(settings) -> str:
    try:
        from ..engine.cache import Cache

        stats = Cache(None, ttl_days=settings.cache_ttl_days).stats()
    except Exception as exc:
        log.warning("cache stats: %s", exc)
        return ""
    return f"Αποθηκευμένες απαντήσεις: {stats.get('entries', 0)}"


def _clear_cache() -> int:
    from ..engine.cache import Cache

    return Cache(None).clear()


# -- the dialog -----------------------------------------------------------------------------
def _entry(parent: Any, text: str, width: int = 10) -> Any:
    from tkinter import ttk

    entry = ttk.Entry(parent, width=width)
    entry.insert(0, text)
    return entry


def set_text(entry: Any, text: str) -> None:
    """Replace the text of an entry (or spinbox)."""
    entry.delete(0, "end")
    entry.insert(0, text)


class SettingsDialog(ModalDialog):
    """The dialog's widgets on ``window`` (a ``Tk`` root or a ``Toplevel``).

    Injectable for tests and other front-ends: ``settings`` (default: the saved
    ones), ``store`` (the credential store), ``ask_credentials(error=,
    username=, caller_afm=)`` → :class:`~afm_xl.prompts.base.PromptAnswer` or
    ``None`` (default: the Tk credential dialog), ``verify(credentials,
    caller_afm, settings)`` (default: :func:`verify_codes`), ``clear_cache()``
    → entries removed. After it closes, :attr:`result` is the saved
    :class:`~afm_xl.settings.Settings`, or ``None`` when cancelled.

    Widgets tests use: ``field_checks`` (by field key; :meth:`selected_fields`),
    ``caller_entry``, ``ttl_entry``, ``monthly_entry``, ``daily_entry``,
    ``concurrency_spin``, ``codes_label``, ``change_button``, ``logout_button``,
    ``clear_cache_button``, ``cache_label``, ``usage_label``, ``error_label``,
    ``save_button``, ``cancel_button``.

    The dialog keeps no ``tkinter.Variable``: the values live in the widgets.
    A Variable collected later by the garbage collector on another thread
    (a lookup worker) would call into Tk from that thread.
    """

    def __init__(
        self,
        window: Any,
        *,
        settings=None,
        store: CredentialStore | None = None,
        ask_credentials: Callable[..., PromptAnswer | None] | None = None,
        verify: Callable[[Credentials, str | None, Any], None] = verify_codes,
        clear_cache: Callable[[], int] = _clear_cache,
    ):
        import tkinter
        from tkinter import ttk

        from .. import settings as settings_module

        self.window = window
        self.settings = settings if settings is not None else settings_module.load()
        self.store = store if store is not None else default_store()
        self._ask_credentials = ask_credentials  # None: the Tk dialog (no bound method here: no cycle)
        self._verify = verify
        self._clear_cache = clear_cache
        self.result = None
        self.closed = False

        window.title(TITLE)
        window.resizable(False, False)
        frame = ttk.Frame(window, padding=14)
        frame.grid(sticky="nsew")
        wrap = 520
        row = 0

        # codes
        codes = ttk.LabelFrame(frame, text="Ειδικοί κωδικοί ΑΑΔΕ", padding=8)
        codes.grid(row=row, column=0, sticky="ew")
        self.codes_label = ttk.Label(codes, text="", wraplength=wrap, justify="left")
        self.codes_label.grid(row=0, column=0, columnspan=3, sticky="w")
        self.change_button = ttk.Button(codes, text="Αλλαγή κωδικών…", command=self.change_codes)
        self.change_button.grid(row=1, column=0, sticky="w", pady=(6, 0))
        self.logout_button = ttk.Button(codes, text="Αποσύνδεση", command=self.logout)
        self.logout_button.grid(row=1, column=1, sticky="w", padx=(8, 0), pady=(6, 0))
        self.usage_label = ttk.Label(codes, text="", foreground=NOTE_COLOUR)
        self.usage_label.grid(row=2, column=0, columnspan=3, sticky="w", pady=(4, 0))
        ttk.Label(codes, text="ΑΦΜ εντολέα (προαιρετικό):").grid(row=3, column=0, sticky="w", pady=(8, 0))
        self.caller_entry = _entry(codes, self.settings.caller_afm or "", 14)
        self.caller_entry.grid(row=3, column=1, sticky="w", padx=(8, 0), pady=(8, 0))
        row += 1

        # fields
        chosen = set(self.settings.fields or DEFAULT_FIELDS)
        box = ttk.LabelFrame(frame, text="Πεδία προς συμπλήρωση", padding=8)
        box.grid(row=row, column=0, sticky="ew", pady=(10, 0))
        self.field_checks: dict[str, Any] = {}
        for index, (key, field) in enumerate(FIELDS.items()):
            check = ttk.Checkbutton(box, text=field.header)
            check.state(["!alternate", "selected" if key in chosen else "!selected"])
            check.grid(row=index // FIELD_COLUMNS, column=index % FIELD_COLUMNS, sticky="w", padx=(0, 12))
            self.field_checks[key] = check
        row += 1

        # cache and limits
        numbers = ttk.LabelFrame(frame, text="Αποθηκευμένες απαντήσεις (cache) και όρια", padding=8)
        numbers.grid(row=row, column=0, sticky="ew", pady=(10, 0))
        self.ttl_entry = _entry(numbers, f"{self.settings.cache_ttl_days:g}")
        self.monthly_entry = _entry(numbers, str(self.settings.monthly_limit or ""))
        self.daily_entry = _entry(numbers, str(self.settings.daily_limit or ""))
        entries = (
            ("Διάρκεια απαντήσεων (ημέρες, 0 = χωρίς cache):", self.ttl_entry),
            ("Μηνιαίο όριο κλήσεων (κενό = χωρίς όριο):", self.monthly_entry),
            ("Ημερήσιο όριο κλήσεων (κενό = χωρίς όριο):", self.daily_entry),
        )
        for r, (label, entry) in enumerate(entries):
            ttk.Label(numbers, text=label).grid(row=r, column=0, sticky="w", pady=2)
            entry.grid(row=r, column=1, sticky="w", padx=(8, 0))
        ttk.Label(numbers, text="Παράλληλες κλήσεις (1–16):").grid(row=3, column=0, sticky="w", pady=2)
        self.concurrency_spin = ttk.Spinbox(numbers, from_=1, to=16, width=8)
        self.concurrency_spin.set(str(self.settings.concurrency))
        self.concurrency_spin.grid(row=3, column=1, sticky="w", padx=(8, 0))
        self.clear_cache_button = ttk.Button(numbers, text="Καθαρισμός cache", command=self.clear_cache)
        self.clear_cache_button.grid(row=4, column=0, sticky="w", pady=(8, 0))
        self.cache_label = ttk.Label(numbers, text=_cache_text(self.settings), foreground=NOTE_COLOUR)
        self.cache_label.grid(row=4, column=1, sticky="w", padx=(8, 0), pady=(8, 0))
        row += 1

        self.error_label = tkinter.Label(
            frame, text="", fg=ERROR_COLOUR, wraplength=wrap, justify="left", anchor="w"
        )
        self.error_label.grid(row=row, column=0, sticky="w", pady=(8, 0))
        row += 1
        buttons = ttk.Frame(frame)
        buttons.grid(row=row, column=0, sticky="e", pady=(10, 0))
        self.save_button = ttk.Button(buttons, text="Αποθήκευση", command=self.save, default="active")
        self.save_button.grid(row=0, column=0, padx=(0, 8))
        self.cancel_button = ttk.Button(buttons, text="Άκυρο", command=self.cancel)
        self.cancel_button.grid(row=0, column=1)

        window.bind("<Escape>", self.cancel)
        window.protocol("WM_DELETE_WINDOW", self.cancel)
        self.refresh_codes()
        self._bring_to_front()

    # -- window management ------------------------------------------------------------------
    def _bring_to_front(self) -> None:
        window = self.window
        window.attributes("-topmost", True)
        window.update_idletasks()
        width, height = window.winfo_reqwidth(), window.winfo_reqheight()
        x = max(0, (window.winfo_screenwidth() - width) // 2)
        y = max(0, (window.winfo_screenheight() - height) // 4)
        window.geometry(f"+{x}+{y}")
        window.lift()
        window.focus_force()

    def show_error(self, text: str | None) -> None:
        self.error_label.configure(text=text or "", fg=ERROR_COLOUR)

    def show_note(self, text: str) -> None:
        self.error_label.configure(text=text, fg=NOTE_COLOUR)

    def selected_fields(self) -> list[str]:
        """The keys of the checked fields, in :data:`~afm_xl.fields.FIELDS` order."""
        return [key for key, check in self.field_checks.items() if check.instate(["selected"])]

    # -- codes ------------------------------------------------------------------------------
    def refresh_codes(self) -> None:
        """Show where the codes come from (never the password) and enable the buttons that apply."""
        creds, source = self.store.load()
        if source == "env":
            text = (
                f"Χρήστης {creds.username}, από τις μεταβλητές περιβάλλοντος {ENV_USERNAME}/"
                f"{ENV_PASSWORD}. Αλλάζουν μόνο εκεί."
            )
        elif source == "keyring":
            text = f"Χρήστης {creds.username}, στην ασφαλή αποθήκη κωδικών του συστήματος."
        elif source == "session":
            text = f"Χρήστης {creds.username}, μόνο για αυτή την εκτέλεση (δεν αποθηκεύτηκαν)."
        else:
            text = "Δεν έχουν οριστεί κωδικοί. Πατήστε «Αλλαγή κωδικών…» για να τους δώσετε."
            if self.store.problem:
                text += f" {self.store.problem}"
        self.codes_label.configure(text=text)
        self.change_button.state(["disabled"] if source == "env" else ["!disabled"])
        self.logout_button.state(["!disabled"] if source in ("keyring", "session") else ["disabled"])
        self.usage_label.configure(text=_usage_text(self.settings, creds.username if creds else None))

    def _ask_with_tk(self, **kwargs: Any) -> PromptAnswer | None:
        import tkinter

        from .tk import CredentialsDialog

        top = tkinter.Toplevel(self.window)
        top.transient(self.window)
        return CredentialsDialog(top, **kwargs).run()

    def change_codes(self) -> None:
        """Ask for codes, check them with one lookup, keep them (at most three tries)."""
        creds, _ = self.store.load()
        username = creds.username if creds else self.store.stored_username()
        caller, _problem = parse_caller_afm(self.caller_entry.get())
        error = None
        for _attempt in range(MAX_TRIES):
            ask = self._ask_credentials or self._ask_with_tk
            answer = ask(error=error, username=username, caller_afm=caller)
            if answer is None:
                return
            caller = answer.caller_afm
            set_text(self.caller_entry, caller or "")
            try:
                self._verify(answer.credentials, caller, self.settings)
            except errors.AuthenticationError as exc:
                error, username = exc.message, answer.credentials.username
                continue
            except errors.AfmXlError as exc:
                self.show_error(f"Ο έλεγχος των κωδικών απέτυχε: {exc} Δεν αποθηκεύτηκε τίποτα.")
                return
            if answer.remember and self.store.save(answer.credentials):
                self.show_note(f"Οι κωδικοί του χρήστη {answer.credentials.username} ελέγχθηκαν και αποθηκεύτηκαν.")
            else:
                self.store.set_session(answer.credentials)
                why = self.store.problem if answer.remember else "δεν επιλέξατε απομνημόνευση"
                self.show_note(f"Οι κωδικοί ελέγχθηκαν αλλά δεν αποθηκεύτηκαν ({why}).")
            self.refresh_codes()
            return
        self.show_error(f"{error} Η αλλαγή σταμάτησε μετά από {MAX_TRIES} προσπάθειες.")

    def logout(self) -> None:
        """Forget the stored codes."""
        removed = self.store.delete()
        self.show_note("Οι κωδικοί διαγράφηκαν." if removed else "Δεν υπήρχαν αποθηκευμένοι κωδικοί.")
        self.refresh_codes()

    # -- cache ------------------------------------------------------------------------------
    def clear_cache(self) -> None:
        try:
            removed = self._clear_cache()
        except Exception as exc:
            log.warning("clear cache: %s", exc)
            self.show_error(f"Η cache δεν καθαρίστηκε ({type(exc).__name__}).")
            return
        self.cache_label.configure(text=f"Διαγράφηκαν {removed} αποθηκευμένες απαντήσεις.")

    # -- buttons ----------------------------------------------------------------------------
    def save(self, _event: Any = None) -> str:
        from .. import settings as settings_module

        try:
            updated = apply_form(
                settings_module.load(),  # keep what another process changed in fields not shown here
                caller_afm=self.caller_entry.get(),
                fields=self.selected_fields(),
                cache_ttl_days=self.ttl_entry.get(),
                monthly_limit=self.monthly_entry.get(),
                daily_limit=self.daily_entry.get(),
                concurrency=self.concurrency_spin.get(),
            )
            settings_module.save(updated)
        except ValueError as exc:
            self.show_error(str(exc))
            return "break"
        except OSError as exc:
            self.show_error(f"Οι ρυθμίσεις δεν αποθηκεύτηκαν: {exc}")
            return "break"
        self.result = updated
        self._close()
        return "break"



def open_settings_dialog(*, on_open: Callable[[SettingsDialog], Any] | None = None, **options: Any):
    """Show the dialog in a new Tk root; the saved settings, or ``None`` when cancelled.

    ``options`` go to :class:`SettingsDialog`; ``on_open`` is called with it
    before it waits (tests, automation). Raises :class:`~afm_xl.errors.AfmXlError`
    when no window can open (no display, no tkinter).
    """
    try:
        import tkinter

        root = tkinter.Tk()
    except Exception as exc:  # ImportError, TclError
        raise errors.AfmXlError(
            f"Δεν ήταν δυνατό να ανοίξει το παράθυρο ρυθμίσεων ({exc}). Χρησιμοποιήστε τις εντολές "
            "«afm-xl login» και «afm-xl status»."
        ) from None
    try:
        dialog = SettingsDialog(root, **options)
        if on_open is not None:
            on_open(dialog)
        return dialog.run()
    finally:
        try:
            root.destroy()
        except Exception:
            pass  # already closed by the dialog
