"""Jobs as values: what a worker claimed, and how long to wait before trying again.

Pure: the jitter's randomness is drawn by the caller's generator (a seeded one in tests).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n (1-based) waits base * factor**(n-1), capped.

    The wait is drawn uniformly in [wait * (1 - jitter), wait], so workers retrying the same
    failing endpoint spread out instead of stampeding ("equal jitter").
    Worked example (base 5 s, factor 4, cap 12 h, no jitter): 5 s, 20 s, 80 s, 320 s, 1280 s,
    5120 s, 20480 s (5.7 h), then 12 h each.
    """

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=2)
    factor: int = 2
    cap: timedelta = timedelta(hours=1)
    jitter: float = 0.2

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        wait: timedelta = min(self.base * int(self.factor ** max(attempt - 1, 0)), self.cap)
        if self.jitter <= 0:
            return wait
        draw = (rng or random.Random()).random()
        spread: timedelta = wait * (1 - self.jitter * draw)
        return spread


# Outbound webhooks: 14 attempts over about 3 days (3 d 7.6 h at most, with jitter 2 d 15.7 h to 3 d 7.6 h):
# a receiver down over a long weekend still gets every event (docs/jobs.md has the schedule).
WEBHOOK_RETRY = RetryPolicy(max_attempts=14, base=timedelta(seconds=5), factor=4, cap=timedelta(hours=12))
DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    payload: Mapping[str, Any]
    account_id: str | None
    attempts: int  # including the one now running
    max_attempts: int
    status: str = "queued"
    run_at: str = ""
    last_error: str = ""
    locked_by: str = ""
    created_at: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
