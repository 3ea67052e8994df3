"""Inputs and outputs of the VAT determination engine (pure values, no behaviour beyond lookups).

Location representation (used for the seller, the buyer and the ship-from / ship-to places):
``country`` is an ISO 3166-1 alpha-2 code and ``territory`` an optional ISO 3166-2 code naming a
VAT special territory. Both spellings below are accepted and normalised by
`facturier.tax.territories.resolve`:

- French overseas departments: ``country="GP"`` or ``country="FR", territory="FR-971"``
  (GP/FR-971 Guadeloupe, MQ/FR-972 Martinique, GF/FR-973 Guyane, RE/FR-974 La Réunion,
  YT/FR-976 Mayotte);
- Corsica: ``country="FR", territory="FR-20R"`` (``FR-2A`` / ``FR-2B`` accepted);
- Canary Islands ``ES-CN`` (``IC`` accepted as country), Ceuta ``ES-CE``, Melilla ``ES-ML``;
- Åland ``AX`` / ``FI-01``, Mount Athos ``GR-69``; Monaco ``MC`` is French VAT territory;
  Greece may be given as ``GR`` or ``EL``.

Ship-from / ship-to places are a single code: a country (``"DE"``) or a territory (``"FR-20R"``,
``"GP"``, ``"ES-CN"``).
All amounts are `Decimal` in EUR (the service layer converts other currencies first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from facturier.domain.codes import VatCategory


class SupplyKind(StrEnum):
    """What a line supplies; TBE = telecommunications, broadcasting, electronic services."""

    GOODS = "goods"
    SERVICES = "services"
    TBE = "tbe"  # Directive 2006/112/EC art. 58


class BuyerKind(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


class VatIdStatus(StrEnum):
    """Outcome of the buyer VAT id check (VIES, done by the service layer before deciding)."""

    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN = "unknown"  # VIES unreachable or member state service down: never INVALID
    NOT_CHECKED = "not_checked"


class UnknownVatIdPolicy(StrEnum):
    """Seller setting: what to do when a business buyer's VAT id could not be confirmed."""

    TREAT_AS_CONSUMER = "treat_as_consumer"
    HOLD = "hold"


@dataclass(frozen=True, slots=True)
class SellerTaxProfile:
    """The seller; `foreign_vat_ids` holds ``(member state, VAT id)`` local registrations."""

    country: str
    vat_id: str | None = None
    territory: str | None = None
    foreign_vat_ids: tuple[tuple[str, str], ...] = ()
    oss_union: bool = False  # Directive art. 369a-369k (Union scheme)
    ioss_number: str | None = None  # Directive art. 369l-369x (import scheme)
    franchise_en_base: bool = False  # CGI art. 293 B
    vat_on_debits: bool = False  # CGI art. 269 2 a (option pour les débits)
    unknown_vat_id_policy: UnknownVatIdPolicy = UnknownVatIdPolicy.TREAT_AS_CONSUMER

    def vat_id_in(self, country: str) -> str | None:
        """The VAT id the seller holds in `country` (its home id for its own country)."""
        if country == self.country:
            return self.vat_id
        return next((vid for c, vid in self.foreign_vat_ids if c == country), None)


@dataclass(frozen=True, slots=True)
class BuyerTaxProfile:
    kind: BuyerKind
    country: str
    territory: str | None = None
    vat_id: str | None = None
    vat_id_status: VatIdStatus = VatIdStatus.NOT_CHECKED


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One order line. `supply_date` defaults to the order date; `ship_*` are for goods."""

    line_id: str
    kind: SupplyKind
    product_class: str
    net_amount: Decimal
    ship_from: str | None = None
    ship_to: str | None = None
    supply_date: date | None = None
    consignment_value: Decimal | None = None  # intrinsic value of the consignment (imports)


@dataclass(frozen=True, slots=True)
class Mention:
    """A legal mention to print on the invoice, in French and English."""

    code: str
    fr: str
    en: str
    legal_reference: str


@dataclass(frozen=True, slots=True)
class ThresholdStatus:
    """EUR 10,000 distance-sales threshold (Directive art. 59c, CGI art. 258 A / 259 D)."""

    year: int
    previous_year_total: Decimal
    current_year_total: Decimal  # before this order
    order_amount: Decimal  # this order's cross-border B2C amount
    exceeded: bool
    reason: str


@dataclass(frozen=True, slots=True)
class LineTaxDecision:
    """The VAT treatment of one line and why."""

    line_id: str
    country: str  # the state whose VAT applies (or ship-to/customer country when none applies)
    territory: str | None
    category: VatCategory
    rate: Decimal
    vatex_code: str | None
    exemption_reason_fr: str | None
    exemption_reason_en: str | None
    rule_id: str
    legal_reference: str
    explanation: tuple[str, ...]
    oss_scheme: str | None = None  # "union", "import", "non-union" or None
    mentions: tuple[Mention, ...] = ()
    warnings: tuple[str, ...] = ()
    rate_source: str | None = None
    mirrored_from_invoice: bool = False


@dataclass(frozen=True, slots=True)
class InvoiceTaxMentions:
    mentions: tuple[Mention, ...] = ()

    def fr(self) -> tuple[str, ...]:
        return tuple(m.fr for m in self.mentions)

    def en(self) -> tuple[str, ...]:
        return tuple(m.en for m in self.mentions)

    def codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.mentions)


@dataclass(frozen=True, slots=True)
class OrderTaxDecision:
    lines: tuple[LineTaxDecision, ...]
    mentions: InvoiceTaxMentions
    threshold: ThresholdStatus | None
    buyer_treatment: str  # "business" or "consumer", after the VAT id policy
    explanation: tuple[str, ...] = field(default=())

    def line(self, line_id: str) -> LineTaxDecision:
        return next(d for d in self.lines if d.line_id == line_id)


@dataclass(frozen=True, slots=True)
class RateQuote:
    """A resolved rate with its provenance, as returned by a jurisdiction."""

    category: VatCategory
    rate: Decimal
    source: str  # human-readable: data row, its source and validity
    vatex_code: str | None = None
    reason_fr: str | None = None
    reason_en: str | None = None
