"""The service's business error codes (``error_rec``), their texts and what they mean for us.

Each code has a *kind* that decides what the client does with it:

================  =====================================================  ==================
kind              codes                                                   effect
================  =====================================================  ==================
``not_found``     ``TAXPAYER_NF``, ``WRONG_AFM``                          row status
``not_business``  ``EPIT_NF``                                             row status
``auth``          ``TOKEN_*``, ``AFM_CALLED_BY_*``                        stops the batch
``quota``         daily, monthly, failed-call lock-out                    stops the batch
``down``          ``SERVICE_NOT_ACTIVE``                                  stops the batch
``row``           anything else (``MSG_TO_TAXISNET_ERROR``, unknown)      row ``failed``
================  =====================================================  ==================

>>> kind_of('RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED')
'auth'
>>> kind_of('RG_WS_PUBLIC_WRONG_AFM'), kind_of('SOMETHING_NEW')
('not_found', 'row')
"""

from __future__ import annotations

PREFIX = "RG_WS_PUBLIC_"

#: code → (kind, the service's Greek text verbatim, English).
#: Three texts start with a Latin "O" (U+004F), exactly as the service sends them.
CODES: dict[str, tuple[str, str, str]] = {
    "RG_WS_PUBLIC_AFM_CALLED_BY_BLOCKED": (
        "auth",
        "Ο χρήστης που καλεί την υπηρεσία έχει προσωρινά αποκλειστεί από τη χρήση της.",
        "The calling user is temporarily blocked from the service.",
    ),
    "RG_WS_PUBLIC_AFM_CALLED_BY_NOT_FOUND": (
        "auth",
        "Ο Α.Φ.Μ. για τον οποίο γίνεται η κλήση δε βρέθηκε στους έγκυρους Α.Φ.Μ. του Μητρώου TAXIS.",
        "The caller AFM (afm_called_by) is not a valid TAXIS AFM.",
    ),
    "RG_WS_PUBLIC_AFM_CALLED_BY_NOT_ALLOWED": (
        "auth",
        "Δεν επιτρέπεται η κλήση για λογαριασμό του Α.Φ.Μ. που δόθηκε.",
        "These codes may not call on behalf of the caller AFM.",
    ),
    "RG_WS_PUBLIC_EPIT_NF": (
        "not_business",
        "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δεν ανήκει και δεν ανήκε ποτέ σε νομικό "
        "πρόσωπο, νομική οντότητα, ή φυσικό πρόσωπο με εισόδημα από επιχειρηματική δραστηριότητα.",
        "The AFM is not and never was a business.",
    ),
    "RG_WS_PUBLIC_FAILURES_TOLERATED_EXCEEDED": (
        "quota",
        "Υπέρβαση μέγιστου επιτρεπτού ορίου πρόσφατων αποτυχημένων κλήσεων. "
        "Προσπαθήστε εκ νέου σε μερικές ώρες.",
        "Too many recent failed calls; retry in a few hours.",
    ),
    "RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED": (
        "quota",
        "Υπέρβαση μέγιστου επιτρεπτού ορίου ημερήσιων κλήσεων ανά χρήστη "
        "(ανεξαρτήτως εξουσιοδοτήσεων).",
        "Daily per-username call limit exceeded.",
    ),
    "RG_WS_PUBLIC_MONTHLY_LIMIT_EXCEEDED": (
        "quota",
        "Υπέρβαση του Μέγιστου Επιτρεπτού Μηνιαίου Ορίου Κλήσεων.",
        "Monthly call limit exceeded.",
    ),
    "RG_WS_PUBLIC_MSG_TO_TAXISNET_ERROR": (
        "row",
        "Δημιουργήθηκε πρόβλημα κατά την ενημέρωση των εισερχόμενων μηνυμάτων στο MyTAXISnet.",
        "Failed to post the notification to MyTAXISnet.",
    ),
    "RG_WS_PUBLIC_NO_INPUT_PARAMETERS": (
        "row",
        "Δε δόθηκαν υποχρεωτικές παράμετροι εισόδου για την κλήση της υπηρεσίας.",
        "Mandatory input parameters missing.",
    ),
    "RG_WS_PUBLIC_SERVICE_NOT_ACTIVE": (
        "down",
        "Η υπηρεσία δεν είναι ενεργή.",
        "The service is not active.",
    ),
    "RG_WS_PUBLIC_TAXPAYER_NF": (
        "not_found",
        "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δε βρέθηκε στους έγκυρους Α.Φ.Μ. του Μητρώου TAXIS.",
        "The AFM was not found in TAXIS.",
    ),
    "RG_WS_PUBLIC_TOKEN_AFM_BLOCKED": (
        "auth",
        "Ο χρήστης (ή ο εξουσιοδοτημένος τρίτος) που καλεί την υπηρεσία έχει προσωρινά "
        "αποκλειστεί από τη χρήση της.",
        "The owner of the codes (or the authorised third party) is temporarily blocked.",
    ),
    "RG_WS_PUBLIC_TOKEN_AFM_NOT_AUTHORIZED": (
        "auth",
        "Ο τρέχον χρήστης δεν έχει εξουσιοδοτηθεί από τον Α.Φ.Μ. για χρήση της υπηρεσίας.",
        "The current user is not authorised by the caller AFM.",
    ),
    "RG_WS_PUBLIC_TOKEN_AFM_NOT_FOUND": (
        "auth",
        "Ο Α.Φ.Μ. του τρέχοντος χρήστη δε βρέθηκε στους έγκυρους Α.Φ.Μ. του Μητρώου TAXIS.",
        "The AFM of the owner of the codes was not found in TAXIS.",
    ),
    "RG_WS_PUBLIC_TOKEN_AFM_NOT_REGISTERED": (
        "auth",
        "Ο τρέχον χρήστης δεν έχει εγγραφεί για χρήση της υπηρεσίας.",
        "The current user has not registered for the service.",
    ),
    "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_ACTIVE": (
        "auth",
        "Ο κωδικός χρήστη (username) που χρησιμοποιήθηκε έχει ανακληθεί.",
        "The username has been revoked.",
    ),
    "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED": (
        "auth",
        "Ο συνδυασμός χρήστη/κωδικού πρόσβασης που δόθηκε δεν είναι έγκυρος.",
        "Wrong username or password.",
    ),
    "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_DEFINED": (
        "auth",
        "Δεν ορίσθηκε ο χρήστης που καλεί την υπηρεσία.",
        "No user given (no or unrecognised WS-Security header).",
    ),
    "RG_WS_PUBLIC_TOKEN_USERNAME_TOO_LONG": (
        "auth",
        "Διαπιστώθηκε υπέρβαση του μήκους του ονόματος του χρήστη (username) της υπηρεσίας",
        "The username is too long.",
    ),
    "RG_WS_PUBLIC_WRONG_AFM": (
        "not_found",
        "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δεν είναι έγκυρος.",
        "The AFM is not valid.",
    ),
}


def kind_of(code: str | None) -> str:
    """The kind of a service error code (see the table above); unknown codes are ``row``."""
    if code in CODES:
        return CODES[code][0]
    if code and (code.startswith(PREFIX + "TOKEN_") or code.startswith(PREFIX + "AFM_CALLED_BY_")):
        return "auth"
    return "row"


def greek_text(code: str) -> str:
    """The service's Greek text for ``code`` (the code itself when unknown)."""
    return CODES.get(code, ("row", code, code))[1]


def english_text(code: str) -> str:
    return CODES.get(code, ("row", code, code))[2]
