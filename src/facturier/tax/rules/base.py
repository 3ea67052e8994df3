"""What every rule sees (`LineContext`), the `TaxRule` protocol and decision builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput, Violation
from facturier.tax import jurisdictions
from facturier.tax.model import (
    BuyerTaxProfile,
    LineTaxDecision,
    Mention,
    OrderLine,
    RateQuote,
    SellerTaxProfile,
    SupplyKind,
    ThresholdStatus,
)
from facturier.tax.rates import RateTable
from facturier.tax.territories import Territory


class GoodsRoute(StrEnum):
    """How the goods move, seen from the VAT borders (Directive art. 5-7, CGI art. 294-2)."""

    LOCAL = "local"  # same area
    INTRA_EU = "intra_eu"  # between two member states
    EXPORT = "export"  # leaves a VAT area for a place outside it
    IMPORT = "import"  # enters a VAT area from outside any VAT area
    OUTSIDE = "outside"  # neither end applies VAT


def goods_route(ship_from: Territory, ship_to: Territory) -> GoodsRoute:
    if ship_from.area == ship_to.area:
        return GoodsRoute.LOCAL
    if ship_from.in_eu_vat_territory and ship_to.in_eu_vat_territory:
        return GoodsRoute.INTRA_EU
    if ship_from.applies_vat:
        return GoodsRoute.EXPORT
    if ship_to.applies_vat:
        return GoodsRoute.IMPORT
    return GoodsRoute.OUTSIDE


@dataclass(frozen=True, slots=True)
class LineContext:
    index: int
    line: OrderLine
    seller: SellerTaxProfile
    buyer: BuyerTaxProfile
    seller_place: Territory
    buyer_place: Territory
    ship_from: Territory
    ship_to: Territory
    route: GoodsRoute | None  # None for services
    b2b: bool
    buyer_note: str
    on: date
    table: RateTable
    threshold: ThresholdStatus | None = None
    notes: tuple[str, ...] = ()

    def for_line(
        self,
        index: int,
        line: OrderLine,
        on: date,
        ship_from: Territory,
        ship_to: Territory,
        route: GoodsRoute | None,
        notes: tuple[str, ...],
    ) -> LineContext:
        """A copy for one line (explicit constructor: much faster than dataclasses.replace)."""
        return LineContext(
            index,
            line,
            self.seller,
            self.buyer,
            self.seller_place,
            self.buyer_place,
            ship_from,
            ship_to,
            route,
            self.b2b,
            self.buyer_note,
            on,
            self.table,
            self.threshold,
            notes,
        )

    def with_threshold(self, threshold: ThresholdStatus) -> LineContext:
        return LineContext(
            self.index,
            self.line,
            self.seller,
            self.buyer,
            self.seller_place,
            self.buyer_place,
            self.ship_from,
            self.ship_to,
            self.route,
            self.b2b,
            self.buyer_note,
            self.on,
            self.table,
            threshold,
            self.notes,
        )

    @property
    def path(self) -> str:
        return f"lines[{self.index}]"

    @property
    def is_goods(self) -> bool:
        return self.line.kind is SupplyKind.GOODS

    @property
    def seller_is_fr(self) -> bool:
        return self.seller_place.country == "FR"


class TaxRule(Protocol):
    """A rule family: `applies` selects it (rules are tried in registry order), `decide` decides."""

    name: str

    def applies(self, ctx: LineContext) -> bool: ...

    def decide(self, ctx: LineContext) -> LineTaxDecision: ...


_MEMO_LIMIT = 20_000


def quote_at(ctx: LineContext, place: Territory) -> RateQuote:
    """Rate of the line's product class in `place` on the supply date (jurisdiction lookup).

    Quotes are memoised on the (immutable) table: the same inputs always give the same quote;
    failures are not memoised.
    """
    key = (place.code, ctx.line.product_class, ctx.on)
    hit = ctx.table.memo.get(key)
    if isinstance(hit, RateQuote):
        return hit
    juris = jurisdictions.for_territory(place)
    quote = juris.quote(place, ctx.line.product_class, ctx.on, ctx.table, ctx.path)
    if len(ctx.table.memo) < _MEMO_LIMIT:
        ctx.table.memo[key] = quote
    return quote


def base_explanation(ctx: LineContext, rule_text: str) -> list[str]:
    return [rule_text, f"Buyer: {ctx.buyer_note}.", *ctx.notes]


def rate_line(quote: RateQuote, ctx: LineContext) -> str:
    return _rate_text(quote, ctx.line.product_class, ctx.on, ctx.table.version)


@lru_cache(maxsize=8192)
def _rate_text(quote: RateQuote, product_class: str, on: date, version: str) -> str:
    return (
        f"Rate: {quote.category.value} {quote.rate} % for class {product_class!r} "
        f"on {on.isoformat()} ({quote.source}; data version {version})."
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """The parts of a decision a rule chooses; `build` adds line id and common fields."""

    place: Territory
    quote: RateQuote
    rule_id: str
    legal_reference: str
    explanation: tuple[str, ...]
    mentions: tuple[Mention, ...] = ()
    oss_scheme: str | None = None
    warnings: tuple[str, ...] = ()


def build(ctx: LineContext, out: Outcome) -> LineTaxDecision:
    q = out.quote
    return LineTaxDecision(
        line_id=ctx.line.line_id,
        country=out.place.country,
        territory=out.place.subdivision,
        category=q.category,
        rate=q.rate,
        vatex_code=q.vatex_code,
        exemption_reason_fr=q.reason_fr,
        exemption_reason_en=q.reason_en,
        rule_id=out.rule_id,
        legal_reference=out.legal_reference,
        explanation=out.explanation + tuple(f"Warning: {w}" for w in out.warnings),
        oss_scheme=out.oss_scheme,
        mentions=out.mentions,
        warnings=out.warnings,
        rate_source=q.source,
    )


def local_outcome(ctx: LineContext, place: Territory, rule_text: str) -> Outcome:
    """A supply taxed inside `place` under that jurisdiction's own rules and rates."""
    juris = jurisdictions.for_territory(place)
    quote = quote_at(ctx, place)
    lines = [*base_explanation(ctx, rule_text), rate_line(quote, ctx)]
    warnings: tuple[str, ...] = ()
    if quote.category is VatCategory.STANDARD and not _registered(ctx, place):
        warnings = (
            f"the seller has no VAT id recorded in {place.country}; it must register "
            f"there to charge {place.country} VAT",
        )
    return Outcome(
        place,
        quote,
        juris.local_rule_id(place),
        juris.legal_reference(place),
        tuple(lines),
        exemption_mentions(quote),
        warnings=warnings,
    )


def _registered(ctx: LineContext, place: Territory) -> bool:
    return place.country == ctx.seller_place.country or (
        ctx.seller.vat_id_in(place.country) is not None
    )


def exemption_mentions(quote: RateQuote) -> tuple[Mention, ...]:
    if quote.category is VatCategory.EXEMPT and quote.reason_fr and quote.reason_en:
        ref = quote.vatex_code or "exemption"
        return (Mention(f"EXEMPT:{ref}", quote.reason_fr, quote.reason_en, quote.source),)
    if quote.category is VatCategory.OUTSIDE_SCOPE and quote.reason_fr and quote.reason_en:
        return (
            Mention(f"OUTSIDE:{quote.vatex_code}", quote.reason_fr, quote.reason_en, quote.source),
        )
    return ()


def violation(rule_id: str, path: str, message: str) -> Violation:
    return Violation(rule_id, path, message)


def raise_if(violations: list[Violation]) -> None:
    if violations:
        raise InvalidInput(violations)
