"""The VAT accounting currency of a seller, and BT-6 / BT-111 of a document in another currency.

Directive 2006/112/EC art. 230: the amounts of an invoice may be in any currency, provided
that the VAT payable is also stated in the national currency of the Member State (for
France: CGI ann. II art. 242 nonies A, and the Flux 2 rule BR-FR-CO-12, BT-6 = EUR with
BT-111). EN 16931 has one figure for it, at document level (BT-111, BR-53), so the total
VAT BT-110 is converted once, not each VAT group (docs/algorithms/rounding.md, section 10:
converting the groups and adding them up can differ from BT-110 converted by a cent, and
BT-111 would no longer be the conversion of any figure on the invoice).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from facturier.domain.documents import Document, TaxAccounting
from facturier.domain.pricing import amount_places
from facturier.domain.rounding import accounting_amount_half_up

# The national currency in which a seller established in the country accounts for VAT
# (Directive 2006/112/EC art. 230). Source: Council Regulation (EC) No 974/98 art. 2 (the
# euro is the currency of France since 1999-01-01), as in force 2026-12. Only France: the
# French rules are the ones Facturier implements, and orders carry a EUR rate only.
VAT_ACCOUNTING_CURRENCY = {"FR": "EUR"}


def vat_accounting_currency(seller_country: str) -> str | None:
    """The seller's VAT accounting currency (BT-6 when the invoice is in another), or None."""
    return VAT_ACCOUNTING_CURRENCY.get(seller_country)


def needs_tax_accounting(doc: Document) -> bool:
    """True when the invoice currency (BT-5) is not the seller's VAT accounting currency."""
    currency = vat_accounting_currency(doc.seller.country)
    return currency is not None and currency != doc.currency


def tax_accounting_for(doc: Document, exchange_rate: Decimal) -> TaxAccounting:
    """BT-6 and BT-111 = round(BT-110 / rate, 2) half up, with the rate recorded.

    `exchange_rate`: units of the invoice currency for one unit of the accounting currency
    (ECB convention). Raises ValueError for a rate that is not positive (a broken contract:
    order input is checked before)."""
    currency = vat_accounting_currency(doc.seller.country)
    if currency is None:
        raise ValueError(f"no VAT accounting currency known for a seller in {doc.seller.country!r}")
    if not exchange_rate > 0:
        raise ValueError(f"an exchange rate must be positive, got {exchange_rate}")
    total = accounting_amount_half_up(doc.totals.tax_total, exchange_rate, amount_places(currency))
    return TaxAccounting(currency, total, exchange_rate)


def with_tax_accounting(doc: Document, exchange_rate: Decimal | None = None) -> Document:
    """`doc` with BT-6 / BT-111 when it needs them, else without (Directive art. 230).

    The rate defaults to the one the document records, so that `with_tax_accounting(doc)`
    recomputes BT-111 after a change of the totals (a down payment carved out of an order's
    draft, a credit note). Without any rate the document is returned as it is; validation
    then refuses it (BR-FR-CO-12 in rules_france, the exact BT-111 check in rules_en16931)."""
    if not needs_tax_accounting(doc):
        return replace(doc, tax_accounting=None) if doc.tax_accounting is not None else doc
    if exchange_rate is None and doc.tax_accounting is not None:
        exchange_rate = doc.tax_accounting.exchange_rate
    if exchange_rate is None:
        return doc
    return replace(doc, tax_accounting=tax_accounting_for(doc, exchange_rate))
