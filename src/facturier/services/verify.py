"""Verify every seller account's chain and archived bytes (read-only)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from facturier.storage.database import Database
from facturier.storage.verify import Problem, VerifyStats, verify_account


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    stats: VerifyStats = field(default_factory=VerifyStats)
    seconds: float = 0.0


def verify_all(db: Database, check_files: bool = True, limit: int = 1000) -> VerifyReport:
    report = VerifyReport()
    started = time.perf_counter()
    for account_id in db.account_ids():
        with db.reading(account_id) as tx:
            for problem in verify_account(tx.conn, account_id, db.blobs, check_files, report.stats):
                report.problems.append(problem)
                if len(report.problems) >= limit:
                    break
    report.problems.sort(key=lambda p: (p.account_id, p.seq is None, p.seq or 0))
    report.seconds = time.perf_counter() - started
    return report
