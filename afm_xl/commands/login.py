"""``afm-xl login`` and ``afm-xl logout``: keep the special codes in the OS keyring, or remove them.

``login`` verifies the codes with ONE real lookup (the caller AFM if given,
else the public AFM 090000045) and saves them only when the service answers
(ok / not found / not a business). The password is read from the terminal
without echo, or with ``--password-stdin`` from one line of standard input;
it is never an argument and never printed.
"""

from __future__ import annotations

import argparse
import sys

#: looked up to verify the codes when no caller AFM is given (a public-sector AFM)
VERIFY_AFM = "090000045"
SUCCESS_STATUSES = ("ok", "not_found", "not_business")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    login = subparsers.add_parser(
        "login",
        help="αποθήκευση των ειδικών κωδικών ΑΑΔΕ στο keyring (μετά από έλεγχο)",
        description=(
            "Ελέγχει τους ειδικούς κωδικούς της ΑΑΔΕ με μία κλήση και τους αποθηκεύει στην "
            "ασφαλή αποθήκη κωδικών του συστήματος (keyring). Ζητά ό,τι λείπει."
        ),
    )
    login.add_argument("--username", metavar="U", help="όνομα χρήστη ειδικών κωδικών")
    login.add_argument(
        "--password-stdin", action="store_true",
        help="ανάγνωση του κωδικού από την τυπική είσοδο (μία γραμμή)",
    )
    login.add_argument("--endpoint", metavar="URL", help="διεύθυνση της υπηρεσίας (προεπιλογή: η ΑΑΔΕ)")
    login.add_argument(
        "--caller-afm", metavar="AFM",
        help="ΑΦΜ εντολέα (afm_called_by), αν καλείτε για λογαριασμό άλλου· αποθηκεύεται στις "
        "ρυθμίσεις («» για κανέναν)",
    )
    login.set_defaults(func=run)

    logout = subparsers.add_parser(
        "logout",
        help="διαγραφή των ειδικών κωδικών από το keyring",
        description="Διαγράφει τους ειδικούς κωδικούς της ΑΑΔΕ από την ασφαλή αποθήκη του συστήματος.",
    )
    logout.set_defaults(func=run_logout)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _read_codes(args: argparse.Namespace, store) -> tuple[str, str] | int:
    """``(username, password)`` from the options, stdin or the terminal; an exit code on failure."""
    from ..prompts import stdin_is_terminal
    from ..prompts.console import ConsolePrompt

    if args.password_stdin:
        if not (args.username or "").strip():
            _say("afm-xl login: το --password-stdin χρειάζεται και το --username.")
            return 2
        password = sys.stdin.readline().rstrip("\r\n") if sys.stdin else ""
        if not password:
            _say("afm-xl login: δεν δόθηκε κωδικός πρόσβασης στην τυπική είσοδο.")
            return 2
        return args.username.strip(), password
    if not stdin_is_terminal():
        _say(
            "afm-xl login: η τυπική είσοδος δεν είναι τερματικό· δώστε τον κωδικό με "
            "--username U --password-stdin."
        )
        return 2
    prompt = ConsolePrompt(ask_remember=False)
    prompt.show_intro()
    try:
        username = (args.username or "").strip() or prompt.read_username(store.stored_username())
        password = prompt.read_password() if username else None
    except (EOFError, KeyboardInterrupt):
        _say("")
        username = password = None
    if not username or not password:
        from ..errors import Cancelled

        raise Cancelled("Η σύνδεση ακυρώθηκε: δεν δόθηκαν κωδικοί.")
    return username, password


def run(args: argparse.Namespace) -> int:
    from .. import errors
    from .. import settings as settings_module
    from ..credentials import Credentials, default_store, from_environment
    from ..gsis.client import GsisClient
    from ..prompts.base import code_warning, parse_caller_afm

    settings = settings_module.load()
    caller_afm = settings.caller_afm
    if args.caller_afm is not None:
        caller_afm, error = parse_caller_afm(args.caller_afm)
        if error:
            _say(f"afm-xl login: {error}")
            return 2
    endpoint = args.endpoint or settings.effective_endpoint
    store = default_store()

    codes = _read_codes(args, store)
    if isinstance(codes, int):
        return codes
    creds = Credentials(*codes)
    warning = code_warning(*creds)
    if warning:
        _say(f"Προσοχή: {warning}")

    client = GsisClient(creds, endpoint=endpoint, timeout=settings.timeout, afm_called_by=caller_afm)
    verify_afm = caller_afm or VERIFY_AFM
    try:
        result = client.lookup(verify_afm)
    except errors.AuthenticationError as exc:
        raise errors.AuthenticationError(
            f"Οι κωδικοί δεν έγιναν δεκτοί: {exc.message} Δεν αποθηκεύτηκε τίποτα.", code=exc.code
        ) from None
    except errors.AfmXlError as exc:
        _say(f"afm-xl login: ο έλεγχος των κωδικών απέτυχε: {exc} Δεν αποθηκεύτηκε τίποτα.")
        return exc.exit_code
    if result.status not in SUCCESS_STATUSES:
        _say(
            f"afm-xl login: ο έλεγχος των κωδικών απέτυχε ({result.message or result.status}). "
            "Δεν αποθηκεύτηκε τίποτα."
        )
        return 1

    if not store.save(creds):
        _say(f"afm-xl login: οι κωδικοί είναι σωστοί αλλά δεν αποθηκεύτηκαν. {store.problem}")
        return 1
    if args.caller_afm is not None and caller_afm != settings.caller_afm:
        saved = settings_module.load()
        saved.caller_afm = caller_afm
        settings_module.save(saved)
    print(f"Οι κωδικοί του χρήστη {creds.username} ελέγχθηκαν και αποθηκεύτηκαν ({store.backend_name()}).")
    if caller_afm:
        print(f"ΑΦΜ εντολέα: {caller_afm}")
    if from_environment() is not None:
        _say(
            "Προσοχή: οι μεταβλητές AFM_XL_USERNAME/AFM_XL_PASSWORD είναι ορισμένες και "
            "έχουν προτεραιότητα έναντι των αποθηκευμένων κωδικών."
        )
    return 0


def run_logout(args: argparse.Namespace) -> int:
    from ..credentials import default_store, from_environment

    store = default_store()
    if store.delete():
        print("Οι ειδικοί κωδικοί διαγράφηκαν από την αποθήκη κωδικών του συστήματος.")
    elif store.problem:
        print(f"Δεν υπήρχαν αποθηκευμένοι κωδικοί. {store.problem}")
    else:
        print("Δεν υπήρχαν αποθηκευμένοι κωδικοί.")
    if from_environment() is not None:
        _say(
            "Προσοχή: οι μεταβλητές AFM_XL_USERNAME/AFM_XL_PASSWORD είναι ακόμη ορισμένες· "
            "αφαιρέστε τις για να μη χρησιμοποιούνται."
        )
    return 0
