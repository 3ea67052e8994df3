"""Amounts as the CLI and the API write them, in tables and JSON: with their currency's decimals.

Also the JSON views both entry points share (a settlement, a payment, a document summary),
so `facturier list --json` and `GET /v1/documents` say the same thing the same way.

Amounts carry their currency's decimals (ISO 4217 minor units, at most 2: BR-DEC), as
strings in JSON ("89.90", JPY "1500"), never floats. Unit prices keep at least those
decimals and up to the 6 they may carry; rates and quantities are written as they are
("5.5", "20"). The canonical form (domain.canonical) drops trailing zeros: it is for hashing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from facturier.domain.canonical import to_plain
from facturier.domain.documents import AllowanceCharge, Document
from facturier.domain.money import is_known_currency
from facturier.domain.pricing import amount_places
from facturier.domain.settlement import PaymentRecord, Settlement
from facturier.einvoice.formats import amount as with_places
from facturier.einvoice.formats import plain as plain_decimal

if TYPE_CHECKING:
    from facturier.services.payments import Recorded
    from facturier.storage.documents import StoredDocument

exact = plain_decimal  # a quantity or a rate as it is: "1.5", "20", never an exponent ("2E+1")


def amount(value: Decimal, currency: str) -> str:
    """An amount with its currency's decimals: "89.90" EUR, "1500" JPY (einvoice.formats.amount).

    A value with more decimals than that (never produced by the pricing) is written exactly,
    not rounded; an unknown currency (an inbound file) leaves the value as it is.
    """
    if not is_known_currency(currency):
        return plain_decimal(value)
    return with_places(abs(value) if value == 0 else value, amount_places(currency))


price = amount  # a unit price: at least the currency's decimals, and the up to 6 it carries


def _adjustment(plain: dict[str, Any], adjustment: AllowanceCharge, currency: str) -> None:
    plain["amount"] = amount(adjustment.amount, currency)
    if adjustment.base_amount is not None:
        plain["base_amount"] = amount(adjustment.base_amount, currency)


def document_plain(document: Document) -> dict[str, Any]:
    """A document as JSON-ready data (the canonical form), amounts with the currency's decimals."""
    data: dict[str, Any] = to_plain(document)
    currency = document.currency
    data["totals"] = {name: amount(getattr(document.totals, name), currency) for name in data["totals"]}
    for plain_line, line in zip(data["lines"], document.lines, strict=True):
        plain_line["net_amount"] = amount(line.net_amount, currency)
        plain_line["net_price"] = price(line.net_price, currency)
        for key, adjustments in (("allowances", line.allowances), ("charges", line.charges)):
            for plain, adjustment in zip(plain_line[key], adjustments, strict=True):
                _adjustment(plain, adjustment, currency)
    for plain, adjustment in zip(data["allowances_charges"], document.allowances_charges, strict=True):
        _adjustment(plain, adjustment, currency)
    for plain, vat in zip(data["vat_breakdown"], document.vat_breakdown, strict=True):
        plain["taxable_amount"] = amount(vat.taxable_amount, currency)
        plain["tax_amount"] = amount(vat.tax_amount, currency)
    indemnity = document.payment_terms.recovery_indemnity
    if indemnity is not None:  # a fixed EUR 40 (C. com. D441-5), whatever the currency
        data["payment_terms"]["recovery_indemnity"] = amount(indemnity, "EUR")
    accounting = data.get("tax_accounting")  # BT-6 / BT-111: the VAT total in the accounting currency
    if accounting and accounting.get("tax_total") is not None:
        accounting["tax_total"] = amount(Decimal(accounting["tax_total"]), accounting["currency"])
    return data


def settlement_json(balance: Settlement, currency: str) -> dict[str, Any]:
    """Status, and what was credited, paid, remains and is the customer's credit (exact strings)."""
    figures = ("credited", "paid", "remaining", "customer_credit")
    return {"status": balance.status.value, **{k: amount(getattr(balance, k), currency) for k in figures}}


def payment_json(p: PaymentRecord) -> dict[str, Any]:
    return {**to_plain(p), "amount": amount(p.amount, p.currency)}


def summary_json(row: Any, balance: Settlement | None = None) -> dict[str, Any]:
    """A row of storage's document summaries (number, type, date, buyer, totals), with its balance."""
    extra = settlement_json(balance, row.currency) if balance is not None else {}
    return extra | {
        "number": row.number,
        "document_type": row.document_type,
        "issue_date": row.issue_date.isoformat(),
        "buyer": row.buyer_name,
        "currency": row.currency,
        "tax_inclusive": amount(row.tax_inclusive, row.currency),
        "payable": amount(row.payable, row.currency),
        "preceding": row.preceding_number or "",
    }


def stored_json(stored: StoredDocument) -> dict[str, Any]:
    """An issued document: its EN 16931 content (`document_plain`), id, digest and ledger record.
    Each entry point adds where its files are (the CLI a path, the API a URL)."""
    return document_plain(stored.document) | {"id": stored.id, "sha256": stored.sha256, "ledger_seq": stored.ledger_seq}


def balance_json(balance: Settlement, payments: Sequence[PaymentRecord], currency: str) -> dict[str, Any]:
    """What a document owes now, and the payments and refunds recorded on it."""
    return settlement_json(balance, currency) | {"payments": [payment_json(p) for p in payments]}


def recorded_json(done: Recorded) -> dict[str, Any]:
    """A payment or refund just recorded: it, the invoice's balance after it, every payment so far.
    Each entry point adds where the paid copy or receipt is."""
    currency = done.stored.document.currency
    data: dict[str, Any] = {"number": done.stored.document.number, "ledger_seq": done.ledger_seq}
    data["payment"] = payment_json(done.payment)
    data |= settlement_json(done.settlement, currency)
    data["currency"] = currency
    data["payments"] = [payment_json(p) for p in done.payments]
    return data
