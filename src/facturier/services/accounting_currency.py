"""An order's draft gets its VAT total in the seller's accounting currency (BT-6, BT-111).

Directive 2006/112/EC art. 230 (CGI ann. II art. 242 nonies A; Flux 2 rule BR-FR-CO-12):
a French seller's invoice in another currency states its VAT in EUR too. The order gives the
rate (`eur_exchange_rate`, units of the order currency for one EUR, ECB convention); without
it the order is refused before anything is numbered: no silent guess of a rate.
"""

from __future__ import annotations

from facturier.domain.accounting_currency import needs_tax_accounting, with_tax_accounting
from facturier.domain.documents import Document
from facturier.domain.errors import invalid
from facturier.services.order_schema import OrderIn

RULE = "BR-FR-CO-12"  # BT-6 = EUR and BT-111 for a non-EUR invoice (Directive art. 230, BR-53)


def with_accounting_currency(document: Document, order: OrderIn) -> Document:
    """`document` with BT-6 = EUR and BT-111 = round(BT-110 / eur_exchange_rate, 2) when the
    order is not in the seller's VAT currency; raises InvalidInput at `eur_exchange_rate`
    when the rate is missing."""
    if not needs_tax_accounting(document):
        return document
    if order.eur_exchange_rate is None:
        raise invalid(
            RULE,
            "eur_exchange_rate",
            f"the order is in {order.currency}: the invoice must state its total VAT in EUR (BT-6, BT-111; "
            "Directive 2006/112/EC art. 230, CGI ann. II art. 242 nonies A, BR-53); give eur_exchange_rate "
            f"(units of {order.currency} for one EUR, e.g. the ECB reference rate)",
        )
    return with_tax_accounting(document, order.eur_exchange_rate)
