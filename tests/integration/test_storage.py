"""Issuing, numbering, idempotency, atomicity, immutability and tenancy, on both engines."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from tests.factories import IssueRequest, draft, issue_all, new_account

from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput, NotFound
from facturier.services.verify import verify_all
from facturier.storage import tables
from facturier.storage.database import Database


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(tables.metadata.tables[table])).scalar_one())


def test_issue_stores_numbers_chains_and_reads_back(db: Database, clock) -> None:
    account = new_account(db)
    results = issue_all(db, account, [IssueRequest(draft(), "order:1"), IssueRequest(draft(), "order:2")], clock)
    assert [r.document.number for r in results] == ["F2026-000001", "F2026-000002"]
    with db.reading(account) as tx:
        stored = tx.documents.get("F2026-000002")
    assert stored.document == results[1].document
    assert stored.document.is_issued
    assert stored.ledger_seq == 2
    with db.reading(account) as tx:  # the canonical JSON, as issued, checked against its SHA-256
        json_ref = next(a for a in stored.artefacts if a.name == "document.json")
        assert hashlib.sha256(tx.documents.stored_bytes(stored, json_ref)).hexdigest() == stored.sha256
    report = verify_all(db)
    assert report.problems == []
    assert (report.stats.records, report.stats.documents, report.stats.files) == (
        2,
        2,
        8,
    )  # request.json, PDF, CII, UBL per document (the document's JSON is its row)


def test_each_document_type_has_its_own_series(db: Database, clock) -> None:
    account = new_account(db)
    requests = [
        IssueRequest(draft()),
        IssueRequest(draft(document_type=DocumentType.QUOTE)),
        IssueRequest(draft(document_type=DocumentType.PROFORMA)),
        IssueRequest(draft()),
    ]
    numbers = [r.document.number for r in issue_all(db, account, requests, clock)]
    assert numbers == ["F2026-000001", "D2026-000001", "PF2026-000001", "F2026-000002"]


def test_yearly_reset_starts_again_at_one(db: Database, clock) -> None:
    account = new_account(db)
    clock.now = datetime(2027, 1, 2, 9, tzinfo=UTC)  # the first is back-dated, within the window
    requests = [IssueRequest(draft(date(2026, 12, 31))), IssueRequest(draft(date(2027, 1, 2)))]
    numbers = [r.document.number for r in issue_all(db, account, requests, clock)]
    assert numbers == ["F2026-000001", "F2027-000001"]


def test_earlier_issue_date_is_refused_and_consumes_no_number(db: Database, clock) -> None:
    account = new_account(db)
    issue_all(db, account, [IssueRequest(draft(date(2026, 11, 20)))], clock)
    with pytest.raises(InvalidInput) as error:
        issue_all(db, account, [IssueRequest(draft(date(2026, 11, 19)))], clock)
    assert [(v.rule_id, v.path) for v in error.value.violations] == [("NUM-CHRONO", "issue_date")]
    clock.now = datetime(2026, 11, 21, 9, tzinfo=UTC)
    later = issue_all(db, account, [IssueRequest(draft(date(2026, 11, 21)))], clock)
    assert later[0].document.number == "F2026-000002"
    assert _count(db, "documents") == 2


def test_invalid_document_never_consumes_a_number(db: Database, clock) -> None:
    account = new_account(db)
    bad = draft(customer={"type": "business", "name": "Sans SIREN SAS"})
    with pytest.raises(InvalidInput) as error:
        issue_all(db, account, [IssueRequest(bad)], clock)
    assert ("FR-CGI-242NA-SIREN-BUYER", "buyer.siren") in [(v.rule_id, v.path) for v in error.value.violations]
    assert (_count(db, "documents"), _count(db, "ledger")) == (0, 0)
    assert issue_all(db, account, [IssueRequest(draft())], clock)[0].document.number == "F2026-000001"


def test_batch_is_all_or_nothing(db: Database, clock) -> None:
    account = new_account(db)
    batch = [IssueRequest(draft()), IssueRequest(draft()), IssueRequest(replace(draft(), lines=()))]
    with pytest.raises(InvalidInput):
        issue_all(db, account, batch, clock)
    assert (_count(db, "documents"), _count(db, "ledger"), _count(db, "counters")) == (0, 0, 0)


def test_crash_after_allocation_rolls_back_number_and_records(db: Database, clock) -> None:
    account = new_account(db)

    class Crash(Exception):
        pass

    calls = []

    def failing_clock():  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 1:  # the first call is "today"; the next is the event's time, after allocation
            raise Crash
        return clock()

    with pytest.raises(Crash):
        issue_all(db, account, [IssueRequest(draft())], failing_clock)
    assert (_count(db, "documents"), _count(db, "ledger"), _count(db, "counters")) == (0, 0, 0)
    assert issue_all(db, account, [IssueRequest(draft())], clock)[0].document.number == "F2026-000001"
    assert verify_all(db).problems == []


def test_same_source_is_issued_once(db: Database, clock) -> None:
    account = new_account(db)
    first = issue_all(db, account, [IssueRequest(draft(), source_id="order:invoice:WEB-1")], clock)[0]
    again = issue_all(db, account, [IssueRequest(draft(), source_id="order:invoice:WEB-1")], clock)[0]
    assert (first.created, again.created) == (True, False)
    assert again.document.number == first.document.number
    assert _count(db, "documents") == 1


@pytest.mark.parametrize("table", ["documents", "ledger", "artefacts"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET account_id = account_id", "DELETE FROM {t}"])
def test_database_rejects_changes_to_issued_records(db: Database, clock, table: str, statement: str) -> None:
    account = new_account(db)
    issue_all(db, account, [IssueRequest(draft())], clock)
    with pytest.raises(Exception, match="immutable"), db.engine.begin() as conn:
        conn.execute(text(statement.format(t=table)))
    assert _count(db, table) == (4 if table == "artefacts" else 1)  # JSON, PDF, CII, UBL


def test_postgres_rejects_truncate(db: Database, clock) -> None:
    if db.dialect != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    account = new_account(db)
    issue_all(db, account, [IssueRequest(draft())], clock)
    with pytest.raises(Exception, match="immutable"), db.engine.begin() as conn:
        conn.execute(text("TRUNCATE documents CASCADE"))


def test_accounts_are_isolated(db: Database, clock) -> None:
    first, second = new_account(db, "first"), new_account(db, "second")
    issue_all(db, first, [IssueRequest(draft()), IssueRequest(draft())], clock)
    mine = issue_all(db, second, [IssueRequest(draft())], clock)
    assert mine[0].document.number == "F2026-000001"  # numbering is per seller
    assert mine[0].stored.ledger_seq == 1  # so is the chain
    with db.reading(second) as tx, pytest.raises(NotFound):
        tx.documents.get("F2026-000002")  # the first seller's document is invisible here
    with db.reading(second) as tx:
        assert tx.documents.count() == 1
    assert verify_all(db).problems == []


def test_amounts_survive_storage_exactly(db: Database, clock) -> None:
    account = new_account(db)
    lines = [{"name": "Vis", "quantity": "3", "unit_price": "0.333333", "vat_rate": "20"}]
    issued = issue_all(db, account, [IssueRequest(draft(lines=lines))], clock)[0].document
    assert issued.lines[0].net_amount == Decimal("1.00")
    with db.reading(account) as tx:
        row = tx.conn.execute(select(tables.documents.c.tax_inclusive)).one()
    assert row.tax_inclusive == Decimal("1.20")


def test_migrations_build_the_schema_the_code_uses(db: Database) -> None:
    """The Alembic revisions and the tables the code queries never drift apart."""
    from sqlalchemy import inspect

    from facturier.storage.payments import payments_metadata
    from facturier.storage.tax_facts import tax_metadata

    inspector = inspect(db.engine)
    extra = [*tax_metadata.tables.values(), *payments_metadata.tables.values()]
    for table in [*tables.metadata.tables.values(), *extra]:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name
