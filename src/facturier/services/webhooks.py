"""Outbound webhooks: registering endpoints, fanning events out, delivering them, replaying.

The path of an event (docs/webhooks.md):

1. the business transaction writes it with its change (`tx.outbox.event`, storage/jobs.py):
   a job "webhooks.event" {"type", "timestamp", "data"}, whose id is the event's id;
2. `fan_out` (that job's handler) creates one delivery per enabled endpoint listening to the
   type, with the exact body to send, and one job "webhooks.deliver" each, in one transaction;
3. `deliver` signs and POSTs the body, records the attempt, and raises on failure so that the
   worker retries with WEBHOOK_RETRY (12 attempts over about three days); after the last one
   the delivery is marked failed (`replay` sends it again, same webhook-id, same body).

Delivery is at least once: a worker killed mid-request leaves its job to another worker, which
sends the same webhook-id again; receivers deduplicate on it (Standard Webhooks).

These functions are what the CLI (cli/webhook_commands.py) and the HTTP API call: plain
arguments (the database, the account, ids, `now`), frozen values back, `InvalidInput` /
`NotFound` for the caller to map.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from facturier.delivery.webhooks import AttemptResult, check_url, send, signed_headers
from facturier.domain.errors import FacturierError, InvalidInput, NotFound, Violation, invalid
from facturier.domain.jobs import WEBHOOK_RETRY, Job, RetryPolicy
from facturier.domain.text import forbidden_character
from facturier.services.jobs import Handler, JobContext, PermanentFailure
from facturier.storage.database import Database
from facturier.storage.jobs import EVENT_JOB
from facturier.storage.service_tables import stamp
from facturier.storage.webhooks import DELIVERY_STATUSES, Attempt, Delivery, Endpoint, WebhookStore

__all__ = [
    "DELIVER_JOB",
    "EVENT_JOB",
    "EVENT_TYPES",
    "HANDLERS",
    "POLICIES",
    "Attempt",
    "Delivery",
    "DeliveryDetail",
    "DeliveryFailed",
    "Endpoint",
    "delete_endpoint",
    "deliver",
    "delivery_id",
    "fan_out",
    "get_delivery",
    "get_endpoint",
    "list_deliveries",
    "list_endpoints",
    "register_endpoint",
    "replay",
    "set_endpoint_enabled",
]

EVENT_TYPES = (
    "document.issued",
    "document.sent",
    "document.delivery_failed",
    "payment.recorded",
    "document.paid",
    "document.overdue",
    "credit_note.issued",
    "job.parked",
)
DELIVER_JOB = "webhooks.deliver"
MAX_DESCRIPTION = 200  # the column's width
# Namespace of delivery ids: uuid5(namespace, "<event id>/<endpoint id>"), one delivery per pair.
_DELIVERY_NAMESPACE = uuid.UUID("6f1c2a4e-8e0b-5d2f-9a57-3c1b0f6d8e21")


class DeliveryFailed(FacturierError):
    """An attempt that got no 2xx answer: the worker retries the job (WEBHOOK_RETRY)."""


@dataclass(frozen=True, slots=True)
class DeliveryDetail:
    delivery: Delivery
    attempts: tuple[Attempt, ...]


# --- endpoints -------------------------------------------------------------------------------


def register_endpoint(
    db: Database,
    account_id: str,
    url: str,
    events: Sequence[str],
    description: str,
    now: datetime,
    allow_private: bool,
) -> tuple[Endpoint, str]:
    """Add an endpoint listening to `events`; returns it and its signing secret, shown only now.

    Refused with every problem at once (`InvalidInput`): the URL (WEBHOOK-URL, resolved and
    checked against private addresses unless `allow_private`), an unknown or missing event
    type (WEBHOOK-EVENT, ``events[i]``), a description too long or with hidden characters.
    """
    problems = _url_problems(url, allow_private) + _event_problems(events) + _description_problems(description)
    if problems:
        raise InvalidInput(problems)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")
    endpoint = Endpoint(str(uuid.uuid4()), url, tuple(dict.fromkeys(events)), description, True, stamp(now))
    with db.transaction(account_id) as tx:
        WebhookStore(tx.conn, account_id).add_endpoint(endpoint, secret)
    return endpoint, secret


def _url_problems(url: str, allow_private: bool) -> list[Violation]:
    try:
        check_url(url, allow_private)
    except InvalidInput as exc:
        return list(exc.violations)
    return []


def _event_problems(events: Sequence[str]) -> list[Violation]:
    if not events:
        return [Violation("WEBHOOK-EVENT", "events", f"at least one event type: {', '.join(EVENT_TYPES)}")]
    return [
        Violation("WEBHOOK-EVENT", f"events[{i}]", f"{event!r} is not an event type ({', '.join(EVENT_TYPES)})")
        for i, event in enumerate(events)
        if event not in EVENT_TYPES
    ]


def _description_problems(description: str) -> list[Violation]:
    if len(description) > MAX_DESCRIPTION:
        return [Violation("WEBHOOK-DESCRIPTION", "description", f"longer than {MAX_DESCRIPTION} characters")]
    problem = forbidden_character(description)
    return [Violation("WEBHOOK-DESCRIPTION", "description", problem)] if problem else []


def list_endpoints(db: Database, account_id: str) -> list[Endpoint]:
    """The account's endpoints, oldest first (secrets are never listed)."""
    with db.reading(account_id) as tx:
        return WebhookStore(tx.conn, account_id).endpoints()


