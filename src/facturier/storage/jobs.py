"""The job table adapter of the `JobQueue` port, one for SQLite and PostgreSQL.

Enqueue runs on the caller's connection, inside its transaction (the outbox). Claiming
takes the oldest due job, or one whose lease expired (its worker died), in a short
transaction of its own: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets many workers on many
machines claim without blocking each other; on SQLite the claim's `BEGIN IMMEDIATE` holds
the writer lock, so two claims never interleave. Finishing a job checks the claim is still
the caller's (`locked_by`): a worker whose lease was taken over cannot overwrite the
newer attempt's result.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from facturier.domain.jobs import DEFAULT_RETRY, Job, RetryPolicy
from facturier.storage.service_tables import jobs, stamp, webhook_endpoints

STATUSES = ("queued", "running", "done", "parked")


class SqlJobQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing jobs ----------------------------------------------------------------------

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
    ) -> str | None:
        """Add a job in `conn`'s transaction; with `dedup_key`, only if no job has it yet.

        Returns the job id, or None when `dedup_key` was already taken (a periodic tick that
        another worker enqueued first).
        """
        job_id = str(uuid.uuid4())
        values = {
            "id": job_id,
            "account_id": account_id,
            "kind": kind,
            "payload": json.dumps(payload, sort_keys=True, separators=(",", ":")),
            "status": "queued",
            "attempts": 0,
            "max_attempts": max_attempts,
            "run_at": stamp(run_at or now),
            "dedup_key": dedup_key,
            "created_at": stamp(now),
            "updated_at": stamp(now),
        }
        if dedup_key is None:
            conn.execute(jobs.insert().values(**values))
            return job_id
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(jobs).values(**values).on_conflict_do_nothing(index_elements=["dedup_key"])
        # RETURNING, not rowcount: psycopg reports -1 for this statement, inserted or not
        inserted = conn.execute(statement.returning(jobs.c.id)).first()
        return job_id if inserted is not None else None

    def enqueue_once(
        self, kind: str, payload: Mapping[str, Any], now: datetime, dedup_key: str, max_attempts: int
    ) -> str | None:
        """A job of the deployment (no account) in a transaction of its own, unless a job already
        has `dedup_key` (a periodic tick another worker enqueued first: None)."""
        with self.engine.begin() as conn:
            return self.enqueue(
                conn, kind, payload, account_id=None, now=now, max_attempts=max_attempts, dedup_key=dedup_key
            )

    # --- working ---------------------------------------------------------------------------

    def claim(self, worker: str, now: datetime, lease: timedelta, kinds: tuple[str, ...] = ()) -> Job | None:
        """The oldest due job (or a stalled one), marked running for `worker` until now + lease."""
        j, at = jobs, stamp(now)
        due = or_(
            and_(j.c.status == "queued", j.c.run_at <= at),
            and_(j.c.status == "running", j.c.locked_until < at),  # its worker died or hung
        )
        query = select(j.c.id).where(due)
        if kinds:
            query = query.where(j.c.kind.in_(kinds))
        query = query.order_by(j.c.run_at, j.c.id).limit(1).with_for_update(skip_locked=True)
        with self.engine.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            claimed = conn.execute(
                update(j)
                .where(j.c.id == row.id)
                .values(
                    status="running",
                    attempts=j.c.attempts + 1,
                    locked_by=worker,
                    locked_until=stamp(now + lease),
                    updated_at=at,
                )
                .returning(*j.c)
            ).one()
        return _job(claimed)

    def extend(self, job: Job, worker: str, now: datetime, lease: timedelta) -> bool:
        """Heartbeat of a long job: push its lease forward; False if it is no longer ours."""
        return self._finish(job, worker, locked_until=stamp(now + lease), updated_at=stamp(now)) == 1

    def complete(self, job: Job, worker: str, now: datetime) -> None:
        self._finish(job, worker, status="done", locked_by=None, locked_until=None, updated_at=stamp(now))

    def fail(
        self, job: Job, worker: str, error: str, now: datetime, policy: RetryPolicy, permanent: bool = False
    ) -> str:
        """Reschedule with backoff, or park after the last attempt (or at once if `permanent`).
        Returns the new status."""
        values: dict[str, Any] = {"last_error": error[:4000], "locked_by": None, "locked_until": None}
        if permanent or job.attempts >= job.max_attempts:
            status = "parked"
        else:
            status = "queued"
            values["run_at"] = stamp(now + policy.delay(job.attempts))
        self._finish(job, worker, status=status, updated_at=stamp(now), **values)
        return status

    def _finish(self, job: Job, worker: str, **values: Any) -> int:
        j = jobs
        with self.engine.begin() as conn:
            result = conn.execute(
                update(j).where(j.c.id == job.id, j.c.status == "running", j.c.locked_by == worker).values(**values)
            )
        return int(result.rowcount)

    # --- looking and operating -------------------------------------------------------------

    def list(
        self, *, account_id: str | None = None, status: str | None = None, limit: int = 100, all_accounts: bool = False
    ) -> list[Job]:
        """Jobs, newest first; of one account (and the deployment's own jobs if `all_accounts`)."""
        j = jobs
        query = select(j).order_by(j.c.created_at.desc(), j.c.id).limit(limit)
        if not all_accounts:
            query = query.where(j.c.account_id == account_id)
        if status:
            query = query.where(j.c.status == status)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(query)]

    def get(self, job_id: str, account_id: str | None = None, all_accounts: bool = False) -> Job | None:
        j = jobs
        query = select(j).where(j.c.id == job_id)
        if not all_accounts:
            query = query.where(j.c.account_id == account_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _job(row)

    def retry(
        self, job_ids: Sequence[str], now: datetime, account_id: str | None = None, all_accounts: bool = False
    ) -> int:
        """Queue parked jobs again, now, with a fresh count of attempts."""
        j = jobs
        statement = update(j).where(j.c.id.in_(list(job_ids)), j.c.status == "parked")
        if not all_accounts:
            statement = statement.where(j.c.account_id == account_id)
        with self.engine.begin() as conn:
            values = {"status": "queued", "attempts": 0, "run_at": stamp(now), "updated_at": stamp(now)}
            result = conn.execute(statement.values(**values))
        return int(result.rowcount)

    def counts(self) -> dict[str, int]:
        """Jobs per status (readiness and `jobs list` summary)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status))
            found = {str(status): int(n) for status, n in rows}
        return {s: found.get(s, 0) for s in STATUSES}

    def purge_done(self, before: datetime) -> int:
        """Forget finished jobs older than `before` (the janitor); parked ones stay until retried."""
        with self.engine.begin() as conn:
            result = conn.execute(jobs.delete().where(jobs.c.status == "done", jobs.c.updated_at < stamp(before)))
        return int(result.rowcount)


def _job(r: Any) -> Job:
    return Job(
        id=r.id,
        kind=r.kind,
        payload=json.loads(r.payload),
        account_id=r.account_id,
        attempts=int(r.attempts),
        max_attempts=int(r.max_attempts),
        status=r.status,
        run_at=r.run_at,
        last_error=r.last_error or "",
        locked_by=r.locked_by or "",
        created_at=r.created_at,
    )


# The job that fans an event out to the account's webhook endpoints (services/webhooks.py).
EVENT_JOB = "webhooks.event"


class Outbox:
    """Jobs and events written in one business transaction (`tx.outbox`): they commit with it."""

    def __init__(self, conn: Connection, account_id: str, queue: SqlJobQueue) -> None:
        self.conn = conn
        self.account_id = account_id
        self.queue = queue

    def enqueue(self, kind: str, payload: Mapping[str, Any], now: datetime, **options: Any) -> str | None:
        return self.queue.enqueue(self.conn, kind, payload, account_id=self.account_id, now=now, **options)

    def event(
        self, event_type: str, data: Mapping[str, Any], now: datetime, dedup_key: str | None = None
    ) -> str | None:
        """Record that `event_type` happened; the worker delivers it to the subscribed endpoints.

        Nothing is written when no enabled endpoint of the account listens (most CLI users).
        The event id is the job's: every endpoint's delivery of this event names it.
        """
        if not self.listened(event_type):
            return None
        event = {"type": event_type, "timestamp": stamp(now), "data": dict(data)}
        return self.enqueue(EVENT_JOB, event, now, dedup_key=dedup_key)

    def listened(self, event_type: str) -> bool:
        """Whether an enabled endpoint of the account listens to `event_type`."""
        e = webhook_endpoints
        query = select(e.c.events).where(e.c.account_id == self.account_id, e.c.enabled.is_(True))
        return any(event_type in json.loads(row.events) for row in self.conn.execute(query))
