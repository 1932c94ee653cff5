"""The real zeep client against the emulator over HTTP on loopback: records, error codes, faults, samples."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from afm_xl import errors
from afm_xl.credentials import Credentials
from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME, Emulator
from afm_xl.gsis import codes
from afm_xl.gsis.client import GsisClient

SAMPLES = Path(__file__).parent / "data" / "samples"


def test_public_record_094014201(client):
    result = client.lookup("094014201")
    assert result.status == "ok" and result.source == "gsis"
    record = result.record
    assert record.afm == "094014201"
    assert record.name == "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ"
    assert (record.doy_code, record.doy_name) == ("1159", "ΦΑΕ ΑΘΗΝΩΝ")
    assert record.legal_form == "ΑΕ"
    assert record.natural_person is False and record.active is True
    assert record.firm_type == "ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ"
    assert (record.street, record.street_number, record.postal_code, record.city) == ("ΑΙΟΛΟΥ", "86", "10559", "ΑΘΗΝΑ")
    assert record.address == "ΑΙΟΛΟΥ 86, 10559 ΑΘΗΝΑ"
    assert record.registration_date == datetime.date(1900, 1, 1) and record.stop_date is None
    assert record.normal_vat is True
    assert record.main_activity.code == "64191204"
    assert {a.code for a in record.activities} == {"64191204", "66221001"}
    assert record.as_on_date == datetime.date.today()
    assert int(record.call_seq_id) > 0
    assert record.fetched_at.tzinfo is not None


def test_public_record_090000045_has_padded_kad_and_collapsed_spaces(client):
    record = client.lookup("090000045").record
    assert record.name == "ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ ΑΝΩΝΥΜΗ ΕΤΑΙΡΙΑ"
    assert record.commercial_title == "Δ.Ε.Η. Α.Ε. - Δ.Ε.Η."
    assert record.street_line == "ΧΑΛΚΟΚΟΝΔΥΛΗ 30" and record.postal_code == "10432"
    assert len(record.activities) == 11
    assert sum(a.kind == 1 for a in record.activities) == 1
    assert "05200000" in {a.code for a in record.activities}
    assert all(len(a.code) == 8 for a in record.activities)


def test_public_record_090165560(client):
    record = client.lookup("090165560").record
    assert record.name == "ΥΠΟΥΡΓΕΙΟ ΟΙΚΟΝΟΜΙΚΩΝ ΓΕΝΙΚΗ ΔIEYΘΥΝΣΗ Δ ΚΗΣΥΠ ΞΗΣ Δ ΟΙΚ"
    assert record.legal_form == "ΔΗΜΟΣΙΑ ΥΠΗΡΕΣΙΑ" and record.normal_vat is False
    assert record.main_activity.code == "84111000"


def test_call_seq_id_increases(client):
    first = int(client.lookup("094014201").record.call_seq_id)
    second = int(client.lookup("094014201").record.call_seq_id)
    assert second > first


def test_as_on_date_sent_and_echoed(client, emulator):
    record = client.lookup("094014201", as_on_date="2020-01-02").record
    assert record.as_on_date == datetime.date(2020, 1, 2)
    record = client.lookup("094014201", as_on_date=datetime.date(2021, 3, 4)).record
    assert record.as_on_date == datetime.date(2021, 3, 4)


@pytest.mark.parametrize(
    "afm, status, code",
    [
        ("123456789", "not_found", "RG_WS_PUBLIC_WRONG_AFM"),
        ("000000000", "not_found", "RG_WS_PUBLIC_WRONG_AFM"),
        ("1234567890", "not_found", "RG_WS_PUBLIC_WRONG_AFM"),
    ],
)
def test_business_errors_as_row_statuses(client, afm, status, code):
    result = client.lookup(afm)
    assert (result.status, result.error_code) == (status, code)
    assert result.message == codes.greek_text(code)
    assert result.record is None


def test_unknown_and_individual(client):
    from afm_xl.emulator.registry import default_registry

    registry = default_registry()
    unknown = registry.unknown_afms(1)[0]
    individual = registry.individual_afms(1)[0]
    assert client.lookup(unknown).error_code == "RG_WS_PUBLIC_TAXPAYER_NF"
    assert client.lookup(unknown).status == "not_found"
    result = client.lookup(individual)
    assert (result.status, result.error_code) == ("not_business", "RG_WS_PUBLIC_EPIT_NF")


def test_deactivated_is_ok_but_inactive(client):
    from afm_xl.emulator.registry import default_registry

    afm = default_registry().deactivated_afms(1)[0]
    record = client.lookup(afm).record
    assert record.active is False and record.stop_date is not None


@pytest.mark.parametrize(
    "username, password, code",
    [
        (DEMO_USERNAME, "wrong-password", "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"),
        ("NOSUCHUSER0001", DEMO_PASSWORD, "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"),
        ("U" * 101, DEMO_PASSWORD, "RG_WS_PUBLIC_TOKEN_USERNAME_TOO_LONG"),
        ("AFMXLREVOKED1", DEMO_PASSWORD, "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_ACTIVE"),
        ("AFMXLNOTREG01", DEMO_PASSWORD, "RG_WS_PUBLIC_TOKEN_AFM_NOT_REGISTERED"),
    ],
)
def test_authentication_errors_raise_and_are_not_retried(emulator, username, password, code):
    client = GsisClient(Credentials(username, password), endpoint=emulator.url, backoff=0)
    with pytest.raises(errors.AuthenticationError) as info:
        client.lookup("094014201")
    assert info.value.code == code and info.value.exit_code == 3
    assert password not in str(info.value)
    assert emulator.stats()["total_calls"] == 1  # never retried


def test_no_credentials_gives_username_not_defined(emulator):
    with pytest.raises(errors.AuthenticationError) as info:
        GsisClient(None, endpoint=emulator.url).lookup("094014201")
    assert info.value.code == "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_DEFINED"


def test_lowercase_username_is_sent_uppercase(emulator):
    client = GsisClient(Credentials(DEMO_USERNAME.lower(), DEMO_PASSWORD), endpoint=emulator.url)
    assert client.lookup("094014201").status == "ok"
    assert emulator.stats()["calls_by_username"] == {DEMO_USERNAME: 1}


@pytest.mark.parametrize(
    "caller, outcome",
    [
        ("094019245", "ok"),  # the owner of the demo codes
        ("094014201", "ok"),  # an AFM that authorised the demo user
        ("090165560", "RG_WS_PUBLIC_TOKEN_AFM_NOT_AUTHORIZED"),
        ("123456789", "RG_WS_PUBLIC_AFM_CALLED_BY_NOT_FOUND"),
    ],
)
def test_afm_called_by(emulator, demo_credentials, caller, outcome):
    client = GsisClient(demo_credentials, endpoint=emulator.url, afm_called_by=caller)
    if outcome == "ok":
        assert client.lookup("090000045").status == "ok"
    else:
        with pytest.raises(errors.AuthenticationError) as info:
            client.lookup("090000045")
        assert info.value.code == outcome


@pytest.mark.parametrize(
    "knob, code",
    [
        ("daily_limit", "RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED"),
        ("monthly_limit", "RG_WS_PUBLIC_MONTHLY_LIMIT_EXCEEDED"),
    ],
)
def test_quota_errors_raise_after_k_calls(emulator, client, knob, code):
    setattr(emulator.knobs, knob, 2)
    assert client.lookup("094014201").ok and client.lookup("090000045").ok
    with pytest.raises(errors.QuotaError) as info:
        client.lookup("090165560")
    assert info.value.code == code and info.value.exit_code == 4
    assert emulator.stats()["total_calls"] == 3  # never retried


def test_failed_call_lockout(emulator, demo_credentials):
    emulator.knobs.failures_tolerated = 2
    bad = GsisClient(Credentials(DEMO_USERNAME, "wrong-password"), endpoint=emulator.url)
    for _ in range(2):
        with pytest.raises(errors.AuthenticationError):
            bad.lookup("094014201")
    good = GsisClient(demo_credentials, endpoint=emulator.url)
    with pytest.raises(errors.QuotaError) as info:
        good.lookup("094014201")
    assert info.value.code == "RG_WS_PUBLIC_FAILURES_TOLERATED_EXCEEDED"


def test_service_not_active_raises(emulator, client):
    emulator.knobs.fault = "not_active"
    with pytest.raises(errors.ServiceUnavailableError) as info:
        client.lookup("094014201")
    assert info.value.code == "RG_WS_PUBLIC_SERVICE_NOT_ACTIVE"


@pytest.mark.parametrize(
    "fault, code",
    [
        ("http500", "HTTP_500"),
        ("http502", "HTTP_502"),
        ("http503", "HTTP_503"),
        ("html", "HTTP_503"),
        ("reset", "CONNECTION_ERROR"),
        ("truncated", "MALFORMED_REPLY"),
        ("malformed", "MALFORMED_REPLY"),
        ("soap_fault", "SOAP_FAULT"),
        ("billion_laughs", "HOSTILE_REPLY"),
        ("external_entity", "HOSTILE_REPLY"),
        ("wrong_afm_echo", "MISMATCHED_REPLY"),
    ],
)
def test_transient_faults_are_retried_then_raised(emulator, demo_credentials, fault, code):
    emulator.knobs.fault = fault
    client = GsisClient(demo_credentials, endpoint=emulator.url, retries=2, backoff=0)
    with pytest.raises(errors.TransientError) as info:
        client.lookup("094014201")
    assert info.value.code == code
    assert client.calls == 3  # one try and two retries
    assert emulator.stats()["faults_injected"] == 3


def test_transient_fault_then_success(emulator, demo_credentials):
    emulator.knobs.fault, emulator.knobs.fault_count = "http503", 2
    client = GsisClient(demo_credentials, endpoint=emulator.url, retries=2, backoff=0)
    assert client.lookup("094014201").status == "ok"
    assert client.calls == 3


def test_backoff_grows(emulator, demo_credentials):
    delays = []
    emulator.knobs.fault = "http503"
    client = GsisClient(demo_credentials, endpoint=emulator.url, retries=3, backoff=1.0, sleep=delays.append)
    with pytest.raises(errors.TransientError):
        client.lookup("094014201")
    assert len(delays) == 3
    assert 0.5 <= delays[0] <= 1.5 and 1.0 <= delays[1] <= 3.0 and 2.0 <= delays[2] <= 6.0


def test_timeout_is_transient(demo_credentials):
    with Emulator(latency_ms=1500) as slow:
        client = GsisClient(demo_credentials, endpoint=slow.url, timeout=0.3, retries=0)
        with pytest.raises(errors.TransientError) as info:
            client.lookup("094014201")
    assert info.value.code == "TIMEOUT"


def test_billion_laughs_is_rejected_without_expansion(emulator, client):
    emulator.knobs.fault = "billion_laughs"
    client.retries = 0
    started = time.perf_counter()
    with pytest.raises(errors.TransientError):
        client.lookup("094014201")
    assert time.perf_counter() - started < 5  # a guard against a hang, not a speed test


def test_wrong_endpoint_path_stops(emulator, demo_credentials):
    client = GsisClient(demo_credentials, endpoint=emulator.base_url + "/nope", retries=0)
    with pytest.raises(errors.ServiceUnavailableError) as info:
        client.lookup("094014201")
    assert info.value.code == "HTTP_404"


def test_connection_refused_is_transient(demo_credentials):
    emu = Emulator()
    url = emu.url
    emu.stop()
    client = GsisClient(demo_credentials, endpoint=url, retries=0, timeout=2)
    with pytest.raises(errors.TransientError) as info:
        client.lookup("094014201")
    assert info.value.code == "CONNECTION_ERROR"


def test_version(client):
    assert "Release: 4.0.0" in client.version()


# -- the verbatim samples, replayed over HTTP through the real client --------------------------


def test_sample_success_090165560_through_client(emulator, client):
    emulator.knobs.replay.append((SAMPLES / "rgWsPublic2AfmMethod_Response_success_090165560.buffos.xml").read_bytes())
    result = client.lookup("090165560")
    record = result.record
    assert result.status == "ok"
    assert record.call_seq_id == "862701698"
    assert record.as_on_date == datetime.date(2016, 7, 1)
    assert record.doy_code == "1104" and record.doy_name == "Δ΄ ΑΘΗΝΩΝ"
    assert record.name == "ΥΠΟΥΡΓΕΙΟ ΟΙΚΟΝΟΜΙΚΩΝ ΓΕΝΙΚΗ ΔIEYΘΥΝΣΗ Δ ΚΗΣΥΠ ΞΗΣ Δ ΟΙΚ"
    assert record.commercial_title is None
    assert record.street_line == "Κ ΣΕΡΒΙΑΣ 10" and record.city == "ΑΘΗΝΑ"
    assert record.registration_date == datetime.date(1993, 2, 8)
    assert record.main_activity.code == "84111000" and record.main_activity.kind_name == "ΚΥΡΙΑ"


def test_sample_live_error_through_client(emulator, client):
    emulator.knobs.replay.append(
        (SAMPLES / "rgWsPublic2AfmMethod_Response_error_USERNAME_NOT_DEFINED.live.xml").read_bytes()
    )
    with pytest.raises(errors.AuthenticationError) as info:
        client.lookup("094014201")
    assert info.value.code == "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_DEFINED"
    assert str(info.value) == "Δεν ορίσθηκε ο χρήστης που καλεί την υπηρεσία."


def test_sample_version_through_client(emulator, client):
    emulator.knobs.replay.append((SAMPLES / "rgWsPublic2VersionInfo_Response.buffos.xml").read_bytes())
    assert client.version().startswith("Διαδικτυακή Υπηρεσία Α.Α.Δ.Ε.")


def test_emulator_reply_shape_matches_live_capture(emulator):
    """The emulator's error reply equals the live capture but for call_seq_id and the date."""
    import re
    import urllib.request

    live = (SAMPLES / "rgWsPublic2AfmMethod_Response_error_USERNAME_NOT_DEFINED.live.xml").read_text("utf-8")
    request = urllib.request.Request(
        emulator.url,
        data=(SAMPLES / "rgWsPublic2AfmMethod_Request_WithOUTAsOnDate.constructed.xml")
        .read_bytes()
        .replace(b"<ns1:Security>", b"<ns1:Other>")
        .replace(b"</ns1:Security>", b"</ns1:Other>"),
        headers={"Content-Type": "application/soap+xml"},
    )
    ours = urllib.request.urlopen(request).read().decode("utf-8")

    def normalised(text):
        text = re.sub(r"<call_seq_id>\d+</call_seq_id>", "<call_seq_id/>", text.strip())
        return re.sub(r"<as_on_date>[\d-]+</as_on_date>", "<as_on_date/>", text)

    assert normalised(ours) == normalised(live)