def get_endpoint(db: Database, account_id: str, endpoint_id: str) -> Endpoint:
    with db.reading(account_id) as tx:
        endpoint = WebhookStore(tx.conn, account_id).endpoint(endpoint_id)
    if endpoint is None:
        raise NotFound(f"no webhook endpoint {endpoint_id!r}")
    return endpoint


def set_endpoint_enabled(db: Database, account_id: str, endpoint_id: str, enabled: bool) -> Endpoint:
    """Disable (no new deliveries; pending ones fail at their next attempt) or enable again."""
    with db.transaction(account_id) as tx:
        if not WebhookStore(tx.conn, account_id).set_enabled(endpoint_id, enabled):
            raise NotFound(f"no webhook endpoint {endpoint_id!r}")
    return get_endpoint(db, account_id, endpoint_id)


def delete_endpoint(db: Database, account_id: str, endpoint_id: str) -> None:
    """Remove the endpoint and its secret; its past deliveries stay listed."""
    with db.transaction(account_id) as tx:
        if not WebhookStore(tx.conn, account_id).delete_endpoint(endpoint_id):
            raise NotFound(f"no webhook endpoint {endpoint_id!r}")


# --- deliveries ------------------------------------------------------------------------------


def list_deliveries(
    db: Database,
    account_id: str,
    endpoint_id: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Delivery]:
    """Deliveries, newest first; `status` is pending, delivered or failed."""
    if status and status not in DELIVERY_STATUSES:
        raise invalid("WEBHOOK-STATUS", "status", f"{status!r} is not one of {', '.join(DELIVERY_STATUSES)}")
    with db.reading(account_id) as tx:
        return WebhookStore(tx.conn, account_id).deliveries(endpoint_id, status, limit, offset)


def get_delivery(db: Database, account_id: str, delivery_id: str) -> DeliveryDetail:
    """One delivery with its attempts, oldest attempt first."""
    with db.reading(account_id) as tx:
        store = WebhookStore(tx.conn, account_id)
        delivery = store.delivery(delivery_id)
        if delivery is None:
            raise NotFound(f"no webhook delivery {delivery_id!r}")
        return DeliveryDetail(delivery, tuple(store.attempts(delivery_id)))


def replay(db: Database, account_id: str, delivery_id: str, now: datetime) -> str:
    """Send a delivery again (same webhook-id, same body, a fresh signature); returns the job id.

    A failed delivery becomes pending again. Refused (WEBHOOK-REPLAY) if its endpoint was
    disabled or deleted.
    """
    with db.transaction(account_id) as tx:
        store = WebhookStore(tx.conn, account_id)
        delivery = store.delivery(delivery_id)
        if delivery is None:
            raise NotFound(f"no webhook delivery {delivery_id!r}")
        endpoint = store.endpoint(delivery.endpoint_id)
        if endpoint is None or not endpoint.enabled:
            state = "deleted" if endpoint is None else "disabled"
            raise invalid("WEBHOOK-REPLAY", "delivery_id", f"its endpoint {delivery.endpoint_id} is {state}")
        store.mark_pending(delivery_id)
        payload = {"delivery_id": delivery_id, "replay": True}
        job_id = tx.outbox.enqueue(DELIVER_JOB, payload, now, max_attempts=WEBHOOK_RETRY.max_attempts)
    assert job_id is not None  # no dedup key: always enqueued
    return job_id


# --- job handlers ----------------------------------------------------------------------------


def delivery_id(event_id: str, endpoint_id: str) -> str:
    """The delivery (and webhook-id) of one event to one endpoint: the same if fan_out runs twice."""
    return str(uuid.uuid5(_DELIVERY_NAMESPACE, f"{event_id}/{endpoint_id}"))


