"""The legal mentions printed at the foot of a document, all derived from its data.

- Exemption and reverse-charge wording: the VAT breakdown's exemption reasons (BT-120), then
  the mentions decided by the tax rules (`Document.mentions`); a category that needs a reason
  (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10) but has none gets the catalogue's wording.
- Nature of the operation and the VAT-on-debits option: CGI ann. II art. 242 nonies A
  (mentions added by décret n° 2022-1299 for invoices issued from 2026-09-01).
- Business buyers: late-payment penalties, the EUR 40 recovery indemnity and the early-payment
  discount (or its absence): C. com. L441-9, L441-10, D441-5.
- Credit notes and corrective invoices: the invoice they modify (CGI art. 289 I).
- Pro formas: that they are not invoices (CGI art. 289 defines the invoice; a pro forma is an
  offer). Quotes and pro formas get no nature, VAT-on-debits or B2B payment mentions: they ask
  for no payment (their validity and acceptance block are in `view._acceptance`).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.rendering.formatting import Formatter
from facturier.rendering.wording import reword

RECOVERY_INDEMNITY_EUR = Decimal(40)  # C. com. D441-5


def legal_mentions(doc: Document, fmt: Formatter) -> tuple[str, ...]:
    """Every mention, in reading order, without duplicates."""
    seen: dict[str, None] = {}
    for mention in _all_mentions(doc, fmt):
        text = reword(mention.strip(), fmt)  # the tax engine's wording in the reader's language
        if text:
            seen.setdefault(text, None)
    return tuple(seen)


def _all_mentions(doc: Document, fmt: Formatter) -> Iterator[str]:
    if doc.document_type is DocumentType.PROFORMA:
        yield fmt.catalogue.text("mention.proforma")  # not an invoice in the sense of CGI art. 289
    yield from _credit_note(doc, fmt)
    yield from _vat_mentions(doc, fmt)
    yield from doc.mentions
    if doc.document_type.is_fiscal:
        yield fmt.catalogue.text(f"mention.nature.{doc.nature.value}")
    if doc.vat_on_debits and doc.document_type.is_fiscal:
        yield fmt.catalogue.text("mention.vat_on_debits")
    if doc.buyer.is_business and doc.document_type.is_fiscal:
        yield from _business_payment_mentions(doc, fmt)


def _credit_note(doc: Document, fmt: Formatter) -> Iterator[str]:
    if doc.document_type not in (DocumentType.CREDIT_NOTE, DocumentType.CORRECTIVE):
        return
    for ref in doc.preceding:
        yield fmt.catalogue.text("mention.credit_note", number=ref.number, date=fmt.date(ref.issue_date))


def _vat_mentions(doc: Document, fmt: Formatter) -> Iterator[str]:
    """BT-120 per breakdown, or the catalogue wording when the category needs one."""
    for row in doc.vat_breakdown:
        if row.exemption_reason:
            yield row.exemption_reason
        elif row.category.needs_exemption_reason:
            yield fmt.catalogue.text(f"exemption.{row.category.value}")
    for line in doc.lines:
        if line.exemption_reason:
            yield line.exemption_reason


def _business_payment_mentions(doc: Document, fmt: Formatter) -> Iterator[str]:
    """C. com. L441-9: penalties, indemnity and discount terms are printed on B2B invoices."""
    terms = doc.payment_terms
    cat = fmt.catalogue
    if terms.late_penalty_rate is None:
        yield cat.text("mention.penalties_default")
    else:
        yield cat.text("mention.penalties", rate=fmt.percent(terms.late_penalty_rate))
    indemnity = terms.recovery_indemnity if terms.recovery_indemnity is not None else RECOVERY_INDEMNITY_EUR
    yield cat.text("mention.indemnity", amount=fmt.money(indemnity, "EUR"))
    if terms.early_payment_discount:
        yield cat.text("mention.discount", value=terms.early_payment_discount)
    else:
        yield cat.text("mention.no_discount")