@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_every_error_code_maps_to_an_outcome(emulator, client, code):
    """Each service code, replayed in the live reply's shape, gets its typed outcome."""
    from afm_xl.emulator import soap

    emulator.knobs.replay.append(
        soap.afm_reply(call_seq_id=1, as_on_date=datetime.date.today(), error=(code, codes.greek_text(code)))
    )
    kind = codes.kind_of(code)
    expected = {
        "auth": errors.AuthenticationError,
        "quota": errors.QuotaError,
        "down": errors.ServiceUnavailableError,
    }.get(kind)
    if expected:
        with pytest.raises(expected) as info:
            client.lookup("094014201")
        assert info.value.code == code
    else:
        result = client.lookup("094014201")
        assert result.status == {"not_found": "not_found", "not_business": "not_business"}.get(kind, "failed")
        assert result.error_code == code and result.message == codes.greek_text(code)


# -- the plain-reply fast path must read exactly what zeep reads --------------------------------


class _Response:
    def __init__(self, content: bytes, status_code: int = 200):
        self.content, self.status_code = content, status_code
        self.headers = {"Content-Type": "application/soap+xml; charset=utf-8"}


def _zeep_reading(content: bytes):
    from zeep.helpers import serialize_object

    from afm_xl.gsis.client import AFM_METHOD, BINDING, _zeep_client

    client = _zeep_client(20.0)
    binding = client.wsdl.bindings[BINDING]
    return serialize_object(binding.process_reply(client, binding.get(AFM_METHOD), _Response(content)), dict)


