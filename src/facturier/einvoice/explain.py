"""Schematron findings named by the field they are about, explained in the reader's language.

The official schematrons (EN 16931 CII/UBL, BR-FR-Flux2) report an XPath and a message in
their authors' language. A merchant needs the field of *their* input and a sentence in *their*
language, and support needs the rule id. This module keeps the rule id and gives:

- `field_of(rule_id, location)`: the domain field (Document model names, e.g.
  `buyer.electronic_address`, `lines[2].vat_rate`), found in this order:
  1. the BT id in the rule id (the French rules name it: "BR-FR-12_BT-49" -> BT-49), through
     `BT_FIELDS`; a line-level BT takes the line index from the XPath
     (`IncludedSupplyChainTradeLineItem[3]` / `InvoiceLine[3]` -> `lines[2]`);
  2. `RULE_FIELDS`, for the EN 16931 rules whose id names no BT (BR-CO-*, BR-S-*, BR-AE-*...);
  3. the XPath's party and element (`BuyerTradeParty/URIUniversalCommunication`, `cbc:EndpointID`).
  None when the finding is about no single field (a total, the document as a whole).
  The entry points then name the field as the user wrote it: services.orders.order_path
  (`buyer.` -> `customer.`), services.seller_checks (`seller.` -> the seller file's fields).
- `explained(violation, language)`: our message in "fr" or "en" for the rules merchants hit
  (`MESSAGES`, keyed by the rule id's base "BR-FR-12"), the schematron's own text kept after it;
  unknown rules keep the schematron's text.
"""

from __future__ import annotations

import re

from facturier.domain.errors import Violation

LANGUAGES = ("fr", "en")

# BT id -> domain field. "{line}" is replaced by "lines[i]" from the XPath.
BT_FIELDS: dict[str, str] = {
    "BT-1": "number",
    "BT-2": "issue_date",
    "BT-3": "document_type",
    "BT-5": "currency",
    "BT-9": "payment_terms.due_date",
    "BT-10": "buyer_reference",
    "BT-13": "order_reference",
    "BT-20": "payment_terms.note",
    "BT-22": "notes",
    "BT-25": "preceding",
    "BT-26": "preceding",
    "BT-27": "seller.name",
    "BT-29": "seller.siret",
    "BT-30": "seller.siren",
    "BT-31": "seller.vat_id",
    "BT-34": "seller.electronic_address",
    "BT-35": "seller.address.line1",
    "BT-37": "seller.address.city",
    "BT-38": "seller.address.postcode",
    "BT-40": "seller.address.country",
    "BT-44": "buyer.name",
    "BT-46": "buyer.siret",
    "BT-47": "buyer.siren",
    "BT-48": "buyer.vat_id",
    "BT-49": "buyer.electronic_address",
    "BT-50": "buyer.address.line1",
    "BT-52": "buyer.address.city",
    "BT-53": "buyer.address.postcode",
    "BT-55": "buyer.address.country",
    "BT-72": "delivery_date",
    "BT-75": "delivery_address.line1",
    "BT-77": "delivery_address.city",
    "BT-78": "delivery_address.postcode",
    "BT-80": "delivery_address.country",
    "BT-84": "payment_terms.means.iban",
    "BT-120": "{line}.exemption_reason",
    "BT-121": "{line}.exemption_code",
    "BT-129": "{line}.quantity",
    "BT-130": "{line}.unit_code",
    "BT-146": "{line}.net_price",
    "BT-149": "{line}.base_quantity",
    "BT-151": "{line}.vat_category",
    "BT-152": "{line}.vat_rate",
    "BT-153": "{line}.name",
    "BT-155": "{line}.seller_item_id",
}

# The French mandatory notes (BR-FR-05, BT-22 subject codes) are written from payment terms.
_NOTE_FIELDS = {
    "PMD": "payment_terms.late_penalty_rate",  # C. com. L441-10
    "PMT": "payment_terms.recovery_indemnity",  # C. com. D441-5
    "AAB": "payment_terms.early_payment_discount",
}
_UBL_NOTE_ORDER = {"1": "PMT", "2": "PMD", "3": "AAB"}  # BR-FR-05_BT-22-1/-2/-3 in the UBL schematron

