"""Canary Islands: outside the EU VAT territory (Directive 2006/112/EC art. 6(1)(b)); local sales
bear IGIC (Ley 20/1991 and Ley 4/2012 de Canarias), UNTDID 5305 category L."""

from __future__ import annotations

from facturier.domain.codes import VatCategory
from facturier.tax.jurisdictions.vat import TableJurisdiction

CANARY_ISLANDS = TableJurisdiction(
    rule_id="ES-CANARY-IGIC",
    reference="Directive 2006/112/EC art. 6(1)(b); Ley 20/1991 and Ley 4/2012 de Canarias (IGIC)",
    taxed_category=VatCategory.CANARY_ISLANDS,
)
