"""A local HTTP server that behaves like RgWsPublic2, for tests, demos and benchmarks.

>>> with Emulator() as emu:            # doctest: +ELLIPSIS
...     print(emu.url)
http://127.0.0.1:.../wsaade/RgWsPublic2/RgWsPublic2

What it mimics (see docs/gsis-service.md §10): SOAP 1.2 only (HTTP 415 for other
media types); business errors as HTTP 200 ``error_rec`` replies in the live
shape; HTTP 500 SOAP Fault for an unparsable body or an empty ``as_on_date``;
``call_seq_id`` increasing on every answered call; per-user daily and monthly
quotas and the failed-call lock-out (off unless configured); CHAR padding as
the registry sends it. Fault knobs (``fail_rate``, ``fault``) let tests inject
latency, 5xx, resets, truncated/malformed/hostile replies and SOAP Faults.

Extra endpoints: ``GET /_emulator/stats`` (JSON counters),
``GET /_emulator/afms?limit=N`` (AFMs that exist, deterministic order),
``POST /_emulator/config`` (JSON knobs, for tests driving a subprocess), and
``GET …?WSDL`` / ``…?xsd=1`` (the bundled WSDL, its address pointing here).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import json
import random
import socket
import struct
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import soap

SERVICE_PATH = "/wsaade/RgWsPublic2/RgWsPublic2"
DEMO_USERNAME = "AFMXLDEMO01"
DEMO_PASSWORD = "Demo!Pass2026"
MAX_USERNAME = 100
FIRST_CALL_SEQ_ID = 990_000_000

#: Knob values for :attr:`Knobs.fault`.
FAULTS = (
    "http500", "http502", "http503", "html", "reset", "truncated", "malformed", "soap_fault",
    "billion_laughs", "external_entity", "not_active", "wrong_afm_echo",
)


@dataclasses.dataclass
class User:
    """A holder of special codes."""

    password: str
    afm: str
    fullname: str
    active: bool = True
    registered: bool = True


def default_users() -> dict[str, User]:
    """The demo codes plus two users that exercise the other credential errors."""
    return {
        DEMO_USERNAME: User(DEMO_PASSWORD, "094019245", "ΔΟΚ*** ΧΡΗ*** του ΕΠΙ***"),
        "AFMXLREVOKED1": User(DEMO_PASSWORD, "094019245", "ΔΟΚ*** ΧΡΗ*** του ΕΠΙ***", active=False),
        "AFMXLNOTREG01": User(DEMO_PASSWORD, "094019245", "ΔΟΚ*** ΧΡΗ*** του ΕΠΙ***", registered=False),
    }


@dataclasses.dataclass
class Knobs:
    """Behaviour that tests and demos can change, also while the server runs."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    #: probability of a random HTTP 5xx before the service sees the call
    fail_rate: float = 0.0
    daily_limit: int | None = None
    monthly_limit: int | None = None
    #: failed calls tolerated within ``failure_window_s`` before the lock-out
    failures_tolerated: int | None = None
    failure_window_s: float = 3 * 3600
    #: inject this fault (one of :data:`FAULTS`) into the next ``fault_count`` calls (None = all)
    fault: str | None = None
    fault_count: int | None = None
    #: after this many answered calls, every user's codes count as revoked
    revoke_after_calls: int | None = None
    #: replies to send verbatim instead of answering (one per call; tests replay captured replies)
    replay: list[bytes] = dataclasses.field(default_factory=list)
    #: afm_called_by values that have not authorised anybody
    unauthorising_afms: frozenset[str] = frozenset({"090165560"})


