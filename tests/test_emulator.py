"""The emulator on the wire: media types, faults, namespaces, prefixes, extra endpoints, the command."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from afm_xl.emulator.server import DEMO_PASSWORD, DEMO_USERNAME
from conftest import cli_env

SAMPLES = Path(__file__).parent / "data" / "samples"


def post(url, body: bytes, content_type="application/soap+xml; charset=utf-8", **headers):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.headers.get("Content-Type"), reply.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read().decode("utf-8", "replace")


def official_request(afm="094014201", username=DEMO_USERNAME, password=DEMO_PASSWORD, date=None) -> bytes:
    """The official example's shape (ns1/ns2/ns3 prefixes), filled in."""
    text = (SAMPLES / "rgWsPublic2AfmMethod_Request_template.bazzil.xml").read_text("utf-8")
    text = text.replace("<!--{USERNAME}-->", username).replace("<!--{PASSWORD}-->", password)
    text = text.replace("<!--{CALLED_BY}-->", "").replace("<!--{CALLED_FOR}-->", afm)
    if date is None:
        text = text.replace("<ns3:as_on_date><!--{DATE}--></ns3:as_on_date>", "")
    else:
        text = text.replace("<!--{DATE}-->", date)
    return text.encode("utf-8")


def test_official_request_shape_is_answered(emulator):
    status, media, body = post(emulator.url, official_request())
    assert status == 200 and media.startswith("application/soap+xml")
    assert body.startswith("<?xml version='1.0' encoding='UTF-8'?><env:Envelope")
    assert "<onomasia>ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ ΤΗΣ ΕΛΛΑΔΟΣ ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ</onomasia>" in body
    assert "<error_code xsi:nil=\"true\"/>" in body and "<firm_act_tab>" in body


def test_post_to_wsdl_url_and_action_parameter_accepted(emulator):
    status, _, body = post(
        emulator.url + "?WSDL", official_request(),
        'application/soap+xml; charset=UTF-8; action="http://rgwspublic2/RgWsPublic2Service:rgWsPublic2AfmMethod"',
        SOAPAction='"http://rgwspublic2/RgWsPublic2Service:rgWsPublic2AfmMethod"',
    )
    assert status == 200 and "<afm>094014201" in body


def test_other_media_types_get_415(emulator):
    status, _, _ = post(emulator.url, official_request(), "text/xml; charset=utf-8")
    assert status == 415


def test_empty_as_on_date_is_http_500_fault(emulator):
    status, _, body = post(emulator.url, official_request(date=""))
    assert status == 500
    assert "SOAPMessage request format error - java.lang.NullPointerException" in body
    assert "<env:Fault>" in body


def test_unparsable_body_is_http_500_fault(emulator):
    status, _, body = post(emulator.url, b"<env:Envelope><broken")
    assert status == 500 and "request format error" in body


def test_request_with_dtd_is_refused(emulator):
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>' + official_request().split(b"?>", 1)[-1]
    status, _, text = post(emulator.url, body)
    assert status == 500 and "Fault" in text


def test_input_rec_in_types_namespace_is_no_input(emulator):
    body = official_request().replace(b"ns2:INPUT_REC", b"ns3:INPUT_REC")
    status, _, text = post(emulator.url, body)
    assert status == 200 and "RG_WS_PUBLIC_NO_INPUT_PARAMETERS" in text
    assert "<firm_act_tab>" not in text


def test_security_in_other_namespace_is_read_by_local_name(emulator):
    body = official_request().replace(
        b"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
        b"http://schemas.xmlsoap.org/ws/2002/07/secext",
    )
    status, _, text = post(emulator.url, body)
    assert status == 200 and "<afm>094014201" in text


def test_credentials_in_http_basic_are_not_credentials(emulator):
    body = official_request().replace(b"<ns1:Security>", b"<ns1:Nothing>").replace(b"</ns1:Security>", b"</ns1:Nothing>")
    status, _, text = post(emulator.url, body, Authorization="Basic QUZNWExERU1PMDE6RGVtbyFQYXNzMjAyNg==")
    assert status == 200 and "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_DEFINED" in text


