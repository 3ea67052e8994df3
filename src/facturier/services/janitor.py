"""The janitor: a periodic job (hourly by default) that forgets what nobody needs any more.

- finished jobs older than a week (`done`; parked jobs stay until someone retries them);
- idempotency keys past their expiry (a replay after that is a new request).

Stalled jobs need no janitor: `claim` takes over a running job whose lease expired.
Neither table is evidence (the ledger is), so deleting from them loses nothing that must be kept.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from facturier.domain.jobs import Job
from facturier.services.jobs import JobContext
from facturier.storage.idempotency import IdempotencyStore

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
    expired = IdempotencyStore(ctx.db.engine).purge_expired(now)
    counts = {"purged_done_jobs": purged, "expired_idempotency_keys": expired}
    log.info(json.dumps({"event": "janitor", "job_id": job.id, **counts}))
