"""`facturier verify`: recompute the chain and check every record against what it hashes.

Two streaming passes per seller account, so memory stays flat at any ledger size:

Chain pass, over the ledger rows in sequence order:
1. the sequence is contiguous from 1 (a missing or inserted record breaks it);
2. `prev_hash` equals the previous record's hash (GENESIS for the first);
3. `hash` equals SHA-256(prev_hash || payload);
4. the chain head cursor (`ledger_heads`) points at the last record.

Records pass, over the ledger joined with documents and artefacts:
5. the payload is a canonical `LedgerEvent` naming this account, seq, kind, time and
   document (the plain ledger columns must agree with it);
6. for "document.issued": exactly one document row claims the record, every column equals
   the hashed event (the event carries a summary of the document), and the stored
   canonical JSON has the SHA-256 the event recorded;
7. for a derived artefact ("document.paid_copy", the "facture acquittée"): the document it
   derives from exists, with the number and canonical SHA-256 the event recorded;
8. for "seller.updated" and "document.issued": the seller profile versions
   (storage/verify_seller.py: each stored version is the hashed one, each document names the
   version in effect, the current profile is the last version);
9. for every event: each artefact it lists (canonical JSON, PDF, CII, UBL, paid copy) has
   its row, for the event's document, and (unless skipped) a file whose bytes hash to the
   recorded SHA-256; an artefact row the event does not list is reported too.
Finally, document rows that no "document.issued" record accounts for are reported.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from facturier.archive.store import FileBlobStore
from facturier.domain.chain import GENESIS
from facturier.storage.documents import IN_DATABASE
from facturier.storage.tax_facts import TaxFact
from facturier.storage.tax_facts import digest as facts_digest
from facturier.storage.verify_seller import SellerVersions

BATCH = 10_000
_decode_json = json.JSONDecoder().decode


@dataclass(frozen=True, slots=True)
class Problem:
    account_id: str
    seq: int | None
    number: str
    what: str

    def __str__(self) -> str:
        where = f"ledger record #{self.seq}" if self.seq is not None else "document"
        label = f" (document {self.number})" if self.number else ""
        return f"{where}{label}: {self.what}"


@dataclass(slots=True)
class VerifyStats:
    records: int = 0
    documents: int = 0
    files: int = 0


def verify_account(
    conn: Connection,
    account_id: str,
    blobs: FileBlobStore,
    check_files: bool = True,
    stats: VerifyStats | None = None,
    span: Span | None = None,
    chain_only: bool = False,
) -> Iterator[Problem]:
    """Every check on the records of `span` (the whole ledger by default)."""
    stats = stats if stats is not None else VerifyStats()
    if conn.dialect.name == "postgresql":
        # verify reads every row: plan the streaming cursors for total time, not first rows
        conn.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    yield from verify_chain(conn, account_id, stats, span)
    if not chain_only:
        yield from verify_records(conn, account_id, blobs, check_files, stats, span)


# --- chain pass ------------------------------------------------------------------------------


def _stream(conn: Connection, sql: str, **params: Any) -> Iterator[tuple[Any, ...]]:
    """Rows as plain tuples straight from the driver (server-side cursor on PostgreSQL).

    Verification reads every row of the ledger: going around SQLAlchemy's result layer
    saves several microseconds a row. Parameters are written `:name` in `sql`.
    """
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        cursor = dbapi.cursor(name=f"verify_{next(_CURSORS)}")
        cursor.itersize = BATCH
        cursor.execute(re.sub(r":(\w+)", r"%(\1)s", sql), params)
        try:
            yield from cursor
        finally:
            cursor.close()
        return
    cursor = dbapi.cursor()
    cursor.arraysize = BATCH
    cursor.execute(sql, params)
    try:
        while rows := cursor.fetchmany():
            yield from rows
    finally:
        cursor.close()


_CURSORS = itertools.count()


def verify_chain(conn: Connection, account_id: str, stats: VerifyStats, span: Span | None = None) -> Iterator[Problem]:
    """Links and hashes of the records in `span` (all by default); the head check at the end."""
    span = span or Span()
    previous, expected = _hash_before(conn, account_id, span.first), span.first
    sha256, fromhex = hashlib.sha256, bytes.fromhex
    query = "SELECT seq, prev_hash, hash, payload FROM ledger WHERE account_id = :a AND seq >= :lo AND seq <= :hi"
    for seq, prev_hash, digest, payload in _stream(
        conn, query + " ORDER BY seq", a=account_id, lo=span.first, hi=span.last
    ):
        stats.records += 1
        if seq != expected:
            yield Problem(
                account_id,
                seq,
                "",
                f"sequence jumps from #{expected - 1} to #{seq}: a record is missing or was inserted",
            )
        if prev_hash != previous:
            yield Problem(
                account_id, seq, "", f"prev_hash {prev_hash[:12]}... does not match the previous record's hash"
            )
        if _chain_hash(sha256, fromhex, prev_hash, _as_bytes(payload)) != digest:
            yield Problem(
                account_id, seq, "", "hash does not match SHA-256(prev_hash || payload): the record was altered"
            )
        previous, expected = digest, seq + 1
    if span.includes_end:
        yield from _head(conn, account_id, expected - 1, previous)


@dataclass(frozen=True, slots=True)
class Span:
    """A range of ledger sequence numbers verified by one worker."""

    first: int = 1
    last: int = 2**62
    includes_end: bool = True  # the last span checks the chain head and the orphan documents


def _hash_before(conn: Connection, account_id: str, seq: int) -> str:
    if seq <= 1:
        return GENESIS
    row = conn.execute(
        text("SELECT hash FROM ledger WHERE account_id = :a AND seq = :s"), {"a": account_id, "s": seq - 1}
    ).first()
    return str(row.hash) if row is not None else GENESIS


def record_hash(conn: Connection, account_id: str, seq: int) -> str:
    """The stored hash of record `seq` ("" when there is no such record)."""
    row = conn.execute(
        text("SELECT hash FROM ledger WHERE account_id = :a AND seq = :s"), {"a": account_id, "s": seq}
    ).first()
    return str(row.hash) if row is not None else ""


def last_seq(conn: Connection, account_id: str) -> int:
    row = conn.execute(text("SELECT MAX(seq) FROM ledger WHERE account_id = :a"), {"a": account_id}).first()
    return int(row[0]) if row is not None and row[0] is not None else 0


def _chain_hash(sha256: Any, fromhex: Any, prev_hash: str, payload: bytes) -> str:
    try:
        return str(sha256(fromhex(prev_hash) + payload).hexdigest())
    except ValueError:  # prev_hash is not hex
        return ""


def _head(conn: Connection, account_id: str, last_seq: int, last_hash: str) -> Iterator[Problem]:
    row = conn.execute(
        text("SELECT last_seq, last_hash FROM ledger_heads WHERE account_id = :a"), {"a": account_id}
    ).first()
    if row is not None and int(row.last_seq) > last_seq:
        missing = f"#{last_seq + 1}" + (f" to #{int(row.last_seq)}" if int(row.last_seq) > last_seq + 1 else "")
        yield Problem(
            account_id,
            last_seq + 1,
            "",
            f"record {missing} is missing: the chain head says the ledger holds {int(row.last_seq)} records, "
            f"the last one found is #{last_seq}",
        )
        return
    if row is None or (int(row.last_seq), row.last_hash) != (last_seq, last_hash):
        yield Problem(
            account_id,
            last_seq or None,
            "",
            "the chain head does not point at the last record: records were removed or added",
        )


def _as_bytes(value: Any) -> bytes:
    """Column bytes; a value whose storage type was changed (e.g. to TEXT) is still compared."""
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)


# --- records pass ----------------------------------------------------------------------------

_RECORDS = """
SELECT l.seq, l.kind, l.recorded_at, l.document_id, l.payload,
       d.id, d.number, d.document_type, CAST(d.issue_date AS TEXT), d.sha256, d.series_key, d.currency,
       d.buyer_name, CAST(d.tax_inclusive AS TEXT), CAST(d.payable AS TEXT), d.preceding_number,
       d.order_reference, d.canonical, p.number, p.sha256, d.source_id,
       pay.id, pay.kind, CAST(pay.amount AS TEXT), pay.currency, CAST(pay.paid_on AS TEXT), pay.method,
       pay.reference, pay.payer, pay.source, pay.document_id
