"""Issue documents: validate, then number, chain and store, all in one transaction.

Validate before you number (ARCHITECTURE.md): a draft is checked with a placeholder
number of the same shape; only a document that passes every rule gets a number. Any
failure inside the transaction (a violation in a later document of the batch, a crash, a
database error) rolls everything back, numbers included: no gap, nothing half-written.

The e-invoice check and the files are two injectable steps (`IssueSteps`, built by
bootstrap from the settings; see services/artefacts.py):
- `check` runs on the draft with its placeholder number, after the domain rules: the CII
  and UBL forms through the XSD, the official schematrons and our exact checks. A fatal
  violation raises `InvalidInput` before a number is taken.
- `render` runs after numbering, in the same transaction: the PDF (Factur-X PDF/A-3 for
  fiscal documents) and the XML files, archived content-addressed; their SHA-256 go into
  the `document.issued` ledger event next to the canonical JSON's.
`DEFAULT_STEPS` (both on, Factur-X EN 16931) is what services and the CLI use; `BARE`
(neither) is for measuring the storage path alone (bench/bench_issue.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from facturier.domain import lifecycle
from facturier.domain.canonical import canonical_bytes
from facturier.domain.documents import Document, Status
from facturier.domain.errors import InvalidInput, Violation
from facturier.domain.events import DocumentSummary, LedgerEvent
from facturier.domain.validation import validate
from facturier.rendering import Theme
from facturier.services.artefacts import ArtefactFile, DocumentFiles, EInvoiceCheck, theme_for
from facturier.storage.database import Database, Transaction
from facturier.storage.documents import StoredDocument
from facturier.storage.numbering import series_key

Clock = Callable[[], datetime]
T = TypeVar("T")
# The draft as it would be issued, and the seller's Factur-X profile ("" = the step's) -> fatal violations
Check = Callable[[Document, str], Sequence[Violation]]
# The numbered document, the seller's theme and Factur-X profile -> files to archive
Render = Callable[[Document, Theme, str], Sequence[ArtefactFile]]


@dataclass(frozen=True, slots=True)
class IssueSteps:
    check: Check | None = None
    render: Render | None = None


DEFAULT_STEPS = IssueSteps(check=EInvoiceCheck(), render=DocumentFiles())
BARE = IssueSteps()


@dataclass(frozen=True, slots=True)
class IssueRequest:
    draft: Document
    source_id: str | None = None  # idempotency key: the same source is issued once
    label: str = ""  # where the request came from (a file name), prefixed to error paths


@dataclass(frozen=True, slots=True)
class Issued:
    stored: StoredDocument
    created: bool  # False when `source_id` had already been issued (idempotent replay)
    label: str = ""

    @property
    def document(self) -> Document:
        return self.stored.document


def check_draft(
    tx: Transaction, draft: Document, extra: Sequence[Violation] = (), steps: IssueSteps = DEFAULT_STEPS
) -> None:
    """Every rule, on the draft as it would be issued (placeholder number, issued status).

    The domain rules first; the e-invoice check (slower) only on a draft that passes them,
    so one problem is not reported twice.
    """
    placeholder = tx.numbering.placeholder(draft.document_type, draft.issue_date)
    as_issued = replace(draft, number=placeholder, status=Status.ISSUED)
    violations = (*extra, *validate(as_issued))
    if not violations and steps.check is not None:
        violations = tuple(steps.check(as_issued, tx.profile().facturx_profile))
    if violations:
        raise InvalidInput(violations)


def issue_in(
    tx: Transaction, request: IssueRequest, clock: Clock, checked: bool = False, steps: IssueSteps = DEFAULT_STEPS
) -> Issued:
    """Issue one document inside an open transaction (see module docstring).

    `checked=True` when the caller already ran `check_draft` (with the same steps) on this draft.
    """
    if request.source_id:
        existing = tx.documents.find_by_source(request.source_id)
        if existing is not None:
            return Issued(existing, created=False, label=request.label)
    draft = request.draft
    if not checked:
        check_draft(tx, draft, steps=steps)
    tx.ledger.lock()  # chain lock first, then the series: one order, no deadlock
    number = tx.numbering.allocate(draft.document_type, draft.issue_date)
    document = lifecycle.issue(draft, number, draft.issue_date)
    canonical = canonical_bytes(document)
    ref = tx.documents.in_database(canonical, "document.json", "application/json")
    files = render_files(tx, document, steps.render) if steps.render is not None else ()
    artefacts = (ref, *(tx.documents.archive(f.data, f.name, f.media_type) for f in files))
    document_id = str(uuid.uuid4())
    event = tx.ledger.append(
        LedgerEvent(
            account_id=tx.account_id,
            seq=0,
            kind="document.issued",
            recorded_at=clock().isoformat(timespec="microseconds"),
            document_id=document_id,
            number=number,
            document_type=document.document_type.value,
            issue_date=document.issue_date,
            document_sha256=ref.sha256,
            artefacts=artefacts,
            summary=summarize(document),
        )
    )
    stored = StoredDocument(
        id=document_id,
        document=document,
        sha256=ref.sha256,
        source_id=request.source_id,
        ledger_seq=event.seq,
        series_key=series_key(document.document_type),
        artefacts=artefacts,
    )
    assert event.summary is not None
    tx.documents.add(stored, canonical, event.summary)
    return Issued(stored, created=True, label=request.label)


def render_files(tx: Transaction, document: Document, render: Render) -> Sequence[ArtefactFile]:
    """The numbered document's files, in the seller's branding and Factur-X profile."""
    seller = tx.profile()
    return render(document, theme_for(seller.branding, tx.blobs), seller.facturx_profile)


def summarize(document: Document) -> DocumentSummary:
    return DocumentSummary(
        series_key=series_key(document.document_type),
        currency=document.currency,
        buyer_name=document.buyer.name[:200],
        tax_inclusive=document.totals.tax_inclusive,
        payable=document.totals.payable,
        preceding_number=document.preceding[0].number if document.preceding else "",
        order_reference=document.order_reference,
    )


def issue_all(
    db: Database, account_id: str, requests: Sequence[IssueRequest], clock: Clock, steps: IssueSteps = DEFAULT_STEPS
) -> list[Issued]:
    """Issue a batch all-or-nothing, in one transaction.

    Every draft is validated first, outside the transaction, so the series and chain locks
    are held only for numbering, hashing and writing.
    """
    with db.reading(account_id) as tx:
        for request in requests:
            with_label(request.label, lambda r=request: check_draft(tx, r.draft, steps=steps))
    with db.transaction(account_id) as tx:
        return [
            with_label(request.label, lambda r=request: issue_in(tx, r, clock, checked=True, steps=steps))
            for request in requests
        ]


def with_label(label: str, action: Callable[[], T]) -> T:
    """Run `action`; prefix the paths of any violation with `label` (e.g. the order file)."""
    try:
        return action()
    except InvalidInput as exc:
        if not label:
            raise
        raise InvalidInput(Violation(v.rule_id, f"{label}: {v.path}", v.message) for v in exc.violations) from None
