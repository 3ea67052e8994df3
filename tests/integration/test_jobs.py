"""The job queue at work: worker, retries and parking, leases, periodic ticks, the janitor, the CLI.

Storage tests run on SQLite and PostgreSQL (the `db` fixture); CLI tests on both (the `cli`
fixture); the SIGTERM test runs a real `facturier worker` process.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from tests.cli_support import CLI_NOW, Cli
from tests.conftest import FixedClock
from tests.factories import new_account

from facturier.bootstrap import App, build
from facturier.config import Settings
from facturier.domain.jobs import WEBHOOK_RETRY, Job, RetryPolicy
from facturier.jobs import HANDLERS, JANITOR, PERIODIC, POLICIES, Periodic, Worker
from facturier.services.jobs import Handler, JobContext, PermanentFailure
from facturier.services.overdue import OVERDUE_JOB
from facturier.services.webhooks import register_endpoint
from facturier.storage.database import Database
from facturier.storage.service_tables import idempotency_keys, jobs, stamp, webhook_deliveries, webhook_endpoints

T0 = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
S = timedelta(seconds=1)
NO_JITTER = RetryPolicy(max_attempts=3, base=5 * S, factor=4, cap=timedelta(hours=1), jitter=0)


def _enqueue(db: Database, kind: str, payload: dict[str, Any] | None = None, **options: Any) -> str:
    options.setdefault("account_id", None)
    options.setdefault("now", T0)
    with db.engine.begin() as conn:
        job_id = db.jobs.enqueue(conn, kind, payload or {}, **options)
    assert job_id is not None
    return job_id


def _worker(
    db: Database,
    clock: Callable[[], datetime],
    handlers: dict[str, Handler],
    name: str = "w1",
    lease: timedelta = 60 * S,
    policies: dict[str, RetryPolicy] | None = None,
    periodic: tuple[Periodic, ...] = (),
) -> Worker:
    return Worker(JobContext(db, clock), db.jobs, handlers, policies or {}, name, lease, periodic)


def _job(db: Database, job_id: str) -> Job:
    job = db.jobs.get(job_id, all_accounts=True)
    assert job is not None
    return job


def _listen(db: Database, account_id: str, *events: str) -> None:
    """A webhook endpoint of the account, subscribed to `events` (inserted as the API would)."""
    with db.engine.begin() as conn:
        conn.execute(
            webhook_endpoints.insert().values(
                id=f"ep-{account_id[:8]}",
                account_id=account_id,
                url="https://example.com/hook",
                secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                events=json.dumps(list(events)),
                description="test",
                enabled=True,
                created_at=stamp(T0),
            )
        )


def _events(db: Database, event_type: str) -> list[Job]:
    found = db.jobs.list(all_accounts=True, limit=1000)
    return [j for j in found if j.kind == "webhooks.event" and j.payload["type"] == event_type]


def _real_clock() -> datetime:
    return datetime.now(UTC)


# --- the outbox, claim and complete -----------------------------------------------------------


def test_a_job_enqueued_in_a_transaction_that_fails_is_not_written(db: Database) -> None:
    account = new_account(db)
    _listen(db, account, "document.issued")
    with pytest.raises(RuntimeError), db.transaction(account) as tx:
        tx.outbox.enqueue("test.work", {"n": 1}, T0)
        tx.outbox.event("document.issued", {"number": "F2026-000001"}, T0)
        raise RuntimeError("the business change failed")
    assert db.jobs.list(all_accounts=True) == []
    with db.transaction(account) as tx:
        tx.outbox.enqueue("test.work", {"n": 2}, T0)
        tx.outbox.event("document.issued", {"number": "F2026-000001"}, T0)
    assert sorted(j.kind for j in db.jobs.list(account_id=account)) == ["test.work", "webhooks.event"]


def test_a_claimed_job_runs_once_and_is_done(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    with db.transaction(account) as tx:
        job_id = tx.outbox.enqueue("test.work", {"n": 7}, clock())
    seen: list[tuple[str, int, dict[str, Any]]] = []
    worker = _worker(db, clock, {"test.work": lambda ctx, job: seen.append((job.id, job.attempts, dict(job.payload)))})
    assert worker.run_once() is True
    assert worker.run_once() is False
    assert seen == [(job_id, 1, {"n": 7})]
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.locked_by, job.account_id) == ("done", 1, "", account)


def test_a_worker_claims_only_the_kinds_it_handles(db: Database, clock: FixedClock) -> None:
    other = _enqueue(db, "test.other", now=clock())
    assert _worker(db, clock, {"test.work": lambda ctx, job: None}).run_once() is False
    assert _worker(db, clock, {}).run_once() is False  # no handler: claims nothing, not everything
    assert _job(db, other).status == "queued"


def test_a_job_not_yet_due_waits(db: Database, clock: FixedClock) -> None:
    job_id = _enqueue(db, "test.work", now=clock(), run_at=clock() + 10 * S)
    worker = _worker(db, clock, {"test.work": lambda ctx, job: None})
    assert worker.run_once() is False
    clock.now += 10 * S
    assert worker.run_once() is True
    assert _job(db, job_id).status == "done"


# --- failures: backoff, parking, the job.parked event ------------------------------------------


def _log_lines(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "facturier.jobs"]
    return [line for line in lines if line["event"] == event]


def test_a_failing_job_is_retried_with_backoff_then_parked_and_announced(
    db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="facturier.jobs")
    account = new_account(db)
    _listen(db, account, "job.parked")
    with db.transaction(account) as tx:
        job_id = tx.outbox.enqueue("test.flaky", {}, clock(), max_attempts=3)
    assert job_id is not None

    def flaky(ctx: JobContext, job: Job) -> None:
        raise ConnectionError(f"attempt {job.attempts}: refused")

    worker = _worker(db, clock, {"test.flaky": flaky}, policies={"test.flaky": NO_JITTER})
    start = clock()
    assert worker.run_once() is True
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.run_at) == ("queued", 1, stamp(start + 5 * S))
    assert job.last_error.startswith("ConnectionError: attempt 1: refused\n")
    assert "flaky" in job.last_error  # where it was raised

    clock.now = start + 4 * S
    assert worker.run_once() is False  # not due yet
    clock.now = start + 5 * S
    assert worker.run_once() is True
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.run_at) == ("queued", 2, stamp(start + 25 * S))  # 5 s, then 20 s

    clock.now = start + 25 * S
    assert worker.run_once() is True
    job = _job(db, job_id)
    assert (job.status, job.attempts) == ("parked", 3)
    assert job.last_error.startswith("ConnectionError: attempt 3: refused")
    assert worker.run_once() is False  # parked jobs are not claimed

    [event] = _events(db, "job.parked")
    assert event.account_id == account
    data = event.payload["data"]
    assert (data["job_id"], data["kind"], data["attempts"]) == (job_id, "test.flaky", 3)
    assert data["error"] == "ConnectionError: attempt 3: refused"
    assert data["parked_at"] == stamp(start + 25 * S)

    ends = _log_lines(caplog, "job.end")
    assert [e["outcome"] for e in ends] == ["retry", "retry", "parked"]
    assert [e["attempt"] for e in ends] == [1, 2, 3]
    assert all(e["job_id"] == job_id and e["kind"] == "test.flaky" and e["duration_ms"] >= 0 for e in ends)
    assert len(_log_lines(caplog, "job.start")) == 3


def test_a_permanent_failure_parks_at_once(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    _listen(db, account, "job.parked")
    with db.transaction(account) as tx:
        job_id = tx.outbox.enqueue("test.gone", {}, clock())

    def gone(ctx: JobContext, job: Job) -> None:
        raise PermanentFailure("the endpoint was deleted")

    assert _worker(db, clock, {"test.gone": gone}).run_once() is True
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.max_attempts) == ("parked", 1, 8)  # the real count is kept
    assert job.last_error.startswith("PermanentFailure: the endpoint was deleted")
    assert len(_events(db, "job.parked")) == 1


def test_parking_is_not_announced_without_a_listener_nor_for_a_job_parked_event(
    db: Database, clock: FixedClock
) -> None:
    account = new_account(db)

    def gone(ctx: JobContext, job: Job) -> None:
        raise PermanentFailure("no")

    with db.transaction(account) as tx:
        tx.outbox.enqueue("test.gone", {}, clock())
    worker = _worker(db, clock, {"test.gone": gone, "webhooks.event": gone})
    assert worker.run_once() is True
    assert _events(db, "job.parked") == []  # nobody listens: nothing written

    _listen(db, account, "job.parked")
    with db.transaction(account) as tx:  # the delivery of a job.parked event fails for good...
        tx.outbox.event("job.parked", {"job_id": "x"}, clock())
    assert worker.run_once() is True
    [only] = _events(db, "job.parked")
    assert only.status == "parked"  # ...and is not announced by another job.parked event (no loop)

    _delivery(db, account, "d-parked", "job.parked")
    _delivery(db, account, "d-issued", "document.issued")
    worker = _worker(db, clock, {"webhooks.deliver": gone})
    with db.transaction(account) as tx:
        tx.outbox.enqueue("webhooks.deliver", {"delivery_id": "d-parked"}, clock())
    assert worker.run_once() is True
    assert len(_events(db, "job.parked")) == 1  # one endpoint's delivery of a job.parked event: not announced
    with db.transaction(account) as tx:
        issued = tx.outbox.enqueue("webhooks.deliver", {"delivery_id": "d-issued"}, clock())
    assert worker.run_once() is True
    announced = [e.payload["data"] for e in _events(db, "job.parked") if "kind" in e.payload["data"]]
    assert [(a["job_id"], a["kind"]) for a in announced] == [(issued, "webhooks.deliver")]


def _delivery(db: Database, account_id: str, delivery_id: str, event_type: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            webhook_deliveries.insert().values(
                id=delivery_id,
                account_id=account_id,
                endpoint_id="ep",
                event_id="ev",
                event_type=event_type,
                payload="{}",
                status="pending",
                attempts=0,
                created_at=stamp(T0),
            )
        )


# --- many workers ---------------------------------------------------------------------------------


def test_two_workers_racing_over_50_jobs_run_each_exactly_once(db: Database) -> None:
    ids = {_enqueue(db, "test.count", {"i": i}, now=_real_clock() - S) for i in range(50)}
    executed: list[str] = []
    by_worker: dict[str, int] = {"a": 0, "b": 0}
    lock = threading.Lock()

    def count(ctx: JobContext, job: Job) -> None:
        with lock:
            executed.append(job.id)
            by_worker[job.locked_by] += 1
        time.sleep(0.002)  # let the other worker claim meanwhile

    workers = [_worker(db, _real_clock, {"test.count": count}, name=n) for n in ("a", "b")]
    barrier = threading.Barrier(2)

    def drain(worker: Worker) -> None:
        barrier.wait()
        worker.drain()

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(executed) == sorted(ids)  # every job, none twice
    assert sum(by_worker.values()) == 50
    assert {j.status for j in db.jobs.list(all_accounts=True, limit=100)} == {"done"}


def test_concurrent_workers_enqueue_one_periodic_job_per_tick(db: Database, clock: FixedClock) -> None:
    janitor = Periodic(JANITOR, timedelta(hours=1))
    clock.now = T0 + timedelta(minutes=59, seconds=59)
    workers = [_worker(db, clock, {}, name=f"w{i}", periodic=(janitor,)) for i in range(4)]
    barrier = threading.Barrier(len(workers))
    enqueued: list[int] = []

    def tick(worker: Worker) -> None:
        barrier.wait()
        enqueued.append(worker.tick())

    threads = [threading.Thread(target=tick, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(enqueued) == [0, 0, 0, 1]
    assert [w.tick() for w in workers] == [0, 0, 0, 0]  # same tick: nothing more, not even tried
    clock.now = T0 + timedelta(hours=1)  # the next tick
    assert [w.tick() for w in workers] == [1, 0, 0, 0]
    found = db.jobs.list(all_accounts=True)
    assert [(j.kind, j.account_id, j.status) for j in found] == [(JANITOR, None, "queued")] * 2


def test_a_periodic_tick_is_named_by_its_start() -> None:
    hourly = Periodic(JANITOR, timedelta(hours=1))
    assert hourly.dedup_key(hourly.tick(T0 + timedelta(minutes=59, seconds=59, microseconds=999999))) == (
        "janitor@2026-12-04T10:00:00.000000Z"
    )
    assert hourly.dedup_key(hourly.tick(T0 + timedelta(hours=1))) == "janitor@2026-12-04T11:00:00.000000Z"
    quarterly = Periodic("x", timedelta(minutes=15))
    assert quarterly.tick_start(quarterly.tick(T0 + timedelta(minutes=29))) == T0 + timedelta(minutes=15)
    with pytest.raises(ValueError):
        Periodic("x", timedelta(0))


# --- leases ---------------------------------------------------------------------------------------


def test_a_stalled_job_is_claimed_by_another_worker_after_its_lease(db: Database, clock: FixedClock) -> None:
    job_id = _enqueue(db, "test.work", now=clock())
    held = db.jobs.claim("A", clock(), lease=S)  # worker A claims it, then hangs or dies
    assert held is not None and held.id == job_id
    runs: list[int] = []
    b = _worker(db, clock, {"test.work": lambda ctx, job: runs.append(job.attempts)}, name="B")
    clock.now += timedelta(milliseconds=500)
    assert b.run_once() is False  # A's lease still runs
    clock.now += timedelta(milliseconds=501)
    assert b.run_once() is True
    assert runs == [2]  # the second attempt
    assert _job(db, job_id).status == "done"
    db.jobs.fail(held, "A", "A wakes up late", clock(), NO_JITTER)  # A's late outcome changes nothing
    db.jobs.complete(held, "A", clock())
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.last_error) == ("done", 2, "")


def test_a_long_job_keeps_its_lease_by_heartbeat(db: Database) -> None:
    """Lease 1.2 s, job 3 s: the heartbeat extends it, so the other worker never takes it over."""
    _enqueue(db, "test.slow", now=_real_clock() - S)
    runs: list[str] = []
    started = threading.Event()

    def slow(ctx: JobContext, job: Job) -> None:
        runs.append(job.locked_by)
        started.set()
        time.sleep(3.0)

    a = _worker(db, _real_clock, {"test.slow": slow}, name="A", lease=timedelta(milliseconds=1200))
    b = _worker(db, _real_clock, {"test.slow": slow}, name="B", lease=timedelta(milliseconds=1200))
    thread = threading.Thread(target=a.run_once)
    thread.start()
    assert started.wait(30)  # A holds it
    stolen = 0
    while thread.is_alive():
        stolen += b.run_once()
        time.sleep(0.05)
    thread.join()
    assert (runs, stolen) == (["A"], 0)
    [job] = db.jobs.list(all_accounts=True)
    assert (job.status, job.attempts) == ("done", 1)


def test_run_finishes_the_job_in_hand_when_asked_to_stop(db: Database) -> None:
    job_id = _enqueue(db, "test.slow", now=_real_clock() - S)
    started, stop = threading.Event(), threading.Event()

    def slow(ctx: JobContext, job: Job) -> None:
        started.set()
        time.sleep(0.5)

    worker = _worker(db, _real_clock, {"test.slow": slow})
    thread = threading.Thread(target=worker.run, args=(stop, 0.05))
    thread.start()
    assert started.wait(30)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert _job(db, job_id).status == "done"


# --- the janitor ----------------------------------------------------------------------------------


def _set(db: Database, job_id: str, **values: Any) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def _idempotency_key(db: Database, key: str, expires_at: datetime) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            idempotency_keys.insert().values(
                account_id="acct",
                key=key,
                fingerprint="0" * 64,
                state="done",
                created_at=stamp(expires_at - timedelta(hours=24)),
                expires_at=stamp(expires_at),
                locked_until=stamp(expires_at - timedelta(hours=24)),
            )
        )


def test_the_janitor_purges_only_old_done_jobs_and_expired_idempotency_keys(
    db: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="facturier.jobs")
    now = clock()
    old, recent, parked, queued = (_enqueue(db, "test.work", now=now - timedelta(days=30)) for _ in range(4))
    _set(db, old, status="done", updated_at=stamp(now - timedelta(days=7, seconds=1)))
    _set(db, recent, status="done", updated_at=stamp(now - timedelta(days=6, hours=23)))
    _set(db, parked, status="parked", updated_at=stamp(now - timedelta(days=30)))
    _idempotency_key(db, "expired", now - S)
    _idempotency_key(db, "live", now + S)
    janitor_id = _enqueue(db, JANITOR, now=now)

    worker = Worker(JobContext(db, clock), db.jobs, HANDLERS, POLICIES, "w", 60 * S, ())
    assert worker.run_once() is True
    assert _job(db, janitor_id).status == "done"
    remaining = {j.id for j in db.jobs.list(all_accounts=True)}
    assert remaining == {recent, parked, queued, janitor_id}
    with db.engine.connect() as conn:
        assert conn.execute(select(idempotency_keys.c.key)).scalars().all() == ["live"]
    [line] = _log_lines(caplog, "janitor")
    assert (line["purged_done_jobs"], line["expired_idempotency_keys"]) == (1, 1)


def test_the_registry_runs_the_janitor_hourly_and_the_webhooks() -> None:
    overdue = (OVERDUE_JOB, timedelta(hours=6))
    assert [(p.kind, p.every) for p in PERIODIC] == [(JANITOR, timedelta(hours=1)), overdue]
    assert set(HANDLERS) == {JANITOR, OVERDUE_JOB, "webhooks.event", "webhooks.deliver"}
    assert set(POLICIES) == {JANITOR, "webhooks.event", "webhooks.deliver"}  # the scan retries by default
    assert POLICIES["webhooks.deliver"] is POLICIES["webhooks.event"] is WEBHOOK_RETRY


# --- the CLI --------------------------------------------------------------------------------------


def _app(cli: Cli) -> App:
    settings: dict[str, Any] = {"data_dir": Path(cli.env["FACTURIER_DATA_DIR"])}
    if "FACTURIER_DATABASE_URL" in cli.env:
        settings["database_url"] = cli.env["FACTURIER_DATABASE_URL"]
    return build(Settings(**settings))


def _parked_job(app: App) -> str:
    """A job of the CLI's account that failed its only attempt."""
    with app.db.transaction(app.account_id()) as tx:
        job_id = tx.outbox.enqueue("test.flaky", {"order": "WEB-1"}, CLI_NOW, max_attempts=1)
    claimed = app.db.jobs.claim("w", CLI_NOW, 60 * S)
    assert claimed is not None and claimed.id == job_id
    assert app.db.jobs.fail(claimed, "w", "HTTPError: 502 Bad Gateway", CLI_NOW, NO_JITTER) == "parked"
    return job_id


