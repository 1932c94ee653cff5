"""Quota accounting: counters per username/day/month, limits, refusal before any call, the 80 % warning."""

from __future__ import annotations

import datetime

import pytest

from afm_xl import errors
from afm_xl.credentials import Credentials
from afm_xl.engine import Cache, Database, Engine, Quota
from afm_xl.gsis.client import GsisClient
from afm_xl.settings import Settings

USER = "AFMXLDEMO01"


class Clock:
    def __init__(self, when: datetime.datetime):
        self.now = when.timestamp()  # naive = local time, as the quota counts days

    def __call__(self) -> float:
        return self.now

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta).total_seconds()


@pytest.fixture
def clock():
    return Clock(datetime.datetime(2026, 3, 30, 12, 0))


@pytest.fixture
def db(tmp_path):
    return Database(tmp_path / "q.sqlite3")


def test_counts_per_day_and_month_in_local_dates(db, clock):
    quota = Quota(db, clock=clock)
    quota.record(USER, 3)
    clock.advance(days=1, hours=11, minutes=30)  # 2026-03-31 23:30
    quota.record(USER.lower())  # usernames are upper-cased, as the service wants them
    assert quota.used(USER) == (1, 4)
    clock.advance(hours=1)  # 2026-04-01 00:30: a new day and a new month
    assert quota.used(USER) == (0, 0)
    quota.record(USER, 2)
    assert quota.usage(USER) == {
        "today": 2, "month": 2, "daily_limit": None, "monthly_limit": 10_000, "remaining": 9_998,
    }


def test_usernames_are_counted_apart(db, clock):
    quota = Quota(db, clock=clock)
    quota.record("USER1", 5)
    quota.record("USER2", 1)
    assert quota.used("USER1") == (5, 5) and quota.used("USER2") == (1, 1)
    assert quota.used("NOBODY") == (0, 0)


def test_counters_are_shared_through_the_file(db, clock, tmp_path):
    Quota(db, clock=clock).record(USER, 7)
    other = Quota(Database(tmp_path / "q.sqlite3"), clock=clock)
    assert other.used(USER) == (7, 7)


def test_limits_from_settings_and_the_lead_s_form(afm_home, clock):
    settings = Settings(monthly_limit=500, daily_limit=50)
    cache = Cache.open(settings)
    quota = Quota(cache, settings, clock=clock)
    quota.record(USER, 20)
    assert quota.usage(USER) == {"today": 20, "month": 20, "daily_limit": 50, "monthly_limit": 500,
                                 "remaining": 30}
    assert Quota.open(settings).db is cache.db
    assert Quota(None, Settings(monthly_limit=None)).usage(USER)["remaining"] is None


def test_check_refuses_with_needed_and_remaining(db, clock):
    quota = Quota(db, monthly_limit=1000, daily_limit=100, clock=clock)
    quota.record(USER, 60)
    quota.check(USER, 40)  # exactly what is left: fine
    with pytest.raises(errors.QuotaRefused) as caught:
        quota.check(USER, 41)
    exc = caught.value
    assert exc.exit_code == 4 and exc.code == "QUOTA_REFUSED" and isinstance(exc, errors.QuotaError)
    assert "41 κλήσεις" in exc.message and "απομένουν 40" in exc.message and "ημερήσιο όριο 100" in exc.message
    assert "Needs up to 41 calls, 40 left in the daily limit" in exc.message


def test_check_names_the_tighter_limit(db, clock):
    quota = Quota(db, monthly_limit=10_000, daily_limit=50_000, clock=clock)
    quota.record(USER, 9_990)
    with pytest.raises(errors.QuotaRefused, match="μηνιαίο όριο 10.000, έχουν γίνει 9.990"):
        quota.check(USER, 11)


def test_no_limits_never_refuse(db, clock):
    quota = Quota(db, monthly_limit=None, daily_limit=None, clock=clock)
    quota.record(USER, 1_000_000)
    quota.check(USER, 1_000_000)
    assert quota.usage(USER)["remaining"] is None and quota.warnings(USER) == []


def test_warning_at_80_percent(db, clock):
    quota = Quota(db, monthly_limit=100, daily_limit=None, clock=clock)
    quota.record(USER, 79)
    assert quota.warnings(USER) == []
    quota.record(USER)
    assert quota.warnings(USER) == ["Προσοχή: έχουν γίνει 80 από τις 100 κλήσεις του μηνιαίου ορίου (80 %)."]


