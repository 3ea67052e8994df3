"""Tamper evidence: change any hashed field behind the application's back (raw SQL with
the immutability triggers disabled, or an altered archive file) and `verify` must name
exactly that record; a clean chain reports nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.factories import EXAMPLES, IssueRequest, draft, issue_all, new_account
from typer.testing import CliRunner

from facturier.archive.store import FileBlobStore
from facturier.cli.main import app
from facturier.services.verify import verify_all
from facturier.storage.database import Database
from facturier.storage.engine import make_engine
from facturier.storage.tables import IMMUTABLE_TABLES

TARGET_SEQ, TARGET = 3, "F2026-000003"
FAKE_HASH = hashlib.sha256(b"forged").hexdigest()


@pytest.fixture
def chain(db: Database, clock) -> Database:
    account = new_account(db)
    issue_all(db, account, [IssueRequest(draft(order_reference=f"PO-{i}")) for i in range(5)], clock)
    assert verify_all(db).problems == []
    return db


def tamper(db: Database, sql: str) -> None:
    """Run `sql` with the immutability triggers out of the way, as an attacker with DB access would."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql))
            return
        triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _ in triggers:
            conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(text(sql))
        for _, create in triggers:
            conn.execute(text(create))


DOC = f"WHERE number = '{TARGET}'"


def _replace_bytes(column: str, old: str, new: str) -> dict[str, str]:
    """Replace text inside a binary column, per engine (SQL differs for bytea and BLOB)."""
    return {
        "postgresql": f"convert_to(replace(convert_from({column}, 'UTF8'), '{old}', '{new}'), 'UTF8')",
        "sqlite": f"CAST(REPLACE({column}, '{old}', '{new}') AS BLOB)",
    }


LEDGER = f"WHERE seq = {TARGET_SEQ}"
ARTEFACT = f"WHERE ledger_seq = {TARGET_SEQ} AND name = "  # + the quoted name
ROW_CHANGES = {
    "ledger.payload": "UPDATE ledger SET payload = {payload} " + LEDGER,
    "ledger.hash": f"UPDATE ledger SET hash = '{FAKE_HASH}' {LEDGER}",
    "ledger.prev_hash": f"UPDATE ledger SET prev_hash = '{FAKE_HASH}' {LEDGER}",
    "ledger.kind": f"UPDATE ledger SET kind = 'payment.recorded' {LEDGER}",
    "ledger.recorded_at": f"UPDATE ledger SET recorded_at = '2020-01-01T00:00:00+00:00' {LEDGER}",
    "ledger.document_id": f"UPDATE ledger SET document_id = 'x' {LEDGER}",
    "documents.number": f"UPDATE documents SET number = 'F2026-000099' {DOC}",
    "documents.document_type": f"UPDATE documents SET document_type = '381' {DOC}",
    "documents.series_key": f"UPDATE documents SET series_key = 'credit_note' {DOC}",
    "documents.issue_date": f"UPDATE documents SET issue_date = '2026-01-01' {DOC}",
    "documents.currency": f"UPDATE documents SET currency = 'USD' {DOC}",
    "documents.buyer_name": f"UPDATE documents SET buyer_name = 'Someone Else' {DOC}",
    "documents.tax_inclusive": f"UPDATE documents SET tax_inclusive = tax_inclusive - 1 {DOC}",
    "documents.payable": f"UPDATE documents SET payable = 0 {DOC}",
    "documents.preceding_number": f"UPDATE documents SET preceding_number = 'F2026-000001' {DOC}",
    "documents.order_reference": f"UPDATE documents SET order_reference = 'PO-X' {DOC}",
    "documents.canonical": "UPDATE documents SET canonical = {canonical} " + DOC,
    "documents.sha256": f"UPDATE documents SET sha256 = '{FAKE_HASH}' {DOC}",
    "documents.ledger_seq (nowhere)": f"UPDATE documents SET ledger_seq = 99 {DOC}",
    "documents.id": f"UPDATE documents SET id = 'x' {DOC}",
    "artefacts.sha256": f"UPDATE artefacts SET sha256 = '{FAKE_HASH}' WHERE ledger_seq = {TARGET_SEQ}",
    "artefacts.size": f"UPDATE artefacts SET size = size + 1 WHERE ledger_seq = {TARGET_SEQ}",
    "artefacts.media_type": f"UPDATE artefacts SET media_type = 'text/plain' WHERE ledger_seq = {TARGET_SEQ}",
    "artefacts.name": f"UPDATE artefacts SET name = 'other.json' WHERE ledger_seq = {TARGET_SEQ} AND name = 'ubl.xml'",
    "artefacts.document_id": f"UPDATE artefacts SET document_id = 'x' {ARTEFACT}'document.pdf'",
    "artefacts pdf row deleted": f"DELETE FROM artefacts {ARTEFACT}'document.pdf'",
    "artefacts cii row sha256": f"UPDATE artefacts SET sha256 = '{FAKE_HASH}' {ARTEFACT}'factur-x.xml'",
    "artefacts row deleted": f"DELETE FROM artefacts WHERE ledger_seq = {TARGET_SEQ}",
    "documents row deleted": f"DELETE FROM documents {DOC}",
}


