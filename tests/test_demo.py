"""``afm-xl demo``: a filled workbook in seconds, with no codes, no network, and nothing left behind."""

from __future__ import annotations

import subprocess
import sys

from openpyxl import load_workbook

from afm_xl.demo import sample_values
from conftest import cli_env


def test_demo_writes_a_filled_workbook_and_touches_nothing_else(tmp_path, afm_home):
    env = cli_env(afm_home)
    run = subprocess.run(
        [sys.executable, "-m", "afm_xl", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    book_path = tmp_path / "afm-xl-demo.xlsx"
    assert str(book_path.resolve()) in run.stdout
    sheet = load_workbook(book_path)["Πελάτες"]
    header = [c.value for c in sheet[1]]
    status_col = header.index("Κατάσταση") + 1
    statuses = [sheet.cell(row, status_col).value for row in range(2, 2 + len(sample_values()))]
    assert statuses.count("OK") >= 15
    for expected in ("Μη έγκυρος ΑΦΜ", "Δεν βρέθηκε", "Όχι επιτηδευματίας", "Απενεργοποιημένος ΑΦΜ"):
        assert expected in statuses
    names = {sheet.cell(row, 2).value for row in range(2, 40)}
    assert "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ" in names
    # the user's AFM_XL_HOME (cache, settings) and keyring are untouched
    assert not afm_home.exists() or not any(afm_home.rglob("*"))
    # a second run never overwrites the first workbook
    before = book_path.read_bytes()
    again = subprocess.run(
        [sys.executable, "-m", "afm_xl", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "afm-xl-demo-1.xlsx").exists() and book_path.read_bytes() == before


def test_demo_sample_has_every_kind():
    values = sample_values()
    assert 25 <= len(values) <= 40
    assert any(isinstance(v, int) for v in values)  # one stored as a number
    assert len({str(v) for v in values}) < len(values)  # duplicates