# EN 16931 rules whose id names no BT: the field they are about ("{party}" from the XPath).
RULE_FIELDS: dict[str, str] = {
    "BR-CO-09": "{party}.vat_id",
    "BR-CO-25": "payment_terms.due_date",
    "BR-CO-26": "seller.siren",
    "BR-S-05": "{line}.vat_rate",
    "BR-Z-05": "{line}.vat_rate",
    "BR-E-05": "{line}.vat_rate",
    "BR-AE-05": "{line}.vat_rate",
    "BR-IC-05": "{line}.vat_rate",
    "BR-G-05": "{line}.vat_rate",
    "BR-O-05": "{line}.vat_rate",
    "BR-E-10": "{line}.exemption_reason",
    "BR-AE-10": "{line}.exemption_reason",
    "BR-IC-10": "{line}.exemption_reason",
    "BR-G-10": "{line}.exemption_reason",
    "BR-O-10": "{line}.exemption_reason",
    "BR-AE-02": "buyer.vat_id",
    "BR-AE-03": "buyer.vat_id",
    "BR-IC-02": "buyer.vat_id",
    "BR-IC-03": "buyer.vat_id",
    "BR-IC-11": "delivery_date",
    "BR-IC-12": "delivery_address.country",
    "BR-S-02": "seller.vat_id",
    "BR-Z-02": "seller.vat_id",
    "BR-E-02": "seller.vat_id",
    "BR-G-02": "seller.vat_id",
    "BR-O-02": "seller.vat_id",
    "BR-08": "seller.address",
    "BR-10": "buyer.address",
    "BR-11": "buyer.address.country",
    "BR-25": "{line}.name",
}

# XPath elements (CII and UBL) -> the party field they hold.
_ELEMENT_FIELDS = (
    ("URIUniversalCommunication", "electronic_address"),
    ("EndpointID", "electronic_address"),
    ("SpecifiedTaxRegistration", "vat_id"),
    ("PartyTaxScheme", "vat_id"),
    ("SpecifiedLegalOrganization", "siren"),
    ("PartyLegalEntity", "siren"),
    ("PostalTradeAddress", "address"),
    ("PostalAddress", "address"),
)
_SELLER = re.compile(r"SellerTradeParty|AccountingSupplierParty")
_BUYER = re.compile(r"BuyerTradeParty|AccountingCustomerParty")
_LINE = re.compile(r"(?:IncludedSupplyChainTradeLineItem|InvoiceLine|CreditNoteLine)\[(\d+)\]")
_BT = re.compile(r"_(BT-\d+)")


def base_rule(rule_id: str) -> str:
    """ "BR-FR-12_BT-49" -> "BR-FR-12"; "BR-S-05" stays."""
    return rule_id.split("_", 1)[0]


def field_of(rule_id: str, location: str) -> str | None:
    """The domain field a schematron finding is about, or None (see the module docstring)."""
    line = _LINE.search(location)
    party = "seller" if _SELLER.search(location) else "buyer" if _BUYER.search(location) else ""
    template = _template(rule_id, location)
    if template is None:
        return None
    if ("{line}" in template and line is None) or ("{party}" in template and not party):
        return None
    return template.replace("{line}", f"lines[{int(line.group(1)) - 1}]" if line else "").replace("{party}", party)


def _template(rule_id: str, location: str) -> str | None:
    base = base_rule(rule_id)
    if base == "BR-FR-05":  # the mandatory notes: which one is in the rule id
        code = rule_id.rsplit("_", 1)[-1] if "_BT-22_" in rule_id else _UBL_NOTE_ORDER.get(rule_id[-1], "")
        return _NOTE_FIELDS.get(code)
    bt = _BT.search(rule_id)
    if bt is not None and bt.group(1) in BT_FIELDS:
        return BT_FIELDS[bt.group(1)]
    if base in RULE_FIELDS:
        return RULE_FIELDS[base]
    party = "seller" if _SELLER.search(location) else "buyer" if _BUYER.search(location) else ""
    if party:
        for element, name in _ELEMENT_FIELDS:
            if element in location:
                return f"{party}.{name}"
    return None


