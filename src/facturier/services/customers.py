"""Customers stored once and named in orders by id or reference (docs/customers.md).

A customer record holds the blocks an order would carry inline: `customer` (the buyer, BG-7)
and `billing_address` (BG-8), optionally `shipping_address` (BG-15), plus the seller's own
`reference` for it (unique in the account). They are read with the order's own pydantic
models (services.order_schema), so a stored customer has exactly the fields, and is refused
with exactly the messages, of an order's customer; and the identifiers are checked as issuing
checks a buyer (domain.parties: SIREN and SIRET Luhn checksums, EU VAT ids per member state,
python-stdnum offline): a record that issuing would refuse is refused when it is stored.

Customers are mutable working data, not evidence: `resolve_customer` copies the stored
blocks into the order before it is parsed, so each issued document keeps the buyer as it
was that day, and a later update or deletion of the customer never reaches it.

These functions are what the CLI (cli/customer_commands.py) and the HTTP API
(api/customers.py) call: plain arguments, frozen values back, `InvalidInput` / `Conflict` /
`NotFound` for the caller to map.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from facturier.domain.errors import InvalidInput, NotFound, Violation, invalid
from facturier.domain.limits import MAX_TEXT_CHARS
from facturier.domain.parties import Address
from facturier.domain.text import forbidden_character
from facturier.services.order_schema import AddressIn, CustomerIn, OneLine, OrderIn
from facturier.services.orders import MAX_ORDER_BYTES, buyer_from_order, order_path, parse_order
from facturier.storage.customers import CustomerRow, CustomerStore
from facturier.storage.database import Database
from facturier.storage.service_tables import stamp

__all__ = [
    "READ_ONLY",
    "Customer",
    "CustomerRecordIn",
    "create_customer",
    "customer_json",
    "delete_customer",
    "get_customer",
    "list_customers",
    "read_order",
    "resolve_customer",
    "update_customer",
]

READ_ONLY = ("id", "created_at", "updated_at")  # shown with a customer, never written by a client
# Longer than an order's codes (35): shops' customer ids may be UUIDs (36); the column's width.
Reference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), OneLine]


class CustomerRecordIn(BaseModel):
    """What a client stores: the blocks of an order's buyer, and its own reference for them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: Reference = Field(default="", description="your id for this customer (unique in the account), optional")
    customer: CustomerIn
    billing_address: AddressIn
    shipping_address: AddressIn | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    record: CustomerRecordIn
    created_at: str
    updated_at: str

    @property
    def reference(self) -> str:
        return self.record.reference


# --- checking --------------------------------------------------------------------------------


def checked_record(data: Any) -> CustomerRecordIn:
    """`data` read with the order's models, then the identifiers checked: every problem at once."""
    try:
        record = CustomerRecordIn.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            Violation("CUSTOMER-SCHEMA", _path(err["loc"]), err["msg"]) for err in exc.errors(include_url=False)
        ) from None
    problems = list(identifier_problems(record))
    if problems:
        raise InvalidInput(problems)
    return record


def identifier_problems(record: CustomerRecordIn) -> Iterable[Violation]:
    """The buyer checks issuing makes (FR-SIREN, FR-SIRET, EU-VATID, addresses), named by the record's fields."""
    order = OrderIn(id="customer", customer=record.customer, billing_address=record.billing_address)
    for v in buyer_from_order(order).violations("buyer"):
        yield Violation(v.rule_id, order_path(v.path), v.message)
    if record.shipping_address is not None:
        a = record.shipping_address
        yield from Address(a.line1, a.city, a.postcode, a.country, a.line2, a.line3, a.subdivision).violations(
            "shipping_address"
        )


def _path(loc: tuple[object, ...]) -> str:
    """("customer", "siren") -> "customer.siren", the same path an order's field has."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def merge_patch(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7396): objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    merged = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


# --- rows ------------------------------------------------------------------------------------


def _row(customer_id: str, record: CustomerRecordIn, created_at: str, updated_at: str) -> CustomerRow:
    details = record.model_dump(mode="json", exclude={"reference"}, exclude_defaults=True)
    text = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return CustomerRow(customer_id, record.reference, record.customer.name.casefold(), text, created_at, updated_at)


def _customer(row: CustomerRow) -> Customer:
    record = CustomerRecordIn.model_validate({**json.loads(row.details), "reference": row.reference})
    return Customer(row.id, record, row.created_at, row.updated_at)


def customer_json(customer: Customer) -> dict[str, Any]:
    """The customer as the API and `customer show --json` print it (every field, defaults included)."""
    record = customer.record.model_dump(mode="json")
    return {"id": customer.id, **record, "created_at": customer.created_at, "updated_at": customer.updated_at}


def _found(row: CustomerRow | None, id_or_reference: str) -> CustomerRow:
    if row is None:  # another account's customer reads exactly as one that does not exist
        raise NotFound(f"no customer {id_or_reference!r}")
    return row


# --- use cases -------------------------------------------------------------------------------


def create_customer(db: Database, account_id: str, data: Any, now: datetime) -> Customer:
    """Store a new customer; `Conflict` (HTTP 409) if its reference is already another's."""
    record = checked_record(data)
    row = _row(str(uuid.uuid4()), record, stamp(now), stamp(now))
    with db.transaction(account_id) as tx:
        CustomerStore(tx.conn, account_id).add(row)
    return _customer(row)


