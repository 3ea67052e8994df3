"""Ledger events: what the tamper-evident chain records, in canonical form.

A `LedgerEvent` is hashed into the chain (see chain.py). It names the document it
concerns and the SHA-256 of every artefact archived for it, so any change to the document
row, the stored canonical JSON or an archived file is caught by `facturier verify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ArtefactRef:
    name: str  # e.g. "document.json", "invoice.pdf", "factur-x.xml"
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """The searchable columns of an issued document, hashed with its event so `verify` can
    check every column without re-reading the document (whose SHA-256 the event holds)."""

    series_key: str
    currency: str
    buyer_name: str
    tax_inclusive: Decimal
    payable: Decimal
    preceding_number: str = ""
    order_reference: str = ""
    source_id: str = ""  # the idempotency key it was issued under ("" for none)


@dataclass(frozen=True, slots=True)
class LedgerEvent:
    account_id: str
    seq: int
    kind: str  # "document.issued", later "payment.recorded", "artefact.added", ...
    recorded_at: str  # ISO 8601 UTC timestamp from the injected clock
    document_id: str = ""
    number: str = ""
    document_type: str = ""
    issue_date: date | None = None
    document_sha256: str = ""
    artefacts: tuple[ArtefactRef, ...] = ()
    summary: DocumentSummary | None = None
    details: tuple[tuple[str, str], ...] = ()
    # SHA-256 of the VAT facts written with the document (storage.tax_facts.digest): the
    # threshold and the OSS return read them back, so the chain protects them
    tax_facts_sha256: str = ""
    # SHA-256 of a seller profile version (storage.seller_profiles): on "document.issued" the
    # version in effect when the number was allocated, on "seller.updated" the new version
    seller_sha256: str = ""
