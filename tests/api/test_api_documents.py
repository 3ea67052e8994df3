"""Issuing, reading, paying and crediting through the HTTP API, over a real socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.api.conftest import Api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "orders"


def order(name: str = "01-b2b-france.json", **changes: Any) -> dict[str, Any]:
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return {**data, **changes}


def test_issue_an_order_then_read_it_back(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    response = write.post("/v1/orders", json=order(id="API-1"))
    assert response.status_code == 201, response.text
    issued = response.json()
    number = issued["document"]["number"]
    assert issued["replayed"] is False
    assert response.headers["location"] == f"/v1/documents/{number}"
    assert {f["name"] for f in issued["document"]["files"]} >= {"document.pdf", "factur-x.xml", "ubl.xml"}

    shown = read.get(f"/v1/documents/{number}").json()
    assert shown["number"] == number and shown["order_id"] == "API-1"
    assert shown["status"] == "issued" and shown["remaining"] == shown["totals"]["payable"]

    pdf = read.get(f"/v1/documents/{number}/files/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    ubl = read.get(f"/v1/documents/{number}/files/ubl")
    assert ubl.status_code == 200 and b"<Invoice" in ubl.content


def test_the_same_order_id_gives_the_same_document_and_other_content_a_409(api: Api) -> None:
    write = api.client("write")
    first = write.post("/v1/orders", json=order(id="API-2")).json()
    again = write.post("/v1/orders", json=order(id="API-2"))
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["document"]["number"] == first["document"]["number"]
    changed = order(id="API-2")
    changed["lines"][0]["quantity"] = 7
    conflict = write.post("/v1/orders", json=changed)
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["errors"][0]["rule_id"] == "ORDER-CONFLICT"


def test_a_refused_order_lists_every_violation_with_pointers_in_the_callers_language(api: Api) -> None:
    bad = order(id="API-3")
    bad["lines"][0]["quantity"] = "abc"
    bad["lines"][1]["vat_rate"] = "lots"
    for language, word in (("fr-FR,fr;q=0.9", "fr"), ("en", "en")):
        response = api.client("write", **{"accept-language": language}).post("/v1/orders", json=bad)
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["status"] == 422 and problem["title"] == "Invalid input"
        pointers = {e["pointer"] for e in problem["errors"]}
        assert {"/lines/0/quantity", "/lines/1/vat_rate"} <= pointers, (word, pointers)
    listed = api.client("read").get("/v1/documents").json()
    assert listed["data"] == []  # nothing was issued


def test_batch_is_all_or_nothing_and_names_the_failing_order(api: Api) -> None:
    write = api.client("write")
    bad = order(id="B-2")
    bad["lines"][0]["quantity"] = "x"
    refused = write.post("/v1/orders/batch", json={"orders": [order(id="B-1"), bad]})
    assert refused.status_code == 422
    assert any(e["pointer"].startswith("/orders/1/lines/0") for e in refused.json()["errors"])
    assert api.client("read").get("/v1/documents").json()["data"] == []
    done = write.post("/v1/orders/batch", json={"orders": [order(id="B-1"), order(id="B-3")]})
    assert done.status_code == 201, done.text
    numbers = [d["document"]["number"] for d in done.json()["data"]]
    assert len(numbers) == 2 and numbers[0] < numbers[1]


def test_list_filters_and_cursor_pages(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    for i in range(5):
        assert write.post("/v1/orders", json=order(id=f"L-{i}")).status_code == 201
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = read.get("/v1/documents", params=params).json()
        seen += [d["number"] for d in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and seen == sorted(seen)
    first = seen[0]
    paid = write.post(f"/v1/documents/{first}/payments", json={"paid_on": "2026-12-04", "method": "card"})
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "paid" and paid.json()["file"]["name"].startswith("paid-")
    only_paid = read.get("/v1/documents", params={"status": "paid"}).json()["data"]
    assert [d["number"] for d in only_paid] == [first]
    expanded = read.get("/v1/documents", params={"status": "paid", "expand": "payments"}).json()["data"]
    assert [p["method"] for p in expanded[0]["payments"]] == ["card"]
    assert only_paid[0]["payments"] is None  # only with expand
    issued = read.get("/v1/documents", params=[("status", "issued")]).json()["data"]
    assert len(issued) == 4
    by_type = read.get("/v1/documents", params={"type": "credit_note"}).json()["data"]
    assert by_type == []
    bad = read.get("/v1/documents", params={"status": "sleeping"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "status"
    paid_copy = read.get(f"/v1/documents/{first}/files/paid")
    assert paid_copy.status_code == 200 and paid_copy.content.startswith(b"%PDF-")


def test_credit_note_and_refund(api: Api) -> None:
    write = api.client("write")
    number = write.post("/v1/orders", json=order(id="C-1")).json()["document"]["number"]
    credit = write.post(f"/v1/documents/{number}/credit-notes", json={"reason": "retour", "key": "refund-1"})
    assert credit.status_code == 201, credit.text
    note = credit.json()["document"]
    assert note["kind"] == "credit_note" and note["preceding"][0]["number"] == number
    again = write.post(f"/v1/documents/{number}/credit-notes", json={"reason": "retour", "key": "refund-1"})
    assert again.status_code == 200 and again.json()["document"]["number"] == note["number"]
    shown = api.client("read").get(f"/v1/documents/{number}").json()
    assert shown["status"] == "credited"


def test_scopes_are_enforced(api: Api) -> None:
    read = api.client("read")
    refused = read.post("/v1/orders", json=order(id="S-1"))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert api.client("write").get("/v1/api-keys").status_code == 403
    assert api.client("admin").get("/v1/api-keys").status_code == 200
    anonymous = api.client("read", token="fct_nothing_here")
    assert anonymous.get("/v1/documents").status_code == 401
