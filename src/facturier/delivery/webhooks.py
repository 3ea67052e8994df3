"""Outbound webhooks over HTTP, as the Standard Webhooks specification says (standardwebhooks.com).

Signing: the endpoint's secret is ``whsec_`` + base64 of the key; the signed content is
``{webhook-id}.{webhook-timestamp}.{body}`` and the ``webhook-signature`` header is
``v1,<base64 HMAC-SHA256>``, so a receiver verifies with any Standard Webhooks library
(the `standardwebhooks` package signs here, the same code receivers use to verify).

SSRF guard: a webhook URL is chosen by a seller, and the worker that POSTs to it sits inside
the deployment's network, next to the database and the cloud's metadata service
(169.254.169.254). So a URL must be https, carry no user:password, and every address its host
resolves to must be public: loopback, private, shared (CGNAT), link-local, multicast, reserved
and unspecified addresses are refused, IPv4 and IPv6 alike, IPv4-mapped/compatible IPv6 and
NAT64/6to4 embeddings checked as the IPv4 address they carry. `allow_private` (the setting
FACTURIER_WEBHOOKS_ALLOW_PRIVATE, tests only) lifts the address rule and allows plain http.

DNS rebinding: a host that resolved to a public address when the endpoint was registered may
resolve to 127.0.0.1 a minute later. So the URL is resolved and checked again at every send,
and the request connects to the address that was just checked (the URL's host is replaced by
that IP; the Host header and the TLS server name stay the registered host's, so virtual
hosting and certificate checks are unchanged). No proxy from the environment is used and
redirects are not followed: a 3xx is a failed attempt, never a hop to an unchecked address.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from facturier.domain.errors import InvalidInput, invalid

USER_AGENT = "Facturier-Webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024  # of a receiver's answer we read at most this much, then hang up
MAX_URL_LENGTH = 2000  # the column's width (storage.service_tables.webhook_endpoints.url)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64, well-known and local-use).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


@dataclass(frozen=True, slots=True)
class Target:
    """A webhook URL whose host was resolved and checked: where to connect, and as whom."""

    url: str
    host: str  # as in the URL, IDNA-encoded (the name resolved, the Host header and the TLS server name)
    addresses: tuple[str, ...]  # every address the host resolved to, all allowed


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """What one POST gave: a status code, or an error (no answer), and how long it took."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


# --- signing ---------------------------------------------------------------------------------


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``."""
    return Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body)


def signed_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header of a delivery: the three of Standard Webhooks, the content type, who we are."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


# --- the SSRF guard --------------------------------------------------------------------------


def check_url(url: str, allow_private: bool) -> None:
    """Refuse (`InvalidInput`, rule WEBHOOK-URL, path ``url``) a URL Facturier must not POST to."""
    resolve(url, allow_private)


def resolve(url: str, allow_private: bool) -> Target:
    """Check `url`'s form, resolve its host and check every address (see the module docstring)."""
    parsed = _parsed(url, allow_private)
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded, as DNS knows it
    addresses = _addresses(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    if not allow_private:
        for address in addresses:
            reason = forbidden_address(ipaddress.ip_address(address))
            if reason:
                raise _refused(f"{host} resolves to {address}, a {reason} address: webhooks go to public hosts only")
    return Target(url, host, addresses)


def _parsed(url: str, allow_private: bool) -> httpx.URL:
    if len(url) > MAX_URL_LENGTH:
        raise _refused(f"longer than {MAX_URL_LENGTH} characters")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise _refused(f"not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        raise _refused(f"scheme {parsed.scheme or '(none)'!r}: only https (http only in tests) is allowed")
    if parsed.userinfo:
        raise _refused("user:password in the URL is not allowed: authenticate with the webhook signature")
    if parsed.scheme != "https" and not allow_private:
        raise _refused("https is required: the events name your customers and amounts")
    if not parsed.host:
        raise _refused("no host")
    return parsed


def _addresses(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise _refused(f"{host} does not resolve: {exc}") from None
    found = tuple(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))  # no IPv6 zone ids
    if not found:
        raise _refused(f"{host} does not resolve")
    return found


def forbidden_address(ip: IPAddress) -> str:
    """Why `ip` is not a public address ("loopback", "private"...), or "" when it is."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return forbidden_address(embedded)
    for reason, test in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if test:
            return reason
    return "" if ip.is_global else "non-public"  # e.g. 100.64.0.0/10 (CGNAT), documentation ranges


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (::ffff:a.b.c.d, ::a.b.c.d, 6to4, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    packed = ip.packed
    if any(ip in net for net in _NAT64) or (packed[:12] == bytes(12) and int(ip) > 1):  # NAT64, deprecated ::a.b.c.d
        return ipaddress.IPv4Address(packed[12:])
    return None


def _refused(message: str) -> InvalidInput:
    return invalid("WEBHOOK-URL", "url", message)


# --- sending ---------------------------------------------------------------------------------


def send(
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    timeout: float,
    allow_private: bool,
    *,
    verify: ssl.SSLContext | None = None,
) -> AttemptResult:
    """Check `url` now (DNS rebinding) and POST to the address just checked; a refusal is a failed attempt."""
    started = time.monotonic()
    try:
        target = resolve(url, allow_private)
    except InvalidInput as exc:
        return AttemptResult(None, f"refused: {exc.violations[0].message}", _ms(started))
    return post(url, headers, body, timeout, address=target.addresses[0], verify=verify)


def post(
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    timeout: float,
    *,
    address: str | None = None,
    verify: ssl.SSLContext | None = None,
) -> AttemptResult:
    """POST `body` once: no redirect followed, no proxy, at most 64 KB of the answer read.

    With `address`, connect there instead of resolving the URL's host again (see `send`).
    `verify`: the TLS context that checks the receiver's certificate (default: the public
    CAs of certifi, hostname checked). Never raises for network trouble: a timeout, a refused
    connection or a bad certificate is an `error`.
    """
    started = time.monotonic()
    request_url, request_headers, extensions = _pinned(httpx.URL(url), dict(headers), address)
    options: dict[str, Any] = {"follow_redirects": False, "trust_env": False, "timeout": httpx.Timeout(timeout)}
    if verify is not None:
        options["verify"] = verify
    try:
        with (
            httpx.Client(**options) as client,
            client.stream(
                "POST", request_url, content=body, headers=request_headers, extensions=extensions
            ) as response,
        ):
            _read_some(response)
            return AttemptResult(response.status_code, None, _ms(started))
    except httpx.HTTPError as exc:
        return AttemptResult(None, f"{type(exc).__name__}: {exc}"[:1000], _ms(started))


def _pinned(
    url: httpx.URL, headers: dict[str, str], address: str | None
) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL with its host replaced by `address`; Host header and TLS server name kept (SNI)."""
    if address is None:
        return url, headers, {}
    headers["host"] = url.netloc.decode("ascii")
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    return url.copy_with(host=address), headers, extensions


def _read_some(response: httpx.Response) -> None:
    """Read up to MAX_RESPONSE_BYTES of the answer (a receiver cannot make us download a film)."""
    read = 0
    for chunk in response.iter_raw():
        read += len(chunk)
        if read >= MAX_RESPONSE_BYTES:
            break


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