def event_body(job: Job) -> str:
    """The JSON sent: the event's {"type", "timestamp", "data"} and its id (the event job's id)."""
    payload = job.payload
    try:
        event = {"id": job.id, "type": payload["type"], "timestamp": payload["timestamp"], "data": payload["data"]}
    except KeyError as exc:
        raise PermanentFailure(f"event job {job.id} has no {exc.args[0]!r}") from None
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def fan_out(ctx: JobContext, job: Job) -> None:
    """Handler of "webhooks.event": one delivery and one "webhooks.deliver" job per listening endpoint."""
    account_id = _account(job)
    body, event_type, now = event_body(job), str(job.payload["type"]), ctx.clock()
    with ctx.db.transaction(account_id) as tx:
        store = WebhookStore(tx.conn, account_id)
        for endpoint in store.endpoints(event_type, enabled_only=True):
            delivery = Delivery(
                delivery_id(job.id, endpoint.id), endpoint.id, job.id, event_type, body, "pending", 0, stamp(now), None
            )
            if store.add_delivery(delivery):  # False: this job already ran (a worker died after committing)
                payload = {"delivery_id": delivery.id}
                tx.outbox.enqueue(DELIVER_JOB, payload, now, max_attempts=WEBHOOK_RETRY.max_attempts)


def deliver(ctx: JobContext, job: Job) -> None:
    """Handler of "webhooks.deliver": sign, check the URL again, POST, record; raise unless 2xx.

    A delivery already delivered is not sent again (a worker died between recording and
    completing the job), except by a replay. A disabled or deleted endpoint fails the
    delivery for good (`PermanentFailure`: parked, not retried).
    """
    account_id = _account(job)
    found = str(job.payload.get("delivery_id", ""))
    delivery, endpoint, secret = _load(ctx.db, account_id, found)
    if delivery.status == "delivered" and not job.payload.get("replay"):
        return
    if endpoint is None or not endpoint.enabled or secret is None:
        _give_up(ctx, account_id, delivery.id)
        state = "deleted" if endpoint is None else "disabled"
        raise PermanentFailure(f"webhook endpoint {delivery.endpoint_id} is {state}")
    now = ctx.clock()
    body = delivery.payload.encode("utf-8")
    headers = signed_headers(secret, delivery.id, int(now.timestamp()), body)
    result = send(endpoint.url, headers, body, ctx.http_timeout, ctx.allow_private_webhooks)
    _record(ctx, account_id, delivery.id, result, now, last=job.attempts >= job.max_attempts)
    if not result.ok:
        raise DeliveryFailed(_describe(result, endpoint.url))


def _account(job: Job) -> str:
    if not job.account_id:
        raise PermanentFailure(f"job {job.id} ({job.kind}) belongs to no account")
    return job.account_id


def _load(db: Database, account_id: str, found: str) -> tuple[Delivery, Endpoint | None, str | None]:
    with db.reading(account_id) as tx:
        store = WebhookStore(tx.conn, account_id)
        delivery = store.delivery(found)
        if delivery is None:
            raise PermanentFailure(f"no webhook delivery {found!r}")
        return delivery, store.endpoint(delivery.endpoint_id), store.secret(delivery.endpoint_id)


def _give_up(ctx: JobContext, account_id: str, delivery_id: str) -> None:
    with ctx.db.transaction(account_id) as tx:
        WebhookStore(tx.conn, account_id).mark_failed(delivery_id)


def _record(
    ctx: JobContext, account_id: str, delivery_id: str, result: AttemptResult, at: datetime, last: bool
) -> None:
    """The attempt, and the delivery's new status: delivered on 2xx, failed after the last attempt."""
    attempt = Attempt(0, stamp(at), result.status_code, result.error, result.duration_ms)
    with ctx.db.transaction(account_id) as tx:
        store = WebhookStore(tx.conn, account_id)
        store.record_attempt(delivery_id, attempt)
        if result.ok:
            store.mark_delivered(delivery_id, stamp(ctx.clock()))
        elif last:
            store.mark_failed(delivery_id)


def _describe(result: AttemptResult, url: str) -> str:
    if result.status_code is not None:
        return f"{url} answered HTTP {result.status_code}"
    return f"{url}: {result.error}"


# The job kinds of this module and their handlers, for the worker's registry (facturier.jobs).
HANDLERS: Mapping[str, Handler] = {EVENT_JOB: fan_out, DELIVER_JOB: deliver}
POLICIES: Mapping[str, RetryPolicy] = {EVENT_JOB: WEBHOOK_RETRY, DELIVER_JOB: WEBHOOK_RETRY}
