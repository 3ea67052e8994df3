"""The service's guarantees over a real socket: tenants never see each other, idempotent
POSTs, limits, request ids, health, the OpenAPI document and its docs page."""

from __future__ import annotations

import re
import threading
from typing import Any

import httpx
from tests.api.conftest import Api
from tests.api.test_api_documents import order

from facturier.api.middleware import RateLimiter
from facturier.jobs import worker_for


def _issued(api: Api) -> dict[str, Any]:
    """In the demo account: an endpoint, an invoice (paid in part) and its webhook delivery, a quote, a key id."""
    endpoint = api.client().post(
        "/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hooks", "events": ["document.issued"]}
    )
    assert endpoint.status_code == 201, endpoint.text
    write = api.client("write")
    invoice = write.post("/v1/orders", json=order(id="T-1")).json()["document"]
    number = invoice["number"]
    paid = write.post(
        f"/v1/documents/{number}/payments", json={"paid_on": "2026-12-04", "method": "card", "amount": "10.00"}
    )
    assert paid.status_code == 201, paid.text
    quote = write.post("/v1/quotes", json=order(id="Q-1")).json()["document"]
    key_id = api.client("admin").get("/v1/api-keys").json()[0]["id"]
    worker_for(api.app).drain()  # the event becomes a delivery (its endpoint refuses: port 9)
    delivery = api.client().get("/v1/webhook-deliveries").json()[0]["id"]
    cii = write.get(f"/v1/documents/{number}/files/cii").content
    inbound = write.post("/v1/inbound", content=cii, headers={"content-type": "application/xml"}).json()["id"]
    made = {"number": number, "quote": quote["number"], "key_id": key_id, "pdf": invoice["files"][0]["name"]}
    stored = {k: order()[k] for k in ("customer", "billing_address")}
    made["customer"] = write.post("/v1/customers", json={"reference": "C-1", **stored}).json()["id"]
    return {**made, "endpoint": endpoint.json()["id"], "delivery": delivery, "inbound": inbound}


def test_another_tenants_key_fails_as_not_found_on_every_operation(api: Api) -> None:
    made = _issued(api)
    n, q = made["number"], made["quote"]
    attempts = {
        ("GET", "/v1/documents/{number}"): ("GET", f"/v1/documents/{n}", None),
        ("GET", "/v1/documents/{number}/files/{name}"): ("GET", f"/v1/documents/{n}/files/pdf", None),
        ("GET", "/v1/documents/{number}/payments"): ("GET", f"/v1/documents/{n}/payments", None),
        ("POST", "/v1/documents/{number}/payments"): (
            "POST",
            f"/v1/documents/{n}/payments",
            {"paid_on": "2026-12-04", "method": "card"},
        ),
        ("POST", "/v1/documents/{number}/refunds"): (
            "POST",
            f"/v1/documents/{n}/refunds",
            {"paid_on": "2026-12-04", "method": "card", "amount": "1.00"},
        ),
        ("POST", "/v1/documents/{number}/credit-notes"): ("POST", f"/v1/documents/{n}/credit-notes", {}),
        ("POST", "/v1/quotes/{number}/convert"): ("POST", f"/v1/quotes/{q}/convert", {}),
        ("DELETE", "/v1/api-keys/{key_id}"): ("DELETE", f"/v1/api-keys/{made['key_id']}", None),
        ("POST", "/v1/jobs/{job_id}/retry"): ("POST", "/v1/jobs/00000000-0000-0000-0000-000000000000/retry", None),
        ("GET", "/v1/webhook-endpoints/{endpoint_id}"): ("GET", f"/v1/webhook-endpoints/{made['endpoint']}", None),
        ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): (
            "PATCH",
            f"/v1/webhook-endpoints/{made['endpoint']}",
            {"enabled": False},
        ),
        ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"): (
            "DELETE",
            f"/v1/webhook-endpoints/{made['endpoint']}",
            None,
        ),
        ("GET", "/v1/webhook-deliveries/{delivery_id}"): ("GET", f"/v1/webhook-deliveries/{made['delivery']}", None),
        ("POST", "/v1/webhook-deliveries/{delivery_id}/replay"): (
            "POST",
            f"/v1/webhook-deliveries/{made['delivery']}/replay",
            None,
        ),
        ("GET", "/v1/customers/{customer_id}"): ("GET", f"/v1/customers/{made['customer']}", None),
        ("PATCH", "/v1/customers/{customer_id}"): (
            "PATCH",
            f"/v1/customers/{made['customer']}",
            {"customer": {"name": "X"}},
        ),
        ("DELETE", "/v1/customers/{customer_id}"): ("DELETE", f"/v1/customers/{made['customer']}", None),
        ("GET", "/v1/inbound/{entry_id}"): ("GET", f"/v1/inbound/{made['inbound']}", None),
        ("GET", "/v1/inbound/{entry_id}/file"): ("GET", f"/v1/inbound/{made['inbound']}/file", None),
    }
    stranger = api.client(token=api.other)
    for (method, _template), (verb, url, body) in attempts.items():
        response = stranger.request(verb, url, json=body)
        assert response.status_code == 404, (method, url, response.status_code, response.text)
    # and a foreign number answers exactly as a number that exists nowhere: no oracle
    foreign = stranger.get(f"/v1/documents/{n}").json()
    nowhere = stranger.get("/v1/documents/NOWHERE-1").json()
    assert foreign["detail"].replace(n, "?") == nowhere["detail"].replace("NOWHERE-1", "?")
    # collections: the other tenant sees only its own (nothing yet), never the demo's
    assert stranger.get("/v1/documents").json()["data"] == []
    assert all(k["name"] == "other admin" for k in stranger.get("/v1/api-keys").json())
    assert stranger.get("/v1/jobs").json() == []
    assert stranger.get("/v1/webhook-endpoints").json() == []
    assert stranger.get("/v1/webhook-deliveries").json() == []
    account = stranger.get("/v1/account").json()
    assert account["id"] == api.app.db.account_id("other")
    verified = stranger.get("/v1/verify").json()
    assert verified["ok"] and verified["documents"] == 0
    # and the demo's documents and endpoint are untouched: still one payment, not credited, enabled
    assert api.client().get(f"/v1/webhook-endpoints/{made['endpoint']}").json()["enabled"] is True
    shown = api.client("read").get(f"/v1/documents/{n}").json()
    assert len(shown["payments"]) == 1 and shown["status"] == "partially_paid"
    # every route of the API with a path parameter naming a resource is in the list above
    schema = api.client().get("/openapi.json").json()
    with_ids = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops if "{" in p}
    assert with_ids <= set(attempts), with_ids - set(attempts)


