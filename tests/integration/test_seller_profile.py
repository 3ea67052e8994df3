"""Seller profile versions (services/seller_profile.py): each document names the version it was
issued with, `verify` checks the versions, and a change that would break numbering or identity is
refused with nothing written. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.conftest import FixedClock
from tests.factories import EXAMPLES, new_account, order_data, seller_profile
from tests.integration.test_tamper import tamper

from facturier.domain.canonical import canonical_bytes
from facturier.domain.errors import InvalidInput
from facturier.services.issue import IssueSteps
from facturier.services.issuing import Issuer, issue, order_submission
from facturier.services.orders import parse_order
from facturier.services.seller_profile import profile_history, update_profile
from facturier.services.verify import verify_all
from facturier.storage.database import Database

NO_FILES = IssueSteps()  # the storage path alone: these tests are about versions, not XML


def seller_file(**changes: Any) -> dict[str, Any]:
    data = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    data["branding"].pop("logo")
    data.update(changes)
    return data


def raw(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def issue_one(db: Database, account: str, clock: FixedClock, order_id: str) -> str:
    submission = order_submission(parse_order(json.dumps(order_data(id=order_id)).encode()))
    return issue(Issuer(db, clock, NO_FILES), account, [submission])[0].stored.document.number


def issued_with(db: Database) -> dict[str, str]:
    """number -> seller_sha256 of its hashed document.issued event."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT payload FROM ledger WHERE kind = 'document.issued'")).all()
    events = [json.loads(bytes(r.payload))["data"] for r in rows]
    return {e["number"]: e["seller_sha256"] for e in events}


def swap(db: Database, table: str, key: str, old: object, new: object) -> None:
    """Change one value in the stored canonical profiles of `table`, triggers out of the way."""
    # canonical JSON: no whitespace; the colon escaped from SQLAlchemy's bind parameters
    tamper(db, f"UPDATE {table} SET profile = REPLACE(profile, '\"{key}\"\\:{old}', '\"{key}\"\\:{new}')")


@pytest.fixture
def account(db: Database) -> str:
    return new_account(db, profile=None)


def test_documents_keep_the_version_they_were_issued_with(db: Database, account: str, clock: FixedClock) -> None:
    first = issue_one(db, account, clock, "A-1")
    clock.now = datetime(2026, 11, 21, 9, 0, tzinfo=clock.now.tzinfo)
    update = update_profile(db, account, raw(seller_file(payment_days=45)), clock, steps=NO_FILES)
    second = issue_one(db, account, clock, "A-2")

    v1, v2 = profile_history(db, account)
    assert (v1.version, v2.version, update.version) == (1, 2, v2) and update.changed
    assert v1.ledger_seq is None and v2.ledger_seq == 2  # after the first document's record
    assert issued_with(db) == {first: v1.sha256, second: v2.sha256}
    with db.reading(account) as tx:
        assert tx.profile().payment_days == 45
    assert verify_all(db).problems == []


def test_the_same_file_again_writes_nothing(db: Database, account: str, clock: FixedClock) -> None:
    update_profile(db, account, raw(seller_file(payment_days=45)), clock, steps=NO_FILES)
    again = update_profile(db, account, raw(seller_file(payment_days=45)), clock, steps=NO_FILES)
    assert not again.changed and again.version.version == 2
    assert len(profile_history(db, account)) == 2


def test_tampered_profile_version_is_caught(db: Database, account: str, clock: FixedClock) -> None:
    issue_one(db, account, clock, "A-1")
    update_profile(db, account, raw(seller_file(payment_days=45)), clock, steps=NO_FILES)
    assert verify_all(db).problems == []
    swap(db, "seller_profiles", "payment_days", 45, 60)
    problems = verify_all(db).problems
    assert any(p.seq == 2 and "does not match the SHA-256" in p.what for p in problems), [str(p) for p in problems]


def test_tampered_first_version_is_caught_by_the_documents(db: Database, account: str, clock: FixedClock) -> None:
    first = issue_one(db, account, clock, "A-1")
    swap(db, "seller_profiles", "payment_days", 30, 31)
    swap(db, "accounts", "payment_days", 30, 31)
    problems = verify_all(db).problems
    assert [(p.seq, p.number) for p in problems] == [(1, first)], [str(p) for p in problems]
    assert "not the one in effect" in problems[0].what


def test_current_profile_must_be_the_last_version(db: Database, account: str, clock: FixedClock) -> None:
    update_profile(db, account, raw(seller_file(payment_days=45)), clock, steps=NO_FILES)
    swap(db, "accounts", "payment_days", 45, 50)
    problems = verify_all(db).problems
    assert [p.what for p in problems] == ["the current seller profile is not the last recorded version"]