def test_cli_jobs_list_show_and_retry(cli: Cli) -> None:
    app = _app(cli)
    job_id = _parked_job(app)
    _enqueue(app.db, JANITOR, now=CLI_NOW)  # the deployment's own job: not the account's

    [listed] = cli.json("jobs", "list")
    assert (listed["id"], listed["status"], listed["attempts"], listed["max_attempts"]) == (job_id, "parked", 1, 1)
    assert listed["last_error"] == "HTTPError: 502 Bad Gateway"
    assert listed["payload"] == {"order": "WEB-1"}
    assert cli.json("jobs", "list", "--status", "queued") == []
    assert {j["kind"] for j in cli.json("jobs", "list", "--all-accounts")} == {"test.flaky", JANITOR}
    assert cli.json("jobs", "show", job_id)["status"] == "parked"
    table = cli("jobs", "list").stdout
    assert job_id in table and "HTTPError: 502 Bad Gateway" in table

    assert cli.json("jobs", "retry", job_id) == {"retried": 1, "ids": [job_id]}
    shown = cli.json("jobs", "show", job_id)
    assert (shown["status"], shown["attempts"], shown["run_at"]) == ("queued", 0, stamp(CLI_NOW))

    refused = cli("jobs", "retry", job_id, "nope", code=2).stderr  # all or nothing
    assert "queued, not parked" in refused and "nope" in refused
    assert cli("jobs", "list", "--status", "lost", code=2).stderr.count("JOBS-STATUS") == 1
    assert "not_found" in cli("jobs", "show", "nope", "--json", code=2).stdout


