"""Webhook signatures are Standard Webhooks' (the specification's published test vector), and
the SSRF guard's address rules, which need no network."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from facturier.delivery.webhooks import USER_AGENT, forbidden_address, sign, signed_headers

# The test vector of the Standard Webhooks specification (its reference libraries test it too).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_sign_reproduces_the_specification_vector() -> None:
    assert sign(SECRET, MSG_ID, TIMESTAMP, BODY) == SIGNATURE


def test_sign_is_hmac_sha256_of_id_timestamp_body_with_the_decoded_key() -> None:
    """The same vector computed by hand with hmac, without the standardwebhooks package."""
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    digest = hmac.new(key, f"{MSG_ID}.{TIMESTAMP}.".encode() + BODY, hashlib.sha256).digest()
    assert "v1," + base64.b64encode(digest).decode() == SIGNATURE


def test_signed_headers_verify_with_the_receivers_library() -> None:
    now = int(time.time())
    body = '{"id":"e1","type":"document.issued","data":{"buyer_name":"Hôtel du Parc"}}'.encode()
    headers = signed_headers(SECRET, "d1", now, body)
    assert headers["webhook-id"] == "d1" and headers["webhook-timestamp"] == str(now)
    assert headers["content-type"] == "application/json" and headers["user-agent"] == USER_AGENT
    assert Webhook(SECRET).verify(body, headers)["data"]["buyer_name"] == "Hôtel du Parc"
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace(b"Parc", b"Lac"), headers)  # one changed byte
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + base64.b64encode(b"another key of 24 bytes!").decode()).verify(body, headers)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("100.64.0.1", "non-public"),  # shared address space (CGNAT)
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:169.254.169.254", "link-local"),
        ("::10.0.0.1", "private"),  # IPv4-compatible (deprecated)
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("93.184.215.14", ""),
        ("2606:4700:4700::1111", ""),
        ("::ffff:93.184.215.14", ""),
    ],
)
def test_forbidden_addresses(address: str, reason: str) -> None:
    assert forbidden_address(ipaddress.ip_address(address)) == reason