def test_version_needs_no_credentials(emulator):
    status, _, text = post(emulator.url, (SAMPLES / "rgWsPublic2VersionInfo_Request.bazzil.xml").read_bytes())
    assert status == 200 and "Release: 4.0.0, 01/07/2018" in text


def test_error_reply_escapes_and_nil_shape(emulator):
    status, _, text = post(emulator.url, official_request(password="&lt;&amp;&gt;"))  # the password <&>
    assert status == 200 and "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED" in text
    assert text.count('xsi:nil="true"/>') == 22  # 5 caller fields + 17 basic_rec fields
    assert "<&>" not in text


def test_stats_and_afms_endpoints(emulator, client):
    import time

    assert emulator.stats()["first_request_at"] is None
    before = time.time()
    client.lookup("094014201")
    assert before <= emulator.stats()["first_request_at"] <= time.time()
    client.lookup("123456789")
    stats = json.loads(urllib.request.urlopen(emulator.base_url + "/_emulator/stats").read())
    assert stats["total_calls"] == 2
    assert stats["calls_by_username"] == {DEMO_USERNAME: 2}
    assert stats["calls_by_error_code"] == {"OK": 1, "RG_WS_PUBLIC_WRONG_AFM": 1}
    afms = json.loads(urllib.request.urlopen(emulator.base_url + "/_emulator/afms?limit=25").read())
    assert len(afms) == 25 and len(set(afms)) == 25
    again = json.loads(urllib.request.urlopen(emulator.base_url + "/_emulator/afms?limit=25").read())
    assert afms == again
    for afm in afms[:5]:
        assert client.lookup(afm).status == "ok"


def test_config_endpoint_sets_knobs(emulator, client):
    request = urllib.request.Request(
        emulator.base_url + "/_emulator/config", data=json.dumps({"monthly_limit": 1}).encode(), method="POST"
    )
    assert json.loads(urllib.request.urlopen(request).read())["monthly_limit"] == 1
    bad = urllib.request.Request(
        emulator.base_url + "/_emulator/config", data=json.dumps({"nope": 1}).encode(), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(bad)


def test_wsdl_is_served_pointing_at_the_emulator(emulator):
    text = urllib.request.urlopen(emulator.url + "?WSDL").read().decode()
    assert f'location="{emulator.url}"' in text
    assert "RgWsPublic2Service_SOAP_HTTP" in text


def test_emulator_command_prints_url_first(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "afm_xl", "emulator", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(tmp_path),
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/wsaade/RgWsPublic2/RgWsPublic2")
        status, _, body = post(url, official_request("090000045"))
        assert status == 200 and "ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ" in body
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_chunked_request_body_is_read(emulator):
    import http.client

    host, port = emulator.address
    connection = http.client.HTTPConnection(host, port, timeout=10)
    body = official_request("090000045")
    chunks = [body[i : i + 100] for i in range(0, len(body), 100)]
    connection.request(
        "POST", "/wsaade/RgWsPublic2/RgWsPublic2", body=iter(chunks),
        headers={"Content-Type": "application/soap+xml", "Transfer-Encoding": "chunked"}, encode_chunked=True,
    )
    reply = connection.getresponse()
    assert reply.status == 200 and "ΔΗΜΟΣΙΑ ΕΠΙΧΕΙΡΗΣΗ ΗΛΕΚΤΡΙΣΜΟΥ" in reply.read().decode()
    connection.close()


def test_expect_100_continue_is_honoured(emulator):
    import socket

    host, port = emulator.address
    body = official_request("094014201")
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            b"POST /wsaade/RgWsPublic2/RgWsPublic2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml\r\n"
            + f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n".encode()
        )
        assert sock.recv(64).startswith(b"HTTP/1.1 100")
        sock.sendall(body)
        reply = b""
        while b"</env:Envelope>" not in reply:
            data = sock.recv(65536)
            if not data:
                break
            reply += data
    assert b"200 OK" in reply and "ΤΡΑΠΕΖΑ ΕΘΝΙΚΗ".encode() in reply
