"""``afm-xl login`` / ``logout`` in real subprocesses against the emulator, and the secrets test.

The subprocesses use ``PYTHON_KEYRING_BACKEND=memory_keyring.FileKeyring``: a
test-only stand-in for the OS keyring, kept in a JSON file *outside*
``AFM_XL_HOME`` so each process sees what the previous one stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from afm_xl.credentials import SERVICE, USERNAME_KEY, CredentialStore
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from conftest import ROOT, cli_env
from memory_keyring import FILE_ENV, FileKeyring

WRONG = "Wrong!Pass2026"
NOT_AUTHENTICATED = "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"


class Cli:
    """Runs ``python -m afm_xl`` with an isolated home and a file-backed test keyring."""

    def __init__(self, home: Path, keyring_file: Path, backend: str = "memory_keyring.FileKeyring"):
        self.home = home
        self.keyring_file = keyring_file
        self.env = cli_env(home, PYTHON_KEYRING_BACKEND=backend, **{FILE_ENV: str(keyring_file)})
        for name in ("DISPLAY", "WAYLAND_DISPLAY"):
            self.env.pop(name, None)
        #: every stdout/stderr text seen, for the secrets test
        self.transcript: list[str] = []

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [sys.executable, "-m", "afm_xl", *args],
            input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True, text=True, env={**self.env, **env}, cwd=ROOT, timeout=60,
        )
        self.transcript += [proc.stdout, proc.stderr]
        return proc

    def login(self, emulator, password: str = DEMO_PASSWORD, *extra: str, username: str = DEMO_USERNAME):
        return self("login", "--username", username, "--password-stdin", "--endpoint", emulator.url, *extra,
                    stdin=password + "\n")

    def keyring_entries(self) -> dict[tuple[str, str], str]:
        if not self.keyring_file.exists():
            return {}
        rows = json.loads(self.keyring_file.read_text(encoding="utf-8"))
        return {(service, user): password for service, user, password in rows if service == SERVICE}


@pytest.fixture
def cli(afm_home, tmp_path):
    return Cli(afm_home, tmp_path / "os-keyring.json")


def test_login_with_password_stdin_verifies_with_one_call_and_saves(cli, emulator):
    proc = cli.login(emulator, DEMO_PASSWORD, username="afmxldemo01")
    assert proc.returncode == 0, proc.stderr
    assert DEMO_USERNAME in proc.stdout
    assert cli.keyring_entries() == {
        (SERVICE, USERNAME_KEY): DEMO_USERNAME, (SERVICE, DEMO_USERNAME): DEMO_PASSWORD,
    }
    stats = emulator.stats()
    assert stats["total_calls"] == 1
    assert stats["calls_by_afm"] == {"090000045": 1}


def test_saved_codes_are_seen_by_other_processes(cli, emulator, monkeypatch):
    assert cli.login(emulator).returncode == 0
    monkeypatch.setenv(FILE_ENV, str(cli.keyring_file))
    keyring.set_keyring(FileKeyring())  # what the next afm-xl process would read
    assert CredentialStore().describe_source() == f"keyring ({DEMO_USERNAME})"


def test_wrong_password_exits_3_and_saves_nothing(cli, emulator):
    proc = cli.login(emulator, WRONG)
    assert proc.returncode == 3
    assert "Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος." in proc.stderr
    assert "Δεν αποθηκεύτηκε τίποτα" in proc.stderr
    assert cli.keyring_entries() == {}
    assert emulator.stats()["calls_by_error_code"] == {NOT_AUTHENTICATED: 1}


def test_a_failed_login_keeps_the_previous_codes(cli, emulator):
    assert cli.login(emulator).returncode == 0
    assert cli.login(emulator, WRONG).returncode == 3
    assert cli.keyring_entries()[(SERVICE, DEMO_USERNAME)] == DEMO_PASSWORD


def test_unreachable_service_exits_1_and_saves_nothing(cli, unused_url):
    proc = cli("login", "--username", DEMO_USERNAME, "--password-stdin", "--endpoint", unused_url,
               stdin=DEMO_PASSWORD + "\n")
    assert proc.returncode == 1
    assert "Δεν αποθηκεύτηκε τίποτα" in proc.stderr
    assert cli.keyring_entries() == {}


def test_endpoint_from_the_environment(cli, emulator):
    proc = cli("login", "--username", DEMO_USERNAME, "--password-stdin", stdin=DEMO_PASSWORD + "\n",
               AFM_XL_ENDPOINT=emulator.url)
    assert proc.returncode == 0, proc.stderr
    assert emulator.stats()["total_calls"] == 1


def test_caller_afm_is_verified_and_saved_to_settings(cli, emulator):
    proc = cli.login(emulator, DEMO_PASSWORD, "--caller-afm", "EL094014201")
    assert proc.returncode == 0, proc.stderr
    assert emulator.stats()["calls_by_afm"] == {"094014201": 1}
    settings = json.loads((cli.home / "config" / "settings.json").read_text(encoding="utf-8"))
    assert settings["caller_afm"] == "094014201"


def test_a_refused_caller_afm_exits_3(cli, emulator):
    proc = cli.login(emulator, DEMO_PASSWORD, "--caller-afm", "090165560")  # authorised nobody
    assert proc.returncode == 3
    assert cli.keyring_entries() == {}
    assert not (cli.home / "config" / "settings.json").exists()


@pytest.mark.parametrize(
    "args, stdin, words",
    [
        (["--caller-afm", "123456789", "--username", DEMO_USERNAME, "--password-stdin"], DEMO_PASSWORD + "\n",
         "ΑΦΜ εντολέα"),
        (["--password-stdin"], DEMO_PASSWORD + "\n", "--username"),
        (["--username", DEMO_USERNAME, "--password-stdin"], "\n", "κωδικός"),
        (["--username", DEMO_USERNAME], None, "--password-stdin"),  # stdin is not a terminal
    ],
    ids=["bad-caller-afm", "no-username", "empty-password", "not-a-terminal"],
)
def test_usage_errors_exit_2_without_a_call(cli, emulator, args, stdin, words):
    proc = cli("login", "--endpoint", emulator.url, *args, stdin=stdin)
    assert proc.returncode == 2
    assert words in proc.stderr
    assert emulator.stats()["total_calls"] == 0


def read_until(fd: int, text: str, timeout: float = 30.0) -> str:
    """Read a pseudo-terminal until ``text`` shows up (or the process ends); returns what was read."""
    import os
    import select
    import time

    data = b""
    deadline = time.monotonic() + timeout
    while text not in data.decode("utf-8", "replace") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            data += chunk
    return data.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_interactive_login_on_a_terminal_asks_without_echo(cli, emulator):
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "afm_xl", "login", "--endpoint", emulator.url],
        stdin=slave, stdout=slave, stderr=slave, env=cli.env, cwd=ROOT, start_new_session=True,
    )
    os.close(slave)
    try:
        screen = read_until(master, "Όνομα χρήστη")
        assert "TAXISnet" in screen and "wspublicreg" in screen
        os.write(master, b"afmxldemo01\n")
        screen += read_until(master, "Κωδικός πρόσβασης")
        os.write(master, DEMO_PASSWORD.encode() + b"\n")
        screen += read_until(master, "αποθηκεύτηκαν")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert DEMO_PASSWORD not in screen  # getpass turned the echo off
    assert cli.keyring_entries()[(SERVICE, DEMO_USERNAME)] == DEMO_PASSWORD


def test_logout(cli, emulator):
    assert cli.login(emulator).returncode == 0
    proc = cli("logout")
    assert proc.returncode == 0
    assert "διαγράφηκαν" in proc.stdout
    assert cli.keyring_entries() == {}
    again = cli("logout")
    assert again.returncode == 0
    assert "Δεν υπήρχαν αποθηκευμένοι κωδικοί" in again.stdout


def test_without_a_keyring_login_says_so_and_writes_nothing(afm_home, tmp_path, emulator):
    cli = Cli(afm_home, tmp_path / "unused.json", backend="keyring.backends.fail.Keyring")
    proc = cli.login(emulator)
    assert proc.returncode == 1
    assert "δεν αποθηκεύτηκαν" in proc.stderr and "keyring" in proc.stderr
    assert "keyrings.alt" not in proc.stderr
    assert not [p for p in afm_home.rglob("*") if p.is_file()]
    proc = cli("logout")
    assert proc.returncode == 0 and "Δεν υπήρχαν" in proc.stdout


def test_non_interactive_lookup_without_codes_says_how_to_log_in(cli, emulator):
    proc = cli("lookup", "090000045", "--endpoint", emulator.url, "-q")
    assert proc.returncode == 3
    assert "afm-xl login" in proc.stderr and "AFM_XL_USERNAME" in proc.stderr
    assert emulator.stats()["total_calls"] == 0


def test_lookup_uses_the_codes_saved_by_login(cli, emulator):
    assert cli.login(emulator).returncode == 0
    proc = cli("lookup", "094014201", "--endpoint", emulator.url, "--json", "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["status"] == "ok"


def test_the_password_reaches_no_file_and_no_output(cli, emulator):
    """login (verbose) + a wrong password + a lookup + logout: the secrets stay secret."""
    assert cli("-v", "login", "--username", DEMO_USERNAME, "--password-stdin", "--endpoint", emulator.url,
               stdin=DEMO_PASSWORD + "\n").returncode == 0
    assert cli("-v", "login", "--username", DEMO_USERNAME, "--password-stdin", "--endpoint", emulator.url,
               stdin=WRONG + "\n").returncode == 3
    cli("-v", "lookup", "094014201", "--endpoint", emulator.url, "-q")
    cli("-v", "status")
    assert cli("-v", "logout").returncode == 0
    assert not cli.keyring_file.is_relative_to(cli.home)

    for secret in (DEMO_PASSWORD, WRONG):
        for text in cli.transcript:
            assert secret not in text
        if cli.home.exists():
            for path in cli.home.rglob("*"):
                if path.is_file():
                    data = path.read_bytes()
                    assert secret.encode("utf-8") not in data, path
                    assert secret.encode("utf-16-le") not in data, path


@pytest.fixture
def unused_url():
    """An endpoint where nothing listens (a port that was just free)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/wsaade/RgWsPublic2/RgWsPublic2"
