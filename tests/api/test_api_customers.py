"""Customers over a real socket, on SQLite and PostgreSQL: stored once, named in orders by
`customer_id` (API orders, batches and quotes), checked like an order's buyer, references
unique per account (409), issued documents unchanged by later edits, tenants kept apart."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.test_api_documents import order

# Another valid SIREN / VAT id pair (Luhn and the French VAT key computed, not typed from a register)
OTHER_SIREN, OTHER_VAT = "732829320", "FR44732829320"


def customer(reference: str = "HDP", **changes: Any) -> dict[str, Any]:
    """The customer of examples/orders/01-b2b-france.json, as a stored customer."""
    data = order()
    return {"reference": reference, "customer": data["customer"], "billing_address": data["billing_address"], **changes}


def by_customer(customer_id: str, **changes: Any) -> dict[str, Any]:
    """The example order naming a stored customer instead of carrying it."""
    data = order(customer_id=customer_id, **changes)
    for block in ("customer", "billing_address"):
        data.pop(block)
    return data


def pointers(response: Any) -> set[tuple[str, str]]:
    return {(e["rule_id"], e["pointer"]) for e in response.json()["errors"]}


def test_store_a_customer_then_issue_orders_batches_and_quotes_naming_it(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    created = write.post(
        "/v1/customers",
        json=customer(shipping_address={"line1": "8 rue Sala", "city": "Lyon", "postcode": "69002", "country": "FR"}),
    )
    assert created.status_code == 201, created.text
    stored = created.json()
    assert created.headers["location"] == f"/v1/customers/{stored['id']}"
    assert stored["reference"] == "HDP" and stored["customer"]["siren"] == "891234569"
    assert read.get(f"/v1/customers/{stored['id']}").json() == stored
    assert read.get("/v1/customers/HDP").json() == stored  # the reference names it too

    issued = write.post("/v1/orders", json=by_customer("HDP", id="C-1", shipping_address=None))
    assert issued.status_code == 201, issued.text
    buyer = issued.json()["document"]["buyer"]
    assert buyer["name"] == "Hôtel du Parc SARL" and buyer["siren"] == "891234569"
    assert buyer["vat_id"] == "FR84891234569" and buyer["address"]["city"] == "Lyon"
    assert issued.json()["document"]["delivery_address"]["line1"] == "8 rue Sala"  # the stored shipping address

    batch = write.post("/v1/orders/batch", json={"orders": [by_customer(stored["id"], id="C-2"), order(id="C-3")]})
    assert batch.status_code == 201, batch.text
    assert [d["document"]["buyer"]["name"] for d in batch.json()["data"]] == ["Hôtel du Parc SARL"] * 2

    quote = write.post("/v1/quotes", json=by_customer("HDP", id="C-Q1"))
    assert quote.status_code == 201, quote.text
    assert quote.json()["document"]["kind"] == "quote"
    assert quote.json()["document"]["buyer"]["siren"] == "891234569"

    explained = read.post("/v1/tax/explain", json=by_customer("HDP", id="C-X"))
    assert explained.status_code == 200, explained.text
    assert explained.json()["buyer_treatment"] and explained.json()["lines"]

    # the same order again: the same document (what the order names has not changed)
    again = write.post("/v1/orders", json=by_customer("HDP", id="C-1", shipping_address=None))
    assert again.status_code == 200 and again.json()["replayed"] is True


def test_an_order_with_both_or_an_unknown_customer_is_refused_at_customer_id(api: Api) -> None:
    write = api.client("write")
    assert write.post("/v1/customers", json=customer()).status_code == 201
    both = write.post("/v1/orders", json=order(id="B-1", customer_id="HDP"))
    assert both.status_code == 422 and pointers(both) == {("ORDER-CUSTOMER", "/customer_id")}
    unknown = write.post("/v1/orders", json=by_customer("NOBODY", id="B-2"))
    assert unknown.status_code == 422 and pointers(unknown) == {("ORDER-CUSTOMER", "/customer_id")}
    batch = write.post("/v1/orders/batch", json={"orders": [order(id="B-3"), by_customer("NOBODY", id="B-4")]})
    assert batch.status_code == 422 and pointers(batch) == {("ORDER-CUSTOMER", "/orders/1/customer_id")}
    assert api.client("read").get("/v1/documents").json()["data"] == []  # nothing was issued


def test_bad_identifiers_are_refused_with_their_field_and_nothing_is_stored(api: Api) -> None:
    write = api.client("write")
    block = {**order()["customer"], "siren": "123456789", "siret": "89123456900011", "vat_id": "FR00891234569"}
    refused = write.post("/v1/customers", json=customer(customer=block))
    assert refused.status_code == 422, refused.text
    assert pointers(refused) == {
        ("FR-SIREN", "/customer/siren"),
        ("FR-SIRET", "/customer/siret"),
        ("EU-VATID", "/customer/vat_id"),
    }
    schema = write.post("/v1/customers", json=customer(billing_address={"city": "Lyon", "country": "FR"}))
    assert schema.status_code == 422 and ("SCHEMA", "/billing_address/line1") in pointers(schema)
    assert api.client("read").get("/v1/customers").json() == []

    made = write.post("/v1/customers", json=customer()).json()
    patched = write.patch(f"/v1/customers/{made['id']}", json={"customer": {"vat_id": "DE123"}})
    assert patched.status_code == 422 and pointers(patched) == {("EU-VATID", "/customer/vat_id")}
    assert write.get(f"/v1/customers/{made['id']}").json() == made  # unchanged


def test_a_reference_is_unique_in_its_account_only(api: Api) -> None:
    write = api.client("write")
    first = write.post("/v1/customers", json=customer("SAME")).json()
    again = write.post("/v1/customers", json=customer("SAME"))
    assert again.status_code == 409 and pointers(again) == {("CUSTOMER-REFERENCE", "/reference")}
    other = write.post("/v1/customers", json=customer("OTHER")).json()
    taken = write.patch(f"/v1/customers/{other['id']}", json={"reference": "SAME"})
    assert taken.status_code == 409
    # without a reference, as many as wanted; and another account may use "SAME"
    assert all(write.post("/v1/customers", json=customer("")).status_code == 201 for _ in range(2))
    assert api.client(token=api.other).post("/v1/customers", json=customer("SAME")).status_code == 201
    # dropping a reference frees it
    assert write.patch(f"/v1/customers/{first['id']}", json={"reference": None}).json()["reference"] == ""
    assert write.patch(f"/v1/customers/{other['id']}", json={"reference": "SAME"}).status_code == 200


def test_an_update_or_a_deletion_never_changes_an_issued_document(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    made = write.post("/v1/customers", json=customer()).json()
    number = write.post("/v1/orders", json=by_customer("HDP", id="U-1")).json()["document"]["number"]
    before = read.get(f"/v1/documents/{number}").json()

    change = {
        "customer": {
            "name": "Parc Hôtels SAS",
            "siren": OTHER_SIREN,
            "vat_id": OTHER_VAT,
            "electronic_address": {"value": OTHER_SIREN},
        },
        "billing_address": {"line1": "1 quai Perrache", "line2": "Bâtiment B"},
    }
    patched = write.patch("/v1/customers/HDP", json=change)
    assert patched.status_code == 200, patched.text
    now = patched.json()
    assert now["customer"]["name"] == "Parc Hôtels SAS" and now["customer"]["email"] == made["customer"]["email"]
    assert now["billing_address"] == {**made["billing_address"], "line1": "1 quai Perrache", "line2": "Bâtiment B"}
    assert now["created_at"] == made["created_at"] and now["id"] == made["id"]

    assert read.get(f"/v1/documents/{number}").json() == before  # the document kept its buyer
    later_response = write.post("/v1/orders", json=by_customer("HDP", id="U-2"))
    assert later_response.status_code == 201, later_response.text
    later = later_response.json()["document"]
    assert later["buyer"]["name"] == "Parc Hôtels SAS" and later["buyer"]["siren"] == OTHER_SIREN
    # the first order again now means another buyer: refused as other content, not re-issued
    replay = write.post("/v1/orders", json=by_customer("HDP", id="U-1"))
    assert replay.status_code == 409 and pointers(replay) == {("ORDER-CONFLICT", "/id")}

    assert write.delete("/v1/customers/HDP").status_code == 204
    assert read.get("/v1/customers/HDP").status_code == 404
    assert read.get(f"/v1/documents/{number}").json() == before
    gone = write.post("/v1/orders", json=by_customer(made["id"], id="U-3"))
    assert gone.status_code == 422 and pointers(gone) == {("ORDER-CUSTOMER", "/customer_id")}


def test_list_by_name_part_reference_and_pages(api: Api) -> None:
    write, read = api.client("write"), api.client("read")
    for i, name in enumerate(["Hôtel du Parc SARL", "Boulangerie 100% Lyon", "HÔTEL DES ALPES", "Café_Central"]):
        block = {**order()["customer"], "name": name}
        assert write.post("/v1/customers", json=customer(f"R{i}", customer=block)).status_code == 201

    def names(**params: Any) -> list[str]:
        found = read.get("/v1/customers", params=params)
        assert found.status_code == 200, found.text
        return [c["customer"]["name"] for c in found.json()]

    assert names() == ["Boulangerie 100% Lyon", "Café_Central", "HÔTEL DES ALPES", "Hôtel du Parc SARL"]
    assert names(q="hôtel") == ["HÔTEL DES ALPES", "Hôtel du Parc SARL"]  # any case, accents too
    assert names(q="100%") == ["Boulangerie 100% Lyon"] and names(q="_") == ["Café_Central"]  # not wildcards
    assert names(reference="R2") == ["HÔTEL DES ALPES"]
    assert names(limit=2, offset=1) == ["Café_Central", "HÔTEL DES ALPES"]
    assert read.post("/v1/customers", json=customer("R9")).status_code == 403  # reading keys do not write


def test_another_tenant_neither_sees_nor_changes_nor_names_our_customers(api: Api) -> None:
    made = api.client("write").post("/v1/customers", json=customer()).json()
    stranger = api.client(token=api.other)
    for ident in (made["id"], "HDP"):
        assert stranger.get(f"/v1/customers/{ident}").status_code == 404
        assert stranger.patch(f"/v1/customers/{ident}", json={"customer": {"name": "X"}}).status_code == 404
        assert stranger.delete(f"/v1/customers/{ident}").status_code == 404
    assert stranger.get("/v1/customers").json() == []
    assert stranger.get("/v1/customers", params={"reference": "HDP"}).json() == []
    # an order of the other account naming our customer: unknown there, exactly like a made-up id
    foreign = stranger.post("/v1/orders", json=by_customer(made["id"], id="T-1"))
    nowhere = stranger.post("/v1/orders", json=by_customer("00000000-0000-0000-0000-000000000000", id="T-1"))
    assert foreign.status_code == nowhere.status_code == 422
    assert pointers(foreign) == {("ORDER-CUSTOMER", "/customer_id")}
    assert foreign.json()["errors"][0]["message"].replace(made["id"], "?") == nowhere.json()["errors"][0][
        "message"
    ].replace("00000000-0000-0000-0000-000000000000", "?")
    assert api.client("read").get(f"/v1/customers/{made['id']}").json() == made  # untouched
