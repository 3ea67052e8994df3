"""French rules (seller established in France): identity, buyer SIREN, payment terms,
credit notes, positive quantities, credit within what remains of the invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from facturier.domain.codes import DocumentType, VatCategory
from facturier.domain.documents import DocumentReference
from facturier.domain.rules_france import REFORM_MENTIONS_FROM, latest_due_date
from facturier.domain.validation import check_credit_within_remaining, validate

from .builders import ISSUE_DATE, buyer, consumer, document, german_buyer, line, rule_paths, seller, terms

D = Decimal


# --- identifiers ---------------------------------------------------------------------------


def test_siren_checksum() -> None:
    doc = document(seller=seller(siren="732829321", siret=""))
    assert rule_paths(doc) == {("FR-SIREN", "seller.siren")}


def test_buyer_siren_checksum() -> None:
    assert rule_paths(document(buyer=german_buyer(siren="123456789"))) == {("FR-SIREN", "buyer.siren")}


def test_siren_with_spaces_is_accepted() -> None:
    assert validate(document(seller=seller(siren="732 829 320"))) == ()


def test_siret_checksum() -> None:
    assert rule_paths(document(seller=seller(siret="73282932000075"))) == {("FR-SIRET", "seller.siret")}


def test_siret_must_start_with_the_siren() -> None:
    doc = document(seller=seller(siret="55210055400013"))  # a valid SIRET of another company
    assert rule_paths(doc) == {("FR-SIRET", "seller.siret")}


def test_vat_id_checksum() -> None:
    assert rule_paths(document(buyer=german_buyer(vat_id="DE136695975"))) == {("EU-VATID", "buyer.vat_id")}


@pytest.mark.parametrize("field", ["line1", "city"])
def test_address_completeness(field: str) -> None:
    address = replace(seller().address, **{field: ""})
    assert rule_paths(document(seller=seller(address=address))) == {("FR-CGI-242NA-ADDRESS", f"seller.address.{field}")}


# --- C. com. R123-237: company identity ----------------------------------------------------


def test_r123_237_siren() -> None:
    assert rule_paths(document(seller=seller(siren="", siret=""))) == {("FR-R123-237-SIREN", "seller.siren")}


def test_r123_237_capital() -> None:
    doc = document(seller=seller(share_capital=None))
    assert rule_paths(doc) == {("FR-R123-237-CAPITAL", "seller.share_capital")}


def test_r123_237_rcs() -> None:
    assert rule_paths(document(seller=seller(rcs=""))) == {("FR-R123-237-RCS", "seller.rcs")}


def test_r123_237_sole_trader_needs_neither_capital_nor_rcs() -> None:
    doc = document(seller=seller(legal_form="EI", share_capital=None, rcs=""))
    assert validate(doc) == ()


def test_r123_237_legal_form_is_case_insensitive() -> None:
    assert rule_paths(document(seller=seller(legal_form="sarl", rcs=""))) == {("FR-R123-237-RCS", "seller.rcs")}


def test_r123_237_applies_to_quotes_too() -> None:
    doc = document(seller=seller(rcs=""), document_type=DocumentType.QUOTE)
    assert rule_paths(doc) == {("FR-R123-237-RCS", "seller.rcs")}


def test_foreign_seller_is_not_checked_against_french_rules() -> None:
    foreign = seller(address=replace(seller().address, country="DE"), siren="", siret="", vat_id="DE136695976", rcs="")
    assert validate(document(seller=foreign)) == ()


# --- buyer SIREN from 2026-09-01 (décret n° 2022-1299) -------------------------------------


def test_buyer_siren_required_from_the_reform_date() -> None:
    doc = document(buyer=buyer(siren=""))
    assert rule_paths(doc) == {("FR-CGI-242NA-SIREN-BUYER", "buyer.siren")}


def test_buyer_siren_not_required_before_the_reform_date() -> None:
    day_before = REFORM_MENTIONS_FROM - timedelta(days=1)
    doc = document(issue_date=day_before)
    assert validate(replace(doc, buyer=replace(doc.buyer, siren=""))) == ()
    on_the_day = document(issue_date=REFORM_MENTIONS_FROM)
    assert rule_paths(replace(on_the_day, buyer=replace(on_the_day.buyer, siren=""))) == {
        ("FR-CGI-242NA-SIREN-BUYER", "buyer.siren")
    }


def test_consumers_and_foreign_buyers_need_no_siren() -> None:
    assert validate(document(buyer=consumer())) == ()
    assert validate(document(buyer=german_buyer())) == ()


# --- C. com. L441-9, L441-10, D441-5: payment terms between businesses -----------------------


def with_terms(**changes: object) -> object:
    return document(payment_terms=terms(**changes))


def test_due_date_required_between_businesses() -> None:
    doc = with_terms(due_date=None, note="30 jours")
    assert rule_paths(doc) == {("FR-L441-9-DUE", "payment_terms.due_date")}  # type: ignore[arg-type]


def test_due_date_not_before_issue() -> None:
    doc = with_terms(due_date=ISSUE_DATE - timedelta(days=1))
    assert rule_paths(doc) == {("FR-L441-10-DUE", "payment_terms.due_date")}  # type: ignore[arg-type]
    assert validate(with_terms(due_date=ISSUE_DATE)) == ()  # type: ignore[arg-type]


def test_due_date_at_most_the_legal_limit() -> None:
    limit = latest_due_date(ISSUE_DATE)
    assert validate(with_terms(due_date=limit)) == ()  # type: ignore[arg-type]
    late = with_terms(due_date=limit + timedelta(days=1))
    assert rule_paths(late) == {("FR-L441-10-DUE", "payment_terms.due_date")}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("issued", "latest"),
    [
        (date(2026, 1, 15), date(2026, 3, 31)),  # +45 d = 1 March -> end of March beats +60 d and 17 March
        (date(2026, 1, 31), date(2026, 4, 1)),  # +60 d = 1 April beats 31 March and 17 March
        (date(2026, 1, 1), date(2026, 3, 17)),  # end of January + 45 d beats +60 d (2 March) and 28 Feb
        (date(2024, 1, 14), date(2024, 3, 16)),  # leap year: 31 Jan + 45 d = 16 March; +60 d = 14 March
        (date(2026, 11, 20), date(2027, 1, 31)),  # across the year: 4 Jan -> 31 Jan beats 14 Jan
        (date(2026, 10, 1), date(2026, 12, 15)),  # 31 Oct + 45 d = 15 Dec beats 30 Nov
    ],
)
def test_latest_due_date_60_days_or_45_days_end_of_month(issued: date, latest: date) -> None:
    assert latest_due_date(issued) == latest


def test_due_date_rule_does_not_apply_to_consumers() -> None:
    doc = document(buyer=consumer(), payment_terms=terms(late_penalty_rate=None, recovery_indemnity=None))
    assert validate(replace(doc, payment_terms=replace(doc.payment_terms, due_date=date(2027, 12, 31)))) == ()


def test_penalty_rate_required() -> None:
    doc = with_terms(late_penalty_rate=None)
    assert rule_paths(doc) == {("FR-L441-9-PENALTY", "payment_terms.late_penalty_rate")}  # type: ignore[arg-type]


@pytest.mark.parametrize("indemnity", [None, D(0), D(30), D("40.01")])
def test_recovery_indemnity_is_40_eur(indemnity: Decimal | None) -> None:
    doc = with_terms(recovery_indemnity=indemnity)
    assert rule_paths(doc) == {("FR-D441-5-INDEMNITY", "payment_terms.recovery_indemnity")}  # type: ignore[arg-type]


def test_recovery_indemnity_40_with_decimals_is_accepted() -> None:
    assert validate(with_terms(recovery_indemnity=D("40.00"))) == ()  # type: ignore[arg-type]


# --- CGI art. 289 I: credit notes and corrective invoices ----------------------------------


@pytest.mark.parametrize("document_type", [DocumentType.CREDIT_NOTE, DocumentType.CORRECTIVE])
def test_credit_note_refers_to_its_invoice(document_type: DocumentType) -> None:
    assert rule_paths(document(document_type=document_type)) == {("FR-CGI-289-REF", "preceding")}
    ref = DocumentReference("F2026-000001", date(2026, 9, 1))
    assert validate(document(document_type=document_type, preceding=(ref,))) == ()


@pytest.mark.parametrize("quantity", ["0", "-1"])
def test_quantities_are_positive(quantity: str) -> None:
    assert rule_paths(document(lines=[line(quantity=quantity)])) == {("FR-QTY-POSITIVE", "lines[0].quantity")}


def test_quantity_rule_names_the_document_type() -> None:
    (violation,) = validate(document(lines=[line(quantity="-1")], document_type=DocumentType.DOWN_PAYMENT))
    assert "down-payment invoice" in violation.message


@pytest.mark.parametrize(
    ("credit", "remaining", "violates"),
    [("100.00", "100.00", False), ("99.99", "100.00", False), ("100.01", "100.00", True), ("0.01", "0", True)],
)
def test_credit_within_remaining(credit: str, remaining: str, violates: bool) -> None:
    result = check_credit_within_remaining(D(credit), D(remaining), "F2026-000001")
    if violates:
        (v,) = result
        assert (v.rule_id, v.path) == ("FR-CREDIT-REMAINING", "totals.tax_inclusive")
        assert "F2026-000001" in v.message
    else:
        assert result == ()


def test_seller_vat_id_not_required_when_no_vat_is_charged() -> None:
    outside = line(rate="0", category=VatCategory.OUTSIDE_SCOPE, exemption_reason="Hors champ")
    doc = document(lines=[outside], seller=seller(vat_id=""))
    assert validate(doc) == ()  # no VAT charged, category O needs no seller VAT id


def test_all_problems_are_returned_at_once() -> None:
    doc = document(seller=seller(name="", rcs=""), payment_terms=terms(late_penalty_rate=None))
    assert rule_paths(doc) == {
        ("BR-06", "seller.name"),
        ("FR-R123-237-RCS", "seller.rcs"),
        ("FR-L441-9-PENALTY", "payment_terms.late_penalty_rate"),
    }
