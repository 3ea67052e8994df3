"""Quotes (devis) are not tax documents: they have their own series, and convert into an
invoice once accepted. Conversion is idempotent: a quote converts into one invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, Status
from facturier.domain.errors import invalid
from facturier.domain.seller import SellerProfile
from facturier.services.issue import Draft, Submission
from facturier.services.tax_decisions import TaxContext
from facturier.storage.database import Transaction


def conversion_submission(quote_number: str, allow_expired: bool = False) -> Submission:
    """The invoice of an accepted quote, for services.issuing: once per quote ("convert:<number>")."""

    def build(tx: Transaction, profile: SellerProfile, day: date, _context: TaxContext) -> Draft:
        return Draft(converted(tx, profile, quote_number, day, allow_expired))

    return Submission(build, source_id=f"convert:{quote_number}", label=quote_number)


def converted(
    tx: Transaction, profile: SellerProfile, quote_number: str, issue_date: date, allow_expired: bool = False
) -> Document:
    quote = tx.documents.get(quote_number).document
    if quote.document_type is not DocumentType.QUOTE:
        raise invalid("QUOTE-CONVERT", "number", f"{quote_number} is not a quote")
    if quote.valid_until and issue_date > quote.valid_until and not allow_expired:
        raise invalid(
            "QUOTE-EXPIRED", "valid_until", f"quote {quote_number} expired on {quote.valid_until} (use --allow-expired)"
        )
    terms = quote.payment_terms
    return replace(
        quote,
        document_type=DocumentType.INVOICE,
        number="",
        status=Status.DRAFT,
        issue_date=issue_date,
        seller=profile.party,
        valid_until=None,
        payment_terms=replace(terms, due_date=issue_date + timedelta(days=profile.payment_days)),
        notes=(*quote.notes, f"Suivant devis n° {quote.number} du {quote.issue_date.isoformat()}"),
    )
