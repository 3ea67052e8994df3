"""The janitor: a periodic job (hourly by default) that forgets what nobody needs any more.

- finished jobs older than a week (`done`; parked jobs stay until someone retries them);
- idempotency keys past their expiry (a replay after that is a new request).

Stalled jobs need no janitor: `claim` takes over a running job whose lease expired.
Neither table is evidence (the ledger is), so deleting from them loses nothing that must be kept.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from facturier.domain.jobs import Job
from facturier.services.jobs import JobContext
from facturier.storage.service_tables import idempotency_keys, stamp

JANITOR = "janitor"
KEEP_DONE = timedelta(days=7)

log = logging.getLogger("facturier.jobs")


def run_janitor(ctx: JobContext, job: Job) -> None:
    """Purge old finished jobs and expired idempotency keys; log how many of each.

    The payload may shorten or lengthen the week: {"keep_done_days": 30}.
    """
    now = ctx.clock()
    keep = timedelta(days=float(job.payload.get("keep_done_days", KEEP_DONE.days)))
    purged = ctx.db.jobs.purge_done(now - keep)
    expired = delete_expired_idempotency_keys(ctx.db.engine, now)
    counts = {"purged_done_jobs": purged, "expired_idempotency_keys": expired}
    log.info(json.dumps({"event": "janitor", "job_id": job.id, **counts}))


def delete_expired_idempotency_keys(engine: Engine, now: datetime) -> int:
    """Idempotency keys whose `expires_at` has passed (fixed-width stamps compare as text).

    Kept here until the idempotency store has a module of its own in storage/.
    """
    with engine.begin() as conn:
        result = conn.execute(idempotency_keys.delete().where(idempotency_keys.c.expires_at < stamp(now)))
    return int(result.rowcount)
