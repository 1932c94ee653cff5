"""``afm-xl demo``: fill a sample workbook against the built-in emulator (no codes, no network)."""

from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="fill a sample workbook against a local emulator (no codes, no network)",
        description="Start the emulator, write a customers template with ~30 AFMs of every kind, fill it "
        "as `afm-xl fill` would, and print the result. Writes afm-xl-demo.xlsx (never overwrites a file: "
        "afm-xl-demo-1.xlsx, … when it exists).",
    )
    p.add_argument("-o", "--output", metavar="PATH", help="where to write the workbook (default afm-xl-demo.xlsx)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..demo import run_demo

    if args.output and not args.output.lower().endswith(".xlsx"):
        print("afm-xl: the demo writes an .xlsx workbook; give a name ending in .xlsx", file=sys.stderr)
        return 2
    run_demo(args.output)
    return 0
