"""Verify every seller account's chain, records and archived bytes (read-only).

A large ledger is split into contiguous ranges of sequence numbers verified by worker
processes in parallel (each range re-reads the hash just before it, so the links across
ranges are checked too); a small one is verified in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field

from facturier.storage.database import Database
from facturier.storage.verify import Problem, Span, VerifyStats, last_seq, record_hash, verify_account

PARALLEL_FROM = 50_000  # records; below this, starting workers costs more than it saves


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    stats: VerifyStats = field(default_factory=VerifyStats)
    seconds: float = 0.0
    workers: int = 1
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)  # account -> (last seq, its hash)


def check_anchors(db: Database, account_id: str, anchors: list[tuple[int, str]]) -> list[Problem]:
    """Hashes kept outside the database (`facturier verify` prints the head) must still be there.

    A hash chain alone cannot show that someone with write access rewrote it from some record
    on, recomputing every hash; a hash kept elsewhere can.
    """
    problems = []
    with db.reading(account_id) as tx:
        for seq, expected in anchors:
            actual = record_hash(tx.conn, account_id, seq)
            if actual != expected:
                what = (
                    f"hash {actual[:12] or 'missing'}... is not the anchor {expected[:12]}... kept for it: "
                    "the chain was rewritten"
                )
                problems.append(Problem(account_id, seq, "", what))
    return problems


@dataclass(frozen=True)
class _Task:
    account_id: str
    span: Span
    check_files: bool
    chain_only: bool
    limit: int


def verify_all(
    db: Database,
    check_files: bool = True,
    limit: int = 1000,
    workers: int | None = None,
    chain_only: bool = False,
    parallel_from: int = PARALLEL_FROM,
    account_ids: list[str] | None = None,
) -> VerifyReport:
    """Verify the accounts named (default: every account of the database, as `facturier verify`)."""
    report = VerifyReport(workers=workers or min(os.cpu_count() or 1, 4))
    started = time.perf_counter()
    for account_id in db.account_ids() if account_ids is None else account_ids:
        tasks = _plan(db, account_id, check_files, chain_only, limit, report.workers, parallel_from)
        for problems, stats in _run(db, tasks):
            report.problems.extend(problems)
            report.stats.records += stats.records
            report.stats.documents += stats.documents
            report.stats.files += stats.files
        with db.reading(account_id) as tx:
            last = last_seq(tx.conn, account_id)
            report.heads[account_id] = (last, record_hash(tx.conn, account_id, last))
    report.problems.sort(key=lambda p: (p.account_id, p.seq is None, p.seq or 0))
    del report.problems[limit:]
    report.seconds = time.perf_counter() - started
    return report


def _plan(
    db: Database, account_id: str, check_files: bool, chain_only: bool, limit: int, workers: int, parallel_from: int
) -> list[_Task]:
    with db.reading(account_id) as tx:
        size = last_seq(tx.conn, account_id)
    parts = max(1, min(workers, size)) if size >= parallel_from else 1
    bounds = [1 + size * i // parts for i in range(parts)] + [size + 1]
    spans = [Span(bounds[i], bounds[i + 1] - 1, includes_end=i == parts - 1) for i in range(parts)]
    spans[-1] = Span(spans[-1].first, 2**62, includes_end=True)  # records appended meanwhile are covered
    return [_Task(account_id, span, check_files, chain_only, limit) for span in spans]


def _verify(db: Database, task: _Task) -> tuple[list[Problem], VerifyStats]:
    stats, problems = VerifyStats(), []
    with db.reading(task.account_id) as tx:
        for problem in verify_account(
            tx.conn, task.account_id, db.blobs, task.check_files, stats, task.span, task.chain_only
        ):
            problems.append(problem)
            if len(problems) >= task.limit:
                break
    return problems, stats


_FORKED_DB: Database | None = None


def _in_worker(task: _Task) -> tuple[list[Problem], VerifyStats]:
    assert _FORKED_DB is not None
    return _verify(_FORKED_DB, task)


def _forget_inherited_connections() -> None:
    assert _FORKED_DB is not None
    _FORKED_DB.engine.dispose(close=False)  # never share the parent's pooled connections


def _run(db: Database, tasks: list[_Task]) -> list[tuple[list[Problem], VerifyStats]]:
    if len(tasks) == 1:
        return [_verify(db, tasks[0])]
    global _FORKED_DB
    _FORKED_DB = db
    with mp.get_context("fork").Pool(len(tasks), initializer=_forget_inherited_connections) as pool:
        return pool.map(_in_worker, tasks)