def _concerns_target(problem) -> bool:  # type: ignore[no-untyped-def]
    return problem.seq == TARGET_SEQ or problem.number == TARGET


@pytest.mark.parametrize("change", sorted(ROW_CHANGES))
def test_raw_change_is_reported_at_that_record(chain: Database, change: str) -> None:
    payload = _replace_bytes("payload", TARGET, "F2026-000099")[chain.dialect]
    canonical = _replace_bytes("canonical", "PO-2", "PO-9")[chain.dialect]
    tamper(chain, ROW_CHANGES[change].format(payload=payload, canonical=canonical))
    problems = verify_all(chain).problems
    assert problems, f"{change} went unnoticed"
    assert _concerns_target(problems[0]), [str(p) for p in problems]
    # nothing before the target is blamed (a forged row may also confuse its neighbour)
    assert all(p.seq is None or p.seq >= TARGET_SEQ for p in problems)


def test_column_turned_to_text_is_reported_not_crashed(chain: Database) -> None:
    if chain.dialect != "sqlite":
        pytest.skip("SQLite stores any type in any column; PostgreSQL refuses")
    tamper(chain, f"UPDATE ledger SET payload = REPLACE(payload, '{TARGET}', 'F2026-000099') {LEDGER}")
    problems = verify_all(chain).problems
    assert problems and problems[0].seq == TARGET_SEQ


def test_two_documents_cannot_claim_one_record(chain: Database) -> None:
    with pytest.raises(Exception, match=r"uq_documents_ledger_seq|UNIQUE"):
        tamper(chain, f"UPDATE documents SET ledger_seq = 4 {DOC}")


@pytest.mark.parametrize("change", ["ledger.prev_hash", "ledger.hash", "documents.payable", "ledger.payload"])
@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_verification_names_the_same_record(chain: Database, change: str, workers: int) -> None:
    """Worker processes verify ranges of records; a change at a range boundary is still found."""
    assert verify_all(chain, workers=workers, parallel_from=1).problems == []
    payload = _replace_bytes("payload", TARGET, "F2026-000099")[chain.dialect]
    tamper(chain, ROW_CHANGES[change].format(payload=payload, canonical=""))
    serial = verify_all(chain).problems
    parallel = verify_all(chain, workers=workers, parallel_from=1)
    assert parallel.workers == workers
    assert [str(p) for p in parallel.problems] == [str(p) for p in serial]
    assert parallel.problems[0].seq == TARGET_SEQ


def test_deleted_ledger_record_is_reported(chain: Database) -> None:
    tamper(chain, f"DELETE FROM ledger {LEDGER}")
    problems = verify_all(chain).problems
    messages = [str(p) for p in problems]
    assert any("missing" in m for m in messages), messages
    assert any(p.number == TARGET for p in problems)  # its document is now unaccounted for


