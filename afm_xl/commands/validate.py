"""``afm-xl validate``: check AFMs offline (checksum and format, no service call)."""

from __future__ import annotations

import json
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="check AFMs offline (no service call)")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="AFMs as typed in cells")
    p.add_argument("--file", metavar="PATH", help="read one input per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print a JSON array [{input, afm, valid, reason}]")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..afm import normalise, reason_text
    from .inputs import read_inputs

    values = read_inputs(args.inputs, args.file)
    if values is None:
        return 2
    rows = []
    for value in values:
        afm, reason = normalise(value)
        rows.append({"input": value, "afm": afm, "valid": afm is not None, "reason": reason})
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for row in rows:
            verdict = "OK" if row["valid"] else f"ΜΗ ΕΓΚΥΡΟΣ ({reason_text(row['reason'])}, {row['reason']})"
            print(f"{row['input']}\t{row['afm'] or ''}\t{verdict}")
    return 0
