"""CII trade agreement: seller BG-4, buyer BG-7, their identifiers, contacts and addresses."""

from __future__ import annotations

from facturier.domain.documents import Document
from facturier.domain.parties import Address, Contact, Party
from facturier.einvoice import french
from facturier.einvoice.profiles import Profile
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element

SIREN_SCHEME = "0002"  # ISO 6523 ICD: SIRENE (BR-FR-10, BR-FR-32)
SIRET_SCHEME = "0009"  # ISO 6523 ICD: SIRET (BR-FR-09)


def agreement_section(transaction: Element, doc: Document, profile: Profile) -> None:
    """BT-10 buyer reference, BG-4 seller, BG-7 buyer, BT-13 purchase order reference."""
    agreement = add(transaction, "ram:ApplicableHeaderTradeAgreement")
    add_text(agreement, "ram:BuyerReference", doc.buyer_reference)
    party_section(agreement, "ram:SellerTradeParty", doc.seller, profile, is_seller=True)
    party_section(agreement, "ram:BuyerTradeParty", doc.buyer, profile, is_seller=False)
    if doc.order_reference:
        add(add(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", doc.order_reference)


def party_section(parent: Element, tag: str, party: Party, profile: Profile, *, is_seller: bool) -> None:
    """One party: BT-29/46 SIRET, BT-27/44 name, BT-33 legal info, BT-30/47 SIREN,
    BT-28/45 trading name, BG-6/9 contact, address, BT-34/49 e-address, BT-31/48 VAT id."""
    node = add(parent, tag)
    add_text(node, "ram:GlobalID", party.siret, schemeID=SIRET_SCHEME)
    add(node, "ram:Name", party.name)
    if is_seller and profile.is_full:
        add_text(node, "ram:Description", french.legal_information(party))
    _legal_organization(node, party)
    if profile.is_full:
        contact_section(node, party.contact)
    address_section(node, party.address)
    if party.electronic_address is not None:
        uri = add(node, "ram:URIUniversalCommunication")
        add(uri, "ram:URIID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
    if party.vat_id:
        add(add(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id, schemeID="VA")


def _legal_organization(node: Element, party: Party) -> None:
    if not (party.siren or party.trading_name):
        return
    organization = add(node, "ram:SpecifiedLegalOrganization")
    add_text(organization, "ram:ID", party.siren, schemeID=SIREN_SCHEME)
    add_text(organization, "ram:TradingBusinessName", party.trading_name)


def contact_section(node: Element, contact: Contact) -> None:
    """BG-6 / BG-9: BT-41/56 name, BT-42/57 phone, BT-43/58 email."""
    if not (contact.name or contact.phone or contact.email):
        return
    element = add(node, "ram:DefinedTradeContact")
    add_text(element, "ram:PersonName", contact.name)
    if contact.phone:
        add(add(element, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber", contact.phone)
    if contact.email:
        add(add(element, "ram:EmailURIUniversalCommunication"), "ram:URIID", contact.email)


def address_section(node: Element, address: Address) -> None:
    """BG-5 / BG-8 / BG-15 postal address."""
    element = add(node, "ram:PostalTradeAddress")
    add_text(element, "ram:PostcodeCode", address.postcode)
    add_text(element, "ram:LineOne", address.line1)
    add_text(element, "ram:LineTwo", address.line2)
    add_text(element, "ram:LineThree", address.line3)
    add_text(element, "ram:CityName", address.city)
    add(element, "ram:CountryID", address.country)
    add_text(element, "ram:CountrySubDivisionName", address.subdivision)