def _target_file(db: Database, name: str = "document.pdf", seq: int = TARGET_SEQ) -> Path:
    with db.engine.connect() as conn:
        sha = conn.execute(
            text(f"SELECT sha256 FROM artefacts WHERE ledger_seq = {seq} AND name = '{name}'")
        ).scalar_one()
    return db.blobs.path(sha)


@pytest.mark.parametrize("name", ["document.pdf", "factur-x.xml", "ubl.xml"])
def test_altered_archive_file_is_reported(chain: Database, name: str) -> None:
    path = _target_file(chain, name)
    data = path.read_bytes()
    altered = data.replace(b"PO-2", b"PO-9")
    path.write_bytes(altered if altered != data else data + b"\n")  # the PDF's text is compressed
    problems = verify_all(chain).problems
    assert len(problems) == 1 and problems[0].seq == TARGET_SEQ
    assert "altered" in str(problems[0]) and name in str(problems[0])


@pytest.mark.parametrize("name", ["document.pdf", "factur-x.xml", "ubl.xml"])
def test_missing_archive_file_is_reported(chain: Database, name: str) -> None:
    _target_file(chain, name).unlink()
    problems = verify_all(chain).problems
    assert len(problems) == 1 and problems[0].seq == TARGET_SEQ


def test_no_files_mode_skips_archive_but_checks_rows(chain: Database) -> None:
    _target_file(chain).unlink()
    assert verify_all(chain, check_files=False).problems == []


def test_triggers_cover_every_immutable_table(chain: Database) -> None:
    for table in IMMUTABLE_TABLES:
        with pytest.raises(Exception, match="immutable"), chain.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table}"))


def test_cli_verify_exits_1_and_names_the_record(tmp_path: Path) -> None:
    from tests.factories import EXAMPLES
    from typer.testing import CliRunner

    from facturier.cli.main import app

    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--demo"], env=env).exit_code == 0
    files = sorted(str(p) for p in (EXAMPLES / "orders").glob("*.json"))
    assert runner.invoke(app, ["issue", *files], env=env).exit_code == 0
    from facturier.archive.store import FileBlobStore
    from facturier.storage.engine import make_engine

    db = Database(
        make_engine(f"sqlite:///{tmp_path / 'data' / 'facturier.db'}"), FileBlobStore(tmp_path / "data" / "archive")
    )
    tamper(db, "UPDATE documents SET payable = 0 WHERE number = 'F2026-000001'")
    result = runner.invoke(app, ["verify"], env=env)
    assert result.exit_code == 1
    assert "ledger record #1 (document F2026-000001)" in result.stderr
    assert "payable" in result.stderr


# --- paid copies ("facture acquittée"): derived artefacts in their own ledger events -----------

PAID_SEQ = 6  # after the 5 issued invoices of `chain`
PAID = f"WHERE ledger_seq = {PAID_SEQ}"
PAID_CHANGES = {
    "artefacts.sha256": f"UPDATE artefacts SET sha256 = '{FAKE_HASH}' {PAID}",
    "artefacts.size": f"UPDATE artefacts SET size = size + 1 {PAID}",
    "artefacts.document_id": f"UPDATE artefacts SET document_id = 'x' {PAID}",
    "artefacts.name": f"UPDATE artefacts SET name = 'paid-9.pdf' {PAID}",
    "artefacts row deleted": f"DELETE FROM artefacts {PAID}",
    "ledger.document_id": f"UPDATE ledger SET document_id = 'x' WHERE seq = {PAID_SEQ}",
    "ledger.kind": f"UPDATE ledger SET kind = 'document.issued' WHERE seq = {PAID_SEQ}",
    "payments.amount": f"UPDATE payments SET amount = '1.00' {PAID}",
    "payments.paid_on": f"UPDATE payments SET paid_on = '2026-11-21' {PAID}",
    "payments.method": f"UPDATE payments SET method = 'cash' {PAID}",
    "payments.document_id": f"UPDATE payments SET document_id = 'x' {PAID}",
    "payments row deleted": f"DELETE FROM payments {PAID}",
}