def update_customer(
    db: Database, account_id: str, id_or_reference: str, patch: Mapping[str, Any], now: datetime
) -> Customer:
    """Change some fields (JSON Merge Patch: null removes), check the whole result again, store it."""
    with db.transaction(account_id) as tx:
        store = CustomerStore(tx.conn, account_id)
        row = _found(store.find(id_or_reference), id_or_reference)
        current = customer_json(_customer(row))
        for key in READ_ONLY:
            current.pop(key)
        record = checked_record(merge_patch(current, patch))
        changed = _row(row.id, record, row.created_at, stamp(now))
        if not store.replace(changed):  # deleted by another request since it was read
            raise NotFound(f"no customer {id_or_reference!r}")
    return _customer(changed)


def get_customer(db: Database, account_id: str, id_or_reference: str) -> Customer:
    with db.reading(account_id) as tx:
        return _customer(_found(CustomerStore(tx.conn, account_id).find(id_or_reference), id_or_reference))


def list_customers(
    db: Database, account_id: str, name_part: str = "", reference: str = "", limit: int = 100, offset: int = 0
) -> list[Customer]:
    """By name; those whose name contains `name_part` (any case), or with that `reference`."""
    with db.reading(account_id) as tx:
        rows = CustomerStore(tx.conn, account_id).search(name_part, reference, limit, offset)
    return [_customer(r) for r in rows]


def delete_customer(db: Database, account_id: str, id_or_reference: str) -> None:
    """Forget the customer; the documents issued to it keep their own copy of the buyer."""
    with db.transaction(account_id) as tx:
        store = CustomerStore(tx.conn, account_id)
        store.delete(_found(store.find(id_or_reference), id_or_reference).id)


# --- orders that name a customer ---------------------------------------------------------------


def read_order(db: Database, account_id: str, raw_order: bytes) -> OrderIn:
    """An order as every entry point reads it (API, CLI, tax explain): a `customer_id` replaced by
    the stored customer, then parsed and checked (services.orders.parse_order)."""
    return parse_order(resolve_customer(db, account_id, raw_order))


def resolve_customer(db: Database, account_id: str, raw_order: bytes) -> bytes:
    """The order with the stored customer's blocks in place of its `customer_id` (JSON in, JSON out).

    An order without a well-formed `customer_id` comes back as it was, byte for byte (not JSON,
    a customer_id that is not text or hides a control character: `parse_order` names the
    problem). The customer block always comes from the stored customer (an order with both is
    refused); the addresses too, unless the order gives its own.
    Unknown ids, and ids of another account, are refused alike: rule ORDER-CUSTOMER, path
    `customer_id`.
    """
    order = _naming_customer(raw_order)
    if order is None:
        return raw_order
    named = str(order.pop("customer_id"))
    if order.get("customer") is not None:
        raise invalid("ORDER-CUSTOMER", "customer_id", "give either customer_id or an inline customer, not both")
    with db.reading(account_id) as tx:
        row = CustomerStore(tx.conn, account_id).find(named.strip())
    if row is None:
        raise invalid("ORDER-CUSTOMER", "customer_id", f"no stored customer with the id or reference {named!r}")
    return json.dumps(_filled(order, json.loads(row.details)), default=str, ensure_ascii=False).encode()


def _naming_customer(raw: bytes) -> dict[str, Any] | None:
    """The order as a dict if it names a customer with a well-formed id; else None, and `parse_order`
    refuses what is wrong with the order's own messages (not JSON, not text, a hidden character...)."""
    if b'"customer_id"' not in raw or len(raw) > MAX_ORDER_BYTES:
        return None
    try:
        data = json.loads(raw, parse_float=Decimal, strict=False)  # exact amounts, written back as strings
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not _well_formed(data.get("customer_id")):
        return None
    return data


def _well_formed(named: object) -> bool:
    return isinstance(named, str) and 0 < len(named.strip()) <= MAX_TEXT_CHARS and forbidden_character(named) is None


def _filled(order: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    filled = {**order, "customer": details["customer"]}
    for block in ("billing_address", "shipping_address"):
        if order.get(block) is None and details.get(block) is not None:
            filled[block] = details[block]
    return filled