FROM ledger l LEFT JOIN documents d ON d.account_id = l.account_id AND d.ledger_seq = l.seq
LEFT JOIN documents p ON p.account_id = l.account_id AND p.id = l.document_id AND l.kind <> 'document.issued'
LEFT JOIN payments pay ON pay.account_id = l.account_id AND pay.ledger_seq = l.seq
WHERE l.account_id = :a AND l.seq >= :lo AND l.seq <= :hi ORDER BY l.seq
"""
_ARTEFACTS = """
SELECT ledger_seq, name, media_type, sha256, size, document_id FROM artefacts
WHERE account_id = :a AND ledger_seq >= :lo AND ledger_seq <= :hi ORDER BY ledger_seq, name
"""
_FACTS = """
SELECT d.ledger_seq, t.source_id, t.document_type, CAST(t.issue_date AS TEXT), t.currency, t.category, t.rate,
       t.vat_country, t.vat_territory, t.scheme, CAST(t.taxable AS TEXT), CAST(t.vat AS TEXT), t.eur_rate,
       CAST(t.taxable_eur AS TEXT), CAST(t.vat_eur AS TEXT), CAST(t.distance_eur AS TEXT)
FROM tax_facts t JOIN documents d ON d.account_id = t.account_id AND d.source_id = t.source_id
WHERE t.account_id = :a AND d.ledger_seq >= :lo AND d.ledger_seq <= :hi ORDER BY d.ledger_seq
"""
_STRAY_FACTS = """
SELECT DISTINCT t.source_id FROM tax_facts t
LEFT JOIN documents d ON d.account_id = t.account_id AND d.source_id = t.source_id
WHERE t.account_id = :a AND d.id IS NULL ORDER BY t.source_id
"""
_STRAY_PAYMENTS = """
SELECT pay.number, pay.ledger_seq FROM payments pay
LEFT JOIN ledger l ON l.account_id = pay.account_id AND l.seq = pay.ledger_seq AND l.kind = 'payment.recorded'
WHERE pay.account_id = :a AND l.seq IS NULL ORDER BY pay.ledger_seq
"""
_ORPHANS = """
SELECT d.number, d.ledger_seq FROM documents d
LEFT JOIN ledger l ON l.account_id = d.account_id AND l.seq = d.ledger_seq AND l.kind = 'document.issued'
WHERE d.account_id = :a AND l.seq IS NULL ORDER BY d.ledger_seq
"""


def verify_records(
    conn: Connection,
    account_id: str,
    blobs: FileBlobStore,
    check_files: bool,
    stats: VerifyStats,
    span: Span | None = None,
) -> Iterator[Problem]:
    span = span or Span()
    bounds = {"a": account_id, "lo": span.first, "hi": span.last}
    artefacts = _Aligned(_grouped(_stream(conn, _ARTEFACTS, **bounds)))
    facts = _Aligned(_grouped(_stream(conn, _FACTS, **bounds)))
    last_seen = None
    seller = SellerVersions(conn, account_id, span.first)
    for row in _stream(conn, _RECORDS, **bounds):
        seq = row[0]
        if seq == last_seen:
            yield Problem(account_id, seq, row[6] or "", "several document rows claim this record")
            continue
        last_seen = seq
        for what in _record_problems(row, account_id, artefacts.at(seq), blobs, check_files, stats):
            yield Problem(account_id, seq, _number(row), what)
        event = _event(row[4])
        for what in _facts_problems(event, facts.at(seq)):
            yield Problem(account_id, seq, _number(row), what)
        for what in seller.record_problems(seq, event):
            yield Problem(account_id, seq, _number(row), what)
    if span.includes_end:
        for at, what in seller.final_problems():
            yield Problem(account_id, at, "", what)
        yield from _strays(conn, account_id)


def _strays(conn: Connection, account_id: str) -> Iterator[Problem]:
    """Rows that no ledger record accounts for: payments, VAT facts, documents."""
    for number, seq in conn.execute(text(_STRAY_PAYMENTS), {"a": account_id}):
        what = f"payment row points to ledger record #{seq}, which does not record it"
        yield Problem(account_id, None, number, what)
    for (source_id,) in conn.execute(text(_STRAY_FACTS), {"a": account_id}):
        what = f"VAT facts recorded for {source_id!r}, which no issued document has as its source"
        yield Problem(account_id, None, "", what)
    for number, seq in conn.execute(text(_ORPHANS), {"a": account_id}):
        what = f"document row points to ledger record #{seq}, which does not record it"
        yield Problem(account_id, None, number, what)


class _Aligned:
    """Rows grouped by ledger seq, consumed in step with the records pass."""

    def __init__(self, groups: Iterator[tuple[int, list[tuple[Any, ...]]]]) -> None:
        self.groups = groups
        self.pending = next(groups, None)

    def at(self, seq: int) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = []
        while self.pending is not None and self.pending[0] <= seq:
            if self.pending[0] == seq:
                found = self.pending[1]
            self.pending = next(self.groups, None)
        return found


def _facts_problems(event: dict[str, Any] | None, rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """The VAT facts of a document (read back by the threshold and the OSS return) are the hashed ones."""
    if event is None or event.get("kind") != "document.issued":
        return
    recorded = event.get("tax_facts_sha256") or ""
    if not rows and not recorded:
        return
    if not rows:
        yield "its VAT facts are missing (the hashed event records them)"
        return
    if facts_digest([_fact(r) for r in rows]) != recorded:
        yield "its VAT facts differ from those hashed in the ledger (threshold and OSS figures would be wrong)"


def _fact(r: tuple[Any, ...]) -> TaxFact:
    try:
        return TaxFact(
            source_id=r[1],
            number="",
            document_type=r[2],
            issue_date=date.fromisoformat(str(r[3])[:10]),
            currency=r[4],
            category=r[5],
            rate=Decimal(r[6]),
            vat_country=r[7],
            vat_territory=r[8],
            scheme=r[9],
            taxable=Decimal(r[10]),
            vat=Decimal(r[11]),
            eur_rate=Decimal(r[12]),
            taxable_eur=Decimal(r[13]),
            vat_eur=Decimal(r[14]),
            distance_eur=Decimal(r[15]),
        )
    except (InvalidOperation, ValueError, TypeError):
        return TaxFact("", "", "", date.min, "", "", Decimal(0), "", None, "", *(Decimal(0),) * 6)


def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    current, group = None, []
    for row in rows:
        if row[0] != current and group:
            yield current, group  # type: ignore[misc]
            group = []
        current = row[0]
        group.append(row)
    if group:
        yield current, group  # type: ignore[misc]


def _number(row: tuple[Any, ...]) -> str:
    return str(row[6] or row[18] or "")


def _record_problems(
    row: tuple[Any, ...],
    account_id: str,
    files: list[tuple[Any, ...]],
    blobs: FileBlobStore,
    check_files: bool,
    stats: VerifyStats,
) -> Iterator[str]:
    event = _event(row[4])
    if event is None:
        yield "payload is not a canonical ledger event"
        return
    columns = (account_id, row[0], row[1], row[2], row[3] or "")
    if tuple(event.get(key) for key in _LEDGER_KEYS) != columns:
        for key, value in zip(_LEDGER_KEYS, columns, strict=True):
            if event.get(key) != value:
                yield f"column {key} ({value!r}) differs from the hashed event ({event.get(key)!r})"
    kind = event.get("kind")
    if kind == "document.issued":
        stats.documents += 1
        yield from _document_problems(event, row)
    elif kind in DERIVED_KINDS:
        yield from _derived_problems(event, row)
    if kind == PAYMENT:
        yield from _payment_problems(event, row)
    yield from _artefact_problems(event, files, blobs, check_files, stats)


PAYMENT = "payment.recorded"
DERIVED_KINDS = frozenset({"document.paid_copy", PAYMENT})
_PAYMENT_KEYS = ("payment_id", "kind", "amount", "currency", "paid_on", "method", "reference", "payer", "source")


def _payment_problems(event: dict[str, Any], row: tuple[Any, ...]) -> Iterator[str]:
    """A payment row says what its hashed event says (amounts compared as numbers)."""
    if row[21] is None:
        yield "the payment row this record hashes is missing"
        return
    stated = dict(event.get("details") or [])
    actual = (*row[21:24], row[24], str(row[25])[:10], *row[26:30])
    for key, value in zip(_PAYMENT_KEYS, actual, strict=True):
        if not _same(stated.get(key), value, "payable" if key == "amount" else key):
            yield f"payment column {key} ({value}) differs from the hashed event ({stated.get(key)})"
    if row[30] != event.get("document_id"):
        yield "the payment row names another document than the hashed event"
_LEDGER_KEYS = ("account_id", "seq", "kind", "recorded_at", "document_id")


def _derived_problems(event: dict[str, Any], row: tuple[Any, ...]) -> Iterator[str]:
    """A derived artefact names an issued document: it must exist, as the event recorded it."""
    if row[18] is None:
        yield f"the document this {event.get('kind')} derives from ({event.get('document_id')!r}) is missing"
        return
    if row[18] != event.get("number"):
        yield f"the document it derives from is numbered {row[18]}, the hashed event says {event.get('number')}"
    if row[19] != event.get("document_sha256"):
        yield "the document it derives from has another SHA-256 than the hashed event recorded"


def _event(payload: Any) -> dict[str, Any] | None:
    try:
        envelope = _decode_json(payload if isinstance(payload, str) else bytes(payload).decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(envelope, dict) or envelope.get("type") != "LedgerEvent" or envelope.get("v") != 1:
        return None
    data = envelope.get("data")
    return data if isinstance(data, dict) else None


_DOCUMENT_COLUMNS = (
    "id",
    "number",
    "document_type",
    "issue_date",
    "sha256",
    "series_key",
    "currency",
    "buyer_name",
    "tax_inclusive",
    "payable",
    "preceding_number",
    "order_reference",
    "source_id",
)


def _document_problems(event: dict[str, Any], row: tuple[Any, ...]) -> Iterator[str]:
    if row[5] is None:
        yield "the issued document row is missing"
        return
    summary = event.get("summary") or {}
    expected = (
        event.get("document_id"),
        event.get("number"),
        event.get("document_type"),
        event.get("issue_date"),
        event.get("document_sha256"),
        summary.get("series_key"),
        summary.get("currency"),
        summary.get("buyer_name"),
        summary.get("tax_inclusive"),
        summary.get("payable"),
        summary.get("preceding_number") or None,
        summary.get("order_reference") or None,
        summary.get("source_id") or None,
    )
    actual_columns = (*row[5:17], row[20])
    if expected != actual_columns:  # exact strings first; amounts may differ only in trailing zeros
        for column, stated, actual in zip(_DOCUMENT_COLUMNS, expected, actual_columns, strict=True):
            if not _same(stated, actual, column):
                yield f"column {column} ({actual}) differs from the hashed event ({stated})"
    if hashlib.sha256(_as_bytes(row[17])).hexdigest() != event.get("document_sha256"):
        yield "stored canonical JSON does not match the SHA-256 recorded in the ledger"


def _same(stated: Any, actual: Any, column: str) -> bool:
    if column in ("tax_inclusive", "payable"):
        try:
            return Decimal(str(stated)) == Decimal(str(actual))
        except InvalidOperation:
            return False
    return bool(stated == actual)


def _artefact_problems(
    event: dict[str, Any], rows: list[tuple[Any, ...]], blobs: FileBlobStore, check_files: bool, stats: VerifyStats
) -> Iterator[str]:
    recorded = {a.get("name"): a for a in event.get("artefacts", [])}
    stored = {r[1]: r for r in rows}
    for name in sorted(set(recorded) | set(stored), key=str):
        ref, row = recorded.get(name), stored.get(name)
        if ref is None or row is None:
            yield f"artefact {name!r} is {'not recorded in the ledger' if ref is None else 'missing from the database'}"
            continue
        stated = (ref.get("media_type"), ref.get("sha256"), ref.get("size"), event.get("document_id"))
        if (row[2], row[3], int(row[4]), row[5]) != stated:
            yield f"artefact {name!r} row differs from the hashed event"
        if check_files and name not in IN_DATABASE:  # the canonical JSON is checked with its row
            stats.files += 1
            yield from _file_problems(name, str(ref.get("sha256")), blobs)


def _file_problems(name: str, sha: str, blobs: FileBlobStore) -> Iterator[str]:
    try:
        data = blobs.read_raw(sha)
    except Exception as exc:  # missing file or unreadable path
        yield f"archived file {name!r} cannot be read: {exc}"
        return
    if hashlib.sha256(data).hexdigest() != sha:
        yield f"archived file {name!r} ({blobs.path(sha)}) was altered: its SHA-256 no longer matches"
