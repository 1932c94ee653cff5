"""``afm-xl lookup``: look AFMs up in the registry (through the cache and the batch engine)."""

from __future__ import annotations

import argparse
import datetime
import json
import sys


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected YYYY-MM-DD") from None


def _concurrency(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 16:
        raise argparse.ArgumentTypeError("must be between 1 and 16")
    return value


def add_parser(sub) -> None:
    p = sub.add_parser(
        "lookup",
        help="look AFMs up in the AADE registry",
        description="Look AFMs up in the AADE registry (RgWsPublic2). Invalid inputs and duplicates cost no "
        "call; answers are cached. Exit 0 when every input got an answer, 3 on an authentication error, "
        "4 on a quota error, 1 on other failures.",
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="AFMs as typed in cells")
    p.add_argument("--file", metavar="PATH", help="read one input per line ('-' for stdin)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print a JSON array, one object per input")
    fmt.add_argument("--csv", action="store_true", help="print CSV, one row per input")
    p.add_argument("--as-on", type=_date, metavar="YYYY-MM-DD", help="registry data as on that date")
    p.add_argument("--endpoint", metavar="URL", help="service URL (default: $AFM_XL_ENDPOINT, settings, AADE)")
    p.add_argument("--concurrency", type=_concurrency, metavar="N", help="parallel calls, 1-16 (default 4)")
    cache = p.add_mutually_exclusive_group()
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    cache.add_argument("--refresh", action="store_true", help="ask the service again, then update the cache")
    p.add_argument("--force", action="store_true", help="go on even if the batch exceeds the call limits")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import errors
    from ..lookups import lookup_values
    from ..prompts import choose_prompt, stdin_is_terminal
    from .inputs import read_inputs
    from .output import print_quota_hint, print_results, progress_bar

    values = read_inputs(args.inputs, args.file)
    if values is None:
        return 2
    failure: errors.AfmXlError | None = None
    with progress_bar(len(values), quiet=args.quiet) as progress:
        try:
            results = lookup_values(
                values,
                prompt=choose_prompt("console") if stdin_is_terminal() else None,
                endpoint=args.endpoint,
                concurrency=args.concurrency,
                as_on_date=args.as_on,
                progress=progress,
                force=args.force,
                read_cache=not (args.no_cache or args.refresh),
                write_cache=not args.no_cache,
            )
        except errors.AfmXlError as exc:
            results = getattr(exc, "results", None)
            failure = exc
    if results is not None:
        fmt = "json" if args.json else "csv" if args.csv else "table"
        print_results(results, fmt, sys.stdout)
        for warning in getattr(results, "warnings", ()) or ():
            print(f"afm-xl: {warning}", file=sys.stderr)
    if failure is not None:
        print(f"afm-xl: {failure}", file=sys.stderr)
        print_quota_hint(failure)
        return failure.exit_code
    if any(r.status == "failed" for r in results):
        failed = sum(r.status == "failed" for r in results)
        print(f"afm-xl: {failed} of {len(results)} inputs got no answer (status failed)", file=sys.stderr)
        return 1
    return 0
