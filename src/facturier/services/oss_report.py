"""The OSS return of a quarter, from the issued documents' VAT facts (Directive art. 369f-369g).

Rows are the VAT facts of the invoices, down payments, corrective invoices and credit notes
issued in the quarter under the OSS Union scheme (`scheme == "union"`), in EUR; credit notes
subtract in the quarter they are issued (art. 369g(4)). The report reconciles: its totals
equal the sum of the destination-VAT breakdown groups (BG-23) of those documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facturier.services.tax_history import facts_between
from facturier.storage.database import Transaction
from facturier.tax import OssReturnLine, OssVatRow, oss_return, parse_quarter


@dataclass(frozen=True, slots=True)
class OssReport:
    quarter: str
    start: date
    end: date
    scheme: str
    lines: tuple[OssReturnLine, ...]  # per (member state, rate), then TOTAL
    rows: tuple[OssVatRow, ...]  # one per document VAT group: the detail the lines sum
    unattributed: tuple[str, ...]  # documents issued without a known VAT country (before 0002)


def oss_report(tx: Transaction, quarter: str, scheme: str = "union") -> OssReport:
    start, end = parse_quarter(quarter)
    period = facts_between(tx, start, end)
    rows = tuple(
        OssVatRow(
            member_state=f.vat_country,
            rate=f.rate,
            taxable_base=f.taxable_eur,
            vat=f.vat_eur,
            document_type="credit_note" if f.sign < 0 else "invoice",
            sign=f.sign,
            document_id=f.number,
        )
        for f in period.facts
        if f.scheme == scheme
    )
    label = f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return OssReport(label, start, end, scheme, oss_return(rows), rows, period.unattributed)
