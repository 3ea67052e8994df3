"""Versioned VAT rate reference data (CSV files in this package) and its in-memory table.

`RateTable` is pure: lookups by (jurisdiction, rate name or product class, date). The CSV files are
read once by `facturier.tax.rates.loader.default_rate_table`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from facturier.domain.codes import VatCategory

GENERIC_RATE_CLASSES: frozenset[str] = frozenset(
    {"standard", "reduced", "reduced_2", "super_reduced", "parking"}
)


@dataclass(frozen=True, slots=True)
class RateRow:
    """One rate of one jurisdiction over a validity period (valid_to inclusive, None = open)."""

    jurisdiction: str
    name: str
    rate: Decimal
    valid_from: date
    valid_to: date | None
    status: str
    source: str
    note: str = ""

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def describe(self) -> str:
        until = self.valid_to.isoformat() if self.valid_to else "open"
        return (
            f"eu_vat_rates.csv {self.jurisdiction} {self.name} {self.rate} "
            f"[{self.valid_from.isoformat()}..{until}] source: {self.source} ({self.status})"
        )


@dataclass(frozen=True, slots=True)
class ClassRow:
    """A product tax class mapped to a category and a rate (number or @rate-name reference)."""

    jurisdiction: str
    product_class: str
    category: VatCategory
    rate: Decimal | None
    rate_ref: str | None
    valid_from: date
    valid_to: date | None
    vatex: str | None
    status: str
    source: str
    note: str = ""

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def describe(self) -> str:
        until = self.valid_to.isoformat() if self.valid_to else "open"
        target = f"@{self.rate_ref}" if self.rate_ref else str(self.rate)
        return (
            f"product_classes.csv {self.jurisdiction} {self.product_class} -> {target} "
            f"[{self.valid_from.isoformat()}..{until}] source: {self.source} ({self.status})"
        )


_Row = TypeVar("_Row", "RateRow", "ClassRow")


def _pick(rows: tuple[_Row, ...], on: date) -> _Row | None:
    return next((r for r in rows if r.covers(on)), None)


@dataclass(frozen=True, slots=True)
class RateTable:
    """The loaded reference data. Indexes map a key to the rows of all its periods."""

    version: str
    consulted: str
    coverage_start: date
    rates: Mapping[tuple[str, str], tuple[RateRow, ...]] = field(hash=False, compare=False)
    classes: Mapping[tuple[str, str], tuple[ClassRow, ...]] = field(hash=False, compare=False)
    # Memo of resolved quotes (pure function of the immutable data above); see rules.base.
    memo: dict[tuple[str, str, date], object] = field(
        default_factory=dict, hash=False, compare=False, repr=False
    )

    def rate(self, jurisdiction: str, name: str, on: date) -> RateRow | None:
        return _pick(self.rates.get((jurisdiction, name), ()), on)

    def product_class(self, jurisdiction: str, product_class: str, on: date) -> ClassRow | None:
        return _pick(self.classes.get((jurisdiction, product_class), ()), on)

    def known_classes(self, jurisdiction: str) -> tuple[str, ...]:
        named = {c for (j, c) in self.classes if j == jurisdiction}
        generic = {n for (j, n) in self.rates if j == jurisdiction and n in GENERIC_RATE_CLASSES}
        return tuple(sorted(named | generic | {"zero", "exempt"}))

    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({j for (j, _) in self.rates}))
