"""Which e-invoice syntax a parsed document is: CII, UBL Invoice or UBL CreditNote."""

from __future__ import annotations

from enum import StrEnum

from facturier.einvoice.cii.names import RSM
from facturier.einvoice.errors import MalformedInput
from facturier.einvoice.safe_xml import root_name
from facturier.einvoice.xmltypes import Element

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"


class Syntax(StrEnum):
    CII = "CII"
    UBL_INVOICE = "UBL-Invoice"
    UBL_CREDIT_NOTE = "UBL-CreditNote"


_ROOTS = {
    (RSM, "CrossIndustryInvoice"): Syntax.CII,
    (UBL_INVOICE_NS, "Invoice"): Syntax.UBL_INVOICE,
    (UBL_CREDIT_NOTE_NS, "CreditNote"): Syntax.UBL_CREDIT_NOTE,
}


def detect(root: Element) -> Syntax:
    name = root_name(root)
    if name not in _ROOTS:
        raise MalformedInput(
            f"not an e-invoice: root element {{{name[0][:100]}}}{name[1][:50]} is neither a CII "
            "CrossIndustryInvoice nor a UBL 2.1 Invoice or CreditNote"
        )
    return _ROOTS[name]
