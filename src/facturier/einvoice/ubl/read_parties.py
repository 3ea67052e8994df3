"""UBL parties and addresses -> domain values (inverse of ubl.parties)."""

from __future__ import annotations

from facturier.domain.parties import Address, BuyerKind, Contact, ElectronicAddress, Party
from facturier.einvoice import french
from facturier.einvoice.cii.parties import SIREN_SCHEME, SIRET_SCHEME
from facturier.einvoice.errors import MalformedInput
from facturier.einvoice.reading import buyer_kind
from facturier.einvoice.ubl.names import XPATH_NS
from facturier.einvoice.xmlread import Nodes
from facturier.einvoice.xmltypes import Element

N = Nodes(XPATH_NS)


def read_party(node: Element | None, term: str, treatment: str, is_seller: bool) -> Party:
    if node is None:
        raise MalformedInput(f"UBL document without its {'seller' if is_seller else 'buyer'} ({term})")
    address = read_address(N.first(node, "cac:PostalAddress"))
    if address is None:
        raise MalformedInput(f"{term}: postal address with a country code is required")
    siren = N.text(node, f"cac:PartyLegalEntity/cbc:CompanyID[@schemeID='{SIREN_SCHEME}']")
    siret = N.text(node, f"cac:PartyIdentification/cbc:ID[@schemeID='{SIRET_SCHEME}']")
    vat_id = N.text(node, "cac:PartyTaxScheme/cbc:CompanyID")
    legal = N.text(node, "cac:PartyLegalEntity/cbc:CompanyLegalForm") if is_seller else ""
    form, capital, rcs = french.parse_legal_information(legal)
    endpoint = N.text(node, "cbc:EndpointID")
    return Party(
        name=N.text(node, "cac:PartyLegalEntity/cbc:RegistrationName"),
        address=address,
        kind=BuyerKind.BUSINESS if is_seller else buyer_kind(treatment, bool(siren or siret or vat_id)),
        trading_name=N.text(node, "cac:PartyName/cbc:Name"),
        siren=siren,
        siret=siret,
        vat_id=vat_id,
        legal_form=form,
        share_capital=capital,
        rcs=rcs,
        electronic_address=ElectronicAddress(endpoint, N.attr(node, "cbc:EndpointID", "schemeID"))
        if endpoint
        else None,
        contact=Contact(
            name=N.text(node, "cac:Contact/cbc:Name"),
            phone=N.text(node, "cac:Contact/cbc:Telephone"),
            email=N.text(node, "cac:Contact/cbc:ElectronicMail"),
        ),
    )


def read_address(node: Element | None) -> Address | None:
    if node is None:
        return None
    return Address(
        line1=N.text(node, "cbc:StreetName"),
        city=N.text(node, "cbc:CityName"),
        postcode=N.text(node, "cbc:PostalZone"),
        country=N.text(node, "cac:Country/cbc:IdentificationCode"),
        line2=N.text(node, "cbc:AdditionalStreetName"),
        line3=N.text(node, "cac:AddressLine/cbc:Line"),
        subdivision=N.text(node, "cbc:CountrySubentity"),
    )
