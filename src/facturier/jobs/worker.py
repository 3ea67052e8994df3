"""The worker: claims due jobs one at a time, runs each outside any transaction, records the outcome.

A handler may take longer than the lease: a heartbeat thread pushes the lease forward every
third of it while the handler runs, so only a dead (or frozen) worker's job is claimed again.
Delivery is at least once: a worker killed after the handler's effect but before `complete`
leaves a job that runs again once its lease expires, so handlers are idempotent.

Outcomes: done; failed and queued again after the kind's backoff (`RetryPolicy`); parked after
the last attempt, or at once on `PermanentFailure`. A parked job of an account is announced
as a `job.parked` event (a webhook) in a transaction of that account.

Each job logs two JSON lines on the `facturier.jobs` logger (the CLI writes them to stderr):
    {"event": "job.start", "job_id": ..., "kind": ..., "attempt": 1, "worker": ...}
    {"event": "job.end", ..., "outcome": "done" | "retry" | "parked", "duration_ms": 12}
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import TracebackType
from typing import Any

from sqlalchemy.exc import OperationalError

from facturier.domain.jobs import DEFAULT_RETRY, Job, RetryPolicy
from facturier.jobs.periodic import Periodic
from facturier.services.jobs import Handler, JobContext, JobQueue, PermanentFailure
from facturier.services.webhooks import DELIVER_JOB
from facturier.storage.database import Database
from facturier.storage.jobs import EVENT_JOB
from facturier.storage.service_tables import stamp
from facturier.storage.webhooks import WebhookStore

log = logging.getLogger("facturier.jobs")

PARKED_EVENT = "job.parked"
OUTCOMES = {"done": "done", "queued": "retry", "parked": "parked"}


def log_line(event: str, **fields: Any) -> None:
    """One JSON object per line: greppable by people, parseable by log collectors."""
    log.info(json.dumps({"event": event, **fields}, sort_keys=False, default=str))


class Worker:
    """One worker loop. Several may run in threads, processes or machines over one database."""

    def __init__(
        self,
        ctx: JobContext,
        queue: JobQueue,
        handlers: Mapping[str, Handler],
        policies: Mapping[str, RetryPolicy],
        name: str,
        lease: timedelta,
        periodic: Sequence[Periodic] = (),
    ) -> None:
        self.ctx = ctx
        self.queue = queue
        self.handlers = dict(handlers)
        self.policies = dict(policies)
        self.name = name
        self.lease = lease
        self.periodic = tuple(periodic)
        self._ticked: dict[str, int] = {}  # the last tick this worker enqueued, per periodic kind

    # --- loops --------------------------------------------------------------------------------

    def run(self, stop: threading.Event, idle_sleep: float = 0.5) -> None:
        """Work until `stop` is set; the job in hand is finished first (graceful stop).

        A lost database connection is logged and waited out rather than ending the worker.
        """
        log_line("worker.start", worker=self.name, kinds=sorted(self.handlers))
        while not stop.is_set():
            try:
                self.tick()
                busy = self.run_once()
            except OperationalError as exc:
                log_line("worker.database_error", worker=self.name, error=_first_line(exc))
                busy = False
            if not busy:
                stop.wait(idle_sleep)
        log_line("worker.stop", worker=self.name)

    def drain(self, stop: threading.Event | None = None) -> int:
        """Tick the periodic jobs, then run jobs until none is due (`worker --once`). Returns how many ran."""
        self.tick()
        ran = 0
        while not (stop is not None and stop.is_set()) and self.run_once():
            ran += 1
        return ran

    def tick(self) -> int:
        """Enqueue the current tick's job of every periodic kind (a no-op if any worker already did).

        Each worker tries once per tick, not once per loop: between ticks the loop writes nothing.
        Returns how many jobs this call enqueued.
        """
        now = self.ctx.clock()
        enqueued = 0
        for periodic in self.periodic:
            tick = periodic.tick(now)
            if self._ticked.get(periodic.kind) == tick:
                continue
            attempts = self._policy(periodic.kind).max_attempts
            job_id = self.queue.enqueue_once(periodic.kind, periodic.payload, now, periodic.dedup_key(tick), attempts)
            self._ticked[periodic.kind] = tick
            enqueued += job_id is not None
        return enqueued

    def run_once(self) -> bool:
        """Claim one due job of a kind this worker handles and run it. False if none was due."""
        if not self.handlers:  # claim() with no kinds would take any kind
            return False
        job = self.queue.claim(self.name, self.ctx.clock(), self.lease, kinds=tuple(sorted(self.handlers)))
        if job is None:
            return False
        self._run(job)
        return True

    # --- one job ------------------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        fields = {"job_id": job.id, "kind": job.kind, "attempt": job.attempts, "worker": self.name}
        log_line("job.start", **fields, account_id=job.account_id)
        started = time.monotonic()
        with Heartbeat(self.queue, job, self.name, self.ctx, self.lease):
            error = self._call(job)
        outcome = self._record(job, error)
        duration_ms = round((time.monotonic() - started) * 1000)
        extra = {"error": _first_line(error)} if error is not None else {}
        log_line("job.end", **fields, outcome=outcome, duration_ms=duration_ms, **extra)

    def _call(self, job: Job) -> Exception | None:
        """The handler's exception, if it raised one; every exception is a failure of this attempt."""
        try:
            self.handlers[job.kind](self.ctx, job)
        except Exception as exc:
            return exc
        return None

    def _record(self, job: Job, error: Exception | None) -> str:
        now = self.ctx.clock()
        if error is None:
            self.queue.complete(job, self.name, now)
            return OUTCOMES["done"]
        text = describe(error)
        permanent = isinstance(error, PermanentFailure)
        status = self.queue.fail(job, self.name, text, now, self._policy(job.kind), permanent=permanent)
        if status == "parked":
            self._announce_parked(job, text)
        return OUTCOMES[status]

    def _announce_parked(self, job: Job, error: str) -> None:
        """Tell the account (webhook `job.parked`) that a job of theirs stopped being retried.

        Written after the park committed, in a transaction of the job's account; skipped when
        another worker took the job over meanwhile (then it is not parked by us), and for jobs
        that deliver a `job.parked` event themselves (a dead endpoint would otherwise announce
        its own failures forever).
        """
        if job.account_id is None or _about_parking(job, self.ctx.db, job.account_id):
            return
        current = self.queue.get(job.id, all_accounts=True)
        if current is None or current.status != "parked" or current.attempts != job.attempts:
            return
        now = self.ctx.clock()
        data = {
            "job_id": job.id,
            "kind": job.kind,
            "attempts": job.attempts,
            "error": _first_line(error)[:500],
            "parked_at": stamp(now),
        }
        with self.ctx.db.transaction(job.account_id) as tx:
            tx.outbox.event(PARKED_EVENT, data, now)

    def _policy(self, kind: str) -> RetryPolicy:
        return self.policies.get(kind, DEFAULT_RETRY)


