"""Reading inputs for ``lookup`` and ``validate``: arguments, or one per line from a file or stdin."""

from __future__ import annotations

import sys


def read_inputs(arguments: list[str], file: str | None) -> list[str] | None:
    """Arguments plus the lines of ``file`` (``-`` = stdin; blank lines skipped).

    Returns ``None`` (after printing why) on a usage error: no inputs, unreadable file.
    """
    values = list(arguments)
    if file:
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8-sig") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"afm-xl: cannot read {file}: {exc}", file=sys.stderr)
            return None
        values.extend(line.strip("\r\n") for line in text.splitlines() if line.strip())
    if not values:
        print("afm-xl: no inputs: give AFMs as arguments or --file PATH", file=sys.stderr)
        return None
    return values
