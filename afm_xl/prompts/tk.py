"""The Tk credential dialog, for the ribbon (a ``RunPython`` process without a console).

tkinter is imported inside functions only: ``import afm_xl`` (and this module)
never loads it, and a Python without Tk still imports everything else.

The dialog opens on top (``-topmost``, ``lift``, ``focus_force``) because the
hidden-console process may otherwise open it behind Excel. Enter = OK, Escape
or the window's close button = cancel. Blocking checks (empty fields, an
invalid caller AFM) and the service-rule warning are described in
:mod:`afm_xl.prompts.base`; a warning is confirmed by pressing OK again.
"""

from __future__ import annotations

import webbrowser
from typing import Any, Callable

from .. import errors
from ..credentials import LOGIN_HINT, Credentials
from .base import (
    CALLER_AFM_NOTE, INTRO, LEGAL_ENTITY_NOTE, MISSING_TEXT, STEPS, TITLE, ModalDialog, PromptAnswer,
    code_warning, parse_caller_afm,
)

__all__ = ["CredentialsDialog", "TkPrompt"]

MASK = "•"
ERROR_COLOUR = "#b00020"
LINK_COLOUR = "#0645ad"
CONFIRM_SUFFIX = " Πατήστε ξανά «Σύνδεση» για να σταλούν όπως είναι."