@pytest.fixture
def paid_chain(chain: Database, clock) -> Database:
    from datetime import UTC, date, datetime

    from facturier.services.issuing import Issuer
    from facturier.services.payments import PaymentInput, record_payment

    account = chain.account_ids()[0]
    clock.now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    given = PaymentInput(TARGET, date(2026, 11, 25), "card", reference="CB-1")
    copy = record_payment(Issuer(chain, clock), account, given)
    assert copy.ledger_seq == PAID_SEQ
    assert verify_all(chain).problems == []
    return chain


@pytest.mark.parametrize("change", sorted(PAID_CHANGES))
def test_paid_copy_change_is_reported_at_its_record(paid_chain: Database, change: str) -> None:
    tamper(paid_chain, PAID_CHANGES[change])
    problems = verify_all(paid_chain).problems
    assert problems, f"{change} went unnoticed"
    assert problems[0].seq == PAID_SEQ, [str(p) for p in problems]


@pytest.mark.parametrize("damage", ["altered", "missing"])
def test_paid_copy_file_damage_is_reported(paid_chain: Database, damage: str) -> None:
    path = _target_file(paid_chain, "paid-1.pdf", PAID_SEQ)
    if damage == "altered":
        path.write_bytes(path.read_bytes() + b"\n")
    else:
        path.unlink()
    problems = verify_all(paid_chain).problems
    assert len(problems) == 1 and problems[0].seq == PAID_SEQ and problems[0].number == TARGET
    assert "paid-1.pdf" in str(problems[0])


def test_paid_copy_of_a_vanished_invoice_is_reported(paid_chain: Database) -> None:
    tamper(paid_chain, f"DELETE FROM documents {DOC}")
    problems = verify_all(paid_chain).problems
    assert any(p.seq == PAID_SEQ and "derives from" in p.what for p in problems), [str(p) for p in problems]


def test_anchor_catches_a_consistent_rewrite(tmp_path: Path) -> None:
    """A full rewrite (payload, column, hash and head all recomputed) passes the chain checks;
    the head hash printed by an earlier `verify` and kept elsewhere catches it."""
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--demo"], env=env).exit_code == 0
    orders = sorted(str(p) for p in (EXAMPLES / "orders").glob("0[12]*.json"))
    assert runner.invoke(app, ["issue", "--no-render", *orders], env=env).exit_code == 0
    first = runner.invoke(app, ["verify"], env=env)
    head = next(line.split(": ", 1)[1] for line in first.stdout.splitlines() if line.startswith("Head of seller"))
    seq = int(head.split(":")[0])

    db = Database(make_engine(f"sqlite:///{tmp_path / 'data' / 'facturier.db'}"), FileBlobStore(tmp_path / "data"))
    with db.engine.connect() as conn:
        row = conn.execute(text(f"SELECT prev_hash, payload, recorded_at FROM ledger WHERE seq = {seq}")).one()
    forged_at = "2026-11-21T08:00:00.000000+00:00"
    payload = bytes(row.payload).replace(row.recorded_at.encode(), forged_at.encode())
    digest = hashlib.sha256(bytes.fromhex(row.prev_hash) + payload).hexdigest()
    forged = f"payload = X'{payload.hex()}', hash = '{digest}', recorded_at = '{forged_at}'"
    tamper(db, f"UPDATE ledger SET {forged} WHERE seq = {seq}")
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE ledger_heads SET last_hash = '{digest}'"))

    assert runner.invoke(app, ["verify"], env=env).exit_code == 0  # the rewrite is self-consistent
    caught = runner.invoke(app, ["verify", "--anchor", head], env=env)
    assert caught.exit_code == 1
    assert f"ledger record #{seq}" in caught.stderr and "rewritten" in caught.stderr
    bad = runner.invoke(app, ["verify", "--anchor", "12:abc"], env=env)
    assert bad.exit_code == 2 and "CLI-ANCHOR" in bad.stderr