class Heartbeat:
    """While a handler runs, extend its job's lease every third of the lease, from a thread.

    Stops by itself if the job is no longer ours (`extend` returns False: the lease expired and
    another worker claimed it). A database error skips one beat; the next one tries again.
    """

    def __init__(self, queue: JobQueue, job: Job, worker: str, ctx: JobContext, lease: timedelta) -> None:
        self.queue, self.job, self.worker, self.ctx, self.lease = queue, job, worker, ctx, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = max(self.lease.total_seconds() / 3, 0.01)
        while not self._stop.wait(interval):
            try:
                if not self.queue.extend(self.job, self.worker, self.ctx.clock(), self.lease):
                    return
            except OperationalError as exc:
                log_line("job.heartbeat_error", job_id=self.job.id, worker=self.worker, error=_first_line(exc))


def describe(error: BaseException) -> str:
    """The job's `last_error`: the exception's line first, then where it was raised (the last frames)."""
    summary = _first_line(error)
    frames = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=-3))
    return f"{summary}\n{frames}"


def _first_line(error: BaseException | str | None) -> str:
    if error is None:
        return ""
    text = f"{type(error).__name__}: {error}".strip() if isinstance(error, BaseException) else error
    return text.splitlines()[0] if text else ""


def _about_parking(job: Job, db: Database, account_id: str) -> bool:
    """A job that carries a `job.parked` event: its fan-out, or one endpoint's delivery of it.

    A delivery job names only its delivery, whose row says which event it carries.
    """
    if job.kind == EVENT_JOB:
        return job.payload.get("type") == PARKED_EVENT
    if job.kind != DELIVER_JOB:
        return False
    with db.reading(account_id) as tx:
        delivery = WebhookStore(tx.conn, account_id).delivery(str(job.payload.get("delivery_id", "")))
    return delivery is not None and delivery.event_type == PARKED_EVENT


__all__ = ["OUTCOMES", "PARKED_EVENT", "Heartbeat", "Worker", "describe", "log_line"]
