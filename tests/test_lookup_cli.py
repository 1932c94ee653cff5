"""``afm-xl lookup`` and ``validate`` end to end, in subprocesses, against the emulator."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from afm_xl.emulator.registry import default_registry
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME, Emulator
from afm_xl.result import JSON_KEYS
from bad_input import CASES
from conftest import cli_env


def afm_xl(home, *args, stdin=None, **env):
    return subprocess.run(
        [sys.executable, "-m", "afm_xl", *args], input=stdin, capture_output=True, text=True,
        env=cli_env(home, **env), timeout=300,
    )


@pytest.fixture
def codes(emulator):
    return {"AFM_XL_ENDPOINT": emulator.url, "AFM_XL_USERNAME": DEMO_USERNAME, "AFM_XL_PASSWORD": DEMO_PASSWORD}


def test_issue_done_when_two_public_records_and_an_invalid(afm_home, emulator, codes):
    run = afm_xl(afm_home, "lookup", "--json", "094014201", "090000045", "123456789", **codes)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert [r["status"] for r in rows] == ["ok", "ok", "invalid"]
    assert all(list(r) == list(JSON_KEYS) for r in rows)
    bank, dei, bad = rows
    assert bank["name"] == "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ" and bank["source"] == "gsis"
    assert bank["main_activity"]["code"] == "64191204" and bank["doy_code"] == "1159"
    assert dei["commercial_title"] == "Δ.Ε.Η. Α.Ε. - Δ.Ε.Η."
    assert isinstance(dei["call_seq_id"], str) and "+" in dei["fetched_at"]
    assert bad["afm"] is None and bad["error_code"] == "INVALID_CHECKSUM" and bad["source"] is None
    assert emulator.stats()["total_calls"] == 2  # the invalid one cost nothing


def test_wrong_password_exits_3_with_a_clear_message(afm_home, emulator, codes):
    codes["AFM_XL_PASSWORD"] = "not-the-password"
    run = afm_xl(afm_home, "lookup", "--json", "094014201", **codes)
    assert run.returncode == 3
    assert "Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος" in run.stderr
    assert "Traceback" not in run.stderr and "not-the-password" not in run.stdout + run.stderr


def test_quota_error_exits_4(afm_home, codes):
    with Emulator(monthly_limit=1) as emu:
        codes["AFM_XL_ENDPOINT"] = emu.url
        run = afm_xl(afm_home, "lookup", "--json", "094014201", "090000045", "090165560", "--concurrency", "1", **codes)
    assert run.returncode == 4
    assert "Μηνιαίου Ορίου" in run.stderr
    rows = json.loads(run.stdout)  # what was answered is still printed
    assert [r["status"] for r in rows].count("ok") == 1


def test_issue_done_when_900_lines_cost_300_calls_once(afm_home, emulator, codes, tmp_path):
    afms = default_registry().existing_afms(300)
    lines = []
    for afm in afms:
        lines += [afm, afm.lstrip("0") if afm.startswith("0") and afm[1] != "0" else afm, f"EL{afm}"]
    invalid = ["123456789", "abc", "", "000000000", "=A1", "#N/A"]
    lines += invalid
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = afm_xl(afm_home, "lookup", "--json", "--file", str(listing), **codes)
    assert first.returncode == 0, first.stderr[-2000:]
    rows = json.loads(first.stdout)
    non_blank = [line for line in lines if line.strip()]
    assert [r["input"] for r in rows] == non_blank  # input order; blank lines skipped
    assert emulator.stats()["total_calls"] == 300
    assert sum(r["status"] == "ok" for r in rows) == 900
    second = afm_xl(afm_home, "lookup", "--json", "--file", str(listing), **codes)
    assert second.returncode == 0
    assert emulator.stats()["total_calls"] == 300  # nothing new
    again = json.loads(second.stdout)
    assert {r["source"] for r in again if r["status"] == "ok"} == {"cache"}
    assert [r["afm"] for r in again] == [r["afm"] for r in rows]


def test_stdin_csv_and_table_outputs(afm_home, emulator, codes):
    run = afm_xl(afm_home, "lookup", "--csv", "--file", "-", stdin="094014201\n\nnope\n", **codes)
    assert run.returncode == 0, run.stderr
    table = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["status"] for r in table] == ["ok", "invalid"]
    assert table[0]["main_activity_code"] == "64191204"
    run = afm_xl(afm_home, "lookup", "090000045", **codes)
    assert run.returncode == 0 and "ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ" in run.stdout


def test_no_cache_and_refresh(afm_home, emulator, codes):
    assert afm_xl(afm_home, "lookup", "--json", "094014201", **codes).returncode == 0
    assert afm_xl(afm_home, "lookup", "--json", "--no-cache", "094014201", **codes).returncode == 0
    assert emulator.stats()["total_calls"] == 2
    run = afm_xl(afm_home, "lookup", "--json", "--refresh", "094014201", **codes)
    assert json.loads(run.stdout)[0]["source"] == "gsis"
    assert emulator.stats()["total_calls"] == 3
    run = afm_xl(afm_home, "lookup", "--json", "094014201", **codes)
    assert json.loads(run.stdout)[0]["source"] == "cache"
    assert emulator.stats()["total_calls"] == 3


def test_as_on_date_is_separate_in_the_cache(afm_home, emulator, codes):
    run = afm_xl(afm_home, "lookup", "--json", "--as-on", "2020-01-02", "094014201", **codes)
    assert json.loads(run.stdout)[0]["as_on_date"] == "2020-01-02"
    run = afm_xl(afm_home, "lookup", "--json", "094014201", **codes)
    assert json.loads(run.stdout)[0]["source"] == "gsis"
    assert emulator.stats()["total_calls"] == 2


def test_failed_rows_exit_1(afm_home, codes, emulator):
    emulator.knobs.fault = "http503"
    run = afm_xl(afm_home, "lookup", "--json", "094014201", **codes)
    assert run.returncode == 1
    assert json.loads(run.stdout)[0]["error_code"] == "HTTP_503"


def test_usage_errors_exit_2(afm_home):
    assert afm_xl(afm_home, "lookup").returncode == 2
    assert afm_xl(afm_home, "lookup", "--as-on", "yesterday", "094014201").returncode == 2
    assert afm_xl(afm_home, "lookup", "--concurrency", "99", "094014201").returncode == 2
    assert afm_xl(afm_home, "lookup", "--file", "/nonexistent/list.txt").returncode == 2
    assert afm_xl(afm_home).returncode == 2


def test_no_codes_non_interactive_exits_3(afm_home, emulator):
    run = afm_xl(afm_home, "lookup", "094014201", AFM_XL_ENDPOINT=emulator.url)
    assert run.returncode == 3 and "afm-xl login" in run.stderr
    assert emulator.stats()["total_calls"] == 0


def test_invalid_only_needs_no_codes(afm_home):
    run = afm_xl(afm_home, "lookup", "--json", "123456789", "x")
    assert run.returncode == 0
    assert [r["status"] for r in json.loads(run.stdout)] == ["invalid", "invalid"]


def test_validate_json_documents_every_bad_input(afm_home):
    printable = [(v, afm, reason) for v, afm, reason in CASES if isinstance(v, str) and "\n" not in v and v.strip()]
    run = afm_xl(afm_home, "validate", "--json", *[v for v, _, _ in printable])
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) == len(printable)
    for row, (value, afm, reason) in zip(rows, printable):
        assert row == {"input": value, "afm": afm, "valid": afm is not None, "reason": reason}


def test_python_dash_m_and_version(afm_home):
    run = afm_xl(afm_home, "--version")
    assert run.returncode == 0 and run.stdout.startswith("afm-xl ")


def test_own_limit_refuses_before_any_call_then_force(afm_home, emulator, codes):
    assert afm_xl(afm_home, "config", "monthly_limit", "2").returncode == 0
    afms = default_registry().existing_afms(3)
    refused = afm_xl(afm_home, "lookup", "--json", *afms, **codes)
    assert refused.returncode == 4
    assert "απομένουν 2" in refused.stderr and "--force" in refused.stderr
    assert emulator.stats()["total_calls"] == 0
    forced = afm_xl(afm_home, "lookup", "--json", "--force", *afms, **codes)
    assert forced.returncode == 0 and emulator.stats()["total_calls"] == 3
