"""Credit notes through the one issuing path (services.issuing.issue), on SQLite and PostgreSQL:
an amount is credited exactly or refused, what remains is counted per VAT group, and a
credited down payment is no longer deducted by the final invoice (figures, VAT facts, OSS)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.cli_support import Cli
from tests.conftest import FixedClock
from tests.factories import issue_orders, new_account, order_data, seller_profile

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.domain.errors import InvalidInput
from facturier.domain.rounding import accounting_amount_half_up
from facturier.services.credit import credit_submission
from facturier.services.issue import Submission
from facturier.services.issuing import Issuer, issue
from facturier.services.oss_report import oss_report
from facturier.services.tax_history import facts_of_number
from facturier.storage.database import Database

D = Decimal
GroupSums = dict[tuple[str, Decimal], tuple[Decimal, Decimal]]


def _order(db: Database, account: str, clock: FixedClock, **fields: Any) -> Document:
    return issue_orders(db, account, [order_data(**fields)], clock)[0].document


def _credit(db: Database, account: str, clock: FixedClock, submission: Submission) -> Document:
    return issue(Issuer(db, clock), account, [submission])[0].document


def _refused(db: Database, account: str, clock: FixedClock, submission: Submission) -> tuple[str, str, str]:
    with pytest.raises(InvalidInput) as error:
        _credit(db, account, clock, submission)
    v = error.value.violations[0]
    return v.rule_id, v.path, v.message


def _groups(*docs: Document) -> GroupSums:
    sums: dict[tuple[str, Decimal], list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for doc in docs:
        for b in doc.vat_breakdown:
            sums[(b.category.value, b.rate)][0] += b.taxable_amount
            sums[(b.category.value, b.rate)][1] += b.tax_amount
    return {k: (v[0], v[1]) for k, v in sums.items()}


MIXED = [
    {"name": "Livre", "quantity": "3", "unit_price": "19.90", "vat_rate": "5.5"},
    {"name": "Lampe", "quantity": "1", "unit_price": "89.90", "vat_rate": "20"},
    {"name": "Pose", "kind": "services", "quantity": "1", "unit_price": "5.03", "vat_rate": "20"},
    {"name": "Câble", "quantity": "1", "unit_price": "4.99", "vat_rate": "20"},
]


def test_an_amount_is_credited_exactly_over_mixed_rates(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    invoice = _order(db, account, clock, id="I-1", lines=MIXED, discounts=[{"percent": "5"}])
    for i, amount in enumerate(["12.03", "0.03", "33.33", "0.01"]):
        credit = _credit(db, account, clock, credit_submission(invoice.number, amount=D(amount), key=f"r{i}"))
        assert credit.totals.tax_inclusive == D(amount)  # BT-112, exactly what was asked
        assert credit.totals.rounding == 0 and credit.totals.payable == D(amount)


def test_an_amount_no_split_reaches_or_with_too_many_decimals_is_refused(db: Database, clock: FixedClock) -> None:
    """One group at 20 %: no taxable amount plus its VAT makes 12.03 (12.02 + 0.00 = 12.02... 10.03 + 2.01 = 12.04)."""
    account = new_account(db)
    lines = [{"name": "Lampe", "quantity": "1", "unit_price": "100.00", "vat_rate": "20"}]
    invoice = _order(db, account, clock, id="I-2", lines=lines)
    rule, path, message = _refused(db, account, clock, credit_submission(invoice.number, amount=D("12.03")))
    assert (rule, path) == ("CREDIT-AMOUNT", f"{invoice.number}: credit.amount") and "12.02 or 12.04 can be" in message
    rule, path, message = _refused(db, account, clock, credit_submission(invoice.number, amount=D("10.005")))
    assert (rule, path) == (
        "CREDIT-AMOUNT",
        f"{invoice.number}: credit.amount",
    ) and "more than the 2 decimals" in message
    assert _refused(db, account, clock, credit_submission(invoice.number, amount=D("-1")))[0] == "CREDIT-AMOUNT"
    credit = _credit(db, account, clock, credit_submission(invoice.number, amount=D("12.04")))
    assert credit.number.endswith("000001")  # the refusals numbered nothing
    assert credit.totals.tax_inclusive == D("12.04")


def test_what_remains_is_counted_per_group_after_lines_then_amount_then_full(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    invoice = _order(db, account, clock, id="I-3", lines=MIXED)
    assert _groups(invoice)[("S", D("20"))] == (D("99.92"), D("19.98"))  # 19.984
    by_lines = _credit(db, account, clock, credit_submission(invoice.number, lines={"1": D(1), "3": D(1)}, key="a"))
    by_amount = _credit(db, account, clock, credit_submission(invoice.number, amount=D("40.00"), key="b"))
    assert by_amount.totals.tax_inclusive == D("40.00")
    full = _credit(db, account, clock, credit_submission(invoice.number, key="c"))
    credited = _groups(by_lines, by_amount, full)
    for key, (taxable, tax) in _groups(invoice).items():
        assert credited[key][0] <= taxable and credited[key][1] <= tax
    # 5.5 %: everything. 20 %: all the VAT, and 0.02 of taxable amount stays: 70.54 and 14.10
    # remained, 20 % of 70.54 is 14.11 (BR-CO-17), so the full credit took 70.52 and 14.10.
    assert credited[("S", D("5.5"))] == _groups(invoice)[("S", D("5.5"))]
    assert credited[("S", D("20"))] == (D("99.90"), D("19.98"))
    last = _credit(db, account, clock, credit_submission(invoice.number, key="d"))
    assert _groups(last) == {("S", D("20")): (D("0.02"), D("0.00"))}
    assert _refused(db, account, clock, credit_submission(invoice.number, key="e"))[0] == "FR-CREDIT-REMAINING"


def test_lines_credited_one_by_one_never_credit_more_vat_than_invoiced(db: Database, clock: FixedClock) -> None:
    """5.03 + 4.99 = 10.02 at 20 % is 2.00 of VAT (2.004); credited apart, 1.01 + 1.00 would be 2.01."""
    account = new_account(db)
    invoice = _order(db, account, clock, id="I-4", lines=MIXED[2:])
    first = _credit(db, account, clock, credit_submission(invoice.number, lines={"1": D(1)}, key="a"))
    second = _credit(db, account, clock, credit_submission(invoice.number, lines={"2": D(1)}, key="b"))
    assert _groups(first) == {("S", D("20")): (D("5.03"), D("1.01"))}
    assert _groups(second) == {("S", D("20")): (D("4.97"), D("0.99"))}  # an allowance of 0.02
    assert [(a.amount, a.is_charge) for a in second.allowances_charges] == [(D("0.02"), False)]
    assert _groups(first, second)[("S", D("20"))][1] == _groups(invoice)[("S", D("20"))][1]


def _deposit_order(**fields: Any) -> dict[str, Any]:
    lines = [
        {"name": "Livre", "quantity": "10", "unit_price": "19.90", "vat_rate": "5.5"},
        {"name": "Lampe", "quantity": "3", "unit_price": "89.90", "vat_rate": "20"},
    ]
    return order_data(lines=lines, order_reference="PRJ-9", **fields)


def test_a_fully_credited_down_payment_is_not_deducted(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    deposit = issue_orders(
        db, account, [_deposit_order(id="D-1", kind="down_payment", deposit={"percent": "30"})], clock
    )
    kept = issue_orders(
        db, account, [_deposit_order(id="D-2", kind="down_payment", deposit={"amount": "100.00"})], clock
    )
    _credit(db, account, clock, credit_submission(deposit[0].document.number))
    final = issue_orders(db, account, [_deposit_order(id="F-1", kind="final_invoice")], clock)[0].document
    assert [p.number for p in final.preceding] == [kept[0].document.number]
    assert final.totals.prepaid == D("100.00")  # BT-113: the credited deposit is not there
    assert final.totals.payable == final.totals.tax_inclusive - D("100.00")
    with db.reading(account) as tx:
        facts = facts_of_number(tx, final.number)
    deducted = _groups(kept[0].document)
    assert {(f.category, f.rate): (f.taxable, f.vat) for f in facts} == {
        key: (taxable - deducted[key][0], tax - deducted[key][1]) for key, (taxable, tax) in _groups(final).items()
    }


def test_a_partly_credited_down_payment_deducts_what_remains_of_it(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    deposit = issue_orders(
        db, account, [_deposit_order(id="D-3", kind="down_payment", deposit={"percent": "40"})], clock
    )
    deposit_doc = deposit[0].document
    credit = _credit(db, account, clock, credit_submission(deposit_doc.number, amount=D("50.00")))
    final = issue_orders(db, account, [_deposit_order(id="F-3", kind="final_invoice")], clock)[0].document
    assert [p.number for p in final.preceding] == [deposit_doc.number]
    assert final.totals.prepaid == deposit_doc.totals.tax_inclusive - D("50.00")
    with db.reading(account) as tx:
        facts = {(f.category, f.rate): (f.taxable, f.vat) for f in facts_of_number(tx, final.number)}
    left = {
        key: (taxable - _groups(credit).get(key, (D(0), D(0)))[0], tax - _groups(credit).get(key, (D(0), D(0)))[1])
        for key, (taxable, tax) in _groups(deposit_doc).items()
    }
    assert facts == {key: (t - left[key][0], v - left[key][1]) for key, (t, v) in _groups(final).items()}


def test_the_oss_return_of_an_order_with_a_credited_down_payment_is_its_final_invoice(db: Database) -> None:
    """Deposit + final - deducted - credit note: the quarter declares the order's VAT once, in DE."""
    account = db.create_account("acme", replace(seller_profile(), oss_union=True), "2026-01-01T00:00:00+00:00")
    clock = FixedClock(datetime(2026, 7, 10, 10, tzinfo=UTC))
    germany = {
        "date": "2026-07-10",
        "customer": {"type": "consumer", "name": "Hans Müller"},
        "billing_address": {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"},
        "lines": [{"name": "Lampe", "quantity": "3", "unit_price": "4000.00"}],  # over EUR 10,000: German VAT
        "order_reference": "PRJ-DE",
        "prices_include_vat": True,
    }
    deposit = issue_orders(
        db, account, [{**germany, "id": "D-DE", "kind": "down_payment", "deposit": {"percent": "50"}}], clock
    )
    credit = _credit(db, account, clock, credit_submission(deposit[0].document.number, amount=D("119.00")))
    final = issue_orders(db, account, [{**germany, "id": "F-DE", "kind": "final_invoice"}], clock)[0].document
    assert final.document_type is DocumentType.INVOICE and credit.totals.tax_inclusive == D("119.00")
    with db.reading(account) as tx:
        report = oss_report(tx, "2026Q3")
    total = report.lines[-1]
    assert total.taxable_base == sum(b.taxable_amount for b in final.vat_breakdown)
    assert total.vat == sum(b.tax_amount for b in final.vat_breakdown)
    assert [(x.member_state, x.rate) for x in report.lines[:-1]] == [("DE", D("19"))]


def test_a_down_payment_in_usd_states_the_vat_of_the_deposit_in_eur(db: Database, clock: FixedClock) -> None:
    """BT-111 is round(BT-110 / rate) of the deposit, not of the whole order (Directive art. 230, BR-53)."""
    account = new_account(db)
    fields = {"currency": "USD", "eur_exchange_rate": "1.1708", "deposit": {"percent": "30"}}
    deposit = _order(db, account, clock, id="D-USD", kind="down_payment", **fields)
    assert deposit.tax_accounting is not None and deposit.tax_accounting.currency == "EUR"
    assert deposit.tax_accounting.tax_total == accounting_amount_half_up(deposit.totals.tax_total, D("1.1708"))


def test_a_credit_by_amount_does_not_use_up_the_quantities_of_the_lines(db: Database, clock: FixedClock) -> None:
    """Its one-per-group lines "1", "2" are not the invoice's lines "1", "2"."""
    account = new_account(db)
    invoice = _order(db, account, clock, id="I-5", lines=MIXED)
    _credit(db, account, clock, credit_submission(invoice.number, amount=D("10.00"), key="a"))
    whole = _credit(db, account, clock, credit_submission(invoice.number, lines={"1": D(3), "2": D(1)}, key="b"))
    assert [(x.line_id, x.quantity) for x in whole.lines] == [("1", D(3)), ("2", D(1))]


def test_a_down_payment_its_final_invoice_deducted_is_not_credited(db: Database, clock: FixedClock) -> None:
    """The final invoice settled it (BT-113): crediting the deposit too would give it back twice."""
    account = new_account(db)
    deposit = issue_orders(
        db, account, [_deposit_order(id="D-5", kind="down_payment", deposit={"percent": "30"})], clock
    )
    final = issue_orders(db, account, [_deposit_order(id="F-5", kind="final_invoice")], clock)[0].document
    rule, path, message = _refused(db, account, clock, credit_submission(deposit[0].document.number))
    assert (rule, path.endswith("corrects"), final.number in message) == ("CREDIT-DEDUCTED", True, True)
    _credit(db, account, clock, credit_submission(final.number, amount=D("10.00")))  # the final invoice can be


def test_the_cli_refuses_an_amount_with_too_many_decimals(cli: Cli) -> None:
    """`facturier credit --amount 10.005`: the check is in credit_note_draft, so every entry point has it."""
    cli("issue", cli.order_file("o.json", order_data(id="A-1")))
    result = cli("credit", "F2026-000001", "--amount", "10.005", code=2)
    assert "CREDIT-AMOUNT" in result.stderr and "credit.amount" in result.stderr
    assert [d["number"] for d in cli.json("list")] == ["F2026-000001"]  # nothing numbered
