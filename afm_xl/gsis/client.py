"""The RgWsPublic2 client: zeep, SOAP 1.2, WS-Security UsernameToken, typed outcomes.

One zeep client per process: the bundled WSDL is parsed once (the XSD it imports
by an absolute https URL is served from the bundled file; nothing is ever
fetched over the network) and shared by every :class:`GsisClient` and thread.
Credentials travel per call through a small WS-Security plugin, so changing
codes never reparses the WSDL.

Outcomes of :meth:`GsisClient.lookup`:

* a :class:`~afm_xl.result.LookupResult` with status ``ok``, ``not_found``,
  ``not_business`` or ``failed`` (a per-row service error);
* or a raised :class:`~afm_xl.errors.AuthenticationError`,
  :class:`~afm_xl.errors.QuotaError`, :class:`~afm_xl.errors.ServiceUnavailableError`
  (never retried), or :class:`~afm_xl.errors.TransientError` after the bounded
  retries with backoff are spent.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import logging
import os
import random
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable

from .. import errors
from ..credentials import Credentials
from ..result import LookupResult
from . import codes

log = logging.getLogger(__name__)

#: The real service (the WSDL's soap12:address without the explicit port).
REAL_ENDPOINT = "https://www1.gsis.gr/wsaade/RgWsPublic2/RgWsPublic2"
XSD_URL = "https://www1.gsis.gr:443/wsaade/RgWsPublic2/RgWsPublic2?xsd=1"
BINDING = "{http://rgwspublic2/RgWsPublic2Service}RgWsPublic2Service_SOAP_HTTP"
AFM_METHOD = "rgWsPublic2AfmMethod"
DEFAULT_TIMEOUT = 20.0
WSDL_DIR = Path(__file__).with_name("wsdl")
WSDL_PATH = WSDL_DIR / "RgWsPublic2.wsdl"
XSD_PATH = WSDL_DIR / "RgWsPublic2_xsd1.xsd"

_current_credentials: contextvars.ContextVar[Credentials | None] = contextvars.ContextVar(
    "afm_xl_credentials", default=None
)
_zeep_lock = threading.Lock()
_zeep_clients: dict[float, Any] = {}


class _PerCallUsernameToken:
    """zeep WS-Security plugin: a UsernameToken built from the credentials of the current call."""

    def apply(self, envelope, headers):
        from zeep.wsse.username import UsernameToken

        creds = _current_credentials.get()
        if creds is None:  # no codes: send no header, the service answers USERNAME_NOT_DEFINED
            return envelope, headers
        return UsernameToken(creds.username, creds.password).apply(envelope, headers)

    def verify(self, envelope):
        return envelope


def _transport_class():
    from zeep.transports import Transport

    class BundledSchemaTransport(Transport):
        """A zeep transport: bundled WSDL/XSD only, and HTTP replies screened before zeep parses them."""

        def load(self, url: str) -> bytes:
            text = str(url)
            if text.endswith("?xsd=1") or text.endswith("?XSD=1"):
                return XSD_PATH.read_bytes()
            path = Path(text)
            if path.is_file() and path.resolve().parent == WSDL_DIR.resolve():
                return path.read_bytes()
            raise errors.TransientError(f"refusing to fetch a schema over the network: {text}")

        def post(self, address, message, headers):
            # zeep's own post would log the message (with the UsernameToken) at DEBUG level
            response = self.session.post(
                address, data=message, headers=headers, timeout=self.operation_timeout,
                proxies=_environment_proxies(address),
            )
            _screen(response)
            return response

    return BundledSchemaTransport


_PROXIES: dict[str, dict[str, str]] = {}


def _environment_proxies(address: str) -> dict[str, str]:
    """The proxies the environment names for ``address`` (``HTTPS_PROXY``, ``NO_PROXY`` …), read once.

    The session does not read the environment itself (``trust_env=False``): requests would
    scan ``os.environ`` (on Windows, the registry) and look for a ``.netrc`` on every call.
    """
    proxies = _PROXIES.get(address)
    if proxies is None:
        from requests.utils import get_environ_proxies

        proxies = _PROXIES[address] = get_environ_proxies(address)
    return proxies


_HOSTILE_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype")


def _screen(response) -> None:
    """Reject what zeep should never parse: hostile XML, and HTTP errors that are not SOAP Faults."""
    head = response.content[:4096]
    if any(marker in head for marker in _HOSTILE_MARKERS):
        raise errors.TransientError(
            "Η απάντηση της υπηρεσίας απορρίφθηκε (περιέχει DTD/entities)", code="HOSTILE_REPLY"
        )
    status = response.status_code
    if status == 200:
        return
    media = response.headers.get("Content-Type", "").lower()
    if status == 500 and "xml" in media and b"Fault" in response.content[:8192]:
        return  # a SOAP 1.2 Fault: zeep raises zeep.exceptions.Fault
    if status >= 500 or status == 429:
        raise errors.TransientError(f"Η υπηρεσία απάντησε HTTP {status}", code=f"HTTP_{status}")
    raise errors.ServiceUnavailableError(
        f"Η υπηρεσία απάντησε HTTP {status}: ελέγξτε τη διεύθυνση (endpoint) της υπηρεσίας",
        code=f"HTTP_{status}",
    )


def _zeep_client(timeout: float):
    """The process-wide zeep client for ``timeout`` (built on first use)."""
    with _zeep_lock:
        client = _zeep_clients.get(timeout)
        if client is None:
            import requests
            from requests.adapters import HTTPAdapter
            from zeep import Client, Settings

            session = requests.Session()
            session.trust_env = False  # read once instead: _environment_proxies, the CA bundle below
            # TLS verification is always on (against the bundle the environment names, as requests would)
            session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            transport = _transport_class()(
                session=session, timeout=timeout, operation_timeout=timeout
            )
            settings = Settings(
                strict=True, xml_huge_tree=False, forbid_dtd=True,
                forbid_entities=True,
                forbid_external=False,  # our transport serves the bundled XSD and refuses any other load
            )
            client = Client(
                str(WSDL_PATH), transport=transport, settings=settings,
                wsse=_PerCallUsernameToken(),
            )
            _zeep_clients[timeout] = client
        return client


class GsisClient:
    """A client of RgWsPublic2 for one set of codes.

    >>> c = GsisClient(Credentials('user', 'x' * 12), endpoint='http://127.0.0.1:1/x')
    >>> c
    GsisClient(endpoint='http://127.0.0.1:1/x', username='USER')
    """

    def __init__(
        self,
        credentials: Credentials | None,
        *,
        endpoint: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        afm_called_by: str | None = None,
        retries: int = 3,
        backoff: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.credentials = credentials
        self.endpoint = endpoint or REAL_ENDPOINT
        self.timeout = float(timeout)
        self.afm_called_by = afm_called_by or None
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, float(backoff))
        self._sleep = sleep
        self._service = None
        self._service_lock = threading.Lock()
        #: service calls sent (each try counts): what the user's quota sees
        self.calls = 0
        self._count_lock = threading.Lock()

    def __repr__(self) -> str:
        user = self.credentials.username if self.credentials else None
        return f"GsisClient(endpoint={self.endpoint!r}, username={user!r})"

    # -- plumbing ---------------------------------------------------------------------------
    def _get_service(self):
        if self._service is None:
            with self._service_lock:
                if self._service is None:
                    self._service = _zeep_client(self.timeout).create_service(BINDING, self.endpoint)
        return self._service

    def _call(self, operation: str, read: Callable[[Any], Any] = lambda reply: reply, **kwargs: Any) -> Any:
        """One SOAP call, its reply passed through ``read``, with the bounded retry policy.

        A :class:`~afm_xl.errors.TransientError` from the transport or from ``read`` (a reply
        that cannot be a valid answer) is retried; every other error is raised at once.
        """
        attempt = 0
        while True:
            try:
                return read(self._call_once(operation, **kwargs))
            except errors.TransientError as exc:
                if attempt >= self.retries:
                    raise
                delay = self.backoff * (2**attempt) * (0.5 + random.random())
                log.info("transient failure (%s), retry %d in %.2fs", exc.code, attempt + 1, delay)
                attempt += 1
                self._sleep(delay)

    def _call_once(self, operation: str, **kwargs: Any) -> Any:
        import requests
        import zeep.exceptions as zx
        from zeep.helpers import serialize_object

        service = self._get_service()
        token = _current_credentials.set(self.credentials)
        with self._count_lock:
            self.calls += 1
        try:
            if operation != AFM_METHOD:
                return serialize_object(getattr(service, operation)(**kwargs), dict)
            client = _zeep_client(self.timeout)
            with client.settings(raw_response=True):  # zeep's settings are per thread
                response = getattr(service, operation)(**kwargs)
            reply = read_plain_reply(response)
            if reply is None:  # anything unusual (a Fault, odd XML …): zeep judges it, as always
                binding = client.wsdl.bindings[BINDING]
                reply = serialize_object(binding.process_reply(client, binding.get(operation), response), dict)
            return reply
        except requests.exceptions.Timeout as exc:
            raise errors.TransientError(
                f"Η υπηρεσία δεν απάντησε σε {self.timeout:g} δευτερόλεπτα (timeout)", code="TIMEOUT"
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise errors.TransientError(
                f"Σφάλμα σύνδεσης με την υπηρεσία: {type(exc).__name__}", code="CONNECTION_ERROR"
            ) from exc
        except (zx.DTDForbidden, zx.EntitiesForbidden) as exc:
            raise errors.TransientError(
                "Η απάντηση της υπηρεσίας απορρίφθηκε (DTD/entities)", code="HOSTILE_REPLY"
            ) from exc
        except zx.TransportError as exc:  # zeep: a reply that is not XML
            raise errors.TransientError(
                "Μη έγκυρη απάντηση της υπηρεσίας (malformed XML)", code="MALFORMED_REPLY"
            ) from exc
        except zx.Fault as exc:
            code = str(exc.code or "")
            text = (exc.message or "SOAP Fault")[:300]
            if code.endswith(("Receiver", "Server")):
                raise errors.TransientError(f"SOAP Fault: {text}", code="SOAP_FAULT") from exc
            raise errors.ServiceError(f"SOAP Fault: {text}", code="SOAP_FAULT") from exc
        except (zx.XMLSyntaxError, zx.XMLParseError, zx.ValidationError, zx.LookupError) as exc:
            raise errors.TransientError(
                "Μη έγκυρη απάντηση της υπηρεσίας (malformed XML)", code="MALFORMED_REPLY"
            ) from exc
        except errors.AfmXlError:
            raise
        except Exception as exc:  # zeep on a reply it cannot map: treat as malformed
            raise errors.TransientError(
                f"Μη έγκυρη απάντηση της υπηρεσίας ({type(exc).__name__})", code="MALFORMED_REPLY"
            ) from exc
        finally:
            _current_credentials.reset(token)

    # -- operations -------------------------------------------------------------------------
    def version(self) -> str:
        """The service's version string (``rgWsPublic2VersionInfo``; no codes needed)."""
        reply = self._call("rgWsPublic2VersionInfo")
        return str(reply).strip() if reply is not None else ""

    def lookup(self, afm: str, as_on_date: datetime.date | str | None = None) -> LookupResult:
        """Look up one (already normalised) AFM. See the module docstring for outcomes."""
        request: dict[str, Any] = {"afm_called_by": self.afm_called_by or "", "afm_called_for": afm}
        if as_on_date:  # never sent empty: the service answers HTTP 500
            if isinstance(as_on_date, str):
                as_on_date = datetime.date.fromisoformat(as_on_date)
            request["as_on_date"] = as_on_date
        return self._call(AFM_METHOD, lambda reply: interpret(afm, reply), INPUT_REC=request)


