"""Code lists used by the model, with the standard each comes from.

Sources (consulted 2026-11-22):
- UNTDID 1001 document name codes, subset allowed by EN 16931 (CEN/TS 16931-3 code lists,
  "EN16931 code lists values v14", European Commission, 2024-11-15).
- UNTDID 5305 duty/tax category codes, same code list publication.
- UNTDID 4461 payment means codes, same code list publication.
"""

from __future__ import annotations

from enum import StrEnum


class DocumentType(StrEnum):
    """BT-3 invoice type code (UNTDID 1001), plus the two non-fiscal documents."""

    INVOICE = "380"  # Commercial invoice
    CREDIT_NOTE = "381"  # Credit note
    CORRECTIVE = "384"  # Corrected invoice
    DOWN_PAYMENT = "386"  # Prepayment (down-payment) invoice
    QUOTE = "quote"  # Devis: not a tax document, own series
    PROFORMA = "proforma"  # Pro forma: not a tax document, own series

    @property
    def is_fiscal(self) -> bool:
        """True for the documents CGI art. 289 calls invoices (380, 381, 384, 386)."""
        return self not in (DocumentType.QUOTE, DocumentType.PROFORMA)

    @property
    def is_invoice(self) -> bool:
        """True for what a buyer pays and a credit note corrects: 380, 384, 386 (not 381, quotes)."""
        return self in (DocumentType.INVOICE, DocumentType.CORRECTIVE, DocumentType.DOWN_PAYMENT)

    @property
    def untdid_1001(self) -> str:
        """The code used in e-invoices; quotes and pro formas map to 310/325 for display only."""
        return {"quote": "310", "proforma": "325"}.get(self.value, self.value)


class VatCategory(StrEnum):
    """BT-151 / BT-118 VAT category code (UNTDID 5305, EN 16931 subset)."""

    STANDARD = "S"  # Standard rate
    ZERO = "Z"  # Zero rated goods
    EXEMPT = "E"  # Exempt from tax
    REVERSE_CHARGE = "AE"  # VAT reverse charge
    INTRA_COMMUNITY = "K"  # VAT exempt for EEA intra-community supply of goods and services
    EXPORT = "G"  # Free export item, tax not charged
    OUTSIDE_SCOPE = "O"  # Services outside scope of tax
    CANARY_ISLANDS = "L"  # Canary Islands general indirect tax (IGIC)
    CEUTA_MELILLA = "M"  # Tax for production, services and importation in Ceuta and Melilla

    @property
    def has_rate(self) -> bool:
        """Categories whose rate may be non-zero (BR-S-05, BR-L-05, BR-M-05)."""
        return self in (VatCategory.STANDARD, VatCategory.CANARY_ISLANDS, VatCategory.CEUTA_MELILLA)

    @property
    def needs_exemption_reason(self) -> bool:
        """BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10: an exemption reason is required."""
        return self in (
            VatCategory.EXEMPT,
            VatCategory.REVERSE_CHARGE,
            VatCategory.INTRA_COMMUNITY,
            VatCategory.EXPORT,
            VatCategory.OUTSIDE_SCOPE,
        )


class PaymentMeansCode(StrEnum):
    """BT-81 payment means type code (UNTDID 4461)."""

    CREDIT_TRANSFER = "30"
    SEPA_CREDIT_TRANSFER = "58"
    SEPA_DIRECT_DEBIT = "59"
    CARD = "48"
    DIRECT_DEBIT = "49"
    CASH = "10"
    CHEQUE = "20"


class SupplyNature(StrEnum):
    """Nature of the operation: goods, services or both (CGI ann. II art. 242 nonies A, 2026)."""

    GOODS = "goods"
    SERVICES = "services"
    MIXED = "mixed"
