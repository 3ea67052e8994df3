"""CII header trade settlement: payment (BG-16..19), VAT breakdown (BG-23), document
allowances and charges (BG-20/21), payment terms, totals (BG-22), preceding invoices (BG-3)."""

from __future__ import annotations

from facturier.domain.codes import VatCategory
from facturier.domain.documents import AllowanceCharge, Document, PaymentMeans, TaxAccounting, VatBreakdown
from facturier.domain.pricing import amount_places
from facturier.einvoice.formats import amount, date102, plain
from facturier.einvoice.profiles import Profile
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element

VAT_ON_DEBITS_CODE = "5"  # BT-8, UNTDID 2475 "date of invoice": VAT due on debits


def settlement_section(
    transaction: Element, doc: Document, profile: Profile, tax_accounting: TaxAccounting | None
) -> None:
    settlement = add(transaction, "ram:ApplicableHeaderTradeSettlement")
    first = doc.payment_terms.means[0] if doc.payment_terms.means else None
    if first is not None:
        add_text(settlement, "ram:CreditorReferenceID", first.creditor_id)  # BT-90
        add_text(settlement, "ram:PaymentReference", first.remittance_info)  # BT-83
    if tax_accounting is not None:
        add(settlement, "ram:TaxCurrencyCode", tax_accounting.currency)  # BT-6
    add(settlement, "ram:InvoiceCurrencyCode", doc.currency)  # BT-5
    for means in doc.payment_terms.means:
        payment_means_section(settlement, means, profile)
    for breakdown in doc.vat_breakdown:
        tax_section(settlement, doc, breakdown)
    for adjustment in doc.allowances_charges:
        allowance_charge_section(settlement, adjustment, amount_places(doc.currency), document_level=True)
    payment_terms_section(settlement, doc)
    totals_section(settlement, doc, profile, tax_accounting)
    preceding_section(settlement, doc, profile)


