"""French invoicing rules for a seller established in France.

- Mandatory mentions: CGI annexe II art. 242 nonies A, I, including the mentions added by
  the e-invoicing reform (loi n° 2022-1157 art. 26, décret n° 2022-1299) for invoices
  issued from 2026-09-01: buyer SIREN, delivery address when different, nature of the
  operation (goods / services / both), VAT-on-debits option.
- Company identity on commercial documents: C. com. R123-237 (SIREN, RCS, legal form,
  share capital).
- Payment terms between businesses: C. com. L441-9 (due date, penalties, EUR 40 indemnity
  and early-payment discount on the invoice), L441-10 (at most 60 days after issue, or 45
  days end of month), D441-5 (the indemnity is EUR 40).
- Credit notes and corrective invoices refer to the invoice they modify: CGI art. 289 I.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.domain.errors import Violation
from facturier.domain.money import is_known_currency

REFORM_MENTIONS_FROM = date(2026, 9, 1)  # décret n° 2022-1299, mentions of art. 242 nonies A
RECOVERY_INDEMNITY_EUR = Decimal(40)  # C. com. D441-5
COMPANY_FORMS = frozenset({"SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCA", "SCS", "SE", "SELARL", "SELAS"})


def applies(doc: Document) -> bool:
    return doc.seller.country == "FR"


def check(doc: Document) -> Iterator[Violation]:
    yield from _seller_identity(doc)
    if not doc.document_type.is_fiscal:
        return
    yield from _buyer_identity(doc)
    yield from _vat_in_euros(doc)
    if doc.buyer.is_business and doc.document_type is not DocumentType.CREDIT_NOTE:
        yield from _business_payment_terms(doc)  # a credit note has nothing to pay by a due date
    if doc.document_type in (DocumentType.CREDIT_NOTE, DocumentType.CORRECTIVE) and not doc.preceding:
        yield Violation(
            "FR-CGI-289-REF",
            "preceding",
            "a credit note or corrective invoice must refer to the invoice it modifies (CGI art. 289 I)",
        )


def _seller_identity(doc: Document) -> Iterator[Violation]:
    seller = doc.seller
    if not seller.siren:
        yield Violation("FR-R123-237-SIREN", "seller.siren", "a French seller must show its SIREN (C. com. R123-237)")
    if seller.legal_form.upper() in COMPANY_FORMS:
        if seller.share_capital is None:
            yield Violation(
                "FR-R123-237-CAPITAL",
                "seller.share_capital",
                f"a {seller.legal_form} must show its share capital (C. com. R123-237)",
            )
        if not seller.rcs:
            yield Violation(
                "FR-R123-237-RCS", "seller.rcs", "a registered company must show its RCS city (C. com. R123-237)"
            )
    if not seller.vat_id and doc.totals.tax_total != 0:
        yield Violation(
            "FR-CGI-242NA-VATID",
            "seller.vat_id",
            "the seller's VAT id is mandatory when VAT is charged (CGI ann. II art. 242 nonies A, I-2°)",
        )


def _vat_in_euros(doc: Document) -> Iterator[Violation]:
    """An invoice in another currency states its VAT in EUR: BT-6 = EUR and BT-111
    (Directive 2006/112/EC art. 230, CGI ann. II art. 242 nonies A; BR-FR-CO-12)."""
    accounting = doc.tax_accounting
    if not is_known_currency(doc.currency):
        return  # BR-CL-04 says it
    if doc.currency != "EUR" and (accounting is None or accounting.currency != "EUR"):
        yield Violation(
            "BR-FR-CO-12",
            "tax_accounting",
            f"an invoice in {doc.currency} states its total VAT in EUR (BT-6 = EUR, BT-111): "
            "Directive 2006/112/EC art. 230",
        )


def _buyer_identity(doc: Document) -> Iterator[Violation]:
    buyer = doc.buyer
    if not buyer.is_business:
        return
    if buyer.country == "FR" and not buyer.siren and doc.issue_date >= REFORM_MENTIONS_FROM:
        yield Violation(
            "FR-CGI-242NA-SIREN-BUYER",
            "buyer.siren",
            "a French business buyer's SIREN is mandatory on invoices from 2026-09-01 (CGI ann. II art. 242 nonies A)",
        )
    if buyer.country != "FR" and not buyer.vat_id and _reverse_or_intra(doc):
        yield Violation(
            "FR-CGI-242NA-VATID-BUYER",
            "buyer.vat_id",
            "the buyer's VAT id is mandatory for intra-EU B2B supplies (CGI ann. II art. 242 nonies A, I-2°)",
        )


def _reverse_or_intra(doc: Document) -> bool:
    return any(b.category.value in ("AE", "K") for b in doc.vat_breakdown)


def _business_payment_terms(doc: Document) -> Iterator[Violation]:
    terms = doc.payment_terms
    if terms.due_date is None:
        yield Violation(
            "FR-L441-9-DUE", "payment_terms.due_date", "a due date is mandatory between businesses (C. com. L441-9)"
        )
    elif terms.due_date < doc.issue_date:
        yield Violation("FR-L441-10-DUE", "payment_terms.due_date", "the due date is before the issue date")
    elif terms.due_date > latest_due_date(doc.issue_date):
        yield Violation(
            "FR-L441-10-DUE",
            "payment_terms.due_date",
            f"{terms.due_date} is later than the legal maximum {latest_due_date(doc.issue_date)} "
            "(60 days after issue or 45 days end of month, C. com. L441-10)",
        )
    if terms.late_penalty_rate is None:
        yield Violation(
            "FR-L441-9-PENALTY",
            "payment_terms.late_penalty_rate",
            "the late-payment penalty rate is mandatory between businesses (C. com. L441-9)",
        )
    if terms.recovery_indemnity != RECOVERY_INDEMNITY_EUR:
        yield Violation(
            "FR-D441-5-INDEMNITY",
            "payment_terms.recovery_indemnity",
            "the EUR 40 fixed recovery indemnity must be stated for business buyers (C. com. L441-10, D441-5)",
        )


def latest_due_date(issue_date: date) -> date:
    """The latest due date C. com. L441-10 I allows: 60 days after issue, or "45 jours fin de
    mois", which the DGCCRF accepts in two readings: the end of the month in which issue + 45
    days falls, or the end of the issue month + 45 days. We refuse only what no reading allows.

    >>> latest_due_date(date(2026, 1, 15))  # + 45 days = 1 March -> end of March
    datetime.date(2026, 3, 31)
    >>> latest_due_date(date(2026, 1, 31))  # + 60 days wins
    datetime.date(2026, 4, 1)
    >>> latest_due_date(date(2026, 1, 1))  # end of January + 45 days
    datetime.date(2026, 3, 17)
    """
    sixty = issue_date + timedelta(days=60)
    plus45 = _end_of_month(issue_date + timedelta(days=45))
    month_end_plus45 = _end_of_month(issue_date) + timedelta(days=45)
    return max(sixty, plus45, month_end_plus45)


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
