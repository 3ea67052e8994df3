"""Outbound webhooks through the API: register, issue and pay, the worker delivers signed
events; a failing endpoint is retried until it answers, once; replay resends the same id."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from standardwebhooks import Webhook
from tests.api.conftest import Api
from tests.api.test_api_documents import order
from tests.cli_support import CLI_NOW
from tests.receivers import Receiver

from facturier.jobs import worker_for


def _verified(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The body, if its signature is the one standardwebhooks computes (the server's clock is the
    tests' fixed instant, so the library's own freshness check would refuse it)."""
    moment = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    assert moment == api_now()
    expected = Webhook(secret).sign(headers["webhook-id"], moment, body.decode())
    assert headers["webhook-signature"] == expected
    return json.loads(body)  # type: ignore[no-any-return]


def api_now() -> datetime:
    return CLI_NOW


def test_issue_and_pay_deliver_signed_events_to_the_endpoint(api: Api, receiver: Receiver) -> None:
    admin = api.client()
    events = ["document.issued", "payment.recorded", "document.paid"]
    made = admin.post("/v1/webhook-endpoints", json={"url": receiver.url, "events": events, "description": "shop"})
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    assert secret.startswith("whsec_") and "secret" not in admin.get("/v1/webhook-endpoints").json()[0]
    number = admin.post("/v1/orders", json=order(id="W-1")).json()["document"]["number"]
    total = admin.get(f"/v1/documents/{number}").json()["totals"]["payable"]
    paid = admin.post(f"/v1/documents/{number}/payments", json={"paid_on": "2026-12-04", "method": "transfer"})
    assert paid.status_code == 201
    assert worker_for(api.app).drain() >= 6  # 3 fan-outs, 3 deliveries
    assert len(receiver.requests) == 3
    received = [_verified(secret, r.headers, r.body) for r in receiver.requests]
    by_type = {e["type"]: e for e in received}  # delivery order is not guaranteed (docs/webhooks.md)
    assert sorted(by_type) == sorted(events)
    assert by_type["document.issued"]["data"]["number"] == number
    assert by_type["document.paid"]["data"]["paid"] == total
    listed = admin.get("/v1/webhook-deliveries").json()
    assert {d["status"] for d in listed} == {"delivered"} and len(listed) == 3


def test_an_endpoint_answering_500_then_200_gets_one_successful_delivery(api: Api, receiver: Receiver) -> None:
    admin = api.client()
    receiver.statuses = [500]
    admin.post("/v1/webhook-endpoints", json={"url": receiver.url, "events": ["document.issued"]})
    admin.post("/v1/orders", json=order(id="W-2"))
    worker = worker_for(api.app)
    worker.drain()
    delivery = admin.get("/v1/webhook-deliveries").json()[0]
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert worker.drain() == 0  # the retry waits for its backoff
    api.clock.now += timedelta(minutes=1)
    assert worker.drain() == 1
    shown = admin.get(f"/v1/webhook-deliveries/{delivery['id']}").json()
    assert shown["status"] == "delivered"
    assert [a["status_code"] for a in shown["attempt_log"]] == [500, 200]
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert ids == {delivery["id"]} and len(receiver.requests) == 2
    # replay: the same webhook-id and body, signed anew
    replayed = admin.post(f"/v1/webhook-deliveries/{delivery['id']}/replay")
    assert replayed.status_code == 202
    worker.drain()
    assert receiver.requests[-1].headers["webhook-id"] == delivery["id"]
    assert receiver.requests[-1].body == receiver.requests[0].body
    assert json.loads(receiver.requests[-1].body)["type"] == "document.issued"


def test_endpoint_urls_are_checked_against_ssrf_unless_the_deployment_allows_them(api: Api) -> None:
    admin = api.client()
    refused = admin.post("/v1/webhook-endpoints", json={"url": "ftp://example.com/x", "events": ["document.issued"]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["rule_id"] == "WEBHOOK-URL"
    unknown = admin.post("/v1/webhook-endpoints", json={"url": receiver_url(), "events": ["document.eaten"]})
    assert unknown.status_code == 422
    assert [e["pointer"] for e in unknown.json()["errors"]] == ["/events/0"]


def receiver_url() -> str:
    return "http://127.0.0.1:9/hooks"  # allowed here: the test deployment allows loopback endpoints


def test_document_overdue_is_announced_once_in_its_first_days(api: Api) -> None:
    admin = api.client()
    admin.post("/v1/webhook-endpoints", json={"url": receiver_url(), "events": ["document.overdue"]})
    fresh = order(id="O-1")  # transfer, 30 days: due 2027-01-03
    late = order(id="O-2", issue_date="2026-11-03")
    late["payment"] = {**late["payment"], "terms_days": 10}  # due 2026-11-13: 21 days late already
    for body in (late, fresh):  # numbered in date order (CGI ann. II art. 242 nonies A)
        assert admin.post("/v1/orders", json=body).status_code == 201
    def announced() -> list[dict[str, Any]]:
        worker_for(api.app).drain()  # a fresh worker ticks the periodic scan anew (it runs every 6 hours)
        jobs = api.app.db.jobs.list(account_id=api.app.db.account_id("default"), limit=500)
        return [j.payload["data"] for j in jobs if j.kind == "webhooks.event"]

    assert announced() == []  # O-1 not due yet; O-2 overdue for longer than the window
    api.clock.now += timedelta(days=31)  # 2027-01-04: O-1 is one day late
    events = announced()
    assert [(e["number"], e["days_late"], e["due_date"]) for e in events] == [("F2026-000002", 1, "2027-01-03")]
    payable = admin.get("/v1/documents/F2026-000002").json()["totals"]["payable"]
    assert events[0]["remaining"] == payable and events[0]["order_id"] == "O-1"
    api.clock.now += timedelta(hours=7)
    assert len(announced()) == 1  # scanned again: still one event for O-1
