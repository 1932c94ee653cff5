"""``afm-xl addin``: build, install or uninstall the Excel add-in ``afm_xl.xlam``.

``build`` writes the file anywhere (default: ``./afm_xl.xlam``); ``install``
builds it into Excel's XLSTART folder (or ``--dir``) with this Python as the
interpreter; ``uninstall`` removes it from there.
"""

from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "addin",
        help="build, install or uninstall the Excel add-in (afm_xl.xlam)",
        description="The Excel add-in afm_xl.xlam: a ribbon tab «ΑΦΜ» whose button fills the columns "
        "to the right of the selected AFMs, and the worksheet functions (Windows).",
    )
    actions = p.add_subparsers(dest="addin_action", metavar="ACTION", required=True)

    build = actions.add_parser("build", help="write afm_xl.xlam (no installation)")
    build.add_argument(
        "-o", "--output", type=Path, default=Path("afm_xl.xlam"), metavar="PATH",
        help="the file (must be named afm_xl.xlam) or an existing folder (default: ./afm_xl.xlam)",
    )
    build.add_argument(
        "--interpreter", metavar="PYTHON",
        help="python(w).exe that Excel for Windows should run (default: python from the PATH)",
    )

    install = actions.add_parser("install", help="build afm_xl.xlam into Excel's XLSTART folder")
    install.add_argument("--dir", type=Path, metavar="DIR", help="install into DIR instead of XLSTART")
    install.add_argument(
        "--interpreter", metavar="PYTHON",
        help="the Python that Excel should run (default: this one; on Windows its pythonw.exe)",
    )

    uninstall = actions.add_parser("uninstall", help="remove afm_xl.xlam from XLSTART")
    uninstall.add_argument("--dir", type=Path, metavar="DIR", help="remove it from DIR instead of XLSTART")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import addin

    if args.addin_action == "build":
        path = addin.build_addin(args.output, interpreter=args.interpreter)
        print(f"Δημιουργήθηκε το πρόσθετο: {path}")
        return 0
    if args.addin_action == "install":
        report = addin.install_addin(args.dir, interpreter=args.interpreter)
        print(f"Εγκαταστάθηκε το πρόσθετο: {report.path}")
        print(f"Python: {report.interpreter}")
        if report.udfs_imported:
            print("Οι συναρτήσεις φύλλου εισήχθησαν στο πρόσθετο.")
        if report.manual_steps:
            print("Απομένουν τα εξής βήματα:")
            for number, step in enumerate(report.manual_steps, 1):
                print(f"  {number}. {step}")
        return 0
    path = addin.uninstall_addin(args.dir)
    if path is None:
        where = args.dir if args.dir is not None else addin.xlstart_dir()
        print(f"Δεν βρέθηκε πρόσθετο {addin.ADDIN_NAME} στον φάκελο {where}.")
    else:
        print(f"Αφαιρέθηκε το πρόσθετο: {path}")
        print("Κλείστε και ανοίξτε ξανά το Excel για να φύγει η καρτέλα «ΑΦΜ».")
    return 0
