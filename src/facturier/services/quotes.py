"""Quotes (devis) are not tax documents: they have their own series, and convert into an
invoice once accepted. Conversion is idempotent: a quote converts into one invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Status
from facturier.domain.errors import invalid
from facturier.services.issue import IssueRequest
from facturier.storage.database import Transaction


def conversion_request(
    tx: Transaction, quote_number: str, issue_date: date, allow_expired: bool = False
) -> IssueRequest:
    quote = tx.documents.get(quote_number).document
    if quote.document_type is not DocumentType.QUOTE:
        raise invalid("QUOTE-CONVERT", "number", f"{quote_number} is not a quote")
    if quote.valid_until and issue_date > quote.valid_until and not allow_expired:
        raise invalid(
            "QUOTE-EXPIRED", "valid_until", f"quote {quote_number} expired on {quote.valid_until} (use --allow-expired)"
        )
    profile = tx.profile()
    terms = quote.payment_terms
    draft = replace(
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
    return IssueRequest(draft=draft, source_id=f"convert:{quote_number}", label=quote_number)
