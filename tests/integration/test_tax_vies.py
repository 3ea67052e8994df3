"""The VIES REST adapter against a fake server on loopback that answers in the documented format."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from facturier.integrations import vies
from facturier.integrations.vies import ViesChecker
from facturier.tax import VatIdStatus

REFERENCE = "WAPIAAAAZA1b2C3d"


class FakeVies:
    """POST /check-vat-number: DE136695976 valid, DE000000000-like numbers invalid, "down" 503."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.down = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                status, answer = fake.answer(body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/check-vat-number"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.down:
            return 503, {"actionSucceed": False, "errorWrappers": [{"error": "MS_UNAVAILABLE", "message": "down"}]}
        valid = body["vatNumber"] in ("136695976", "00743110157")
        return 200, {
            "countryCode": body["countryCode"],
            "vatNumber": body["vatNumber"],
            "requestDate": "2026-07-01T10:00:00.000Z",
            "valid": valid,
            "requestIdentifier": REFERENCE if "requesterNumber" in body else "",
            "name": "Leuchten GmbH" if valid else "---",
            "address": "Hauptstr. 1, Berlin" if valid else "---",
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_vies() -> Iterator[FakeVies]:
    vies.clear_cache()
    server = FakeVies()
    yield server
    server.close()
    vies.clear_cache()


def test_valid_id_with_consultation_reference(fake_vies: FakeVies) -> None:
    result = ViesChecker(fake_vies.url).check("DE136695976", "FR11123456782")
    assert result.status is VatIdStatus.VALID and result.consultation_reference == REFERENCE
    assert result.name == "Leuchten GmbH"
    assert fake_vies.requests[0] == {
        "countryCode": "DE",
        "vatNumber": "136695976",
        "requesterMemberStateCode": "FR",
        "requesterNumber": "11123456782",
    }


def test_invalid_id(fake_vies: FakeVies) -> None:
    assert ViesChecker(fake_vies.url).check("DE811128135").status is VatIdStatus.INVALID


def test_results_are_cached_but_unknown_is_not(fake_vies: FakeVies) -> None:
    checker = ViesChecker(fake_vies.url)
    fake_vies.down = True
    assert checker.check("DE136695976").status is VatIdStatus.UNKNOWN
    fake_vies.down = False
    assert checker.check("DE136695976").status is VatIdStatus.VALID
    assert checker.check("DE136695976").status is VatIdStatus.VALID
    assert len(fake_vies.requests) == 2  # the unknown answer was asked again, the valid one cached


def test_unreachable_is_unknown_never_invalid() -> None:
    vies.clear_cache()
    result = ViesChecker("http://127.0.0.1:9/check-vat-number", timeout=0.5).check("DE136695976")
    assert result.status is VatIdStatus.UNKNOWN


@pytest.mark.parametrize(
    "answer",
    [{"userError": "MS_MAX_CONCURRENT_REQ", "isValid": False}, {"valid": "yes"}, [], {"errorWrappers": [{}]}],
)
def test_unclear_answers_are_unknown(answer: Any) -> None:
    assert vies.parse_response(answer).status is VatIdStatus.UNKNOWN
