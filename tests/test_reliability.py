"""Reliability and security across the product: faults mid-batch, hostile replies, bad input, secrets.

Faults are injected with the emulator's knobs; every lookup goes over HTTP on
loopback through the real zeep client and the real engine.
"""

from __future__ import annotations

import datetime
import os
import random
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afm_xl import errors
from afm_xl.emulator import soap
from afm_xl.emulator.registry import default_registry
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME, Emulator
from afm_xl.engine.batch import Engine
from afm_xl.engine.cache import Cache, Database
from afm_xl.engine.quota import Quota
from afm_xl.gsis.client import GsisClient
from afm_xl.result import STATUSES, LookupResult
from bad_input import CASES
from conftest import cli_env

REGISTRY = default_registry()


def engine_for(emulator, credentials, *, concurrency=4, retries=3, timeout=5.0, settings_=None):
    from afm_xl.settings import Settings

    client = GsisClient(credentials, endpoint=emulator.url, retries=retries, backoff=0.01, timeout=timeout)
    db = Database.shared()
    return Engine(client, cache=Cache(db), quota=Quota(db, settings_ or Settings()), concurrency=concurrency)


# -- service faults mid-batch ------------------------------------------------------------------


def test_random_30_percent_5xx_still_answers_nearly_every_row(demo_credentials):
    afms = REGISTRY.existing_afms(60)
    with Emulator(fail_rate=0.3, seed=7) as emulator:
        results = engine_for(emulator, demo_credentials).lookup_many(afms)
        stats = emulator.stats()
    ok = sum(r.status == "ok" for r in results)
    assert ok >= 57, [r.error_code for r in results if not r.ok]
    assert stats["faults_injected"] > 0  # the faults really happened
    assert stats["total_calls"] == ok  # each answered AFM reached the service once
    for r in results:
        assert r.status in ("ok", "failed")
        if r.status == "failed":
            assert r.error_code.startswith("HTTP_5") and r.message


@pytest.mark.parametrize("fault", ["http500", "html", "reset", "truncated", "malformed", "soap_fault", "billion_laughs"])
def test_a_fault_mid_batch_fails_only_its_rows(emulator, demo_credentials, fault):
    afms = REGISTRY.existing_afms(12)
    engine = engine_for(emulator, demo_credentials, concurrency=1, retries=0)
    first = engine.lookup_many(afms[:6])
    assert all(r.ok for r in first)
    emulator.knobs.fault, emulator.knobs.fault_count = fault, 2
    results = engine.lookup_many(afms)
    assert [r.status for r in results[:6]] == ["ok"] * 6  # completed rows kept (from the cache)
    assert {r.source for r in results[:6]} == {"cache"}
    failed = [r for r in results[6:] if r.status == "failed"]
    assert len(failed) == 2 and all(r.error_code and r.message for r in failed)
    assert sum(r.ok for r in results[6:]) == 4
    # failures are never cached: the next run asks again for exactly those
    before = emulator.stats()["total_calls"]
    again = engine.lookup_many(afms)
    assert all(r.ok for r in again)
    assert emulator.stats()["total_calls"] - before == 2


def test_latency_beyond_timeout_fails_rows_without_hanging(demo_credentials):
    afms = REGISTRY.existing_afms(3)
    with Emulator(latency_ms=800) as slow:
        results = engine_for(slow, demo_credentials, retries=1, timeout=0.2).lookup_many(afms)
    assert [r.error_code for r in results] == ["TIMEOUT"] * 3


def test_quota_error_after_k_calls_stops_and_keeps_answers(demo_credentials):
    afms = REGISTRY.existing_afms(20)
    with Emulator(daily_limit=5) as emulator:
        engine = engine_for(emulator, demo_credentials, concurrency=2)
        with pytest.raises(errors.QuotaError) as info:
            engine.lookup_many(afms)
        calls = emulator.stats()["total_calls"]
    results = info.value.results
    assert len(results) == 20 and sum(r.ok for r in results) == 5
    assert all(r.status in STATUSES for r in results)
    assert all(r.message for r in results if r.status == "failed")
    assert calls <= 5 + 2  # no retry of a quota error; at most the calls in flight
    # the five answers were cached: a later run (next day) does not pay for them again
    assert sum(1 for a in afms if engine.cache.get(a) is not None) == 5


