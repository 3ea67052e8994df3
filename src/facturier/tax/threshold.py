"""The EUR 10,000 EU-wide threshold for intra-EU B2C distance sales of goods and TBE services.

Directive 2006/112/EC art. 59c (TBE) and art. 33(a) read with art. 59c (goods); CGI art. 258 A
(goods) and 259 D (TBE). The place of supply stays in the seller's member state only while the
total of these cross-border B2C supplies did not exceed EUR 10,000 in the previous calendar year
and does not exceed it in the current one; the supply that makes the current-year total exceed
the threshold is itself taxed at destination, and so is every later one in the year and in the
next year. The totals come from the seller's own issued documents: no manual flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import ThresholdStatus

THRESHOLD_EUR = Decimal("10000")  # Directive 2006/112/EC art. 59c(1)(c)
_ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class DistanceSalesHistory:
    """Cross-border B2C totals (EUR, excluding VAT) before the order being decided."""

    year: int
    previous_year_total: Decimal
    current_year_total: Decimal


@dataclass(frozen=True, slots=True)
class DistanceSaleRecord:
    """One issued document: its date, net EUR amount (credit notes negative) and eligibility."""

    on: date
    amount: Decimal
    is_cross_border_b2c: bool


def history_from_records(
    records: Iterable[DistanceSaleRecord | tuple[date, Decimal, bool]], on_date: date
) -> DistanceSalesHistory:
    """Sum the seller's issued rows into the history value for an order dated `on_date`.

    Counts rows of the previous calendar year, and rows of the current year dated on or before
    `on_date` (rows dated after it are ignored, so a decision can be replayed for a past date).
    Credit notes enter with a negative amount.
    """
    previous = current = _ZERO
    for record in records:
        on, amount, eligible = (
            (record.on, record.amount, record.is_cross_border_b2c)
            if isinstance(record, DistanceSaleRecord)
            else record
        )
        if not eligible:
            continue
        if on.year == on_date.year - 1:
            previous += amount
        elif on.year == on_date.year and on <= on_date:
            current += amount
    return DistanceSalesHistory(on_date.year, previous, current)


def _eur(x: Decimal) -> str:
    return f"EUR {x:,.2f}"


def _reason(history: DistanceSalesHistory, order_amount: Decimal) -> tuple[bool, str]:
    prev, cur = history.previous_year_total, history.current_year_total
    after, limit = cur + order_amount, _eur(THRESHOLD_EUR)
    if prev > THRESHOLD_EUR:  # art. 59c(1)(c): exceeded in the preceding year
        return True, (
            f"previous year {_eur(prev)} > {limit}: destination VAT from 1 January "
            f"{history.year} (Directive art. 59c(1)(c))"
        )
    if cur > THRESHOLD_EUR:
        return True, (
            f"current year {_eur(cur)} already > {limit} before this order: destination VAT "
            "(Directive art. 59c)"
        )
    if after > THRESHOLD_EUR:  # art. 59c(2): the supply that exceeds the threshold
        return True, (
            f"current year {_eur(cur)} + this order {_eur(order_amount)} = {_eur(after)} > "
            f"{limit}: this is the crossing sale, taxed at destination (Directive art. 59c(2))"
        )
    return False, (
        f"previous year {_eur(prev)}, current year {_eur(cur)} + this order "
        f"{_eur(order_amount)} = {_eur(after)} <= {limit}: seller's member state VAT "
        "(Directive art. 59c(1))"
    )


def evaluate(
    history: DistanceSalesHistory, order_amount: Decimal, on_date: date
) -> ThresholdStatus:
    """Decide whether this order's cross-border B2C lines are taxed at destination."""
    if history.year != on_date.year:
        message = (
            f"distance-sales history is for {history.year}, the order is dated "
            f"{on_date.isoformat()}"
        )
        raise InvalidInput([Violation("TAX-THRESHOLD-YEAR", "history.year", message)])
    exceeded, reason = _reason(history, order_amount)
    return ThresholdStatus(
        history.year,
        history.previous_year_total,
        history.current_year_total,
        order_amount,
        exceeded,
        reason,
    )
