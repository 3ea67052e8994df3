"""Jurisdictions whose rates come from the rate table: EU member states (Corsica included) and the
French overseas departments where VAT applies (Guadeloupe, Martinique, La Réunion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from facturier.domain.codes import VatCategory
from facturier.domain.errors import InvalidInput, Violation
from facturier.tax.model import RateQuote
from facturier.tax.rates import GENERIC_RATE_CLASSES, ClassRow, RateTable
from facturier.tax.territories import Territory

ZERO = Decimal("0")
EXEMPT_VATEX = "VATEX-EU-132"
EXEMPT_FR = "Exonération de TVA (article 132 de la directive 2006/112/CE)"
EXEMPT_EN = "VAT exempt (Article 132 of Directive 2006/112/EC)"


def no_rate(
    path: str, product_class: str, key: str, on: date, known: tuple[str, ...]
) -> InvalidInput:
    return InvalidInput(
        [
            Violation(
                "TAX-RATE-NONE",
                f"{path}.product_class",
                f"no rate defined for product class {product_class!r} in {key} on "
                f"{on.isoformat()}; classes with data there: {', '.join(known)}",
            )
        ]
    )


def generic_quote(product_class: str, category: VatCategory) -> RateQuote | None:
    """Classes every jurisdiction understands without data: zero (Z) and exempt (E)."""
    if product_class == "zero":
        # Directive 2006/112/EC art. 98(2) and 110: zero rate with right of deduction
        zero_cat = VatCategory.ZERO if category is VatCategory.STANDARD else category
        return RateQuote(
            zero_cat,
            ZERO,
            "class 'zero': exemption with right of deduction "
            "(Directive 2006/112/EC art. 98(2), 110), classified by the seller",
        )
    if product_class == "exempt":
        # Directive 2006/112/EC art. 132 (activities in the public interest)
        return RateQuote(
            VatCategory.EXEMPT,
            ZERO,
            "class 'exempt': exempt supply classified by the seller "
            "(Directive 2006/112/EC art. 132)",
            EXEMPT_VATEX,
            EXEMPT_FR,
            EXEMPT_EN,
        )
    return None


@dataclass(frozen=True, slots=True)
class TableJurisdiction:
    """Rates looked up in the table under `key_override` or the territory code."""

    rule_id: str
    reference: str
    taxed_category: VatCategory = VatCategory.STANDARD
    key_override: str | None = None
    corsica_rule_id: str | None = None

    def key(self, territory: Territory) -> str:
        return self.key_override or territory.code

    def local_rule_id(self, territory: Territory) -> str:
        if self.corsica_rule_id and territory.code == "FR-20R":
            return self.corsica_rule_id
        return self.rule_id

    def legal_reference(self, territory: Territory) -> str:
        if territory.code == "FR-20R":
            return "CGI art. 297 (Corsica rates); CGI art. 256 and 258"
        if territory.country == "FR":
            return self.reference + "; CGI art. 256, 258 and 278"
        return self.reference

    def quote(
        self, territory: Territory, product_class: str, on: date, table: RateTable, path: str
    ) -> RateQuote:
        generic = generic_quote(product_class, self.taxed_category)
        if generic is not None:
            return generic
        key = self.key(territory)
        if product_class in GENERIC_RATE_CLASSES:
            row = table.rate(key, product_class, on)
            if row is None:
                raise no_rate(path, product_class, key, on, table.known_classes(key))
            return RateQuote(self.taxed_category, row.rate, row.describe())
        mapped = table.product_class(key, product_class, on)
        if mapped is None:
            raise no_rate(path, product_class, key, on, table.known_classes(key))
        return self._mapped(mapped, key, on, table, path)

    def _mapped(self, row: ClassRow, key: str, on: date, table: RateTable, path: str) -> RateQuote:
        if row.category is VatCategory.EXEMPT:
            reason_en = f"VAT exempt: {row.source}"
            return RateQuote(
                VatCategory.EXEMPT,
                ZERO,
                row.describe(),
                row.vatex,
                f"Exonération de TVA : {row.source}",
                reason_en,
            )
        if row.category is VatCategory.ZERO:
            return RateQuote(VatCategory.ZERO, ZERO, row.describe())
        if row.rate_ref is None:
            assert row.rate is not None
            return RateQuote(self.taxed_category, row.rate, row.describe())
        ref = table.rate(key, row.rate_ref, on)
        if ref is None:
            raise no_rate(path, row.product_class, key, on, table.known_classes(key))
        return RateQuote(self.taxed_category, ref.rate, f"{row.describe()}; {ref.describe()}")


# Directive 2006/112/EC art. 2(1)(a) and (c): supplies for consideration within a member state
EU_MEMBER = TableJurisdiction(
    rule_id="EU-DOMESTIC",
    reference="Directive 2006/112/EC art. 2(1), 31-32 (goods), 44-45 (services), 96-99 (rates)",
    corsica_rule_id="FR-CORSICA-DOMESTIC",
)

# CGI art. 294 to 296: VAT applies in Guadeloupe, Martinique and La Réunion at DOM rates
FR_DOM = TableJurisdiction(
    rule_id="FR-DOM-DOMESTIC",
    reference="CGI art. 294 and 296 (rates 8.5 % and 2.1 % in Guadeloupe, Martinique, Réunion)",
    key_override="FR-DOM",
)
