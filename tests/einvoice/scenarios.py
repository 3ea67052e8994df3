"""The scenario matrix of e-invoice tests: issued documents built with the real pricing code.

Identifiers carry real checksums (python-stdnum): seller SIREN 732829320, VAT FR44732829320,
SIRET 73282932000074; buyer SIREN 552100554, VAT FR96552100554; German buyer DE136695976.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from tests.unit import builders

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.documents import Document, DocumentReference, PaymentMeans, PaymentTerms, PriceMode
from facturier.domain.lifecycle import issue
from facturier.domain.parties import Address, BuyerKind, Contact, ElectronicAddress, Party
from facturier.domain.pricing import AdjustmentInput, LineInput, price_document

D = Decimal
ISSUE = date(2026, 10, 1)

SELLER = Party(
    name="Atelier Dupont",
    address=Address("12 rue de la Paix", "Paris", "75002", "FR"),
    siren="732829320",
    siret="73282932000074",
    vat_id="FR44732829320",
    legal_form="SAS",
    share_capital=D("10000"),
    rcs="RCS Paris",
    trading_name="Dupont Design",
    electronic_address=ElectronicAddress("732829320", "0225"),
    contact=Contact("Jeanne Dupont", "+33 1 23 45 67 89", "factures@dupont.example"),
)
BUYER = Party(
    name="Client Industries",
    address=Address("1 avenue Foch", "Lyon", "69006", "FR", line2="Bâtiment B"),
    siren="552100554",
    vat_id="FR96552100554",
    electronic_address=ElectronicAddress("552100554_ACHATS", "0225"),
    contact=Contact(email="compta@client.example"),
)
GERMAN_BUYER = Party(
    name="Kunde GmbH",
    address=Address("Hauptstrasse 1", "Berlin", "10115", "DE"),
    vat_id="DE136695976",
    electronic_address=ElectronicAddress("DE136695976", "9930"),
)
US_BUYER = Party(
    name="Customer Inc.",
    address=Address("500 Main Street", "Springfield", "62701", "US", subdivision="IL"),
    electronic_address=ElectronicAddress("ap@customer.example", "EM"),
)
CONSUMER = Party(
    name="Marie Martin",
    address=Address("3 place Bellecour", "Lyon", "69002", "FR"),
    kind=BuyerKind.CONSUMER,
)
GERMAN_CONSUMER = Party(
    name="Max Mustermann",
    address=Address("Lindenstrasse 5", "München", "80331", "DE"),
    kind=BuyerKind.CONSUMER,
)
IBAN = "FR7630006000011234567890189"


def terms(issue_date: date = ISSUE, **changes: object) -> PaymentTerms:
    base = PaymentTerms(
        due_date=issue_date + timedelta(days=30),
        means=(PaymentMeans(PaymentMeansCode.SEPA_CREDIT_TRANSFER, iban=IBAN, bic="AGRIFRPP", remittance_info="F1"),),
        late_penalty_rate=D("12.15"),
        recovery_indemnity=D(40),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def consumer_terms(issue_date: date = ISSUE) -> PaymentTerms:
    return PaymentTerms(due_date=issue_date, means=(PaymentMeans(PaymentMeansCode.CARD, card_last4="4242"),))


def line(line_id: str = "1", *args: object, **changes: object) -> LineInput:
    """The unit tests' line builder, with this module's item names (the golden files carry them)."""
    return builders.line(line_id, *args, **{"name": f"Article {line_id}", **changes})  # type: ignore[arg-type]


def build(
    lines: Sequence[LineInput],
    adjustments: Sequence[AdjustmentInput] = (),
    *,
    number: str = "F2026-000001",
    mode: PriceMode = PriceMode.NET,
    currency: str = "EUR",
    prepaid: Decimal = D(0),
    issue_date: date = ISSUE,
    **changes: object,
) -> Document:
    priced = price_document(list(lines), list(adjustments), mode, currency, prepaid)
    draft = Document(
        document_type=DocumentType.INVOICE,
        currency=currency,
        seller=SELLER,
        buyer=BUYER,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=issue_date,
        price_mode=mode,
        allowances_charges=priced.allowances_charges,
        payment_terms=terms(issue_date),
    )
    draft = replace(draft, **changes)  # type: ignore[arg-type]
    return issue(draft, number, issue_date)


def domestic_b2b() -> Document:
    return build(
        [
            line("1", "3", "120.00", description="Conception graphique", seller_item_id="DES-01"),
            line("2", "2.5", "80.00", unit_code="HUR", description="Atelier"),
        ],
        buyer_reference="ACHATS-42",
        order_reference="PO-2026-17",
        notes=("Merci de votre confiance.",),
    )


def domestic_b2c() -> Document:
    return build(
        [
            line("1", "2", "24.90", nature=SupplyNature.GOODS),
            line("2", "1", "5.50", rate="5.5", nature=SupplyNature.GOODS),
        ],
        mode=PriceMode.GROSS,
        buyer=CONSUMER,
        payment_terms=consumer_terms(),
    )


def reverse_charge() -> Document:
    reason = "Autoliquidation - article 196 de la directive 2006/112/CE"
    return build(
        [
            line(
                "1",
                "10",
                "95.00",
                rate="0",
                category=VatCategory.REVERSE_CHARGE,
                exemption_reason=reason,
                exemption_code="VATEX-EU-AE",
            )
        ],
        buyer=GERMAN_BUYER,
        mentions=("Autoliquidation",),
    )


def intra_eu_goods() -> Document:
    reason = "Exonération de TVA, article 262 ter I du CGI"
    return build(
        [
            line(
                "1",
                "40",
                "12.50",
                rate="0",
                category=VatCategory.INTRA_COMMUNITY,
                nature=SupplyNature.GOODS,
                exemption_reason=reason,
                exemption_code="VATEX-EU-IC",
                unit_code="KGM",
            )
        ],
        buyer=GERMAN_BUYER,
        delivery_date=date(2026, 9, 28),
        delivery_address=GERMAN_BUYER.address,
        delivery_name="Kunde GmbH Lager",
    )


def export() -> Document:
    reason = "Exonération de TVA, article 262 I du CGI"
    return build(
        [
            line(
                "1",
                "5",
                "300.00",
                rate="0",
                category=VatCategory.EXPORT,
                nature=SupplyNature.GOODS,
                exemption_reason=reason,
                exemption_code="VATEX-EU-G",
            )
        ],
        buyer=US_BUYER,
        payment_terms=terms(late_penalty_rate=D("12.15")),
        delivery_date=date(2026, 9, 30),
    )


def oss_b2c() -> Document:
    return build(
        [
            line("1", "1", "119.00", rate="19", nature=SupplyNature.GOODS),
            line("2", "3", "9.99", rate="19", nature=SupplyNature.GOODS),
        ],
        mode=PriceMode.GROSS,
        buyer=GERMAN_CONSUMER,
        payment_terms=consumer_terms(),
        delivery_address=GERMAN_CONSUMER.address,
    )


def mixed_rates_discounts() -> Document:
    return _mixed()


def _mixed() -> Document:
    doc = build(
        [
            line(
                "1",
                "4",
                "50.00",
                nature=SupplyNature.GOODS,
                adjustments=(AdjustmentInput(False, percentage=D(10), reason="Remise quantité", reason_code="95"),),
            ),
            line(
                "2",
                "1",
                "200.00",
                rate="10",
                adjustments=(AdjustmentInput(True, amount=D("15.00"), reason="Déplacement", reason_code="FC"),),
            ),
            line("3", "12", "3.333", rate="5.5", nature=SupplyNature.GOODS),
            line("4", "1", "8.00", rate="2.1", nature=SupplyNature.GOODS),
        ],
        [
            AdjustmentInput(False, percentage=D(5), reason="Remise fidélité", reason_code="95"),
            AdjustmentInput(
                True,
                amount=D("12.00"),
                reason="Frais de port",
                reason_code="FC",
                vat_category=VatCategory.STANDARD,
                vat_rate=D(20),
            ),
        ],
    )
    return replace(
        doc,
        payment_terms=replace(doc.payment_terms, early_payment_discount="Escompte de 2 % pour paiement sous 8 jours."),
    )


ORIGINAL = DocumentReference("F2026-000001", date(2026, 9, 15))


def credit_note() -> Document:
    return build(
        [line("1", "1", "120.00")],
        number="A2026-000001",
        document_type=DocumentType.CREDIT_NOTE,
        preceding=(ORIGINAL,),
        notes=("Avoir sur facture F2026-000001 : prestation annulée.",),
    )


def corrective() -> Document:
    return build(
        [line("1", "3", "110.00")],
        number="F2026-000010",
        document_type=DocumentType.CORRECTIVE,
        preceding=(ORIGINAL,),
    )


def down_payment() -> Document:
    return build(
        [line("1", "1", "300.00", name="Acompte 30 % sur commande PO-2026-17")],
        number="F2026-000002",
        document_type=DocumentType.DOWN_PAYMENT,
        order_reference="PO-2026-17",
        vat_on_debits=True,
    )


def final_after_down_payment() -> Document:
    return build(
        [line("1", "1", "1000.00")],
        number="F2026-000003",
        prepaid=D("360.00"),
        preceding=(DocumentReference("F2026-000002", date(2026, 9, 1), DocumentType.DOWN_PAYMENT),),
        order_reference="PO-2026-17",
        vat_on_debits=True,
    )


def non_eur() -> Document:
    """USD, French seller: BT-6 = EUR, BT-111 = round(180.00 / 1.17) = 153.85 (BR-FR-CO-12)."""
    return with_tax_accounting(build([line("1", "2", "450.00")], currency="USD"), D("1.17"))


def non_eur_b2c() -> Document:
    """A consumer sale in USD, VAT-inclusive prices: BT-111 = round(8.59 / 1.1708) = 7.34 EUR."""
    doc = replace(domestic_b2c(), currency="USD")
    return with_tax_accounting(doc, D("1.1708"))


def non_eur_export() -> Document:
    """An export to a US business, in USD: no VAT, BT-111 = 0.00 EUR still stated."""
    return with_tax_accounting(replace(export(), currency="USD"), D("1.1708"))


SCENARIOS: dict[str, Callable[[], Document]] = {
    "domestic_b2b": domestic_b2b,
    "domestic_b2c": domestic_b2c,
    "reverse_charge_ae": reverse_charge,
    "intra_eu_goods_k": intra_eu_goods,
    "export_g": export,
    "oss_b2c_de": oss_b2c,
    "mixed_rates_discounts": mixed_rates_discounts,
    "credit_note": credit_note,
    "corrective": corrective,
    "down_payment": down_payment,
    "final_after_down_payment": final_after_down_payment,
    "non_eur": non_eur,
    "non_eur_b2c": non_eur_b2c,
    "non_eur_export": non_eur_export,
}
