"""The batch engine against the emulator over HTTP: dedupe, cache, order, stops, cancel, several processes."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import threading

import pytest

from afm_xl import errors
from afm_xl.credentials import Credentials
from afm_xl.engine import Cache, Database, Engine, Quota
from afm_xl.engine.cache import DAY, FILE_NAME
from afm_xl.gsis.client import GsisClient
from afm_xl.settings import Settings
from conftest import cli_env

C = 4  # concurrency


class Clock:
    def __init__(self):
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float) -> None:
        self.now += days * DAY


def existing(emulator, n: int) -> list[str]:
    return emulator.state.registry.existing_afms(n)


def unknown(emulator) -> str:
    """A checksum-valid AFM the registry does not know (``not_found``)."""
    return emulator.state.registry.unknown_afms(1)[0]


def individual(emulator) -> str:
    """A valid AFM of a private person (``not_business``)."""
    return emulator.state.registry.individual_afms(1)[0]


def make_engine(emulator, credentials, tmp_path, *, concurrency=C, retries=3, clock=None, cache=True):
    db = Database(tmp_path / "engine.sqlite3")
    client = GsisClient(credentials, endpoint=emulator.url, timeout=5, retries=retries, backoff=0)
    return Engine(
        client,
        cache=Cache(db, clock=clock or Clock()) if cache else None,
        quota=Quota(db, monthly_limit=None),
        concurrency=concurrency,
    )


@pytest.fixture
def engine(emulator, demo_credentials, tmp_path):
    return make_engine(emulator, demo_credentials, tmp_path)


def calls(emulator) -> int:
    return emulator.stats()["total_calls"]


# -- order, dedupe, cache ---------------------------------------------------------------------
def test_results_in_input_order_with_inputs_echoed(engine, emulator):
    a, b = existing(emulator, 2)
    x, p = unknown(emulator), individual(emulator)
    values = [a, f" EL {a[:3]}-{a[3:6]}-{a[6:]} ", "12345", int(b), None, a, "=A1", x, p]
    batch = engine.lookup_many(values)
    assert [r.input for r in batch] == values
    assert [r.status for r in batch] == [
        "ok", "ok", "invalid", "ok", "invalid", "ok", "invalid", "not_found", "not_business"]
    assert [r.afm for r in batch] == [a, a, None, b, None, a, None, x, p]
    assert batch[0].record == batch[1].record == batch[5].record and batch[0].record.afm == a
    assert batch[2].error_code == "INVALID_LENGTH" and batch[6].error_code == "FORMULA"
    assert batch[7].error_code == "RG_WS_PUBLIC_TAXPAYER_NF" and batch[8].error_code == "RG_WS_PUBLIC_EPIT_NF"
    assert (batch.unique, batch.invalid, batch.calls, batch.from_cache) == (4, 3, 4, 0)
    assert {r.source for r in batch if r.status != "invalid"} == {"gsis"}


def test_duplicates_and_invalid_inputs_make_no_calls(engine, emulator):
    afms = existing(emulator, 5)
    values = afms * 4 + [int(afms[0]), "000000000", "", True, 12.5, "094014202"]
    batch = engine.lookup_many(values)
    stats = emulator.stats()
    assert stats["total_calls"] == 5 == batch.calls
    assert stats["calls_by_afm"] == dict.fromkeys(afms, 1)
    assert batch.statuses() == {"ok": 21, "invalid": 5}


def test_a_second_run_makes_no_calls(engine, emulator):
    values = existing(emulator, 6) + [unknown(emulator), individual(emulator)]
    first = engine.lookup_many(values)
    second = engine.lookup_many(list(reversed(values)))
    assert calls(emulator) == 8 and second.calls == 0 and second.from_cache == 8
    assert {r.source for r in second} == {"cache"} and {r.record.source for r in second if r.ok} == {"cache"}
    assert [r.input for r in second] == list(reversed(values))
    assert [r.record.name for r in second if r.ok] == [r.record.name for r in reversed(first) if r.ok]


def test_the_cache_survives_the_process(engine, emulator, demo_credentials, tmp_path):
    values = existing(emulator, 3)
    engine.lookup_many(values)
    other = make_engine(emulator, demo_credentials, tmp_path)  # a new Database on the same file
    assert other.lookup_many(values).calls == 0 and calls(emulator) == 3


def test_no_cache_and_refresh(engine, emulator):
    values = existing(emulator, 3)
    engine.lookup_many(values, read_cache=False, write_cache=False)  # --no-cache
    assert engine.cache.stats()["entries"] == 0
    engine.lookup_many(values)
    assert calls(emulator) == 6
    refreshed = engine.lookup_many(values, read_cache=False, write_cache=True)  # --refresh
    assert refreshed.calls == 3 and {r.source for r in refreshed} == {"gsis"}
    seq = {r.afm: r.record.call_seq_id for r in refreshed}
    assert {r.afm: r.record.call_seq_id for r in engine.lookup_many(values)} == seq


def test_as_on_date_is_looked_up_and_cached_apart(engine, emulator):
    afm = existing(emulator, 1)[0]
    today = engine.lookup(afm)
    old = engine.lookup(afm, as_on_date=datetime.date(2020, 1, 2))
    assert calls(emulator) == 2 and old.source == "gsis"
    assert old.record.as_on_date == datetime.date(2020, 1, 2) and today.record.as_on_date != old.record.as_on_date
    assert engine.lookup(afm, as_on_date="2020-01-02").source == "cache"
    assert engine.lookup(afm).record.as_on_date == today.record.as_on_date
    assert calls(emulator) == 2
    with pytest.raises(errors.AfmXlError) as caught:
        engine.lookup(afm, as_on_date="2/1/2020")
    assert caught.value.code == "INVALID_DATE" and calls(emulator) == 2


def test_ttls_with_an_injected_clock(emulator, demo_credentials, tmp_path):
    clock = Clock()
    engine = make_engine(emulator, demo_credentials, tmp_path, clock=clock)
    values = existing(emulator, 2) + [unknown(emulator), individual(emulator)]
    engine.lookup_many(values)
    clock.advance(0.5)
    assert engine.lookup_many(values).calls == 0
    clock.advance(0.6)  # the negative answers (1 day) expired, the records (30 days) did not
    again = engine.lookup_many(values)
    assert again.calls == 2 and [r.source for r in again] == ["cache", "cache", "gsis", "gsis"]
    assert [r.status for r in again] == ["ok", "ok", "not_found", "not_business"]
    clock.advance(30)
    assert engine.lookup_many(values).calls == 4
    assert calls(emulator) == 10


def test_transient_failure_fails_only_its_row_and_is_not_cached(emulator, demo_credentials, tmp_path):
    engine = make_engine(emulator, demo_credentials, tmp_path, retries=0, concurrency=1)
    values = existing(emulator, 4)
    emulator.knobs.fault, emulator.knobs.fault_count = "http503", 1
    batch = engine.lookup_many(values)
    failed = [r for r in batch if r.status == "failed"]
    assert len(failed) == 1 and failed[0].error_code == "HTTP_503" and "503" in failed[0].message
    assert batch.statuses()["ok"] == 3
    again = engine.lookup_many(values)
    assert again.calls == 1 and again.statuses() == {"ok": 4}


def test_client_retries_hide_a_transient_failure(engine, emulator):
    emulator.knobs.fault, emulator.knobs.fault_count = "http502", 1
    batch = engine.lookup_many(existing(emulator, 3))
    assert batch.statuses() == {"ok": 3} and batch.calls == 3


# -- what stops a batch ----------------------------------------------------------------------
def test_authentication_failure_mid_batch_lets_at_most_c_calls_through(engine, emulator):
    emulator.knobs.latency_ms = 5
    emulator.knobs.revoke_after_calls = 5
    values = existing(emulator, 40)
    with pytest.raises(errors.AuthenticationError) as caught:
        engine.lookup_many(values)
    exc = caught.value
    assert exc.code == "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_ACTIVE" and exc.exit_code == 3
    total = calls(emulator)
    assert 6 <= total <= 5 + C
    results = exc.results
    assert len(results) == 40 and [r.input for r in results] == values and results.calls == total
    statuses = results.statuses()
    assert statuses["ok"] == 5 and statuses["failed"] == 35
    refused = [r for r in results if r.error_code == exc.code]
    stopped = [r for r in results if r.error_code == "STOPPED"]
    assert 1 <= len(refused) <= C and len(refused) + len(stopped) == 35
    assert all(r.message == "Δεν αναζητήθηκε: η ΑΑΔΕ απέρριψε τους κωδικούς πρόσβασης" for r in stopped)
    assert refused[0].message.startswith("Ο κωδικός χρήστη")
    assert engine.cache.stats()["entries"] == 5  # the answers that came back are kept


def test_wrong_codes_stop_at_once(emulator, tmp_path):
    engine = make_engine(emulator, Credentials("AFMXLDEMO01", "not-the-password"), tmp_path)
    emulator.knobs.latency_ms = 5
    with pytest.raises(errors.AuthenticationError) as caught:
        engine.lookup_many(existing(emulator, 30) + ["bad"])
    assert calls(emulator) <= C
    assert caught.value.results.statuses() == {"failed": 30, "invalid": 1}
    assert "not-the-password" not in str(caught.value) + repr(caught.value.results)


def test_service_quota_error_stops_the_batch(engine, emulator):
    emulator.knobs.monthly_limit = 3
    with pytest.raises(errors.QuotaError) as caught:
        engine.lookup_many(existing(emulator, 20))
    assert caught.value.code == "RG_WS_PUBLIC_MONTHLY_LIMIT_EXCEEDED" and caught.value.exit_code == 4
    assert calls(emulator) <= 3 + C
    results = caught.value.results
    assert results.statuses()["ok"] == 3
    assert any(r.message == "Δεν αναζητήθηκε: εξαντλήθηκε όριο κλήσεων της ΑΑΔΕ" for r in results)


def test_service_not_active_stops_the_batch(engine, emulator):
    emulator.knobs.fault = "not_active"
    with pytest.raises(errors.ServiceUnavailableError) as caught:
        engine.lookup_many(existing(emulator, 20))
    assert caught.value.results.calls <= C
    assert emulator.stats()["requests"] <= C
    assert caught.value.results.statuses() == {"failed": 20}


def test_without_codes_the_engine_is_cache_only(engine, emulator, tmp_path):
    cached = existing(emulator, 2)
    engine.lookup_many(cached)
    offline = Engine(None, cache=Cache(Database(tmp_path / "engine.sqlite3"), clock=engine.cache.clock))
    values = cached + [existing(emulator, 3)[2], "x"]
    with pytest.raises(errors.CredentialsMissing) as caught:
        offline.lookup_many(values)
    assert caught.value.code == "NO_CREDENTIALS" and caught.value.exit_code == 3
    results = caught.value.results
    assert [r.status for r in results] == ["ok", "ok", "failed", "invalid"]
    assert results[2].error_code == "NO_CREDENTIALS" and "κωδικοί" in results[2].message
    quiet = offline.lookup_many(values, offline=True)
    assert [r.status for r in quiet] == ["ok", "ok", "failed", "invalid"] and quiet.from_cache == 2
    assert offline.lookup(cached[0], offline=True).source == "cache"
    assert calls(emulator) == 2


def test_offline_with_codes_makes_no_call(engine, emulator):
    result = engine.lookup(existing(emulator, 1)[0], offline=True)
    assert result.error_code == "OFFLINE" and calls(emulator) == 0


# -- progress and cancellation ---------------------------------------------------------------
def test_progress_counts(engine, emulator):
    afms = existing(emulator, 6)
    engine.lookup_many(afms[:2])
    values = afms + [afms[4], "bad", None]
    seen = []
    batch = engine.lookup_many(values, progress=lambda *a: seen.append(a))
    assert seen[0] == (2 + 2, 9, 0)  # two cached, two invalid
    assert seen[-1] == (9, 9, 4) and batch.calls == 4
    dones = [d for d, _, _ in seen]
    assert dones == sorted(dones) and {t for _, t, _ in seen} == {9}
    assert [c for _, _, c in seen[1:5]] == [1, 2, 3, 4]
    assert len(seen) == 1 + 4 + 1


def test_cancel_event(engine, emulator):
    emulator.knobs.latency_ms = 20
    cancel = threading.Event()
    values = existing(emulator, 20)

    def progress(done, total, made):
        if done >= 3:
            cancel.set()

    batch = engine.lookup_many(values, progress=progress, cancel=cancel)
    assert batch.cancelled and batch.error is None
    cancelled = [r for r in batch if r.error_code == "CANCELLED"]
    assert cancelled and all(r.status == "failed" and r.message == "Ακυρώθηκε από τον χρήστη" for r in cancelled)
    assert batch.calls == calls(emulator) == 20 - len(cancelled) < 20
    assert batch.statuses()["ok"] == batch.calls
    assert engine.cache.stats()["entries"] == batch.calls


def test_progress_may_cancel_by_raising(engine, emulator):
    emulator.knobs.latency_ms = 10

    def progress(done, total, made):
        if made >= 2:
            raise errors.Cancelled("cancel")

    batch = engine.lookup_many(existing(emulator, 20), progress=progress)
    assert batch.cancelled and batch.statuses()["failed"] == 20 - batch.calls


def test_cancelled_before_the_start_makes_no_call(engine, emulator):
    cancel = threading.Event()
    cancel.set()
    batch = engine.lookup_many(existing(emulator, 5), cancel=cancel)
    assert calls(emulator) == 0 and {r.error_code for r in batch} == {"CANCELLED"}


def test_concurrency_is_clamped():
    assert Engine(None, concurrency=99).concurrency == 16 and Engine(None, concurrency=0).concurrency == 1


def test_lookup_many_accepts_any_iterable(engine, emulator):
    afm = existing(emulator, 1)[0]
    assert [r.afm for r in engine.lookup_many(v for v in (afm, "x"))] == [afm, None]
    assert len(engine.lookup_many(afm)) == 1  # a lone string is one value, not nine
    assert len(engine.lookup_many([])) == 0


def test_from_settings_uses_the_user_cache(emulator, demo_credentials, afm_home):
    settings = Settings(concurrency=3, monthly_limit=50)
    engine = Engine.from_settings(demo_credentials, settings, endpoint=emulator.url)
    assert engine.concurrency == 3 and engine.quota.monthly_limit == 50
    values = existing(emulator, 2)
    engine.lookup_many(values)
    assert Cache.open(settings).get(values[0]).source == "cache"
    assert Engine.from_settings(None, settings).lookup_many(values, offline=True).from_cache == 2
    assert Quota.open(settings).usage("AFMXLDEMO01")["month"] == 2
    uncached = Engine.from_settings(demo_credentials, settings, endpoint=emulator.url, use_cache=False)
    assert uncached.cache is None and uncached.lookup_many(values).calls == 2
    assert Quota.open(settings).usage("AFMXLDEMO01")["month"] == 4  # counted also without the cache


# -- several processes -----------------------------------------------------------------------
FILLER = r"""
import json, sys
from afm_xl.credentials import Credentials
from afm_xl.engine import Engine
from afm_xl.settings import Settings
url, afms = sys.argv[1], json.loads(sys.argv[2])
engine = Engine.from_settings(Credentials("AFMXLDEMO01", "Demo!Pass2026"),
                              Settings(concurrency=4, monthly_limit=None), endpoint=url)
