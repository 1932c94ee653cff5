"""The ``afm-xl`` command: argument parsing, exit codes, error display.

Exit codes: 0 every input got an answer (whatever its status), 1 other failures,
2 usage errors, 3 authentication (codes missing or refused), 4 quota.
Messages go to stderr; an expected failure never shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from . import __version__
from .commands import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="afm-xl",
        description="Συμπλήρωση στοιχείων από ΑΦΜ (ΑΑΔΕ RgWsPublic2) — fill registry data from Greek AFMs.",
    )
    parser.add_argument("--version", action="version", version=f"afm-xl {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__package__}.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.commands.{name}":
                continue  # a command not built yet
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .errors import AfmXlError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="afm-xl: %(levelname)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except AfmXlError as exc:
        print(f"afm-xl: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("afm-xl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
