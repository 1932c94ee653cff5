"""``afm-xl cache``: what the lookup cache holds (``stats``) and emptying it (``clear``)."""

from __future__ import annotations

import argparse
import json
import sys


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from None
    if not 0 <= value < 100_000:
        raise argparse.ArgumentTypeError(f"days must be 0 or more: {text!r}")
    return value


def add_parser(sub) -> None:
    p = sub.add_parser("cache", help="show or clear the lookup cache")
    actions = p.add_subparsers(dest="cache_action", metavar="ACTION")
    stats = actions.add_parser("stats", help="entries, size, oldest/newest, path")
    stats.add_argument("--json", action="store_true", help="print a JSON object")
    clear = actions.add_parser("clear", help="remove cached answers")
    clear.add_argument("--older-than", type=_days, metavar="DAYS",
                       help="only those fetched more than DAYS days ago")
    p.set_defaults(func=run, cache_parser=p)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "—"


def run(args) -> int:
    from .. import settings as settings_module
    from ..engine.cache import Cache

    if args.cache_action not in ("stats", "clear"):
        args.cache_parser.print_help(sys.stderr)
        return 2
    settings = settings_module.load()
    cache = Cache.open(settings)
    try:
        for text in cache.warnings:
            print(f"afm-xl: {text}", file=sys.stderr)
        if args.cache_action == "clear":
            removed = cache.clear(args.older_than)
            scope = "" if args.older_than is None else f" (παλαιότερες από {args.older_than:g} ημέρες)"
            print(f"Διαγράφηκαν {removed} εγγραφές{scope}. / {removed} entries removed.")
            return 0
        stats = cache.stats()
        if args.json:
            json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        print(f"Αρχείο / path:          {stats['path']}")
        print(f"Εγγραφές / entries:     {stats['entries']} (ok {stats['ok']}, "
              f"αρνητικές / negative {stats['negative']}, ληγμένες / expired {stats['expired']})")
        print(f"Μέγεθος / size:         {_size(stats['size_bytes'])}")
        print(f"Παλαιότερη / oldest:    {_when(stats['oldest'])}")
        print(f"Νεότερη / newest:       {_when(stats['newest'])}")
        print(f"Διάρκεια / TTL:         {settings.cache_ttl_days:g} ημέρες "
              f"(αρνητικές {settings.negative_ttl_days:g})")
        return 0
    finally:
        cache.close()  # the connections only; a later use reopens them
