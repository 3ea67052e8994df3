"""The seller profile's versions: append-only, each one named by the ledger.

`accounts.profile` is the cursor "the current version" (what issuing reads); every version
the account ever had is a row of `seller_profiles` (canonical JSON of the SellerProfile and
its SHA-256), never updated or deleted (triggers, migration 0003). Version 1 is written by
`Database.create_account`; each later one by services.seller_profile under the chain lock,
with a "seller.updated" ledger event that hashes it (`seller_sha256`), in the same
transaction as the cursor moves. Every "document.issued" event records the SHA-256 of the
version in effect when its number was allocated (read here, under the chain lock), so
`verify` can tell which profile each document was issued with (storage/verify_seller.py).

The table has its own `MetaData`, created by migration 0003.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, func, select
from sqlalchemy.engine import Connection

from facturier.storage import tables

profiles_metadata = MetaData()

seller_profiles = Table(
    "seller_profiles",
    profiles_metadata,
    Column("account_id", String(36), primary_key=True),
    Column("version", BigInteger, primary_key=True),
    Column("profile", Text, nullable=False),  # canonical JSON of the SellerProfile
    Column("sha256", String(64), nullable=False),
    Column("ledger_seq", BigInteger, nullable=True),  # the "seller.updated" record; NULL for version 1
    Column("recorded_at", String(32), nullable=False),
)

UPDATED = "seller.updated"


@dataclass(frozen=True, slots=True)
class ProfileVersion:
    version: int
    sha256: str
    recorded_at: str
    ledger_seq: int | None = None


def profile_sha256(canonical: str | bytes) -> str:
    """SHA-256 of a profile's canonical JSON (as stored in `accounts.profile`)."""
    return hashlib.sha256(canonical.encode() if isinstance(canonical, str) else canonical).hexdigest()


class SellerProfiles:
    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id

    def add(self, version: int, canonical: str, recorded_at: str, ledger_seq: int | None) -> ProfileVersion:
        sha = profile_sha256(canonical)
        self.conn.execute(
            seller_profiles.insert().values(
                account_id=self.account_id,
                version=version,
                profile=canonical,
                sha256=sha,
                ledger_seq=ledger_seq,
                recorded_at=recorded_at,
            )
        )
        return ProfileVersion(version, sha, recorded_at, ledger_seq)

    def latest(self) -> ProfileVersion:
        p = seller_profiles
        last = select(func.max(p.c.version)).where(p.c.account_id == self.account_id).scalar_subquery()
        row = self.conn.execute(
            select(p.c.version, p.c.sha256, p.c.recorded_at, p.c.ledger_seq).where(
                p.c.account_id == self.account_id, p.c.version == last
            )
        ).one()
        return ProfileVersion(int(row.version), str(row.sha256), str(row.recorded_at), row.ledger_seq)

    def history(self) -> list[ProfileVersion]:
        p = seller_profiles
        rows = self.conn.execute(
            select(p.c.version, p.c.sha256, p.c.recorded_at, p.c.ledger_seq)
            .where(p.c.account_id == self.account_id)
            .order_by(p.c.version)
        )
        return [ProfileVersion(int(r.version), str(r.sha256), str(r.recorded_at), r.ledger_seq) for r in rows]

    def current_canonical(self) -> str:
        a = tables.accounts
        return str(self.conn.execute(select(a.c.profile).where(a.c.id == self.account_id)).scalar_one())

    def current_sha256(self) -> str:
        """SHA-256 of the profile in effect (`accounts.profile`); under the chain lock it cannot change."""
        return profile_sha256(self.current_canonical())

    def move_cursor(self, canonical: str) -> None:
        a = tables.accounts
        self.conn.execute(a.update().where(a.c.id == self.account_id).values(profile=canonical))
