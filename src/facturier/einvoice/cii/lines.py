"""CII invoice line BG-25: line id, item (BG-31), price (BG-29), quantity, VAT, line
allowances and charges (BG-27/28), line net amount (BT-131)."""

from __future__ import annotations

from facturier.domain.codes import SupplyNature, VatCategory
from facturier.domain.documents import Document, Line
from facturier.domain.pricing import amount_places
from facturier.einvoice import semantic
from facturier.einvoice.cii.settlement import allowance_charge_section
from facturier.einvoice.formats import amount, plain
from facturier.einvoice.profiles import Profile
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element


def line_section(
    transaction: Element, doc: Document, line: Line, profile: Profile, implied: SupplyNature
) -> None:
    """One line; `implied` is `semantic.implied_line_nature(doc)`, passed in by the writer so
    that it is computed once per document, not once per line."""
    item = add(transaction, "ram:IncludedSupplyChainTradeLineItem")
    add(add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.line_id)  # BT-126
    product_section(item, line, profile, implied)
    price_section(item, line)
    add(
        add(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", plain(line.quantity), unitCode=line.unit_code
    )
    line_settlement_section(item, doc, line)


def product_section(item: Element, line: Line, profile: Profile, implied: SupplyNature) -> None:
    """BG-31: BT-155 seller item id, BT-153 name, BT-154 description, BG-32 "Nature"."""
    product = add(item, "ram:SpecifiedTradeProduct")
    if profile.is_full:
        add_text(product, "ram:SellerAssignedID", line.seller_item_id)
    add(product, "ram:Name", line.name)
    if not profile.is_full:
        return
    add_text(product, "ram:Description", line.description)
    nature = semantic.line_nature_attribute(implied, line.nature)
    if nature:
        characteristic = add(product, "ram:ApplicableProductCharacteristic")
        add(characteristic, "ram:Description", semantic.NATURE_ATTRIBUTE)  # BT-160
        add(characteristic, "ram:Value", nature)  # BT-161


def price_section(item: Element, line: Line) -> None:
    """BG-29: BT-146 net price, BT-149 base quantity with BT-150 unit."""
    agreement = add(item, "ram:SpecifiedLineTradeAgreement")
    price = add(agreement, "ram:NetPriceProductTradePrice")
    add(price, "ram:ChargeAmount", plain(line.net_price))
    if line.base_quantity != 1:
        add(price, "ram:BasisQuantity", plain(line.base_quantity), unitCode=line.unit_code)


def line_settlement_section(item: Element, doc: Document, line: Line) -> None:
    """BT-151/152 line VAT, BG-27/28 line allowances and charges, BT-131 net amount."""
    places = amount_places(doc.currency)
    settlement = add(item, "ram:SpecifiedLineTradeSettlement")
    tax = add(settlement, "ram:ApplicableTradeTax")
    add(tax, "ram:TypeCode", "VAT")
    add(tax, "ram:CategoryCode", line.vat_category.value)
    if line.vat_category is not VatCategory.OUTSIDE_SCOPE:
        add(tax, "ram:RateApplicablePercent", plain(line.vat_rate))
    for adjustment in (*line.allowances, *line.charges):
        allowance_charge_section(settlement, adjustment, places, document_level=False)
    summation = add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    add(summation, "ram:LineTotalAmount", amount(line.net_amount, places))