# -- the plain reply, read without zeep's schema machinery -------------------------------------
# zeep's generic deserialisation costs ~0.5 ms a reply, the largest part of a call's CPU time. Every reply
# that has exactly the shape of the schema is read here into the very dict that
# ``serialize_object(zeep_reply, dict)`` gives; anything else (Faults, comments, DTDs, unknown,
# repeated or misplaced elements, attributes, numbers or dates zeep would judge) is left to zeep.
_ENV = "{http://www.w3.org/2003/05/soap-envelope}"
_SRV = "{http://rgwspublic2/RgWsPublic2Service}"
_TNS = "{http://rgwspublic2/RgWsPublic2}"
_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_STRING, _DECIMAL, _DATE, _ITEMS = "string", "decimal", "date", "items"
_ITEM_LAYOUT = (
    ("firm_act_code", _DECIMAL), ("firm_act_descr", _STRING), ("firm_act_kind", _STRING),
    ("firm_act_kind_descr", _STRING),
)
#: ``rg_ws_public2_result_rtType`` in schema order (RgWsPublic2_xsd1.xsd): name → type or nested layout
_RESULT_LAYOUT = (
    ("call_seq_id", _DECIMAL),
    ("error_rec", (("error_code", _STRING), ("error_descr", _STRING))),
    ("afm_called_by_rec", tuple((name, _STRING) for name in (
        "token_username", "token_afm", "token_afm_fullname", "afm_called_by", "afm_called_by_fullname",
    )) + (("as_on_date", _DATE),)),
    ("basic_rec", tuple(
        (name, _DATE if name in ("regist_date", "stop_date") else _STRING) for name in (
            "afm", "doy", "doy_descr", "i_ni_flag_descr", "deactivation_flag", "deactivation_flag_descr",
            "firm_flag_descr", "onomasia", "commer_title", "legal_status_descr", "postal_address",
            "postal_address_no", "postal_zip_code", "postal_area_description", "regist_date",
            "stop_date", "normal_vat_system_flag",
        )
    )),
    ("firm_act_tab", _ITEMS),
)
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,28}")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_parsers = threading.local()


