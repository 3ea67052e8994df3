"""RetryPolicy.delay: the worked examples of docs/jobs.md, without and with jitter."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from facturier.domain.jobs import DEFAULT_RETRY, WEBHOOK_RETRY, RetryPolicy

S = timedelta(seconds=1)
WEBHOOK_NO_JITTER = replace(WEBHOOK_RETRY, jitter=0)


@pytest.mark.parametrize(
    ("attempt", "wait"),
    [
        (1, 5 * S),
        (2, 20 * S),
        (3, 80 * S),
        (4, 320 * S),
        (5, 1280 * S),
        (6, 5120 * S),
        (7, 20480 * S),  # 5 h 41 min 20 s
        (8, timedelta(hours=12)),  # 81920 s capped
        (11, timedelta(hours=12)),
    ],
)
def test_webhook_backoff_without_jitter(attempt: int, wait: timedelta) -> None:
    assert WEBHOOK_NO_JITTER.delay(attempt) == wait


def test_webhook_retries_last_about_three_days() -> None:
    """14 attempts: 13 waits between them (the 14th failure parks), 5 s ... 12 h."""
    total = sum((WEBHOOK_NO_JITTER.delay(n) for n in range(1, WEBHOOK_RETRY.max_attempts)), timedelta())
    assert total == timedelta(seconds=5 + 20 + 80 + 320 + 1280 + 5120 + 20480) + 6 * timedelta(hours=12)
    assert timedelta(days=3) < total < timedelta(days=3, hours=8)
    assert timedelta(days=2, hours=15) < total * 0.8  # the shortest a jittered schedule can be


@pytest.mark.parametrize(
    ("attempt", "wait"),
    [
        (1, 2 * S),
        (2, 4 * S),
        (3, 8 * S),
        (6, 64 * S),
        (11, 2048 * S),
        (12, timedelta(hours=1)),
        (30, timedelta(hours=1)),
    ],
)
def test_default_backoff_without_jitter(attempt: int, wait: timedelta) -> None:
    assert replace(DEFAULT_RETRY, jitter=0).delay(attempt) == wait


def test_attempt_zero_or_less_waits_the_base() -> None:
    assert WEBHOOK_NO_JITTER.delay(0) == 5 * S


@pytest.mark.parametrize("attempt", [1, 2, 3, 7, 8, 12])
def test_jitter_stays_within_the_band(attempt: int) -> None:
    """Equal jitter 0.2: every draw in [0.8 * wait, wait]; a seeded generator repeats its draws."""
    wait = WEBHOOK_NO_JITTER.delay(attempt)
    rng = random.Random(1234)
    draws = [WEBHOOK_RETRY.delay(attempt, rng) for _ in range(500)]
    assert all(wait * 0.8 <= d <= wait for d in draws)
    assert min(draws) < wait * 0.81 and max(draws) > wait * 0.99  # the whole band is used
    again = random.Random(1234)
    assert draws == [WEBHOOK_RETRY.delay(attempt, again) for _ in range(500)]


def test_jitter_worked_example() -> None:
    """A draw u of the generator gives wait * (1 - jitter * u): u = 0.5 takes 10 % off."""
    rng = random.Random(7)
    u = random.Random(7).random()
    assert WEBHOOK_RETRY.delay(3, rng) == 80 * S * (1 - 0.2 * u)
    half = RetryPolicy(base=timedelta(seconds=10), factor=2, jitter=0.5)

    class Half(random.Random):
        def random(self) -> float:
            return 0.5

    assert half.delay(2, Half()) == timedelta(seconds=15)  # 20 s * (1 - 0.5 * 0.5)
