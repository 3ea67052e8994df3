"""The order input format: close to what shops send (customer, addresses, lines with net or
gross prices, discounts, shipping, currency, payment status). `facturier schema order`
prints it as JSON Schema. Amounts are JSON strings or numbers, read as exact Decimals
(never floats: the CLI parses JSON with `parse_float=Decimal`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from facturier.domain.limits import MAX_CODE_CHARS, MAX_DOCUMENT_ADJUSTMENTS, MAX_LINES, MAX_NOTES, MAX_TEXT_CHARS
from facturier.domain.text import forbidden_character


def _refuse_hidden(multiline: bool) -> BeforeValidator:
    """Refuse controls, bidi overrides and other invisible characters (domain.text), naming the code point."""

    def check(value: object) -> object:
        problem = forbidden_character(value, multiline) if isinstance(value, str) else None
        if problem is not None:
            raise PydanticCustomError("forbidden_character", "{problem}", {"problem": problem})
        return value

    return BeforeValidator(check)


OneLine = _refuse_hidden(multiline=False)  # no control character at all
MultiLine = _refuse_hidden(multiline=True)  # tab and newline allowed
# The bounds live in domain.limits: the e-invoice layer sizes its own-output check from them.
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_CHARS), OneLine]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_CHARS), MultiLine]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_CODE_CHARS), OneLine]
# Bounded numbers: hostile input cannot overflow the decimal context or smuggle precision.
Quantity = Annotated[Decimal, Field(max_digits=16, decimal_places=6)]
Price = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
Rate = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddressIn(_Model):
    line1: Text
    line2: Text = ""
    line3: Text = ""
    city: Text
    postcode: Code = ""
    subdivision: Text = ""
    country: Annotated[str, StringConstraints(min_length=2, max_length=2, to_upper=True), OneLine]


class ElectronicAddressIn(_Model):
    value: Text
    scheme: Code = Field(description="EAS code, e.g. 0225 (French SIREN-based), 0009 (SIRET), EM (email)")


class VatCheckIn(_Model):
    """A VIES check of the customer's VAT id made by the source system (e.g. at checkout)."""

    status: Literal["valid", "invalid", "unknown"]
    consultation_reference: Code = Field(default="", description="VIES requestIdentifier")
    checked_on: dt.date | None = None


class CustomerIn(_Model):
    type: Literal["consumer", "business"] = "consumer"
    name: Text
    trading_name: Text = ""
    siren: Code = ""
    siret: Code = ""
    vat_id: Code = ""
    email: Text = ""
    phone: Text = ""
    contact_name: Text = ""
    electronic_address: ElectronicAddressIn | None = None
    language: Literal["", "fr", "en"] = Field(
        default="", description="language of the documents; default: French in French-speaking countries, else English"
    )
    vat_check: VatCheckIn | None = Field(default=None, description="VIES result obtained upstream, if any")


class AdjustmentIn(_Model):
    """A discount or a charge: a fixed `amount` (net or gross per `prices_include_vat`) or a `percent`."""

    amount: Amount | None = None
    percent: Rate | None = None
    reason: Text = ""
    code: Code = Field(default="", description="UNTDID 5189 (discounts) / 7161 (charges) reason code")
    vat_rate: Rate | None = None
    vat_category: Code | None = None


class ChargeIn(AdjustmentIn):
    type: Literal["shipping", "handling", "gift_wrap", "other"] = "other"


