"""The repository of outbound webhooks: endpoints, deliveries and their attempts.

One `WebhookStore` works on one connection (its caller's transaction) and one account: every
query filters on `account_id`, so a seller never sees nor changes another's endpoints.
Rows map to frozen values; the endpoint's signing secret is never part of `Endpoint` (it is
shown once, at registration) and is read alone, by the sender, through `secret()`.

A delivery's id is derived from (event id, endpoint id) by the caller, so the primary key
itself makes fanning an event out twice a no-op (`add_delivery` returns False), even when
two workers race on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from facturier.storage.service_tables import webhook_attempts, webhook_deliveries, webhook_endpoints

DELIVERY_STATUSES = ("pending", "delivered", "failed")


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    url: str
    events: tuple[str, ...]
    description: str
    enabled: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent to one endpoint; `id` is the ``webhook-id`` header, the same on every attempt."""

    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    payload: str  # the JSON body, byte for byte as sent (UTF-8)
    status: str  # pending | delivered | failed
    attempts: int
    created_at: str
    delivered_at: str | None


@dataclass(frozen=True, slots=True)
class Attempt:
    n: int  # 1, 2, ... in the order they were made
    at: str
    status_code: int | None  # None: no answer (timeout, refused connection, refused address)
    error: str | None
    duration_ms: int


class WebhookStore:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    # --- endpoints -------------------------------------------------------------------------

    def add_endpoint(self, endpoint: Endpoint, secret: str) -> None:
        self.conn.execute(
            webhook_endpoints.insert().values(
                id=endpoint.id,
                account_id=self.account_id,
                url=endpoint.url,
                secret=secret,
                events=json.dumps(list(endpoint.events)),
                description=endpoint.description,
                enabled=endpoint.enabled,
                created_at=endpoint.created_at,
            )
        )

    def endpoints(self, event_type: str | None = None, enabled_only: bool = False) -> list[Endpoint]:
        """The account's endpoints, oldest first; only those listening to `event_type` if given."""
        e = webhook_endpoints
        query = select(e).where(e.c.account_id == self.account_id).order_by(e.c.created_at, e.c.id)
        if enabled_only:
            query = query.where(e.c.enabled.is_(True))
        found = [_endpoint(r) for r in self.conn.execute(query)]
        return [x for x in found if event_type is None or event_type in x.events]

    def endpoint(self, endpoint_id: str) -> Endpoint | None:
        e = webhook_endpoints
        row = self.conn.execute(select(e).where(e.c.id == endpoint_id, e.c.account_id == self.account_id)).first()
        return None if row is None else _endpoint(row)

    def secret(self, endpoint_id: str) -> str | None:
        e = webhook_endpoints
        query = select(e.c.secret).where(e.c.id == endpoint_id, e.c.account_id == self.account_id)
        row = self.conn.execute(query).first()
        return None if row is None else str(row.secret)

    def set_enabled(self, endpoint_id: str, enabled: bool) -> bool:
        e = webhook_endpoints
        statement = update(e).where(e.c.id == endpoint_id, e.c.account_id == self.account_id).values(enabled=enabled)
        return int(self.conn.execute(statement).rowcount) == 1

    def delete_endpoint(self, endpoint_id: str) -> bool:
        """Forget the endpoint; its deliveries and attempts stay, as the history of what was sent."""
        e = webhook_endpoints
        statement = e.delete().where(e.c.id == endpoint_id, e.c.account_id == self.account_id)
        return int(self.conn.execute(statement).rowcount) == 1

    # --- deliveries ------------------------------------------------------------------------

    def add_delivery(self, delivery: Delivery) -> bool:
        """Insert a pending delivery; False (nothing written) if its id already exists."""
        values = {
            "id": delivery.id,
            "account_id": self.account_id,
            "endpoint_id": delivery.endpoint_id,
            "event_id": delivery.event_id,
            "event_type": delivery.event_type,
            "payload": delivery.payload,
            "status": "pending",
            "attempts": 0,
            "created_at": delivery.created_at,
            "delivered_at": None,
        }
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(webhook_deliveries).values(**values).on_conflict_do_nothing(index_elements=["id"])
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT through SQLAlchemy 2.1
        return self.conn.execute(statement.returning(webhook_deliveries.c.id)).first() is not None

    def delivery(self, delivery_id: str) -> Delivery | None:
        d = webhook_deliveries
        row = self.conn.execute(select(d).where(d.c.id == delivery_id, d.c.account_id == self.account_id)).first()
        return None if row is None else _delivery(row)

    def deliveries(
        self, endpoint_id: str | None = None, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[Delivery]:
        """Newest first, optionally of one endpoint and/or in one status."""
        d = webhook_deliveries
        query = select(d).where(d.c.account_id == self.account_id)
        if endpoint_id:
            query = query.where(d.c.endpoint_id == endpoint_id)
        if status:
            query = query.where(d.c.status == status)
        query = query.order_by(d.c.created_at.desc(), d.c.id).limit(limit).offset(offset)
        return [_delivery(r) for r in self.conn.execute(query)]

    def record_attempt(self, delivery_id: str, attempt: Attempt) -> int:
        """Append an attempt; its number `n` is counted here (the row lock orders concurrent senders)."""
        d = webhook_deliveries
        counted = self.conn.execute(
            update(d)
            .where(d.c.id == delivery_id, d.c.account_id == self.account_id)
            .values(attempts=d.c.attempts + 1)
            .returning(d.c.attempts)
        ).one()
        n = int(counted.attempts)
        self.conn.execute(
            webhook_attempts.insert().values(
                delivery_id=delivery_id,
                n=n,
                account_id=self.account_id,
                at=attempt.at,
                status_code=attempt.status_code,
                error=attempt.error,
                duration_ms=attempt.duration_ms,
            )
        )
        return n

    def mark_delivered(self, delivery_id: str, at: str) -> None:
        self._set_status(delivery_id, ("pending", "failed", "delivered"), status="delivered", delivered_at=at)

    def mark_failed(self, delivery_id: str) -> None:
        """Give up on a pending delivery; a delivered one stays delivered (a replay that failed)."""
        self._set_status(delivery_id, ("pending",), status="failed")

    def mark_pending(self, delivery_id: str) -> None:
        """A failed delivery is tried again (replay); a delivered one keeps its status."""
        self._set_status(delivery_id, ("failed",), status="pending")

    def _set_status(self, delivery_id: str, current: Sequence[str], **values: Any) -> None:
        d = webhook_deliveries
        self.conn.execute(
            update(d)
            .where(d.c.id == delivery_id, d.c.account_id == self.account_id, d.c.status.in_(list(current)))
            .values(**values)
        )

    def attempts(self, delivery_id: str) -> list[Attempt]:
        a = webhook_attempts
        query = select(a).where(a.c.delivery_id == delivery_id, a.c.account_id == self.account_id).order_by(a.c.n)
        return [Attempt(r.n, r.at, r.status_code, r.error, int(r.duration_ms)) for r in self.conn.execute(query)]


def _endpoint(r: Any) -> Endpoint:
    return Endpoint(r.id, r.url, tuple(json.loads(r.events)), r.description, bool(r.enabled), r.created_at)


def _delivery(r: Any) -> Delivery:
    return Delivery(
        id=r.id,
        endpoint_id=r.endpoint_id,
        event_id=r.event_id,
        event_type=r.event_type,
        payload=r.payload,
        status=r.status,
        attempts=int(r.attempts),
        created_at=r.created_at,
        delivered_at=r.delivered_at,
    )
