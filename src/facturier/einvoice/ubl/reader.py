"""UBL 2.1 Invoice / CreditNote -> domain `Document`, status issued (inverse of ubl.writer).

`read_ubl(write_ubl(doc)) == doc` for every fiscal document type. Notes "#CODE#text" are
split into subject code and text; values the model cannot hold raise `UnsupportedContent`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from facturier.domain.codes import DocumentType, SupplyNature, VatCategory
from facturier.domain.documents import (
    AllowanceCharge,
    Document,
    DocumentReference,
    Line,
    PaymentMeans,
    PaymentTerms,
    Status,
    TaxAccounting,
    Totals,
    VatBreakdown,
)
from facturier.einvoice import semantic
from facturier.einvoice.cii.read_lines import nature_value
from facturier.einvoice.formats import parse_iso_date
from facturier.einvoice.french import nature_from_framework
from facturier.einvoice.reading import document_type, payment_means_code, vat_category
from facturier.einvoice.safe_xml import XmlLimits, parse_xml
from facturier.einvoice.semantic import Note, ReadNotes
from facturier.einvoice.syntax import Syntax, detect
from facturier.einvoice.ubl.names import XPATH_NS
from facturier.einvoice.ubl.read_parties import read_address, read_party
from facturier.einvoice.ubl.writer import VAT_ON_DEBITS_CODE
from facturier.einvoice.xmlread import Nodes
from facturier.einvoice.xmltypes import Element

N = Nodes(XPATH_NS)
_CODED_NOTE = re.compile(r"^#([A-Z]{3})#(.*)$", re.S)


def read_ubl(data: bytes, limits: XmlLimits | None = None) -> Document:
    root = parse_xml(data) if limits is None else parse_xml(data, limits)
    return ubl_document(root)


def ubl_document(root: Element) -> Document:
    syntax = detect(root)
    credit = syntax is Syntax.UBL_CREDIT_NOTE
    process = N.text(root, "cbc:ProfileID")
    notes = semantic.read_notes(read_note_elements(root))
    currency = N.text(root, "cbc:DocumentCurrencyCode")
    breakdown = read_breakdown(root, currency)
    issue_date = parse_iso_date(N.text(root, "cbc:IssueDate"), "BT-2")
    delivery = N.first(root, "cac:Delivery")
    return Document(
        document_type=document_type(N.text(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode")),
        currency=currency,
        seller=read_party(N.first(root, "cac:AccountingSupplierParty/cac:Party"), "BG-4", notes.treatment, True),
        buyer=read_party(N.first(root, "cac:AccountingCustomerParty/cac:Party"), "BG-7", notes.treatment, False),
        lines=read_lines(root, credit, breakdown, process),
        vat_breakdown=breakdown,
        totals=read_totals(root, currency),
        issue_date=issue_date,
        number=N.text(root, "cbc:ID"),
        status=Status.ISSUED,
        allowances_charges=tuple(read_allowance_charge(e) for e in N.all(root, "cac:AllowanceCharge")),
        delivery_date=_date(delivery, "cbc:ActualDeliveryDate", "BT-72"),
        delivery_address=read_address(N.first(delivery, "cac:DeliveryLocation/cac:Address")),
        delivery_name=N.text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        payment_terms=read_payment_terms(root, credit, notes),
        preceding=read_preceding(root, issue_date, process),
        order_reference=N.text(root, "cac:OrderReference/cbc:ID"),
        buyer_reference=N.text(root, "cbc:BuyerReference"),
        notes=notes.notes,
        vat_on_debits=N.text(root, "cac:InvoicePeriod/cbc:DescriptionCode") == VAT_ON_DEBITS_CODE,
        mentions=notes.mentions,
        tax_accounting=read_tax_accounting(root, currency),
    )


def read_tax_accounting(root: Element, currency: str) -> TaxAccounting | None:
    """BT-6 and BT-111, the TaxTotal/TaxAmount in that currency (BR-53). Without BT-111 there
    is nothing to hold: the official schematron reports BR-53. The rate is not in EN 16931."""
    accounting = N.text(root, "cbc:TaxCurrencyCode")
    if not accounting or accounting == currency:
        return None
    for element in N.all(root, "cac:TaxTotal/cbc:TaxAmount"):
        if element.get("currencyID") == accounting:
            return TaxAccounting(accounting, N.decimal(element, "."))
    return None


def read_note_elements(root: Element) -> list[Note]:
    notes = []
    for element in N.all(root, "cbc:Note"):
        text = "" if element.text is None else str(element.text)
        match = _CODED_NOTE.match(text)
        notes.append(Note(match[1], match[2]) if match else Note("", text))
    return notes


def note_treatment(root: Element) -> str:
    """The French processing type of the "#BAR#" note, if any."""
    return next((n.text.strip() for n in read_note_elements(root) if n.subject == "BAR"), "")


def _date(node: Element | None, path: str, term: str) -> date | None:
    value = N.text(node, path)
    return parse_iso_date(value, term) if value else None


def read_breakdown(root: Element, currency: str) -> tuple[VatBreakdown, ...]:
    result = []
    for total in N.all(root, "cac:TaxTotal"):
        for sub in N.all(total, "cac:TaxSubtotal"):
            result.append(
                VatBreakdown(
                    category=vat_category(N.text(sub, "cac:TaxCategory/cbc:ID")),
                    rate=N.decimal(sub, "cac:TaxCategory/cbc:Percent", Decimal(0)),
                    taxable_amount=N.decimal(sub, "cbc:TaxableAmount"),
                    tax_amount=N.decimal(sub, "cbc:TaxAmount"),
                    exemption_reason=N.text(sub, "cac:TaxCategory/cbc:TaxExemptionReason"),
                    exemption_code=N.text(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
                )
            )
    return tuple(result)


def read_allowance_charge(element: Element) -> AllowanceCharge:
    category = N.text(element, "cac:TaxCategory/cbc:ID")
    return AllowanceCharge(
        is_charge=N.text(element, "cbc:ChargeIndicator").lower() == "true",
        amount=N.decimal(element, "cbc:Amount"),
        reason=N.text(element, "cbc:AllowanceChargeReason"),
        reason_code=N.text(element, "cbc:AllowanceChargeReasonCode"),
        base_amount=N.optional_decimal(element, "cbc:BaseAmount"),
        percentage=N.optional_decimal(element, "cbc:MultiplierFactorNumeric"),
        vat_category=vat_category(category) if category else None,
        vat_rate=N.decimal(element, "cac:TaxCategory/cbc:Percent", Decimal(0)) if category else None,
    )


def read_totals(root: Element, currency: str) -> Totals:
    monetary = N.first(root, "cac:LegalMonetaryTotal")
    zero = Decimal(0)
    tax_total = zero
    for element in N.all(root, "cac:TaxTotal/cbc:TaxAmount"):
        if element.get("currencyID", currency) == currency:
            tax_total = N.decimal(element, ".")
    return Totals(
        line_total=N.decimal(monetary, "cbc:LineExtensionAmount"),
        allowance_total=N.decimal(monetary, "cbc:AllowanceTotalAmount", zero),
        charge_total=N.decimal(monetary, "cbc:ChargeTotalAmount", zero),
        tax_exclusive=N.decimal(monetary, "cbc:TaxExclusiveAmount"),
        tax_total=tax_total,
        tax_inclusive=N.decimal(monetary, "cbc:TaxInclusiveAmount"),
        prepaid=N.decimal(monetary, "cbc:PrepaidAmount", zero),
        rounding=N.decimal(monetary, "cbc:PayableRoundingAmount", zero),
        payable=N.decimal(monetary, "cbc:PayableAmount"),
    )


def read_payment_terms(root: Element, credit: bool, notes: ReadNotes) -> PaymentTerms:
    elements = N.all(root, "cac:PaymentMeans")
    due_path = "cac:PaymentMeans/cbc:PaymentDueDate" if credit else "cbc:DueDate"
    creditor = N.text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID[@schemeID='SEPA']")
    return PaymentTerms(
        due_date=_date(root, due_path, "BT-9"),
        note=N.text(root, "cac:PaymentTerms/cbc:Note"),
        means=tuple(read_payment_means(e, creditor if i == 0 else "") for i, e in enumerate(elements)),
        early_payment_discount=notes.early_payment_discount,
        late_penalty_rate=notes.late_penalty_rate,
        recovery_indemnity=notes.recovery_indemnity,
    )


def read_payment_means(element: Element, creditor: str) -> PaymentMeans:
    return PaymentMeans(
        code=payment_means_code(N.text(element, "cbc:PaymentMeansCode")),
        iban=N.text(element, "cac:PayeeFinancialAccount/cbc:ID"),
        bic=N.text(element, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
        account_name=N.text(element, "cac:PayeeFinancialAccount/cbc:Name"),
        remittance_info=N.text(element, "cbc:PaymentID"),
        card_last4=N.text(element, "cac:CardAccount/cbc:PrimaryAccountNumberID"),
        mandate_reference=N.text(element, "cac:PaymentMandate/cbc:ID"),
        creditor_id=creditor,
        debited_iban=N.text(element, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
    )


def read_preceding(root: Element, issue_date: date, process: str) -> tuple[DocumentReference, ...]:
    """BG-3; the type is implied as in the CII reader (B4/S4/M4 -> down payments)."""
    implied = (
        DocumentType.DOWN_PAYMENT if nature_from_framework(process) and process.endswith("4") else DocumentType.INVOICE
    )
    references = []
    for element in N.all(root, "cac:BillingReference/cac:InvoiceDocumentReference"):
        code = N.text(element, "cbc:DocumentTypeCode")
        references.append(
            DocumentReference(
                number=N.text(element, "cbc:ID"),
                issue_date=_date(element, "cbc:IssueDate", "BT-26") or issue_date,
                document_type=document_type(code) if code else implied,
            )
        )
    return tuple(references)


def read_lines(root: Element, credit: bool, breakdown: tuple[VatBreakdown, ...], process: str) -> tuple[Line, ...]:
    reasons = {(b.category, b.rate): (b.exemption_reason, b.exemption_code) for b in breakdown}
    default = semantic.default_line_nature(process)
    path, quantity = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity") if credit else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    return tuple(read_line(e, quantity, reasons, default) for e in N.all(root, path))


def read_line(
    element: Element, quantity: str, reasons: dict[tuple[VatCategory, Decimal], tuple[str, str]], default: SupplyNature
) -> Line:
    item = N.first(element, "cac:Item")
    category = vat_category(N.text(item, "cac:ClassifiedTaxCategory/cbc:ID"))
    rate = N.decimal(item, "cac:ClassifiedTaxCategory/cbc:Percent", Decimal(0))
    adjustments = [read_allowance_charge(e) for e in N.all(element, "cac:AllowanceCharge")]
    reason, code = reasons.get((category, rate), ("", ""))
    nature = next(
        (
            N.text(p, "cbc:Value")
            for p in N.all(item, "cac:AdditionalItemProperty")
            if N.text(p, "cbc:Name") == semantic.NATURE_ATTRIBUTE
        ),
        "",
    )
    return Line(
        line_id=N.text(element, "cbc:ID"),
        name=N.text(item, "cbc:Name"),
        quantity=N.decimal(element, quantity),
        unit_code=N.attr(element, quantity, "unitCode"),
        net_price=N.decimal(element, "cac:Price/cbc:PriceAmount"),
        vat_category=category,
        vat_rate=rate,
        net_amount=N.decimal(element, "cbc:LineExtensionAmount"),
        base_quantity=N.decimal(element, "cac:Price/cbc:BaseQuantity", Decimal(1)),
        description=N.text(item, "cbc:Description"),
        seller_item_id=N.text(item, "cac:SellersItemIdentification/cbc:ID"),
        nature=nature_value(nature, default),
        allowances=tuple(a for a in adjustments if not a.is_charge),
        charges=tuple(a for a in adjustments if a.is_charge),
        exemption_reason=reason,
        exemption_code=code,
    )
