"""CII parties, addresses and payment means -> domain values (inverse of cii.parties)."""

from __future__ import annotations

from collections.abc import Callable

from facturier.domain.codes import PaymentMeansCode
from facturier.domain.documents import PaymentMeans
from facturier.domain.parties import Address, BuyerKind, Contact, ElectronicAddress, Party
from facturier.einvoice import french
from facturier.einvoice.cii.names import XPATH_NS
from facturier.einvoice.cii.parties import SIREN_SCHEME, SIRET_SCHEME
from facturier.einvoice.errors import MalformedInput
from facturier.einvoice.reading import buyer_kind
from facturier.einvoice.xmlread import Nodes
from facturier.einvoice.xmltypes import Element

N = Nodes(XPATH_NS)


def read_party(node: Element | None, term: str, treatment: str, is_seller: bool) -> Party:
    if node is None:
        raise MalformedInput(f"CII invoice without its {'seller' if is_seller else 'buyer'} ({term})")
    address = read_address(N.first(node, "ram:PostalTradeAddress"))
    if address is None:
        raise MalformedInput(f"{term}: postal address with a country code is required")
    siren = N.text(node, f"ram:SpecifiedLegalOrganization/ram:ID[@schemeID='{SIREN_SCHEME}']")
    siret = N.text(node, f"ram:GlobalID[@schemeID='{SIRET_SCHEME}']")
    vat_id = N.text(node, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
    form, capital, rcs = (
        french.parse_legal_information(N.text(node, "ram:Description")) if is_seller else ("", None, "")
    )
    return Party(
        name=N.text(node, "ram:Name"),
        address=address,
        kind=BuyerKind.BUSINESS if is_seller else buyer_kind(treatment, bool(siren or siret or vat_id)),
        trading_name=N.text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        siren=siren,
        siret=siret,
        vat_id=vat_id,
        legal_form=form,
        share_capital=capital,
        rcs=rcs,
        electronic_address=_electronic_address(node),
        contact=Contact(
            name=N.text(node, "ram:DefinedTradeContact/ram:PersonName"),
            phone=N.text(node, "ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
            email=N.text(node, "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID"),
        ),
    )


def _electronic_address(node: Element) -> ElectronicAddress | None:
    value = N.text(node, "ram:URIUniversalCommunication/ram:URIID")
    if not value:
        return None
    return ElectronicAddress(value, N.attr(node, "ram:URIUniversalCommunication/ram:URIID", "schemeID"))


def read_address(node: Element | None) -> Address | None:
    if node is None:
        return None
    return Address(
        line1=N.text(node, "ram:LineOne"),
        city=N.text(node, "ram:CityName"),
        postcode=N.text(node, "ram:PostcodeCode"),
        country=N.text(node, "ram:CountryID"),
        line2=N.text(node, "ram:LineTwo"),
        line3=N.text(node, "ram:LineThree"),
        subdivision=N.text(node, "ram:CountrySubDivisionName"),
    )


def read_payment_means(
    nodes: Nodes, settlement: Element, code_of: Callable[[str], PaymentMeansCode]
) -> tuple[PaymentMeans, ...]:
    """BG-16..19. BT-83, BT-89 and BT-90 are document level in CII: they go to the first means."""
    result = []
    for index, element in enumerate(nodes.all(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")):
        first = index == 0
        result.append(
            PaymentMeans(
                code=code_of(nodes.text(element, "ram:TypeCode")),
                iban=nodes.text(element, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
                bic=nodes.text(element, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
                account_name=nodes.text(element, "ram:PayeePartyCreditorFinancialAccount/ram:AccountName"),
                remittance_info=nodes.text(settlement, "ram:PaymentReference") if first else "",
                card_last4=nodes.text(element, "ram:ApplicableTradeSettlementFinancialCard/ram:ID"),
                mandate_reference=nodes.text(settlement, "ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID")
                if first
                else "",
                creditor_id=nodes.text(settlement, "ram:CreditorReferenceID") if first else "",
                debited_iban=nodes.text(element, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID"),
            )
        )
    return tuple(result)
