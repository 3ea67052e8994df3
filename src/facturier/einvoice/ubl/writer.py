"""Domain `Document` -> UBL 2.1 Invoice / CreditNote (Peppol BIS Billing 3.0), one small
function per section, in the order of the UBL schema.

A credit note (381) is a UBL CreditNote with positive amounts; 380, 384 and 386 are
Invoices. BT-23 (ProfileID) is the French billing framework for a French seller
(BR-FR-08), otherwise the Peppol billing profile. Notes carry their subject code as
"#CODE#text" (the French convention BR-FR-05 reads).
"""

from __future__ import annotations

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, TaxAccounting
from facturier.einvoice import semantic
from facturier.einvoice.profiles import PEPPOL_CUSTOMIZATION_ID, PEPPOL_PROFILE_ID
from facturier.einvoice.ubl import lines, parties, settlement
from facturier.einvoice.ubl.names import CREDIT_NOTE, INVOICE, nsmap
from facturier.einvoice.xmlbuild import add, add_text, new_root, serialize
from facturier.einvoice.xmltypes import Element

VAT_ON_DEBITS_CODE = "3"  # BT-8, UNTDID 2005 "invoice document issue date time"


def write_ubl(doc: Document) -> bytes:
    """The UBL bytes of `doc`: a CreditNote for 381, an Invoice otherwise; BT-6 / BT-111
    from `doc.tax_accounting` (BR-53, BR-FR-CO-12)."""
    tax_accounting = doc.tax_accounting
    semantic.require_einvoiceable(doc)
    credit = doc.document_type is DocumentType.CREDIT_NOTE
    root = new_root(nsmap(CREDIT_NOTE if credit else INVOICE), "CreditNote" if credit else "Invoice")
    header_section(root, doc, credit, tax_accounting)
    references_section(root, doc)
    parties.supplier_section(root, doc)
    parties.customer_section(root, doc)
    parties.delivery_section(root, doc)
    settlement.payment_section(root, doc, credit)
    for adjustment in doc.allowances_charges:
        settlement.allowance_charge_section(root, adjustment, doc.currency, document_level=True)
    settlement.tax_section(root, doc, tax_accounting)
    settlement.totals_section(root, doc)
    implied = semantic.implied_line_nature(doc)
    for line in doc.lines:
        lines.line_section(root, doc, line, credit, implied)
    return serialize(root)


def header_section(root: Element, doc: Document, credit: bool, tax_accounting: TaxAccounting | None) -> None:
    """BT-24, BT-23, BT-1, BT-2, BT-9, BT-3, BG-1, BT-5, BT-6, BT-10, BT-8."""
    add(root, "cbc:CustomizationID", PEPPOL_CUSTOMIZATION_ID)
    add(root, "cbc:ProfileID", semantic.business_process(doc) or PEPPOL_PROFILE_ID)
    add(root, "cbc:ID", doc.number)
    add(root, "cbc:IssueDate", doc.issue_date.isoformat())
    if not credit and doc.payment_terms.due_date is not None:
        add(root, "cbc:DueDate", doc.payment_terms.due_date.isoformat())
    add(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", doc.document_type.untdid_1001)
    for note in semantic.document_notes(doc):
        add(root, "cbc:Note", f"#{note.subject}#{note.text}" if note.subject else note.text)
    add(root, "cbc:DocumentCurrencyCode", doc.currency)
    if tax_accounting is not None:
        add(root, "cbc:TaxCurrencyCode", tax_accounting.currency)
    add_text(root, "cbc:BuyerReference", doc.buyer_reference)
    if doc.vat_on_debits:
        add(add(root, "cac:InvoicePeriod"), "cbc:DescriptionCode", VAT_ON_DEBITS_CODE)


def references_section(root: Element, doc: Document) -> None:
    """BT-13 purchase order, BG-3 preceding invoices (BT-25, BT-26)."""
    if doc.order_reference:
        add(add(root, "cac:OrderReference"), "cbc:ID", doc.order_reference)
    for reference in doc.preceding:
        document = add(add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        add(document, "cbc:ID", reference.number)
        add(document, "cbc:IssueDate", reference.issue_date.isoformat())
