"""The SQLite cache: round trips, TTLs, as_on_date keys, repair of damaged files, several writers."""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from afm_xl import cli
from afm_xl.engine.cache import DAY, FILE_NAME, Cache, Database, as_on_key
from afm_xl.record import Activity, Record
from afm_xl.result import LookupResult
from conftest import cli_env

NOW = 1_760_000_000.0  # a fixed "now" for the fake clock


class Clock:
    """A settable clock (epoch seconds) instead of sleeps."""

    def __init__(self, now: float = NOW):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, days: float) -> None:
        self.now += days * DAY


def ok(afm: str = "094014201", name: str = "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ") -> LookupResult:
    record = Record(
        afm=afm, name=name, legal_form="ΑΕ", natural_person=False, active=True, active_text="ΕΝΕΡΓΟΣ ΑΦΜ",
        street="ΑΙΟΛΟΥ", street_number="86", postal_code="10559", city="ΑΘΗΝΑ", doy_code="1159",
        doy_name="ΦΑΕ ΑΘΗΝΩΝ", registration_date=datetime.date(1900, 1, 1), normal_vat=True,
        activities=(Activity("66221001", "ΔΡΑΣΤΗΡΙΟΤΗΤΕΣ ΠΡΑΚΤΟΡΩΝ", 2, "ΔΕΥΤΕΡΕΥΟΥΣΑ"),
                    Activity("64191204", "ΥΠΗΡΕΣΙΕΣ ΤΡΑΠΕΖΩΝ", 1, "ΚΥΡΙΑ")),
        as_on_date=datetime.date(2026, 1, 5), call_seq_id="990000123",
        fetched_at=datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.timezone.utc),
    )
    return LookupResult(afm, afm, "ok", record, source="gsis")


def negative(afm: str = "090000045", status: str = "not_found") -> LookupResult:
    code = "RG_WS_PUBLIC_TAXPAYER_NF" if status == "not_found" else "RG_WS_PUBLIC_EPIT_NF"
    return LookupResult(afm, afm, status, None, code, "δεν βρέθηκε", source="gsis")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "cache" / FILE_NAME


def fresh(path, clock, **kw) -> Cache:
    """A Cache on its own Database, so nothing comes from another instance's memory."""
    return Cache(Database(path), clock=clock, **kw)


