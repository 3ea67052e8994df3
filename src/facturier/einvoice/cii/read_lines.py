"""CII invoice lines BG-25 -> domain `Line`s (inverse of cii.lines).

BT-120/121 exist only in the VAT breakdown: each line gets the exemption reason of the
breakdown of its (category, rate). A line's nature comes from its "Nature" item attribute,
else from BT-23 (see semantic.default_line_nature).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from facturier.domain.codes import SupplyNature, VatCategory
from facturier.domain.documents import Line, VatBreakdown
from facturier.einvoice import semantic
from facturier.einvoice.cii.names import XPATH_NS
from facturier.einvoice.errors import UnsupportedContent
from facturier.einvoice.reading import vat_category
from facturier.einvoice.xmlread import Nodes
from facturier.einvoice.xmltypes import Element

N = Nodes(XPATH_NS)
_NATURES = {n.value: n for n in SupplyNature}


def read_lines(elements: Sequence[Element], breakdown: Sequence[VatBreakdown], process: str) -> tuple[Line, ...]:
    reasons = {(b.category, b.rate): (b.exemption_reason, b.exemption_code) for b in breakdown}
    default = semantic.default_line_nature(process)
    return tuple(read_line(e, reasons, default) for e in elements)


def read_line(
    element: Element, reasons: dict[tuple[VatCategory, Decimal], tuple[str, str]], default: SupplyNature
) -> Line:
    from facturier.einvoice.cii.reader import read_allowance_charge

    settlement = N.first(element, "ram:SpecifiedLineTradeSettlement")
    category = vat_category(N.text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"))
    rate = N.decimal(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent", Decimal(0))
    adjustments = [read_allowance_charge(e) for e in N.all(settlement, "ram:SpecifiedTradeAllowanceCharge")]
    reason, code = reasons.get((category, rate), ("", ""))
    product = N.first(element, "ram:SpecifiedTradeProduct")
    return Line(
        line_id=N.text(element, "ram:AssociatedDocumentLineDocument/ram:LineID"),
        name=N.text(product, "ram:Name"),
        quantity=N.decimal(element, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
        unit_code=N.attr(element, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "unitCode"),
        net_price=N.decimal(element, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"),
        vat_category=category,
        vat_rate=rate,
        net_amount=N.decimal(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
        base_quantity=N.decimal(
            element, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity", Decimal(1)
        ),
        description=N.text(product, "ram:Description"),
        seller_item_id=N.text(product, "ram:SellerAssignedID"),
        nature=_nature(product, default),
        allowances=tuple(a for a in adjustments if not a.is_charge),
        charges=tuple(a for a in adjustments if a.is_charge),
        exemption_reason=reason,
        exemption_code=code,
    )


def _nature(product: Element | None, default: SupplyNature) -> SupplyNature:
    for characteristic in N.all(product, "ram:ApplicableProductCharacteristic"):
        if N.text(characteristic, "ram:Description") == semantic.NATURE_ATTRIBUTE:
            return nature_value(N.text(characteristic, "ram:Value"), default)
    return default


def nature_value(value: str, default: SupplyNature) -> SupplyNature:
    """The nature a "Nature" item attribute states (BG-32), or `default` without one."""
    if not value:
        return default
    if value not in _NATURES:
        raise UnsupportedContent(f"line nature {value[:20]!r} is not goods, services or mixed")
    return _NATURES[value]
