"""Issuance meets the VAT engine: an order becomes engine inputs, decisions become VAT fields.

The engine (`facturier.tax.decide_order`) decides every line; this module only translates:

- seller profile -> `SellerTaxProfile`, customer -> `BuyerTaxProfile` (VIES status included),
  order lines -> `OrderLine` (kind, product tax class, net amount in EUR, ship-from/ship-to);
- explicit `vat_rate` / `vat_category` on a line are checks, not overrides: an explicit rate
  without `tax_class` selects the class that has this rate in the decided country (so "5.5"
  on a French line means `reduced_2`), then category and rate must equal the decision, else
  TAX-EXPLICIT-RATE / TAX-EXPLICIT-CATEGORY;
- amounts are converted to EUR with the order's `eur_exchange_rate`; a cross-border B2C order
  (or an import with a consignment value) in another currency without it is refused
  (TAX-EXCHANGE-RATE): no silent guess.

Rules and examples: docs/tax/issuing.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput, Violation, invalid
from facturier.domain.seller import SellerProfile
from facturier.services.order_schema import AdjustmentIn, OrderIn
from facturier.tax import (
    BuyerKind,
    BuyerTaxProfile,
    DistanceSalesHistory,
    LineTaxDecision,
    OrderLine,
    OrderTaxDecision,
    SellerTaxProfile,
    SupplyKind,
    UnknownVatIdPolicy,
    VatCheckResult,
    VatIdStatus,
    decide_order,
    default_rate_table,
)
from facturier.tax.territories import resolve_place

CENT = Decimal("0.01")
# ISO 3166-2 subdivisions that are VAT special territories (an address's `subdivision`).
SPECIAL_SUBDIVISIONS = frozenset(
    {"FR-20R", "FR-2A", "FR-2B", "FR-COR", "ES-CN", "ES-GC", "ES-TF", "ES-CE", "ES-ML", "FI-01", "GR-69"}
)
# Rules whose lines count for the EUR 10,000 threshold (Directive art. 59c), see `counts`.
DISTANCE_RULES = frozenset(
    {"EU-DISTANCE-GOODS-ORIGIN", "EU-DISTANCE-GOODS-DEST", "EU-TBE-B2C-ORIGIN", "EU-TBE-B2C-DEST"}
)
_GENERIC_CLASSES = ("standard", "reduced", "reduced_2", "super_reduced", "parking")
_CLASS_FOR_CATEGORY = {"E": "exempt", "Z": "zero"}


@dataclass(frozen=True, slots=True)
class TaxContext:
    """What issuance adds to an order: the threshold history reader and the VIES result."""

    history: Callable[[date], DistanceSalesHistory] | None = None
    vies: VatCheckResult | None = None


def place(country: str, subdivision: str = "") -> str:
    """An address as an engine place code: the special territory when the subdivision names one."""
    sub = subdivision.strip().upper()
    if sub in SPECIAL_SUBDIVISIONS and sub.startswith(country.strip().upper()):
        return sub
    return country.strip().upper()


def seller_tax_profile(profile: SellerProfile) -> SellerTaxProfile:
    a = profile.party.address
    territory = place(a.country, a.subdivision)
    return SellerTaxProfile(
        country=a.country,
        vat_id=profile.party.vat_id or None,
        territory=territory if territory != a.country.upper() else None,
        foreign_vat_ids=profile.foreign_vat_ids,
        oss_union=profile.oss_union,
        ioss_number=profile.ioss_number or None,
        franchise_en_base=profile.franchise_en_base,
        vat_on_debits=profile.vat_on_debits,
        unknown_vat_id_policy=UnknownVatIdPolicy(profile.unknown_vat_id_policy),
    )


def vat_status(order: OrderIn, vies: VatCheckResult | None) -> VatIdStatus:
    if vies is not None:
        return vies.status
    check = order.customer.vat_check if order.customer else None
    return VatIdStatus(check.status) if check else VatIdStatus.NOT_CHECKED


def buyer_tax_profile(order: OrderIn, vies: VatCheckResult | None) -> BuyerTaxProfile:
    customer, billing = order.customer, order.billing_address
    if customer is None or billing is None:
        missing = "customer" if customer is None else "billing_address"
        raise invalid("BR-07" if missing == "customer" else "BR-10", missing, f"{missing} is required")
    territory = place(billing.country, billing.subdivision)
    return BuyerTaxProfile(
        kind=BuyerKind.BUSINESS if customer.type == "business" else BuyerKind.CONSUMER,
        country=billing.country,
        territory=territory if territory != billing.country else None,
        vat_id=customer.vat_id.replace(" ", "") or None,
        vat_id_status=vat_status(order, vies),
    )


def ship_to(order: OrderIn) -> str:
    address = order.shipping_address or order.billing_address
    return place(address.country, address.subdivision) if address else ""


def eur_rate(order: OrderIn) -> Decimal | None:
    """Units of the order currency per EUR: 1 for EUR orders, the order's rate, or None."""
    return Decimal(1) if order.currency == "EUR" else order.eur_exchange_rate


