"""`facturier verify`: recompute the chain and check every record against what it hashes.

For each ledger record of an account, in sequence order:
1. the sequence is contiguous from 1 (a missing or inserted record breaks it);
2. `prev_hash` equals the previous record's hash (GENESIS for the first);
3. `hash` equals SHA-256(prev_hash || payload);
4. the payload (a canonical `LedgerEvent`) names this account, this seq and this kind;
5. for a "document.issued" event: the document row exists, every column equals what the
   hashed event says (number, type, date, buyer, totals... the event carries a summary of
   the document), and the stored canonical JSON has the SHA-256 the event recorded;
6. every archived artefact listed by the event has its row and a file with that SHA-256.
Documents with no matching ledger record are reported too. Nothing here trusts the
`ledger_heads` cursor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from facturier.archive.store import FileBlobStore
from facturier.domain.chain import GENESIS
from facturier.domain.rounding import normalize_decimal
from facturier.storage import tables


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
    conn: Connection, account_id: str, blobs: FileBlobStore, check_files: bool = True, stats: VerifyStats | None = None
) -> Iterator[Problem]:
    stats = stats if stats is not None else VerifyStats()
    documents = _documents_by_seq(conn, account_id)
    artefacts = _artefacts_by_seq(conn, account_id)
    previous, expected_seq = GENESIS, 1
    for row in _ledger_rows(conn, account_id):
        stats.records += 1
        for what in _chain_problems(row, previous, expected_seq):
            yield Problem(account_id, int(row.seq), "", what)
        previous, expected_seq = row.hash, int(row.seq) + 1
        event = _event(row)
        if event is None:
            yield Problem(account_id, int(row.seq), "", "payload is not a canonical ledger event")
            continue
        for what in _event_problems(event, row, account_id):
            yield Problem(account_id, int(row.seq), event.get("number", ""), what)
        if event.get("kind") == "document.issued":
            stats.documents += 1
            doc_rows = documents.pop(int(row.seq), [])
            for what in _document_problems(event, doc_rows):
                yield Problem(account_id, int(row.seq), event.get("number", ""), what)
            files = artefacts.pop(int(row.seq), [])
            for what in _artefact_problems(event, files, blobs, check_files, stats):
                yield Problem(account_id, int(row.seq), event.get("number", ""), what)
    for seq, doc_rows in sorted(documents.items()):
        for doc_row in doc_rows:
            what = f"document row points to ledger record #{seq}, which does not record it"
            yield Problem(account_id, None, doc_row.number, what)


def _ledger_rows(conn: Connection, account_id: str) -> Iterator[Row[Any]]:
    ledger = tables.ledger
    query = select(ledger).where(ledger.c.account_id == account_id).order_by(ledger.c.seq)
    yield from conn.execution_options(stream_results=True, yield_per=5000).execute(query)


def _documents_by_seq(conn: Connection, account_id: str) -> dict[int, list[Row[Any]]]:
    d = tables.documents
    result: dict[int, list[Row[Any]]] = {}
    for r in conn.execute(select(d).where(d.c.account_id == account_id)):
        result.setdefault(int(r.ledger_seq), []).append(r)
    return result


def _artefacts_by_seq(conn: Connection, account_id: str) -> dict[int, list[Row[Any]]]:
    a = tables.artefacts
    result: dict[int, list[Row[Any]]] = {}
    for r in conn.execute(select(a).where(a.c.account_id == account_id)):
        result.setdefault(int(r.ledger_seq), []).append(r)
    return result


def _chain_problems(row: Row[Any], previous: str, expected_seq: int) -> Iterator[str]:
    if int(row.seq) != expected_seq:
        yield f"sequence jumps from #{expected_seq - 1} to #{row.seq}: a record is missing or was inserted"
    if row.prev_hash != previous:
        yield f"prev_hash {row.prev_hash[:12]}... does not match the previous record's hash {previous[:12]}..."
    payload = _as_bytes(row.payload)
    try:
        computed = hashlib.sha256(bytes.fromhex(row.prev_hash) + payload).hexdigest()
    except ValueError:
        computed = ""
    if computed != row.hash:
        yield "hash does not match SHA-256(prev_hash || payload): the record or its payload was altered"


def _as_bytes(value: Any) -> bytes:
    """Column bytes; a value whose storage type was changed (e.g. to TEXT) is still compared."""
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)


def _event(row: Row[Any]) -> dict[str, Any] | None:
    try:
        envelope = json.loads(_as_bytes(row.payload))
    except ValueError:
        return None
    if not isinstance(envelope, dict) or envelope.get("type") != "LedgerEvent" or envelope.get("v") != 1:
        return None
    data = envelope.get("data")
    return data if isinstance(data, dict) else None


def _event_problems(event: dict[str, Any], row: Row[Any], account_id: str) -> Iterator[str]:
    expected = {
        "account_id": account_id,
        "seq": int(row.seq),
        "kind": row.kind,
        "recorded_at": row.recorded_at,
        "document_id": row.document_id or "",
    }
    for key, value in expected.items():
        if event.get(key) != value:
            yield f"column {key} ({value!r}) differs from the hashed event ({event.get(key)!r})"


def _document_problems(event: dict[str, Any], rows: list[Row[Any]]) -> Iterator[str]:
    if len(rows) != 1:
        yield "the issued document row is missing" if not rows else f"{len(rows)} document rows claim this record"
        return
    row = rows[0]
    if hashlib.sha256(_as_bytes(row.canonical)).hexdigest() != event["document_sha256"]:
        yield "stored canonical JSON does not match the SHA-256 recorded in the ledger"
    for column, value in _document_columns(event).items():
        actual = getattr(row, column)
        if _normal(actual) != _normal(value):
            yield f"column {column} ({actual!s}) differs from the hashed event ({value!s})"


def _document_columns(event: dict[str, Any]) -> dict[str, Any]:
    summary = event.get("summary") or {}
    return {
        "id": event["document_id"],
        "number": event["number"],
        "document_type": event["document_type"],
        "issue_date": event["issue_date"],
        "sha256": event["document_sha256"],
        "ledger_seq": event["seq"],
        "series_key": summary.get("series_key"),
        "currency": summary.get("currency"),
        "buyer_name": summary.get("buyer_name"),
        "tax_inclusive": Decimal(summary.get("tax_inclusive", "NaN")),
        "payable": Decimal(summary.get("payable", "NaN")),
        "preceding_number": summary.get("preceding_number") or None,
        "order_reference": summary.get("order_reference") or None,
    }


def _normal(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(normalize_decimal(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return "" if value is None else str(value)


def _artefact_problems(
    event: dict[str, Any], rows: list[Row[Any]], blobs: FileBlobStore, check_files: bool, stats: VerifyStats
) -> Iterator[str]:
    recorded = {a["name"]: a for a in event.get("artefacts", [])}
    stored = {r.name: r for r in rows}
    for name in sorted(set(recorded) | set(stored)):
        ref, row = recorded.get(name), stored.get(name)
        if ref is None or row is None:
            yield f"artefact {name!r} is {'not recorded in the ledger' if ref is None else 'missing from the database'}"
            continue
        if (row.sha256, int(row.size), row.media_type) != (ref["sha256"], ref["size"], ref["media_type"]):
            yield f"artefact {name!r} row differs from the hashed event"
        if check_files:
            stats.files += 1
            yield from _file_problems(name, ref, blobs)


def _file_problems(name: str, ref: dict[str, Any], blobs: FileBlobStore) -> Iterator[str]:
    try:
        data = blobs.read_raw(ref["sha256"])
    except Exception as exc:  # missing file or unreadable path
        yield f"archived file {name!r} cannot be read: {exc}"
        return
    if hashlib.sha256(data).hexdigest() != ref["sha256"]:
        yield f"archived file {name!r} ({blobs.path(ref['sha256'])}) was altered: its SHA-256 no longer matches"