def test_cli_worker_once_runs_the_due_jobs_and_the_janitor(cli: Cli) -> None:
    app = _app(cli)
    old = _enqueue(app.db, "test.work", now=CLI_NOW - timedelta(days=9))
    _set(app.db, old, status="done", updated_at=stamp(CLI_NOW - timedelta(days=8)))
    _idempotency_key(app.db, "expired", CLI_NOW - timedelta(hours=1))

    result = cli("worker", "--once", "--name", "cli-test")
    listed = {j["kind"]: j for j in cli.json("jobs", "list", "--all-accounts")}  # the old done job was purged
    assert set(listed) == {JANITOR, OVERDUE_JOB}  # the deployment's periodic jobs of this tick
    janitor = listed[JANITOR]
    assert (janitor["kind"], janitor["status"], janitor["account_id"]) == (JANITOR, "done", None)
    with app.db.engine.connect() as conn:
        assert conn.execute(select(idempotency_keys.c.key)).all() == []
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    janitor_lines = [line for line in lines if line.get("kind", JANITOR) == JANITOR]
    assert [line["event"] for line in janitor_lines] == ["job.start", "janitor", "job.end"]
    assert janitor_lines[-1]["outcome"] == "done" and janitor_lines[-1]["worker"] == "cli-test"


def test_a_worker_process_stops_gracefully_on_sigterm(cli: Cli) -> None:
    env = {**os.environ, **cli.env}
    worker = subprocess.Popen(
        [sys.executable, "-c", "from facturier.cli.main import main; main()", "worker", "--idle-sleep", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    app = _app(cli)
    try:
        deadline = time.monotonic() + 60
        while not any(j.status == "done" for j in app.db.jobs.list(all_accounts=True)):
            assert worker.poll() is None, worker.communicate()
            assert time.monotonic() < deadline, "the worker did not run the janitor"
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    events = [json.loads(line)["event"] for line in err.splitlines()]
    assert events[0] == "worker.start" and events[-1] == "worker.stop"
    assert "job.end" in events and "Traceback" not in err


class _Received:
    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.count = 0


def _slow_receiver(received: _Received) -> ThreadingHTTPServer:
    """A webhook receiver that takes 1.5 s to answer 204: long enough to signal a worker mid-job."""

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            received.count += 1
            received.arrived.set()
            time.sleep(1.5)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_sigterm_mid_job_finishes_the_job_then_exits_0(cli: Cli) -> None:
    """A real `facturier worker` signalled during a webhook POST finishes it, records it, then exits 0."""
    received = _Received()
    server = _slow_receiver(received)
    app = _app(cli)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    register_endpoint(app.db, app.account_id(), url, ["document.issued"], "slow", _real_clock(), allow_private=True)
    with app.db.transaction(app.account_id()) as tx:
        tx.outbox.event("document.issued", {"number": "F2026-000001"}, _real_clock())
    env = {**os.environ, **cli.env, "FACTURIER_WEBHOOKS_ALLOW_PRIVATE": "1"}
    code = "from facturier.cli.main import main; main()"
    worker = subprocess.Popen(
        [sys.executable, "-c", code, "worker", "--idle-sleep", "0.1"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert received.arrived.wait(60), "the worker never POSTed"
        worker.send_signal(signal.SIGTERM)  # while the receiver is still answering
        _, err = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
        server.shutdown()
    assert worker.returncode == 0, err
    lines = [json.loads(line) for line in err.splitlines()]
    ends = [(line["kind"], line["outcome"]) for line in lines if line["event"] == "job.end"]
    assert ("webhooks.deliver", "done") in ends
    assert lines[-1]["event"] == "worker.stop"
    assert received.count == 1
    deliveries = [j for j in app.db.jobs.list(account_id=app.account_id()) if j.kind == "webhooks.deliver"]
    assert [(j.status, j.attempts) for j in deliveries] == [("done", 1)]
