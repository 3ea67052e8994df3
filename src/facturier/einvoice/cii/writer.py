"""Domain `Document` -> CII D16B XML (Factur-X profiles), one small function per section.

Sections follow the order of the CII schema: context (BT-23, BT-24), exchanged document
(BT-1, BT-2, BT-3, BG-1), lines (BG-25), agreement (parties), delivery, settlement. The
output is deterministic: everything comes from the document, nothing from the clock.
A credit note is TypeCode 381 with positive amounts (EN 16931 semantics).
"""

from __future__ import annotations

from facturier.domain.documents import Document
from facturier.einvoice import semantic
from facturier.einvoice.cii import lines, parties, settlement
from facturier.einvoice.cii.names import NSMAP
from facturier.einvoice.formats import date102
from facturier.einvoice.profiles import WRITTEN_PROFILES, Profile
from facturier.einvoice.xmlbuild import add, add_text, new_root, serialize
from facturier.einvoice.xmltypes import Element


def write_cii(doc: Document, profile: Profile = Profile.EN16931) -> bytes:
    """The CII bytes of `doc` in `profile` (EN 16931 by default); BT-6 / BT-111 from
    `doc.tax_accounting` (BR-53, BR-FR-CO-12)."""
    semantic.require_einvoiceable(doc)
    if profile not in WRITTEN_PROFILES:
        raise ValueError(f"the {profile.value} profile is read and validated, not written")
    root = new_root(NSMAP, "rsm:CrossIndustryInvoice")
    context_section(root, doc, profile)
    header_section(root, doc)
    transaction = add(root, "rsm:SupplyChainTradeTransaction")
    if profile.has_lines:
        implied = semantic.implied_line_nature(doc)
        for line in doc.lines:
            lines.line_section(transaction, doc, line, profile, implied)
    parties.agreement_section(transaction, doc, profile)
    delivery_section(transaction, doc)
    settlement.settlement_section(transaction, doc, profile, doc.tax_accounting)
    return serialize(root)


def context_section(root: Element, doc: Document, profile: Profile) -> None:
    """BT-23 business process (French billing framework, BR-FR-08) and BT-24 profile."""
    context = add(root, "rsm:ExchangedDocumentContext")
    process = semantic.business_process(doc)
    if process:
        add(add(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", process)
    add(add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", profile.guideline_id)


def header_section(root: Element, doc: Document) -> None:
    """BT-1 number, BT-3 type code, BT-2 issue date, BG-1 notes (BR-FR-05, BR-FR-20)."""
    header = add(root, "rsm:ExchangedDocument")
    add(header, "ram:ID", doc.number)
    add(header, "ram:TypeCode", doc.document_type.untdid_1001)
    add(add(header, "ram:IssueDateTime"), "udt:DateTimeString", date102(doc.issue_date), format="102")
    for note in semantic.document_notes(doc):
        element = add(header, "ram:IncludedNote")
        add(element, "ram:Content", note.text)
        add_text(element, "ram:SubjectCode", note.subject)


def delivery_section(transaction: Element, doc: Document) -> None:
    """BG-13 delivery: BT-70 deliver-to name, BG-15 address, BT-72 actual delivery date."""
    delivery = add(transaction, "ram:ApplicableHeaderTradeDelivery")
    if doc.delivery_name or doc.delivery_address is not None:
        ship_to = add(delivery, "ram:ShipToTradeParty")
        add_text(ship_to, "ram:Name", doc.delivery_name)
        if doc.delivery_address is not None:
            parties.address_section(ship_to, doc.delivery_address)
    if doc.delivery_date is not None:
        event = add(add(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime")
        add(event, "udt:DateTimeString", date102(doc.delivery_date), format="102")