class CredentialsDialog(ModalDialog):
    """The dialog's widgets on ``window`` (a ``Tk`` root or a ``Toplevel``).

    Attributes tests and callers may use: ``username_entry``, ``password_entry``,
    ``caller_entry``, ``remember_var``, ``error_label``, ``ok_button``,
    ``cancel_button``, ``links`` (label widgets) and, once closed, ``result``
    (a :class:`PromptAnswer` or ``None`` for cancel).
    """

    def __init__(
        self,
        window: Any,
        *,
        error: str | None = None,
        username: str | None = None,
        caller_afm: str | None = None,
        remember: bool = True,
        open_url: Callable[[str], Any] = webbrowser.open,
    ):
        import tkinter
        from tkinter import font as tkfont
        from tkinter import ttk

        self.window = window
        self.result: PromptAnswer | None = None
        self.closed = False
        self._open_url = open_url
        self._confirmed_warning: tuple[str, str] | None = None

        window.title(TITLE)
        window.resizable(False, False)
        frame = ttk.Frame(window, padding=16)
        frame.grid(sticky="nsew")
        wrap = 540

        ttk.Label(frame, text=INTRO, wraplength=wrap, justify="left").grid(
            row=0, column=0, columnspan=2, sticky="w"
        )
        link_font = tkfont.nametofont("TkDefaultFont").copy()
        link_font.configure(underline=True)
        self.links = []
        for i, (label, url) in enumerate(STEPS, start=1):
            link = tkinter.Label(
                frame, text=label, fg=LINK_COLOUR, cursor="hand2", font=link_font, anchor="w"
            )
            link.grid(row=i, column=0, columnspan=2, sticky="w", pady=(4, 0))
            link.bind("<Button-1>", lambda _event, url=url: self.open_link(url))
            link.url = url
            self.links.append(link)
        ttk.Label(frame, text=LEGAL_ENTITY_NOTE, wraplength=wrap, justify="left").grid(
            row=3, column=0, columnspan=2, sticky="w", pady=(8, 8)
        )

        self.username_var = tkinter.StringVar(window, value=username or "")
        self.password_var = tkinter.StringVar(window, value="")
        self.caller_var = tkinter.StringVar(window, value=caller_afm or "")
        self.remember_var = tkinter.BooleanVar(window, value=remember)

        ttk.Label(frame, text="Όνομα χρήστη:").grid(row=4, column=0, sticky="w", pady=2)
        self.username_entry = ttk.Entry(frame, textvariable=self.username_var, width=32)
        self.username_entry.grid(row=4, column=1, sticky="ew", pady=2)
        ttk.Label(frame, text="Κωδικός πρόσβασης:").grid(row=5, column=0, sticky="w", pady=2)
        self.password_entry = ttk.Entry(frame, textvariable=self.password_var, show=MASK, width=32)
        self.password_entry.grid(row=5, column=1, sticky="ew", pady=2)
        ttk.Label(frame, text="ΑΦΜ εντολέα (προαιρετικό):").grid(row=6, column=0, sticky="w", pady=2)
        self.caller_entry = ttk.Entry(frame, textvariable=self.caller_var, width=32)
        self.caller_entry.grid(row=6, column=1, sticky="ew", pady=2)
        ttk.Label(frame, text=CALLER_AFM_NOTE, wraplength=wrap, justify="left",
                  foreground="#555555").grid(row=7, column=0, columnspan=2, sticky="w")
        self.remember_check = ttk.Checkbutton(
            frame, text="Απομνημόνευση σε αυτόν τον υπολογιστή (ασφαλής αποθήκη του συστήματος)",
            variable=self.remember_var,
        )
        self.remember_check.grid(row=8, column=0, columnspan=2, sticky="w", pady=(8, 0))

        self.error_label = tkinter.Label(
            frame, text=error or "", fg=ERROR_COLOUR, wraplength=wrap, justify="left", anchor="w"
        )
        self.error_label.grid(row=9, column=0, columnspan=2, sticky="w", pady=(8, 0))

        buttons = ttk.Frame(frame)
        buttons.grid(row=10, column=0, columnspan=2, sticky="e", pady=(12, 0))
        self.ok_button = ttk.Button(buttons, text="Σύνδεση", command=self.ok, default="active")
        self.ok_button.grid(row=0, column=0, padx=(0, 8))
        self.cancel_button = ttk.Button(buttons, text="Άκυρο", command=self.cancel)
        self.cancel_button.grid(row=0, column=1)

        window.bind("<Return>", self.ok)
        window.bind("<KP_Enter>", self.ok)
        window.bind("<Escape>", self.cancel)
        window.protocol("WM_DELETE_WINDOW", self.cancel)
        self._bring_to_front()
        (self.password_entry if username else self.username_entry).focus_set()

    # -- window management ----------------------------------------------------------------
    def _bring_to_front(self) -> None:
        window = self.window
        window.attributes("-topmost", True)  # before update_idletasks, or X11 may drop it
        window.update_idletasks()
        width, height = window.winfo_reqwidth(), window.winfo_reqheight()
        x = max(0, (window.winfo_screenwidth() - width) // 2)
        y = max(0, (window.winfo_screenheight() - height) // 3)
        window.geometry(f"+{x}+{y}")
        window.lift()
        window.focus_force()

    def open_link(self, url: str) -> None:
        """Open ``url`` in the browser; the dialog stops being topmost so the browser can show."""
        try:
            self.window.attributes("-topmost", False)
        except Exception:  # pragma: no cover - the window is closing
            pass
        self._open_url(url)

    def show_error(self, text: str | None) -> None:
        self.error_label.configure(text=text or "")

    # -- buttons ----------------------------------------------------------------------------
    def ok(self, event: Any = None) -> str:
        if event is not None and getattr(event, "widget", None) is self.cancel_button:
            return self.cancel()  # Enter on a focused «Άκυρο» means cancel
        username = self.username_var.get().strip()
        password = self.password_var.get().strip()
        if not username or not password:
            self.show_error(MISSING_TEXT)
            (self.password_entry if username else self.username_entry).focus_set()
            return "break"
        caller_afm, caller_error = parse_caller_afm(self.caller_var.get())
        if caller_error:
            self.show_error(caller_error)
            self.caller_entry.focus_set()
            return "break"
        warning = code_warning(username, password)
        if warning and self._confirmed_warning != (username, password):
            self._confirmed_warning = (username, password)
            self.show_error(warning + CONFIRM_SUFFIX)
            return "break"
        self.result = PromptAnswer(
            Credentials(username, password), bool(self.remember_var.get()), caller_afm
        )
        self._close()
        return "break"

    def _forget(self) -> None:
        self.password_var.set("")


class TkPrompt:
    """A :class:`~afm_xl.prompts.base.CredentialPrompt` that shows :class:`CredentialsDialog`.

    ``on_open`` is called with the dialog before it waits (automation, tests).
    """

    def __init__(
        self,
        *,
        open_url: Callable[[str], Any] = webbrowser.open,
        on_open: Callable[[CredentialsDialog], Any] | None = None,
    ):
        self._open_url = open_url
        self._on_open = on_open

    def ask(
        self,
        *,
        error: str | None = None,
        username: str | None = None,
        caller_afm: str | None = None,
    ) -> PromptAnswer | None:
        import tkinter

        try:
            root = tkinter.Tk()
        except tkinter.TclError as exc:
            raise errors.CredentialsMissing(
                f"Δεν ήταν δυνατό να ανοίξει το παράθυρο κωδικών ({exc}). {LOGIN_HINT}"
            ) from None
        try:
            dialog = CredentialsDialog(
                root, error=error, username=username, caller_afm=caller_afm,
                open_url=self._open_url,
            )
            if self._on_open is not None:
                self._on_open(dialog)
            return dialog.run()
        finally:
            try:
                root.destroy()
            except tkinter.TclError:
                pass  # already closed by the dialog
