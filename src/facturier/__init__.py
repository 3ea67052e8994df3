"""Facturier: compliant invoicing for online sellers (EN 16931, EU VAT, French law)."""

__version__ = "0.1.0"
