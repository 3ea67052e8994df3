"""Builders for the tax tests. VAT ids are real-checksum ones (verified with python-stdnum)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.tax import (
    BuyerKind,
    BuyerTaxProfile,
    DistanceSalesHistory,
    OrderLine,
    SellerTaxProfile,
    SupplyKind,
    UnknownVatIdPolicy,
    VatIdStatus,
)

D = Decimal
ON = date(2026, 6, 15)

FR_ID = "FR40303265045"
DE_ID = "DE136695976"
IT_ID = "IT00743110157"
ES_ID = "ESB58378431"
FI_ID = "FI20774740"

FR = SellerTaxProfile("FR", vat_id=FR_ID, oss_union=True)
FR_NO_OSS = SellerTaxProfile("FR", vat_id=FR_ID)
FR_NO_OSS_DE_ID = replace(FR_NO_OSS, foreign_vat_ids=(("DE", DE_ID),))
FR_IOSS = replace(FR, ioss_number="IM2500000012")
FR_FRANCHISE = SellerTaxProfile("FR", franchise_en_base=True)
FR_HOLD = replace(FR, unknown_vat_id_policy=UnknownVatIdPolicy.HOLD)
CORSICA = SellerTaxProfile("FR", vat_id=FR_ID, territory="FR-20R")
GUADELOUPE = SellerTaxProfile("GP", vat_id=FR_ID)
REUNION = SellerTaxProfile("FR", territory="FR-974", vat_id=FR_ID)
GUYANE = SellerTaxProfile("GF")
DE = SellerTaxProfile("DE", vat_id=DE_ID, oss_union=True)
ES = SellerTaxProfile("ES", vat_id=ES_ID)
FI = SellerTaxProfile("FI", vat_id=FI_ID)
CANARY = SellerTaxProfile("ES", territory="ES-CN", vat_id=ES_ID)
CEUTA = SellerTaxProfile("ES", territory="ES-CE", vat_id=ES_ID)
US = SellerTaxProfile("US", oss_union=True)


def consumer(country: str, territory: str | None = None) -> BuyerTaxProfile:
    return BuyerTaxProfile(BuyerKind.CONSUMER, country, territory)


def business(
    country: str, vat_id: str | None = None, status: VatIdStatus = VatIdStatus.VALID
) -> BuyerTaxProfile:
    return BuyerTaxProfile(BuyerKind.BUSINESS, country, vat_id=vat_id, vat_id_status=status)


def goods(
    cls: str = "standard",
    frm: str | None = "FR",
    to: str | None = None,
    amount: str = "100",
    **kw: object,
) -> OrderLine:
    return OrderLine("1", SupplyKind.GOODS, cls, D(amount), ship_from=frm, ship_to=to, **kw)  # type: ignore[arg-type]


def service(cls: str = "standard", amount: str = "100", **kw: object) -> OrderLine:
    return OrderLine("1", SupplyKind.SERVICES, cls, D(amount), **kw)  # type: ignore[arg-type]


def tbe(cls: str = "standard", amount: str = "100", **kw: object) -> OrderLine:
    return OrderLine("1", SupplyKind.TBE, cls, D(amount), **kw)  # type: ignore[arg-type]


def history(prev: str = "0", cur: str = "0", year: int = 2026) -> DistanceSalesHistory:
    return DistanceSalesHistory(year, D(prev), D(cur))


LOW = history()
ABOVE = history(prev="12000")
NEAR = history(cur="9950")
