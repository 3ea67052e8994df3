"""Payments are records: partial, several, over-payment, refunds, statuses, the paid copy only
when settled, receipts otherwise, dates checked; through `record_payment` and the CLI, on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from tests.cli_support import Cli
from tests.conftest import FixedClock
from tests.factories import IssueRequest, draft, issue_all, issue_orders, new_account, order_data

from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput
from facturier.domain.settlement import PaymentKind, Status
from facturier.services.credit import credit_submission
from facturier.services.issuing import Issuer, issue
from facturier.services.payments import PaymentInput, record_payment, settlement_of
from facturier.services.verify import verify_all
from facturier.storage.database import Database

D = Decimal


def _later(clock: FixedClock, day: int) -> Issuer:
    clock.now = datetime(2026, 11, day, 9, tzinfo=UTC)
    return Issuer(clock.db, clock)  # type: ignore[attr-defined]


@pytest.fixture
def invoice(db: Database, clock: FixedClock) -> tuple[str, str, Decimal]:
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft())], clock)[0]
    clock.db = db  # type: ignore[attr-defined]
    return account, issued.document.number, issued.document.totals.payable


def _text(db: Database, sha256: str) -> str:
    return PdfReader(io.BytesIO(db.blobs.get(sha256))).pages[0].extract_text()


def test_partial_then_full_payment_receipt_then_paid_copy(db: Database, clock, invoice) -> None:  # type: ignore[no-untyped-def]
    account, number, due = invoice
    issuer = _later(clock, 25)
    first = record_payment(issuer, account, PaymentInput(number, date(2026, 11, 25), "transfer", D("100.00"), "VIR-1"))
    assert first.settlement.status is Status.PARTIALLY_PAID and first.settlement.remaining == due - D("100.00")
    assert first.artefact is not None and first.artefact.name == "receipt-1.pdf"
    receipt = _text(db, first.artefact.sha256)
    assert "Reçu de paiement" in receipt and "Reste à payer" in receipt and "ACQUITTÉE" not in receipt
    second = record_payment(issuer, account, PaymentInput(number, date(2026, 11, 25), "card", reference="CB-42"))
    assert second.payment.amount == due - D("100.00")  # the default: everything that remains
    assert second.settlement.status is Status.PAID and second.settlement.remaining == 0
    assert second.artefact is not None and second.artefact.name == "paid-2.pdf"
    paid = _text(db, second.artefact.sha256)
    assert "ACQUITTÉE" in paid and "VIR-1" in paid and "CB-42" in paid  # every payment
    assert "Montant réglé" in paid
    for absent in ("À régler au plus tard", "IBAN", "Reste à payer", "Net à payer", "Date d'échéance"):
        assert absent not in paid  # settled: no deadline, no bank details, no remaining amount
    with db.reading(account) as tx:
        stored = tx.documents.get(number)
        assert stored.document.totals.payable == due  # the issued invoice never changes
    assert verify_all(db).problems == []


def test_over_payment_is_customer_credit_and_refund_takes_it_back(db: Database, clock, invoice) -> None:  # type: ignore[no-untyped-def]
    account, number, due = invoice
    issuer = _later(clock, 26)
    done = record_payment(issuer, account, PaymentInput(number, date(2026, 11, 26), "cheque", due + D("10.00")))
    assert (done.settlement.status, done.settlement.customer_credit) == (Status.PAID, D("10.00"))
    back = PaymentInput(number, date(2026, 11, 26), "transfer", D("10.00"), kind=PaymentKind.REFUND)
    refunded = record_payment(issuer, account, back)
    assert (refunded.settlement.customer_credit, refunded.settlement.remaining) == (0, 0)
    assert refunded.artefact is None
    too_much = PaymentInput(number, date(2026, 11, 26), "transfer", due + D("0.01"), kind=PaymentKind.REFUND)
    with pytest.raises(InvalidInput, match="more than was received"):
        record_payment(issuer, account, too_much)
    with db.reading(account) as tx:  # the refused refund wrote nothing
        assert tx.conn.exec_driver_sql("SELECT COUNT(*) FROM payments").scalar_one() == 2
    assert verify_all(db).problems == []


@pytest.mark.parametrize(
    ("paid_on", "amount", "rule"),
    [
        (date(2026, 11, 19), None, "PAYMENT-DATE"),  # before the invoice (2026-11-20)
        (date(2026, 11, 28), None, "PAYMENT-DATE"),  # after today (2026-11-27)
        (date(2026, 11, 27), D("10.001"), "PAYMENT-AMOUNT"),
        (date(2026, 11, 27), D("0"), "PAYMENT-AMOUNT"),
    ],
)
def test_bad_payments_are_refused_and_write_nothing(db: Database, clock, invoice, paid_on, amount, rule) -> None:  # type: ignore[no-untyped-def]
    account, number, _ = invoice
    issuer = _later(clock, 27)
    with pytest.raises(InvalidInput) as refused:
        record_payment(issuer, account, PaymentInput(number, paid_on, "card", amount))
    assert refused.value.violations[0].rule_id == rule
    with db.reading(account) as tx:
        assert settlement_of(tx, tx.documents.get(number), date(2026, 11, 27)).paid == 0
        assert tx.conn.exec_driver_sql("SELECT COUNT(*) FROM ledger").scalar_one() == 1


def test_statuses_overdue_and_credited(db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft())], clock)[0].document
    due_date = issued.payment_terms.due_date
    assert due_date is not None
    with db.reading(account) as tx:
        stored = tx.documents.get(issued.number)
        assert settlement_of(tx, stored, due_date).status is Status.ISSUED
        assert settlement_of(tx, stored, date.fromordinal(due_date.toordinal() + 1)).status is Status.OVERDUE
    issue(Issuer(db, clock), account, [credit_submission(issued.number)])
    with db.reading(account) as tx:
        assert settlement_of(tx, tx.documents.get(issued.number), due_date).status is Status.CREDITED
    quote = issue_all(db, account, [IssueRequest(draft(document_type=DocumentType.QUOTE))], clock)[0]
    with pytest.raises(InvalidInput, match="only invoices"):
        record_payment(Issuer(db, clock), account, PaymentInput(quote.document.number, date(2026, 11, 20), "card"))


def test_vat_inclusive_basket_paid_at_checkout_owes_nothing(db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    """Baskets whose VAT-inclusive prices give a BT-114 rounding amount: paid in full, 0.00 due."""
    account = new_account(db)
    orders = []
    for i, price in enumerate(("19.99", "4.99", "0.99", "33.33", "7.77")):
        orders.append(
            order_data(
                id=f"CHK-{i}",
                customer={"type": "consumer", "name": "Jeanne Martin"},
                prices_include_vat=True,
                lines=[
                    {"name": "Article A", "quantity": "3", "unit_price": price, "vat_rate": "20"},
                    {"name": "Livre", "quantity": "1", "unit_price": "9.45", "vat_rate": "5.5"},
                ],
                payment={"status": "paid", "method": "card"},
            )
        )
    for issued in issue_orders(db, account, orders, clock):
        t = issued.document.totals
        paid = D(orders[int(issued.document.order_reference.split("-")[1])]["lines"][0]["unit_price"]) * 3 + D("9.45")
        assert t.prepaid == paid  # what the customer paid: the basket as displayed
        assert t.payable == 0, (issued.document.number, t)
        with db.reading(account) as tx:
            assert settlement_of(tx, tx.documents.get(issued.document.number), date(2026, 11, 20)).status is Status.PAID


def test_pay_and_show_and_list_through_the_cli(cli: Cli) -> None:
    issued = cli.json("issue", cli.order_file("o.json", order_data(id="P-1")))[0]
    number, today = issued["number"], issued["issue_date"]
    receipt = cli.json("pay", number, "--paid-on", today, "--method", "transfer", "--amount", "100")
    assert receipt["status"] == "partially_paid" and receipt["artefact"]["name"] == "receipt-1.pdf"
    assert receipt["payment"]["amount"] == "100.00" and receipt["paid"] == "100.00"
    shown = cli.json("show", number)
    assert (shown["status"], shown["paid"]) == ("partially_paid", "100.00")
    assert [p["reference"] for p in shown["payments"]] == [""]
    done = cli("acquit", number, "--paid-on", today, "--method", "card", "--reference", "CB-42")
    assert "status: paid" in done.stdout and "Paid copy:" in done.stdout
    listed = cli.json("list")[0]
    assert (listed["status"], listed["remaining"]) == ("paid", "0.00")
    refused = cli("pay", number, "--paid-on", today, "--method", "card", code=2)  # nothing remains
    assert "PAYMENT-AMOUNT" in refused.stderr
    cli("refund", number, "--amount", "5.00", "--paid-on", today, "--method", "transfer")
    assert cli.json("show", number)["remaining"] == "5.00"
    assert "Ledger OK: 4 records" in cli("verify").stdout


@pytest.mark.parametrize("statement", ["UPDATE payments SET amount = '1.00'", "DELETE FROM payments"])
def test_database_rejects_changes_to_payments(db: Database, clock, invoice, statement: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    account, number, _ = invoice
    record_payment(_later(clock, 25), account, PaymentInput(number, date(2026, 11, 25), "card", D("10.00")))
    with pytest.raises(Exception, match="immutable"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with db.reading(account) as tx:
        assert settlement_of(tx, tx.documents.get(number), date(2026, 11, 25)).paid == D("10.00")


def test_a_payment_without_a_method_is_refused(db: Database, clock, invoice) -> None:  # type: ignore[no-untyped-def]
    account, number, _ = invoice
    with pytest.raises(InvalidInput) as refused:
        record_payment(_later(clock, 25), account, PaymentInput(number, date(2026, 11, 25), "  "))
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("PAYMENT-METHOD", "method")]
    with db.reading(account) as tx:
        assert tx.conn.exec_driver_sql("SELECT COUNT(*) FROM payments").scalar_one() == 0
