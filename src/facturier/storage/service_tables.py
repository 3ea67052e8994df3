"""Tables of the service (API keys, idempotent requests, jobs, outbound webhooks).

Created by migration 0005. Unlike the issued records these rows change (a job's status, a
key's last use), so they are not append-only; none of them is evidence: the ledger is.
Every row carries `account_id` except `jobs` of the deployment itself (the janitor), whose
`account_id` is NULL.

Times are ISO 8601 UTC strings of one fixed width (`stamp()`), so they compare as text on
both engines and are written from the caller's clock (tests move time by hand).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, LargeBinary, MetaData, String, Table, Text

service_metadata = MetaData()


def stamp(moment: datetime) -> str:
    """`2026-12-04T10:00:00.000000Z`: fixed width, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


api_keys = Table(
    "api_keys",
    service_metadata,
    Column("id", String(24), primary_key=True),  # the public part of the key: fct_<id>_<secret>
    Column("account_id", String(36), nullable=False),
    Column("name", String(100), nullable=False),
    Column("scope", String(8), nullable=False),  # read | write | admin
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32), nullable=True),
    Column("revoked_at", String(32), nullable=True),
)
Index("ix_api_keys_account", api_keys.c.account_id)

idempotency_keys = Table(
    "idempotency_keys",
    service_metadata,
    Column("account_id", String(36), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),  # SHA-256 of method, path and body
    Column("state", String(10), nullable=False),  # in_flight | done
    Column("status_code", Integer, nullable=True),
    Column("media_type", String(100), nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("headers", Text, nullable=True),  # JSON object of the replayed headers (Location)
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("locked_until", String(32), nullable=False),  # an in-flight claim older than this is taken over
)
Index("ix_idempotency_expiry", idempotency_keys.c.expires_at)

jobs = Table(
    "jobs",
    service_metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=True),
    Column("kind", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("status", String(10), nullable=False),  # queued | running | done | parked
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("run_at", String(32), nullable=False),
    Column("locked_by", String(100), nullable=True),
    Column("locked_until", String(32), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("dedup_key", String(200), nullable=True, unique=True),  # periodic ticks: one job per tick
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_jobs_due", jobs.c.status, jobs.c.run_at)
Index("ix_jobs_account", jobs.c.account_id, jobs.c.status)

webhook_endpoints = Table(
    "webhook_endpoints",
    service_metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("secret", String(100), nullable=False),  # whsec_<base64>: needed in clear to sign (Standard Webhooks)
    Column("events", Text, nullable=False),  # JSON list of event types
    Column("description", String(200), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
)
Index("ix_webhook_endpoints_account", webhook_endpoints.c.account_id)

webhook_deliveries = Table(
    "webhook_deliveries",
    service_metadata,
    Column("id", String(36), primary_key=True),  # the webhook-id header: the same on every attempt
    Column("account_id", String(36), nullable=False),
    Column("endpoint_id", String(36), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # the JSON body sent, byte for byte on every attempt
    Column("status", String(10), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("delivered_at", String(32), nullable=True),
)
Index("ix_webhook_deliveries_account", webhook_deliveries.c.account_id, webhook_deliveries.c.created_at)

webhook_attempts = Table(
    "webhook_attempts",
    service_metadata,
    Column("delivery_id", String(36), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("at", String(32), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", BigInteger, nullable=False),
)
