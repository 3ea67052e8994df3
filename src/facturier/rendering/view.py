"""Document -> view model: a JSON-ready dict in which every printed string is already
formatted for the reader's language (Babel: dates, numbers, amounts). Pure: no I/O, no clock.

The Typst templates only lay out what this module decides; what is printed (and so every
mandatory mention, see `mentions.py`) is tested here and in the PDF text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from facturier.domain.codes import DocumentType, PaymentMeansCode, VatCategory
from facturier.domain.documents import AllowanceCharge, Document, Line, PaymentMeans, VatBreakdown
from facturier.domain.parties import Address, Party
from facturier.rendering.formatting import Formatter
from facturier.rendering.i18n import catalogue
from facturier.rendering.mentions import legal_mentions
from facturier.rendering.wording import reword

View = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RenderExtras:
    """Optional printed information that is not part of the EN 16931 document."""

    tracking_number: str = ""
    terms_of_sale: str = ""  # conditions de vente (or a pointer to them)
    after_sales_contact: str = ""  # service après-vente


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment received, as printed on a paid invoice."""

    paid_on: date
    method: PaymentMeansCode | str  # a UNTDID 4461 code (translated) or a free label (printed as is)
    reference: str = ""
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        if self.amount is not None and not isinstance(self.amount, Decimal):
            raise TypeError("amount must be a Decimal")


@dataclass(frozen=True, slots=True)
class PaidStamp:
    """Turns an invoice into a "facture acquittée" (settled: the mark and the payments that settled
    it, no deadline or bank details) or a payment receipt (what was paid and what remains)."""

    payments: tuple[Payment, ...]
    remaining: Decimal = Decimal(0)  # what the buyer still owes after these payments

    @property
    def settled(self) -> bool:
        return self.remaining == 0

    def __post_init__(self) -> None:
        if not self.payments:
            raise ValueError("a paid stamp needs at least one payment")


def build_view(
    doc: Document, language: str, extras: RenderExtras = RenderExtras(), paid: PaidStamp | None = None
) -> View:
    """The view model of `doc` in `language`. See the module docstring."""
    fmt = Formatter(catalogue(language), doc.currency)
    cat = fmt.catalogue
    settled = paid is not None and paid.settled  # a paid copy: nothing is to be paid any more
    return {
        "lang": cat.language,
        "labels": _labels(fmt, doc),
        "title": cat.text(f"doc.{doc.document_type.value}"),
        "subtitle": cat.text("proforma.subtitle") if doc.document_type is DocumentType.PROFORMA else "",
        "number": doc.number or cat.text("draft"),
        "draft": not doc.is_issued,
        "meta": _meta(doc, fmt, extras, settled),
        "seller": _party(doc.seller, fmt, show_country=doc.seller.country != doc.buyer.country),
        "buyer": _party(doc.buyer, fmt, show_country=doc.seller.country != doc.buyer.country),
        "delivery": _delivery(doc, fmt),
        "lines": [_line(line, fmt) for line in doc.lines],
        "adjustments": [_adjustment(a, fmt) for a in doc.allowances_charges],
        "vat": [_vat_row(row, fmt) for row in doc.vat_breakdown],
        "totals": _totals(doc, fmt, settled),
        "payment": _payment(doc, fmt, settled),
        "mentions": list(legal_mentions(doc, fmt)),
        "notes": [reword(note, fmt) for note in doc.notes],
        "extras": _extras(extras, fmt),
        "paid": _paid(paid, fmt),
        "acceptance": _acceptance(doc, fmt),
    }


def _labels(fmt: Formatter, doc: Document) -> dict[str, str]:
    cat = fmt.catalogue
    keys = [
        *("page", "continued", "party.seller", "party.buyer", "party.delivery", "vat.title", "vat.category"),
        *("vat.base", "vat.amount", "payment.title", "mentions.title", "notes.title", "adjustments.title"),
        *("col.description", "col.quantity", "col.unit", "col.unit_price", "col.vat", "col.amount"),
        *("paid.mark", "paid.title"),
    ]
    labels = {key.replace(".", "_"): cat.text(key) for key in keys}
    labels["doc_kind"] = cat.text(f"doc.{doc.document_type.value}")
    return labels


