"""UBL InvoiceLine / CreditNoteLine (BG-25)."""

from __future__ import annotations

from facturier.domain.codes import SupplyNature, VatCategory
from facturier.domain.documents import Document, Line
from facturier.domain.pricing import amount_places
from facturier.einvoice import semantic
from facturier.einvoice.formats import amount, plain
from facturier.einvoice.ubl.settlement import allowance_charge_section
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element


def line_section(root: Element, doc: Document, line: Line, credit: bool, implied: SupplyNature) -> None:
    """BT-126, BT-129/130, BT-131, BG-27/28, item (BG-31), price (BG-29); `implied` as in
    the CII writer (`semantic.implied_line_nature`, once per document)."""
    element = add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    add(element, "cbc:ID", line.line_id)
    quantity = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    add(element, quantity, plain(line.quantity), unitCode=line.unit_code)
    places = amount_places(doc.currency)
    add(element, "cbc:LineExtensionAmount", amount(line.net_amount, places), currencyID=doc.currency)
    for adjustment in (*line.allowances, *line.charges):
        allowance_charge_section(element, adjustment, doc.currency, document_level=False)
    item_section(element, line, implied)
    price = add(element, "cac:Price")
    add(price, "cbc:PriceAmount", plain(line.net_price), currencyID=doc.currency)
    if line.base_quantity != 1:
        add(price, "cbc:BaseQuantity", plain(line.base_quantity), unitCode=line.unit_code)


def item_section(element: Element, line: Line, implied: SupplyNature) -> None:
    """BT-154, BT-153, BT-155, BT-151/152, BG-32 "Nature"."""
    item = add(element, "cac:Item")
    add_text(item, "cbc:Description", line.description)
    add(item, "cbc:Name", line.name)
    if line.seller_item_id:
        add(add(item, "cac:SellersItemIdentification"), "cbc:ID", line.seller_item_id)
    category = add(item, "cac:ClassifiedTaxCategory")
    add(category, "cbc:ID", line.vat_category.value)
    if line.vat_category is not VatCategory.OUTSIDE_SCOPE:
        add(category, "cbc:Percent", plain(line.vat_rate))
    add(add(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    nature = semantic.line_nature_attribute(implied, line.nature)
    if nature:
        attribute = add(item, "cac:AdditionalItemProperty")
        add(attribute, "cbc:Name", semantic.NATURE_ATTRIBUTE)
        add(attribute, "cbc:Value", nature)
