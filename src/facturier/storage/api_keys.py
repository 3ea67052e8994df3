"""API keys of the seller accounts: stored as the SHA-256 of their secret part, never in clear."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from facturier.storage.service_tables import api_keys


@dataclass(frozen=True)
class KeyRow:
    id: str
    account_id: str
    name: str
    scope: str
    secret_sha256: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class ApiKeyRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, row: KeyRow) -> None:
        with self.engine.begin() as conn:
            conn.execute(api_keys.insert().values(**row.__dict__))

    def get(self, key_id: str) -> KeyRow | None:
        """Read without the writer lock (SQLite: a plain BEGIN), so checking a key never waits for issuing."""
        with self.engine.connect().execution_options(facturier_readonly=True) as conn, conn.begin():
            found = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        return None if found is None else _row(found)

    def of_account(self, account_id: str) -> list[KeyRow]:
        query = select(api_keys).where(api_keys.c.account_id == account_id).order_by(api_keys.c.created_at)
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]

    def touch(self, key_id: str, at: str, older_than: str) -> None:
        """Record a use; written at most once per period (`older_than`) so reads stay reads."""
        k = api_keys
        statement = update(k).where(k.c.id == key_id)
        statement = statement.where((k.c.last_used_at.is_(None)) | (k.c.last_used_at < older_than))
        with self.engine.begin() as conn:
            conn.execute(statement.values(last_used_at=at))

    def revoke(self, account_id: str, key_id: str, at: str) -> bool:
        k = api_keys
        statement = update(k).where(k.c.id == key_id, k.c.account_id == account_id, k.c.revoked_at.is_(None))
        with self.engine.begin() as conn:
            return bool(conn.execute(statement.values(revoked_at=at)).rowcount)


def _row(r: Any) -> KeyRow:
    return KeyRow(
        id=r.id,
        account_id=r.account_id,
        name=r.name,
        scope=r.scope,
        secret_sha256=r.secret_sha256,
        created_at=r.created_at,
        last_used_at=r.last_used_at,
        revoked_at=r.revoked_at,
    )
