"""Customers through the CLI and the service, on SQLite and PostgreSQL: add, list, show,
update (merge patch), delete; `facturier issue` / `quote` with an order naming a stored
customer; refusals named by the file's fields; the database's own uniqueness of references;
orders without `customer_id` passed through byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from tests.cli_support import Cli
from tests.factories import new_account, order_data

from facturier.domain.errors import Conflict, InvalidInput, NotFound
from facturier.services import customers as service
from facturier.storage.customers import CustomerRow, CustomerStore, customers
from facturier.storage.database import Database

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders" / "01-b2b-france.json"
NOW = "2026-12-04T10:00:00.000000Z"


def example() -> dict[str, Any]:
    return dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def stored_customer(reference: str = "HDP") -> dict[str, Any]:
    data = example()
    return {"reference": reference, "customer": data["customer"], "billing_address": data["billing_address"]}


def naming(customer_id: str, order_id: str) -> dict[str, Any]:
    data = {**example(), "id": order_id, "customer_id": customer_id}
    del data["customer"], data["billing_address"]
    return data


def test_the_cli_stores_customers_and_issues_orders_that_name_them(cli: Cli) -> None:
    added = cli.json("customer", "add", cli.order_file("c.json", stored_customer()))
    assert added["reference"] == "HDP" and added["customer"]["siren"] == "891234569"
    assert [c["id"] for c in cli.json("customer", "list", "--name", "PARC")] == [added["id"]]
    assert cli.json("customer", "show", "HDP") == added

    issued = cli.json("issue", "--no-render", cli.order_file("o.json", naming("HDP", "CLI-1")))
    assert issued[0]["buyer"]["name"] == "Hôtel du Parc SARL" and issued[0]["buyer"]["siren"] == "891234569"
    quoted = cli.json("quote", cli.order_file("q.json", naming(added["id"], "CLI-Q1")))
    assert quoted[0]["buyer"]["vat_id"] == "FR84891234569"

    # `show --json` is a file `update` takes back; here with a new e-mail address
    shown = {**cli.json("customer", "show", "HDP")}
    shown["customer"]["email"] = "factures@hotelduparc.example"
    changed = cli.json("customer", "update", "HDP", cli.order_file("u.json", shown))
    assert changed["customer"]["email"] == "factures@hotelduparc.example" and changed["id"] == added["id"]
    again = cli.json("issue", "--no-render", cli.order_file("o2.json", naming("HDP", "CLI-2")))
    assert again[0]["buyer"]["contact"]["email"] == "factures@hotelduparc.example"
    first = cli.json("show", issued[0]["number"])
    assert first["buyer"]["contact"]["email"] == "compta@hotelduparc.example"  # issued: unchanged

    cli("customer", "delete", "HDP")
    assert cli.json("customer", "list") == []
    assert cli.json("show", issued[0]["number"])["buyer"] == first["buyer"]


def test_the_cli_names_refused_fields_as_the_files_do(cli: Cli) -> None:
    bad = stored_customer()
    bad["customer"] = {**bad["customer"], "siren": "123456789"}
    refused = cli("customer", "add", cli.order_file("bad.json", bad), code=2)
    assert "[FR-SIREN] customer.siren" in refused.output
    schema = cli("customer", "add", cli.order_file("schema.json", {"customer": {"name": "X"}}), code=2)
    assert "[CUSTOMER-SCHEMA] billing_address" in schema.output
    cli("customer", "add", cli.order_file("c.json", stored_customer()))
    assert "CUSTOMER-REFERENCE" in cli("customer", "add", cli.order_file("c2.json", stored_customer()), code=2).output
    unknown = cli("issue", cli.order_file("o.json", naming("NOBODY", "CLI-X")), code=2)
    assert "[ORDER-CUSTOMER] " in unknown.output and "o.json: customer_id" in unknown.output
    # a hidden character in customer_id is the order's own refusal, as in any text of an order
    hostile = cli("issue", cli.order_file("h.json", {**example(), "id": "CLI-H", "customer_id": "HD\u202eP"}), code=2)
    assert "h.json: customer_id: U+202E" in hostile.stderr
    assert cli.json("list") == []
    assert "no customer 'NOBODY'" in cli("customer", "show", "NOBODY", code=2).output


def test_references_are_unique_in_the_database_itself(db: Database) -> None:
    account = new_account(db)
    row = CustomerRow("id-1", "R-1", "x", "{}", NOW, NOW)
    with db.transaction(account) as tx:
        CustomerStore(tx.conn, account).add(row)
    # a writer that skips the check (a race) meets the unique constraint
    with pytest.raises(IntegrityError), db.transaction(account) as tx:
        values = {"id": "id-2", "account_id": account, "reference": "R-1", "name_folded": "y", "details": "{}"}
        tx.conn.execute(insert(customers).values(**values, created_at=NOW, updated_at=NOW))
    # which the store reports as a Conflict
    with pytest.raises(Conflict), db.transaction(account) as tx:
        racing = insert(customers).values(**values, created_at=NOW, updated_at=NOW)
        CustomerStore(tx.conn, account)._write(lambda: tx.conn.execute(racing), "R-1")
    # rows without a reference: as many as wanted (NULL is never equal to NULL)
    with db.transaction(account) as tx:
        for i in range(3):
            CustomerStore(tx.conn, account).add(CustomerRow(f"none-{i}", "", "z", "{}", NOW, NOW))


def test_resolution_passes_other_orders_through_and_keeps_accounts_apart(db: Database) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 4, 10, tzinfo=UTC)
    ours, theirs = new_account(db, "ours"), new_account(db, "theirs")
    made = service.create_customer(db, ours, stored_customer(), now)
    plain = json.dumps(order_data(), indent=1).encode()
    assert service.resolve_customer(db, ours, plain) is plain  # untouched, not even re-encoded
    assert service.resolve_customer(db, ours, b"{not json") == b"{not json"  # parse_order names the problem
    raw = json.dumps({**naming(made.id, "R-1"), "lines": [{"name": "x", "quantity": 1, "unit_price": 0.1}]})
    resolved = json.loads(service.resolve_customer(db, ours, raw.encode()))
    assert "customer_id" not in resolved and resolved["customer"]["name"] == "Hôtel du Parc SARL"
    assert resolved["lines"][0]["unit_price"] == "0.1"  # exact, never through a float
    with pytest.raises(InvalidInput) as refused:
        service.resolve_customer(db, theirs, raw.encode())
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("ORDER-CUSTOMER", "customer_id")]
    with pytest.raises(NotFound):
        service.get_customer(db, theirs, made.id)
    assert service.list_customers(db, theirs) == []
