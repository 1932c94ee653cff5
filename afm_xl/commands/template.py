"""``afm-xl template``: write an empty customer or supplier workbook ready for ``afm-xl fill``."""

from __future__ import annotations

import argparse
from pathlib import Path

KINDS = ("customers", "suppliers")  # the keys of afm_xl.templates.KINDS, without importing openpyxl


def add_parser(sub) -> None:
    p = sub.add_parser(
        "template",
        help="write a template workbook (customers or suppliers)",
        description="Write a template workbook: an AFM column checked as you type, "
        "the columns afm-xl fills, a ΔΟΥ sheet and instructions in Greek.",
    )
    p.add_argument("kind", choices=KINDS, help="which template")
    p.add_argument(
        "-o",
        "--output",
        type=_output_path,
        metavar="PATH",
        help="the .xlsx file to write, or a folder (default: ./KIND.xlsx)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=run)


def _output_path(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_dir() and path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"το αρχείο πρέπει να έχει κατάληξη .xlsx: {value}")
    return path


def target_path(kind: str, output: Path | None) -> Path:
    """Where ``afm-xl template KIND [-o OUTPUT]`` writes.

    >>> target_path("customers", None).name
    'customers.xlsx'
    >>> target_path("suppliers", Path("out/list.xlsx")).as_posix()
    'out/list.xlsx'
    """
    if output is None:
        return Path.cwd() / f"{kind}.xlsx"
    if output.is_dir():
        return output / f"{kind}.xlsx"
    return output


def run(args) -> int:
    from ..errors import AfmXlError
    from ..templates import write_template

    path = target_path(args.kind, args.output)
    if path.exists() and not args.force:
        raise AfmXlError(f"το αρχείο υπάρχει ήδη: {path} (δώστε --force για αντικατάσταση)")
    if not path.parent.is_dir():
        raise AfmXlError(f"ο φάκελος δεν υπάρχει: {path.parent}")
    try:
        written = write_template(args.kind, path)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        if isinstance(exc, PermissionError):
            reason += " (μήπως είναι ανοιχτό στο Excel;)"
        raise AfmXlError(f"δεν ήταν δυνατή η εγγραφή του {path}: {reason}") from None
    print(written.resolve())
    return 0
