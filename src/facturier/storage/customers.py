"""The customers table and its repository: the buyers a seller bills again and again.

Created by migration 0007. A customer is working data, not evidence: it changes and can be
deleted, because every issued document keeps its own copy of the buyer (BG-7) as it was on
the day of issue (the ledger protects that copy, not this row).

Every row carries `account_id`; one `CustomerStore` works on one connection (its caller's
transaction) and one account, and every query filters on it, so a seller never sees nor
changes another's customers. The customer's blocks are kept as the JSON the service
validated (`details`); this layer does not interpret them (storage sits below the services
and does not know the order schema). `name_folded` is the name, casefolded, for the search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Column, Index, MetaData, String, Table, Text, UniqueConstraint, or_, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from facturier.domain.errors import Conflict, Violation

T = TypeVar("T")
customers_metadata = MetaData()

customers = Table(
    "customers",
    customers_metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("reference", String(100), nullable=True),  # the shop's own customer id; NULL: none (several allowed)
    Column("name_folded", String(500), nullable=False),
    Column("details", Text, nullable=False),  # JSON: {"customer", "billing_address", "shipping_address"}
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("account_id", "reference", name="uq_customers_account_reference"),
)
Index("ix_customers_account_name", customers.c.account_id, customers.c.name_folded)


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: str
    reference: str  # "" when the seller gave none
    name: str  # casefolded: what the search compares
    details: str  # the validated blocks, JSON
    created_at: str
    updated_at: str


def reference_taken(reference: str) -> Conflict:
    """The refusal of a second customer with the same reference in one account (HTTP 409)."""
    message = f"another customer of this account already has the reference {reference!r}"
    return Conflict([Violation("CUSTOMER-REFERENCE", "reference", message)])


class CustomerStore:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    def add(self, row: CustomerRow) -> None:
        """Insert; `Conflict` if the reference is taken (checked first, the unique constraint settles races)."""
        self._check_reference(row.reference, row.id)
        values = {**_values(row), "id": row.id, "account_id": self.account_id, "created_at": row.created_at}
        self._write(lambda: self.conn.execute(customers.insert().values(**values)), row.reference)

    def replace(self, row: CustomerRow) -> bool:
        """Overwrite the customer's fields (not its id nor created_at); False if it is not this account's."""
        self._check_reference(row.reference, row.id)
        c = customers
        statement = c.update().where(c.c.id == row.id, c.c.account_id == self.account_id).values(**_values(row))
        return self._write(lambda: int(self.conn.execute(statement).rowcount) == 1, row.reference)

    def delete(self, customer_id: str) -> bool:
        c = customers
        statement = c.delete().where(c.c.id == customer_id, c.c.account_id == self.account_id)
        return int(self.conn.execute(statement).rowcount) == 1

    def find(self, id_or_reference: str) -> CustomerRow | None:
        """By id, else by reference (an id wins: it cannot be chosen, a reference can)."""
        c = customers
        either = or_(c.c.id == id_or_reference, c.c.reference == id_or_reference)
        rows = [_row(r) for r in self.conn.execute(select(c).where(c.c.account_id == self.account_id, either))]
        return next((r for r in rows if r.id == id_or_reference), rows[0] if rows else None)

    def search(self, name_part: str = "", reference: str = "", limit: int = 100, offset: int = 0) -> list[CustomerRow]:
        """By name (casefolded), then id; optionally those whose name contains `name_part`, or one reference."""
        c = customers
        query = select(c).where(c.c.account_id == self.account_id)
        if name_part:
            query = query.where(c.c.name_folded.contains(name_part.casefold(), autoescape=True))
        if reference:
            query = query.where(c.c.reference == reference)
        query = query.order_by(c.c.name_folded, c.c.id).limit(limit).offset(offset)
        return [_row(r) for r in self.conn.execute(query)]

    def _check_reference(self, reference: str, own_id: str) -> None:
        if not reference:
            return
        c = customers
        query = select(c.c.id).where(c.c.account_id == self.account_id, c.c.reference == reference, c.c.id != own_id)
        if self.conn.execute(query).first() is not None:
            raise reference_taken(reference)

    def _write(self, action: Callable[[], T], reference: str) -> T:
        try:
            return action()
        except IntegrityError:  # a concurrent writer took the reference between check and write
            raise reference_taken(reference) from None


def _values(row: CustomerRow) -> dict[str, str | None]:
    return {
        "reference": row.reference or None,
        "name_folded": row.name,
        "details": row.details,
        "updated_at": row.updated_at,
    }


def _row(row: Row[Any]) -> CustomerRow:
    return CustomerRow(
        id=str(row.id),
        reference=str(row.reference or ""),
        name=str(row.name_folded),
        details=str(row.details),
        created_at=str(row.created_at),
        updated_at=str(row.updated_at),
    )
