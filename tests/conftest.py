"""Shared fixtures: an isolated AFM_XL_HOME, an in-memory keyring, and a running emulator."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
sys.path.insert(0, str(TESTS_DIR))  # for memory_keyring (a test-only keyring backend)

ENV_VARS = ("AFM_XL_USERNAME", "AFM_XL_PASSWORD", "AFM_XL_ENDPOINT", "AFM_XL_HOME")


@pytest.fixture(autouse=True)
def afm_home(tmp_path, monkeypatch):
    """Every test gets its own AFM_XL_HOME, no codes in the environment, and an empty keyring."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "afm-home"
    monkeypatch.setenv("AFM_XL_HOME", str(home))
    from afm_xl import credentials

    credentials.default_store().set_session(None)  # no codes kept in memory by an earlier test
    try:
        import keyring
        from memory_keyring import MemoryKeyring
    except ImportError:  # pragma: no cover - the test backend is part of the suite
        yield home
        return
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield home
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def emulator():
    """A fresh emulator on a free loopback port, stopped after the test."""
    from afm_xl.emulator.server import Emulator

    with Emulator(seed=1234) as emu:
        yield emu


@pytest.fixture
def demo_credentials():
    from afm_xl.credentials import Credentials
    from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME

    return Credentials(DEMO_USERNAME, DEMO_PASSWORD)


@pytest.fixture
def client(emulator, demo_credentials):
    """A GsisClient for the demo codes against the emulator (no backoff sleeps)."""
    from afm_xl.gsis.client import GsisClient

    return GsisClient(demo_credentials, endpoint=emulator.url, timeout=5, backoff=0)


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for running ``python -m afm_xl`` in a subprocess."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["AFM_XL_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(TESTS_DIR)])
    env.update(extra)
    return env
