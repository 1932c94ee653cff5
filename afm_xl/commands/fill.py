"""``afm-xl fill BOOK``: fill a workbook file's columns from its AFM column (no Excel needed).

The same fill engine as the ribbon button (:mod:`afm_xl.fill`) over an
openpyxl worksheet (:mod:`afm_xl.sheets.workbook`). The file is checked
(format, open in Excel, parts openpyxl would drop) before any code is asked
for; it is written atomically, and only when something changed.

Exit codes: 0 done and every AFM got an answer; 1 a file problem, or some rows
got no answer (status «Σφάλμα»); 2 usage; 3 codes missing or refused (nothing
written); 4 a call limit stopped the batch (the rows answered before it are written).
"""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    p = sub.add_parser(
        "fill",
        help="fill a workbook's columns from its AFM column",
        description="Συμπλήρωση βιβλίου Excel από τη στήλη ΑΦΜ: Επωνυμία, Διεύθυνση, ΤΚ, Περιοχή, ΔΟΥ, Κατάσταση "
        "(ή όσες στήλες ονομάζουν οι επικεφαλίδες του φύλλου). Κελιά με τιμές δεν αλλάζουν χωρίς --overwrite. "
        "Fill a workbook's columns from its AFM column; cells holding values are kept unless --overwrite.",
    )
    p.add_argument("book", metavar="BOOK", help="the workbook (.xlsx, .xlsm, .xltx, .xltm)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet (default: the first with an ΑΦΜ header)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--column", metavar="LETTER", help="the AFM column, e.g. A")
    where.add_argument("--header", metavar="TEXT", help="the AFM column's header (default: ΑΦΜ, Α.Φ.Μ., AFM)")
    p.add_argument("-o", "--output", metavar="PATH", help="write a filled copy here (default: fill in place)")
    p.add_argument("--overwrite", action="store_true", help="replace values already in the target cells")
    p.add_argument(
        "--fields",
        metavar="LIST",
        help="comma-separated fields, keys or Greek headers (e.g. name,doy,status); "
        "default: the fields the sheet's headers name, else the settings' or the standard list",
    )
    p.add_argument("--endpoint", metavar="URL", help="service URL (default: $AFM_XL_ENDPOINT, settings, AADE)")
    p.add_argument("--force", action="store_true", help="go on even if the fill exceeds afm-xl's call limits")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _print_report(job, report, saved, *, stream=None) -> None:
    from ..fields import FIELDS
    from ..sheets.port import column_letter

    stream = stream or sys.stdout
    block = job.sheet.block
    worksheet = job.sheet.worksheet
    print(
        f"Φύλλο «{worksheet.title}», στήλη ΑΦΜ {column_letter(block.column)} "
        f"(γραμμές {block.row}–{block.last_row}{', με επικεφαλίδα' if report.header else ''})",
        file=stream,
    )
    if report.columns:
        print("Στήλες: " + ", ".join(f"{FIELDS[k].header} → {c}" for k, c in report.columns.items()), file=stream)
    rows = [
        ("Συμπληρώθηκαν", report.filled, f"απενεργοποιημένοι: {report.deactivated}" if report.deactivated else ""),
        ("Κρατήθηκαν κελιά", report.kept, "είχαν ήδη τιμή· --overwrite για αντικατάσταση" if report.kept else ""),
        ("Μη έγκυροι ΑΦΜ", report.invalid, ""),
        ("Δεν βρέθηκαν", report.not_found, ""),
        ("Όχι επιτηδευματίες", report.not_business, ""),
        ("Σφάλματα", report.failed, ""),
        ("Κενά κελιά", report.skipped, ""),
        ("Κλήσεις υπηρεσίας", report.calls, ""),
    ]
    for label, count, note in rows:
        print(f"  {label + ':':<21}{count:>6}" + (f"  ({note})" if note else ""), file=stream)
    if saved is not None:
        print(f"Αποθηκεύτηκε: {saved}", file=stream)
    else:
        print("Καμία αλλαγή: το αρχείο δεν γράφτηκε.", file=stream)


def run(args) -> int:
    from .. import settings as settings_module
    from ..errors import AfmXlError
    from ..fields import DEFAULT_FIELDS, parse_fields
    from ..lookups import lookup_values
    from ..prompts import choose_prompt, stdin_is_terminal
    from ..sheets.workbook import WorkbookFill
    from .output import print_quota_hint, progress_bar

    try:
        fields = parse_fields(args.fields) if args.fields else None
    except ValueError as exc:
        print(f"afm-xl: {exc}", file=sys.stderr)
        return 2
    settings = settings_module.load()

    job = WorkbookFill.open(
        args.book, sheet=args.sheet, column=args.column, header=args.header, output=args.output
    )
    if job.losses:
        print(
            "afm-xl: το αντίγραφο δεν θα έχει: " + "; ".join(job.losses) + " (το αρχικό αρχείο δεν αλλάζει)",
            file=sys.stderr,
        )

    def lookup(values, progress):
        with progress_bar(len(values), quiet=args.quiet) as bar:

            def both(done: int, total: int, calls: int) -> None:
                progress(done, total, calls)
                if bar is not None:
                    bar(done, total, calls)

            prompt = choose_prompt("console") if stdin_is_terminal() else None
            return lookup_values(
                values, prompt=prompt, settings=settings, endpoint=args.endpoint, progress=both,
                force=getattr(args, "force", False),
            )

    report = job.run(
        lookup, fields, overwrite=args.overwrite, default_fields=settings.fields or DEFAULT_FIELDS
    )
    if report.rows == 0:
        from ..sheets.port import column_letter

        letter = column_letter(job.sheet.block.column)
        print(
            f"afm-xl: δεν βρέθηκαν ΑΦΜ στη στήλη {letter} του φύλλου «{job.sheet.worksheet.title}»; "
            "το αρχείο δεν άλλαξε",
            file=sys.stderr,
        )
        return 1
    saved = job.save()
    _print_report(job, report, saved)
    for warning in report.warnings:
        print(f"afm-xl: {warning}", file=sys.stderr)
    if report.error is not None:
        error: AfmXlError = report.error
        print(f"afm-xl: {error}", file=sys.stderr)
        print_quota_hint(error)
        return error.exit_code
    return 1 if report.failed else 0
