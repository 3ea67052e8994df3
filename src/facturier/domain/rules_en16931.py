"""EN 16931-1 business rules that apply to the model, checked exactly.

Unlike the official schematron, which tolerates +/-1.00 on VAT amounts, the arithmetic
rules (BR-CO-10..17 and the BR-x-08 taxable-amount rules) are checked to the cent.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from facturier.domain.codelists import unit_codes
from facturier.domain.codes import VatCategory
from facturier.domain.documents import AllowanceCharge, Document, Line
from facturier.domain.errors import Violation
from facturier.domain.money import is_known_currency
from facturier.domain.parties import Party
from facturier.domain.pricing import amount_places
from facturier.domain.rounding import accounting_amount_half_up, vat_amount_half_up

# BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08, BR-IG-08, BR-IP-08
_TAXABLE_RULE = {
    VatCategory.STANDARD: "BR-S-08",
    VatCategory.ZERO: "BR-Z-08",
    VatCategory.EXEMPT: "BR-E-08",
    VatCategory.REVERSE_CHARGE: "BR-AE-08",
    VatCategory.INTRA_COMMUNITY: "BR-IC-08",
    VatCategory.EXPORT: "BR-G-08",
    VatCategory.OUTSIDE_SCOPE: "BR-O-08",
    VatCategory.CANARY_ISLANDS: "BR-IG-08",
    VatCategory.CEUTA_MELILLA: "BR-IP-08",
}
_RULE_PREFIX = {
    VatCategory.STANDARD: "BR-S",
    VatCategory.ZERO: "BR-Z",
    VatCategory.EXEMPT: "BR-E",
    VatCategory.REVERSE_CHARGE: "BR-AE",
    VatCategory.INTRA_COMMUNITY: "BR-IC",
    VatCategory.EXPORT: "BR-G",
    VatCategory.OUTSIDE_SCOPE: "BR-O",
    VatCategory.CANARY_ISLANDS: "BR-IG",
    VatCategory.CEUTA_MELILLA: "BR-IP",
}


def check(doc: Document) -> Iterator[Violation]:
    yield from _header(doc)
    for i, line in enumerate(doc.lines):
        yield from _line(line, f"lines[{i}]", amount_places(doc.currency) if _currency_ok(doc) else 2)
    yield from _line_ids(doc)
    if _currency_ok(doc):
        yield from _decimals(doc)
        yield from _arithmetic(doc)
    yield from _vat_categories(doc)
    yield from _tax_accounting(doc)


def _currency_ok(doc: Document) -> bool:
    return is_known_currency(doc.currency)


def _header(doc: Document) -> Iterator[Violation]:
    if doc.is_issued and not doc.number:
        yield Violation("BR-02", "number", "an issued document must have a number")
    if not is_known_currency(doc.currency):
        yield Violation("BR-CL-04", "currency", f"{doc.currency!r} is not an ISO 4217 currency code")
    yield from party_violations(doc.seller, "seller")
    yield from party_violations(doc.buyer, "buyer")
    if not doc.lines:
        yield Violation("BR-16", "lines", "a document must have at least one line")
    if not doc.vat_breakdown and doc.lines:
        yield Violation("BR-CO-18", "vat_breakdown", "at least one VAT breakdown is required")
    terms = doc.payment_terms
    if doc.document_type.is_fiscal and doc.totals.payable > 0 and terms.due_date is None and not terms.note:
        yield Violation(
            "BR-CO-25", "payment_terms.due_date", "amount due > 0: a due date or payment terms are required"
        )
    for i, ref in enumerate(doc.preceding):
        if not ref.number:
            yield Violation("BR-55", f"preceding[{i}].number", "preceding invoice reference is empty")


@lru_cache(maxsize=4096)
def party_violations(party: Party, path: str) -> tuple[Violation, ...]:
    """A party's checks, memoised: a batch re-checks the same seller thousands of times."""
    return tuple(party.violations(path))


def _line(line: Line, path: str, places: int) -> Iterator[Violation]:
    if not line.line_id:
        yield Violation("BR-21", f"{path}.line_id", "line identifier is required")
    if not line.name.strip():
        yield Violation("BR-25", f"{path}.name", "item name is required")
    if line.unit_code not in unit_codes():
        yield Violation("BR-CL-23", f"{path}.unit_code", f"{line.unit_code!r} is not a UN/ECE Rec. 20/21 unit code")
    if line.net_price < 0:
        yield Violation("BR-27", f"{path}.net_price", "item net price must not be negative")
    if line.base_quantity <= 0:
        yield Violation("BR-27", f"{path}.base_quantity", "base quantity must be positive")
    if line.vat_category.has_rate and line.vat_category is VatCategory.STANDARD and line.vat_rate <= 0:
        yield Violation("BR-S-05", f"{path}.vat_rate", "standard-rated lines need a rate greater than zero")
    if not line.vat_category.has_rate and line.vat_rate != 0:
        rule = _RULE_PREFIX[line.vat_category] + "-05"
        yield Violation(rule, f"{path}.vat_rate", f"category {line.vat_category.value} must have rate 0")
    if line.base_quantity > 0:
        expected = _line_net(line, places)
        if expected != line.net_amount:
            yield Violation(
                "BR-LINE-NET",
                f"{path}.net_amount",
                f"line net {line.net_amount} != quantity x price - allowances + charges = {expected}",
            )