batch = engine.lookup_many(afms, progress=lambda d, t, c: print(d, flush=True))
print(json.dumps(dict(batch.statuses())), flush=True)
"""


def test_two_processes_filling_one_cache_lose_nothing(emulator, afm_home):
    emulator.knobs.latency_ms = 2
    afms = existing(emulator, 160)
    parts = [afms[:100], afms[60:]]  # 40 AFMs in both
    env = cli_env(afm_home)
    procs = [
        subprocess.Popen([sys.executable, "-c", FILLER, emulator.url, json.dumps(p)], env=env,
                         stdout=subprocess.PIPE, text=True)
        for p in parts
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [json.loads(out.splitlines()[-1]) for out in outputs] == [{"ok": 100}, {"ok": 100}]
    db = Database(afm_home / "cache" / FILE_NAME)
    assert sorted(Cache(db).get_many(afms)) == sorted(afms)
    assert db.read("PRAGMA integrity_check") == [("ok",)]
    assert db.read("SELECT count(*) FROM lookups") == [(160,)]
    total = calls(emulator)
    assert 160 <= total <= 200
    assert Quota(db).used("AFMXLDEMO01") == (total, total)  # both processes counted every call


def test_a_killed_process_leaves_every_completed_result(emulator, afm_home):
    emulator.knobs.latency_ms = 30
    afms = existing(emulator, 60)
    proc = subprocess.Popen([sys.executable, "-c", FILLER, emulator.url, json.dumps(afms)],
                            env=cli_env(afm_home), stdout=subprocess.PIPE, text=True)
    done = 0
    try:
        for line in proc.stdout:
            done = int(line)
            if done >= 10:
                proc.kill()  # SIGKILL: no cleanup, no atexit
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert 10 <= done < 60
    db = Database(afm_home / "cache" / FILE_NAME)
    assert db.read("PRAGMA integrity_check") == [("ok",)] and not db.warnings
    cached = Cache(db).get_many(afms)
    assert len(cached) >= done and set(cached) <= set(afms)
    assert all(r.ok and r.record.name for r in cached.values())


def test_remembered_normalisation_keeps_types_apart():
    engine = Engine(None)
    for _ in range(2):  # the second time from the remembered normalisation
        batch = engine.lookup_many([True, 1, 1.0, "1"], offline=True)
        assert [r.error_code for r in batch] == ["BOOLEAN", "INVALID_LENGTH", "INVALID_LENGTH", "INVALID_LENGTH"]
        assert [r.input for r in batch] == [True, 1, 1.0, "1"]


def test_a_damaged_cache_file_is_reported_once(emulator, demo_credentials, afm_home):
    path = afm_home / "cache" / FILE_NAME
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00not sqlite\xff" * 1000)
    engine = Engine.from_settings(demo_credentials, Settings(), endpoint=emulator.url)
    values = existing(emulator, 2)
    first = engine.lookup_many(values)
    assert first.statuses() == {"ok": 2}
    assert len(first.warnings) == 1 and "κατεστραμμένο" in first.warnings[0]
    assert list(path.parent.glob(f"{FILE_NAME}.corrupt-*"))
    second = engine.lookup_many(values)
    assert second.warnings == [] and second.from_cache == 2
