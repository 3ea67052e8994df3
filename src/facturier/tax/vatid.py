"""Offline VAT id checks (python-stdnum) and the buyer's effective status for the decision."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stdnum.eu import vat as eu_vat

from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import (
    BuyerKind,
    BuyerTaxProfile,
    SellerTaxProfile,
    UnknownVatIdPolicy,
    VatIdStatus,
)
from facturier.tax.territories import Territory


class VatIdHold(InvalidInput):
    """The seller's policy is to hold orders whose business buyer could not be confirmed."""


@lru_cache(maxsize=4096)
def checksum_ok(vat_id: str) -> bool:
    """Format and check digits of an EU VAT id with its country prefix (EL for Greece)."""
    return bool(eu_vat.is_valid(vat_id))


def vat_id_country(vat_id: str) -> str:
    prefix = vat_id.strip().upper()[:2]
    return "GR" if prefix == "EL" else prefix


def check_formats(seller: SellerTaxProfile, buyer: BuyerTaxProfile) -> list[Violation]:
    """Checksum violations for every VAT id given (an id printed on an invoice must be sound)."""
    ids = [("seller.vat_id", seller.vat_id)]
    ids += [(f"seller.foreign_vat_ids[{c}]", v) for c, v in seller.foreign_vat_ids]
    if buyer.kind is BuyerKind.BUSINESS:
        ids.append(("buyer.vat_id", buyer.vat_id))
    return [
        Violation("TAX-VATID-CHECKSUM", path, f"VAT id {vid!r} fails the format/checksum test")
        for path, vid in ids
        if vid and not checksum_ok(vid)
    ]


@dataclass(frozen=True, slots=True)
class BuyerStatus:
    b2b: bool
    note: str


def _unconfirmed(seller: SellerTaxProfile, buyer: BuyerTaxProfile) -> BuyerStatus:
    what = (
        "could not be confirmed (VIES unknown)"
        if (buyer.vat_id_status is VatIdStatus.UNKNOWN)
        else "was not checked in VIES"
    )
    if seller.unknown_vat_id_policy is UnknownVatIdPolicy.HOLD:
        raise VatIdHold(
            [
                Violation(
                    "TAX-VIES-HOLD",
                    "buyer.vat_id_status",
                    f"buyer VAT id {buyer.vat_id} {what}; seller policy is to hold the order "
                    "until VIES confirms it",
                )
            ]
        )
    return BuyerStatus(
        False,
        f"buyer VAT id {buyer.vat_id} {what}: treated as a consumer by "
        "seller policy (VAT charged; a credit note and re-invoice can follow a "
        "later valid check)",
    )


def buyer_status(
    seller: SellerTaxProfile,
    buyer: BuyerTaxProfile,
    seller_place: Territory,
    buyer_place: Territory,
) -> BuyerStatus:
    """Whether the buyer is treated as a taxable person for place-of-supply rules."""
    if buyer.kind is BuyerKind.CONSUMER:
        return BuyerStatus(False, "buyer is a consumer (non-taxable person)")
    if not buyer_place.in_eu_vat_territory:
        # Implementing Regulation 282/2011 art. 18(3): evidence of business status outside the EU
        return BuyerStatus(
            True,
            "business buyer outside the EU VAT territory (status evidenced "
            "by the seller, Implementing Regulation 282/2011 art. 18(3))",
        )
    if buyer.vat_id is None:
        return BuyerStatus(True, "business buyer without a VAT id")
    if buyer_place.country == seller_place.country:
        return BuyerStatus(True, f"domestic business buyer, VAT id {buyer.vat_id}")
    if buyer.vat_id_status is VatIdStatus.VALID:
        return BuyerStatus(
            True,
            f"business buyer, VAT id {buyer.vat_id} valid in VIES "
            "(Implementing Regulation 282/2011 art. 18(1))",
        )
    if buyer.vat_id_status is VatIdStatus.INVALID:
        return BuyerStatus(
            False,
            f"VIES reports buyer VAT id {buyer.vat_id} as invalid: treated as a consumer "
            "(VAT charged)",
        )
    return _unconfirmed(seller, buyer)
