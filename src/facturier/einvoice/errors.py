"""The e-invoice errors, all under `FacturierError`: entry points map them to exit codes."""

from __future__ import annotations

from facturier.domain.errors import FacturierError


class EInvoiceError(FacturierError):
    """Root of the e-invoice errors."""


class UnsafeInput(EInvoiceError):
    """Input refused before or while parsing: too large, a DTD or entities, a PDF or zip bomb."""


class MalformedInput(EInvoiceError):
    """Not well-formed XML or PDF, a wrong root element, or a value that cannot be read."""


class UnsupportedContent(EInvoiceError):
    """Well-formed, but holding something the domain model cannot represent (e.g. a code)."""


class NotEInvoiceable(EInvoiceError):
    """Quotes and pro formas are not invoices (CGI art. 289) and have no e-invoice form."""