class State:
    """Users, counters, quotas and the registry, shared by the handler threads."""

    def __init__(self, knobs: Knobs, users: dict[str, User] | None = None, registry=None, seed: int | None = None):
        self.knobs = knobs
        self.users = users if users is not None else default_users()
        self._registry = registry
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.call_seq_id = FIRST_CALL_SEQ_ID
        self.total_calls = 0
        self.requests = 0
        self.version_calls = 0
        self.faults_injected = 0
        #: epoch seconds when the first SOAP request arrived (cold-start measurements)
        self.first_request_at: float | None = None
        self.http_errors = collections.Counter()
        self.calls_by_username: collections.Counter[str] = collections.Counter()
        self.calls_by_error_code: collections.Counter[str] = collections.Counter()
        self.calls_by_afm: collections.Counter[str] = collections.Counter()
        self.daily: collections.Counter[tuple[str, str]] = collections.Counter()
        self.monthly: collections.Counter[tuple[str, str]] = collections.Counter()
        self.failures: dict[str, collections.deque] = collections.defaultdict(collections.deque)

    @property
    def registry(self):
        if self._registry is None:
            from .registry import default_registry

            self._registry = default_registry()
        return self._registry

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "total_calls": self.total_calls,
                "requests": self.requests,
                "version_calls": self.version_calls,
                "faults_injected": self.faults_injected,
                "first_request_at": self.first_request_at,
                "http_errors": dict(self.http_errors),
                "calls_by_username": dict(self.calls_by_username),
                "calls_by_error_code": dict(self.calls_by_error_code),
                "calls_by_afm": dict(self.calls_by_afm),
                "last_call_seq_id": self.call_seq_id,
            }

    def take_fault(self) -> str | None:
        """The fault to inject into this call, if any (consumes one of ``fault_count``)."""
        with self.lock:
            knobs = self.knobs
            if knobs.fault:
                fault = knobs.fault
                if knobs.fault_count is not None:
                    knobs.fault_count -= 1
                    if knobs.fault_count <= 0:
                        knobs.fault, knobs.fault_count = None, None
                self.faults_injected += 1
                return fault
            if knobs.fail_rate and self.random.random() < knobs.fail_rate:
                self.faults_injected += 1
                return self.random.choice(("http500", "http502", "http503"))
        return None

    def take_replay(self) -> bytes | None:
        with self.lock:
            if self.knobs.replay:
                return self.knobs.replay.pop(0)
        return None

    # -- the service's decision order (docs §10.1) --------------------------------------------
    def answer(self, request: soap.Request, now: datetime.datetime | None = None) -> bytes:
        from stdnum.gr import vat

        from ..gsis.codes import greek_text

        now = now or datetime.datetime.now()
        today = now.date()
        as_on = request.as_on_date or today
        knobs = self.knobs
        with self.lock:
            self.call_seq_id += 1
            seq = self.call_seq_id
            self.total_calls += 1
            username = (request.username or "").strip()
            if username:
                self.calls_by_username[username] += 1
            if request.afm_called_for:
                self.calls_by_afm[request.afm_called_for] += 1

            def error(code: str, *, failure: bool = True) -> bytes:
                self.calls_by_error_code[code] += 1
                if failure and username:
                    self.failures[username].append(now.timestamp())
                return soap.afm_reply(
                    call_seq_id=seq, as_on_date=as_on, error=(code, greek_text(code))
                )

            if not username:
                return error("RG_WS_PUBLIC_TOKEN_USERNAME_NOT_DEFINED")
            if len(username) > MAX_USERNAME:
                return error("RG_WS_PUBLIC_TOKEN_USERNAME_TOO_LONG")
            user = self.users.get(username)
            if user is None or user.password != (request.password or ""):
                return error("RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED")
            revoked = knobs.revoke_after_calls is not None and self.total_calls > knobs.revoke_after_calls
            if not user.active or revoked:
                return error("RG_WS_PUBLIC_TOKEN_USERNAME_NOT_ACTIVE")
            if not user.registered:
                return error("RG_WS_PUBLIC_TOKEN_AFM_NOT_REGISTERED")
            caller = (request.afm_called_by or "").strip()
            caller_name = user.fullname
            if caller and caller != user.afm:
                entry = self.registry.get(caller) if vat.is_valid(caller) else None
                if entry is None:
                    return error("RG_WS_PUBLIC_AFM_CALLED_BY_NOT_FOUND")
                if caller in knobs.unauthorising_afms:
                    return error("RG_WS_PUBLIC_TOKEN_AFM_NOT_AUTHORIZED")
                caller_name = _mask(entry.basic.get("onomasia") or "")
            # quotas and the lock-out
            if knobs.failures_tolerated is not None:
                window = self.failures[username]
                while window and window[0] < now.timestamp() - knobs.failure_window_s:
                    window.popleft()
                if len(window) >= knobs.failures_tolerated:
                    return error("RG_WS_PUBLIC_FAILURES_TOLERATED_EXCEEDED", failure=False)
            day_key = (username, today.isoformat())
            month_key = (username, today.strftime("%Y-%m"))
            if knobs.daily_limit is not None and self.daily[day_key] >= knobs.daily_limit:
                return error("RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED", failure=False)
            if knobs.monthly_limit is not None and self.monthly[month_key] >= knobs.monthly_limit:
                return error("RG_WS_PUBLIC_MONTHLY_LIMIT_EXCEEDED", failure=False)
            self.daily[day_key] += 1
            self.monthly[month_key] += 1
            if not request.has_input:
                return error("RG_WS_PUBLIC_NO_INPUT_PARAMETERS")
            afm = request.afm_called_for or ""
            if not (len(afm) == 9 and afm.isdigit() and afm != "000000000" and vat.is_valid(afm)):
                return error("RG_WS_PUBLIC_WRONG_AFM")
            entry = self.registry.get(afm)
            if entry is None:
                return error("RG_WS_PUBLIC_TAXPAYER_NF", failure=False)
            if entry.kind != "business":
                return error("RG_WS_PUBLIC_EPIT_NF", failure=False)
            self.calls_by_error_code["OK"] += 1
            caller_rec = {
                "token_username": username,
                "token_afm": user.afm,
                "token_afm_fullname": user.fullname,
                "afm_called_by": caller or user.afm,
                "afm_called_by_fullname": caller_name,
            }
        return soap.afm_reply(
            call_seq_id=seq, as_on_date=as_on, caller=caller_rec, basic=entry.basic,
            activities=entry.activities,
        )


