"""Issuing with the tax engine, on SQLite and PostgreSQL: threshold from the seller's own issued
documents, credit notes mirroring their invoice, charges following the lines, K / AE / G /
franchise mentions, VIES evidence, the OSS return reconciled with the documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.conftest import FixedClock
from tests.factories import issue_orders, seller_profile
from tests.integration.test_tax_vies import REFERENCE, FakeVies

from facturier.domain.codes import VatCategory
from facturier.domain.documents import Document
from facturier.domain.errors import InvalidInput
from facturier.domain.seller import SellerProfile
from facturier.integrations import vies
from facturier.integrations.vies import ViesChecker
from facturier.services.credit import credit_submission
from facturier.services.issuing import Issuer
from facturier.services.issuing import issue as issue_submissions
from facturier.services.oss_report import oss_report
from facturier.services.tax_history import distance_history, facts_between
from facturier.storage.database import Database

D = Decimal
OSS_SELLER = replace(seller_profile(), oss_union=True)
BERLIN = {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"}


def b2c_germany(order_id: str, day: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": order_id,
        "date": day,
        "customer": {"type": "consumer", "name": "Hans Müller"},
        "billing_address": BERLIN,
        "lines": [{"name": "Lampe", "quantity": "1", "unit_price": amount}],
        **extra,
    }


def b2b_germany(order_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": order_id,
        "date": "2026-07-10",
        "delivery_date": "2026-07-08",
        "customer": {
            "type": "business",
            "name": "Leuchten GmbH",
            "vat_id": "DE136695976",
            "electronic_address": {"value": "einkauf@leuchten.example", "scheme": "EM"},
        },
        "billing_address": BERLIN,
        "shipping_address": BERLIN,
        **extra,
    }


def account(db: Database, profile: SellerProfile = OSS_SELLER) -> str:
    return db.create_account("acme", profile, "2026-01-01T00:00:00+00:00")


def issue(db: Database, account_id: str, data: dict[str, Any], vies_url: str = "") -> Document:
    """Issue `data` on the day it names (the clock is set to that day; it is the issue date)."""
    day = date.fromisoformat(data.get("date", "2026-07-01"))
    data = {**data, "issue_date": day.isoformat()}
    clock = FixedClock(datetime(day.year, day.month, day.day, 10, tzinfo=UTC))
    checker = ViesChecker(vies_url) if vies_url else None
    return issue_orders(db, account_id, [data], clock, vies=checker)[0].document


def groups(doc: Document) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    return [(b.category.value, b.rate, b.taxable_amount, b.tax_amount) for b in doc.vat_breakdown]


@pytest.fixture
def fake_vies() -> Iterator[FakeVies]:
    vies.clear_cache()
    server = FakeVies()
    yield server
    server.close()
    vies.clear_cache()


def _stream(db: Database, acc: str) -> list[Document]:
    """EUR 3,000 + 40 shipping per order: 3 x 3,040 = 9,120 <= 10,000, the 4th crosses."""
    shipping = {"charges": [{"type": "shipping", "amount": "40.00"}]}
    return [issue(db, acc, b2c_germany(f"W-{i}", f"2026-07-0{i + 1}", "3000.00", **shipping)) for i in range(5)]


def test_threshold_crossed_mid_stream_then_credit_note_keeps_destination_vat(db: Database) -> None:
    acc = account(db)
    docs = _stream(db, acc)
    rates = [doc.vat_breakdown[0].rate for doc in docs]
    assert rates == [D("20.0")] * 3 + [D("19.0")] * 2  # FR 20 % before, DE 19 % from the crossing sale
    assert groups(docs[3]) == [("S", D("19.0"), D("3040.00"), D("577.60"))]

    refund = {"id": "RMA-5", "kind": "credit_note", "date": "2026-07-20", "corrects": docs[4].number}
    credit = issue(db, acc, {**refund, "credit": {"lines": {"1": "1"}, "reason": "retour"}})
    assert groups(credit)[0][:2] == ("S", D("19.0"))
    with db.reading(acc) as tx:
        facts = {f.number: f for f in facts_between(tx, date(2026, 7, 1), date(2026, 7, 31)).facts}
    assert facts[credit.number].vat_country == "DE" and facts[credit.number].scheme == "union"
    assert facts[docs[0].number].vat_country == "FR" and facts[docs[0].number].distance_eur == D("3040.00")


def test_a_credit_note_brings_the_year_back_under_the_threshold(db: Database) -> None:
    acc = account(db)
    first = issue(db, acc, b2c_germany("W-1", "2026-07-01", "6000.00"))
    refund = {"id": "RMA-1", "kind": "credit_note", "date": "2026-07-02", "corrects": first.number}
    issue(db, acc, refund)
    again = issue(db, acc, b2c_germany("W-2", "2026-07-03", "6000.00"))  # 6,000 - 6,000 + 6,000
    assert again.vat_breakdown[0].rate == D("20.0")


def test_mixed_rate_shipping_follows_the_lines_split_in_proportion(db: Database) -> None:
    acc = account(db)
    data = b2c_germany("MIX-1", "2026-07-01", "60.00", charges=[{"type": "shipping", "amount": "10.00"}])
    data["billing_address"] = {"line1": "1 rue X", "city": "Lyon", "postcode": "69001", "country": "FR"}
    data["lines"].append({"name": "Livre", "quantity": "1", "unit_price": "40.00", "tax_class": "books"})
    doc = issue(db, acc, data)
    charges = {(c.vat_category, c.vat_rate): c.amount for c in doc.allowances_charges}
    assert charges == {(VatCategory.STANDARD, D("20.0")): D("6.00"), (VatCategory.STANDARD, D("5.5")): D("4.00")}
    assert groups(doc) == [("S", D("20.0"), D("66.00"), D("13.20")), ("S", D("5.5"), D("44.00"), D("2.42"))]


def test_intra_eu_b2b_goods_with_vies_evidence(db: Database, fake_vies: FakeVies) -> None:
    acc = account(db, replace(OSS_SELLER, vies_check=True))
    lines = [{"name": "Lustre", "quantity": "2", "unit_price": "500"}]
    doc = issue(db, acc, b2b_germany("B2B-DE-1", lines=lines), vies_url=fake_vies.url)
    assert groups(doc) == [("K", D("0"), D("1000.00"), D("0.00"))]
    assert doc.lines[0].exemption_code == "VATEX-EU-IC"
    assert "Exonération de TVA, article 262 ter I du CGI" in doc.mentions
    assert any(REFERENCE in note and "DE136695976" in note for note in doc.notes)


def test_b2b_services_reverse_charge(db: Database) -> None:
    acc = account(db)
    check = {"status": "valid", "consultation_reference": "WAPIAAAAX9", "checked_on": "2026-07-09"}
    data = b2b_germany("B2B-DE-2", lines=[{"name": "Étude", "kind": "services", "quantity": "8", "unit_price": "75"}])
    data["customer"] = {**data["customer"], "vat_check": check}
    doc = issue(db, acc, data)
    assert groups(doc) == [("AE", D("0"), D("600.00"), D("0.00"))]
    assert "Autoliquidation" in doc.mentions
    assert any("WAPIAAAAX9" in note for note in doc.notes)


def test_unconfirmed_vat_id_is_a_consumer_by_default_or_held(db: Database, fake_vies: FakeVies) -> None:
    fake_vies.down = True
    vies_on = replace(OSS_SELLER, vies_check=True)
    acc = account(db, vies_on)
    lines = [{"name": "Lustre", "quantity": "1", "unit_price": "500"}]
    doc = issue(db, acc, b2b_germany("B2B-DE-3", lines=lines), vies_url=fake_vies.url)
    assert groups(doc)[0][:2] == ("S", D("20.0"))  # VIES unknown: treated as a consumer (FR VAT)
    assert any("unknown" in note for note in doc.notes)
    held = db.create_account("held", replace(vies_on, unknown_vat_id_policy="hold"), "2026-01-01")
    with pytest.raises(InvalidInput) as refused:
        issue(db, held, b2b_germany("B2B-DE-4", lines=lines), vies_url=fake_vies.url)
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("TAX-VIES-HOLD", "customer.vat_id")]


def test_export_outside_the_eu(db: Database) -> None:
    acc = account(db)
    data = b2c_germany("US-1", "2026-07-01", "250.00")
    data["billing_address"] = {"line1": "1 Main St", "city": "Boston", "postcode": "02108", "country": "US"}
    doc = issue(db, acc, data)
    assert groups(doc) == [("G", D("0"), D("250.00"), D("0.00"))]
    assert doc.lines[0].exemption_code == "VATEX-EU-G"
    assert "Exonération de TVA, article 262 I du CGI" in doc.mentions


def test_franchise_en_base(db: Database) -> None:
    acc = account(db, replace(seller_profile(), franchise_en_base=True))
    data = b2c_germany("FB-1", "2026-07-01", "80.00")
    data["billing_address"] = {"line1": "1 rue X", "city": "Lyon", "postcode": "69001", "country": "FR"}
    doc = issue(db, acc, data)
    assert groups(doc) == [("E", D("0"), D("80.00"), D("0.00"))]
    assert doc.mentions == ("TVA non applicable, art. 293 B du CGI",)


def test_explicit_rate_must_agree_with_the_decision(db: Database) -> None:
    acc = account(db)
    data = b2c_germany("X-1", "2026-07-01", "10.00")
    data["billing_address"] = {"line1": "1 rue X", "city": "Lyon", "postcode": "69001", "country": "FR"}
    data["lines"][0]["vat_rate"] = "5.5"  # a French rate: selects the reduced_2 class
    assert groups(issue(db, acc, data))[0][:2] == ("S", D("5.5"))
    data = {**data, "id": "X-2", "lines": [{**data["lines"][0], "vat_rate": "7"}]}
    with pytest.raises(InvalidInput) as refused:
        issue(db, acc, data)
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("TAX-EXPLICIT-RATE", "lines[0].vat_rate")]


def test_cross_border_b2c_in_another_currency_needs_an_exchange_rate(db: Database) -> None:
    acc = account(db)
    data = b2c_germany("CHF-1", "2026-07-01", "100.00", currency="CHF")
    with pytest.raises(InvalidInput) as refused:
        issue(db, acc, data)
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("TAX-EXCHANGE-RATE", "eur_exchange_rate")]
    doc = issue(db, acc, {**data, "eur_exchange_rate": "0.9400"})
    with db.reading(acc) as tx:
        fact = facts_between(tx, date(2026, 7, 1), date(2026, 7, 1)).facts[0]
    assert doc.currency == "CHF" and fact.taxable_eur == D("106.38")  # 100 CHF / 0.94 CHF per EUR


def test_oss_report_reconciles_with_the_issued_documents(db: Database) -> None:
    acc = account(db)
    docs = _stream(db, acc)
    refund = {"id": "RMA-5", "kind": "credit_note", "date": "2026-07-20", "corrects": docs[4].number}
    credit = issue(db, acc, {**refund, "credit": {"amount": "100.00"}})
    with db.reading(acc) as tx:
        report = oss_report(tx, "2026Q3")
    total = report.lines[-1]
    destination = [(d, b) for d in [*docs[3:], credit] for b in d.vat_breakdown if b.rate == D("19.0")]
    sign = {docs[3].number: 1, docs[4].number: 1, credit.number: -1}
    assert total.taxable_base == sum(sign[d.number] * b.taxable_amount for d, b in destination)
    assert total.vat == sum(sign[d.number] * b.tax_amount for d, b in destination)
    assert total.vat == total.invoice_vat + total.credit_note_vat
    assert [(x.member_state, x.rate) for x in report.lines[:-1]] == [("DE", D("19.0"))]
    assert report.lines[0].documents == 3 and report.unattributed == ()
    with db.reading(acc) as tx:
        assert oss_report(tx, "2026Q4").lines[-1].vat == 0


def test_a_credit_note_issued_outside_orders_gets_its_invoice_treatment(db: Database) -> None:
    """`facturier credit` (no idempotency key, no facts of its own): its facts are derived from the invoice."""
    acc = account(db)
    invoice = issue(db, acc, b2c_germany("W-1", "2026-08-01", "11000.00"))
    clock = FixedClock(datetime(2026, 8, 5, 10, tzinfo=UTC))
    submission = credit_submission(invoice.number, amount=D("119.00"))
    credit = issue_submissions(Issuer(db, clock), acc, [submission])[0].document
    with db.reading(acc) as tx:
        report = oss_report(tx, "2026Q3")
        history = distance_history(tx, date(2026, 8, 6))
    assert [(x.member_state, x.taxable_base, x.vat) for x in report.lines] == [
        ("DE", D("10900.00"), D("2071.00")),
        ("TOTAL", D("10900.00"), D("2071.00")),
    ]
    assert credit.vat_breakdown[0].rate == D("19.0") and history.current_year_total == D("10900.00")
