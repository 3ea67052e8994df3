"""`verify`'s checks of the seller profile versions (storage/seller_profiles.py).

Walking the records in sequence order, with the version in effect:
1. a "seller.updated" record has its stored version (`seller_profiles.ledger_seq` = its seq),
   with the version number it records, whose canonical JSON hashes to its `seller_sha256`;
   from there on that version is in effect;
2. a "document.issued" record that names a profile version (`seller_sha256`; records written
   before versions existed have none, or "") names the one in effect: version 1 (which has no
   record of its own: the first document and the first update chain it) until the first update;
and at the end:
3. the versions are numbered 1, 2, ... and every one after 1 points at a "seller.updated" record;
4. the current profile (`accounts.profile`, what issuing reads) is the last version.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from facturier.storage.seller_profiles import UPDATED, profile_sha256

_VERSIONS = """
SELECT version, profile, ledger_seq FROM seller_profiles WHERE account_id = :a ORDER BY version
"""
_UNRECORDED = """
SELECT p.version, p.ledger_seq FROM seller_profiles p
LEFT JOIN ledger l ON l.account_id = p.account_id AND l.seq = p.ledger_seq AND l.kind = :kind
WHERE p.account_id = :a AND p.ledger_seq IS NOT NULL AND l.seq IS NULL ORDER BY p.version
"""


@dataclass(frozen=True, slots=True)
class _Version:
    version: int
    sha256: str  # recomputed from the stored profile, never read from the sha256 column
    canonical: str
    ledger_seq: int | None


class SellerVersions:
    """The versions of one account (a handful: they are read into memory)."""

    def __init__(self, conn: Connection, account_id: str, first_seq: int) -> None:
        self.conn = conn
        self.account_id = account_id
        self.versions = [
            _Version(int(r[0]), profile_sha256(str(r[1])), str(r[1]), r[2])
            for r in conn.execute(text(_VERSIONS), {"a": account_id})
        ]
        self.by_seq = {v.ledger_seq: v for v in self.versions if v.ledger_seq is not None}
        earlier = [v for v in self.versions if v.ledger_seq is None or v.ledger_seq < first_seq]
        self.in_effect = earlier[-1].sha256 if earlier else ""

    def record_problems(self, seq: int, event: dict[str, Any] | None) -> Iterator[str]:
        if event is None:
            return
        kind = event.get("kind")
        if kind == UPDATED:
            yield from self._updated(seq, event)
        elif kind == "document.issued" and event.get("seller_sha256") and event["seller_sha256"] != self.in_effect:
            yield "it names a seller profile version that was not the one in effect when it was issued"

    def _updated(self, seq: int, event: dict[str, Any]) -> Iterator[str]:
        recorded = event.get("seller_sha256")
        self.in_effect = str(recorded)
        stored = self.by_seq.get(seq)
        if stored is None:
            yield "the seller profile version this record hashes is missing"
            return
        if stored.sha256 != recorded:
            yield f"stored seller profile version {stored.version} does not match the SHA-256 hashed in the ledger"
        if dict(map(tuple, event.get("details") or [])).get("version") != str(stored.version):
            yield f"stored seller profile version {stored.version} is not the version number hashed in the ledger"

    def final_problems(self) -> Iterator[tuple[int | None, str]]:
        for expected, v in enumerate(self.versions, start=1):
            if v.version != expected:
                yield None, f"seller profile version {expected} is missing (found {v.version})"
                break
        for version, seq in self.conn.execute(text(_UNRECORDED), {"a": self.account_id, "kind": UPDATED}):
            yield None, f"seller profile version {version} points to ledger record #{seq}, which does not record it"
        current = self.conn.execute(text("SELECT profile FROM accounts WHERE id = :a"), {"a": self.account_id}).first()
        if self.versions and (current is None or str(current[0]) != self.versions[-1].canonical):
            yield None, "the current seller profile is not the last recorded version"
