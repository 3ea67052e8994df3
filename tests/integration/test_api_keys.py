"""API keys: shown once, stored hashed, revocable, and checked without waiting for issuing."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from tests.conftest import FixedClock

from facturier.archive.store import FileBlobStore
from facturier.domain.errors import InvalidInput, NotFound
from facturier.services.api_keys import authenticate, create_key, revoke_key
from facturier.storage.api_keys import ApiKeyRepository
from facturier.storage.database import Database
from facturier.storage.engine import make_engine


def test_a_key_is_stored_hashed_checked_and_revoked(db: Database, clock: FixedClock) -> None:
    keys = ApiKeyRepository(db.engine)
    row, token = create_key(keys, "acct-1", "shop", "write", clock())
    assert token.startswith(f"fct_{row.id}_") and token.split("_", 2)[2] not in repr(keys.get(row.id))
    caller = authenticate(keys, token, clock())
    assert caller is not None and (caller.account_id, caller.scope) == ("acct-1", "write")
    assert authenticate(keys, token[:-1] + ("A" if token[-1] != "A" else "B"), clock()) is None
    assert authenticate(keys, "fct_" + row.id, clock()) is None
    assert keys.get(row.id).last_used_at is not None  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        revoke_key(keys, "acct-2", row.id, clock())  # another account's key: not found
    revoke_key(keys, "acct-1", row.id, clock())
    assert authenticate(keys, token, clock()) is None
    with pytest.raises(InvalidInput):
        create_key(keys, "acct-1", "x", "root", clock())


def test_checking_a_key_does_not_wait_for_the_sqlite_writer(tmp_path: Path, clock: FixedClock) -> None:
    """A GET must not queue behind an invoice being issued: the key is read without the writer
    lock, and its last use is written at most once a minute."""
    path = tmp_path / "facturier.db"
    db = Database(make_engine(f"sqlite:///{path}"), FileBlobStore(tmp_path / "archive"))
    db.upgrade()
    keys = ApiKeyRepository(db.engine)
    _row, token = create_key(keys, "acct-1", "shop", "read", clock())
    assert authenticate(keys, token, clock()) is not None  # records the use
    writer = sqlite3.connect(path, timeout=1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process issuing holds the writer lock
    try:
        took: list[float] = []

        def check() -> None:
            started = time.perf_counter()
            assert authenticate(keys, token, clock() + timedelta(seconds=30)) is not None
            took.append(time.perf_counter() - started)

        thread = threading.Thread(target=check)
        thread.start()
        thread.join(5)
        assert took and took[0] < 1.0, took
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    db.engine.dispose()
