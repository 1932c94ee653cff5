"""The emulator's wire format: parse a SOAP 1.2 request, build replies like the live service.

Requests are matched by namespace URI and local name, never by prefix (zeep,
the official example and hand-written clients all use different prefixes).
The WS-Security header is read by local names only, as the real service does
(clients that put ``Security`` in another namespace still work).

Replies copy the live capture byte for byte in shape: the XML declaration with
single quotes, ``env``/``srvc`` prefixes, unprefixed types-namespace content,
self-closing ``xsi:nil`` elements, and no ``firm_act_tab`` on errors.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Iterable
from xml.sax.saxutils import escape

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SERVICE_NS = "http://rgwspublic2/RgWsPublic2Service"
TYPES_NS = "http://rgwspublic2/RgWsPublic2"

VERSION_TEXT = (
    'Διαδικτυακή Υπηρεσία Α.Α.Δ.Ε. "Βασικά στοιχεία μητρώου για νομικά πρόσωπα, νομικές οντότητες, '
    "και φυσικά πρόσωπα με εισόδημα από επιχειρηματική δραστηριότητα» με όριο κλήσεων και "
    "ταυτοποίηση χρήστη. Release: 4.0.0, 01/07/2018, Copyright Α.Α.Δ.Ε. 2018."
)

BASIC_FIELDS = (
    "afm", "doy", "doy_descr", "i_ni_flag_descr", "deactivation_flag", "deactivation_flag_descr",
    "firm_flag_descr", "onomasia", "commer_title", "legal_status_descr", "postal_address",
    "postal_address_no", "postal_zip_code", "postal_area_description", "regist_date", "stop_date",
    "normal_vat_system_flag",
)
CALLER_FIELDS = (
    "token_username", "token_afm", "token_afm_fullname", "afm_called_by", "afm_called_by_fullname",
)


class RequestFormatError(Exception):
    """The request cannot be understood: the service answers HTTP 500 with a SOAP Fault."""


@dataclasses.dataclass
class Request:
    """What the emulator needs from one request."""

    operation: str  # "afm" or "version"
    username: str | None = None
    password: str | None = None
    has_input: bool = False
    afm_called_by: str | None = None
    afm_called_for: str | None = None
    as_on_date: datetime.date | None = None


def _parser():
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
    )


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find_local(element, *names: str):
    """The first descendant path matching ``names`` by local name, or None."""
    current = element
    for name in names:
        found = None
        for child in current.iter():
            if child is not current and _local(child.tag) == name:
                found = child
                break
        if found is None:
            return None
        current = found
    return current


def parse_request(body: bytes) -> Request:
    """Parse a SOAP 1.2 request body; :class:`RequestFormatError` when it can't be understood."""
    from lxml import etree

    if not body or not body.strip():
        raise RequestFormatError("missing body element")
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise RequestFormatError(f"org.xml.sax.SAXParseException: {exc.msg}") from None
    if root.getroottree().docinfo.doctype:
        raise RequestFormatError("DOCTYPE is disallowed")
    if root.tag != f"{{{SOAP12}}}Envelope":
        raise RequestFormatError("not a SOAP 1.2 envelope")
    soap_body = root.find(f"{{{SOAP12}}}Body")
    if soap_body is None or len(soap_body) == 0:
        raise RequestFormatError("missing body element")
    operation = soap_body[0]
    if operation.tag == f"{{{SERVICE_NS}}}rgWsPublic2VersionInfo":
        return Request("version")
    if operation.tag != f"{{{SERVICE_NS}}}rgWsPublic2AfmMethod":
        raise RequestFormatError(f"unknown operation {_local(operation.tag)}")
    request = Request("afm")
    header = root.find(f"{{{SOAP12}}}Header")
    if header is not None:
        token = _find_local(header, "Security", "UsernameToken")
        if token is not None:
            user = _find_local(token, "Username")
            password = _find_local(token, "Password")
            request.username = (user.text or "").strip() if user is not None else None
            request.password = (password.text or "") if password is not None else None
    input_rec = operation.find(f"{{{SERVICE_NS}}}INPUT_REC")
    if input_rec is not None:
        called_by = input_rec.find(f"{{{TYPES_NS}}}afm_called_by")
        called_for = input_rec.find(f"{{{TYPES_NS}}}afm_called_for")
        date = input_rec.find(f"{{{TYPES_NS}}}as_on_date")
        request.afm_called_by = (called_by.text or "").strip() if called_by is not None else None
        if called_for is not None and (called_for.text or "").strip():
            request.has_input = True
            request.afm_called_for = (called_for.text or "").strip()
        if date is not None:
            text = (date.text or "").strip()
            if not text:  # the live service crashes on an empty date
                raise RequestFormatError("java.lang.NullPointerException")
            try:
                request.as_on_date = datetime.date.fromisoformat(text[:10])
            except ValueError:
                raise RequestFormatError(f"Unparseable date: {text[:40]}") from None
    return request