def _meta(doc: Document, fmt: Formatter, extras: RenderExtras, settled: bool = False) -> list[list[str]]:
    """Label/value pairs under the title: dates and references (BT-2, BT-72, BT-9, BT-13, BT-10, BG-3).

    A paid copy (`settled`) prints no due date: nothing is to be paid any more."""
    cat = fmt.catalogue
    due = doc.payment_terms.due_date if doc.document_type.is_fiscal and not settled else None
    rows = [
        ("label.number", doc.number),
        ("label.issue_date", fmt.date(doc.issue_date)),
        ("label.delivery_date", fmt.date(doc.delivery_date)),
        ("label.due_date", fmt.date(due)),
        ("label.valid_until", fmt.date(doc.valid_until)),
        ("label.order_reference", doc.order_reference),
        ("label.buyer_reference", doc.buyer_reference),
        ("label.tracking_number", extras.tracking_number),
    ]
    for ref in doc.preceding:
        value = cat.text("label.preceding_value", number=ref.number, date=fmt.date(ref.issue_date))
        rows.append(("label.preceding", value))
    return [[cat.text(key), value] for key, value in rows if value]


def _address_lines(address: Address, fmt: Formatter, show_country: bool) -> list[str]:
    lines = [address.line1, address.line2, address.line3, f"{address.postcode} {address.city}".strip()]
    if address.subdivision:
        lines.append(address.subdivision)
    if show_country:
        lines.append(fmt.country(address.country))
    return [line for line in lines if line]


def _party(party: Party, fmt: Formatter, show_country: bool) -> View:
    """BG-4 / BG-7 with the identifiers of C. com. R123-237 and CGI ann. II art. 242 nonies A."""
    lines = [party.trading_name] if party.trading_name and party.trading_name != party.name else []
    lines += _address_lines(party.address, fmt, show_country)
    return {"name": party.name, "lines": lines, "ids": _identifiers(party, fmt)}


def _identifiers(party: Party, fmt: Formatter) -> list[str]:
    cat = fmt.catalogue
    ids = []
    if party.siren:
        ids.append(cat.text("id.siren", value=fr_siren.format(party.siren)))
    if party.siret:
        ids.append(cat.text("id.siret", value=fr_siret.format(party.siret)))
    if party.vat_id:
        ids.append(cat.text("id.vat", value=party.vat_id))
    if party.rcs:
        ids.append(party.rcs)
    if party.legal_form and party.share_capital is not None:
        capital = fmt.money(party.share_capital, "EUR")
        ids.append(cat.text("id.capital", form=party.legal_form, capital=capital))
    elif party.legal_form:
        ids.append(cat.text("id.legal_form", form=party.legal_form))
    if party.contact.email:
        ids.append(cat.text("id.email", value=party.contact.email))
    if party.contact.phone:
        ids.append(cat.text("id.phone", value=party.contact.phone))
    return ids


def _delivery(doc: Document, fmt: Formatter) -> View | None:
    """BG-15 deliver-to address (CGI ann. II art. 242 nonies A: when it differs from the buyer's)."""
    if doc.delivery_address is None:
        return None
    show_country = doc.delivery_address.country != doc.seller.country
    return {"name": doc.delivery_name, "lines": _address_lines(doc.delivery_address, fmt, show_country)}


def _unit(code: str, fmt: Formatter) -> str:
    return fmt.catalogue.get(f"unit.{code}", code)


def _rate_label(category: VatCategory, rate: Decimal, fmt: Formatter) -> str:
    """BT-152 as a percentage, followed by the category code (BT-151) unless standard rated."""
    return fmt.percent(rate) if category is VatCategory.STANDARD else f"{fmt.percent(rate)} {category.value}"


def _line(line: Line, fmt: Formatter) -> View:
    """BG-25: name, quantity, unit, net unit price (BT-146), VAT rate (BT-152), net amount (BT-131)."""
    details = [line.description] if line.description else []
    if line.seller_item_id:
        details.append(fmt.catalogue.text("line.sku", value=line.seller_item_id))
    details += [_adjustment_text(a, fmt) for a in (*line.allowances, *line.charges)]
    return {
        "id": line.line_id,
        "name": reword(line.name, fmt),
        "details": details,
        "quantity": fmt.quantity(line.quantity),
        "unit": _unit(line.unit_code, fmt),
        "unit_price": _price_per_base(line, fmt),
        "vat": _rate_label(line.vat_category, line.vat_rate, fmt),
        "amount": fmt.amount(line.net_amount),
    }


def _price_per_base(line: Line, fmt: Formatter) -> str:
    price = fmt.price(line.net_price)
    return price if line.base_quantity == 1 else f"{price} / {fmt.quantity(line.base_quantity)}"


