"""The steps of issuing one document: check a draft, then number, chain and store it.

Validate before you number (ARCHITECTURE.md): a draft is checked with a placeholder number
of the same shape; only a document that passes every rule gets a number. services.issuing
composes these steps into the one issuing path (prepare outside the lock, `store` under it).

The e-invoice check and the files are two injectable steps (`IssueSteps`, built by
bootstrap from the settings; see services/artefacts.py):
- `check` runs on the draft with its placeholder number, after the domain rules: the CII
  and UBL forms through the XSD, the official schematrons and our exact checks, and the
  shipped fonts' coverage of every text. A fatal violation refuses the draft.
- `render` makes the numbered document's files: the PDF (Factur-X PDF/A-3 for fiscal
  documents) and the XML files, archived content-addressed; their SHA-256 go into the
  `document.issued` ledger event next to the canonical JSON's.
`DEFAULT_STEPS` (both on, Factur-X EN 16931) is what services and the CLI use; `BARE`
(neither) is for measuring the storage path alone (bench/bench_issue.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from facturier.archive.store import FileBlobStore
from facturier.domain.canonical import canonical_bytes
from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, Status
from facturier.domain.errors import InvalidInput, Violation
from facturier.domain.events import ArtefactRef, DocumentSummary, LedgerEvent
from facturier.domain.seller import SellerProfile
from facturier.domain.validation import validate
from facturier.rendering import Theme
from facturier.rendering.coverage import uncovered_text
from facturier.services.artefacts import ArtefactFile, DocumentFiles, EInvoiceCheck, theme_for
from facturier.services.tax_decisions import TaxContext
from facturier.services.tax_history import Treatments
from facturier.storage.database import Transaction
from facturier.storage.documents import StoredDocument
from facturier.storage.numbering import series_key
from facturier.storage.tax_facts import TaxFact
from facturier.tax import VatCheckResult
from facturier.tax.vies import VatIdChecker

Clock = Callable[[], datetime]
T = TypeVar("T")
# The draft as it would be issued, and the seller's Factur-X profile ("" = the step's) -> fatal violations
Check = Callable[[Document, str], Sequence[Violation]]
# The numbered document, the seller's theme and Factur-X profile -> files to archive
Render = Callable[[Document, Theme, str], Sequence[ArtefactFile]]
REQUEST_JSON = "request.json"  # the request (order) a document was issued from, archived with it


@dataclass(frozen=True, slots=True)
class IssueSteps:
    check: Check | None = None
    render: Render | None = None


DEFAULT_STEPS = IssueSteps(check=EInvoiceCheck(), render=DocumentFiles())
BARE = IssueSteps()


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft and what issuing records about its VAT (None: not a taxed document kind)."""

    document: Document
    treatments: Treatments | None = None
    deducted: tuple[TaxFact, ...] = ()


Build = Callable[[Transaction, SellerProfile, date, TaxContext], Draft]
Prefetch = Callable[[SellerProfile, VatIdChecker | None], VatCheckResult | None]


@dataclass(frozen=True, slots=True)
class Submission:
    """Something to issue: how to build its draft, and the key that makes issuing it idempotent.

    `build` only reads: services.issuing calls it before the lock and again under it.
    """

    build: Build
    source_id: str | None = None  # the same key is issued once; None: every call issues
    request: bytes = b""  # canonical bytes of the request, compared on a replay, archived as request.json
    issue_date: date | None = None  # an explicit (back-dated) issue date; default: the seller's today
    label: str = ""  # where it came from (a file name, a number), prefixed to error paths
    prefetch: Prefetch | None = None  # the online checks to run before the lock (VIES)


def draft_submission(document: Document, source_id: str | None = None, label: str = "") -> Submission:
    """A draft built by the caller (the Python API, tests, bench/), issued on its own issue date."""
    return Submission(
        build=lambda _tx, _profile, _day, _context: Draft(document),
        source_id=source_id,
        request=canonical_bytes(document) if source_id else b"",
        issue_date=document.issue_date,
        label=label,
    )


@dataclass(frozen=True, slots=True)
class Issued:
    stored: StoredDocument
    created: bool  # False when the source (order id) had already been issued: idempotent replay
    label: str = ""

    @property
    def document(self) -> Document:
        return self.stored.document


def violations_of_draft(
    draft: Document, placeholder: str, profile: SellerProfile, steps: IssueSteps
) -> tuple[Violation, ...]:
    """Every rule, on the draft as it would be issued (placeholder number, issued status).

    The domain rules first; the e-invoice check (slower) only on a draft that passes them,
    so one problem is not reported twice. Pure CPU: runs outside any transaction.
    """
    as_issued = replace(draft, number=placeholder, status=Status.ISSUED)
    violations = validate(as_issued)
    if not violations and steps.check is not None:  # the e-invoice check includes the glyph check
        violations = tuple(steps.check(as_issued, profile.facturx_profile))
    elif not violations and steps.render is not None:  # e-invoice check off: the PDF must still print
        violations = uncovered_text(as_issued)
    return tuple(violations)


