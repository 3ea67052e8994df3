"""The document model: invoice (380), credit note (381), corrective invoice (384),
down-payment invoice (386), quote and pro forma, named after EN 16931 business terms.

A `Document` carries its computed lines, VAT breakdown and totals: the numbers a reader
sees are the numbers stored, so validation can re-check them exactly (BR-CO-10..17) and an
inbound invoice keeps the figures its sender stated. Drafts have no number (`number == ""`);
`lifecycle.issue` returns the immutable issued copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.parties import Address, Party


class Status(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class PriceMode(StrEnum):
    """How the merchant entered prices: net of VAT (B2B) or VAT-inclusive (B2C shops)."""

    NET = "net"
    GROSS = "gross"


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """Line level BG-27/BG-28 or document level BG-20/BG-21. Amounts are net of VAT."""

    is_charge: bool
    amount: Decimal  # BT-136 / BT-141 (line), BT-92 / BT-99 (document)
    reason: str = ""  # BT-139 / BT-144, BT-97 / BT-104
    reason_code: str = ""  # UNTDID 5189 (allowances) / 7161 (charges)
    base_amount: Decimal | None = None  # BT-137 / BT-93
    percentage: Decimal | None = None  # BT-138 / BT-94
    vat_category: VatCategory | None = None  # BT-95 / BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96 / BT-103 (document level only)


@dataclass(frozen=True, slots=True)
class Line:
    """BG-25 invoice line."""

    line_id: str  # BT-126
    name: str  # BT-153 item name
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130, UN/ECE Rec. 20 (or Rec. 21)
    net_price: Decimal  # BT-146 item net price, up to 6 decimals
    vat_category: VatCategory  # BT-151
    vat_rate: Decimal  # BT-152
    net_amount: Decimal  # BT-131 line net amount
    base_quantity: Decimal = Decimal(1)  # BT-149
    description: str = ""  # BT-154
    seller_item_id: str = ""  # BT-155 (SKU)
    nature: SupplyNature = SupplyNature.GOODS
    allowances: tuple[AllowanceCharge, ...] = ()  # BG-27
    charges: tuple[AllowanceCharge, ...] = ()  # BG-28
    exemption_reason: str = ""  # BT-120 for this line's category
    exemption_code: str = ""  # BT-121 (VATEX)


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23 VAT breakdown, one per (category, rate)."""

    category: VatCategory  # BT-118
    rate: Decimal  # BT-119
    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117
    exemption_reason: str = ""  # BT-120
    exemption_code: str = ""  # BT-121


@dataclass(frozen=True, slots=True)
class Totals:
    """BG-22 document totals."""

    line_total: Decimal  # BT-106 sum of line net amounts
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113 paid amount (e.g. down payments deducted)
    rounding: Decimal  # BT-114
    payable: Decimal  # BT-115 amount due for payment


@dataclass(frozen=True, slots=True)
class PaymentMeans:
    """BG-16 payment instructions."""

    code: PaymentMeansCode  # BT-81
    iban: str = ""  # BT-84
    bic: str = ""  # BT-86
    account_name: str = ""  # BT-85
    remittance_info: str = ""  # BT-83
    card_last4: str = ""  # BT-87 (last digits only, never the PAN)
    mandate_reference: str = ""  # BT-89
    creditor_id: str = ""  # BT-90
    debited_iban: str = ""  # BT-91


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """BT-9, BT-20 and the French B2B mentions (C. com. L441-9, L441-10, D441-5)."""

    due_date: date | None = None  # BT-9
    note: str = ""  # BT-20 free text
    means: tuple[PaymentMeans, ...] = ()
    early_payment_discount: str = ""  # "" means the explicit "no discount" mention applies
    late_penalty_rate: Decimal | None = None  # annual %, e.g. 3 x legal rate or ECB + 10 pts
    recovery_indemnity: Decimal | None = None  # EUR 40 fixed indemnity (D441-5) for businesses


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """BG-3 preceding invoice reference (BT-25 number, BT-26 date)."""

    number: str
    issue_date: date
    document_type: DocumentType = DocumentType.INVOICE


@dataclass(frozen=True, slots=True)
class TaxAccounting:
    """BT-6 VAT accounting currency and BT-111 total VAT in that currency (BR-53).

    Directive 2006/112/EC art. 230 (CGI ann. II art. 242 nonies A for France): an invoice in
    another currency states the VAT payable in the national currency of the seller's Member
    State (EUR for France; the French rule BR-FR-CO-12). BT-111 is converted once, from
    BT-110, by `rounding.accounting_amount_half_up` (docs/algorithms/rounding.md, section 10).
    `exchange_rate` is the rate used: units of the invoice currency (BT-5) for one unit of
    BT-6 (the ECB reference-rate convention). It is not an EN 16931 term: the CII (EN 16931
    profile) and UBL syntaxes cannot carry it, so it is None on a document read from XML.
    """

    currency: str  # BT-6
    tax_total: Decimal  # BT-111
    exchange_rate: Decimal | None = None  # BT-5 units per BT-6 unit, as recorded at drafting


@dataclass(frozen=True, slots=True)
class Document:
    """An invoice-like document with its computed figures. See the module docstring."""

    document_type: DocumentType  # BT-3
    currency: str  # BT-5
    seller: Party  # BG-4
    buyer: Party  # BG-7
    lines: tuple[Line, ...]  # BG-25
    vat_breakdown: tuple[VatBreakdown, ...]  # BG-23
    totals: Totals  # BG-22
    issue_date: date  # BT-2 (a draft carries the intended date)
    number: str = ""  # BT-1, empty for drafts
    status: Status = Status.DRAFT
    price_mode: PriceMode = PriceMode.NET
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-20 / BG-21
    delivery_date: date | None = None  # BT-72 actual delivery date
    delivery_address: Address | None = None  # BG-15
    delivery_name: str = ""  # BT-70
    payment_terms: PaymentTerms = field(default_factory=PaymentTerms)
    preceding: tuple[DocumentReference, ...] = ()  # BG-3
    order_reference: str = ""  # BT-13
    buyer_reference: str = ""  # BT-10
    notes: tuple[str, ...] = ()  # BG-1
    vat_on_debits: bool = False  # "option pour le paiement de la taxe d'après les débits"
    mentions: tuple[str, ...] = ()  # legal mentions decided by the tax rules (exemptions...)
    valid_until: date | None = None  # quotes only: offer validity
    tax_accounting: TaxAccounting | None = None  # BT-6 / BT-111 when BT-5 is not the seller's VAT currency
    # The language the buyer asked for ("fr", "en"; "" = chosen from the buyer's country):
    # presentation only, not an EN 16931 term; the PDF and its paid copies are printed in it.
    language: str = ""

    @property
    def is_issued(self) -> bool:
        return self.status is Status.ISSUED

    @property
    def nature(self) -> SupplyNature:
        """Goods, services or mixed, from the lines (CGI ann. II art. 242 nonies A, 2026)."""
        natures = {line.nature for line in self.lines}
        if natures == {SupplyNature.GOODS}:
            return SupplyNature.GOODS
        if natures == {SupplyNature.SERVICES}:
            return SupplyNature.SERVICES
        return SupplyNature.MIXED
