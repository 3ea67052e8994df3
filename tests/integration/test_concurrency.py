"""Concurrent issuers on one series: no gap, no duplicate, dates never go backwards,
even with forced rollbacks after allocation and with a process killed holding the lock.

Issuing runs with the BARE steps (no e-invoice check, no PDF/XML files): this is about the
numbering and the chain, and thousands of renders would only slow it down."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.conftest import PgSchema
from tests.factories import IssueRequest, draft, issue_all, new_account

from facturier.archive.store import FileBlobStore
from facturier.services.issue import BARE
from facturier.services.verify import verify_all
from facturier.storage.database import Database, Transaction
from facturier.storage.engine import make_engine

CTX = mp.get_context("fork")


class ForcedRollback(Exception):
    pass


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def _open(url: str, schema: str | None, archive: str) -> Database:
    return Database(make_engine(url, schema=schema), FileBlobStore(Path(archive)))


class _FailingDatabase(Database):
    """A database whose write transactions run `before_commit` after the rows are written:
    a process failing (or stalling) between allocation and commit, on the real issuing path."""

    def __init__(self, db: Database, before_commit: Callable[[Transaction], None]) -> None:
        super().__init__(db.engine, db.blobs)
        self.before_commit = before_commit

    @contextmanager
    def transaction(self, account_id: str) -> Iterator[Transaction]:
        with super().transaction(account_id) as tx:
            yield tx
            tx.flush()  # counter, ledger and document rows are written...
            self.before_commit(tx)  # ...then the process fails, or holds the locks


def _issuer(url: str, schema: str | None, archive: str, account: str, wanted: int, seed: int, out: mp.Queue) -> None:
    rng, issued, rolled_back = random.Random(seed), 0, 0

    def maybe_fail(_tx: Transaction) -> None:
        if rng.random() < 0.10:
            raise ForcedRollback

    db = _FailingDatabase(_open(url, schema, archive), maybe_fail)
    document = draft()
    while issued < wanted:
        try:
            issue_all(db, account, [IssueRequest(document)], _wall_clock, steps=BARE)
            issued += 1
        except ForcedRollback:
            rolled_back += 1
    out.put((issued, rolled_back))
    db.engine.dispose()


def _numbers(db: Database) -> list[tuple[str, str, int]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT number, issue_date, ledger_seq FROM documents ORDER BY number")).all()
    return [(r.number, str(r.issue_date), int(r.ledger_seq)) for r in rows]


def _assert_gapless(db: Database, expected: int) -> None:
    rows = _numbers(db)
    sequence = [int(number.rsplit("-", 1)[1]) for number, _, _ in rows]
    assert sequence == list(range(1, expected + 1))  # 0 gaps, 0 duplicates
    dates = [issue_date for _, issue_date, _ in rows]
    assert dates == sorted(dates)  # numbers follow dates
    with db.engine.connect() as conn:
        stamps = [r.recorded_at for r in conn.execute(text("SELECT recorded_at FROM ledger ORDER BY seq"))]
    assert stamps == sorted(stamps)  # the chain never goes back in time
    assert verify_all(db).problems == []


def _run_issuers(url: str, schema: str | None, archive: Path, account: str, issuers: int, each: int) -> int:
    out: mp.Queue = CTX.Queue()
    procs = [
        CTX.Process(target=_issuer, args=(url, schema, str(archive), account, each, seed, out))
        for seed in range(issuers)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sum(issued for issued, _ in results) == issuers * each
    rolled_back = sum(r for _, r in results)
    assert rolled_back > 0  # the failure path really ran
    return rolled_back


@pytest.mark.slow
def test_postgres_16_issuers_200_each_with_rollbacks(pg_schema: PgSchema, tmp_path: Path) -> None:
    db = Database(pg_schema.engine(), FileBlobStore(tmp_path / "archive"))
    db.upgrade()
    account = new_account(db)
    _run_issuers(pg_schema.url, pg_schema.schema, tmp_path / "archive", account, issuers=16, each=200)
    _assert_gapless(db, 16 * 200)


def test_sqlite_4_processes_50_each_with_rollbacks(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    db = _open(url, None, str(tmp_path / "archive"))
    db.upgrade()
    account = new_account(db)
    _run_issuers(url, None, tmp_path / "archive", account, issuers=4, each=50)
    _assert_gapless(db, 200)


def _holder(url: str, schema: str | None, archive: str, account: str, locked: mp.Event) -> None:
    def hold(_tx: Transaction) -> None:
        locked.set()  # the number is allocated and written, the series and chain are locked
        time.sleep(120)  # killed long before this ends

    db = _FailingDatabase(_open(url, schema, archive), hold)
    issue_all(db, account, [IssueRequest(draft())], _wall_clock, steps=BARE)


def _killed_while_holding_lock(url: str, schema: str | None, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    db = _open(url, schema, str(archive))
    db.upgrade()
    account = new_account(db)
    issue_all(db, account, [IssueRequest(draft())], _wall_clock, steps=BARE)
    locked = CTX.Event()
    holder = CTX.Process(target=_holder, args=(url, schema, str(archive), account, locked))
    holder.start()
    assert locked.wait(30)
    finished: list[float] = []

    def wait_for_lock() -> None:
        issue_all(db, account, [IssueRequest(draft())], _wall_clock, steps=BARE)
        finished.append(time.monotonic())

    waiter = threading.Thread(target=wait_for_lock)
    waiter.start()
    time.sleep(0.5)
    assert not finished  # really blocked behind the holder
    killed_at = time.monotonic()
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    waiter.join(10)
    assert finished, "the waiting issuer never got the lock"
    assert finished[0] - killed_at < 1.0  # the others continue within a second
    issue_all(db, account, [IssueRequest(draft())], _wall_clock, steps=BARE)
    _assert_gapless(db, 3)  # the killed holder's number was reused: no gap


def test_postgres_sigkill_while_holding_the_series_lock(pg_schema: PgSchema, tmp_path: Path) -> None:
    _killed_while_holding_lock(pg_schema.url, pg_schema.schema, tmp_path)


def test_sqlite_sigkill_while_holding_the_write_lock(tmp_path: Path) -> None:
    _killed_while_holding_lock(f"sqlite:///{tmp_path / 'f.db'}", None, tmp_path)