def test_lockout_stops_the_batch_and_is_not_retried(demo_credentials):
    with Emulator(failures_tolerated=3) as emulator:
        bad = engine_for(emulator, type(demo_credentials)(DEMO_USERNAME, "wrong-password"))
        with pytest.raises(errors.AuthenticationError) as info:
            bad.lookup_many(REGISTRY.existing_afms(10))
        assert emulator.stats()["total_calls"] <= 4  # stopped at once, not 10 failed calls
        assert all(r.status == "failed" for r in info.value.results)
        good = engine_for(emulator, demo_credentials)
        for _ in range(3):  # reach the lock-out with more wrong passwords
            try:
                bad.lookup_many([REGISTRY.existing_afms(1)[0]])
            except errors.AuthenticationError:
                pass
        with pytest.raises(errors.QuotaError) as locked:
            good.lookup_many(REGISTRY.existing_afms(30)[20:25])
        assert locked.value.code == "RG_WS_PUBLIC_FAILURES_TOLERATED_EXCEEDED"


# -- hostile and arbitrary replies ---------------------------------------------------------------


def _good_reply() -> bytes:
    entry = REGISTRY.get("094014201")
    return soap.afm_reply(
        call_seq_id=1, as_on_date=datetime.date(2026, 1, 1),
        caller={"token_username": DEMO_USERNAME}, basic=entry.basic, activities=entry.activities,
    )


def _assert_typed(client, afm="094014201"):
    try:
        result = client.lookup(afm)
    except errors.AfmXlError:
        return
    assert isinstance(result, LookupResult) and result.status in STATUSES


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_replies_give_typed_outcomes_only(emulator, client, data):
    reply = bytearray(_good_reply())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(reply) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            reply[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del reply[position : position + data.draw(st.integers(1, 40))]
        else:
            reply[position:position] = data.draw(st.sampled_from([b"<", b">", b"&", b"<x>", b"]]>", b"\x00", b"\xff"]))
    client.retries = 0
    emulator.knobs.replay.append(bytes(reply))
    _assert_typed(client)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_replies_give_typed_outcomes_only(emulator, client, body):
    client.retries = 0
    emulator.knobs.replay.append(body)
    _assert_typed(client)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(soap.BASIC_FIELDS),
        st.none() | st.text(max_size=60) | st.sampled_from(["", "  ", "2024-13-45", "x" * 400, "=cmd|'/c calc'!A0"]),
    )
)
def test_odd_field_values_give_typed_outcomes_only(emulator, client, fields):
    basic = dict(REGISTRY.get("094014201").basic)
    basic.update(fields)
    client.retries = 0
    emulator.knobs.replay.append(
        soap.afm_reply(call_seq_id=1, as_on_date=datetime.date.today(), caller={}, basic=basic, activities=[])
    )
    _assert_typed(client)