def test_default_file_is_in_the_cache_dir(afm_home):
    cache = Cache()
    assert cache.path == afm_home / "cache" / FILE_NAME and cache.path.exists()
    mode = sqlite3.connect(cache.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert Cache().db is cache.db  # one Database per file per process


def test_ok_round_trip_through_sqlite(path, clock):
    assert fresh(path, clock).put(ok())
    hit = fresh(path, clock).get("094014201")  # a new Database: read from the file
    assert hit.status == "ok" and hit.source == "cache" and hit.record.source == "cache"
    assert hit.input == hit.afm == "094014201"
    original = ok().record
    assert hit.record.replace(source="gsis") == original
    assert hit.record.main_activity.code == "64191204" and hit.record.active_text == "ΕΝΕΡΓΟΣ ΑΦΜ"
    row = sqlite3.connect(path).execute("SELECT record, call_seq_id, fetched_at FROM lookups").fetchone()
    assert json.loads(row[0])["name"] == original.name
    assert row[1] == "990000123" and row[2] == NOW


def test_negative_answers_are_kept_with_their_code(path, clock):
    cache = fresh(path, clock)
    cache.put_many([negative("090000045"), negative("094019245", "not_business")])
    again = fresh(path, clock)
    assert again.get("090000045").error_code == "RG_WS_PUBLIC_TAXPAYER_NF"
    assert again.get("094019245").status == "not_business"


def test_failed_and_recordless_results_are_never_cached(path, clock):
    cache = fresh(path, clock)
    failed = LookupResult("094014201", "094014201", "failed", None, "TIMEOUT", "timeout")
    assert not cache.put(failed)
    assert not cache.put(LookupResult("094014201", "094014201", "ok"))
    assert not cache.put(LookupResult.invalid("12", "INVALID_LENGTH"))
    assert cache.get("094014201") is None and cache.stats()["entries"] == 0


@pytest.mark.parametrize("memory", [True, False], ids=["in-memory layer", "sqlite"])
def test_ttl_of_records(path, clock, memory):
    fresh(path, clock).put(ok())
    reader = fresh(path, clock)
    if memory:
        reader.get("094014201")  # now held in the process's memory layer
    clock.advance(29.9)
    assert reader.get("094014201") is not None
    clock.advance(0.2)
    assert reader.get("094014201") is None


@pytest.mark.parametrize("memory", [True, False], ids=["in-memory layer", "sqlite"])
def test_negative_ttl_is_shorter(path, clock, memory):
    writer = fresh(path, clock)
    writer.put_many([ok(), negative()])
    reader = writer if memory else fresh(path, clock)
    clock.advance(0.9)
    assert reader.get("090000045") is not None
    clock.advance(0.2)
    assert reader.get("090000045") is None and reader.get("094014201") is not None


def test_ttls_are_configurable_and_zero_disables(path, clock):
    cache = fresh(path, clock, ttl_days=2, negative_ttl_days=0)
    assert cache.put(ok()) and not cache.put(negative())
    clock.advance(2.1)
    assert cache.get("094014201") is None
    off = fresh(path, clock, ttl_days=0, negative_ttl_days=0)
    assert not off.put(ok()) and off.get("094014201") is None


def test_entries_from_the_future_count_as_expired(path, clock):
    fresh(path, clock).put(ok())
    clock.advance(-1)  # the clock was turned back a day
    assert fresh(path, clock).get("094014201") is None


def test_as_on_date_is_part_of_the_key(path, clock):
    cache = fresh(path, clock)
    cache.put(ok(name="ΣΗΜΕΡΑ"))
    cache.put(ok(name="ΤΟΤΕ"), datetime.date(2020, 1, 2))
    reader = fresh(path, clock)
    assert reader.get("094014201").record.name == "ΣΗΜΕΡΑ"
    assert reader.get("094014201", "2020-01-02").record.name == "ΤΟΤΕ"
    assert reader.get("094014201", datetime.date(2021, 1, 1)) is None
    keys = sqlite3.connect(path).execute("SELECT as_on_date FROM lookups ORDER BY 1").fetchall()
    assert keys == [("",), ("2020-01-02",)]


def test_as_on_key_rejects_bad_dates():
    assert as_on_key("") == "" and as_on_key(datetime.datetime(2020, 5, 6, 7, 8)) == "2020-05-06"
    with pytest.raises(ValueError):
        as_on_key("06/05/2020")


def test_a_refresh_overwrites(path, clock):
    cache = fresh(path, clock)
    cache.put(ok(name="ΠΑΛΙΟ"))
    clock.advance(1)
    cache.put(ok(name="ΝΕΟ"))
    assert fresh(path, clock).get("094014201").record.name == "ΝΕΟ"
    assert cache.stats()["entries"] == 1


def test_get_many_reads_in_chunks(path, clock):
    from stdnum.gr import vat

    afms = [f"{n:08d}{vat.calc_check_digit(f'{n:08d}')}" for n in range(10_000_000, 10_001_200)]
    fresh(path, clock).put_many([negative(a) for a in afms])
    found = fresh(path, clock).get_many(afms + ["094014201"])
    assert sorted(found) == sorted(afms)


def test_expired_entries_are_pruned_on_the_next_write(path, clock):
    cache = fresh(path, clock)
    cache.put_many([ok(), negative()])
    clock.advance(2)
    fresh(path, clock).put(negative("094019245"))
    afms = {r[0] for r in sqlite3.connect(path).execute("SELECT afm FROM lookups")}
    assert afms == {"094014201", "094019245"}


def test_stats_and_clear(path, clock):
    cache = fresh(path, clock)
    cache.put(ok())
    clock.advance(3)
    cache.put_many([ok("090000045"), negative("094019245")])
    stats = cache.stats()
    assert (stats["entries"], stats["ok"], stats["negative"], stats["expired"]) == (3, 2, 1, 0)
    assert stats["path"] == str(path) and stats["size_bytes"] > 0
    assert datetime.datetime.fromisoformat(stats["oldest"]).timestamp() == NOW
    assert datetime.datetime.fromisoformat(stats["newest"]).timestamp() == NOW + 3 * DAY
    clock.advance(1.5)
    assert cache.stats()["expired"] == 1  # the negative one
    assert cache.clear(older_than_days=2) == 1
    assert cache.get("094014201") is None and cache.get("090000045") is not None
    assert cache.clear() == 2
    assert cache.stats()["entries"] == 0 and cache.get("090000045") is None
    with pytest.raises(ValueError):
        cache.clear(-1)


def test_garbage_file_is_set_aside(path, caplog):
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(8192))
    cache = Cache(Database(path))
    assert cache.put(ok()) and cache.get("094014201") is not None
    aside = list(path.parent.glob(f"{FILE_NAME}.corrupt-*"))
    assert len(aside) == 1 and aside[0].stat().st_size == 8192
    assert cache.warnings and "κατεστραμμένο" in cache.warnings[0] and aside[0].name in cache.warnings[0]
    assert "rebuilt" in caplog.text
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_truncated_file_is_set_aside(path, clock):
    from stdnum.gr import vat

    cache = fresh(path, clock)
    afms = [f"{n:08d}{vat.calc_check_digit(f'{n:08d}')}" for n in range(10_000_000, 10_002_000)]
    cache.put_many([ok(a) for a in afms])
    cache.db.close()
    size = path.stat().st_size
    assert size > 100_000 and not os.path.exists(f"{path}-wal")
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    cache = fresh(path, clock)
    assert list(path.parent.glob(f"{FILE_NAME}.corrupt-*")) and cache.warnings
    assert cache.get(afms[0]) is None
    assert cache.put(ok()) and fresh(path, clock).get("094014201") is not None