def _line_net(line: Line, places: int) -> Decimal:
    from facturier.domain.rounding import round_amount_half_up

    gross = line.quantity * line.net_price / line.base_quantity
    adjust = sum((c.amount for c in line.charges), Decimal(0)) - sum((a.amount for a in line.allowances), Decimal(0))
    return round_amount_half_up(gross + adjust, places)


def _line_ids(doc: Document) -> Iterator[Violation]:
    seen: set[str] = set()
    for i, line in enumerate(doc.lines):
        if line.line_id in seen:
            yield Violation("BR-21", f"lines[{i}].line_id", f"duplicate line identifier {line.line_id!r}")
        seen.add(line.line_id)


def _max_decimals(value: Decimal, places: int) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -exponent <= places


def _decimals(doc: Document) -> Iterator[Violation]:
    places = amount_places(doc.currency)
    t = doc.totals
    checks: list[tuple[str, str, Decimal]] = [
        ("BR-DEC-09", "totals.line_total", t.line_total),
        ("BR-DEC-10", "totals.allowance_total", t.allowance_total),
        ("BR-DEC-11", "totals.charge_total", t.charge_total),
        ("BR-DEC-12", "totals.tax_exclusive", t.tax_exclusive),
        ("BR-DEC-13", "totals.tax_total", t.tax_total),
        ("BR-DEC-14", "totals.tax_inclusive", t.tax_inclusive),
        ("BR-DEC-16", "totals.prepaid", t.prepaid),
        ("BR-DEC-17", "totals.rounding", t.rounding),
        ("BR-DEC-18", "totals.payable", t.payable),
    ]
    for i, b in enumerate(doc.vat_breakdown):
        checks.append(("BR-DEC-19", f"vat_breakdown[{i}].taxable_amount", b.taxable_amount))
        checks.append(("BR-DEC-20", f"vat_breakdown[{i}].tax_amount", b.tax_amount))
    for i, line in enumerate(doc.lines):
        checks.append(("BR-DEC-23", f"lines[{i}].net_amount", line.net_amount))
        checks.extend(_adjustment_decimals(line.allowances, f"lines[{i}].allowances", "BR-DEC-24"))
        checks.extend(_adjustment_decimals(line.charges, f"lines[{i}].charges", "BR-DEC-27"))
    for i, adj in enumerate(doc.allowances_charges):
        rule = "BR-DEC-05" if adj.is_charge else "BR-DEC-01"
        checks.append((rule, f"allowances_charges[{i}].amount", adj.amount))
    for rule, path, value in checks:
        if not _max_decimals(value, places):
            yield Violation(rule, path, f"{value} has more than {places} decimals")


def _adjustment_decimals(
    items: tuple[AllowanceCharge, ...], path: str, rule: str
) -> Iterator[tuple[str, str, Decimal]]:
    for j, adj in enumerate(items):
        yield (rule, f"{path}[{j}].amount", adj.amount)


def _arithmetic(doc: Document) -> Iterator[Violation]:
    t = doc.totals
    allowances = sum((a.amount for a in doc.allowances_charges if not a.is_charge), Decimal(0))
    charges = sum((a.amount for a in doc.allowances_charges if a.is_charge), Decimal(0))
    expected = [
        ("BR-CO-10", "totals.line_total", t.line_total, sum((x.net_amount for x in doc.lines), Decimal(0))),
        ("BR-CO-11", "totals.allowance_total", t.allowance_total, allowances),
        ("BR-CO-12", "totals.charge_total", t.charge_total, charges),
        ("BR-CO-13", "totals.tax_exclusive", t.tax_exclusive, t.line_total - t.allowance_total + t.charge_total),
        ("BR-CO-14", "totals.tax_total", t.tax_total, sum((b.tax_amount for b in doc.vat_breakdown), Decimal(0))),
        ("BR-CO-15", "totals.tax_inclusive", t.tax_inclusive, t.tax_exclusive + t.tax_total),
        ("BR-CO-16", "totals.payable", t.payable, t.tax_inclusive - t.prepaid + t.rounding),
    ]
    for rule, path, stated, computed in expected:
        if stated != computed:
            yield Violation(rule, path, f"stated {stated}, expected {computed}")
    yield from _breakdown_arithmetic(doc)


