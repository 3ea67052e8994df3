"""Code conversions shared by the readers: XML codes -> domain enums, with clear errors."""

from __future__ import annotations

from facturier.domain.codes import DocumentType, PaymentMeansCode, VatCategory
from facturier.domain.parties import BuyerKind
from facturier.einvoice.errors import UnsupportedContent

_FISCAL = {t.value: t for t in DocumentType if t.is_fiscal}
_CATEGORIES = {c.value: c for c in VatCategory}
_MEANS = {m.value: m for m in PaymentMeansCode}


def document_type(code: str) -> DocumentType:
    """BT-3: 380, 381, 384, 386 (the types the model knows)."""
    if code in _FISCAL:
        return _FISCAL[code]
    raise UnsupportedContent(f"BT-3 invoice type code {code[:10]!r} is not supported (known: 380, 381, 384, 386)")


def vat_category(code: str) -> VatCategory:
    if code in _CATEGORIES:
        return _CATEGORIES[code]
    raise UnsupportedContent(f"VAT category code {code[:10]!r} is not supported (UNTDID 5305 EN 16931 subset)")


def payment_means_code(code: str) -> PaymentMeansCode:
    if code in _MEANS:
        return _MEANS[code]
    known = ", ".join(sorted(_MEANS))
    raise UnsupportedContent(f"BT-81 payment means code {code[:10]!r} is not supported (known: {known})")


def buyer_kind(treatment: str, identified: bool) -> BuyerKind:
    """Consumer or business: the French BAR note says it; otherwise a buyer with no VAT id,
    SIREN or SIRET is taken for a consumer."""
    if treatment in ("B2C", "B2CINT"):
        return BuyerKind.CONSUMER
    if treatment in ("B2B", "B2BINT") or identified:
        return BuyerKind.BUSINESS
    return BuyerKind.CONSUMER
