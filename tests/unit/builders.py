"""A small builder of valid documents for the unit tests: break one thing, check one rule.

The identifiers are real-checksum ones (verified with python-stdnum): seller SIREN
732829320 / VAT FR44732829320 / SIRET 73282932000074, buyer SIREN 552100554 / VAT
FR96552100554, German buyer VAT DE136695976.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.documents import Document, PaymentMeans, PaymentTerms, PriceMode, Totals
from facturier.domain.parties import Address, BuyerKind, Party
from facturier.domain.pricing import AdjustmentInput, LineInput, price_document

ISSUE_DATE = date(2026, 10, 1)  # after the 2026-09-01 reform mentions
D = Decimal


def seller(**changes: object) -> Party:
    party = Party(
        name="Atelier Dupont",
        address=Address("12 rue de la Paix", "Paris", "75002", "FR"),
        siren="732829320",
        siret="73282932000074",
        vat_id="FR44732829320",
        legal_form="SAS",
        share_capital=D("10000"),
        rcs="RCS Paris",
    )
    return replace(party, **changes)  # type: ignore[arg-type]


def buyer(**changes: object) -> Party:
    party = Party(
        name="Client Industries",
        address=Address("1 avenue Foch", "Lyon", "69006", "FR"),
        siren="552100554",
        vat_id="FR96552100554",
    )
    return replace(party, **changes)  # type: ignore[arg-type]


def german_buyer(**changes: object) -> Party:
    party = Party(
        name="Kunde GmbH",
        address=Address("Hauptstrasse 1", "Berlin", "10115", "DE"),
        vat_id="DE136695976",
    )
    return replace(party, **changes)  # type: ignore[arg-type]


def consumer(**changes: object) -> Party:
    party = Party(
        name="Marie Martin",
        address=Address("3 place Bellecour", "Lyon", "69002", "FR"),
        kind=BuyerKind.CONSUMER,
    )
    return replace(party, **changes)  # type: ignore[arg-type]


def line(
    line_id: str = "1",
    quantity: str = "1",
    price: str = "100.00",
    rate: str = "20",
    category: VatCategory = VatCategory.STANDARD,
    **changes: object,
) -> LineInput:
    entered = LineInput(
        line_id=line_id,
        name=f"Item {line_id}",
        quantity=D(quantity),
        unit_code="C62",
        unit_price=D(price),
        vat_category=category,
        vat_rate=D(rate),
        nature=SupplyNature.SERVICES,
    )
    return replace(entered, **changes)  # type: ignore[arg-type]


def terms(issue_date: date = ISSUE_DATE, **changes: object) -> PaymentTerms:
    base = PaymentTerms(
        due_date=issue_date + timedelta(days=30),
        means=(PaymentMeans(PaymentMeansCode.SEPA_CREDIT_TRANSFER, iban="FR7630006000011234567890189"),),
        late_penalty_rate=D("12.15"),
        recovery_indemnity=D(40),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def document(
    lines: Sequence[LineInput] | None = None,
    adjustments: Sequence[AdjustmentInput] = (),
    mode: PriceMode = PriceMode.NET,
    currency: str = "EUR",
    prepaid: Decimal = D(0),
    issue_date: date = ISSUE_DATE,
    **changes: object,
) -> Document:
    """A valid French B2B invoice (unless `changes` say otherwise), priced by `price_document`."""
    entered = list(lines) if lines is not None else [line()]
    priced = price_document(entered, adjustments, mode, currency, prepaid)
    doc = Document(
        document_type=DocumentType.INVOICE,
        currency=currency,
        seller=seller(),
        buyer=buyer(),
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=issue_date,
        price_mode=mode,
        allowances_charges=priced.allowances_charges,
        payment_terms=terms(issue_date),
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def restate(totals: Totals, **changes: Decimal) -> Totals:
    """Change some totals and recompute the ones that follow from them (BR-CO-13, 15, 16),
    so that a test breaks exactly the rule it targets."""
    t = replace(totals, **changes)
    if "tax_exclusive" not in changes:
        t = replace(t, tax_exclusive=t.line_total - t.allowance_total + t.charge_total)
    if "tax_inclusive" not in changes:
        t = replace(t, tax_inclusive=t.tax_exclusive + t.tax_total)
    if "payable" not in changes:
        t = replace(t, payable=t.tax_inclusive - t.prepaid + t.rounding)
    return t


def rule_paths(doc: Document) -> set[tuple[str, str]]:
    """The (rule id, path) pairs `validate` returns for `doc`."""
    from facturier.domain.validation import validate

    return {(v.rule_id, v.path) for v in validate(doc)}
