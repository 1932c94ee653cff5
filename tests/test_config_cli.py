"""``afm-xl config``: settings are shown, set with the same checks afm-xl reads them with, and reset."""

from __future__ import annotations

from afm_xl import settings as settings_module
from afm_xl.cli import main


def test_set_show_and_unset(capsys):
    assert main(["config", "monthly_limit", "1000"]) == 0
    assert settings_module.load().monthly_limit == 1000
    assert main(["config", "fields", "name, ΔΟΥ ,status"]) == 0
    assert settings_module.load().fields == ("name", "doy", "status")
    assert main(["config", "caller_afm", "EL094014201"]) == 0
    assert settings_module.load().caller_afm == "094014201"
    capsys.readouterr()
    assert main(["config", "monthly_limit"]) == 0
    assert capsys.readouterr().out.strip() == "1000"
    assert main(["config", "--unset", "monthly_limit"]) == 0
    assert settings_module.load().monthly_limit == 10000
    assert main(["config", "daily_limit", "off"]) == 0
    assert settings_module.load().daily_limit is None
    assert main(["config"]) == 0
    assert "caller_afm" in capsys.readouterr().out


def test_bad_values_are_refused_and_nothing_changes(capsys):
    for key, value in [("concurrency", "many"), ("caller_afm", "123456789"), ("fields", "name,nope"),
                       ("timeout", "-5"), ("language", "fr"), ("password", "x")]:
        assert main(["config", key, value]) == 2, key
    assert settings_module.load() == settings_module.Settings()
    assert not settings_module.settings_path().exists()
