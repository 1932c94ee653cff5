"""``afm-xl status``: where the codes come from, the cache, and calls against the limits."""

from __future__ import annotations

import json
import sys


def add_parser(sub) -> None:
    p = sub.add_parser("status", help="show codes source, cache and call counts (never the password)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import settings as settings_module
    from ..credentials import describe_source, load
    from ..engine.cache import Cache
    from ..engine.quota import Quota
    from ..lookups import resolve_endpoint

    settings = settings_module.load()
    credentials, source = load()
    cache = Cache.open(settings)
    try:
        cache_stats = cache.stats()
        quota = Quota(cache, settings)
        usage = quota.usage(credentials.username) if credentials else None
    finally:
        cache.close()
    report = {
        "credentials": {"source": source, "username": credentials.username if credentials else None},
        "endpoint": resolve_endpoint(None, settings) or "AADE (https://www1.gsis.gr/wsaade/RgWsPublic2/RgWsPublic2)",
        "caller_afm": settings.caller_afm,
        "settings_file": str(settings_module.settings_path()),
        "cache": cache_stats,
        "calls": usage,
    }
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    print(f"Κωδικοί (codes):      {describe_source()}")
    print(f"Υπηρεσία (endpoint):  {report['endpoint']}")
    print(f"ΑΦΜ καλούντος:        {settings.caller_afm or '—'}")
    print(f"Ρυθμίσεις:            {report['settings_file']}")
    print(
        f"Cache:                {cache_stats.get('entries', 0)} εγγραφές, "
        f"{cache_stats.get('size_bytes', 0) / 1024:.0f} KiB, παλαιότερη {cache_stats.get('oldest') or '—'} "
        f"({cache_stats.get('path')})"
    )
    if usage:
        daily = usage.get("daily_limit")
        monthly = usage.get("monthly_limit")
        print(f"Κλήσεις σήμερα:       {usage['today']}" + (f" / {daily}" if daily else " (χωρίς ημερήσιο όριο)"))
        print(f"Κλήσεις αυτόν τον μήνα: {usage['month']}" + (f" / {monthly}" if monthly else ""))
    else:
        print("Κλήσεις:              — (δεν υπάρχουν κωδικοί)")
    return 0
