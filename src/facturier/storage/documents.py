"""Issued documents and their archived artefacts (append-only)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Row

from facturier.archive.store import FileBlobStore
from facturier.domain.canonical import from_canonical
from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.domain.errors import IntegrityError, NotFound
from facturier.domain.events import ArtefactRef, DocumentSummary, LedgerEvent
from facturier.storage import tables

# The canonical JSON of a document is kept in its database row (`documents.canonical`), which
# commits with the ledger record that holds its SHA-256; the file archive keeps the rendered
# artefacts (PDF, XML). One file write less per invoice is most of the issuing cost.
IN_DATABASE = frozenset({"document.json"})


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    document: Document
    sha256: str
    source_id: str | None
    ledger_seq: int
    series_key: str
    artefacts: tuple[ArtefactRef, ...] = ()


@dataclass(frozen=True)
class DocumentFilter:
    """What `list` and `GET /v1/documents` filter on in the database (status is derived: services)."""

    document_type: DocumentType | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    buyer: str = ""  # part of the buyer's name, any case


class DocumentRepository:
    def __init__(self, conn: Connection, account_id: str, blobs: FileBlobStore) -> None:
        self.conn = conn
        self.account_id = account_id
        self.blobs = blobs
        self._documents: list[dict[str, Any]] = []
        self._artefacts: list[dict[str, Any]] = []

    # --- writing --------------------------------------------------------------------------

    def in_database(self, data: bytes, name: str, media_type: str) -> ArtefactRef:
        """An artefact whose bytes are the document row's `canonical` column (no file)."""
        assert name in IN_DATABASE
        return ArtefactRef(name=name, media_type=media_type, sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def stored_bytes(self, stored: StoredDocument, ref: ArtefactRef) -> bytes:
        """An artefact's bytes, checked against its SHA-256 (IntegrityError if altered or missing)."""
        if ref.name not in IN_DATABASE:
            return self.blobs.get(ref.sha256)
        d = tables.documents
        row = self.conn.execute(
            select(d.c.canonical).where(d.c.account_id == self.account_id, d.c.id == stored.id)
        ).one()
        data = bytes(row.canonical)
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            raise IntegrityError(f"the stored document {stored.document.number} does not match its SHA-256")
        return data

    def archive(self, data: bytes, name: str, media_type: str) -> ArtefactRef:
        """Store bytes content-addressed; the row is written with the document."""
        sha = self.blobs.put(data, durable=False)  # made durable by Transaction.flush
        return ArtefactRef(name=name, media_type=media_type, sha256=sha, size=len(data))

    def add(self, stored: StoredDocument, canonical: bytes, summary: DocumentSummary) -> None:
        """Buffer the row; its searchable columns come from the summary hashed in the ledger."""
        doc = stored.document
        self._documents.append(
            {
                "id": stored.id,
                "account_id": self.account_id,
                "number": doc.number,
                "series_key": summary.series_key,
                "document_type": doc.document_type.value,
                "issue_date": doc.issue_date,
                "currency": summary.currency,
                "buyer_name": summary.buyer_name,
                "tax_inclusive": summary.tax_inclusive,
                "payable": summary.payable,
                "source_id": stored.source_id,
                "preceding_number": summary.preceding_number or None,
                "order_reference": summary.order_reference or None,
                "canonical": canonical,
                "sha256": stored.sha256,
                "ledger_seq": stored.ledger_seq,
            }
        )
        self.add_artefacts(stored.id, stored.artefacts, stored.ledger_seq)

    def add_artefacts(self, document_id: str, refs: tuple[ArtefactRef, ...], ledger_seq: int) -> None:
        """Buffer artefact rows for the ledger record `ledger_seq` that lists them (issue or derived copy)."""
        self._artefacts.extend(
            {
                "account_id": self.account_id,
                "document_id": document_id,
                "name": ref.name,
                "media_type": ref.media_type,
                "sha256": ref.sha256,
                "size": ref.size,
                "ledger_seq": ledger_seq,
            }
            for ref in refs
        )

    def flush(self) -> None:
        if self._documents:
            self.conn.execute(tables.documents.insert(), self._documents)
            self._documents = []
        if self._artefacts:
            self.conn.execute(tables.artefacts.insert(), self._artefacts)
            self._artefacts = []

    # --- reading --------------------------------------------------------------------------

    def get(self, number: str) -> StoredDocument:
        found = self._one(tables.documents.c.number == number)
        if found is None:
            raise NotFound(f"no document numbered {number!r}")
        return found

    def find_by_source(self, source_id: str) -> StoredDocument | None:
        return self._one(tables.documents.c.source_id == source_id)

    def referring_to(self, number: str, document_type: DocumentType) -> list[StoredDocument]:
        """Documents of `document_type` whose first preceding reference (BT-25) is `number`."""
        d = tables.documents
        return self._many(d.c.preceding_number == number, d.c.document_type == document_type.value)

    def for_order(self, order_reference: str, document_type: DocumentType) -> list[StoredDocument]:
        d = tables.documents
        return self._many(d.c.order_reference == order_reference, d.c.document_type == document_type.value)

    def events_for(self, stored: StoredDocument, kind: str) -> list[LedgerEvent]:
        """The ledger events of `kind` that added artefacts to `stored` after its issue (e.g. paid copies).

        Found through the artefact rows (indexed by document), never by scanning the ledger.
        """
        self.flush()
        a, ledger = tables.artefacts, tables.ledger
        seqs = select(a.c.ledger_seq).where(
            a.c.account_id == self.account_id, a.c.document_id == stored.id, a.c.ledger_seq != stored.ledger_seq
        )
        rows = self.conn.execute(
            select(ledger.c.payload)
            .where(ledger.c.account_id == self.account_id, ledger.c.seq.in_(seqs), ledger.c.kind == kind)
            .order_by(ledger.c.seq)
        )
        return [from_canonical(LedgerEvent, bytes(row.payload)) for row in rows]

    def summaries(self, document_type: DocumentType | None = None, limit: int = 100, offset: int = 0) -> list[Row[Any]]:
        query = self._summary_query(DocumentFilter(document_type=document_type))
        return list(self.conn.execute(query.order_by(tables.documents.c.ledger_seq).limit(limit).offset(offset)))

    def page(self, where: DocumentFilter, after_seq: int, limit: int) -> list[Row[Any]]:
        """Summary rows after the ledger position `after_seq` (a cursor that never skips nor
        repeats a row while documents are issued), oldest first."""
        d = tables.documents
        query = self._summary_query(where).where(d.c.ledger_seq > after_seq)
        return list(self.conn.execute(query.order_by(d.c.ledger_seq).limit(limit)))

    def _summary_query(self, where: DocumentFilter) -> Any:
        self.flush()
        d = tables.documents
        query = select(
            d.c.id,
            d.c.number,
            d.c.document_type,
            d.c.issue_date,
            d.c.buyer_name,
            d.c.currency,
            d.c.tax_inclusive,
            d.c.payable,
            d.c.preceding_number,
            d.c.source_id,
            d.c.ledger_seq,
        ).where(d.c.account_id == self.account_id)
        if where.document_type is not None:
            query = query.where(d.c.document_type == where.document_type.value)
        if where.issued_from is not None:
            query = query.where(d.c.issue_date >= where.issued_from)
        if where.issued_to is not None:
            query = query.where(d.c.issue_date <= where.issued_to)
        if where.buyer:
            query = query.where(func.lower(d.c.buyer_name).contains(where.buyer.lower(), autoescape=True))
        return query

    def count(self) -> int:
        self.flush()
        d = tables.documents
        return int(self.conn.execute(select(func.count()).where(d.c.account_id == self.account_id)).scalar_one())

    def _one(self, *where: Any) -> StoredDocument | None:
        found = self._many(*where)
        return found[0] if found else None

    def _many(self, *where: Any) -> list[StoredDocument]:
        self.flush()
        d = tables.documents
        rows = self.conn.execute(select(d).where(d.c.account_id == self.account_id, *where).order_by(d.c.ledger_seq))
        return [self._load(row) for row in rows]

    def _load(self, row: Row[Any]) -> StoredDocument:
        a = tables.artefacts
        refs = self.conn.execute(
            select(a).where(a.c.account_id == self.account_id, a.c.document_id == row.id).order_by(a.c.name)
        )
        return StoredDocument(
            id=row.id,
            document=from_canonical(Document, bytes(row.canonical)),
            sha256=row.sha256,
            source_id=row.source_id,
            ledger_seq=int(row.ledger_seq),
            series_key=row.series_key,
            artefacts=tuple(ArtefactRef(r.name, r.media_type, r.sha256, int(r.size)) for r in refs),
        )