# -- replies -------------------------------------------------------------------------------------

_ENVELOPE_OPEN = (
    "<?xml version='1.0' encoding='UTF-8'?>"
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><env:Header/><env:Body>'
)
_ENVELOPE_CLOSE = "</env:Body></env:Envelope>"


def _leaf(name: str, value: Any) -> str:
    if value is None:
        return f'<{name} xsi:nil="true"/>'
    return f"<{name}>{escape(str(value))}</{name}>"


def _record(name: str, fields: Iterable[str], values: dict[str, Any]) -> str:
    return f"<{name}>" + "".join(_leaf(f, values.get(f)) for f in fields) + f"</{name}>"


def afm_reply(
    *,
    call_seq_id: int,
    as_on_date: datetime.date,
    error: tuple[str, str] | None = None,
    caller: dict[str, Any] | None = None,
    basic: dict[str, Any] | None = None,
    activities: Iterable[tuple[Any, Any, Any, Any]] = (),
) -> bytes:
    """An ``rgWsPublic2AfmMethodResponse``: a success, or a business error when ``error`` is given."""
    caller_values = dict(caller or {}) if error is None else {}
    caller_values["as_on_date"] = as_on_date.isoformat()
    parts = [
        _ENVELOPE_OPEN,
        '<srvc:rgWsPublic2AfmMethodResponse xmlns="http://rgwspublic2/RgWsPublic2" '
        'xmlns:srvc="http://rgwspublic2/RgWsPublic2Service"><srvc:result><rg_ws_public2_result_rtType>',
        _leaf("call_seq_id", call_seq_id),
        "<error_rec>",
        _leaf("error_code", error[0] if error else None),
        _leaf("error_descr", error[1] if error else None),
        "</error_rec>",
        _record("afm_called_by_rec", (*CALLER_FIELDS, "as_on_date"), caller_values),
        _record("basic_rec", BASIC_FIELDS, basic if error is None and basic else {}),
    ]
    if error is None:
        parts.append("<firm_act_tab>")
        for code, descr, kind, kind_descr in activities:
            parts.append(
                "<item>" + _leaf("firm_act_code", code) + _leaf("firm_act_descr", descr)
                + _leaf("firm_act_kind", kind) + _leaf("firm_act_kind_descr", kind_descr) + "</item>"
            )
        parts.append("</firm_act_tab>")
    parts.append("</rg_ws_public2_result_rtType></srvc:result></srvc:rgWsPublic2AfmMethodResponse>")
    parts.append(_ENVELOPE_CLOSE)
    return "".join(parts).encode("utf-8")


def version_reply() -> bytes:
    return (
        _ENVELOPE_OPEN
        + '<srvc:rgWsPublic2VersionInfoResponse xmlns="http://rgwspublic2/RgWsPublic2" '
        'xmlns:srvc="http://rgwspublic2/RgWsPublic2Service"><srvc:result>'
        + escape(VERSION_TEXT)
        + "</srvc:result></srvc:rgWsPublic2VersionInfoResponse>"
        + _ENVELOPE_CLOSE
    ).encode("utf-8")


def fault_reply(reason: str, code: str = "env:Sender") -> bytes:
    """A SOAP 1.2 Fault as EclipseLink DBWS builds it (HTTP 500)."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>'
        f"<env:Code><env:Value>{escape(code)}</env:Value></env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(reason)}</env:Text></env:Reason>'
        "</env:Fault></env:Body></env:Envelope>"
    ).encode("utf-8")
