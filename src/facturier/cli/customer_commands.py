"""`facturier customer ...`: buyers stored once, then named in orders by `customer_id`.

facturier customer add customer.json         # {"reference", "customer", "billing_address", "shipping_address"}
facturier customer list --name hotel --json
facturier customer show ID_OR_REFERENCE
facturier customer update ID_OR_REFERENCE changes.json   # JSON Merge Patch: null removes a field
facturier customer delete ID_OR_REFERENCE    # issued documents keep their own copy of the buyer

The file's blocks are an order's (docs/customers.md); `show --json` prints a file that
`update` takes back as it is (its id and times are ignored).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from facturier.bootstrap import App, build
from facturier.cli import output
from facturier.cli.common import handled, read_input
from facturier.domain.errors import invalid
from facturier.services import customers as service

customer_app = typer.Typer(no_args_is_help=True, help="Customers stored once and named in orders (customer_id).")


def _app() -> App:
    return build()


def _read_object(path: Path) -> dict[str, Any]:
    """The file's JSON object, or a clear CUSTOMER-JSON violation naming the file."""
    try:
        data = json.loads(read_input(path), strict=False)  # raw controls reach the field check
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid("CUSTOMER-JSON", str(path), f"malformed JSON: {exc}") from None
    if not isinstance(data, dict):
        raise invalid("CUSTOMER-JSON", str(path), "expected a JSON object")
    return data


def _print(customer: service.Customer, as_json: bool, said: str) -> None:
    if as_json:
        output.print_json(service.customer_json(customer))
        return
    reference = f" ({customer.reference})" if customer.reference else ""
    output.console.print(f"Customer {customer.id}{reference} {said}: {customer.record.customer.name}", markup=False)


@customer_app.command("add")
@handled
def add(
    file: Annotated[Path, typer.Argument(help="customer JSON: reference, customer, billing_address, ...")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Store a customer (its reference, if any, unique in the account)."""
    application = _app()
    data = _read_object(file)
    made = service.create_customer(application.db, application.account_id(), data, application.clock())
    _print(made, as_json, "added")


@customer_app.command("list")
@handled
def list_customers(
    name: Annotated[str, typer.Option("--name", help="a part of the name, any case")] = "",
    reference: Annotated[str, typer.Option("--reference")] = "",
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The customers, by name."""
    application = _app()
    found = service.list_customers(application.db, application.account_id(), name, reference, limit, offset)
    if as_json:
        output.print_json([service.customer_json(c) for c in found])
        return
    table = output.listing(
        f"{len(found)} customers", ("Id", "Reference", "Name", "Type", "Country", "Updated"), whole=("Id", "Updated")
    )
    for c in found:
        record = c.record
        table.add_row(
            c.id, c.reference, record.customer.name, record.customer.type, record.billing_address.country, c.updated_at
        )
    output.console.print(table)


@customer_app.command("show")
@handled
def show(
    customer_id: Annotated[str, typer.Argument(help="id or reference")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One customer, every field (as JSON: a file `update` takes back)."""
    application = _app()
    found = service.get_customer(application.db, application.account_id(), customer_id)
    if as_json:
        output.print_json(service.customer_json(found))
        return
    output.console.print_json(json.dumps(service.customer_json(found), ensure_ascii=False))


@customer_app.command("update")
@handled
def update(
    customer_id: Annotated[str, typer.Argument(help="id or reference")],
    file: Annotated[Path, typer.Argument(help="the fields to change (JSON Merge Patch: null removes one)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Change a customer; documents already issued to it do not change."""
    application = _app()
    patch = {k: v for k, v in _read_object(file).items() if k not in service.READ_ONLY}
    changed = service.update_customer(application.db, application.account_id(), customer_id, patch, application.clock())
    _print(changed, as_json, "updated")


@customer_app.command("delete")
@handled
def delete(customer_id: Annotated[str, typer.Argument(help="id or reference")]) -> None:
    """Forget a customer; documents issued to it keep their own copy of the buyer."""
    application = _app()
    service.delete_customer(application.db, application.account_id(), customer_id)
    output.console.print(f"Customer {customer_id} deleted", markup=False)
