"""The ribbon button over a fake of the xlwings API subset, against the emulator; the settings dialog under Xvfb.

:class:`FakeSheet`/:class:`FakeRange`/:class:`FakeApp`/:class:`FakeBook` are a
small, real implementation of the part of xlwings that :mod:`afm_xl.sheets.excel`
uses (PHX-style protocol doubles). They behave as COM ``Range.Value`` does
where it matters: a text starting with ``=`` becomes a formula, a leading
apostrophe is a prefix character (not part of the value), and a number-like
text in a cell without the ``@`` format becomes a number. Every read, write
and number-format change is logged, so the tests check exactly what would be
sent to Excel and that each column block is written in one call.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import textwrap
import tkinter

import pytest

from afm_xl import credentials, ribbon
from afm_xl import settings as settings_module
from afm_xl.credentials import Credentials
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from afm_xl.fields import DEFAULT_FIELDS, FIELDS
from afm_xl.prompts.base import PromptAnswer
from afm_xl.prompts.settings_dialog import set_text
from afm_xl.sheets.excel import ExcelSheet, SelectionError, excel_text
from afm_xl.sheets.port import LOCKED, Block, SheetPort, column_index, column_letter, parse_ref

BANK, DEH, THIRD = "094014201", "090000045", "090165560"
BANK_ROW = ["ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ", "ΑΙΟΛΟΥ 86", "10559", "ΑΘΗΝΑ", "ΦΑΕ ΑΘΗΝΩΝ"]
DEH_ROW = ["ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ ΑΝΩΝΥΜΗ ΕΤΑΙΡΙΑ", "ΧΑΛΚΟΚΟΝΔΥΛΗ 30", "10432", "ΑΘΗΝΑ", "ΦΑΕ ΑΘΗΝΩΝ"]
HEADERS = [FIELDS[k].header for k in DEFAULT_FIELDS]
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
DEMO = Credentials(DEMO_USERNAME, DEMO_PASSWORD)


# -- a fake of the xlwings subset -----------------------------------------------------------
class Formula(str):
    """A cell holding a formula; ``result`` is what Excel would show (read through ``.value``)."""

    def __new__(cls, text: str, result=None):
        self = super().__new__(cls, text)
        self.result = result
        return self


def _number(text: str):
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


class FakeRange:
    """A rectangle of a :class:`FakeSheet`, with the xlwings Range API that afm-xl uses."""

    def __init__(self, sheet: "FakeSheet", top: int, left: int, bottom: int, right: int, *,
                 ndim: int | None = None, address: str | None = None):
        self.sheet, self.top, self.left, self.bottom, self.right = sheet, top, left, bottom, right
        self.ndim = ndim
        self._address = address

    # geometry
    @property
    def row(self) -> int:
        return self.top

    @property
    def column(self) -> int:
        return self.left

    @property
    def shape(self) -> tuple[int, int]:
        return self.bottom - self.top + 1, self.right - self.left + 1

    @property
    def ref(self) -> str:
        first = f"{column_letter(self.left)}{self.top}"
        last = f"{column_letter(self.right)}{self.bottom}"
        return first if first == last else f"{first}:{last}"

    @property
    def address(self) -> str:
        if self._address:
            return self._address
        first = f"${column_letter(self.left)}${self.top}"
        last = f"${column_letter(self.right)}${self.bottom}"
        return first if first == last else f"{first}:{last}"

    @property
    def api(self):
        raise AttributeError("no COM on Linux")

    def options(self, ndim: int | None = None, **_options) -> "FakeRange":
        return FakeRange(self.sheet, self.top, self.left, self.bottom, self.right, ndim=ndim, address=self._address)

    def _cells(self):
        return [[(r, c) for c in range(self.left, self.right + 1)] for r in range(self.top, self.bottom + 1)]

    def _shaped(self, grid):
        if self.ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if len(grid[0]) == 1:
            return [row[0] for row in grid]
        return grid

    # values
    @property
    def value(self):
        self.sheet.log.append(("read", self.ref, self.shape))
        grid = [[self.sheet.shown(key) for key in row] for row in self._cells()]
        return self._shaped(grid)

    @value.setter
    def value(self, data) -> None:
        if not isinstance(data, (list, tuple)):
            data = [[data]]
        elif data and not isinstance(data[0], (list, tuple)):
            data = [list(data)] if self.shape[0] == 1 else [[v] for v in data]
        self.sheet.log.append(("write", self.ref, [list(row) for row in data]))
        assert (len(data), max(len(r) for r in data)) == self.shape, "COM would write a different shape"
        for keys, row in zip(self._cells(), data):
            for key, value in zip(keys, row):
                self.sheet.type_in(key, value)

    @property
    def formula(self):
        grid = [[self.sheet.formula_of(key) for key in row] for row in self._cells()]
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return tuple(tuple(row) for row in grid)

    @property
    def number_format(self):
        formats = {self.sheet.formats.get(key, "General") for row in self._cells() for key in row}
        return formats.pop() if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, value: str) -> None:
        self.sheet.log.append(("format", self.ref, value))
        for row in self._cells():
            for key in row:
                self.sheet.formats[key] = value

    @property
    def merge_cells(self):
        flags = {self.sheet.is_merged(key) for row in self._cells() for key in row}
        return flags.pop() if len(flags) == 1 else None


class FakeSheet:
    """Cells, number formats and merged areas, with a log of what was read and written."""

    def __init__(self, rows=(), *, merged=()):
        self.cells: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.prefixed: set[tuple[int, int]] = set()
        self.merged = [self._bounds(ref) for ref in merged]
        self.log: list[tuple] = []
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    self.cells[(r, c)] = value

    @staticmethod
    def _bounds(ref: str) -> tuple[int, int, int, int]:
        if re.fullmatch(r"[A-Za-z]+:[A-Za-z]+", ref):
            first, last = ref.split(":")
            return 1, column_index(first), MAX_ROWS, column_index(last)
        first, _, last = ref.partition(":")
        (top, left), (bottom, right) = parse_ref(first), parse_ref(last or first)
        return top, left, bottom, right

    def range(self, first, last=None) -> FakeRange:
        if isinstance(first, str):
            return FakeRange(self, *self._bounds(first))
        last = last or first
        return FakeRange(self, first[0], first[1], last[0], last[1])

    @property
    def used_range(self) -> FakeRange:
        if not self.cells:
            return FakeRange(self, 1, 1, 1, 1)
        rows = [r for r, _ in self.cells]
        columns = [c for _, c in self.cells]
        return FakeRange(self, min(rows), min(columns), max(rows), max(columns))

    # what Excel shows and stores
    def shown(self, key):
        value = self.cells.get(key)
        return value.result if isinstance(value, Formula) else value

    def formula_of(self, key) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        return str(value)

    def is_merged(self, key) -> bool:
        r, c = key
        return any(t <= r <= b and l <= c <= rt for t, l, b, rt in self.merged)

    def type_in(self, key, value) -> None:
        """What COM ``Range.Value = value`` does to one cell."""
        assert not self.is_merged(key), f"COM error: cannot change part of a merged cell {key}"
        self.prefixed.discard(key)
        if value is None or value == "":
            self.cells.pop(key, None)
        elif isinstance(value, str) and value.startswith("'"):
            self.cells[key] = value[1:]
            self.prefixed.add(key)
        elif isinstance(value, str) and value.startswith("="):
            self.cells[key] = Formula(value, result="#NAME?")
        elif isinstance(value, str) and self.formats.get(key) != "@" and _number(value) is not None:
            self.cells[key] = _number(value)
        else:
            self.cells[key] = value

    def __getitem__(self, ref: str):
        return self.cells.get(parse_ref(ref))

    def writes(self) -> list[tuple[str, list]]:
        return [(ref, values) for kind, ref, values in self.log if kind == "write"]

    def format_changes(self) -> list[tuple[str, str]]:
        return [(ref, fmt) for kind, ref, fmt in self.log if kind == "format"]

    def largest_read(self) -> int:
        return max((shape[0] * shape[1] for kind, _, shape in self.log if kind == "read"), default=0)


class FakeApp:
    """``status_bar`` (history kept) and ``alert`` (answers scripted for yes/no questions)."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.alerts: list[tuple[str, str, str, str]] = []
        self.status_history: list = []
        self._status = False

    @property
    def status_bar(self):
        return self._status

    @status_bar.setter
    def status_bar(self, value) -> None:
        self._status = value
        self.status_history.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None) -> str:
        self.alerts.append((prompt, title, buttons, mode))
        if buttons == "ok":
            return "ok"
        return self.answers.pop(0) if self.answers else "no"

    @property
    def messages(self) -> list[str]:
        return [a[0] for a in self.alerts if a[2] == "ok"]


