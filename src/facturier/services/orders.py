"""From an order (shop webhook, API call, file) to a draft document.

Reading: `parse_order` turns bytes into an `OrderIn`, every problem reported with its
field path. Mapping: `draft_from_order` builds the draft `Document` (prices computed by
domain.pricing); credit notes and final invoices look up the documents they refer to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pydantic import ValidationError

from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.documents import Document, PaymentMeans, PaymentTerms, PriceMode
from facturier.domain.errors import InvalidInput, Violation, invalid
from facturier.domain.money import is_known_currency
from facturier.domain.parties import Address, BuyerKind, Contact, ElectronicAddress, Party
from facturier.domain.pricing import AdjustmentInput, LineInput, price_document
from facturier.domain.rules_france import RECOVERY_INDEMNITY_EUR
from facturier.domain.seller import SellerProfile
from facturier.rendering.wording import paid_note
from facturier.services.accounting_currency import with_accounting_currency
from facturier.services.order_schema import AddressIn, AdjustmentIn, LineIn, OrderIn
from facturier.services.tax_decisions import (
    TaxContext,
    decide,
    document_mentions,
    explicit_problems,
    initial_classes,
    line_vat,
    on_debits,
    refined_classes,
    vies_note,
)
from facturier.tax import LineTaxDecision, OrderTaxDecision, VatCheckResult, VatIdStatus

MAX_ORDER_BYTES = 5_000_000

_MEANS = {
    "card": PaymentMeansCode.CARD,
    "transfer": PaymentMeansCode.SEPA_CREDIT_TRANSFER,
    "direct_debit": PaymentMeansCode.SEPA_DIRECT_DEBIT,
    "paypal": PaymentMeansCode.CARD,
    "cash": PaymentMeansCode.CASH,
    "cheque": PaymentMeansCode.CHEQUE,
}


def parse_order(raw: bytes) -> OrderIn:
    """Parse and check an order; numbers are read as exact Decimals, never floats."""
    if len(raw) > MAX_ORDER_BYTES:
        raise invalid("ORDER-SIZE", "$", f"order is {len(raw)} bytes, more than the {MAX_ORDER_BYTES} allowed")
    try:
        data = json.loads(raw, parse_float=Decimal, strict=False)  # raw controls reach the field check
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid("ORDER-JSON", "$", f"malformed JSON: {exc}") from None
    try:
        return OrderIn.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            Violation("ORDER-SCHEMA", _path(err["loc"]), err["msg"]) for err in exc.errors(include_url=False)
        ) from None


_ORDER_PREFIXES = (
    ("buyer.address.", "billing_address."),
    ("buyer.", "customer."),
    ("delivery_address.", "shipping_address."),
)
_ORDER_SUFFIXES = ((".unit_code", ".unit"), (".net_price", ".unit_price"), (".seller_item_id", ".sku"))


def order_path(domain_path: str) -> str:
    """Name a violation's field as the order file names it (buyer.siren -> customer.siren)."""
    for domain, order in _ORDER_PREFIXES:
        if domain_path.startswith(domain):
            domain_path = order + domain_path[len(domain) :]
            break
    for domain, order in _ORDER_SUFFIXES:
        if domain_path.endswith(domain):
            return domain_path[: -len(domain)] + order
    return domain_path


