"""The worksheet functions, called as xlwings' UDF server would call them, against the emulator.

On Linux the xlwings decorators are no-ops, so ``udfs.AFM_NAME(94014201.0)``
is exactly the Python call the UDF server makes for ``=AFM_NAME(A2)`` on a
number cell. The last tests load xlwings' real decorators (tests/xlwings_stubs.py)
to check the metadata and the VBA that «Import Functions» would generate.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest

from afm_xl import credentials, udfs
from afm_xl import settings as settings_module
from afm_xl.credentials import Credentials
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from afm_xl.fields import DEFAULT_FIELDS, FIELDS
from afm_xl.result import LookupResult
from bad_input import CASES
from xlwings_stubs import real_udfs, vba_wrapper

BANK, DEH, THIRD = "094014201", "090000045", "090165560"
BANK_NAME = "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ"
UDF_NAMES = ("AFM_VALID", "AFM_NAME", "AFM_ADDRESS", "AFM_DOY", "AFM_FIELD", "AFM_INFO")


@pytest.fixture(autouse=True)
def fresh_service():
    """Each test starts like a new UDF server process; no codes left in the session slot."""
    udfs.service().reset()
    credentials.default_store().set_session(None)
    yield
    udfs.service().reset()
    credentials.default_store().set_session(None)


@pytest.fixture
def no_dialogs(monkeypatch):
    """Fail the test if anything tries to open a credential dialog."""
    from afm_xl.prompts import tk

    def refuse(*args, **kwargs):
        raise AssertionError("a worksheet function opened a dialog")

    monkeypatch.setattr(tk.TkPrompt, "ask", refuse)
    monkeypatch.setattr(tk, "CredentialsDialog", refuse)


@pytest.fixture
def service_at(emulator, monkeypatch):
    """AFM_XL_ENDPOINT → the emulator (no codes yet)."""
    monkeypatch.setenv("AFM_XL_ENDPOINT", emulator.url)
    return emulator


@pytest.fixture
def codes(service_at, monkeypatch):
    """The demo codes in the environment, the emulator as the service."""
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)
    return service_at


def calls(emulator) -> int:
    return emulator.stats()["total_calls"]


# -- AFM_VALID: offline --------------------------------------------------------------------
@pytest.mark.parametrize("value, afm, reason", CASES, ids=[repr(c[0])[:30] for c in CASES])
def test_valid_follows_the_bad_input_table(value, afm, reason):
    got = udfs.AFM_VALID(value)
    if isinstance(value, list):  # xlwings hands a range over as a list: one answer per cell
        assert got == [udfs.AFM_VALID(value[0])]
    elif value is None or (isinstance(value, str) and not value.strip()):
        assert got == ""
    else:
        assert got is (afm is not None)


def test_valid_never_calls_the_service(service_at, no_dialogs):
    assert udfs.AFM_VALID([[94014201.0], ["EL 090000045"], ["123"]]) == [[True], [True], [False]]
    assert calls(service_at) == 0


# -- blank, bad and error input ------------------------------------------------------------
@pytest.mark.parametrize("blank", [None, "", "   "])
@pytest.mark.parametrize("name", ["AFM_NAME", "AFM_ADDRESS", "AFM_DOY"])
def test_blank_input_gives_an_empty_string(name, blank, service_at):
    assert getattr(udfs, name)(blank) == ""
    assert udfs.AFM_FIELD(blank, "ΔΟΥ") == ""
    assert calls(service_at) == 0


@pytest.mark.parametrize(
    "value, text",
    [
        (True, "#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λογική τιμή, όχι ΑΦΜ)"),
        ("#N/A", "#ΑΦΜ! Μη έγκυρος ΑΦΜ (Σφάλμα Excel στο κελί)"),  # err_to_str=True hands errors over as text
        (94014202.0, "#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λάθος ψηφίο ελέγχου)"),
        (datetime.datetime(2024, 1, 2), "#ΑΦΜ! Μη έγκυρος ΑΦΜ (Ημερομηνία, όχι ΑΦΜ)"),
        ("#ΑΦΜ! Δεν βρέθηκε", "#ΑΦΜ! Δεν βρέθηκε"),  # another UDF's error text is passed on
    ],
)
def test_bad_input_gives_a_documented_error_text(value, text, codes):
    assert udfs.AFM_NAME(value) == text
    assert udfs.AFM_INFO([[value]], "name,doy") == [[text, ""]]
    assert calls(codes) == 0


# -- codes, cache, service -----------------------------------------------------------------
def test_without_codes_the_text_points_to_the_ribbon_button(service_at, no_dialogs):
    text = udfs.AFM_NAME(BANK)
    assert text == udfs.NO_CODES_TEXT
    assert text.startswith("#ΑΦΜ! ") and "«Συμπλήρωση από ΑΦΜ»" in text and len(text) <= 255
    assert udfs.AFM_FIELD(BANK, "Κατάσταση") == udfs.NO_CODES_TEXT
    assert calls(service_at) == 0


def test_number_cell_with_codes_from_the_environment(codes, no_dialogs):
    assert udfs.AFM_NAME(94014201.0) == BANK_NAME
    assert udfs.AFM_ADDRESS(94014201.0) == "ΑΙΟΛΟΥ 86, 10559 ΑΘΗΝΑ"
    assert udfs.AFM_DOY("EL094014201") == "ΦΑΕ ΑΘΗΝΩΝ"
    assert calls(codes) == 1  # one call, then the cache


def test_codes_from_the_keyring(service_at, demo_credentials, no_dialogs):
    assert credentials.save(demo_credentials)
    assert udfs.AFM_NAME(BANK) == BANK_NAME
    assert service_at.stats()["calls_by_username"] == {DEMO_USERNAME: 1}


def test_a_cached_answer_needs_no_codes(codes, monkeypatch, no_dialogs):
    assert udfs.AFM_DOY(BANK) == "ΦΑΕ ΑΘΗΝΩΝ"
    monkeypatch.delenv("AFM_XL_USERNAME")
    monkeypatch.delenv("AFM_XL_PASSWORD")
    udfs.service().reset()  # a new UDF server: the answer comes from the cache file
    assert udfs.AFM_NAME(94014201) == BANK_NAME
    assert udfs.AFM_FIELD(BANK, "status") == "OK"
    assert udfs.AFM_FIELD(BANK, "Πηγή") == "ΑΑΔΕ (cache)"
    assert udfs.AFM_NAME(DEH) == udfs.NO_CODES_TEXT
    assert calls(codes) == 1


def test_not_found_and_not_business(codes):
    registry = codes.state.registry
    unknown, person = registry.unknown_afms(1)[0], registry.individual_afms(1)[0]
    assert udfs.AFM_NAME(unknown) == "#ΑΦΜ! Δεν βρέθηκε"
    assert udfs.AFM_NAME(person) == "#ΑΦΜ! Όχι επιτηδευματίας"
    assert udfs.AFM_FIELD(unknown, "Κατάσταση") == "Δεν βρέθηκε"  # the status field shows the status
    assert udfs.AFM_INFO([[person]], "status,name,doy") == [["Όχι επιτηδευματίας", "#ΑΦΜ! Όχι επιτηδευματίας", ""]]
    assert calls(codes) == 2  # negative answers are cached too


def test_field_by_key_or_greek_header(codes):
    assert udfs.AFM_FIELD(BANK, "doy_code") == udfs.AFM_FIELD(BANK, "Κωδ. ΔΟΥ") == udfs.AFM_FIELD(BANK, " κωδ. δου ")
    assert udfs.AFM_FIELD(BANK, "ΤΚ") == "10559"  # text, leading zeros kept
    started = udfs.AFM_FIELD(BANK, "Έναρξη")
    assert isinstance(started, datetime.date)  # a date cell (format it as a date)
    assert udfs.AFM_FIELD(BANK, "Διακοπή") == ""  # the registry leaves it empty
    assert udfs.AFM_FIELD(BANK, "ύψος") == "#ΑΦΜ! Άγνωστο πεδίο «ύψος»"
    assert udfs.AFM_FIELD(BANK, None).startswith("#ΑΦΜ! Δώστε ένα πεδίο")
    assert udfs.AFM_FIELD(BANK, "name,doy").startswith("#ΑΦΜ! Δώστε ένα πεδίο")
    assert calls(codes) == 1


def test_a_range_given_to_a_single_field_function_answers_per_cell(codes):
    assert udfs.AFM_NAME([[BANK], [None], ["x"]]) == [[BANK_NAME], [""], ["#ΑΦΜ! Μη έγκυρος ΑΦΜ (Μη έγκυροι χαρακτήρες)"]]
    assert udfs.AFM_DOY([BANK, DEH]) == ["ΦΑΕ ΑΘΗΝΩΝ", "ΦΑΕ ΑΘΗΝΩΝ"]
    assert calls(codes) == 2


# -- AFM_INFO: one batch, a 2-D array ------------------------------------------------------
def test_info_is_one_batch_with_one_row_per_cell(codes):
    registry = codes.state.registry
    unknown, person = registry.unknown_afms(1)[0], registry.individual_afms(1)[0]
    cells = [[BANK], [94014201.0], [None], ["123"], [DEH], [unknown], [person], ["EL 090000045"], [THIRD]]
    table = udfs.AFM_INFO(cells)
    assert calls(codes) == 5 == len({BANK, DEH, unknown, person, THIRD})  # unique valid AFMs, once each
    assert len(table) == len(cells) and {len(row) for row in table} == {len(DEFAULT_FIELDS)}
    assert table[0] == table[1] == [BANK_NAME, "ΑΙΟΛΟΥ 86", "10559", "ΑΘΗΝΑ", "ΦΑΕ ΑΘΗΝΩΝ", "OK"]
    assert table[2] == [""] * 6
    assert table[3][0] == "#ΑΦΜ! Μη έγκυρος ΑΦΜ (Λάθος πλήθος ψηφίων)" and table[3][-1] == "Μη έγκυρος ΑΦΜ"
    assert table[4] == table[7]
    assert table[5][0] == "#ΑΦΜ! Δεν βρέθηκε"
    assert udfs.AFM_INFO(cells) == table and calls(codes) == 5  # a recalculation: all from the cache


def test_info_fields_as_text_or_header_cells(codes):
    assert udfs.AFM_INFO([[BANK]], "ΤΚ, doy_code") == [["10559", udfs.AFM_FIELD(BANK, "doy_code")]]
    assert udfs.AFM_INFO([[BANK]], [["Επωνυμία", "ΔΟΥ", None]]) == [[BANK_NAME, "ΦΑΕ ΑΘΗΝΩΝ"]]
    assert udfs.AFM_INFO([[BANK]], "name,ύψος") == "#ΑΦΜ! Άγνωστο πεδίο «ύψος»"


def test_info_default_fields_follow_the_settings_file(codes):
    assert len(udfs.AFM_INFO([[BANK]])[0]) == len(DEFAULT_FIELDS)
    settings_module.save(settings_module.Settings(fields=("name", "doy_code")))  # the ribbon's dialog, elsewhere
    assert udfs.AFM_INFO([[BANK]]) == [[BANK_NAME, udfs.AFM_FIELD(BANK, "doy_code")]]


def test_info_over_a_whole_column_stops_at_its_last_value(codes):
    column = [[BANK], [None], [DEH]] + [[None]] * 5000
    assert len(udfs.AFM_INFO(column)) == 3
    assert udfs.AFM_INFO([[None]] * 10) == ""


def test_every_field_of_info_is_short_enough_for_excel(codes):
    row = udfs.AFM_INFO([[BANK]], ",".join(FIELDS))[0]
    assert len(row) == len(FIELDS)
    assert all(len(v) <= udfs.MAX_TEXT for v in row if isinstance(v, str))
    long = LookupResult(BANK, BANK, "failed", error_code="TIMEOUT", message="χ" * 1000)
    assert len(udfs.error_text(long)) == udfs.MAX_TEXT


# -- the service protected from recalculation storms ---------------------------------------
def test_refused_codes_are_not_tried_again_until_they_change(service_at, monkeypatch, no_dialogs):
    monkeypatch.setenv("AFM_XL_USERNAME", DEMO_USERNAME)
    monkeypatch.setenv("AFM_XL_PASSWORD", "Wrong!Pass2026")
    assert udfs.AFM_NAME(BANK) == udfs.REFUSED_TEXT
    assert udfs.AFM_INFO([[DEH], [THIRD]], "name") == [[udfs.REFUSED_TEXT], [udfs.REFUSED_TEXT]]
    assert calls(service_at) == 1  # one refused call, not one per recalculation
    monkeypatch.setenv("AFM_XL_PASSWORD", DEMO_PASSWORD)  # the user fixed the codes
    assert udfs.AFM_NAME(BANK) == BANK_NAME
    assert calls(service_at) == 2


def test_a_service_call_limit_pauses_calls(codes, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(udfs, "_service", udfs.UdfService(clock=lambda: now[0]))
    codes.knobs.daily_limit = 1
    assert udfs.AFM_NAME(BANK) == BANK_NAME
    text = udfs.AFM_NAME(DEH)
    assert text.startswith("#ΑΦΜ! Όριο κλήσεων: ") and len(text) <= 255
    assert udfs.AFM_NAME(THIRD) == text and calls(codes) == 2  # paused: no call
    assert udfs.AFM_NAME(BANK) == BANK_NAME  # the cache still answers
    codes.knobs.daily_limit = None
    now[0] += udfs.QUOTA_PAUSE_S
    assert not udfs.AFM_NAME(THIRD).startswith("#ΑΦΜ!")  # the pause is over
    assert calls(codes) == 3


def test_the_service_down_pauses_calls(codes, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(udfs, "_service", udfs.UdfService(clock=lambda: now[0]))
    codes.knobs.fault = "not_active"
    text = udfs.AFM_NAME(BANK)
    assert text.startswith("#ΑΦΜ! Η υπηρεσία της ΑΑΔΕ δεν είναι διαθέσιμη")
    requests = codes.stats()["requests"]
    assert udfs.AFM_DOY(DEH) == text
    assert codes.stats()["requests"] == requests  # paused: no request
    codes.knobs.fault = None
    now[0] += udfs.OUTAGE_PAUSE_S
    assert udfs.AFM_NAME(BANK) == BANK_NAME


def test_afm_xl_own_monthly_limit_refuses_before_calling(codes):
    settings_module.save(settings_module.Settings(monthly_limit=1))
    assert udfs.AFM_NAME(BANK) == BANK_NAME
    text = udfs.AFM_NAME(DEH)
    assert text.startswith("#ΑΦΜ! Όριο κλήσεων: Η εργασία χρειάζεται έως 1 κλήση")
    assert calls(codes) == 1


def test_concurrent_calls_share_one_engine(codes):
    results: list = []
    errors: list = []

    def work(afm: str) -> None:
        try:
            results.append((afm, udfs.AFM_NAME(afm)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(afm,)) for afm in (BANK, DEH, THIRD) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    names = {afm: {name for a, name in results if a == afm} for afm in (BANK, DEH, THIRD)}
    assert names[BANK] == {BANK_NAME} and all(len(v) == 1 and not next(iter(v)).startswith("#") for v in names.values())
    online = udfs.service()._online
    assert online is not None and online[0][0] == Credentials(DEMO_USERNAME, DEMO_PASSWORD)


# -- xlwings' real decorators: the metadata and the VBA Excel gets -------------------------
@pytest.fixture
def real():
    with real_udfs("afm_xl.udfs") as (xl_udfs, module):
        yield xl_udfs, module


def test_real_decorators_give_excel_metadata(real):
    _, module = real
    for name in UDF_NAMES:
        info = getattr(module, name).__xlfunc__
        assert info["name"] == name
        assert info["category"] == "ΑΦΜ"
        assert info["call_in_wizard"] is False and info["volatile"] is False and info["async_mode"] is None
        assert 0 < len(info["ret"]["doc"]) <= 255  # the function's help text in Excel (Greek)
        for arg in info["args"]:
            assert not arg["doc"].startswith("Positional argument") and len(arg["doc"]) <= 255
    args = {a["name"]: a for a in module.AFM_INFO.__xlfunc__["args"]}
    assert args["afms"]["options"] == {"ndim": 2, "err_to_str": True}
    assert args["fields"]["optional"] is None
    assert module.AFM_NAME.__xlfunc__["args"][0]["options"] == {"err_to_str": True}


def test_real_decorators_leave_the_functions_callable(real):
    _, module = real
    assert module.AFM_VALID(90000045.0) is True
    assert module.AFM_NAME(None) == ""


def test_generated_vba_wrapper(real):
    xl_udfs, module = real
    vba = vba_wrapper(xl_udfs, module)
    for name in UDF_NAMES:
        assert f"Function {name}(" in vba
    assert "Function AFM_INFO(afms, Optional fields)" in vba
    assert 'XLPy.CallUDF("afm_xl.udfs", "AFM_NAME", Array(afm), ActiveWorkbook, Application.Caller)' in vba
    assert "Application.Volatile" not in vba
    wizard_exit = 'If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function'
    assert vba.count(wizard_exit) == len(UDF_NAMES)
    assert re.findall(r"^Function (\w+)\(", vba, re.M) == sorted(UDF_NAMES)  # no helper is exported
    assert vba.count("End Function") == len(UDF_NAMES)


def test_the_real_decorators_did_not_leak():
    import xlwings

    assert not hasattr(udfs.AFM_NAME, "__xlfunc__")  # this module's copy keeps the no-op decorators
    assert xlwings.func.__module__ == "xlwings"


def test_an_internal_error_is_a_cell_text_and_a_log_line(codes, monkeypatch, afm_home):
    def broken(self, values):
        raise RuntimeError("a bug")

    monkeypatch.setattr(udfs.UdfService, "lookup", broken)
    assert udfs.AFM_NAME(BANK) == udfs.INTERNAL_ERROR_TEXT
    assert udfs.AFM_INFO([[BANK]]) == udfs.INTERNAL_ERROR_TEXT
    for handler in list(udfs.log.handlers):  # the test's AFM_XL_HOME goes away: close the file
        handler.close()
        udfs.log.removeHandler(handler)
    log_file = afm_home / "logs" / "udfs.log"
    assert "RuntimeError: a bug" in log_file.read_text(encoding="utf-8")