def test_old_counters_are_pruned(db, clock):
    quota = Quota(db, clock=clock)
    quota.record(USER)
    clock.advance(days=500)
    Quota(db, clock=clock).record(USER)
    assert db.read("SELECT count(*) FROM calls") == [(1,)]


# -- through the engine, against the emulator ---------------------------------------------------
def afms(emulator, n):
    return emulator.state.registry.existing_afms(n)


def engine_for(emulator, demo_credentials, tmp_path, *, retries=3, **limits):
    db = Database(tmp_path / "engine.sqlite3")
    client = GsisClient(demo_credentials, endpoint=emulator.url, timeout=5, retries=retries, backoff=0)
    return Engine(client, cache=Cache(db), quota=Quota(db, **limits), concurrency=4)


def test_refused_before_any_call(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, monthly_limit=10, daily_limit=None)
    engine.quota.record(engine.username, 8)
    values = afms(emulator, 3) + ["123"]
    with pytest.raises(errors.QuotaRefused) as caught:
        engine.lookup_many(values)
    assert emulator.stats()["total_calls"] == 0
    assert "3 κλήσεις" in caught.value.message and "απομένουν 2" in caught.value.message
    results = caught.value.results
    assert [r.status for r in results] == ["failed", "failed", "failed", "invalid"]
    assert {r.error_code for r in results[:3]} == {"QUOTA_REFUSED"}
    assert [r.input for r in results] == values


def test_cached_rows_need_no_quota(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, monthly_limit=2, daily_limit=None)
    values = afms(emulator, 2)
    engine.lookup_many(values)
    assert engine.quota.used(engine.username) == (2, 2)
    again = engine.lookup_many(values * 3)  # all from the cache: no refusal although the limit is used up
    assert again.calls == 0 and {r.source for r in again} == {"cache"}


def test_force_goes_past_the_limit(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, monthly_limit=2, daily_limit=None)
    batch = engine.lookup_many(afms(emulator, 5), force=True)
    assert batch.calls == 5 and emulator.stats()["total_calls"] == 5
    assert engine.quota.usage(engine.username)["remaining"] == 0
    assert any("250 %" in w for w in batch.warnings)


def test_80_percent_warning_in_the_batch(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, monthly_limit=10, daily_limit=None)
    assert engine.lookup_many(afms(emulator, 7)).warnings == []
    batch = engine.lookup_many(afms(emulator, 8))  # one more call: 8 of 10
    assert batch.calls == 1
    assert batch.warnings == ["Προσοχή: έχουν γίνει 8 από τις 10 κλήσεις του μηνιαίου ορίου (80 %)."]


def test_answered_calls_count_transport_failures_do_not(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, retries=0, monthly_limit=None, daily_limit=None)
    emulator.knobs.fault, emulator.knobs.fault_count = "http503", 2
    batch = engine.lookup_many(afms(emulator, 4))
    assert sorted(r.status for r in batch) == ["failed", "failed", "ok", "ok"]
    assert {r.error_code for r in batch if r.status == "failed"} == {"HTTP_503"}
    assert batch.calls == 4 and emulator.stats()["total_calls"] == 2
    assert engine.quota.used(engine.username) == (2, 2)  # the 503s never reached the service


def test_business_errors_count(emulator, demo_credentials, tmp_path):
    engine = engine_for(emulator, demo_credentials, tmp_path, monthly_limit=None, daily_limit=None)
    registry = emulator.state.registry
    batch = engine.lookup_many(registry.unknown_afms(1) + registry.individual_afms(1))
    assert [r.status for r in batch] == ["not_found", "not_business"]
    assert engine.quota.used(engine.username) == (2, 2)


def test_authentication_errors_count_as_answered(emulator, tmp_path):
    engine = engine_for(emulator, Credentials("AFMXLDEMO01", "wrong-password"), tmp_path,
                        monthly_limit=None, daily_limit=None)
    with pytest.raises(errors.AuthenticationError):
        engine.lookup_many(["094014201"])
    assert engine.quota.used("AFMXLDEMO01") == (1, 1)
