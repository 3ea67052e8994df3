"""Background jobs of the deployment: which kinds exist, how each retries, what runs periodically.

`HANDLERS` maps a job kind to the function that runs it, `POLICIES` a kind to its retry policy
(`DEFAULT_RETRY` when absent), `PERIODIC` lists the jobs enqueued once per tick. A worker only
claims kinds it has a handler for, so an older worker next to a newer one leaves the new kinds
alone instead of failing them. `worker_for(app)` is the worker `facturier worker` runs.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from facturier.bootstrap import App
from facturier.domain.jobs import DEFAULT_RETRY, RetryPolicy
from facturier.jobs.periodic import Periodic
from facturier.jobs.worker import Worker
from facturier.services import webhooks
from facturier.services.janitor import JANITOR, run_janitor
from facturier.services.jobs import Handler, JobContext
from facturier.services.overdue import OVERDUE_JOB, announce_overdue

JANITOR_EVERY = timedelta(hours=1)
OVERDUE_EVERY = timedelta(hours=6)  # document.overdue within hours of the due date passing (services/overdue.py)

HANDLERS: dict[str, Handler] = {
    JANITOR: run_janitor,
    OVERDUE_JOB: announce_overdue,
    **webhooks.HANDLERS,  # "webhooks.event" -> fan_out, "webhooks.deliver" -> deliver
}

POLICIES: dict[str, RetryPolicy] = {
    JANITOR: DEFAULT_RETRY,
    **webhooks.POLICIES,  # WEBHOOK_RETRY: 14 attempts over about 3 days (docs/jobs.md)
}

PERIODIC: tuple[Periodic, ...] = (Periodic(JANITOR, JANITOR_EVERY), Periodic(OVERDUE_JOB, OVERDUE_EVERY))


def job_context(app: App) -> JobContext:
    """What handlers get, from the deployment's settings (read once, here at the edge)."""
    settings = app.settings
    return JobContext(
        db=app.db,
        clock=app.clock,
        allow_private_webhooks=settings.webhooks_allow_private,
        http_timeout=settings.http_timeout,
    )


def default_name() -> str:
    """`host:pid`: which worker holds a job (`locked_by`), readable in `jobs list`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_for(app: App, name: str | None = None, periodic: tuple[Periodic, ...] = PERIODIC) -> Worker:
    """The deployment's worker: every registered kind, the settings' lease, the periodic jobs."""
    return Worker(
        job_context(app),
        app.db.jobs,
        HANDLERS,
        POLICIES,
        name or default_name(),
        timedelta(seconds=app.settings.job_lease_seconds),
        periodic,
    )


__all__ = ["HANDLERS", "JANITOR", "PERIODIC", "POLICIES", "Periodic", "Worker", "job_context", "worker_for"]