class FakeBook:
    def __init__(self, sheet: FakeSheet, selection, app: FakeApp | None = None):
        self.sheet = sheet
        self.app = app or FakeApp()
        self.selection = sheet.range(selection) if isinstance(selection, str) else selection


class ScriptedPrompt:
    """A credential prompt that gives the scripted answers (then cancels)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.errors: list = []

    def ask(self, *, error=None, username=None, caller_afm=None):
        self.errors.append(error)
        return self.answers.pop(0) if self.answers else None


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_session_codes():
    credentials.default_store().set_session(None)
    yield
    credentials.default_store().set_session(None)


@pytest.fixture
def service(emulator, monkeypatch):
    monkeypatch.setenv("AFM_XL_ENDPOINT", emulator.url)
    return emulator


def no_settings():
    raise AssertionError("the settings dialog opened")


def afm_table(*afms, header: str = "ΑΦΜ") -> FakeSheet:
    return FakeSheet([[header], *[[a] for a in afms]])


# -- the adapter alone ----------------------------------------------------------------------
def test_excel_sheet_implements_the_port():
    sheet = afm_table(BANK)
    port = ExcelSheet.from_selection(sheet.range("A1:A2"), FakeApp())
    assert isinstance(port, SheetPort)
    assert port.read_block() == Block(1, 1, ("ΑΦΜ", BANK))
    assert port.extent() == (2, 1)
    assert port.read_range(1, 1, 2, 2) == [["ΑΦΜ", None], [BANK, None]]


def test_texts_are_sent_so_that_excel_keeps_them_literal():
    sheet = FakeSheet([["ΑΦΜ"]])
    port = ExcelSheet(sheet, Block(1, 1, ()), FakeApp())
    started = datetime.date(2001, 2, 3)
    port.write_block(2, 2, [["=1+1", "'ΚΗΠΟΣ'", "10559", started, "Έναρξη"]], text_columns={2, 3, 4})
    assert sheet.format_changes() == [("B2:D2", "@")]  # before the values
    assert sheet.log.index(("format", "B2:D2", "@")) < [e[0] for e in sheet.log].index("write")
    assert sheet.writes() == [("B2:F2", [["'=1+1", "''ΚΗΠΟΣ'", "10559", started, "'Έναρξη"]])]
    assert [sheet[ref] for ref in ("B2", "C2", "D2", "E2", "F2")] == ["=1+1", "'ΚΗΠΟΣ'", "10559", started, "Έναρξη"]
    assert not any(isinstance(v, Formula) for v in sheet.cells.values())
    assert excel_text("+30 210", True) == "'+30 210" and excel_text("ΑΘΗΝΑ", True) == "ΑΘΗΝΑ"


def test_none_leaves_a_cell_as_it_is():
    sheet = FakeSheet([[None, None, None], [None, None, None], [None, None, Formula('=""', result="")]])
    port = ExcelSheet(sheet, Block(1, 1, ()), FakeApp())
    port.write_block(1, 2, [["α"], [None], ["β"]], text_columns={2})  # B2 is empty: one call
    assert sheet.writes() == [("B1:B3", [["α"], [None], ["β"]])]
    sheet.log.clear()
    port.write_block(1, 3, [["γ"], [None], [None]], text_columns={3})  # C3 holds a formula: written around it
    assert sheet.writes() == [("C1", [["γ"]])]
    assert sheet["C3"] == '=""' and isinstance(sheet["C3"], Formula)


def test_merged_cells_read_as_locked_and_are_never_written():
    sheet = FakeSheet([["ΑΦΜ", None, None], [BANK, None, None]], merged=["B2:C2"])
    port = ExcelSheet(sheet, Block(1, 1, ()), FakeApp())
    assert port.read_range(1, 1, 2, 3) == [["ΑΦΜ", None, None], [BANK, LOCKED, LOCKED]]


def test_status_bar_updates_skip_repeats_and_are_given_back():
    app = FakeApp()
    port = ExcelSheet(FakeSheet(), Block(1, 1, ()), app)
    for text in ("α", "α", "β"):
        port.status(text)
    port.reset_status()
    assert app.status_history == ["α", "β", False]


@pytest.mark.parametrize(
    "rows, selection, block",
    [
        ([["ΑΦΜ"], [BANK], [DEH]], "A:A", Block(1, 1, ("ΑΦΜ", BANK, DEH))),  # whole column → used range
        ([[None], ["ΑΦΜ"], [BANK], [None], [DEH], [None]], "A1:A9", Block(2, 1, ("ΑΦΜ", BANK, None, DEH))),
        ([["ΑΦΜ"], [BANK], [DEH]], "A1", Block(1, 1, ("ΑΦΜ", BANK, DEH))),  # the header alone: the column below
        ([["Όνομα", "Α.Φ.Μ.", "x"], ["α", BANK, 1]], "A1:C2", Block(1, 2, ("Α.Φ.Μ.", BANK))),
        ([["x", 5, BANK], ["y", 6, DEH]], "A1:C2", Block(1, 3, (BANK, DEH))),  # the column with AFMs
        ([["ΑΦΜ"], [BANK]], "C5:C9", Block(5, 3, ())),  # outside the used range
        ([], "A:A", Block(1, 1, ())),
    ],
)
def test_selection_to_afm_cells(rows, selection, block):
    sheet = FakeSheet(rows)
    assert ExcelSheet.from_selection(sheet.range(selection)).read_block() == block
    assert sheet.largest_read() <= 9  # never a million cells


def test_several_areas_are_refused():
    sheet = afm_table(BANK)
    areas = FakeRange(sheet, 1, 1, 2, 1, address="$A$1:$A$2,$C$1:$C$2")
    with pytest.raises(SelectionError, match="2 χωριστές περιοχές"):
        ExcelSheet.from_selection(areas)


# -- the button: fill -----------------------------------------------------------------------
def test_fill_writes_each_column_block_once_and_reports(service):
    sheet = afm_table(94014201.0, DEH, "123")
    book = FakeBook(sheet, "A1:A4")
    prompt = ScriptedPrompt(PromptAnswer(DEMO, True, None))
    outcome = ribbon.fill_selection(book, prompt=prompt, open_settings=no_settings)

    assert outcome.action == "filled" and outcome.error is None
    assert prompt.errors == [None]  # asked once, no codes stored yet
    assert sheet.writes() == [
        ("B1:F3", [HEADERS[:5], BANK_ROW, DEH_ROW]),
        ("G1:G4", [["Κατάσταση"], ["OK"], ["OK"], ["Μη έγκυρος ΑΦΜ"]]),
    ]
    assert sheet.format_changes() == [("B1:F3", "@"), ("G1:G4", "@")]
    assert sheet["D2"] == "10559" and sheet["A2"] == 94014201.0
    assert service.stats()["total_calls"] == 2
    assert credentials.load() == (DEMO, "keyring")  # remembered

    statuses = book.app.status_history
    assert statuses[0] == "Αναζήτηση 3 ΑΦΜ…"
    assert any(s.startswith("Αναζήτηση ΑΦΜ: 3/3") for s in statuses if s)
    assert statuses[-1] is False  # given back to Excel
    (message,) = book.app.messages
    assert message.startswith("Συμπληρώθηκαν 2 από 3 ΑΦΜ.")
    assert "Μη έγκυροι ΑΦΜ: 1" in message and "Κελιά που γράφτηκαν: 19" in message
    assert "Κλήσεις στην ΑΑΔΕ: 2" in message
    assert "Υπόλοιπο κλήσεων: 9.998 (μηνιαίο όριο 10.000" in message


def test_second_click_comes_from_the_cache_without_calls(service, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    ribbon.fill_selection(FakeBook(afm_table(BANK), "A1:A2"), prompt=None, open_settings=no_settings)
    sheet = afm_table(BANK)
    book = FakeBook(sheet, "A:A")  # a whole column
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    assert outcome.report.filled == 1 and outcome.report.calls == 0
    assert sheet["B2"] == BANK_ROW[0]
    assert service.stats()["total_calls"] == 1
    assert sheet.largest_read() < 100


def test_conflicts_are_asked_once_and_kept_on_no(service, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    sheet = FakeSheet([["ΑΦΜ", "Επωνυμία"], [BANK, "ΔΙΚΟ ΜΟΥ ΟΝΟΜΑ"]])
    book = FakeBook(sheet, "A1:A2", FakeApp("no"))
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    question = [a for a in book.app.alerts if a[2] == "yes_no"]
    assert len(question) == 1 and "Αντικατάσταση" in question[0][0]
    assert sheet["B2"] == "ΔΙΚΟ ΜΟΥ ΟΝΟΜΑ" and outcome.report.kept == 1
    assert "κρατήθηκαν 1 κελιά" in book.app.messages[0]


def test_a_selection_without_afms_opens_the_settings():
    sheet = FakeSheet([["Όνομα", "Ποσό"], ["α", 12.5]])
    book = FakeBook(sheet, "A1:B2")
    opened = []
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=lambda: opened.append(1))
    assert outcome.action == "settings" and opened == [1]
    assert sheet.writes() == [] and book.app.alerts == []


def test_no_codes_and_a_cancelled_prompt_change_nothing(service):
    sheet = afm_table(BANK, DEH)
    before = dict(sheet.cells)
    book = FakeBook(sheet, "A1:A3")
    prompt = ScriptedPrompt()  # the user cancels
    outcome = ribbon.fill_selection(book, prompt=prompt, open_settings=no_settings)
    assert outcome.action == "error" and len(prompt.errors) == 1
    assert sheet.writes() == [] and sheet.cells == before
    (message,) = book.app.messages
    assert "ακυρώθηκε" in message and "Κανένα κελί δεν άλλαξε." in message
    assert book.app.alerts[0][3] == "critical"
    assert service.stats()["total_calls"] == 0


def test_codes_refused_three_times_stop_with_a_message_and_keep_cached_rows(service, demo_credentials):
    from afm_xl.lookups import lookup_values

    credentials.default_store().set_session(demo_credentials)
    lookup_values([BANK], prompt=None)  # BANK is in the cache now
    credentials.default_store().set_session(None)
    wrong = PromptAnswer(Credentials(DEMO_USERNAME, "Wrong!Pass2026"), True, None)
    prompt = ScriptedPrompt(wrong, wrong, wrong)
    sheet = afm_table(BANK, DEH)
    book = FakeBook(sheet, "A1:A3")
    outcome = ribbon.fill_selection(book, prompt=prompt, open_settings=no_settings)

    assert len(prompt.errors) == 3 and service.stats()["total_calls"] == 1 + 3
    assert outcome.action == "filled" and type(outcome.error).__name__ == "AuthenticationError"
    assert sheet["B2"] == BANK_ROW[0]  # answered before the stop: written
    assert sheet["B3"] is None and sheet["G3"].startswith("Σφάλμα: ")
    (message,) = book.app.messages
    assert "Η ΑΑΔΕ δεν δέχτηκε τους κωδικούς" in message and "3 προσπάθειες" in message
    assert credentials.load() == (None, "none")  # nothing refused was kept


def test_a_call_limit_stops_the_batch_and_answered_rows_are_written(service, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    settings_module.save(settings_module.Settings(concurrency=1))
    service.knobs.daily_limit = 2
    sheet = afm_table(BANK, DEH, THIRD)
    book = FakeBook(sheet, "A1:A4")
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    assert outcome.report.filled == 2 and outcome.report.failed == 1
    assert sheet["B2"] == BANK_ROW[0] and sheet["B3"] == DEH_ROW[0] and sheet["B4"] is None
    (message,) = book.app.messages
    assert "Η αναζήτηση σταμάτησε" in message and book.app.alerts[-1][3] == "critical"


def test_the_service_down_is_a_message(service, monkeypatch):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    service.knobs.fault = "not_active"
    sheet = afm_table(BANK)
    book = FakeBook(sheet, "A1:A2")
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    assert outcome.action == "error" and sheet.writes() == []
    assert "δεν είναι διαθέσιμη" in book.app.messages[0]


def test_several_areas_are_a_message():
    sheet = afm_table(BANK)
    book = FakeBook(sheet, FakeRange(sheet, 1, 1, 2, 1, address="$A$1:$A$2,$C$1:$C$2"))
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    assert outcome.action == "error" and sheet.writes() == []
    assert "χωριστές περιοχές" in book.app.messages[0]


def test_an_unexpected_error_is_a_message_not_a_traceback():
    class Broken(FakeSheet):
        @property
        def used_range(self):
            raise RuntimeError("COM went away")

    sheet = Broken([["ΑΦΜ"], [BANK]])
    book = FakeBook(sheet, "A1:A2")
    outcome = ribbon.fill_selection(book, prompt=None, open_settings=no_settings)
    assert outcome.action == "error"
    assert book.app.messages[0].startswith("Απρόσμενο σφάλμα (RuntimeError).")


def test_main_uses_book_caller(service, monkeypatch):
    """``afm_xl.main()`` as the add-in calls it, with ``xw.Book.caller()`` giving the fake book."""
    import logging

    import xlwings
    import afm_xl

    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    sheet = afm_table(BANK)
    book = FakeBook(sheet, "A2")
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book), raising=False)
    handlers = list(logging.getLogger("afm_xl").handlers)
    try:
        afm_xl.main()
    finally:
        for handler in logging.getLogger("afm_xl").handlers[len(handlers):]:
            logging.getLogger("afm_xl").removeHandler(handler)
            handler.close()
    assert sheet["B2"] == BANK_ROW[0] and sheet["B1"] == "Επωνυμία"  # one AFM cell, its table's header row
    assert book.app.messages[0].startswith("Συμπληρώθηκαν 1 από 1 ΑΦΜ.")


def test_importing_afm_xl_stays_light():
    code = textwrap.dedent("""
        import afm_xl, afm_xl.ribbon, sys
        print(sorted(m for m in ('zeep', 'openpyxl', 'lxml', 'tkinter', 'xlwings') if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.strip() == "[]"


# -- the settings dialog (Tk, under Xvfb) ---------------------------------------------------
needs_display = pytest.mark.skipif(
    sys.platform.startswith("linux") and not os.environ.get("DISPLAY"), reason="needs an X display"
)


def run_dialog(script, **options):
    """Open the settings dialog and run ``script(dialog)`` inside its event loop."""
    from afm_xl.prompts.settings_dialog import open_settings_dialog

    failures: list[BaseException] = []

    def on_open(dialog):
        def step():
            try:
                dialog.window.update()
                script(dialog)
                assert dialog.closed, "the script left the dialog open"
            except BaseException as exc:
                failures.append(exc)
                if not dialog.closed:
                    dialog.cancel()

        dialog.window.after(1, step)

    result = open_settings_dialog(on_open=on_open, **options)
    if failures:
        raise failures[0]
    return result


@pytest.mark.gui
@needs_display
def test_settings_fields_round_trip():
    expected = ("name", "city", "doy", "doy_code", "status")  # in FIELDS order

    def toggle(d):
        assert d.selected_fields() == list(DEFAULT_FIELDS)
        assert not [v for v in vars(d).values() if isinstance(v, tkinter.Variable)]  # see SettingsDialog
        d.field_checks["address"].invoke()
        d.field_checks["postal_code"].invoke()
        d.field_checks["doy_code"].invoke()
        set_text(d.monthly_entry, "5.000")
        set_text(d.daily_entry, "")
        set_text(d.concurrency_spin, "8")
        set_text(d.ttl_entry, "7")
        set_text(d.caller_entry, " 094014201 ")
        d.save_button.invoke()

    saved = run_dialog(toggle)
    loaded = settings_module.load()
    assert loaded.fields == saved.fields == expected
    assert (loaded.monthly_limit, loaded.daily_limit, loaded.concurrency, loaded.cache_ttl_days) == (5000, None, 8, 7.0)
    assert loaded.caller_afm == "094014201"

    def check(d):
        assert tuple(d.selected_fields()) == expected
        assert d.monthly_entry.get() == "5000" and d.caller_entry.get() == "094014201"
        assert d.concurrency_spin.get() == "8" and d.ttl_entry.get() == "7"
        d.cancel_button.invoke()

    assert run_dialog(check) is None
    assert settings_module.load().fields == expected


@pytest.mark.gui
@needs_display
def test_settings_bad_values_keep_the_dialog_open():
    def script(d):
        for key in d.selected_fields():
            d.field_checks[key].invoke()
        d.save_button.invoke()
        assert not d.closed and "τουλάχιστον ένα πεδίο" in d.error_label.cget("text")
        d.field_checks["name"].invoke()
        set_text(d.monthly_entry, "πολλές")
        d.save_button.invoke()
        assert not d.closed and "Μηνιαίο όριο" in d.error_label.cget("text")
        set_text(d.monthly_entry, "")
        set_text(d.caller_entry, "123456789")
        d.save_button.invoke()
        assert not d.closed and "ΑΦΜ εντολέα" in d.error_label.cget("text")
        set_text(d.caller_entry, "")
        d.save_button.invoke()

    saved = run_dialog(script)
    assert saved.fields == ("name",) and saved.monthly_limit is None


@pytest.mark.gui
@needs_display
def test_settings_codes_change_and_log_out(service):
    wrong = PromptAnswer(Credentials(DEMO_USERNAME, "Wrong!Pass2026"), True, None)
    answers = [wrong, PromptAnswer(DEMO, True, None)]
    asked = []

    def ask(**kwargs):
        asked.append(kwargs)
        return answers.pop(0)

    def script(d):
        assert "Δεν έχουν οριστεί κωδικοί" in d.codes_label.cget("text")
        assert d.logout_button.instate(["disabled"])
        d.change_button.invoke()
        assert asked[1]["error"] and asked[1]["username"] == DEMO_USERNAME  # refused once, asked again
        text = d.codes_label.cget("text")
        assert DEMO_USERNAME in text and DEMO_PASSWORD not in text and "ασφαλή αποθήκη" in text
        assert "ελέγχθηκαν και αποθηκεύτηκαν" in d.error_label.cget("text")
        assert credentials.load() == (DEMO, "keyring")
        d.logout_button.invoke()
        assert credentials.load() == (None, "none")
        assert "Δεν έχουν οριστεί κωδικοί" in d.codes_label.cget("text")
        d.cancel_button.invoke()

    run_dialog(script, ask_credentials=ask)
    assert service.stats()["total_calls"] == 2  # one check per answer


@pytest.mark.gui
@needs_display
def test_settings_with_codes_from_the_environment_and_clear_cache(service, monkeypatch):
    from afm_xl.lookups import lookup_values

    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    lookup_values([BANK, DEH], prompt=None)

    def script(d):
        assert "AFM_XL_USERNAME" in d.codes_label.cget("text")
        assert d.change_button.instate(["disabled"]) and d.logout_button.instate(["disabled"])
        assert "σήμερα 2" in d.usage_label.cget("text")
        assert "2" in d.cache_label.cget("text")
        d.clear_cache_button.invoke()
        assert d.cache_label.cget("text") == "Διαγράφηκαν 2 αποθηκευμένες απαντήσεις."
        d.window.tk.call(d.window.protocol("WM_DELETE_WINDOW"))

    assert run_dialog(script) is None
