"""BT-6 / BT-111: a French seller's invoice in another currency states its VAT in EUR
(Directive 2006/112/EC art. 230, BR-53, BR-FR-CO-12), converted once from BT-110."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from facturier.domain.accounting_currency import needs_tax_accounting, tax_accounting_for, with_tax_accounting
from facturier.domain.canonical import canonical_bytes, from_canonical
from facturier.domain.documents import Document, TaxAccounting
from facturier.domain.parties import Address
from facturier.domain.rounding import accounting_amount_half_up

from .builders import document, german_buyer, line, rule_paths

D = Decimal
USD_RATE = D("1.17")  # USD for one EUR


def usd(**changes: object) -> Document:
    return document(lines=[line(quantity="2", price="450.00")], currency="USD", **changes)


def test_a_usd_invoice_gets_bt6_and_bt111_with_its_rate() -> None:
    doc = with_tax_accounting(usd(), USD_RATE)
    assert doc.totals.tax_total == D("180.00")
    assert doc.tax_accounting == TaxAccounting("EUR", D("153.85"), USD_RATE)  # 180.00 / 1.17 = 153.846
    assert rule_paths(doc) == set()


def test_without_bt6_a_french_seller_breaks_br_fr_co_12() -> None:
    assert rule_paths(usd()) == {("BR-FR-CO-12", "tax_accounting")}


def test_bt6_must_be_eur_for_a_french_seller() -> None:
    doc = replace(usd(), tax_accounting=TaxAccounting("GBP", D("150.00")))
    assert rule_paths(doc) == {("BR-FR-CO-12", "tax_accounting")}


def test_bt111_is_checked_to_the_cent_when_the_rate_is_recorded() -> None:
    doc = with_tax_accounting(usd(), USD_RATE)
    assert doc.tax_accounting is not None
    off = replace(doc, tax_accounting=replace(doc.tax_accounting, tax_total=D("153.84")))
    assert rule_paths(off) == {("BR-53", "tax_accounting.tax_total")}


def test_bt111_read_from_xml_has_no_rate_and_is_only_checked_for_decimals() -> None:
    read = replace(usd(), tax_accounting=TaxAccounting("EUR", D("150.00")))
    assert rule_paths(read) == set()  # the sender's rate is unknown: nothing to recompute
    three = replace(usd(), tax_accounting=TaxAccounting("EUR", D("150.005")))
    assert rule_paths(three) == {("BR-DEC-15", "tax_accounting.tax_total")}


def test_bt6_is_an_iso_4217_code() -> None:
    doc = replace(usd(), tax_accounting=TaxAccounting("EUX", D("150.00")))
    assert ("BR-CL-05", "tax_accounting.currency") in rule_paths(doc)


def test_a_recorded_rate_must_be_positive() -> None:
    doc = replace(usd(), tax_accounting=TaxAccounting("EUR", D("150.00"), D("0")))
    assert rule_paths(doc) == {("BR-53", "tax_accounting.exchange_rate")}
    with pytest.raises(ValueError, match="positive"):
        tax_accounting_for(usd(), D("0"))


def test_eur_invoices_and_foreign_sellers_need_none() -> None:
    assert not needs_tax_accounting(document())
    assert with_tax_accounting(document(), USD_RATE) == document()
    stale = replace(document(), tax_accounting=TaxAccounting("EUR", D("1.00"), D("1")))
    assert with_tax_accounting(stale).tax_accounting is None
    german = german_buyer(address=Address("Hauptstr. 1", "Berlin", "10115", "DE"))
    assert not needs_tax_accounting(usd(seller=german))  # only French sellers are known (Directive art. 230)


def test_bt111_follows_the_totals_with_the_recorded_rate() -> None:
    """A down payment carved out of an order's draft: `with_tax_accounting(doc)` again."""
    whole = with_tax_accounting(usd(), USD_RATE)
    part = with_tax_accounting(replace(whole, totals=replace(whole.totals, tax_total=D("54.00"))))
    assert part.tax_accounting == TaxAccounting("EUR", D("46.15"), USD_RATE)  # 54.00 / 1.17 = 46.154
    assert with_tax_accounting(usd()) == usd()  # no rate anywhere: left for validation to refuse


def test_bt111_converts_the_total_not_each_vat_group() -> None:
    """10.00 USD of VAT at 20 % and 10.00 at 10 %: 8.55 + 8.55 = 17.10, but BT-110 = 20.00
    converts to 17.09, and EN 16931 has only the document-level BT-111."""
    doc = document(lines=[line("1", price="50.00"), line("2", price="100.00", rate="10")], currency="USD")
    assert [b.tax_amount for b in doc.vat_breakdown] == [D("10.00"), D("10.00")]
    per_group = sum(accounting_amount_half_up(b.tax_amount, USD_RATE) for b in doc.vat_breakdown)
    assert per_group == D("17.10")
    accounting = with_tax_accounting(doc, USD_RATE).tax_accounting
    assert accounting is not None and accounting.tax_total == D("17.09")


def test_canonical_json_carries_bt6_bt111_and_the_rate() -> None:
    doc = with_tax_accounting(usd(), USD_RATE)
    data = json.loads(canonical_bytes(doc))["data"]
    assert data["tax_accounting"] == {"currency": "EUR", "tax_total": "153.85", "exchange_rate": "1.17"}
    assert from_canonical(Document, canonical_bytes(doc)) == doc


def test_documents_stored_before_the_field_existed_read_back_without_it() -> None:
    """A document's canonical JSON written before `tax_accounting` existed has no such key:
    it reads back with the default (None); its stored bytes, not a re-serialisation, are hashed."""
    doc = document()
    envelope = json.loads(canonical_bytes(doc))
    del envelope["data"]["tax_accounting"]
    old = json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert from_canonical(Document, old) == doc