def _fill_file(tmp_path, afm_home, emulator, values):
    from openpyxl import Workbook

    book = tmp_path / "book.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["ΑΦΜ"])
    for value in values:
        ws.append([value])
    wb.save(book)
    env = cli_env(afm_home, AFM_XL_ENDPOINT=emulator.url, AFM_XL_USERNAME=DEMO_USERNAME, AFM_XL_PASSWORD=DEMO_PASSWORD)
    run = subprocess.run(
        [sys.executable, "-m", "afm_xl", "fill", str(book), "--fields", "name,commercial_title,status"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    return book, run


def test_formula_looking_service_text_lands_as_text_in_xlsx(tmp_path, afm_home, emulator):
    from openpyxl import load_workbook

    quirks = REGISTRY.quirk_afms()
    labels = ("formula_name", "plus_name", "minus_name", "at_name", "tab_name", "xml_specials")
    book, run = _fill_file(tmp_path, afm_home, emulator, [quirks[label] for label in labels])
    assert run.returncode == 0, run.stderr
    ws = load_workbook(book)["Sheet"]
    names = [ws.cell(row, 2).value for row in range(2, 2 + len(labels))]
    assert names[0].startswith("=HYPERLINK(") and names[1].startswith("+30")
    assert names[2].startswith("-") and names[3].startswith("@")
    assert names[4] == names[4].strip()  # a leading tab/CR is padding to the record model: trimmed
    for row in range(2, 2 + len(labels)):
        assert ws.cell(row, 2).data_type == "s"
    with zipfile.ZipFile(book) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


# -- bad input through a fill ------------------------------------------------------------------


def test_every_bad_input_gets_its_documented_status_in_a_fill(emulator, demo_credentials):
    from afm_xl.fill import run
    from afm_xl.sheets.memory import MemorySheet

    values = [v for v, _, _ in CASES]
    sheet = MemorySheet([["ΑΦΜ"]] + [[v] for v in values])
    engine = engine_for(emulator, demo_credentials)
    report = run(sheet, lambda vals, progress: engine.lookup_many(vals, progress=progress), ["status"])
    statuses = [sheet.row(i)[1] for i in range(2, 2 + len(values))]
    for (value, afm, reason), status in zip(CASES, statuses):
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank:
            assert status is None  # blank cells get no status
        elif afm is None:
            assert status == "Μη έγκυρος ΑΦΜ", value
        else:
            assert status in ("OK", "Δεν βρέθηκε"), value
    assert report.invalid == sum(1 for v, afm, _ in CASES if afm is None) - sum(
        1 for v, _, _ in CASES if v is None or (isinstance(v, str) and not v.strip())
    )
    unique_valid = {afm for _, afm, _ in CASES if afm}
    assert emulator.stats()["total_calls"] == len(unique_valid)


# -- secrets -----------------------------------------------------------------------------------


SECRET = "Demo!Pass2026"
WRONG = "Wr0ng!Secret-4242"


def _tree_contains(root, needles):
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in needles:
                for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                    if encoded in data:
                        hits.append((str(path), needle))
    return hits


def test_password_never_reaches_a_file_output_or_argv(tmp_path, afm_home, emulator):
    """login, lookups, a fill, the demo, a wrong password, logout: the passwords appear nowhere."""
    keyring_file = tmp_path / "keyring.json"  # the test keyring's own store: where the password SHOULD be
    env = cli_env(
        afm_home, PYTHON_KEYRING_BACKEND="memory_keyring.FileKeyring", AFM_XL_TEST_KEYRING_FILE=str(keyring_file),
        AFM_XL_ENDPOINT=emulator.url,
    )
    outputs = []

    def afm_xl(*args, stdin=None, cwd=None):
        argv = [sys.executable, "-m", "afm_xl", "-v", *args]
        assert SECRET not in " ".join(argv) and WRONG not in " ".join(argv)
        run = subprocess.run(argv, input=stdin, env=env, capture_output=True, text=True, timeout=300, cwd=cwd)
        outputs.append(run.stdout + run.stderr)
        return run

    assert afm_xl("login", "--username", DEMO_USERNAME, "--password-stdin", stdin=WRONG + "\n").returncode == 3
    assert afm_xl("login", "--username", DEMO_USERNAME, "--password-stdin", stdin=SECRET + "\n").returncode == 0
    assert afm_xl("lookup", "--json", "094014201", "090000045", "123456789").returncode == 0
    book, run = _fill_file(tmp_path, afm_home, emulator, ["094014201", "090165560"])
    outputs.append(run.stdout + run.stderr)
    assert run.returncode == 0, run.stderr
    assert afm_xl("demo", "-o", str(tmp_path / "demo.xlsx")).returncode == 0
    assert afm_xl("status").returncode == 0
    assert afm_xl("logout").returncode == 0
    run = afm_xl("lookup", "090000046")  # invalid: needs no codes
    for text in outputs:
        assert SECRET not in text and WRONG not in text
    assert _tree_contains(afm_home, [SECRET, WRONG]) == []
    for workbook in (book, tmp_path / "demo.xlsx"):
        with zipfile.ZipFile(workbook) as archive:
            for member in archive.namelist():
                assert SECRET.encode() not in archive.read(member)


def test_no_command_takes_a_password_argument(afm_home):
    run = subprocess.run(
        [sys.executable, "-m", "afm_xl", "login", "--password", SECRET], env=cli_env(afm_home),
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 2  # argparse refuses: passwords never travel on a command line


def test_exceptions_never_carry_the_password(emulator):
    from afm_xl.credentials import Credentials

    creds = Credentials(DEMO_USERNAME, WRONG)
    client = GsisClient(creds, endpoint=emulator.url)
    with pytest.raises(errors.AuthenticationError) as info:
        client.lookup("094014201")
    rendered = "".join(map(str, (info.value, repr(info.value), info.value.args, creds, repr(client))))
    assert WRONG not in rendered