def to_eur(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def initial_classes(order: OrderIn) -> list[str]:
    return [
        line.tax_class or _CLASS_FOR_CATEGORY.get((line.vat_category or "").upper(), "standard") for line in order.lines
    ]


def engine_lines(order: OrderIn, nets: Sequence[Decimal], classes: Sequence[str], rate: Decimal) -> list[OrderLine]:
    consignment = to_eur(order.consignment_value, rate) if order.consignment_value is not None else None
    to = ship_to(order) or None
    return [
        OrderLine(
            line_id=str(i + 1),
            kind=SupplyKind(line.kind),
            product_class=classes[i],
            net_amount=to_eur(nets[i], rate),
            ship_from=order.ship_from or None,
            ship_to=to,
            supply_date=order.delivery_date,
            consignment_value=consignment,
        )
        for i, line in enumerate(order.lines)
    ]


def decide(
    order: OrderIn,
    profile: SellerProfile,
    issue_date: date,
    nets: Sequence[Decimal],
    classes: Sequence[str],
    context: TaxContext,
) -> OrderTaxDecision:
    """One engine call; engine field paths renamed to the order's (lines[0].tax_class...)."""
    rate = eur_rate(order)
    if rate is None and order.consignment_value is not None:
        raise _no_exchange_rate(order, "an import consignment value")
    history = context.history(issue_date) if context.history is not None and rate is not None else None
    try:
        return decide_order(
            seller_tax_profile(profile),
            buyer_tax_profile(order, context.vies),
            engine_lines(order, nets, classes, rate or Decimal(1)),
            history,
            issue_date,
        )
    except InvalidInput as exc:
        if rate is None and any(v.rule_id == "TAX-THRESHOLD-HISTORY" for v in exc.violations):
            raise _no_exchange_rate(order, "a cross-border B2C sale (EUR 10,000 threshold)") from None
        raise type(exc)(_renamed(v, order) for v in exc.violations) from None


def _renamed(v: Violation, order: OrderIn) -> Violation:
    """Order field paths; a buyer VAT id checksum keeps the project's one id for that check."""
    path = order_field(v.path)
    if path == "delivery_date" and order.delivery_date is None:
        path = "issue_date"  # the supply date is the issue date when no delivery date is given
    if v.rule_id == "TAX-VATID-CHECKSUM" and v.path == "buyer.vat_id":
        return Violation("EU-VATID", path, f"{v.message} (TAX-VATID-CHECKSUM)")
    return Violation(v.rule_id, path, v.message)


def _no_exchange_rate(order: OrderIn, what: str) -> InvalidInput:
    return invalid(
        "TAX-EXCHANGE-RATE",
        "eur_exchange_rate",
        f"the order is in {order.currency} and is {what}: the threshold and OSS amounts are in EUR; "
        "give eur_exchange_rate (units of the currency per EUR, e.g. the ECB reference rate)",
    )


_ENGINE_PATHS = (
    (re.compile(r"^lines\[(\d+)\]\.product_class$"), r"lines[\1].tax_class"),
    (re.compile(r"^lines\[\d+\]\.supply_date$"), "delivery_date"),
    (re.compile(r"^lines\[\d+\]\.ship_to$"), "shipping_address.country"),
    (re.compile(r"^lines\[\d+\]\.ship_from$"), "ship_from"),
    (re.compile(r"^lines\[\d+\]\.consignment_value$"), "consignment_value"),
    (re.compile(r"^buyer\.(country|territory)$"), "billing_address.country"),
    (re.compile(r"^buyer\.vat_id_status$"), "customer.vat_id"),
)


def order_field(path: str) -> str:
    """The order's name for an engine field path."""
    for pattern, replacement in _ENGINE_PATHS:
        if pattern.match(path):
            return pattern.sub(replacement, path)
    return path


def refined_classes(order: OrderIn, classes: Sequence[str], decision: OrderTaxDecision, issue_date: date) -> list[str]:
    """An explicit rate without tax_class selects the decided country's class with that rate."""
    out = list(classes)
    for i, line in enumerate(order.lines):
        d = decision.lines[i]
        if line.tax_class or line.vat_rate is None or d.category is not VatCategory.STANDARD:
            continue
        if d.rate != line.vat_rate:
            out[i] = _class_with_rate(d, line.vat_rate, order.delivery_date or issue_date) or out[i]
    return out


def _class_with_rate(d: LineTaxDecision, rate: Decimal, on: date) -> str | None:
    table = default_rate_table()
    territory = d.territory or ""
    jurisdictions = (territory, "FR-DOM" if territory.startswith("FR-97") else "", d.country)
    for jurisdiction in (j for j in jurisdictions if j):
        for name in _GENERIC_CLASSES:
            row = table.rate(jurisdiction, name, on)
            if row is not None and row.rate == rate:
                return name
    return None


def explicit_problems(order: OrderIn, decision: OrderTaxDecision) -> list[Violation]:
    """Explicit category/rate that disagree with the decision, and groups mixing VAT countries."""
    found: list[Violation] = []
    for i, line in enumerate(order.lines):
        d = decision.lines[i]
        said = f"the tax engine decides {d.country} {d.category.value} {d.rate} % (rule {d.rule_id})"
        if line.vat_category and line.vat_category.upper() != d.category.value:
            message = f"explicit category {line.vat_category} but {said}: remove vat_category or fix it"
            found.append(Violation("TAX-EXPLICIT-CATEGORY", f"lines[{i}].vat_category", message))
        if line.vat_rate is not None and line.vat_rate != d.rate:
            message = f"explicit rate {line.vat_rate} % but {said}: remove vat_rate or give tax_class"
            found.append(Violation("TAX-EXPLICIT-RATE", f"lines[{i}].vat_rate", message))
    keys = {(d.category.value, d.rate) for d in decision.lines}
    adjustments = [(f"discounts[{i}]", a) for i, a in enumerate(order.discounts)]
    adjustments += [(f"charges[{i}]", a) for i, a in enumerate(order.charges)]
    found.extend(_adjustment_problem(path, adj, keys) for path, adj in adjustments if _off_keys(adj, keys))
    return found + _mixed_countries(decision)


def _off_keys(adj: AdjustmentIn, keys: set[tuple[str, Decimal]]) -> bool:
    return adj.vat_rate is not None and ((adj.vat_category or "S").upper(), adj.vat_rate) not in keys


def _adjustment_problem(path: str, adj: AdjustmentIn, keys: set[tuple[str, Decimal]]) -> Violation:
    groups = ", ".join(f"{c} {r} %" for c, r in sorted(keys))
    message = (
        f"explicit {adj.vat_category or 'S'} {adj.vat_rate} % matches no VAT group of the lines ({groups}): a "
        "document-level charge follows the lines it accompanies; remove vat_rate to split it over them"
    )
    return Violation("TAX-EXPLICIT-RATE", f"{path}.vat_rate", message)


def _mixed_countries(decision: OrderTaxDecision) -> list[Violation]:
    seen: dict[tuple[VatCategory, Decimal], str] = {}
    for i, d in enumerate(decision.lines):
        if d.category is not VatCategory.STANDARD:
            continue
        first = seen.setdefault((d.category, d.rate), d.country)
        if first != d.country:
            message = (
                f"{d.country} and {first} VAT at the same rate {d.rate} % cannot share one VAT breakdown "
                "(BG-23): issue one invoice per VAT country"
            )
            return [Violation("TAX-MIXED-COUNTRIES", f"lines[{i}]", message)]
    return []


def counts(d: LineTaxDecision, order: OrderIn, seller: SellerTaxProfile) -> bool:
    """Whether a decided line counts for the threshold (art. 59c(1)(b): dispatched from home)."""
    if d.rule_id not in DISTANCE_RULES:
        return False
    if not d.rule_id.startswith("EU-DISTANCE-GOODS") or not order.ship_from:
        return True
    return resolve_place(order.ship_from, "ship_from").country == seller.country


def line_vat(d: LineTaxDecision, language: str, reason: str, code: str) -> tuple[VatCategory, Decimal, str, str]:
    """(category, rate, BT-120 reason, BT-121 code) of a line from its decision.

    An explicit exemption reason or code on the order line wins for a category that needs one.
    """
    if d.category is VatCategory.STANDARD:
        return d.category, d.rate, "", ""
    decided = d.exemption_reason_en if language == "en" else d.exemption_reason_fr
    return d.category, d.rate, reason or decided or "", code or d.vatex_code or ""


def document_mentions(decision: OrderTaxDecision, language: str) -> tuple[str, ...]:
    """The invoice mentions; the VAT-on-debits one is printed from `Document.vat_on_debits`."""
    chosen = [m for m in decision.mentions.mentions if m.code != "DEBITS"]
    return tuple(m.en if language == "en" else m.fr for m in chosen)


def on_debits(decision: OrderTaxDecision) -> bool:
    return "DEBITS" in decision.mentions.codes()


def vies_note(vat_id: str, result: VatCheckResult) -> str:
    """Evidence of the VIES check (Implementing Regulation 282/2011 art. 18(1)), as a BG-1 note."""
    when = f" le {result.checked_at.date().isoformat()}" if result.checked_at else ""
    reference = f", référence de consultation {result.consultation_reference}" if result.consultation_reference else ""
    return f"Contrôle VIES du numéro de TVA {vat_id}{when} : {result.status.value}{reference}"
