"""VIES VAT id check over the European Commission's REST API (`VatIdChecker` adapter).

Endpoint: POST {url} with JSON ``{"countryCode", "vatNumber"[, "requesterMemberStateCode",
"requesterNumber"]}`` (the "check-vat-number" operation of the VIES REST API). A success
answers ``{"countryCode", "vatNumber", "requestDate", "valid": true|false,
"requestIdentifier", "name", "address", ...}``; the request identifier (the consultation
number, given when the requester's own VAT id is sent) is the evidence to keep
(Implementing Regulation 282/2011 art. 18(1)). Failures answer an HTTP error and/or
``{"actionSucceed": false, "errorWrappers": [{"error": "MS_UNAVAILABLE", "message": ...}]}``
or a ``userError`` other than VALID/INVALID.

Contract (facturier.tax.vies): `check` never raises for network or service failures: anything
but a clear valid/invalid answer is `UNKNOWN`, never `INVALID`. Clear answers are cached in
the process for `cache_seconds` (default one day); UNKNOWN is not cached. Off by default: the
seller profile's `vies.enabled` turns it on.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from facturier.tax import VatCheckResult, VatIdStatus

DEFAULT_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"
MAX_RESPONSE_BYTES = 64_000
_CLEAR = {"VALID": VatIdStatus.VALID, "INVALID": VatIdStatus.INVALID}

_cache: dict[tuple[str, str, str], tuple[float, VatCheckResult]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _split(vat_id: str) -> tuple[str, str]:
    compact = vat_id.replace(" ", "").replace(".", "").replace("-", "").upper()
    return compact[:2], compact[2:]


class ViesChecker:
    """`VatIdChecker` against the VIES REST API; see the module docstring."""

    def __init__(
        self,
        url: str = "",
        timeout: float = 5.0,
        cache_seconds: float = 86_400,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.url = url or DEFAULT_URL
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self.now = now

    def check(self, vat_id: str, requester_vat_id: str | None = None) -> VatCheckResult:
        key = (self.url, vat_id.replace(" ", "").upper(), (requester_vat_id or "").upper())
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.cache_seconds:
            return hit[1]
        result = self._ask(vat_id, requester_vat_id)
        if result.status is not VatIdStatus.UNKNOWN:
            with _cache_lock:
                _cache[key] = (time.monotonic(), result)
        return result

    def _ask(self, vat_id: str, requester_vat_id: str | None) -> VatCheckResult:
        country, number = _split(vat_id)
        body: dict[str, str] = {"countryCode": country, "vatNumber": number}
        if requester_vat_id:
            body["requesterMemberStateCode"], body["requesterNumber"] = _split(requester_vat_id)
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        checked_at = self.now()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read(MAX_RESPONSE_BYTES))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError):
            return VatCheckResult(VatIdStatus.UNKNOWN, checked_at=checked_at)
        return parse_response(data, checked_at)


def parse_response(data: Any, checked_at: datetime | None = None) -> VatCheckResult:
    """A VIES answer as a result: VALID/INVALID only on a clear answer, else UNKNOWN."""
    if not isinstance(data, dict) or data.get("actionSucceed") is False or data.get("errorWrappers"):
        return VatCheckResult(VatIdStatus.UNKNOWN, checked_at=checked_at)
    user_error = str(data.get("userError") or "").upper()
    valid = data.get("valid", data.get("isValid"))
    if user_error and user_error not in _CLEAR:
        return VatCheckResult(VatIdStatus.UNKNOWN, checked_at=checked_at)
    if not isinstance(valid, bool):
        return VatCheckResult(VatIdStatus.UNKNOWN, checked_at=checked_at)
    return VatCheckResult(
        VatIdStatus.VALID if valid else VatIdStatus.INVALID,
        consultation_reference=str(data.get("requestIdentifier") or "") or None,
        checked_at=checked_at,
        name=_text(data.get("name")),
        address=_text(data.get("address")),
    )


def _text(value: Any) -> str | None:
    text = str(value or "").strip()
    return None if text in ("", "---") else text
