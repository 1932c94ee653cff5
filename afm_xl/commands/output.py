"""Printing results (table, JSON, CSV) and the progress bar, shared by the commands."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from typing import IO, Iterator, Sequence

from ..result import LookupResult

CSV_KEYS = (
    "input", "afm", "status", "source", "name", "commercial_title", "legal_form", "natural_person",
    "active", "firm_type", "street", "street_number", "address", "postal_code", "city", "doy_code",
    "doy_name", "registration_date", "stop_date", "normal_vat", "main_activity_code", "main_activity",
    "activities", "as_on_date", "call_seq_id", "fetched_at", "error_code", "message",
)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A CSV cell that Excel will not run as a formula (OWASP CSV injection).

    >>> csv_safe('=1+1'), csv_safe('ΑΘΗΝΑ'), csv_safe(None), csv_safe(True)
    ("'=1+1", 'ΑΘΗΝΑ', '', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_DANGEROUS) else text


def _csv_row(result: LookupResult) -> list[str]:
    data = result.to_json()
    main = data.pop("main_activity") or {}
    data["main_activity_code"] = main.get("code")
    data["main_activity"] = main.get("description")
    data["activities"] = "; ".join(
        " ".join(p for p in (a["code"], a["description"]) if p) for a in data["activities"]
    )
    return [csv_safe(data.get(key)) for key in CSV_KEYS]


def print_results(results: Sequence[LookupResult], fmt: str, stream: IO[str]) -> None:
    if fmt == "json":
        json.dump([r.to_json() for r in results], stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(CSV_KEYS)
        writer.writerows(_csv_row(r) for r in results)
        return
    from ..fields import status_text

    for r in results:
        record = r.record
        parts = [str(r.input), r.afm or "-", status_text(r)]
        if record is not None:
            parts += [record.name or "", record.address or "", record.doy_name or ""]
        stream.write("\t".join(parts) + "\n")


def print_quota_hint(error: BaseException, stream: IO[str] | None = None) -> None:
    """After afm-xl's own limit refused a batch: how to go on anyway, or change the limit."""
    from ..errors import QuotaRefused

    if isinstance(error, QuotaRefused):
        print(
            "afm-xl: --force για να συνεχίσετε παρ' όλα αυτά, ή αλλάξτε το όριο: "
            "afm-xl config monthly_limit N / afm-xl config daily_limit N",
            file=stream or sys.stderr,
        )


@contextlib.contextmanager
def progress_bar(total: int, *, quiet: bool = False, stream: IO[str] | None = None) -> Iterator:
    """A ``progress(done, total, calls)`` callback drawing a tqdm bar on stderr.

    Silent (a no-op callback) with ``quiet``, for one input, or when stderr is not a terminal.
    """
    stream = stream or sys.stderr
    if quiet or total < 2 or not getattr(stream, "isatty", lambda: False)():
        yield None
        return
    bars: list = []  # made at the first update, so a credentials prompt is not drawn over

    def update(done: int, total_: int, calls: int) -> None:
        if not bars:
            from tqdm import tqdm

            bars.append(tqdm(total=total_, file=stream, unit="ΑΦΜ", leave=False, dynamic_ncols=True))
        bar = bars[0]
        bar.total = total_
        bar.n = done
        bar.set_postfix_str(f"κλήσεις {calls}", refresh=False)
        bar.refresh()

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()
