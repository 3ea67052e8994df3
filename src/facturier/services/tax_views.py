"""The JSON views of VAT decisions and of the OSS return, shared by the CLI and the API.

Amounts are strings with 2 decimals in EUR (the OSS currency, and the threshold's).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from facturier.services.figures import amount
from facturier.services.issuing import Issuer
from facturier.services.oss_report import OssReport, oss_report
from facturier.tax import LineTaxDecision, OrderTaxDecision, to_csv_rows


def line_json(d: LineTaxDecision) -> dict[str, Any]:
    return {
        "line_id": d.line_id,
        "country": d.country,
        "territory": d.territory,
        "category": d.category.value,
        "rate": str(d.rate),
        "vatex_code": d.vatex_code,
        "exemption_reason_fr": d.exemption_reason_fr,
        "exemption_reason_en": d.exemption_reason_en,
        "rule_id": d.rule_id,
        "legal_reference": d.legal_reference,
        "oss_scheme": d.oss_scheme,
        "rate_source": d.rate_source,
        "warnings": list(d.warnings),
        "explanation": list(d.explanation),
    }


def decision_json(order: OrderTaxDecision) -> dict[str, Any]:
    t = order.threshold
    threshold = None
    if t is not None:
        threshold = {
            "year": t.year,
            "previous_year_total": amount(t.previous_year_total, "EUR"),
            "current_year_total": amount(t.current_year_total, "EUR"),
            "order_amount": amount(t.order_amount, "EUR"),
            "exceeded": t.exceeded,
            "reason": t.reason,
        }
    return {
        "buyer_treatment": order.buyer_treatment,
        "threshold": threshold,
        "lines": [line_json(d) for d in order.lines],
        "mentions": [
            {"code": m.code, "fr": m.fr, "en": m.en, "legal_reference": m.legal_reference}
            for m in order.mentions.mentions
        ],
        "explanation": list(order.explanation),
    }


OSS_AMOUNTS = ("taxable_base", "vat", "invoice_vat", "credit_note_vat")  # EUR, the OSS currency


def oss_rows(report: OssReport) -> list[tuple[str, ...]]:
    """Header and rows of the return, amounts with 2 decimals ("1234.50", never "1234.5")."""
    header, *rows = to_csv_rows(report.lines)
    money = [name in OSS_AMOUNTS for name in header]
    return [
        header,
        *(tuple(amount(Decimal(c), "EUR") if m else c for c, m in zip(row, money, strict=True)) for row in rows),
    ]


def report_json(report: OssReport) -> dict[str, Any]:
    header, *rows = oss_rows(report)
    return {
        "quarter": report.quarter,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "scheme": report.scheme,
        "lines": [dict(zip(header, row, strict=True)) for row in rows],
        "unattributed": list(report.unattributed),
    }



def oss_return(issuer: Issuer, account_id: str, quarter: str) -> OssReport:
    """The OSS Union-scheme return of `quarter` (e.g. "2026Q3"), read in one transaction."""
    with issuer.db.reading(account_id) as tx:
        return oss_report(tx, quarter)