def check_draft(draft: Document, placeholder: str, profile: SellerProfile, steps: IssueSteps) -> None:
    violations = violations_of_draft(draft, placeholder, profile, steps)
    if violations:
        raise InvalidInput(violations)


def render_files(
    document: Document, profile: SellerProfile, blobs: FileBlobStore, render: Render
) -> tuple[ArtefactFile, ...]:
    """The numbered document's files, in the seller's branding (its logo read from `blobs`) and Factur-X profile."""
    return tuple(render(document, theme_for(profile.branding, blobs), profile.facturx_profile))


@dataclass(frozen=True, slots=True)
class Record:
    """What the `document.issued` event records besides the document and its files."""

    source_id: str | None = None  # the idempotency key (e.g. "order:invoice:A-1")
    request: bytes = b""  # the request's canonical bytes, archived as request.json
    tax_facts_sha256: str = ""  # digest of the VAT facts written with the document


def store(
    tx: Transaction, document: Document, files: Sequence[ArtefactFile], record: Record, clock: Clock
) -> StoredDocument:
    """Archive the files, chain the `document.issued` event and buffer the document row (under the lock)."""
    canonical = canonical_bytes(document)
    ref = tx.documents.in_database(canonical, "document.json", "application/json")
    archived: list[ArtefactRef] = [ref]
    if record.request:
        archived.append(tx.documents.archive(record.request, REQUEST_JSON, "application/json"))
    archived.extend(tx.documents.archive(f.data, f.name, f.media_type) for f in files)
    artefacts = tuple(archived)
    document_id = str(uuid.uuid4())
    summary = summarize(document, record.source_id)
    event = tx.ledger.append(
        LedgerEvent(
            account_id=tx.account_id,
            seq=0,
            kind="document.issued",
            recorded_at=clock().isoformat(timespec="microseconds"),
            document_id=document_id,
            number=document.number,
            document_type=document.document_type.value,
            issue_date=document.issue_date,
            document_sha256=ref.sha256,
            artefacts=artefacts,
            summary=summary,
            tax_facts_sha256=record.tax_facts_sha256,
            # the seller profile version in effect, read under the chain lock (services/seller_profile.py)
            seller_sha256=tx.seller_profiles.current_sha256(),
        )
    )
    stored = StoredDocument(
        id=document_id,
        document=document,
        sha256=ref.sha256,
        source_id=record.source_id,
        ledger_seq=event.seq,
        series_key=summary.series_key,
        artefacts=artefacts,
    )
    tx.documents.add(stored, canonical, summary)
    announce_issued(tx, stored, clock())
    return stored


def order_id_of(source_id: str | None) -> str:
    """The shop's order id in a document's source key (`order:invoice:B2B-1001` -> `B2B-1001`,
    services.drafting.order_key), "" for documents not made from an order (credit, convert)."""
    prefix, _, rest = (source_id or "").partition(":")
    return rest.partition(":")[2] if prefix == "order" else ""


def announce_issued(tx: Transaction, stored: StoredDocument, now: datetime) -> None:
    """The webhook events of an issued document, written with it (outbox): document.issued,
    and credit_note.issued for a credit note."""
    document = stored.document
    data = {
        "id": stored.id,
        "number": document.number,
        "document_type": document.document_type.value,
        "kind": document.document_type.name.lower(),
        "issue_date": document.issue_date.isoformat(),
        "currency": document.currency,
        "tax_inclusive": str(document.totals.tax_inclusive),
        "payable": str(document.totals.payable),
        "buyer_name": document.buyer.name,
        "order_id": order_id_of(stored.source_id),
        "preceding_number": document.preceding[0].number if document.preceding else "",
    }
    tx.outbox.event("document.issued", data, now)
    if document.document_type is DocumentType.CREDIT_NOTE:
        tx.outbox.event("credit_note.issued", data, now)


def summarize(document: Document, source_id: str | None = None) -> DocumentSummary:
    return DocumentSummary(
        series_key=series_key(document.document_type),
        currency=document.currency,
        buyer_name=document.buyer.name[:200],
        tax_inclusive=document.totals.tax_inclusive,
        payable=document.totals.payable,
        preceding_number=document.preceding[0].number if document.preceding else "",
        order_reference=document.order_reference,
        source_id=source_id or "",
    )


def with_label(label: str, action: Callable[[], T]) -> T:
    """Run `action`; prefix the paths of any violation with `label` (e.g. the order file)."""
    try:
        return action()
    except InvalidInput as exc:
        if not label:
            raise
        raise type(exc)(Violation(v.rule_id, f"{label}: {v.path}", v.message) for v in exc.violations) from None
