"""UBL parties: seller BG-4 (AccountingSupplierParty), buyer BG-7 (AccountingCustomerParty),
delivery BG-13, with the identifiers the French rules read (BR-FR-10, BR-FR-12/13)."""

from __future__ import annotations

from facturier.domain.documents import Document
from facturier.domain.parties import Address, Party
from facturier.einvoice import french
from facturier.einvoice.cii.parties import SIREN_SCHEME, SIRET_SCHEME
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element

SEPA_SCHEME = "SEPA"  # BT-90 creditor identifier (Peppol: seller party identification)


def supplier_section(root: Element, doc: Document) -> None:
    creditor = next((m.creditor_id for m in doc.payment_terms.means[:1] if m.creditor_id), "")
    party_section(add(root, "cac:AccountingSupplierParty"), doc.seller, is_seller=True, creditor_id=creditor)


def customer_section(root: Element, doc: Document) -> None:
    party_section(add(root, "cac:AccountingCustomerParty"), doc.buyer, is_seller=False, creditor_id="")


def party_section(parent: Element, party: Party, *, is_seller: bool, creditor_id: str) -> None:
    """BT-34/49, BT-29/46, BT-90, BT-28/45, address, BT-31/48, BT-27/44, BT-30/47, BT-33, contact."""
    node = add(parent, "cac:Party")
    if party.electronic_address is not None:
        add(node, "cbc:EndpointID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
    if party.siret:
        add(add(node, "cac:PartyIdentification"), "cbc:ID", party.siret, schemeID=SIRET_SCHEME)
    if creditor_id:
        add(add(node, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID=SEPA_SCHEME)
    if party.trading_name:
        add(add(node, "cac:PartyName"), "cbc:Name", party.trading_name)
    address_section(node, "cac:PostalAddress", party.address)
    if party.vat_id:
        scheme = add(node, "cac:PartyTaxScheme")
        add(scheme, "cbc:CompanyID", party.vat_id)
        add(add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = add(node, "cac:PartyLegalEntity")
    add(legal, "cbc:RegistrationName", party.name)
    add_text(legal, "cbc:CompanyID", party.siren, schemeID=SIREN_SCHEME)
    if is_seller:
        add_text(legal, "cbc:CompanyLegalForm", french.legal_information(party))
    contact = party.contact
    if contact.name or contact.phone or contact.email:
        element = add(node, "cac:Contact")
        add_text(element, "cbc:Name", contact.name)
        add_text(element, "cbc:Telephone", contact.phone)
        add_text(element, "cbc:ElectronicMail", contact.email)


def address_section(parent: Element, name: str, address: Address) -> None:
    """BG-5 / BG-8 / BG-15."""
    element = add(parent, name)
    add_text(element, "cbc:StreetName", address.line1)
    add_text(element, "cbc:AdditionalStreetName", address.line2)
    add_text(element, "cbc:CityName", address.city)
    add_text(element, "cbc:PostalZone", address.postcode)
    add_text(element, "cbc:CountrySubentity", address.subdivision)
    if address.line3:
        add(add(element, "cac:AddressLine"), "cbc:Line", address.line3)
    add(add(element, "cac:Country"), "cbc:IdentificationCode", address.country)


def delivery_section(root: Element, doc: Document) -> None:
    """BG-13: BT-72 date, BG-15 address, BT-70 name."""
    if not (doc.delivery_date or doc.delivery_address or doc.delivery_name):
        return
    delivery = add(root, "cac:Delivery")
    if doc.delivery_date is not None:
        add(delivery, "cbc:ActualDeliveryDate", doc.delivery_date.isoformat())
    if doc.delivery_address is not None:
        address_section(add(delivery, "cac:DeliveryLocation"), "cac:Address", doc.delivery_address)
    if doc.delivery_name:
        add(add(add(delivery, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name", doc.delivery_name)
