"""CII D16B (Factur-X, ZUGFeRD 2.x, XRechnung CII) -> domain `Document`, status issued.

The inverse of `cii.writer`: `read_cii(write_cii(doc)) == doc` for the EN 16931 and
EXTENDED profiles (see docs/einvoice.md for what BASIC and BASIC WL do not carry).
Inbound bytes are parsed by `safe_xml.parse_xml`; values the model cannot hold (an unknown
type code, VAT category or payment means) raise `UnsupportedContent` naming the value.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from facturier.domain.codes import DocumentType
from facturier.domain.documents import (
    AllowanceCharge,
    Document,
    DocumentReference,
    PaymentTerms,
    Status,
    TaxAccounting,
    Totals,
    VatBreakdown,
)
from facturier.einvoice import semantic
from facturier.einvoice.cii import read_parties
from facturier.einvoice.cii.names import RSM, XPATH_NS
from facturier.einvoice.cii.read_lines import read_lines
from facturier.einvoice.cii.settlement import VAT_ON_DEBITS_CODE
from facturier.einvoice.errors import MalformedInput
from facturier.einvoice.formats import parse_date102
from facturier.einvoice.french import nature_from_framework
from facturier.einvoice.reading import document_type, payment_means_code, vat_category
from facturier.einvoice.safe_xml import XmlLimits, parse_xml, root_name
from facturier.einvoice.semantic import Note, ReadNotes
from facturier.einvoice.xmlread import Nodes
from facturier.einvoice.xmltypes import Element

N = Nodes(XPATH_NS)
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"


def read_cii(data: bytes, limits: XmlLimits | None = None) -> Document:
    root = parse_xml(data) if limits is None else parse_xml(data, limits)
    return cii_document(root)


def cii_document(root: Element) -> Document:
    if root_name(root) != (RSM, "CrossIndustryInvoice"):
        raise MalformedInput(f"not a CII invoice: root element is {{{root_name(root)[0]}}}{root_name(root)[1]}")
    process = N.text(root, "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")
    notes = semantic.read_notes(read_note_elements(root))
    settlement = N.first(root, SETTLEMENT)
    if settlement is None:
        raise MalformedInput("CII invoice without ApplicableHeaderTradeSettlement")
    currency = N.text(settlement, "ram:InvoiceCurrencyCode")
    breakdown = read_breakdown(settlement)
    agreement = N.first(root, "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement")
    delivery = N.first(root, "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery")
    issue_date = parse_date102(N.text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), "BT-2")
    return Document(
        document_type=document_type(N.text(root, "rsm:ExchangedDocument/ram:TypeCode")),
        currency=currency,
        seller=read_parties.read_party(N.first(agreement, "ram:SellerTradeParty"), "BG-4", notes.treatment, True),
        buyer=read_parties.read_party(N.first(agreement, "ram:BuyerTradeParty"), "BG-7", notes.treatment, False),
        lines=read_lines(
            N.all(root, "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"), breakdown, process
        ),
        vat_breakdown=breakdown,
        totals=read_totals(settlement, currency),
        issue_date=issue_date,
        number=N.text(root, "rsm:ExchangedDocument/ram:ID"),
        status=Status.ISSUED,
        allowances_charges=tuple(
            read_allowance_charge(e) for e in N.all(settlement, "ram:SpecifiedTradeAllowanceCharge")
        ),
        delivery_date=_optional_date(
            delivery, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString", "BT-72"
        ),
        delivery_address=read_parties.read_address(N.first(delivery, "ram:ShipToTradeParty/ram:PostalTradeAddress")),
        delivery_name=N.text(delivery, "ram:ShipToTradeParty/ram:Name"),
        payment_terms=read_payment_terms(settlement, notes),
        preceding=read_preceding(settlement, issue_date, process),
        order_reference=N.text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        buyer_reference=N.text(agreement, "ram:BuyerReference"),
        notes=notes.notes,
        vat_on_debits=any(
            N.text(e, "ram:DueDateTypeCode") == VAT_ON_DEBITS_CODE for e in N.all(settlement, "ram:ApplicableTradeTax")
        ),
        mentions=notes.mentions,
        tax_accounting=read_tax_accounting(settlement, currency),
    )


def read_tax_accounting(settlement: Element, currency: str) -> TaxAccounting | None:
    """BT-6 and BT-111, the TaxTotalAmount in that currency (BR-53). Without BT-111 there is
    nothing to hold: the official schematron reports BR-53. The rate is not in EN 16931."""
    accounting = N.text(settlement, "ram:TaxCurrencyCode")
    if not accounting or accounting == currency:
        return None
    summation = N.first(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    for element in N.all(summation, "ram:TaxTotalAmount"):
        if element.get("currencyID") == accounting:
            return TaxAccounting(accounting, N.decimal(element, "."))
    return None


def read_note_elements(root: Element) -> list[Note]:
    return [
        Note(N.text(e, "ram:SubjectCode"), N.text(e, "ram:Content"))
        for e in N.all(root, "rsm:ExchangedDocument/ram:IncludedNote")
    ]


def _optional_date(node: Element | None, path: str, term: str) -> date | None:
    value = N.text(node, path)
    return parse_date102(value, term) if value else None


def read_breakdown(settlement: Element) -> tuple[VatBreakdown, ...]:
    """BG-23 VAT breakdown."""
    return tuple(
        VatBreakdown(
            category=vat_category(N.text(e, "ram:CategoryCode")),
            rate=N.decimal(e, "ram:RateApplicablePercent", Decimal(0)),
            taxable_amount=N.decimal(e, "ram:BasisAmount"),
            tax_amount=N.decimal(e, "ram:CalculatedAmount"),
            exemption_reason=N.text(e, "ram:ExemptionReason"),
            exemption_code=N.text(e, "ram:ExemptionReasonCode"),
        )
        for e in N.all(settlement, "ram:ApplicableTradeTax")
    )


def read_allowance_charge(element: Element) -> AllowanceCharge:
    """BG-20/21 (document) or BG-27/28 (line)."""
    category = N.text(element, "ram:CategoryTradeTax/ram:CategoryCode")
    return AllowanceCharge(
        is_charge=N.text(element, "ram:ChargeIndicator/udt:Indicator").lower() == "true",
        amount=N.decimal(element, "ram:ActualAmount"),
        reason=N.text(element, "ram:Reason"),
        reason_code=N.text(element, "ram:ReasonCode"),
        base_amount=N.optional_decimal(element, "ram:BasisAmount"),
        percentage=N.optional_decimal(element, "ram:CalculationPercent"),
        vat_category=vat_category(category) if category else None,
        vat_rate=N.decimal(element, "ram:CategoryTradeTax/ram:RateApplicablePercent", Decimal(0)) if category else None,
    )


def read_totals(settlement: Element, currency: str) -> Totals:
    """BG-22; BT-110 is the TaxTotalAmount in the invoice currency (BT-111: read_tax_accounting)."""
    summation = N.first(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    if summation is None:
        raise MalformedInput("CII invoice without SpecifiedTradeSettlementHeaderMonetarySummation (BG-22)")
    zero = Decimal(0)
    tax_total = zero
    for element in N.all(summation, "ram:TaxTotalAmount"):
        if element.get("currencyID", currency) == currency:
            tax_total = N.decimal(element, ".")
    return Totals(
        line_total=N.decimal(summation, "ram:LineTotalAmount", zero),
        allowance_total=N.decimal(summation, "ram:AllowanceTotalAmount", zero),
        charge_total=N.decimal(summation, "ram:ChargeTotalAmount", zero),
        tax_exclusive=N.decimal(summation, "ram:TaxBasisTotalAmount"),
        tax_total=tax_total,
        tax_inclusive=N.decimal(summation, "ram:GrandTotalAmount"),
        prepaid=N.decimal(summation, "ram:TotalPrepaidAmount", zero),
        rounding=N.decimal(summation, "ram:RoundingAmount", zero),
        payable=N.decimal(summation, "ram:DuePayableAmount"),
    )


def read_payment_terms(settlement: Element, notes: ReadNotes) -> PaymentTerms:
    """BT-9, BT-20, BG-16 and the payment notes (PMD, PMT, AAB)."""
    terms = N.first(settlement, "ram:SpecifiedTradePaymentTerms")
    means = read_parties.read_payment_means(N, settlement, payment_means_code)
    return PaymentTerms(
        due_date=_optional_date(terms, "ram:DueDateDateTime/udt:DateTimeString", "BT-9"),
        note=N.text(terms, "ram:Description"),
        means=means,
        early_payment_discount=notes.early_payment_discount,
        late_penalty_rate=notes.late_penalty_rate,
        recovery_indemnity=notes.recovery_indemnity,
    )


def read_preceding(settlement: Element, issue_date: date, process: str) -> tuple[DocumentReference, ...]:
    """BG-3. Without a type code (EN 16931 profile), a French final invoice after down
    payments (BT-23 = B4/S4/M4) refers to down-payment invoices; others to invoices."""
    implied = (
        DocumentType.DOWN_PAYMENT if nature_from_framework(process) and process.endswith("4") else DocumentType.INVOICE
    )
    references = []
    for element in N.all(settlement, "ram:InvoiceReferencedDocument"):
        code = N.text(element, "ram:TypeCode")
        date_text = N.text(element, "ram:FormattedIssueDateTime/qdt:DateTimeString")
        references.append(
            DocumentReference(
                number=N.text(element, "ram:IssuerAssignedID"),
                issue_date=parse_date102(date_text, "BT-26") if date_text else issue_date,
                document_type=document_type(code) if code else implied,
            )
        )
    return tuple(references)
