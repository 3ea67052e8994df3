"""The largest document Facturier issues: the bounds of the order format, in one place.

`services/order_schema.py` refuses orders beyond them, and the e-invoice layer derives from
them how much XML its own writers can produce (`einvoice.safe_xml.OWN_OUTPUT_LIMITS`), so
that our own output is checked with a bound that follows the format, not with the limits
kept for hostile inbound files.
"""

from __future__ import annotations

MAX_LINES = 10_000  # BG-25 invoice lines per order (and so per document)
MAX_DOCUMENT_ADJUSTMENTS = 100  # BG-20 allowances, and BG-21 charges, per order (each)
MAX_NOTES = 20  # BG-1 free-text notes per order
MAX_TEXT_CHARS = 500  # a free-text field (names, descriptions, reasons, address lines)
MAX_CODE_CHARS = 35  # an identifier or code field (SKU, order reference, codes)