def _mask(name: str) -> str:
    """``ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ`` → ``ΤΡΑ*** ΕΘΝ***``, as the service masks caller names."""
    return " ".join(word[:3] + "***" for word in name.split()[:3])


_BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)


def _hostile(kind: str, normal: bytes) -> bytes:
    """``normal`` with a DTD in front (entity expansion bomb or external entity)."""
    body = normal.decode("utf-8").split("?>", 1)[1]
    if kind == "billion_laughs":
        return (_BILLION_LAUGHS + body.replace("<call_seq_id>", "<call_seq_id>&lol9;", 1)).encode()
    prolog = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return (prolog + body.replace("<onomasia>", "<onomasia>&xxe;", 1)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "afm-xl-emulator"
    sys_version = ""
    # headers and body leave in one send when the request is handled (one wake-up of the client)
    wbufsize = 64 * 1024
    state: State  # set on the subclass made by Emulator

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def handle_expect_100(self) -> bool:
        answer = super().handle_expect_100()
        self.wfile.flush()  # the client waits for the «100 Continue» before it sends the body
        return answer

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms a call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # -- helpers --------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, status: int = 200) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _soap(self, body: bytes, status: int = 200) -> None:
        self._send(status, body, "application/soap+xml; charset=utf-8")

    def _reset(self, partial: bytes) -> None:
        """Send part of a reply, then reset the connection (RST)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(partial) * 2))
        self.end_headers()
        self.wfile.write(partial)
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    # -- GET ------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k.lower(): v for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/_emulator/stats":
            return self._json(self.state.stats())
        if url.path == "/_emulator/afms":
            try:
                limit = max(0, min(int(query.get("limit", ["100"])[0]), 1_000_000))
            except ValueError:
                return self._json({"error": "limit must be a number"}, 400)
            return self._json(self.state.registry.existing_afms(limit))
        if url.path == SERVICE_PATH and "wsdl" in query:
            return self._send(200, self._wsdl(), "text/xml; charset=utf-8")
        if url.path == SERVICE_PATH and "xsd" in query:
            from ..gsis.client import XSD_PATH

            return self._send(200, XSD_PATH.read_bytes(), "text/xml; charset=utf-8")
        self._send(404, b"Not Found", "text/plain")

    def _wsdl(self) -> bytes:
        from ..gsis.client import WSDL_PATH

        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        text = WSDL_PATH.read_text(encoding="utf-8")
        base = f"http://{host}{SERVICE_PATH}"
        text = text.replace("https://www1.gsis.gr:443/wsaade/RgWsPublic2/RgWsPublic2", base)
        return text.encode("utf-8")

    # -- POST -----------------------------------------------------------------------------------
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            self.close_connection = True
            return self._send(413, b"Request Entity Too Large", "text/plain")
        if url.path == "/_emulator/config":
            return self._configure(body)
        if url.path != SERVICE_PATH:
            return self._send(404, b"Not Found", "text/plain")
        with self.state.lock:
            self.state.requests += 1
            if self.state.first_request_at is None:
                self.state.first_request_at = time.time()
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media != "application/soap+xml":
            with self.state.lock:
                self.state.http_errors[415] += 1
            return self._send(415, b"Unsupported Media Type", "text/plain")
        knobs = self.state.knobs
        delay = knobs.latency_ms + (self.state.random.uniform(0, knobs.jitter_ms) if knobs.jitter_ms else 0)
        if delay > 0:
            time.sleep(delay / 1000.0)
        fault = self.state.take_fault()
        if fault in ("http500", "http502", "http503"):
            code = int(fault[4:])
            with self.state.lock:
                self.state.http_errors[code] += 1
            return self._send(code, f"{code} {HTTPStatus(code).phrase}".encode(), "text/plain")
        if fault == "html":
            page = b"<html><head><title>Error 503</title></head><body><h1>Service Unavailable</h1></body></html>"
            return self._send(503, page, "text/html")
        try:
            request = soap.parse_request(body)
        except soap.RequestFormatError as exc:
            return self._soap(soap.fault_reply(f"SOAPMessage request format error - {exc}"), 500)
        replay = self.state.take_replay()
        if replay is not None:
            return self._soap(replay)
        if request.operation == "version":
            with self.state.lock:
                self.state.version_calls += 1
            return self._soap(soap.version_reply())
        if fault == "soap_fault":
            return self._soap(
                soap.fault_reply("SOAPMessage response error - java.sql.SQLException", "env:Receiver"), 500
            )
        if fault == "not_active":
            reply = soap.afm_reply(
                call_seq_id=0, as_on_date=datetime.date.today(),
                error=("RG_WS_PUBLIC_SERVICE_NOT_ACTIVE", "Η υπηρεσία δεν είναι ενεργή."),
            )
            return self._soap(reply)
        reply = self.state.answer(request)
        if fault == "reset":
            return self._reset(reply[: len(reply) // 3])
        if fault == "truncated":
            return self._soap(reply[: len(reply) // 2])
        if fault == "malformed":
            return self._soap(reply.replace(b"</basic_rec>", b"</basic_recx>", 1).replace(b"<error_rec>", b"<error_rec><", 1))
        if fault in ("billion_laughs", "external_entity"):
            return self._soap(_hostile(fault, reply))
        if fault == "wrong_afm_echo":
            return self._soap(reply.replace(b"<afm>", b"<afm>1", 1))
        self._soap(reply)

    def _read_body(self, limit: int = 1_000_000) -> bytes | None:
        """The request body, by Content-Length or chunked (.NET and Node clients send either); None if too big."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > limit:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)  # the CRLF after each chunk
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _configure(self, body: bytes) -> None:
        try:
            changes = json.loads(body or b"{}")
            knobs = self.state.knobs
            with self.state.lock:
                for key, value in changes.items():
                    if key == "fault" and value is not None and value not in FAULTS:
                        raise ValueError(f"unknown fault {value!r}")
                    if not hasattr(knobs, key) or key == "replay":
                        raise ValueError(f"unknown knob {key!r}")
                    setattr(knobs, key, value)
        except (ValueError, TypeError, AttributeError) as exc:
            return self._json({"error": str(exc)}, 400)
        public = {k: v for k, v in dataclasses.asdict(knobs).items() if k != "replay"}
        public["unauthorising_afms"] = sorted(knobs.unauthorising_afms)
        self._json(public)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class Emulator:
    """The emulator as an object: start it in a background thread, or serve forever."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        fail_rate: float = 0.0,
        daily_limit: int | None = None,
        monthly_limit: int | None = None,
        failures_tolerated: int | None = None,
        seed: int | None = None,
        users: dict[str, User] | None = None,
        registry=None,
    ):
        self.knobs = Knobs(
            latency_ms=latency_ms, jitter_ms=jitter_ms, fail_rate=fail_rate, daily_limit=daily_limit,
            monthly_limit=monthly_limit, failures_tolerated=failures_tolerated,
        )
        self.state = State(self.knobs, users, registry, seed)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def base_url(self) -> str:
        host, port = self.address
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The service endpoint, to pass as ``--endpoint`` / ``AFM_XL_ENDPOINT``."""
        return self.base_url + SERVICE_PATH

    def stats(self) -> dict[str, Any]:
        return self.state.stats()

    def start(self) -> "Emulator":
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="afm-xl-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