def test_idempotency_key_replays_refuses_other_payloads_and_is_per_account(api: Api) -> None:
    write = api.client("write")
    body = {"paid_on": "2026-12-04", "method": "transfer", "amount": "5.00"}
    number = write.post("/v1/orders", json=order(id="I-1")).json()["document"]["number"]
    url = f"/v1/documents/{number}/payments"
    first = write.post(url, json=body, headers={"idempotency-key": "pay-1"})
    again = write.post(url, json=body, headers={"idempotency-key": "pay-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    shown = api.client("read").get(f"/v1/documents/{number}").json()
    assert len(shown["payments"]) == 1  # the retry recorded nothing
    other = write.post(url, json={**body, "amount": "6.00"}, headers={"idempotency-key": "pay-1"})
    assert other.status_code == 422 and other.json()["errors"][0]["rule_id"] == "IDEMPOTENCY-MISMATCH"
    french = write.post(
        url, json={**body, "amount": "6.00"}, headers={"idempotency-key": "pay-1", "accept-language": "fr"}
    )
    assert "autre requête" in french.json()["detail"]
    # the same key in another account is another key
    stranger = api.client(token=api.other)
    assert stranger.post(url, json=body, headers={"idempotency-key": "pay-1"}).status_code == 404


def test_a_concurrent_retry_while_the_first_runs_gets_409(api: Api) -> None:
    """Two identical POSTs with one key at once: one runs, the other is told 409 (or, if it came
    second, replayed); never two documents."""
    results: list[httpx.Response] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        with httpx.Client(base_url=api.url, headers={"authorization": f"Bearer {api.keys['write']}"}) as c:
            barrier.wait()
            results.append(
                c.post(
                    "/v1/orders/batch",
                    json={"orders": [order(id=f"K-{i}") for i in range(6)]},
                    headers={"idempotency-key": "batch-1"},
                    timeout=120,
                )
            )

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}, codes
    conflicts = [r for r in results if r.status_code == 409]
    assert all(r.json()["type"].endswith("request-in-flight") for r in conflicts)
    listed = api.client("read").get("/v1/documents").json()["data"]
    assert len(listed) == 6


def test_a_failed_request_is_not_stored_under_its_key(api: Api) -> None:
    write = api.client("write")
    bad = order(id="F-1")
    bad["lines"] = []
    refused = write.post("/v1/orders", json=bad, headers={"idempotency-key": "k-f"})
    assert refused.status_code == 422
    replay = write.post("/v1/orders", json=bad, headers={"idempotency-key": "k-f"})
    assert replay.status_code == 422 and replay.headers.get("idempotent-replayed") == "true"


def test_body_limit_and_malformed_json(api: Api) -> None:
    write = api.client("write")
    huge = b"{" + b" " * (api.app.settings.api_max_body_bytes + 1) + b"}"
    too_big = write.post("/v1/orders", content=huge, headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and too_big.headers["content-type"] == "application/problem+json"
    broken = write.post("/v1/orders", content=b'{"id": ', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["errors"][0]["rule_id"] == "ORDER-JSON"
    number_as_float = write.post(
        "/v1/documents/F2026-000001/payments", json={"paid_on": "2026-12-04", "method": "card", "amount": 1.5}
    )
    assert number_as_float.status_code == 422
    assert number_as_float.json()["errors"][0]["pointer"] == "/amount"


def test_rate_limit_answers_429_with_retry_after() -> None:
    limiter = RateLimiter(rate=2, burst=2)
    assert limiter.wait("k", 100.0) == 0 and limiter.wait("k", 100.0) == 0
    assert limiter.wait("k", 100.0) == 0.5  # the third within the same instant waits for a token
    assert limiter.wait("k", 100.5) == 0  # half a second later one token is back
    assert limiter.wait("other", 100.5) == 0  # per key


def test_rate_limit_over_http(api: Api) -> None:
    from dataclasses import replace

    from tests.api.conftest import Server

    from facturier.api.app import create_app

    strict = replace(api.app, settings=api.app.settings.model_copy(update={"api_rate_limit": 1, "api_rate_burst": 2}))
    auth = {"authorization": f"Bearer {api.keys['read']}"}
    with Server(create_app(strict)) as server, httpx.Client(base_url=server.url, headers=auth) as c:
        codes = [c.get("/v1/account") for _ in range(4)]
    assert [r.status_code for r in codes[:2]] == [200, 200]
    limited = codes[-1]
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"] == "application/problem+json"


def test_request_ids_health_and_readiness(api: Api) -> None:
    anonymous = httpx.Client(base_url=api.url)
    assert anonymous.get("/health").json() == {"status": "ok"}
    ready = anonymous.get("/ready").json()
    assert (ready["status"] == "ready" and ready["schema"].startswith("0005")) or ready["schema"] > "0005"
    given = api.client("read").get("/v1/account", headers={"x-request-id": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = api.client("read").get("/v1/documents/NOPE")
    assert made.status_code == 404 and re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    assert made.json()["request_id"] == made.headers["x-request-id"]
    unauthenticated = anonymous.get("/v1/documents")
    assert unauthenticated.status_code == 401 and unauthenticated.headers["www-authenticate"].startswith("Bearer")
    anonymous.close()


def test_openapi_31_and_a_docs_page_that_loads_nothing_from_elsewhere(api: Api) -> None:
    anonymous = httpx.Client(base_url=api.url)
    schema = anonymous.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "Order" in schema["components"]["schemas"]
    page = anonymous.get("/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    for source in sources:
        assert source.startswith("/"), f"{source} is not served by the API itself"
        assert anonymous.get(source).status_code == 200, source
    anonymous.close()


def test_a_body_that_stalls_is_refused_408_and_nothing_is_issued(api: Api) -> None:
    import socket
    from dataclasses import replace

    from tests.api.conftest import Server

    from facturier.api.app import create_app

    impatient = replace(api.app, settings=api.app.settings.model_copy(update={"api_read_timeout": 0.5}))
    with Server(create_app(impatient)) as server, socket.create_connection(("127.0.0.1", server.port), 10) as s:
        head = (
            "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {api.keys['write']}\r\nContent-Length: 1000\r\n\r\n"
        )
        s.sendall(head.encode() + b'{"id": "SLOW-1", ')  # ... and the rest never comes
        s.settimeout(10)
        answer = s.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 408"), answer
    assert "application/problem+json" in answer
    assert api.client("read").get("/v1/documents").json()["data"] == []


def test_bad_idempotency_keys_cursors_and_file_names_are_clear_refusals(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    too_long = write.post("/v1/orders", json=order(id="LK-1"), headers={"idempotency-key": "k" * 256})
    assert too_long.status_code == 400
    assert too_long.json()["errors"][0]["rule_id"] == "IDEMPOTENCY-KEY"
    assert read.get("/v1/documents").json()["data"] == []  # refused before anything ran
    cursor = read.get("/v1/documents", params={"cursor": "not-ours"})
    assert cursor.status_code == 422 and cursor.json()["errors"][0]["path"] == "cursor"
    number = write.post("/v1/orders", json=order(id="LK-2")).json()["document"]["number"]
    missing = read.get(f"/v1/documents/{number}/files/paid")  # not paid: no paid copy yet
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert read.get(f"/v1/documents/{number}/files/../../etc/passwd").status_code == 404