def test_damage_found_while_running_is_repaired(path, clock):
    cache = fresh(path, clock)
    cache.put(ok())
    cache.db.close()
    path.write_bytes(b"this is not a database at all" * 200)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    cache.db.memo.clear()
    assert cache.get("094014201") is None  # reopens, finds garbage, sets it aside
    assert cache.put(ok()) and cache.warnings
    assert list(path.parent.glob(f"{FILE_NAME}.corrupt-*"))


def test_unusable_location_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    cache = Cache(Database(blocker / FILE_NAME))
    assert cache.db.in_memory and "μνήμη" in cache.warnings[0]
    assert cache.put(ok()) and cache.get("094014201") is not None
    results = []
    thread = threading.Thread(target=lambda: results.append(cache.get_many(["094014201"])))
    thread.start()
    thread.join()
    assert "094014201" in results[0]
    assert cache.stats()["path"] == "(memory)"


def test_threads_share_one_cache(path, clock):
    from stdnum.gr import vat

    cache = fresh(path, clock)
    errors = []

    def writer(start: int) -> None:
        try:
            for n in range(start, start + 100):
                afm = f"{n:08d}{vat.calc_check_digit(f'{n:08d}')}"
                assert cache.put(negative(afm))
                cache.db.memo.clear()
                assert cache.get(afm) is not None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(10_000_000 + 1000 * i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and cache.stats()["entries"] == 800


#: one process writing 300 negative answers, one short transaction each
WRITER = r"""
import sys
from stdnum.gr import vat
from afm_xl.engine.cache import Cache, Database
from afm_xl.result import LookupResult
cache = Cache(Database(sys.argv[1]))
start = int(sys.argv[2])
for n in range(start, start + 300):
    afm = f"{n:08d}{vat.calc_check_digit(f'{n:08d}')}"
    assert cache.put(LookupResult(afm, afm, "not_found", None, "RG_WS_PUBLIC_TAXPAYER_NF", "x"))
"""


def test_processes_writing_at_once_lose_nothing(path, afm_home):
    env = cli_env(afm_home)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(10_000_000 + 150 * i)], env=env)
        for i in range(3)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM lookups").fetchone() == (600,)  # 3 × 300, overlapping
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_cli_stats_and_clear(afm_home, capsys):
    cache = Cache.open()
    cache.put_many([ok(), negative()])
    assert cli.main(["cache", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["entries"], stats["ok"], stats["negative"]) == (2, 1, 1)
    assert stats["path"] == str(afm_home / "cache" / FILE_NAME)
    assert cli.main(["cache", "stats"]) == 0
    out = capsys.readouterr().out
    assert "Εγγραφές / entries:     2" in out and str(afm_home) in out
    assert cli.main(["cache", "clear", "--older-than", "5"]) == 0
    assert "Διαγράφηκαν 0" in capsys.readouterr().out
    assert cli.main(["cache", "clear"]) == 0
    assert "Διαγράφηκαν 2" in capsys.readouterr().out
    assert Cache.open().get("094014201") is None
    assert cli.main(["cache"]) == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["cache", "clear", "--older-than", "soon"])
    assert exc.value.code == 2