def test_versions_are_immutable(db: Database, account: str) -> None:
    with pytest.raises(Exception, match="immutable"), db.engine.begin() as conn:
        conn.execute(text("UPDATE seller_profiles SET sha256 = 'x'"))


def test_another_siren_is_refused_and_nothing_is_written(db: Database, account: str, clock: FixedClock) -> None:
    data = seller_file(siren="732829320", siret="", vat_id="FR44732829320")
    data["electronic_address"] = {"value": "732829320", "scheme": "0225"}
    with pytest.raises(InvalidInput) as caught:
        update_profile(db, account, raw(data), clock, steps=NO_FILES)
    assert [(v.rule_id, v.path) for v in caught.value.violations] == [("SELLER-IDENTITY", "siren")]
    assert len(profile_history(db, account)) == 1
    assert verify_all(db).problems == []


def test_series_pattern_is_frozen_within_a_period_with_numbers(db: Database, account: str, clock: FixedClock) -> None:
    issue_one(db, account, clock, "A-1")
    new_pattern = seller_file(series={"invoice": {"pattern": "FA{yyyy}-{seq:05d}"}})
    with pytest.raises(InvalidInput) as caught:
        update_profile(db, account, raw(new_pattern), clock, steps=NO_FILES)
    assert [(v.rule_id, v.path) for v in caught.value.violations] == [
        ("SELLER-SERIES-PERIOD", "series.invoice.pattern")
    ]
    # an unused series may change now; the invoice series from the first day of the next period
    quotes = seller_file(series={"quote": {"pattern": "DV{yyyy}-{seq:04d}"}})
    assert update_profile(db, account, raw(quotes), clock, steps=NO_FILES).version.version == 2
    clock.now = datetime(2027, 1, 2, 9, 0, tzinfo=clock.now.tzinfo)
    both = seller_file(
        series={"quote": {"pattern": "DV{yyyy}-{seq:04d}"}, "invoice": {"pattern": "FA{yyyy}-{seq:05d}"}}
    )
    assert update_profile(db, account, raw(both), clock, steps=NO_FILES).version.version == 3
    assert issue_one(db, account, clock, "A-2") == "FA2027-00001"
    assert verify_all(db).problems == []


def test_a_bad_file_names_the_field_and_writes_nothing(db: Database, account: str, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput) as caught:
        update_profile(db, account, raw(seller_file(iban="FR76 0000")), clock, steps=NO_FILES)
    assert [v.path for v in caught.value.violations] == ["iban"]
    assert len(profile_history(db, account)) == 1


def test_a_profile_that_cannot_issue_b2b_is_refused(db: Database, account: str, clock: FixedClock) -> None:
    """The default steps: the sample B2B invoice goes through the schematrons too."""
    data = copy.deepcopy(seller_file())
    del data["electronic_address"], data["late_penalty_rate"]
    with pytest.raises(InvalidInput) as caught:
        update_profile(db, account, raw(data), clock)
    found = {(v.rule_id, v.path) for v in caught.value.violations}
    assert ("BR-FR-13_BT-34", "electronic_address") in found  # seller's electronic address, Flux 2
    assert ("FR-L441-9-PENALTY", "late_penalty_rate") in found  # C. com. L441-10
    assert {path for _, path in found} == {"electronic_address", "late_penalty_rate"}
    assert len(profile_history(db, account)) == 1


def test_migration_builds_the_table_the_code_uses(db: Database) -> None:
    from sqlalchemy import inspect

    from facturier.storage.seller_profiles import profiles_metadata

    for table in profiles_metadata.tables.values():
        migrated = {c["name"] for c in inspect(db.engine).get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migration_0003_gives_existing_accounts_their_version_1(dialect: str, tmp_path: Path, request) -> None:  # type: ignore[no-untyped-def]
    """An account created before versions existed gets its profile as version 1; verify passes."""
    from alembic import command
    from alembic.config import Config

    from facturier.archive.store import FileBlobStore
    from facturier.storage.engine import make_engine
    from facturier.storage.migrate import MIGRATIONS

    if dialect == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        engine = request.getfixturevalue("pg_schema").engine()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_tax_facts")
    canonical = canonical_bytes(seller_profile()).decode()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO accounts (id, slug, profile, created_at) VALUES ('acc-1', 'old', :p, '2026-01-01')"),
            {"p": canonical},
        )
        conn.execute(
            text(f"INSERT INTO ledger_heads (account_id, last_seq, last_hash) VALUES ('acc-1', 0, '{'0' * 64}')")
        )
    db = Database(engine, FileBlobStore(tmp_path / "archive"))
    db.upgrade()
    (v1,) = profile_history(db, "acc-1")
    assert (v1.version, v1.ledger_seq, v1.sha256) == (1, None, hashlib.sha256(canonical.encode()).hexdigest())
    assert verify_all(db).problems == []
    engine.dispose()