def _path(loc: tuple[object, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def buyer_from_order(order: OrderIn) -> Party:
    customer, billing = order.customer, order.billing_address
    if customer is None or billing is None:
        missing = "customer" if customer is None else "billing_address"
        raise invalid("BR-07" if missing == "customer" else "BR-10", missing, f"{missing} is required")
    electronic = customer.electronic_address
    return Party(
        name=customer.name,
        address=_address(billing),
        kind=BuyerKind(customer.type),
        trading_name=customer.trading_name,
        siren=customer.siren.replace(" ", ""),
        siret=customer.siret.replace(" ", ""),
        vat_id=customer.vat_id.replace(" ", ""),
        electronic_address=ElectronicAddress(electronic.value, electronic.scheme) if electronic else None,
        contact=Contact(customer.contact_name, customer.phone, customer.email),
    )


def _address(a: AddressIn) -> Address:
    return Address(a.line1, a.city, a.postcode, a.country, a.line2, a.line3, a.subdivision)


def _category(code: str, path: str) -> VatCategory:
    try:
        return VatCategory(code)
    except ValueError:
        raise invalid("BR-CL-18", path, f"{code!r} is not a UNTDID 5305 VAT category code") from None


def line_inputs(order: OrderIn, decision: OrderTaxDecision | None = None) -> list[LineInput]:
    """Line inputs; VAT fields from the decision, or as entered (S 0 % when absent) without one."""
    language = engine_language(order)
    decided = decision.lines if decision is not None else (None,) * len(order.lines)
    return [_line_input(line, i, d, language) for i, (line, d) in enumerate(zip(order.lines, decided, strict=True))]


def _line_input(line: LineIn, i: int, decided: LineTaxDecision | None, language: str) -> LineInput:
    adjustments = (_adjustment(line.discount, False, f"lines[{i}].discount", line_level=True),) if line.discount else ()
    if decided is not None:
        category, rate, reason, code = line_vat(decided, language, line.exemption_reason, line.exemption_code)
    else:
        category = _category(line.vat_category or "S", f"lines[{i}].vat_category")
        rate = line.vat_rate if line.vat_rate is not None else Decimal(0)
        reason, code = line.exemption_reason, line.exemption_code
    return LineInput(
        line_id=str(i + 1),
        name=line.name,
        quantity=line.quantity,
        unit_code=line.unit,
        unit_price=line.unit_price,
        vat_category=category,
        vat_rate=rate,
        base_quantity=line.base_quantity,
        description=line.description,
        seller_item_id=line.sku,
        nature=SupplyNature.GOODS if line.kind == "goods" else SupplyNature.SERVICES,
        adjustments=adjustments,
        exemption_reason=reason,
        exemption_code=code,
    )


def _adjustment(adj: AdjustmentIn, is_charge: bool, path: str, line_level: bool = False) -> AdjustmentInput:
    if (adj.amount is None) == (adj.percent is None):
        raise invalid("ORDER-ADJUSTMENT", path, "give exactly one of amount or percent")
    category = None
    if not line_level and adj.vat_rate is not None:
        category = _category(adj.vat_category or "S", f"{path}.vat_category")
    default_reason = "Remise" if not is_charge else "Frais"
    return AdjustmentInput(
        is_charge=is_charge,
        amount=adj.amount,
        percentage=adj.percent,
        reason=adj.reason or default_reason,
        reason_code=adj.code or ("95" if not is_charge else ""),
        vat_category=category,
        vat_rate=adj.vat_rate if category is not None else None,
    )


_CHARGE_CODES = {
    "shipping": ("FC", "Frais de port"),
    "handling": ("ABL", "Frais de manutention"),
    "gift_wrap": ("PC", "Emballage cadeau"),
}


def adjustment_inputs(order: OrderIn) -> list[AdjustmentInput]:
    result = [_adjustment(d, False, f"discounts[{i}]") for i, d in enumerate(order.discounts)]
    for i, charge in enumerate(order.charges):
        code, reason = _CHARGE_CODES.get(charge.type, ("", "Frais"))
        adj = _adjustment(charge, True, f"charges[{i}]")
        result.append(replace(adj, reason_code=charge.code or code, reason=charge.reason or reason))
    return result


def payment_terms(order: OrderIn, profile: SellerProfile, buyer: Party, issue_date: date) -> PaymentTerms:
    payment = order.payment
    due = payment.due_date or issue_date + timedelta(days=payment.terms_days or profile.payment_days)
    if payment.status == "paid":
        due = payment.paid_on or issue_date
    means = profile.payment_means if payment.method == "transfer" else (PaymentMeans(_MEANS[payment.method]),)
    business = buyer.is_business
    return PaymentTerms(
        due_date=due,
        note=_payment_note(order),
        means=means,
        early_payment_discount=profile.early_payment_discount,
        late_penalty_rate=profile.late_penalty_rate if business else None,
        recovery_indemnity=RECOVERY_INDEMNITY_EUR if business else None,  # C. com. D441-5
    )


def _payment_note(order: OrderIn) -> str:
    payment = order.payment
    if payment.status != "paid":
        return ""
    return paid_note(payment.method, payment.paid_on or order.date, payment.reference)


def engine_language(order: OrderIn) -> str:
    """The language of the texts the engine writes into the document (mentions, reasons): the
    customer's, French by default (the PDF's own language is decided from the buyer when not given)."""
    return (order.customer.language if order.customer else "") or "fr"


def check_header(order: OrderIn, issue_date: date) -> None:
    if order.date is not None and order.date > issue_date:
        raise invalid(
            "ORDER-DATE",
            "date",
            f"the order date {order.date} is after the issue date {issue_date}: an invoice follows its order",
        )
    if not is_known_currency(order.currency):
        raise invalid("BR-CL-04", "currency", f"{order.currency!r} is not an ISO 4217 currency code")
    if not order.lines and order.kind not in ("credit_note",):
        raise invalid("BR-16", "lines", "an order needs at least one line")


def draft_from_lines(
    order: OrderIn,
    profile: SellerProfile,
    document_type: DocumentType,
    issue_date: date,
    prepaid: Decimal = Decimal(0),
    context: TaxContext | None = None,
) -> Document:
    """A draft priced from the order's own lines (invoice, quote, pro forma, corrective...)."""
    return drafted_from_lines(order, profile, document_type, issue_date, prepaid, context).document


@dataclass(frozen=True, slots=True)
class Drafted:
    document: Document
    decision: OrderTaxDecision


def drafted_from_lines(
    order: OrderIn,
    profile: SellerProfile,
    document_type: DocumentType,
    issue_date: date,
    prepaid: Decimal = Decimal(0),
    context: TaxContext | None = None,
) -> Drafted:
    """The draft and the tax decision it was built from (issuance records the latter)."""
    check_header(order, issue_date)
    buyer = buyer_from_order(order)
    mode = PriceMode.GROSS if order.prices_include_vat else PriceMode.NET
    context = context or TaxContext()
    decision = decide_lines(order, profile, issue_date, mode, context)
    inputs, adjustments = line_inputs(order, decision), adjustment_inputs(order)
    priced = price_document(inputs, adjustments, mode, order.currency)
    if order.payment.status == "paid":
        # Paid at checkout: the customer paid what the basket showed, which is BT-115 before any
        # prepaid amount, rounding amount (BT-114) included: nothing remains due (BR-CO-16).
        prepaid = priced.totals.payable
    if prepaid:
        priced = price_document(inputs, adjustments, mode, order.currency, prepaid)
    language = engine_language(order)
    document = Document(
        document_type=document_type,
        currency=order.currency,
        seller=profile.party,
        buyer=buyer,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=issue_date,
        price_mode=mode,
        allowances_charges=priced.allowances_charges,
        delivery_date=order.delivery_date,
        delivery_address=_address(order.shipping_address) if order.shipping_address else None,
        delivery_name=buyer.name if order.shipping_address else "",
        payment_terms=payment_terms(order, profile, buyer, issue_date),
        order_reference=order.order_reference or order.id,
        buyer_reference=order.buyer_reference,
        notes=(*order.notes, *_vies_notes(order, context)),
        vat_on_debits=on_debits(decision),
        mentions=document_mentions(decision, language),
        language=order.customer.language if order.customer else "",
        valid_until=issue_date + timedelta(days=profile.quote_validity_days)
        if document_type in (DocumentType.QUOTE, DocumentType.PROFORMA)  # an offer states how long it holds
        else None,
    )
    return Drafted(with_accounting_currency(document, order), decision)  # BT-6/BT-111, Directive art. 230


def _vies_notes(order: OrderIn, context: TaxContext) -> tuple[str, ...]:
    customer = order.customer
    vat_id = customer.vat_id.replace(" ", "") if customer else ""
    if not vat_id or customer is None:
        return ()
    result = context.vies
    check = customer.vat_check
    if result is None and check is not None:
        checked = datetime.combine(check.checked_on, time()) if check.checked_on else None
        result = VatCheckResult(VatIdStatus(check.status), check.consultation_reference or None, checked)
    return (vies_note(vat_id, result),) if result is not None else ()


def decide_lines(
    order: OrderIn, profile: SellerProfile, issue_date: date, mode: PriceMode, context: TaxContext
) -> OrderTaxDecision:
    """Decide every line (docs/tax/issuing.md): class from an explicit rate, then settle the nets.

    With VAT-inclusive prices the net amounts (which the EUR 10,000 threshold counts) depend
    on the rates decided: decide again on the nets of the previous decision until it is stable;
    if it does not settle (the order sits exactly where origin and destination rates disagree),
    the destination treatment (threshold exceeded) is kept.
    """
    classes = initial_classes(order)
    decision = decide(order, profile, issue_date, _nets(order, mode, None), classes, context)
    better = refined_classes(order, classes, decision, issue_date)
    if better != classes:
        classes = better
        decision = decide(order, profile, issue_date, _nets(order, mode, None), classes, context)
    if mode is PriceMode.GROSS:
        decision = _settled(order, profile, issue_date, classes, context, decision)
    problems = explicit_problems(order, decision)
    if problems:
        raise InvalidInput(problems)
    return decision


def _settled(
    order: OrderIn,
    profile: SellerProfile,
    issue_date: date,
    classes: list[str],
    context: TaxContext,
    decision: OrderTaxDecision,
) -> OrderTaxDecision:
    tried = [decision]
    for _ in range(3):
        again = decide(order, profile, issue_date, _nets(order, PriceMode.GROSS, tried[-1]), classes, context)
        if _treatment(again) == _treatment(tried[-1]):
            return again
        tried.append(again)
    return next((d for d in tried if d.threshold is not None and d.threshold.exceeded), tried[-1])


def _treatment(decision: OrderTaxDecision) -> tuple[tuple[str, str, Decimal], ...]:
    return tuple((d.country, d.category.value, d.rate) for d in decision.lines)


def _nets(order: OrderIn, mode: PriceMode, decision: OrderTaxDecision | None) -> list[Decimal]:
    """Each line's net amount plus its pro-rata share of the document-level allowances and charges."""
    adjustments = [replace(a, vat_category=None, vat_rate=None) for a in adjustment_inputs(order)]
    priced = price_document(line_inputs(order, decision), adjustments, mode, order.currency)
    nets = [line.net_amount for line in priced.lines]
    extra = sum((a.amount if a.is_charge else -a.amount for a in priced.allowances_charges), Decimal(0))
    total = sum(nets, Decimal(0))
    return [n + (extra * n / total if total else Decimal(0)) for n in nets]
