"""The small protocol every jurisdiction module implements."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from facturier.tax.model import RateQuote
from facturier.tax.rates import RateTable
from facturier.tax.territories import Territory


class Jurisdiction(Protocol):
    """Where a supply is taxed locally: which category/rate, under which local rule id."""

    def local_rule_id(self, territory: Territory) -> str:
        """Rule id for a supply whose place of taxation is inside `territory`."""
        ...

    def legal_reference(self, territory: Territory) -> str: ...

    def quote(
        self, territory: Territory, product_class: str, on: date, table: RateTable, path: str
    ) -> RateQuote:
        """The category and rate for `product_class` on `on`; raise InvalidInput if none."""
        ...
