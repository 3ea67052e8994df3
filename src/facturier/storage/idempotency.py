"""Stored responses of POST requests sent with an `Idempotency-Key` header.

A key is claimed (`in_flight`) in a short transaction of its own before the request runs,
so a concurrent retry sees it and is told 409; the response is stored (`done`) when the
request ends. A claim whose process died is taken over after `locked_until`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError as DbIntegrityError

from facturier.storage.service_tables import idempotency_keys, stamp


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    media_type: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    outcome: str  # new | replay | in_flight | mismatch
    response: StoredResponse | None = None


class IdempotencyStore:
    def __init__(self, engine: Engine, ttl: timedelta = timedelta(hours=24), hold: timedelta = timedelta(minutes=5)):
        self.engine = engine
        self.ttl = ttl  # how long a response is kept and replayed
        self.hold = hold  # how long an in-flight claim stands before another request may take it over

    def claim(self, account_id: str, key: str, fingerprint: str, now: datetime) -> Claim:
        k = idempotency_keys
        where = (k.c.account_id == account_id, k.c.key == key)
        try:
            with self.engine.begin() as conn:
                row = conn.execute(select(k).where(*where).with_for_update()).first()
                if row is not None and row.expires_at < stamp(now):  # expired: as if never seen
                    conn.execute(delete(k).where(*where))
                    row = None
                if row is None:
                    conn.execute(k.insert().values(**self._fresh(account_id, key, fingerprint, now)))
                    return Claim("new")
                if row.fingerprint != fingerprint:
                    return Claim("mismatch")
                if row.state == "done":
                    stored = StoredResponse(row.status_code, row.media_type, row.body, json.loads(row.headers or "{}"))
                    return Claim("replay", stored)
                if row.locked_until >= stamp(now):
                    return Claim("in_flight")
                conn.execute(update(k).where(*where).values(locked_until=stamp(now + self.hold)))  # its process died
                return Claim("new")
        except DbIntegrityError:  # a concurrent first request inserted the key between our read and write
            return Claim("in_flight")

    def _fresh(self, account_id: str, key: str, fingerprint: str, now: datetime) -> dict[str, object]:
        return {
            "account_id": account_id,
            "key": key,
            "fingerprint": fingerprint,
            "state": "in_flight",
            "created_at": stamp(now),
            "expires_at": stamp(now + self.ttl),
            "locked_until": stamp(now + self.hold),
        }

    def finish(self, account_id: str, key: str, response: StoredResponse) -> None:
        k = idempotency_keys
        values = {
            "state": "done",
            "status_code": response.status_code,
            "media_type": response.media_type,
            "body": response.body,
            "headers": json.dumps(response.headers, sort_keys=True),
        }
        with self.engine.begin() as conn:
            conn.execute(update(k).where(k.c.account_id == account_id, k.c.key == key).values(**values))

    def release(self, account_id: str, key: str) -> None:
        """Forget a claim whose request failed on our side (5xx): a retry runs it again."""
        k = idempotency_keys
        with self.engine.begin() as conn:
            conn.execute(delete(k).where(k.c.account_id == account_id, k.c.key == key, k.c.state == "in_flight"))

    def purge_expired(self, now: datetime) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(delete(idempotency_keys).where(idempotency_keys.c.expires_at < stamp(now)))
        return int(result.rowcount)