# Our wording of the rules merchants hit, in each language (base rule id -> language -> text).
MESSAGES: dict[str, dict[str, str]] = {
    "BR-FR-10": {
        "fr": "le SIREN du vendeur (9 chiffres) est obligatoire",
        "en": "the seller's SIREN (9 digits) is required",
    },
    "BR-FR-11": {
        "fr": "le SIREN de l'acheteur (9 chiffres) est obligatoire sur une facture entre entreprises françaises",
        "en": "the buyer's SIREN (9 digits) is required on an invoice between French businesses",
    },
    "BR-FR-12": {
        "fr": "l'adresse électronique de facturation de l'acheteur est obligatoire (réforme de la facturation "
        "électronique)",
        "en": "the buyer's electronic invoicing address is required (French e-invoicing reform)",
    },
    "BR-FR-13": {
        "fr": "l'adresse électronique de facturation du vendeur est obligatoire (réforme de la facturation "
        "électronique)",
        "en": "the seller's electronic invoicing address is required (French e-invoicing reform)",
    },
    "BR-FR-21": {
        "fr": "entre entreprises, l'adresse électronique de l'acheteur commence par son SIREN, schéma 0225",
        "en": "between businesses, the buyer's electronic address starts with its SIREN, scheme 0225",
    },
    "BR-FR-22": {
        "fr": "en autofacturation, l'adresse électronique du vendeur commence par son SIREN, schéma 0225",
        "en": "on a self-billed invoice, the seller's electronic address starts with its SIREN, scheme 0225",
    },
    "BR-FR-23": {
        "fr": "l'adresse électronique n'admet que des lettres, des chiffres et « - _ . »",
        "en": "an electronic address may hold only letters, digits and '-', '_', '.'",
    },
    "BR-FR-05": {
        "fr": "une mention obligatoire entre entreprises manque (pénalités de retard, indemnité de recouvrement "
        "de 40 EUR ou escompte, C. com. L441-10)",
        "en": "a mandatory B2B mention is missing (late-payment penalties, EUR 40 recovery indemnity or early "
        "payment discount, C. com. L441-10)",
    },
    "BR-CO-09": {
        "fr": "le numéro de TVA doit commencer par le code du pays (ex. FR, DE)",
        "en": "the VAT id must start with its country code (e.g. FR, DE)",
    },
    "BR-CO-25": {
        "fr": "un montant reste à payer : une date d'échéance ou des conditions de paiement sont obligatoires",
        "en": "an amount is due: a due date or payment terms are required",
    },
    "BR-CO-26": {
        "fr": "le vendeur doit être identifié (SIREN, identifiant ou numéro de TVA)",
        "en": "the seller must be identified (SIREN, identifier or VAT id)",
    },
    "BR-S-05": {
        "fr": "une ligne au taux normal doit avoir un taux de TVA supérieur à zéro",
        "en": "a standard-rated line must have a VAT rate above zero",
    },
    "BR-S-02": {
        "fr": "une facture avec TVA doit porter le numéro de TVA du vendeur",
        "en": "an invoice with VAT must show the seller's VAT id",
    },
    "BR-O-02": {
        "fr": "une opération hors champ de la TVA ne porte pas de numéro de TVA du vendeur",
        "en": "a supply outside the scope of VAT carries no seller VAT id",
    },
    "BR-O-05": {
        "fr": "une ligne hors champ de la TVA n'a pas de taux de TVA",
        "en": "a line outside the scope of VAT has no VAT rate",
    },
    "BR-O-10": {
        "fr": "une opération hors champ de la TVA doit en donner le motif",
        "en": "a supply outside the scope of VAT must state why",
    },
    "BR-AE-02": {
        "fr": "en autoliquidation, les numéros de TVA du vendeur et de l'acheteur sont obligatoires",
        "en": "under reverse charge, the seller's and the buyer's VAT ids are required",
    },
    "BR-AE-05": {
        "fr": "une ligne en autoliquidation a un taux de TVA de zéro",
        "en": "a reverse-charge line has a VAT rate of zero",
    },
    "BR-AE-10": {
        "fr": "l'autoliquidation doit être mentionnée (motif d'exonération « Autoliquidation »)",
        "en": "reverse charge must be stated (exemption reason 'Reverse charge')",
    },
    "BR-E-10": {
        "fr": "une ligne exonérée doit donner le motif de l'exonération",
        "en": "an exempt line must state the reason for the exemption",
    },
    "BR-IC-02": {
        "fr": "une livraison intracommunautaire exige les numéros de TVA du vendeur et de l'acheteur",
        "en": "an intra-community supply requires the seller's and the buyer's VAT ids",
    },
    "BR-IC-11": {
        "fr": "une livraison intracommunautaire exige la date de livraison",
        "en": "an intra-community supply requires the delivery date",
    },
    "BR-IC-12": {
        "fr": "une livraison intracommunautaire exige le pays de livraison",
        "en": "an intra-community supply requires the delivery country",
    },
}


def explained(violation: Violation, language: str) -> Violation:
    """`violation` with our message in `language` ("fr" or "en") when we have one; rule id and
    path unchanged, the schematron's own text kept after ours (it names the values it saw)."""
    texts = MESSAGES.get(base_rule(violation.rule_id))
    if texts is None:
        return violation
    ours = texts.get(language) or texts["en"]
    return Violation(violation.rule_id, violation.path, f"{ours} — {violation.message}")


def chosen_language(preferred: str, environment: str = "") -> str:
    """ "fr" or "en": `preferred` (an order's customer.language) if given, else the locale
    (FACTURIER_LANG, else LANG: "fr_FR.UTF-8" -> "fr"), else English."""
    for candidate in (preferred, environment):
        code = candidate.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
