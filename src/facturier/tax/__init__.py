"""EU VAT determination (pure): which country's VAT, which rate and category, which mentions.

Entry point: `decide_order`. See docs/algorithms/tax-determination.md for the decision tree.
"""

from __future__ import annotations

from facturier.tax.charges import ChargePart, allocate_charge, split_charge
from facturier.tax.credit_notes import mirror_for_credit_note, mirror_order_for_credit_note
from facturier.tax.engine import decide_order
from facturier.tax.explain import explain
from facturier.tax.model import (
    BuyerKind,
    BuyerTaxProfile,
    InvoiceTaxMentions,
    LineTaxDecision,
    Mention,
    OrderLine,
    OrderTaxDecision,
    SellerTaxProfile,
    SupplyKind,
    ThresholdStatus,
    UnknownVatIdPolicy,
    VatIdStatus,
)
from facturier.tax.oss import OssReturnLine, OssVatRow, oss_return, parse_quarter, to_csv_rows
from facturier.tax.rates import RateTable
from facturier.tax.rates.loader import default_rate_table, parse_rate_table
from facturier.tax.threshold import (
    THRESHOLD_EUR,
    DistanceSaleRecord,
    DistanceSalesHistory,
    history_from_records,
)
from facturier.tax.vatid import VatIdHold
from facturier.tax.vies import VatCheckResult, VatIdChecker

__all__ = [
    "THRESHOLD_EUR",
    "BuyerKind",
    "BuyerTaxProfile",
    "ChargePart",
    "DistanceSaleRecord",
    "DistanceSalesHistory",
    "InvoiceTaxMentions",
    "LineTaxDecision",
    "Mention",
    "OrderLine",
    "OrderTaxDecision",
    "OssReturnLine",
    "OssVatRow",
    "RateTable",
    "SellerTaxProfile",
    "SupplyKind",
    "ThresholdStatus",
    "UnknownVatIdPolicy",
    "VatCheckResult",
    "VatIdChecker",
    "VatIdHold",
    "VatIdStatus",
    "allocate_charge",
    "decide_order",
    "default_rate_table",
    "explain",
    "history_from_records",
    "mirror_for_credit_note",
    "mirror_order_for_credit_note",
    "oss_return",
    "parse_quarter",
    "parse_rate_table",
    "split_charge",
    "to_csv_rows",
]