class LineIn(_Model):
    sku: Code = ""
    name: Text
    description: Note = ""
    quantity: Quantity
    unit: Code = Field(default="C62", description="UN/ECE Rec. 20 unit code (C62 = one, HUR = hour, KGM = kg)")
    unit_price: Price = Field(description="net or VAT-inclusive per prices_include_vat, up to 6 decimals")
    base_quantity: Quantity = Field(default=Decimal(1), gt=0)
    vat_rate: Rate | None = Field(default=None, description="optional: decided by the tax engine; if given, must agree")
    vat_category: Code | None = Field(default=None, description="optional UNTDID 5305 code; if given, must agree")
    tax_class: Code | None = Field(
        default=None,
        description="product tax class: standard (default), reduced, reduced_2, super_reduced, zero, exempt, "
        "books, food, press, medicines, passenger_transport, ... (docs/algorithms/tax-determination.md)",
    )
    kind: Literal["goods", "services", "tbe"] = Field(
        default="goods", description="tbe: telecommunications, broadcasting or electronic services"
    )
    discount: AdjustmentIn | None = None
    exemption_reason: Text = ""
    exemption_code: Code = ""


class PaymentIn(_Model):
    status: Literal["pending", "paid"] = "pending"
    method: Literal["card", "transfer", "direct_debit", "paypal", "cash", "cheque"] = "transfer"
    reference: Text = ""
    paid_on: dt.date | None = None
    due_date: dt.date | None = None
    terms_days: int | None = Field(default=None, ge=0, le=120)


class CreditIn(_Model):
    """What a credit note credits: everything (default), some lines, or an amount incl. VAT."""

    lines: dict[Code, Quantity] | None = Field(default=None, description="line id -> quantity to credit")
    amount: Amount | None = Field(default=None, gt=0, description="amount including VAT")
    reason: Text = ""


class DepositIn(_Model):
    percent: Rate | None = Field(default=None, gt=0)
    amount: Amount | None = Field(default=None, gt=0, description="amount including VAT")


Kind = Literal["invoice", "credit_note", "corrective", "down_payment", "final_invoice", "quote", "proforma"]


class OrderIn(_Model):
    """An order (or a refund) as a shop or an API client sends it."""

    id: Code = Field(description="the order's id in the source system; issuing twice returns the same document")
    kind: Kind = "invoice"
    date: dt.date | None = Field(
        default=None, description="when the customer ordered (never after the issue date); not the invoice date"
    )
    issue_date: dt.date | None = Field(
        default=None,
        description="invoice date (BT-2) when back-dating, within the seller's backdating_days; "
        "default: today in the seller's time zone; never in the future",
    )
    delivery_date: dt.date | None = Field(default=None, description="date of supply (BT-72); default: the issue date")
    currency: Code = "EUR"
    prices_include_vat: bool = False
    customer_id: Text = Field(default="", exclude=True, description="a stored customer's id or reference (no customer)")
    customer: CustomerIn | None = None
    billing_address: AddressIn | None = None
    shipping_address: AddressIn | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=MAX_LINES)
    discounts: list[AdjustmentIn] = Field(default_factory=list, max_length=MAX_DOCUMENT_ADJUSTMENTS)
    charges: list[ChargeIn] = Field(default_factory=list, max_length=MAX_DOCUMENT_ADJUSTMENTS)
    payment: PaymentIn = PaymentIn()
    order_reference: Code = ""
    buyer_reference: Code = ""
    notes: list[Note] = Field(default_factory=list, max_length=MAX_NOTES)
    corrects: Code = Field(default="", description="number of the invoice a credit note or corrective invoice modifies")
    corrects_order: Code = Field(
        default="", description="instead of corrects: the id of the order the modified invoice was issued from"
    )
    credit: CreditIn | None = None
    deposit: DepositIn | None = None
    ship_from: Code = Field(default="", description="where goods are dispatched from (default: seller's country)")
    consignment_value: Amount | None = Field(
        default=None, description="intrinsic value of an imported consignment, in the order currency (IOSS)"
    )
    eur_exchange_rate: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)] | None = Field(
        default=None,
        description="units of the order currency for one EUR (ECB reference-rate convention); "
        "required for every order of a French seller not in EUR: the invoice states its VAT total "
        "in EUR (BT-6, BT-111; Directive 2006/112/EC art. 230)",
    )