def _adjustment_text(adjustment: AllowanceCharge, fmt: Formatter) -> str:
    kind = fmt.catalogue.text("line.charge" if adjustment.is_charge else "line.allowance")
    given = adjustment.reason.strip()
    reason = reword(given, fmt)  # a default reason ("Frais de port") in the reader's language
    # "Remise" + "Code BIENVENUE10", but not "Remise" + "Remise volume" nor "Charge" + "Shipping"
    keep = reason != given or reason.casefold().startswith(kind.casefold())
    label = reason if keep else f"{kind} {reason}".strip()
    if adjustment.percentage is not None:
        label += f" ({fmt.percent(adjustment.percentage)})"
    amount = fmt.amount(adjustment.amount if adjustment.is_charge else -adjustment.amount)
    return fmt.catalogue.text("line.adjustment", label=label, amount=amount)


def _adjustment(adjustment: AllowanceCharge, fmt: Formatter) -> View:
    """BG-20 / BG-21 document level allowance or charge."""
    vat = ""
    if adjustment.vat_category is not None:
        vat = _rate_label(adjustment.vat_category, adjustment.vat_rate or Decimal(0), fmt)
    return {"text": _adjustment_text(adjustment, fmt), "vat": vat}


def _vat_row(row: VatBreakdown, fmt: Formatter) -> View:
    """BG-23: category and rate (BT-118, BT-119), taxable amount (BT-116), VAT (BT-117)."""
    rate = fmt.percent(row.rate)
    label = fmt.catalogue.text(f"vatcat.{row.category.value}", rate=rate)
    return {"label": label, "base": fmt.amount(row.taxable_amount), "amount": fmt.amount(row.tax_amount)}


def _totals(doc: Document, fmt: Formatter, settled: bool = False) -> View:
    """BG-22; zero allowances, charges, prepaid and rounding are not printed.

    A quote or pro forma asks for no payment: its highlighted total is the total including
    VAT (BT-112), never "net à payer" / "amount due". On a paid copy (`settled`) BT-115 is
    what was settled ("montant réglé"), not an amount still to pay.
    """
    t = doc.totals
    if not doc.document_type.is_fiscal:
        return _offer_totals(doc, fmt)
    rows: list[tuple[str, Decimal, bool]] = [("totals.line_total", t.line_total, True)]
    rows += [("totals.allowances", -t.allowance_total, bool(t.allowance_total))]
    rows += [("totals.charges", t.charge_total, bool(t.charge_total))]
    rows += [("totals.tax_exclusive", t.tax_exclusive, True), ("totals.tax_total", t.tax_total, True)]
    rows += [("totals.tax_inclusive", t.tax_inclusive, True), ("totals.prepaid", -t.prepaid, bool(t.prepaid))]
    rows += [("totals.rounding", t.rounding, bool(t.rounding))]
    payable_key = "totals.payable_credit" if doc.document_type is DocumentType.CREDIT_NOTE else "totals.payable"
    payable_key = "totals.payable_settled" if settled else payable_key
    printed = [[fmt.catalogue.text(key), fmt.amount(value)] for key, value, shown in rows if shown]
    after_vat = printed.index([fmt.catalogue.text("totals.tax_total"), fmt.amount(t.tax_total)]) + 1
    printed[after_vat:after_vat] = _tax_accounting_rows(doc, fmt)  # BT-111 under BT-110
    return {
        "rows": printed,
        "payable_label": fmt.catalogue.text(payable_key),
        "payable": fmt.amount(t.payable),
    }


def _tax_accounting_rows(doc: Document, fmt: Formatter) -> list[list[str]]:
    """BT-111 in BT-6 and the rate used: the VAT in EUR of a non-EUR invoice (Directive
    2006/112/EC art. 230, CGI ann. II art. 242 nonies A), "1 EUR = 1.1708 USD"."""
    accounting = doc.tax_accounting
    if accounting is None:
        return []
    cat = fmt.catalogue
    rows = [
        [
            cat.text("totals.tax_accounting", currency=accounting.currency),
            fmt.money(accounting.tax_total, accounting.currency),
        ]
    ]
    if accounting.exchange_rate is not None:
        rate = f"1 {accounting.currency} = {fmt.quantity(accounting.exchange_rate)} {doc.currency}"
        rows.append([cat.text("totals.exchange_rate"), rate])
    return rows