def _breakdown_arithmetic(doc: Document) -> Iterator[Violation]:
    places = amount_places(doc.currency)
    for i, b in enumerate(doc.vat_breakdown):
        key = (b.category, b.rate)
        taxable = sum((x.net_amount for x in doc.lines if (x.vat_category, x.vat_rate) == key), Decimal(0))
        for adj in doc.allowances_charges:
            if (adj.vat_category, adj.vat_rate) == key:
                taxable += adj.amount if adj.is_charge else -adj.amount
        if taxable != b.taxable_amount:
            yield Violation(
                _TAXABLE_RULE[b.category],
                f"vat_breakdown[{i}].taxable_amount",
                f"stated {b.taxable_amount}, expected {taxable} "
                f"(lines and allowances/charges at {b.category.value} {b.rate} %)",
            )
        rate = b.rate if b.category.has_rate else Decimal(0)
        vat = vat_amount_half_up(b.taxable_amount, rate, places)
        if vat != b.tax_amount:
            yield Violation(
                "BR-CO-17",
                f"vat_breakdown[{i}].tax_amount",
                f"stated {b.tax_amount}, expected round({b.taxable_amount} x {b.rate} / 100) = {vat}",
            )


def _vat_categories(doc: Document) -> Iterator[Violation]:
    keys = {(b.category, b.rate) for b in doc.vat_breakdown}
    used = {(x.vat_category, x.vat_rate) for x in doc.lines}
    used |= {(a.vat_category, a.vat_rate or Decimal(0)) for a in doc.allowances_charges if a.vat_category}
    for category, rate in sorted(used - keys, key=str):
        prefix = _RULE_PREFIX[category]
        yield Violation(f"{prefix}-01", "vat_breakdown", f"no VAT breakdown for category {category} at {rate} %")
    for i, b in enumerate(doc.vat_breakdown):
        prefix = _RULE_PREFIX[b.category]
        if b.category.needs_exemption_reason and not (b.exemption_reason or b.exemption_code):
            yield Violation(
                f"{prefix}-10",
                f"vat_breakdown[{i}].exemption_reason",
                f"category {b.category.value} needs an exemption reason text or VATEX code",
            )
        if b.category in (VatCategory.STANDARD, VatCategory.ZERO, VatCategory.EXEMPT) and not (doc.seller.vat_id):
            yield Violation(
                f"{prefix}-02",
                "seller.vat_id",
                f"category {b.category.value} requires the seller VAT identifier (BT-31)",
            )
        if b.category is VatCategory.REVERSE_CHARGE and not (doc.buyer.vat_id or doc.buyer.siren):
            yield Violation(
                "BR-AE-02",
                "buyer.vat_id",
                "reverse charge requires the buyer VAT identifier (BT-48) or legal registration id",
            )
        if b.category is VatCategory.INTRA_COMMUNITY:
            yield from _intra_community(doc)


def _intra_community(doc: Document) -> Iterator[Violation]:
    if not doc.seller.vat_id or not doc.buyer.vat_id:
        yield Violation(
            "BR-IC-02", "buyer.vat_id", "intra-community supply requires both seller and buyer VAT identifiers"
        )
    if doc.delivery_date is None:
        yield Violation("BR-IC-11", "delivery_date", "intra-community supply requires the actual delivery date (BT-72)")
    if doc.delivery_address is None:
        yield Violation(
            "BR-IC-12", "delivery_address.country", "intra-community supply requires the deliver-to country (BT-80)"
        )


def _tax_accounting(doc: Document) -> Iterator[Violation]:
    """BT-6 / BT-111: BR-CL-05, BR-53 (BT-111 with BT-6, the model's type enforces it),
    BR-DEC-15, and exactly BT-111 = round(BT-110 / rate, 2) when the rate is recorded."""
    accounting = doc.tax_accounting
    if accounting is None:
        return
    if not is_known_currency(accounting.currency):
        yield Violation("BR-CL-05", "tax_accounting.currency", f"{accounting.currency!r} is not an ISO 4217 code")
        return
    places = amount_places(accounting.currency)
    if not _max_decimals(accounting.tax_total, places):
        yield Violation(
            "BR-DEC-15", "tax_accounting.tax_total", f"{accounting.tax_total} has more than {places} decimals"
        )
    rate = accounting.exchange_rate
    if rate is None:
        return  # read from XML: EN 16931 does not carry the rate
    if rate <= 0:
        yield Violation("BR-53", "tax_accounting.exchange_rate", f"the exchange rate {rate} must be positive")
        return
    expected = accounting_amount_half_up(doc.totals.tax_total, rate, places)
    if accounting.tax_total != expected:  # BR-53: BT-111 is BT-110 in BT-6 (Directive art. 230)
        yield Violation(
            "BR-53",
            "tax_accounting.tax_total",
            f"stated {accounting.tax_total} {accounting.currency}, expected round({doc.totals.tax_total} "
            f"{doc.currency} / {rate}) = {expected}",
        )