class _Unusual(Exception):
    """The reply is not plain: zeep reads it."""


def read_plain_reply(response) -> dict[str, Any] | None:
    """A plain ``rgWsPublic2AfmMethod`` reply as ``serialize_object`` would give it, else ``None``.

    ``response`` is the HTTP response (``status_code``, ``headers``, ``content``).

    >>> class Reply:
    ...     status_code, headers = 200, {}
    ...     content = (b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>'
    ...         b'<s:rgWsPublic2AfmMethodResponse xmlns:s="http://rgwspublic2/RgWsPublic2Service" '
    ...         b'xmlns="http://rgwspublic2/RgWsPublic2"><s:result><rg_ws_public2_result_rtType>'
    ...         b'<call_seq_id>7</call_seq_id><error_rec><error_code>E</error_code></error_rec>'
    ...         b'</rg_ws_public2_result_rtType></s:result></s:rgWsPublic2AfmMethodResponse></e:Body></e:Envelope>')
    >>> reply = read_plain_reply(Reply())
    >>> reply['call_seq_id'], reply['error_rec'], reply['basic_rec']
    (Decimal('7'), {'error_code': 'E', 'error_descr': None}, None)
    >>> Reply.content = Reply.content.replace(b'<error_rec>', b'<!-- c --><error_rec>')
    >>> read_plain_reply(Reply()) is None
    True
    """
    content = response.content
    if response.status_code != 200 or b"<!" in content:  # Faults; DTDs, comments, CDATA
        return None
    if "multipart" in response.headers.get("Content-Type", "").lower():
        return None
    from lxml import etree

    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
    try:
        root = etree.fromstring(content, parser)
        body = root[-1] if root.tag == _ENV + "Envelope" and len(root) and not root.attrib else None
        if body is None or body.tag != _ENV + "Body" or len(root) > 2 or not _bare(root):
            return None
        if len(root) == 2 and (root[0].tag != _ENV + "Header" or len(root[0]) or not _bare(root[0])):
            return None
        result = _only_child(_only_child(_only_child(body, _SRV + "rgWsPublic2AfmMethodResponse"),
                                         _SRV + "result"), _TNS + "rg_ws_public2_result_rtType")
        return _read_sequence(result, _RESULT_LAYOUT)
    except Exception:  # _Unusual, XMLSyntaxError, an empty envelope …: zeep decides, as without this reader
        return None


