"""XPath tests of the section serialisers, one section at a time (Lago's way)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree
from tests.einvoice import scenarios as sc

from facturier.domain.codes import DocumentType
from facturier.einvoice import semantic
from facturier.einvoice.cii import lines as cii_lines
from facturier.einvoice.cii import parties as cii_parties
from facturier.einvoice.cii import settlement as cii_settlement
from facturier.einvoice.cii.names import NSMAP, XPATH_NS
from facturier.einvoice.cii.writer import context_section, delivery_section, header_section, write_cii
from facturier.einvoice.profiles import Profile
from facturier.einvoice.ubl.names import XPATH_NS as UBL_NS
from facturier.einvoice.ubl.writer import write_ubl
from facturier.einvoice.xmlbuild import new_root


def _root() -> etree._Element:
    return new_root(NSMAP, "rsm:CrossIndustryInvoice")


def xp(node: etree._Element, path: str) -> list[str]:
    return [str(v) for v in node.xpath(path, namespaces=XPATH_NS)]


def test_context_has_french_billing_framework_and_profile() -> None:
    root = _root()
    context_section(root, sc.domestic_b2b(), Profile.BASIC)
    assert xp(root, "//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID/text()") == ["S1"]
    assert xp(root, "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()") == [Profile.BASIC.guideline_id]


def test_billing_framework_cases() -> None:
    from facturier.einvoice.french import billing_framework

    assert billing_framework(sc.intra_eu_goods()) == "B1"
    assert billing_framework(sc.mixed_rates_discounts()) == "M1"
    assert billing_framework(sc.final_after_down_payment()) == "S4"  # BR-FR-CO-08
    assert billing_framework(sc.down_payment()) == "S1"


def test_header_notes_carry_french_subject_codes() -> None:
    root = _root()
    header_section(root, sc.domestic_b2b())
    assert xp(root, "//ram:IncludedNote/ram:SubjectCode/text()") == ["PMD", "PMT", "AAB", "BAR"]
    assert xp(root, "//ram:IncludedNote[ram:SubjectCode='BAR']/ram:Content/text()") == ["B2B"]
    assert "40 EUR" in xp(root, "//ram:IncludedNote[ram:SubjectCode='PMT']/ram:Content/text()")[0]
    assert xp(root, "//ram:TypeCode/text()") == ["380"]
    assert xp(root, "//udt:DateTimeString/@format") == ["102"]


def test_credit_note_is_381_with_positive_amounts() -> None:
    xml = etree.fromstring(write_cii(sc.credit_note()))
    assert xp(xml, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    assert all(Decimal(v) >= 0 for v in xp(xml, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/*/text()"))
    assert xp(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()") == ["F2026-000001"]


def test_seller_party_identifiers() -> None:
    root = _root()
    cii_parties.party_section(root, "ram:SellerTradeParty", sc.SELLER, Profile.EN16931, is_seller=True)
    assert xp(root, "//ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']/text()") == ["732829320"]  # BT-30
    assert xp(root, "//ram:GlobalID[@schemeID='0009']/text()") == ["73282932000074"]  # BT-29
    assert xp(root, "//ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']/text()") == ["732829320"]  # BT-34
    assert xp(root, "//ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']/text()") == ["FR44732829320"]
    assert "Capital social : 10000 EUR" in xp(root, "//ram:Description/text()")[0]  # BT-33


def test_basic_party_has_no_contact_nor_legal_information() -> None:
    root = _root()
    cii_parties.party_section(root, "ram:SellerTradeParty", sc.SELLER, Profile.BASIC, is_seller=True)
    assert xp(root, "//ram:DefinedTradeContact") == []
    assert xp(root, "//ram:Description") == []


def test_delivery_section() -> None:
    root = _root()
    delivery_section(root, sc.intra_eu_goods())
    assert xp(root, "//ram:ShipToTradeParty/ram:Name/text()") == ["Kunde GmbH Lager"]
    assert xp(root, "//ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID/text()") == ["DE"]
    assert xp(root, "//ram:OccurrenceDateTime/udt:DateTimeString/text()") == ["20260928"]


def test_payment_means_section() -> None:
    root = _root()
    cii_settlement.payment_means_section(root, sc.terms().means[0], Profile.EN16931)
    assert xp(root, "//ram:TypeCode/text()") == ["58"]
    assert xp(root, "//ram:PayeePartyCreditorFinancialAccount/ram:IBANID/text()") == [sc.IBAN]
    assert xp(root, "//ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID/text()") == ["AGRIFRPP"]


def test_tax_section_exemption_and_vat_on_debits() -> None:
    root = _root()
    doc = replace(sc.reverse_charge(), vat_on_debits=True)
    cii_settlement.tax_section(root, doc, doc.vat_breakdown[0])
    assert xp(root, "//ram:CategoryCode/text()") == ["AE"]
    assert xp(root, "//ram:ExemptionReasonCode/text()") == ["VATEX-EU-AE"]
    assert xp(root, "//ram:DueDateTypeCode/text()") == ["5"]
    assert xp(root, "//ram:RateApplicablePercent/text()") == ["0"]


def test_document_allowance_and_charge_section() -> None:
    doc = sc.mixed_rates_discounts()
    root = _root()
    for item in doc.allowances_charges:
        cii_settlement.allowance_charge_section(root, item, 2, document_level=True)
    indicators = xp(root, "//ram:ChargeIndicator/udt:Indicator/text()")
    assert indicators.count("false") == len([a for a in doc.allowances_charges if not a.is_charge])
    assert "5" in xp(root, "//ram:CalculationPercent/text()")
    assert set(xp(root, "//ram:CategoryTradeTax/ram:RateApplicablePercent/text()")) == {"20", "10", "5.5", "2.1"}


def test_totals_section_with_prepaid_and_accounting_currency() -> None:
    root = _root()
    cii_settlement.totals_section(root, sc.final_after_down_payment(), Profile.EN16931, None)
    assert xp(root, "//ram:TotalPrepaidAmount/text()") == ["360.00"]  # BT-113
    assert xp(root, "//ram:DuePayableAmount/text()") == ["840.00"]
    root = _root()
    doc = sc.non_eur()
    cii_settlement.totals_section(root, doc, Profile.EN16931, doc.tax_accounting)
    assert xp(root, "//ram:TaxTotalAmount/@currencyID") == ["USD", "EUR"]  # BR-FR-CO-12
    assert xp(root, "//ram:TaxTotalAmount/text()") == ["180.00", "153.85"]  # BT-110, BT-111 = 180.00 / 1.17


def test_line_section() -> None:
    doc = sc.mixed_rates_discounts()
    root = _root()
    cii_lines.line_section(root, doc, doc.lines[0], Profile.EN16931, semantic.implied_line_nature(doc))
    assert xp(root, "//ram:LineID/text()") == ["1"]
    assert xp(root, "//ram:BilledQuantity/@unitCode") == ["C62"]
    assert xp(root, "//ram:NetPriceProductTradePrice/ram:ChargeAmount/text()") == ["50"]
    assert xp(root, "//ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount/text()") == ["20.00"]
    assert xp(root, "//ram:LineTotalAmount/text()") == ["180.00"]
    assert xp(root, "//ram:ApplicableProductCharacteristic") == []  # goods: implied by M1
    cii_lines.line_section(root, doc, doc.lines[1], Profile.EN16931, semantic.implied_line_nature(doc))
    assert xp(root, "//ram:ApplicableProductCharacteristic/ram:Value/text()") == ["services"]


def test_ubl_credit_note_root_and_french_profile() -> None:
    root = etree.fromstring(write_ubl(sc.credit_note()))
    assert etree.QName(root).localname == "CreditNote"
    assert root.xpath("cbc:ProfileID/text()", namespaces=UBL_NS) == ["S1"]
    assert root.xpath("cbc:CreditNoteTypeCode/text()", namespaces=UBL_NS) == ["381"]
    assert "#BAR#B2B" in root.xpath("cbc:Note/text()", namespaces=UBL_NS)
    assert root.xpath("//cac:CreditNoteLine/cbc:CreditedQuantity/text()", namespaces=UBL_NS) == ["1"]


def test_ubl_non_french_seller_uses_peppol_profile() -> None:
    from facturier.domain.parties import Address

    german = replace(sc.SELLER, address=Address("Hauptstrasse 9", "Köln", "50667", "DE"), vat_id="DE136695976")
    doc = replace(sc.domestic_b2b(), seller=german)
    root = etree.fromstring(write_ubl(doc))
    assert root.xpath("cbc:ProfileID/text()", namespaces=UBL_NS) == ["urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"]
    assert not [n for n in root.xpath("cbc:Note/text()", namespaces=UBL_NS) if n.startswith("#BAR#")]
    assert replace(doc, document_type=DocumentType.INVOICE) == doc


def test_a_prefix_cannot_name_two_namespaces() -> None:
    """`add` resolves prefixes from what `new_root` declared, so a clash must be refused."""
    new_root(NSMAP, "rsm:CrossIndustryInvoice")
    with pytest.raises(ValueError, match="'ram' already names"):
        new_root({**NSMAP, "ram": "urn:example:not-cii"}, "rsm:CrossIndustryInvoice")


def test_minimum_is_read_never_written() -> None:
    with pytest.raises(ValueError, match="minimum profile is read and validated, not written"):
        write_cii(sc.domestic_b2b(), Profile.MINIMUM)
