"""``afm-xl demo``: the whole product in a few seconds, with no codes and no network.

It starts the emulator in-process on a free loopback port, writes a customers
template holding about 30 AFMs of every kind (valid, duplicated, invalid,
unknown, individuals, deactivated, one stored as a number), fills it through
the same code path as ``afm-xl fill``, and prints what each row got.

Everything the demo writes besides the workbook (cache, quota counters) goes to
a temporary ``AFM_XL_HOME`` that is removed afterwards: emulator data never
reaches the user's real cache, and the keyring is never touched (the demo codes
are passed through the environment of this process only).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

DEFAULT_OUTPUT = "afm-xl-demo.xlsx"
LATENCY_MS = 20.0


def sample_values() -> list[Any]:
    """The demo's AFM column, top to bottom (deterministic)."""
    from .emulator.registry import default_registry

    registry = default_registry()
    existing = [a for a in registry.existing_afms(40) if a not in ("094014201", "090000045", "090165560")]
    deactivated = registry.deactivated_afms(2)
    individuals = registry.individual_afms(2)
    unknown = registry.unknown_afms(2)
    number = next(a for a in existing if a.startswith("0") and a[1] != "0")
    plain = [a for a in existing if a != number][:14]
    return [
        "094014201",  # ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ
        "090000045",  # ΔΕΗ
        "090165560",  # ΥΠΟΥΡΓΕΙΟ ΟΙΚΟΝΟΜΙΚΩΝ
        *plain[:8],
        int(number),  # stored as a number: the leading zero is lost, afm-xl restores it
        "EL" + plain[0],  # a duplicate with the EU prefix
        plain[1][:3] + " " + plain[1][3:6] + " " + plain[1][6:],  # a duplicate with spaces
        "094014201",  # a plain duplicate
        *deactivated,
        *individuals,  # natural persons without business income: «Όχι επιτηδευματίας»
        *unknown,  # valid checksum, not in the registry: «Δεν βρέθηκε»
        "123456789",  # wrong check digit
        "09401420",  # too short… but 8 digits: a lost leading zero, then a wrong check digit
        "ΑΒΓ123",  # letters
        "000000000",  # all zeros
        *plain[8:14],
    ]


@contextlib.contextmanager
def scoped_environ(names: Iterable[str] = (), **values: str) -> Iterator[None]:
    """Set ``values`` in ``os.environ``; on exit restore them and ``names`` as they were.

    >>> with scoped_environ(AFM_XL_DEMO_PROBE="1"):
    ...     os.environ["AFM_XL_DEMO_PROBE"]
    '1'
    >>> "AFM_XL_DEMO_PROBE" in os.environ
    False
    """
    saved = {name: os.environ.get(name) for name in (*names, *values)}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def free_output_path(path: Path) -> Path:
    """``path`` if it does not exist, else ``NAME-1.xlsx``, ``NAME-2.xlsx`` … (never overwrite)."""
    if not path.exists():
        return path
    for number in range(1, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def run_demo(output: str | os.PathLike | None = None, *, stream=None) -> Path:
    """Run the demo; returns the path of the filled workbook."""
    import sys

    from .commands import fill as fill_command
    from .emulator.server import DEMO_PASSWORD, DEMO_USERNAME, Emulator
    from .templates import write_template

    stream = stream or sys.stdout
    target = Path(output) if output else free_output_path(Path(DEFAULT_OUTPUT))
    values = sample_values()
    with tempfile.TemporaryDirectory(prefix="afm-xl-demo-") as home, Emulator(latency_ms=LATENCY_MS) as emulator:
        print(f"Εξομοιωτής ΑΑΔΕ (emulator): {emulator.url}", file=stream)
        write_template("customers", target, rows=values)
        print(f"Πρότυπο «Πελάτες» με {len(values)} ΑΦΜ: {target}", file=stream)
        with scoped_environ(
            AFM_XL_HOME=home, AFM_XL_ENDPOINT=emulator.url,
            AFM_XL_USERNAME=DEMO_USERNAME, AFM_XL_PASSWORD=DEMO_PASSWORD,
        ):
            args = argparse.Namespace(
                book=str(target), sheet=None, column=None, header=None, output=None, overwrite=False,
                fields=None, endpoint=emulator.url, quiet=True,
            )
            code = fill_command.run(args)
        calls = emulator.stats()["total_calls"]
    _print_rows(target, stream)
    print(
        f"\nΚλήσεις στην υπηρεσία: {calls} για {len(values)} γραμμές "
        "(οι διπλότυποι και οι μη έγκυροι ΑΦΜ δεν κοστίζουν κλήση).",
        file=stream,
    )
    print(f"Το βιβλίο γράφτηκε: {target.resolve()}", file=stream)
    if code not in (0, None):
        raise SystemExit(code)
    return target


def _print_rows(path: Path, stream) -> None:
    from openpyxl import load_workbook

    from .fields import FIELDS

    book = load_workbook(path, read_only=True)
    try:
        sheet = book["Πελάτες"]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows)]
        index = {name: header.index(name) for name in header if name}
        wanted = ("ΑΦΜ", FIELDS["status"].header, FIELDS["name"].header, FIELDS["doy"].header)
        print(f"\n{wanted[0]:<14} | {wanted[1]:<22} | {wanted[2]} | {wanted[3]}", file=stream)
        for row in rows:
            if row[index["ΑΦΜ"]] in (None, ""):
                continue
            cells = ["" if row[index[w]] is None else str(row[index[w]]) for w in wanted]
            cells[2] = cells[2][:48]
            print(f"{cells[0]:<14} | {cells[1]:<22} | {cells[2]} | {cells[3]}", file=stream)
    finally:
        book.close()
