"""Down payments and final invoices, corrective invoices, credit notes by amount, quotes:
the document kinds of an order, through the issuing services, on both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.factories import new_account, order

from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput, NotFound
from facturier.services.credit import credit_note_draft, credit_submission
from facturier.services.issuing import Issuer, issue, order_submission
from facturier.services.quotes import conversion_submission, converted
from facturier.storage.database import Database

TODAY = date(2026, 11, 20)  # the clock fixture's day


def _issue(db: Database, account: str, clock, **fields):  # type: ignore[no-untyped-def]
    return issue(Issuer(db, clock), account, [order_submission(order(**fields))])[0].document


def _issue_submission(db: Database, account: str, clock, submission):  # type: ignore[no-untyped-def]
    return issue(Issuer(db, clock), account, [submission])[0].document


def test_down_payment_then_final_invoice_deducts_it(db: Database, clock) -> None:
    account = new_account(db)
    deposit = _issue(
        db, account, clock, id="D-1", kind="down_payment", deposit={"percent": "30"}, order_reference="PRJ-1"
    )
    assert deposit.document_type is DocumentType.DOWN_PAYMENT and deposit.number == "AC2026-000001"
    final = _issue(db, account, clock, id="F-1", kind="final_invoice", order_reference="PRJ-1")
    assert final.totals.prepaid == deposit.totals.tax_inclusive  # BT-113
    assert final.totals.payable == final.totals.tax_inclusive - deposit.totals.tax_inclusive
    assert [p.number for p in final.preceding] == ["AC2026-000001"]
    # the deposit is 30 % of the order, VAT included, exactly
    assert deposit.totals.tax_inclusive == (final.totals.tax_inclusive * Decimal("0.30")).quantize(Decimal("0.01"))


def test_deposit_by_amount_over_mixed_rates_adds_up_exactly(db: Database, clock) -> None:
    account = new_account(db)
    lines = [
        {"name": "Livre", "quantity": "3", "unit_price": "19.90", "vat_rate": "5.5"},
        {"name": "Lampe", "quantity": "1", "unit_price": "89.90", "vat_rate": "20"},
    ]
    deposit = _issue(db, account, clock, id="D-2", kind="down_payment", lines=lines, deposit={"amount": "50.00"})
    assert deposit.totals.tax_inclusive == Decimal("50.00")
    assert {b.rate for b in deposit.vat_breakdown} == {Decimal("5.5"), Decimal("20")}


def test_final_invoice_without_down_payment_is_refused(db: Database, clock) -> None:
    account = new_account(db)
    with pytest.raises(InvalidInput) as error:
        _issue(db, account, clock, id="F-2", kind="final_invoice", order_reference="NOPE")
    assert error.value.violations[0].rule_id == "FINAL-NO-DEPOSIT"


def test_deposit_larger_than_the_order_is_refused(db: Database, clock) -> None:
    account = new_account(db)
    with pytest.raises(InvalidInput) as error:
        _issue(db, account, clock, id="D-3", kind="down_payment", deposit={"amount": "99999.00"})
    assert (error.value.violations[0].rule_id, error.value.violations[0].path) == ("DEPOSIT-AMOUNT", "deposit.amount")


def test_corrective_invoice_refers_to_the_invoice(db: Database, clock) -> None:
    account = new_account(db)
    invoice = _issue(db, account, clock, id="I-1")
    corrective = _issue(db, account, clock, id="C-1", kind="corrective", corrects=invoice.number)
    assert corrective.number == "FR2026-000001"
    assert corrective.preceding[0].number == invoice.number
    with pytest.raises(InvalidInput):
        _issue(db, account, clock, id="C-2", kind="corrective")  # must name the invoice


def test_credit_note_by_amount_is_exact_and_bounded(db: Database, clock) -> None:
    account = new_account(db)
    lines = [
        {"name": "Livre", "quantity": "2", "unit_price": "20.00", "vat_rate": "5.5"},
        {"name": "Lampe", "quantity": "1", "unit_price": "80.00", "vat_rate": "20"},
    ]
    invoice = _issue(db, account, clock, id="I-2", lines=lines)
    credit = _issue_submission(db, account, clock, credit_submission(invoice.number, amount=Decimal("33.33")))
    assert credit.totals.payable == Decimal("33.33")
    assert {(b.category, b.rate) for b in credit.vat_breakdown} == {(b.category, b.rate) for b in invoice.vat_breakdown}
    remaining = invoice.totals.tax_inclusive - credit.totals.tax_inclusive
    with db.transaction(account) as tx, pytest.raises(InvalidInput) as error:
        credit_note_draft(tx, tx.profile(), invoice.number, TODAY, amount=remaining + Decimal("0.01"))
    assert error.value.violations[0].rule_id == "FR-CREDIT-REMAINING"
    _issue_submission(db, account, clock, credit_submission(invoice.number, amount=remaining))  # exactly what remains


def test_credit_note_of_a_credit_note_is_refused(db: Database, clock) -> None:
    account = new_account(db)
    invoice = _issue(db, account, clock, id="I-3")
    credit = _issue(db, account, clock, id="R-3", kind="credit_note", corrects=invoice.number)
    assert credit.totals.tax_inclusive == invoice.totals.tax_inclusive
    with db.transaction(account) as tx, pytest.raises(InvalidInput) as error:
        credit_note_draft(tx, tx.profile(), credit.number, TODAY)
    assert error.value.violations[0].rule_id == "FR-CREDIT-TARGET"
    with db.transaction(account) as tx, pytest.raises(NotFound):
        credit_note_draft(tx, tx.profile(), "F2099-000001", TODAY)


def test_quote_converts_once_and_expires(db: Database, clock) -> None:
    account = new_account(db)
    quote = _issue(db, account, clock, id="Q-1", kind="quote")
    assert quote.valid_until == date(2026, 12, 20)
    invoice = _issue_submission(db, account, clock, conversion_submission(quote.number))
    assert invoice.document_type is DocumentType.INVOICE and invoice.lines == quote.lines
    assert any(quote.number in note for note in invoice.notes)
    late = date(2027, 1, 15)
    with db.reading(account) as tx, pytest.raises(InvalidInput) as error:
        converted(tx, tx.profile(), quote.number, late)
    assert error.value.violations[0].rule_id == "QUOTE-EXPIRED"


def test_a_corrective_without_the_invoice_it_corrects_is_refused_and_numbers_nothing(db: Database, clock) -> None:
    account = new_account(db)
    invoice = _issue(db, account, clock, id="I-9")
    with pytest.raises(InvalidInput) as refused:
        _issue(db, account, clock, id="C-9", kind="corrective")
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("FR-CGI-289-REF", "corrects")]
    corrective = _issue(db, account, clock, id="C-10", kind="corrective", corrects=invoice.number)
    assert corrective.number == "FR2026-000001"  # the refused one took no number


@pytest.mark.parametrize("deposit", [{}, {"percent": "30", "amount": "100.00"}], ids=["neither", "both"])
def test_a_down_payment_needs_exactly_one_of_percent_or_amount(db: Database, clock, deposit) -> None:  # type: ignore[no-untyped-def]
    account = new_account(db)
    with pytest.raises(InvalidInput) as refused:
        _issue(db, account, clock, id="D-9", kind="down_payment", deposit=deposit)
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [("DEPOSIT-AMOUNT", "deposit")]
    with db.reading(account) as tx:
        assert tx.documents.count() == 0
