"""Background work: the `JobQueue` port, the retry policy and the job kinds.

A job is written in the same transaction as the change that causes it (the transactional
outbox): an invoice and its webhook event commit together or not at all. Workers claim due
jobs with a lease; a worker killed mid-job loses nothing, since its lease expires and another
worker claims the job again (so handlers must be idempotent: at-least-once delivery).
A job that keeps failing is parked after `max_attempts` and listed until retried.

    queue.enqueue(conn, "webhooks.event", {"type": "document.issued", ...}, account_id=a)
    job = queue.claim(worker="w1", now=now, lease=timedelta(seconds=60))
    ... run it outside any transaction ...
    queue.complete(job, now)       # or queue.fail(job, error, now, policy)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from facturier.domain.errors import FacturierError
from facturier.domain.jobs import DEFAULT_RETRY, WEBHOOK_RETRY, Job, RetryPolicy
from facturier.storage.database import Database

__all__ = [
    "DEFAULT_RETRY",
    "WEBHOOK_RETRY",
    "Handler",
    "Job",
    "JobContext",
    "JobQueue",
    "PermanentFailure",
    "RetryPolicy",
]


@dataclass(frozen=True)
class JobContext:
    """What a job handler may use: the database, the clock and the deployment's settings for jobs."""

    db: Database
    clock: Callable[[], datetime]
    allow_private_webhooks: bool = False  # FACTURIER_WEBHOOKS_ALLOW_PRIVATE: loopback/private targets (tests only)
    http_timeout: float = 10.0  # seconds, for each outbound HTTP request


class PermanentFailure(FacturierError):
    """A job that can never succeed (e.g. its endpoint was deleted): parked at once, not retried."""


# A handler runs one job outside any transaction; raising means failure (retried with the kind's policy).
Handler = Callable[[JobContext, Job], None]


class JobQueue(Protocol):
    """The port the worker runs on. One adapter today (storage.jobs.SqlJobQueue) serves SQLite
    and PostgreSQL; the outbox (`tx.outbox`) enqueues on the business transaction's connection."""

    def enqueue(
        self,
        conn: Connection,
        kind: str,
        payload: Mapping[str, Any],
        *,
        account_id: str | None,
        now: datetime,
        run_at: datetime | None = None,
        max_attempts: int = DEFAULT_RETRY.max_attempts,
        dedup_key: str | None = None,
    ) -> str | None: ...

    def claim(self, worker: str, now: datetime, lease: timedelta, kinds: tuple[str, ...] = ()) -> Job | None: ...

    def enqueue_once(
        self, kind: str, payload: Mapping[str, Any], now: datetime, dedup_key: str, max_attempts: int
    ) -> str | None: ...

    def extend(self, job: Job, worker: str, now: datetime, lease: timedelta) -> bool: ...

    def get(self, job_id: str, account_id: str | None = None, all_accounts: bool = False) -> Job | None: ...

    def complete(self, job: Job, worker: str, now: datetime) -> None: ...

    def fail(
        self, job: Job, worker: str, error: str, now: datetime, policy: RetryPolicy, permanent: bool = False
    ) -> str: ...
