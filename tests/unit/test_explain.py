"""einvoice.explain: schematron findings named by their field, explained in French or English."""

from __future__ import annotations

import pytest

from facturier.domain.errors import Violation
from facturier.einvoice.explain import MESSAGES, chosen_language, explained, field_of

CII_LINE = "/*:CrossIndustryInvoice[1]/*:SupplyChainTradeTransaction[1]/*:IncludedSupplyChainTradeLineItem[3]"
CII_BUYER = "/*:CrossIndustryInvoice[1]/*:SupplyChainTradeTransaction[1]/*:ApplicableHeaderTradeAgreement[1]"


@pytest.mark.parametrize(
    ("rule_id", "location", "field"),
    [
        ("BR-FR-12_BT-49", "/*:CrossIndustryInvoice[1]", "buyer.electronic_address"),  # BT in the rule id
        ("BR-FR-13_BT-34", "/*:Invoice[1]", "seller.electronic_address"),
        ("BR-FR-11_BT-47", "/*:CrossIndustryInvoice[1]", "buyer.siren"),
        ("BR-FR-05_BT-22_PMD", "/*:CrossIndustryInvoice[1]", "payment_terms.late_penalty_rate"),
        ("BR-FR-05_BT-22-2", "/*:Invoice[1]", "payment_terms.late_penalty_rate"),  # the UBL numbering
        ("BR-FR-05_BT-22_AAB", "/*:CrossIndustryInvoice[1]", "payment_terms.early_payment_discount"),
        ("BR-FR-15_BT-151-1", CII_LINE, "lines[2].vat_category"),  # line index from the XPath
        ("BR-S-05", CII_LINE, "lines[2].vat_rate"),  # EN 16931 rule table
        ("BR-S-05", "/*:Invoice[1]/*:InvoiceLine[1]/*:Item[1]", "lines[0].vat_rate"),
        ("BR-CO-09", CII_BUYER + "/*:BuyerTradeParty[1]/*:SpecifiedTaxRegistration[1]", "buyer.vat_id"),
        ("BR-CO-09", "/*:Invoice[1]/*:AccountingSupplierParty[1]/*:Party[1]/*:PartyTaxScheme[1]", "seller.vat_id"),
        ("BR-XX-99", CII_BUYER + "/*:BuyerTradeParty[1]/*:URIUniversalCommunication[1]", "buyer.electronic_address"),
        ("BR-CO-15", "/*:CrossIndustryInvoice[1]", None),  # a total: no single field
        ("BR-S-05", "/*:CrossIndustryInvoice[1]", None),  # a line rule without a line in the XPath
    ],
)
def test_field_of(rule_id: str, location: str, field: str | None) -> None:
    assert field_of(rule_id, location) == field


def test_explained_keeps_the_rule_id_path_and_the_schematron_text() -> None:
    original = Violation("BR-FR-12_BT-49", "customer.electronic_address", "BR-FR-12/BT-49 : Le BT-49 est obligatoire.")
    french, english = explained(original, "fr"), explained(original, "en")
    assert (french.rule_id, french.path) == (english.rule_id, english.path) == (original.rule_id, original.path)
    assert french.message.startswith("l'adresse électronique de facturation de l'acheteur est obligatoire")
    assert english.message.startswith("the buyer's electronic invoicing address is required")
    assert french.message.endswith(original.message) and english.message.endswith(original.message)


def test_unknown_rules_keep_their_message() -> None:
    v = Violation("BR-XX-01", "$", "as written")
    assert explained(v, "fr") == v


def test_every_message_exists_in_both_languages() -> None:
    assert all(set(texts) == {"fr", "en"} and all(texts.values()) for texts in MESSAGES.values())


@pytest.mark.parametrize(
    ("preferred", "environment", "language"),
    [("fr", "en_US.UTF-8", "fr"), ("", "fr_FR.UTF-8", "fr"), ("", "C.UTF-8", "en"), ("", "", "en"), ("de", "", "en")],
)
def test_chosen_language(preferred: str, environment: str, language: str) -> None:
    assert chosen_language(preferred, environment) == language