def _replies():
    from afm_xl.emulator import soap
    from afm_xl.emulator.registry import default_registry

    registry = default_registry()
    afms = registry.existing_afms(150) + registry.deactivated_afms(20) + list(registry.quirk_afms().values())
    afms += ["094014201", "090000045", "090165560"]
    for afm in afms:
        entry = registry.get(afm)
        yield soap.afm_reply(
            call_seq_id=123, as_on_date=datetime.date(2026, 1, 2), caller={"token_username": "U"},
            basic=entry.basic, activities=entry.activities,
        )
    for code in codes.CODES:
        yield soap.afm_reply(call_seq_id=5, as_on_date=datetime.date(2026, 1, 2), error=(code, codes.greek_text(code)))
    for sample in SAMPLES.glob("*AfmMethod_Response*.xml"):
        yield sample.read_bytes()


def test_plain_reply_reader_equals_zeep_on_every_reply_shape():
    from afm_xl.gsis.client import read_plain_reply

    count = 0
    for content in _replies():
        fast = read_plain_reply(_Response(content))
        assert fast is not None  # these are all plain: the fast path takes them
        assert fast == _zeep_reading(content)
        count += 1
    assert count > 190


@pytest.mark.parametrize(
    "change",
    [
        (b"<call_seq_id>123</call_seq_id>", b"<call_seq_id>1.5e3</call_seq_id>"),  # a number zeep must judge
        (b"<regist_date>", b"<!-- c --><regist_date>"),  # a comment
        (b"<basic_rec>", b"<basic_rec><unknown/>"),  # an element the schema lacks
        (b"<error_rec>", b'<error_rec a="1">'),  # an attribute
    ],
)
def test_plain_reply_reader_declines_what_is_not_plain(change):
    from afm_xl.gsis.client import read_plain_reply

    content = next(_replies()).replace(*change, 1)
    assert content != next(_replies())
    assert read_plain_reply(_Response(content)) is None
    assert read_plain_reply(_Response(next(_replies()), status_code=500)) is None
