"""The append-only, hash-chained ledger of one seller account.

Appending locks the account's chain head (`ledger_heads`, FOR UPDATE on PostgreSQL), so
records of one account form a single chain: hash_n = SHA-256(hash_{n-1} || payload_n).
The head row is only a cursor for appending; `verify` never trusts it and recomputes the
chain from the records themselves.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from facturier.domain.canonical import canonical_bytes
from facturier.domain.chain import GENESIS, chain_hash
from facturier.domain.events import LedgerEvent
from facturier.storage import tables


class Ledger:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id
        self._head: tuple[int, str] | None = None
        self._pending: list[dict[str, Any]] = []

    def create_head(self) -> None:
        self.conn.execute(
            tables.ledger_heads.insert().values(account_id=self.account_id, last_seq=0, last_hash=GENESIS)
        )

    def lock(self) -> int:
        """Take the chain lock (first call in the transaction); returns the next sequence number."""
        if self._head is None:
            h = tables.ledger_heads
            row = self.conn.execute(
                select(h.c.last_seq, h.c.last_hash).where(h.c.account_id == self.account_id).with_for_update()
            ).one()
            self._head = (int(row.last_seq), str(row.last_hash))
        return self._head[0] + 1

    def append(self, event: LedgerEvent) -> LedgerEvent:
        """Chain `event` (its seq and account are set here); written at `flush`."""
        seq = self.lock()
        assert self._head is not None
        event = replace(event, seq=seq, account_id=self.account_id)
        payload = canonical_bytes(event)
        digest = chain_hash(self._head[1], payload)
        self._pending.append(
            {
                "account_id": self.account_id,
                "seq": seq,
                "kind": event.kind,
                "document_id": event.document_id or None,
                "payload": payload,
                "prev_hash": self._head[1],
                "hash": digest,
                "recorded_at": event.recorded_at,
            }
        )
        self._head = (seq, digest)
        return event

    def flush(self) -> None:
        if not self._pending:
            return
        assert self._head is not None
        self.conn.execute(tables.ledger.insert(), self._pending)
        h = tables.ledger_heads
        self.conn.execute(
            h.update().where(h.c.account_id == self.account_id).values(last_seq=self._head[0], last_hash=self._head[1])
        )
        self._pending = []
