"""Settings: defaults, a save/load round trip, and hand-edited files that never stop afm-xl."""

from __future__ import annotations

import json

from afm_xl import settings as settings_module
from afm_xl.settings import Settings


def test_round_trip_keeps_every_field():
    original = Settings(
        caller_afm="094014201", fields=("name", "doy"), concurrency=8, cache_ttl_days=7, negative_ttl_days=0.5,
        monthly_limit=1000, daily_limit=50, language="en", endpoint=None, timeout=10,
    )
    settings_module.save(original)
    assert settings_module.load() == original
    settings_module.save(Settings())
    assert settings_module.load() == Settings()  # None stays None (never the text "None")


def test_bad_values_fall_back_to_defaults(afm_home):
    path = settings_module.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps({"concurrency": "many", "caller_afm": "123456789", "fields": "name,nope", "timeout": -1,
                    "monthly_limit": 0, "language": "fr", "unknown": 1, "endpoint": "  "}),
        encoding="utf-8",
    )
    loaded = settings_module.load()
    assert loaded == Settings(monthly_limit=None)


def test_unreadable_file_gives_defaults(afm_home):
    path = settings_module.settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe not json")
    assert settings_module.load() == Settings()
    path.write_text("[1, 2]", encoding="utf-8")
    assert settings_module.load() == Settings()


def test_no_password_field_exists():
    assert not any("pass" in name for name in Settings().to_dict())
