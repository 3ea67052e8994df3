"""Benchmark: `verify` over 100k and 1M ledger records (SQLite and PostgreSQL).

The records are made by the real storage code (Ledger.append, DocumentRepository.add,
the archive), from one priced document renumbered N times, so generating a million
records does not take an hour of pricing and validation. What is timed is the verifier.

    .venv/bin/python bench/bench_verify.py --records 100000 1000000 --engines sqlite postgresql
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import clock, drop_pg_schema, machine, pg_db, sample_draft, sqlite_db
from tests.factories import new_account

from facturier.domain import lifecycle
from facturier.domain.canonical import canonical_bytes
from facturier.domain.events import LedgerEvent
from facturier.services.issue import summarize
from facturier.services.verify import verify_all
from facturier.storage.database import Database
from facturier.storage.documents import StoredDocument

CHUNK = 20_000
PLACEHOLDER = "F2026-XXXXXXX"


def generate(db: Database, account: str, count: int, with_files: bool) -> None:
    """Append `count` issued documents with valid chain records, in chunks."""
    draft = sample_draft()
    template = canonical_bytes(lifecycle.issue(draft, PLACEHOLDER, draft.issue_date))
    sample = lifecycle.issue(draft, "F2026-0000001", draft.issue_date)
    assert template.replace(PLACEHOLDER.encode(), b"F2026-0000001") == canonical_bytes(sample)
    done = 0
    while done < count:
        with db.transaction(account) as tx:
            for seq in range(done + 1, min(done + CHUNK, count) + 1):
                _append(tx, sample, template, seq, with_files)
            done = min(done + CHUNK, count)


def _append(tx, sample, template, seq, with_files):  # type: ignore[no-untyped-def]
    number = f"F2026-{seq:07d}"
    canonical = template.replace(PLACEHOLDER.encode(), number.encode())
    document = replace(sample, number=number)
    ref = tx.documents.archive(canonical, "document.json", "application/json") if with_files else None
    if ref is None:
        import hashlib

        from facturier.domain.events import ArtefactRef

        ref = ArtefactRef("document.json", "application/json", hashlib.sha256(canonical).hexdigest(), len(canonical))
    document_id = str(uuid.uuid4())
    event = tx.ledger.append(
        LedgerEvent(
            account_id=tx.account_id,
            seq=0,
            kind="document.issued",
            recorded_at=clock().isoformat(),
            document_id=document_id,
            number=number,
            document_type="380",
            issue_date=sample.issue_date,
            document_sha256=ref.sha256,
            artefacts=(ref,),
            summary=summarize(document),
        )
    )
    stored = StoredDocument(document_id, document, ref.sha256, None, event.seq, "invoice", (ref,))
    assert event.summary is not None
    tx.documents.add(stored, canonical, event.summary)


def run(engine: str, count: int, with_files: bool) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd() / "data" if (Path.cwd() / "data").exists() else None) as tmp:
        db, _, schema = (sqlite_db if engine == "sqlite" else pg_db)(Path(tmp))
        try:
            account = new_account(db)
            started = time.perf_counter()
            generate(db, account, count, with_files)
            made = time.perf_counter() - started
            chain = verify_all(db, chain_only=True)
            report = verify_all(db, check_files=with_files)
            assert not report.problems and not chain.problems, report.problems[:3]
            print(
                f"| {engine} | {count:,} | {chain.seconds:.2f} s ({count / chain.seconds:,.0f}/s) "
                f"| {report.seconds:.2f} s ({count / report.seconds:,.0f}/s) | {'yes' if with_files else 'no'} "
                f"| {report.workers} | {made:.0f} s |",
                flush=True,
            )
        finally:
            db.engine.dispose()
            if schema:
                drop_pg_schema(schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--files-up-to", type=int, default=100_000, help="archive files only up to this size")
    args = parser.parse_args()
    print(f"# bench_verify on {machine()}, {time.strftime('%Y-%m-%d %H:%M')}")
    print("| engine | records | chain only | full (columns, stored bytes) | files re-hashed | workers | generation |")
    print("|---|---|---|---|---|---|---|")
    for engine in args.engines:
        for count in args.records:
            run(engine, count, with_files=count <= args.files_up_to)


if __name__ == "__main__":
    main()
