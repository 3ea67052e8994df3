"""UBL payment (BG-16..19), payment terms, allowances and charges (BG-20/21, BG-27/28),
VAT (BG-23, BT-110, BT-111) and totals (BG-22)."""

from __future__ import annotations

from facturier.domain.codes import VatCategory
from facturier.domain.documents import AllowanceCharge, Document, PaymentMeans, TaxAccounting
from facturier.domain.pricing import amount_places
from facturier.einvoice.formats import amount, plain
from facturier.einvoice.xmlbuild import add, add_text
from facturier.einvoice.xmltypes import Element


def _money(parent: Element, name: str, value: object, currency: str) -> None:
    from decimal import Decimal

    assert isinstance(value, Decimal)
    add(parent, name, amount(value, amount_places(currency)), currencyID=currency)


def payment_section(root: Element, doc: Document, credit: bool) -> None:
    """BG-16 per means; BT-9 on a credit note goes to PaymentDueDate; BT-20 terms."""
    terms = doc.payment_terms
    for index, means in enumerate(terms.means):
        due = terms.due_date.isoformat() if credit and index == 0 and terms.due_date else ""
        payment_means_section(root, means, due)
    if terms.note:
        add(add(root, "cac:PaymentTerms"), "cbc:Note", terms.note)


def payment_means_section(root: Element, means: PaymentMeans, due: str) -> None:
    """BT-81, BT-83, BG-18 card (BT-87), BG-17 (BT-84, BT-85, BT-86), BG-19 (BT-89, BT-91)."""
    element = add(root, "cac:PaymentMeans")
    add(element, "cbc:PaymentMeansCode", means.code.value)
    add_text(element, "cbc:PaymentDueDate", due)
    add_text(element, "cbc:PaymentID", means.remittance_info)
    if means.card_last4:
        card = add(element, "cac:CardAccount")
        add(card, "cbc:PrimaryAccountNumberID", means.card_last4)
        add(card, "cbc:NetworkID", "NA")  # required by UBL; the model does not know the network
    if means.iban or means.account_name or means.bic:
        account = add(element, "cac:PayeeFinancialAccount")
        add(account, "cbc:ID", means.iban)
        add_text(account, "cbc:Name", means.account_name)
        if means.bic:
            add(add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", means.bic)
    if means.mandate_reference or means.debited_iban:
        mandate = add(element, "cac:PaymentMandate")
        add_text(mandate, "cbc:ID", means.mandate_reference)
        if means.debited_iban:
            add(add(mandate, "cac:PayerFinancialAccount"), "cbc:ID", means.debited_iban)


def allowance_charge_section(parent: Element, item: AllowanceCharge, currency: str, *, document_level: bool) -> None:
    element = add(parent, "cac:AllowanceCharge")
    add(element, "cbc:ChargeIndicator", "true" if item.is_charge else "false")
    add_text(element, "cbc:AllowanceChargeReasonCode", item.reason_code)
    add_text(element, "cbc:AllowanceChargeReason", item.reason)
    if item.percentage is not None:
        add(element, "cbc:MultiplierFactorNumeric", plain(item.percentage))
    _money(element, "cbc:Amount", item.amount, currency)
    if item.base_amount is not None:
        _money(element, "cbc:BaseAmount", item.base_amount, currency)
    if document_level and item.vat_category is not None:
        category = add(element, "cac:TaxCategory")
        add(category, "cbc:ID", item.vat_category.value)
        if item.vat_rate is not None and item.vat_category is not VatCategory.OUTSIDE_SCOPE:
            add(category, "cbc:Percent", plain(item.vat_rate))
        add(add(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def tax_section(root: Element, doc: Document, tax_accounting: TaxAccounting | None) -> None:
    """BT-110 with BG-23 subtotals; BT-111 in the accounting currency (BR-53)."""
    total = add(root, "cac:TaxTotal")
    _money(total, "cbc:TaxAmount", doc.totals.tax_total, doc.currency)
    for breakdown in doc.vat_breakdown:
        subtotal = add(total, "cac:TaxSubtotal")
        _money(subtotal, "cbc:TaxableAmount", breakdown.taxable_amount, doc.currency)
        _money(subtotal, "cbc:TaxAmount", breakdown.tax_amount, doc.currency)
        category = add(subtotal, "cac:TaxCategory")
        add(category, "cbc:ID", breakdown.category.value)
        if breakdown.category is not VatCategory.OUTSIDE_SCOPE:
            add(category, "cbc:Percent", plain(breakdown.rate))
        add_text(category, "cbc:TaxExemptionReasonCode", breakdown.exemption_code)
        add_text(category, "cbc:TaxExemptionReason", breakdown.exemption_reason)
        add(add(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    if tax_accounting is not None:
        _money(add(root, "cac:TaxTotal"), "cbc:TaxAmount", tax_accounting.tax_total, tax_accounting.currency)


def totals_section(root: Element, doc: Document) -> None:
    """BG-22: BT-106, BT-109, BT-112, BT-107, BT-108, BT-113, BT-114, BT-115."""
    totals, currency = doc.totals, doc.currency
    element = add(root, "cac:LegalMonetaryTotal")
    _money(element, "cbc:LineExtensionAmount", totals.line_total, currency)
    _money(element, "cbc:TaxExclusiveAmount", totals.tax_exclusive, currency)
    _money(element, "cbc:TaxInclusiveAmount", totals.tax_inclusive, currency)
    _money(element, "cbc:AllowanceTotalAmount", totals.allowance_total, currency)
    _money(element, "cbc:ChargeTotalAmount", totals.charge_total, currency)
    if totals.prepaid:
        _money(element, "cbc:PrepaidAmount", totals.prepaid, currency)
    if totals.rounding:
        _money(element, "cbc:PayableRoundingAmount", totals.rounding, currency)
    _money(element, "cbc:PayableAmount", totals.payable, currency)
