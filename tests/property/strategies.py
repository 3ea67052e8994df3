"""Hypothesis strategies for priced documents, in both entry modes and several currencies.

Kept separate from tests/unit/builders.py so that each test package imports only itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.codes import DocumentType, SupplyNature, VatCategory
from facturier.domain.documents import Document, PaymentTerms, PriceMode
from facturier.domain.parties import Address, BuyerKind, Party
from facturier.domain.pricing import AdjustmentInput, LineInput, amount_places, price_document

D = Decimal
GROUPS: list[tuple[VatCategory, Decimal]] = [
    (VatCategory.STANDARD, D(20)),
    (VatCategory.STANDARD, D(10)),
    (VatCategory.STANDARD, D("5.5")),
    (VatCategory.STANDARD, D("2.1")),
    (VatCategory.STANDARD, D(21)),
    (VatCategory.ZERO, D(0)),
    (VatCategory.EXEMPT, D(0)),
]
CURRENCIES = ["EUR", "EUR", "JPY", "KWD", "USD"]
EUR_RATE = Decimal("1.1708")  # any positive rate: units of the currency per EUR

SELLER = Party(
    name="Atelier Dupont",
    address=Address("12 rue de la Paix", "Paris", "75002", "FR"),
    siren="732829320",
    vat_id="FR44732829320",
    legal_form="SAS",
    share_capital=D(10000),
    rcs="RCS Paris",
)
CONSUMER = Party(
    name="Marie Martin", address=Address("3 place Bellecour", "Lyon", "69002", "FR"), kind=BuyerKind.CONSUMER
)


@dataclass(frozen=True)
class Order:
    """Inputs of `price_document`: what a merchant enters."""

    lines: tuple[LineInput, ...]
    adjustments: tuple[AdjustmentInput, ...]
    mode: PriceMode
    currency: str

    @property
    def places(self) -> int:
        return amount_places(self.currency)

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)


def _money(places: int, low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Amounts with `places` decimals, `low`..`high` in major units."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: Decimal(n).scaleb(-places))


quantities = st.one_of(
    st.integers(1, 20).map(Decimal),
    st.integers(1, 100_000).map(lambda n: Decimal(n).scaleb(-3)),  # 0.001 .. 100 (kg, hours)
    st.integers(10_000, 250_000).map(Decimal),  # large quantities: base-quantity fallback
)
percentages = st.integers(0, 500).map(lambda n: Decimal(n).scaleb(-1))  # 0.0 .. 50.0 %


@st.composite
def line_inputs(draw: st.DrawFn, line_id: str, places: int, mode: PriceMode) -> LineInput:
    category, rate = draw(st.sampled_from(GROUPS))
    price_places = draw(st.sampled_from([places, places, 4])) if mode is PriceMode.NET else places
    price = draw(_money(price_places, 0, 2000).filter(bool))
    adjustments: list[AdjustmentInput] = []
    if draw(st.booleans()):
        adjustments.append(AdjustmentInput(False, percentage=draw(percentages), reason="Remise"))
    if draw(st.integers(0, 4)) == 0:
        adjustments.append(AdjustmentInput(True, amount=draw(_money(places, 0, 5)), reason="Emballage"))
    return LineInput(
        line_id=line_id,
        name=f"Item {line_id}",
        quantity=draw(quantities),
        unit_code="C62",
        unit_price=price,
        vat_category=category,
        vat_rate=rate,
        base_quantity=draw(st.sampled_from([D(1), D(1), D(1), D(10), D(100)])),
        nature=SupplyNature.GOODS,
        adjustments=tuple(adjustments),
        exemption_reason="Exonération, article 261 du CGI" if category is VatCategory.EXEMPT else "",
    )


@st.composite
def document_adjustments(draw: st.DrawFn, places: int, lines: tuple[LineInput, ...]) -> tuple[AdjustmentInput, ...]:
    result: list[AdjustmentInput] = []
    if draw(st.booleans()):  # shipping, split over the rates
        result.append(AdjustmentInput(True, amount=draw(_money(places, 0, 30)), reason="Livraison"))
    if draw(st.booleans()):  # basket discount in percent, per rate
        result.append(AdjustmentInput(False, percentage=draw(percentages), reason="Remise panier"))
    if draw(st.integers(0, 3)) == 0:  # a fixed amount at the rate of one of the lines
        category, rate = draw(st.sampled_from([x.group for x in lines]))
        amount = draw(_money(places, 0, 10))
        result.append(AdjustmentInput(False, amount=amount, reason="Bon", vat_category=category, vat_rate=rate))
    return tuple(result)


@st.composite
def orders(draw: st.DrawFn, mode: PriceMode | None = None) -> Order:
    currency = draw(st.sampled_from(CURRENCIES))
    chosen = mode if mode is not None else draw(st.sampled_from(PriceMode))
    places = amount_places(currency)
    count = draw(st.integers(1, 6))
    lines = tuple(draw(line_inputs(str(i + 1), places, chosen)) for i in range(count))
    return Order(lines, draw(document_adjustments(places, lines)), chosen, currency)


def document_of(order: Order, issue_date: date = date(2026, 10, 1)) -> Document:
    """The B2C document of an order (consumer buyer: no B2B payment-term mentions); not in
    EUR, with its VAT total in EUR at an arbitrary rate (BT-6/BT-111, Directive art. 230)."""
    priced = price_document(order.lines, order.adjustments, order.mode, order.currency)
    document = Document(
        document_type=DocumentType.INVOICE,
        currency=order.currency,
        seller=SELLER,
        buyer=CONSUMER,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=issue_date,
        price_mode=order.mode,
        allowances_charges=priced.allowances_charges,
        payment_terms=PaymentTerms(due_date=issue_date + timedelta(days=30)),
    )
    return with_tax_accounting(document, EUR_RATE)
