"""``afm-xl emulator``: run the local RgWsPublic2 emulator until interrupted."""

from __future__ import annotations

import argparse
import sys


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_parser(sub) -> None:
    p = sub.add_parser(
        "emulator",
        help="run a local emulator of the service (demo codes AFMXLDEMO01 / Demo!Pass2026)",
        description="Run a local emulator of RgWsPublic2. The first line of output is the endpoint URL. "
        "Demo codes: username AFMXLDEMO01, password Demo!Pass2026.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default 0: a free port)")
    p.add_argument("--latency-ms", type=float, default=0.0, help="delay every call by this much")
    p.add_argument("--jitter-ms", type=float, default=0.0, help="add a random delay up to this much")
    p.add_argument("--fail-rate", type=_probability, default=0.0, help="probability of a random HTTP 5xx")
    p.add_argument("--daily-limit", type=_count, help="calls per user per day (default: no limit)")
    p.add_argument("--monthly-limit", type=_count, help="calls per user per month (default: no limit)")
    p.add_argument("--failures-tolerated", type=_count, help="failed calls before the lock-out (default: off)")
    p.add_argument("--seed", type=int, help="seed for the random knobs")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..emulator.server import DEMO_PASSWORD, DEMO_USERNAME, Emulator

    try:
        emu = Emulator(
            args.host, args.port, latency_ms=args.latency_ms, jitter_ms=args.jitter_ms,
            fail_rate=args.fail_rate, daily_limit=args.daily_limit, monthly_limit=args.monthly_limit,
            failures_tolerated=args.failures_tolerated, seed=args.seed,
        )
    except OSError as exc:
        print(f"afm-xl: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(emu.url, flush=True)
    print(
        f"afm-xl emulator: demo codes {DEMO_USERNAME} / {DEMO_PASSWORD}; "
        f"stats at {emu.base_url}/_emulator/stats; Ctrl+C to stop",
        file=sys.stderr, flush=True,
    )
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0
