"""`read_einvoice`: PDF (Factur-X / ZUGFeRD / XRechnung attachment), CII or UBL -> `Document`."""

from __future__ import annotations

from facturier.domain.documents import Document
from facturier.einvoice.cii.reader import cii_document
from facturier.einvoice.pdf import PdfLimits, extract_xml, is_pdf
from facturier.einvoice.safe_xml import DEFAULT_LIMITS, XmlLimits, parse_xml
from facturier.einvoice.syntax import Syntax, detect
from facturier.einvoice.ubl.reader import ubl_document


def read_einvoice(data: bytes, limits: XmlLimits = DEFAULT_LIMITS, pdf_limits: PdfLimits | None = None) -> Document:
    """The issued `Document` an inbound e-invoice states (syntax detected from the bytes)."""
    if is_pdf(data):
        _, data = extract_xml(data, pdf_limits or PdfLimits(max_xml_bytes=limits.max_bytes))
    root = parse_xml(data, limits)
    return cii_document(root) if detect(root) is Syntax.CII else ubl_document(root)