def _offer_totals(doc: Document, fmt: Formatter) -> View:
    t = doc.totals
    rows: list[tuple[str, Decimal, bool]] = [("totals.line_total", t.line_total, True)]
    rows += [("totals.allowances", -t.allowance_total, bool(t.allowance_total))]
    rows += [("totals.charges", t.charge_total, bool(t.charge_total))]
    rows += [("totals.tax_exclusive", t.tax_exclusive, True), ("totals.tax_total", t.tax_total, True)]
    return {
        "rows": [[fmt.catalogue.text(key), fmt.amount(value)] for key, value, shown in rows if shown],
        "payable_label": fmt.catalogue.text("totals.tax_inclusive"),
        "payable": fmt.amount(t.tax_inclusive),
    }


def _means_lines(means: PaymentMeans, fmt: Formatter) -> list[str]:
    """BG-16: means (BT-81) with IBAN/BIC (BT-84, BT-86), card (BT-87) or mandate (BT-89..91)."""
    cat = fmt.catalogue
    fields = (
        ("payment.account", means.account_name),
        ("payment.iban", means.iban),
        ("payment.bic", means.bic),
        ("payment.card", means.card_last4),
        ("payment.mandate", means.mandate_reference),
        ("payment.creditor", means.creditor_id),
        ("payment.debited", means.debited_iban),
        ("payment.remittance", means.remittance_info),
    )
    title = cat.get(f"means.{means.code.value}", means.code.value)
    return [title] + [cat.text(key, value=value) for key, value in fields if value]


def _payment(doc: Document, fmt: Formatter, settled: bool = False) -> View:
    """BT-9, BT-20, BG-16. A quote or pro forma asks for no payment: no due date, no bank details;
    nor does a paid copy ("facture acquittée"): nothing remains to pay."""
    if not doc.document_type.is_fiscal or settled:
        return {"due": "", "note": "", "means": []}
    terms = doc.payment_terms
    due = fmt.catalogue.text("payment.due", date=fmt.date(terms.due_date)) if terms.due_date else ""
    if doc.totals.payable <= 0 and doc.totals.prepaid > 0:
        due = fmt.catalogue.text("payment.nothing_due")  # paid at checkout: no deadline to print
    return {
        "due": due,
        "note": reword(terms.note, fmt),
        "means": [_means_lines(means, fmt) for means in terms.means],
    }


def _extras(extras: RenderExtras, fmt: Formatter) -> list[list[str]]:
    cat = fmt.catalogue
    rows = (("extras.terms_of_sale", extras.terms_of_sale), ("extras.after_sales", extras.after_sales_contact))
    return [[cat.text(key), value] for key, value in rows if value]


def _method(method: PaymentMeansCode | str, fmt: Formatter) -> str:
    if not isinstance(method, PaymentMeansCode):
        return method
    label = fmt.catalogue.text(f"means.{method.value}")
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _paid(paid: PaidStamp | None, fmt: Formatter) -> View | None:
    if paid is None:
        return None
    cat = fmt.catalogue
    lines = []
    for payment in paid.payments:
        parts = [cat.text("paid.payment", date=fmt.date(payment.paid_on), method=_method(payment.method, fmt))]
        if payment.amount is not None:
            parts.append(cat.text("paid.amount", amount=fmt.amount(payment.amount)))
        if payment.reference:
            parts.append(cat.text("paid.reference", value=payment.reference))
        lines.append(", ".join(parts) + ".")
    if paid.settled:
        return {"mark": cat.text("paid.mark"), "title": cat.text("paid.title"), "payments": lines, "remaining": ""}
    remaining = cat.text("paid.remaining", amount=fmt.amount(paid.remaining))
    return {"mark": cat.text("paid.receipt_mark"), "title": cat.text("paid.receipt_title"), "payments": lines,
            "remaining": remaining}


def _acceptance(doc: Document, fmt: Formatter) -> View | None:
    """Quotes and pro formas: the offer's validity and the customer's "bon pour accord" (date,
    name, signature), which turns the offer into a contract (C. civ. art. 1113 and 1118)."""
    if doc.document_type.is_fiscal:
        return None
    cat = fmt.catalogue
    validity = ""
    if doc.valid_until is not None:
        key = "quote.valid_until" if doc.document_type is DocumentType.QUOTE else "proforma.valid_until"
        validity = cat.text(key, date=fmt.date(doc.valid_until))
    return {
        "title": cat.text("acceptance.title"),
        "validity": validity,
        "instruction": cat.text("acceptance.instruction"),
        "fields": [cat.text(key) for key in ("acceptance.date", "acceptance.name", "acceptance.signature")],
    }