def payment_means_section(settlement: Element, means: PaymentMeans, profile: Profile) -> None:
    """BG-16: BT-81 code, BG-18 card (BT-87), BT-91 debited account, BG-17 BT-84/85/86."""
    element = add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    add(element, "ram:TypeCode", means.code.value)
    if means.card_last4 and profile.is_full:
        add(add(element, "ram:ApplicableTradeSettlementFinancialCard"), "ram:ID", means.card_last4)
    if means.debited_iban:
        add(add(element, "ram:PayerPartyDebtorFinancialAccount"), "ram:IBANID", means.debited_iban)
    if means.iban or (means.account_name and profile.is_full):
        account = add(element, "ram:PayeePartyCreditorFinancialAccount")
        add_text(account, "ram:IBANID", means.iban)
        if profile.is_full:
            add_text(account, "ram:AccountName", means.account_name)
    if means.bic and profile.is_full:
        add(add(element, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", means.bic)


def tax_section(settlement: Element, doc: Document, breakdown: VatBreakdown) -> None:
    """BG-23: BT-117, BT-120, BT-116, BT-118, BT-121, BT-8, BT-119."""
    places = amount_places(doc.currency)
    element = add(settlement, "ram:ApplicableTradeTax")
    add(element, "ram:CalculatedAmount", amount(breakdown.tax_amount, places))
    add(element, "ram:TypeCode", "VAT")
    add_text(element, "ram:ExemptionReason", breakdown.exemption_reason)
    add(element, "ram:BasisAmount", amount(breakdown.taxable_amount, places))
    add(element, "ram:CategoryCode", breakdown.category.value)
    add_text(element, "ram:ExemptionReasonCode", breakdown.exemption_code)
    if doc.vat_on_debits:
        add(element, "ram:DueDateTypeCode", VAT_ON_DEBITS_CODE)  # BR-CO-3: no BT-7 then
    if breakdown.category is not VatCategory.OUTSIDE_SCOPE:  # BR-O-05: no rate for O
        add(element, "ram:RateApplicablePercent", plain(breakdown.rate))


def allowance_charge_section(parent: Element, item: AllowanceCharge, places: int, *, document_level: bool) -> None:
    """BG-20/21 (document) or BG-27/28 (line): indicator, BT-94/138 percentage, BT-93/137
    base, BT-92/136 amount, BT-98/140 reason code, BT-97/139 reason, BT-95/96 VAT."""
    element = add(parent, "ram:SpecifiedTradeAllowanceCharge")
    add(add(element, "ram:ChargeIndicator"), "udt:Indicator", "true" if item.is_charge else "false")
    if item.percentage is not None:
        add(element, "ram:CalculationPercent", plain(item.percentage))
    if item.base_amount is not None:
        add(element, "ram:BasisAmount", amount(item.base_amount, places))
    add(element, "ram:ActualAmount", amount(item.amount, places))
    add_text(element, "ram:ReasonCode", item.reason_code)
    add_text(element, "ram:Reason", item.reason)
    if document_level and item.vat_category is not None:
        tax = add(element, "ram:CategoryTradeTax")
        add(tax, "ram:TypeCode", "VAT")
        add(tax, "ram:CategoryCode", item.vat_category.value)
        if item.vat_rate is not None and item.vat_category is not VatCategory.OUTSIDE_SCOPE:
            add(tax, "ram:RateApplicablePercent", plain(item.vat_rate))


def payment_terms_section(settlement: Element, doc: Document) -> None:
    """BT-20 terms text, BT-9 due date, BT-89 mandate reference (BR-CO-25)."""
    terms = doc.payment_terms
    mandate = terms.means[0].mandate_reference if terms.means else ""
    if not (terms.note or terms.due_date or mandate):
        return
    element = add(settlement, "ram:SpecifiedTradePaymentTerms")
    add_text(element, "ram:Description", terms.note)
    if terms.due_date is not None:
        due = add(element, "ram:DueDateDateTime")
        add(due, "udt:DateTimeString", date102(terms.due_date), format="102")
    add_text(element, "ram:DirectDebitMandateID", mandate)


def totals_section(settlement: Element, doc: Document, profile: Profile, tax_accounting: TaxAccounting | None) -> None:
    """BG-22: BT-106..BT-115 (BR-CO-10..16), BT-111 in the accounting currency (BR-53)."""
    places = amount_places(doc.currency)
    totals = doc.totals
    element = add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    add(element, "ram:LineTotalAmount", amount(totals.line_total, places))
    add(element, "ram:ChargeTotalAmount", amount(totals.charge_total, places))
    add(element, "ram:AllowanceTotalAmount", amount(totals.allowance_total, places))
    add(element, "ram:TaxBasisTotalAmount", amount(totals.tax_exclusive, places))
    add(element, "ram:TaxTotalAmount", amount(totals.tax_total, places), currencyID=doc.currency)
    if tax_accounting is not None:
        accounting = amount(tax_accounting.tax_total, amount_places(tax_accounting.currency))
        add(element, "ram:TaxTotalAmount", accounting, currencyID=tax_accounting.currency)
    if totals.rounding and profile.is_full:
        add(element, "ram:RoundingAmount", amount(totals.rounding, places))
    add(element, "ram:GrandTotalAmount", amount(totals.tax_inclusive, places))
    if totals.prepaid:
        add(element, "ram:TotalPrepaidAmount", amount(totals.prepaid, places))
    add(element, "ram:DuePayableAmount", amount(totals.payable, places))


def preceding_section(settlement: Element, doc: Document, profile: Profile) -> None:
    """BG-3: BT-25 preceding invoice number, its type code (EXTENDED only), BT-26 date."""
    for reference in doc.preceding:
        element = add(settlement, "ram:InvoiceReferencedDocument")
        add(element, "ram:IssuerAssignedID", reference.number)
        if profile is Profile.EXTENDED:  # "not used" in EN 16931 (Factur-X EN16931 schematron)
            add(element, "ram:TypeCode", reference.document_type.untdid_1001)
        issued = add(element, "ram:FormattedIssueDateTime")
        add(issued, "qdt:DateTimeString", date102(reference.issue_date), format="102")
