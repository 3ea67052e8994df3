"""Periodic jobs: exactly one job per tick, however many workers on however many machines.

Time is cut into ticks of `every` since the Unix epoch (tick n covers [n * every, (n + 1) * every)).
Every worker, on every loop, enqueues the current tick's job with the dedup key
`"<kind>@<start of the tick>"`; the key is unique in the jobs table, so the first insert wins
and every other one is a no-op (`INSERT ... ON CONFLICT DO NOTHING`). No leader election, no
clock agreement beyond the tick's length: two workers whose clocks disagree by a few seconds
near a tick's boundary still name the same two ticks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from facturier.storage.service_tables import stamp

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    """A job of the deployment (no account) enqueued once per `every`."""

    kind: str
    every: timedelta
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ValueError(f"periodic job {self.kind!r}: `every` must be positive, not {self.every}")

    def tick(self, now: datetime) -> int:
        """The number of the tick `now` falls in (floor division of timedeltas: exact, no float)."""
        return (now - EPOCH) // self.every

    def tick_start(self, tick: int) -> datetime:
        return EPOCH + self.every * tick

    def dedup_key(self, tick: int) -> str:
        """`janitor@2026-12-04T10:00:00.000000Z`: the one job of this tick."""
        return f"{self.kind}@{stamp(self.tick_start(tick))}"