def _bare(element) -> bool:
    """No attributes and no text of its own (whitespace aside), as a complex element should be."""
    if element.attrib or (element.text and not element.text.isspace()):
        return False
    return all(child.tail is None or child.tail.isspace() for child in element)


def _only_child(element, tag: str):
    if not _bare(element) or len(element) != 1 or element[0].tag != tag:
        raise _Unusual
    return element[0]


def _read_sequence(element, layout) -> dict[str, Any]:
    """The elements of an ``xsd:sequence`` of optional elements, in schema order, none repeated."""
    if not _bare(element):
        raise _Unusual
    values: dict[str, Any] = dict.fromkeys(name for name, _ in layout)
    position = 0
    for child in element:
        tag = child.tag
        if type(tag) is not str or not tag.startswith(_TNS):  # processing instructions, other namespaces
            raise _Unusual
        name = tag[len(_TNS):]
        while position < len(layout) and layout[position][0] != name:
            position += 1
        if position == len(layout):  # unknown, repeated or out of order
            raise _Unusual
        kind = layout[position][1]
        position += 1
        if kind == _ITEMS:
            values[name] = _read_complex(child, _read_items)
        elif isinstance(kind, tuple):
            values[name] = _read_complex(child, _read_sequence, kind)
        else:
            values[name] = _read_leaf(child, kind)
    return values


