"""Benchmark: issued invoices per second (validate + number + chain + store, no rendering).

Configurations: SQLite and PostgreSQL; one invoice per transaction (an API call) and
batches of 100 (a file import); 1 and 2 processes, on one seller's series (the processes
contend for the same series and chain lock) and on two sellers (independent chains).

    .venv/bin/python bench/bench_issue.py [--invoices 5000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PG_URL, clock, drop_pg_schema, machine, pg_db, sample_draft, sqlite_db
from tests.factories import IssueRequest, issue_all, new_account

from facturier.archive.store import FileBlobStore
from facturier.services.issue import BARE
from facturier.services.verify import verify_all
from facturier.storage.database import Database
from facturier.storage.engine import make_engine

CTX = mp.get_context("fork")


def _issue(db: Database, account: str, invoices: int, batch: int) -> None:
    draft = sample_draft()
    for start in range(0, invoices, batch):
        requests = [IssueRequest(draft) for _ in range(min(batch, invoices - start))]
        issue_all(db, account, requests, clock, steps=BARE)  # storage path only: no e-invoice check, no files


def _worker(url: str, schema: str | None, archive: str, account: str, invoices: int, batch: int, go: mp.Event) -> None:
    db = Database(make_engine(url, schema=schema), FileBlobStore(Path(archive)))
    _issue(db, account, 10, 10)  # warm up: imports, caches, connection
    go.wait()
    _issue(db, account, invoices, batch)
    db.engine.dispose()


def run(engine: str, processes: int, sellers: int, invoices: int, batch: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        db, url, schema = (sqlite_db if engine == "sqlite" else pg_db)(Path(tmp))
        try:
            accounts = [new_account(db, f"seller{i}") for i in range(sellers)]
            go = CTX.Event()
            procs = [
                CTX.Process(
                    target=_worker,
                    args=(url, schema, str(Path(tmp) / "archive"), accounts[i % sellers], invoices, batch, go),
                )
                for i in range(processes)
            ]
            for p in procs:
                p.start()
            time.sleep(3)  # let every worker warm up
            started = time.perf_counter()
            go.set()
            for p in procs:
                p.join()
                assert p.exitcode == 0
            elapsed = time.perf_counter() - started
            assert not verify_all(db, check_files=False).problems
            return processes * invoices / elapsed
        finally:
            db.engine.dispose()
            if schema:
                drop_pg_schema(schema)


CONFIGS = [
    # engine, processes, sellers, batch
    ("sqlite", 1, 1, 1),
    ("sqlite", 1, 1, 100),
    ("sqlite", 2, 1, 100),
    ("postgresql", 1, 1, 1),
    ("postgresql", 2, 1, 1),
    ("postgresql", 1, 1, 100),
    ("postgresql", 2, 1, 100),
    ("postgresql", 2, 2, 100),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=5000, help="invoices per process (batched runs)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per configuration; the median is reported")
    args = parser.parse_args()
    print(f"# bench_issue on {machine()}, {time.strftime('%Y-%m-%d %H:%M')}, PostgreSQL at {PG_URL.split('@')[-1]}")
    print("| engine | processes | sellers | invoices per transaction | invoices/s (median) | min - max |")
    print("|---|---|---|---|---|---|")
    for engine, processes, sellers, batch in CONFIGS:
        invoices = args.invoices if batch > 1 else max(500, args.invoices // 5)
        rates = sorted(run(engine, processes, sellers, invoices, batch) for _ in range(args.repeats))
        median = statistics.median(rates)
        print(
            f"| {engine} | {processes} | {sellers} | {batch} | {median:,.0f} | {rates[0]:,.0f} - {rates[-1]:,.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
