"""Main entry: `decide_order` decides every line of an order and the invoice mentions.

Pure: no I/O, no clock (dates are arguments), no environment. The rate table is an argument
(defaults to the packaged one, parsed once per process). All input problems are reported at once
as `InvalidInput` violations; a VIES hold raises `VatIdHold` (a subclass).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TypeVar

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.mentions import collect, mention
from facturier.tax.model import (
    BuyerTaxProfile,
    LineTaxDecision,
    OrderLine,
    OrderTaxDecision,
    SellerTaxProfile,
    SupplyKind,
    ThresholdStatus,
)
from facturier.tax.rates import RateTable
from facturier.tax.rates.loader import default_rate_table
from facturier.tax.rules import rule_for
from facturier.tax.rules.base import LineContext, goods_route
from facturier.tax.rules.distance_sales import counts_for_threshold
from facturier.tax.rules.franchise import apply_franchise
from facturier.tax.territories import Territory, resolve, resolve_place
from facturier.tax.threshold import DistanceSalesHistory, evaluate
from facturier.tax.vatid import BuyerStatus, buyer_status, check_formats

_T = TypeVar("_T")


def _collecting(fn: Callable[[], _T], sink: list[Violation]) -> _T | None:
    try:
        return fn()
    except InvalidInput as exc:
        if type(exc) is not InvalidInput:  # VatIdHold and other specific errors propagate
            raise
        sink.extend(exc.violations)
        return None


def _raise(violations: list[Violation]) -> None:
    if violations:
        raise InvalidInput(violations)


def _place(
    code: str | None, default: Territory, path: str, what: str, notes: list[str]
) -> Territory:
    if code is None:
        notes.append(f"Place: {what} not given, {default.code} used.")
        return default
    return resolve_place(code, path)


def _line_problem(path: str, line: OrderLine, on: date, table: RateTable) -> Violation | None:
    if on < table.coverage_start:
        start = table.coverage_start.isoformat()
        message = f"date {on.isoformat()} is before the rate data coverage start {start}"
        return Violation("TAX-RATE-COVERAGE", f"{path}.supply_date", message)
    if not isinstance(line.net_amount, Decimal):
        message = "amounts must be Decimal, never float"
        return Violation("TAX-AMOUNT-TYPE", f"{path}.net_amount", message)
    return None


def _context(index: int, line: OrderLine, base: LineContext, on_date: date) -> LineContext:
    path = f"lines[{index}]"
    on = line.supply_date or on_date
    problem = _line_problem(path, line, on, base.table)
    if problem is not None:
        raise InvalidInput([problem])
    if line.kind is not SupplyKind.GOODS:
        return base.for_line(index, line, on, base.seller_place, base.buyer_place, None, ())
    notes: list[str] = []
    origin, buyer = "ship-from (seller's establishment)", "ship-to (buyer's address)"
    ship_from = _place(line.ship_from, base.seller_place, f"{path}.ship_from", origin, notes)
    ship_to = _place(line.ship_to, base.buyer_place, f"{path}.ship_to", buyer, notes)
    route = goods_route(ship_from, ship_to)
    return base.for_line(index, line, on, ship_from, ship_to, route, tuple(notes))


def _threshold(
    contexts: Sequence[LineContext], history: DistanceSalesHistory | None, on_date: date
) -> ThresholdStatus | None:
    eligible = [c.line.net_amount for c in contexts if counts_for_threshold(c)]
    if not eligible or history is None:
        return None  # a line that needs it reports TAX-THRESHOLD-HISTORY
    return evaluate(history, sum(eligible, Decimal("0")), on_date)


def _base(
    seller: SellerTaxProfile,
    buyer: BuyerTaxProfile,
    seller_place: Territory,
    buyer_place: Territory,
    status: BuyerStatus,
    on_date: date,
    table: RateTable,
) -> LineContext:
    placeholder = OrderLine("", SupplyKind.SERVICES, "", Decimal("0"))
    return LineContext(
        0,
        placeholder,
        seller,
        buyer,
        seller_place,
        buyer_place,
        seller_place,
        buyer_place,
        None,
        status.b2b,
        status.note,
        on_date,
        table,
    )


def _debits_mention(
    seller: SellerTaxProfile, lines: Sequence[OrderLine], decisions: Sequence[LineTaxDecision]
) -> bool:
    """CGI art. 269 2 a: services taxed in France by a seller that opted for VAT on debits."""
    if not seller.vat_on_debits or seller.country != "FR":
        return False
    return any(
        d.category is VatCategory.STANDARD
        and d.country == "FR"
        and line.kind is not SupplyKind.GOODS
        for line, d in zip(lines, decisions, strict=True)
    )


def decide_line(ctx: LineContext) -> LineTaxDecision:
    """Decide one prepared line: rule lookup, then the seller-regime overlay (franchise)."""
    return apply_franchise(ctx.seller, rule_for(ctx).decide(ctx))


def _prepare(
    seller: SellerTaxProfile, buyer: BuyerTaxProfile, on_date: date, table: RateTable
) -> tuple[LineContext, BuyerStatus]:
    errors: list[Violation] = []
    seller_place = _collecting(
        lambda: resolve(seller.country, seller.territory, "seller.country"), errors
    )
    buyer_place = _collecting(
        lambda: resolve(buyer.country, buyer.territory, "buyer.country"), errors
    )
    errors.extend(check_formats(seller, buyer))
    _raise(errors)
    assert seller_place is not None and buyer_place is not None
    status = buyer_status(seller, buyer, seller_place, buyer_place)
    return _base(seller, buyer, seller_place, buyer_place, status, on_date, table), status


def decide_order(
    seller: SellerTaxProfile,
    buyer: BuyerTaxProfile,
    lines: Sequence[OrderLine],
    history: DistanceSalesHistory | None,
    on_date: date,
    rates: RateTable | None = None,
) -> OrderTaxDecision:
    """Decide the VAT treatment of every line of an order (see docs/algorithms)."""
    table = rates if rates is not None else default_rate_table()
    base, status = _prepare(seller, buyer, on_date, table)
    errors: list[Violation] = []
    contexts: list[LineContext] = []
    for i, line in enumerate(lines):
        ctx = _collecting(partial(_context, i, line, base, on_date), errors)
        if ctx is not None:
            contexts.append(ctx)
    _raise(errors)
    threshold = _threshold(contexts, history, on_date)
    if threshold is not None:
        contexts = [c.with_threshold(threshold) for c in contexts]
    decided = [_collecting(partial(decide_line, c), errors) for c in contexts]
    _raise(errors)
    decisions = tuple(d for d in decided if d is not None)
    extra = [mention("DEBITS", True)] if _debits_mention(seller, lines, decisions) else []
    notes = (f"Buyer: {status.note}.",) + (
        (f"Threshold: {threshold.reason}.",) if threshold else ()
    )
    return OrderTaxDecision(
        lines=decisions,
        mentions=collect([*(d.mentions for d in decisions), extra]),
        threshold=threshold,
        buyer_treatment="business" if status.b2b else "consumer",
        explanation=(*notes, f"Rate data version {table.version} (consulted {table.consulted})."),
    )