def _read_complex(element, read: Callable[..., Any], *args: Any) -> Any:
    """``read(element, *args)``; an empty complex element is ``None``, as zeep reads it."""
    if len(element) == 0:
        if not _bare(element):
            raise _Unusual
        return None
    return read(element, *args)


def _read_items(element) -> dict[str, list[dict[str, Any] | None]]:
    if not _bare(element):
        raise _Unusual
    items = []
    for child in element:
        if child.tag != _TNS + "item":
            raise _Unusual
        items.append(_read_complex(child, _read_sequence, _ITEM_LAYOUT))
    return {"item": items}


def _read_leaf(element, kind: str) -> Any:
    if len(element) or len(element.attrib) > (1 if _NIL in element.attrib else 0):
        raise _Unusual
    text = element.text
    if _NIL in element.attrib and (element.attrib[_NIL] != "true" or text is not None):
        raise _Unusual
    if text is None or kind == _STRING:
        return text
    if kind == _DECIMAL and _PLAIN_DECIMAL.fullmatch(text):
        return decimal.Decimal(text)
    if kind == _DATE and _PLAIN_DATE.fullmatch(text):
        return datetime.date.fromisoformat(text)  # ValueError for 2024-02-30: zeep decides
    raise _Unusual


def interpret(afm: str, reply: Any, *, now: datetime.datetime | None = None) -> LookupResult:
    """Turn a serialised ``rg_ws_public2_result_rtType`` into a result, or raise.

    Raises the batch-stopping errors (authentication, quota, service down) and
    :class:`~afm_xl.errors.TransientError` for a reply that is not a result.
    """
    from ..record import Record, clean_text

    if not isinstance(reply, dict):
        raise errors.TransientError("Κενή ή μη έγκυρη απάντηση της υπηρεσίας", code="MALFORMED_REPLY")
    error = reply.get("error_rec") or {}
    code = clean_text(error.get("error_code"))
    descr = clean_text(error.get("error_descr"))
    if code:
        kind = codes.kind_of(code)
        message = descr or codes.greek_text(code)
        if kind == "auth":
            raise errors.AuthenticationError(message, code=code)
        if kind == "quota":
            raise errors.QuotaError(message, code=code)
        if kind == "down":
            raise errors.ServiceUnavailableError(message, code=code)
        status = kind if kind in ("not_found", "not_business") else "failed"
        return LookupResult(afm, afm, status, None, code, message, source="gsis")
    basic = reply.get("basic_rec")
    if not isinstance(basic, dict) or not clean_text(basic.get("afm")):
        raise errors.TransientError("Η απάντηση δεν έχει στοιχεία μητρώου", code="MALFORMED_REPLY")
    caller = reply.get("afm_called_by_rec") or {}
    table = reply.get("firm_act_tab") or {}
    items = table.get("item") if isinstance(table, dict) else table
    if isinstance(items, dict):
        items = [items]
    try:
        record = Record.from_basic_rec(
            basic,
            [i for i in items or () if isinstance(i, dict)],
            as_on_date=caller.get("as_on_date") if isinstance(caller, dict) else None,
            call_seq_id=reply.get("call_seq_id"),
            fetched_at=now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0),
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise errors.TransientError(
            "Μη έγκυρα στοιχεία στην απάντηση της υπηρεσίας", code="MALFORMED_REPLY"
        ) from exc
    if record.afm != afm:
        raise errors.TransientError(
            f"Η υπηρεσία απάντησε για άλλο ΑΦΜ ({record.afm})", code="MISMATCHED_REPLY"
        )
    return LookupResult(afm, afm, "ok", record, source="gsis")
