"""``afm-xl config``: show or change the non-secret settings (``settings.json``).

``afm-xl config`` lists every key; ``afm-xl config KEY`` shows one;
``afm-xl config KEY VALUE`` sets it (checked as afm-xl reads it);
``afm-xl config --unset KEY`` puts the default back. Passwords are not
settings: use ``afm-xl login``.
"""

from __future__ import annotations

import dataclasses
import json
import sys


def add_parser(sub) -> None:
    p = sub.add_parser(
        "config",
        help="show or change settings (limits, fields, caller AFM, endpoint …)",
        description="Show or change afm-xl's settings, e.g. `afm-xl config monthly_limit 1000` "
        "(natural persons have 1,000 calls a month), `afm-xl config fields name,doy,status`.",
    )
    p.add_argument("key", nargs="?", metavar="KEY", help="a setting's name")
    p.add_argument("value", nargs="?", metavar="VALUE", help="the new value")
    p.add_argument("--unset", action="store_true", help="put KEY back to its default")
    p.set_defaults(func=run)


def _show(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    return "—" if value is None else str(value)


def run(args) -> int:
    from .. import settings as settings_module
    from ..settings import Settings, _coerce

    current = settings_module.load()
    names = [f.name for f in dataclasses.fields(Settings)]
    if args.key is None:
        for name in names:
            print(f"{name:<18} {_show(getattr(current, name))}")
        print(f"({settings_module.settings_path()})", file=sys.stderr)
        return 0
    if args.key not in names:
        print(f"afm-xl: unknown setting {args.key!r}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    if args.unset:
        setattr(current, args.key, getattr(Settings(), args.key))
    elif args.value is None:
        print(_show(getattr(current, args.key)))
        return 0
    else:
        raw = args.value
        if args.key in ("monthly_limit", "daily_limit") and raw.lower() in ("none", "off", "-"):
            raw = None
        try:
            setattr(current, args.key, _coerce(args.key, raw))
        except (TypeError, ValueError) as exc:
            print(f"afm-xl: invalid value for {args.key}: {exc}", file=sys.stderr)
            return 2
    path = settings_module.save(current)
    print(f"{args.key} = {_show(getattr(current, args.key))}  ({path})")
    return 0
