"""EN 16931 rules: a valid document has no violation; breaking one thing gives one rule.

Each test starts from the valid builder document, breaks exactly one thing and checks the
exact (rule id, field path) pairs `validate` returns. Where EN 16931 itself ties two rules
to the same fact (BR-CO-18 and BR-S-01, BR-S-02 and the French VAT-id mention), both are
expected.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.domain.codes import DocumentType, VatCategory
from facturier.domain.documents import DocumentReference, PriceMode, Status
from facturier.domain.validation import require_valid, validate

from .builders import consumer, document, german_buyer, line, restate, rule_paths, seller

D = Decimal
EXEMPT_REASON = "Exonération de TVA, article 261 du CGI"


def test_valid_documents_have_no_violation() -> None:
    assert validate(document()) == ()
    assert validate(document(lines=[line("1"), line("2", rate="5.5")], mode=PriceMode.GROSS)) == ()
    yen = document(lines=[line(price="1000", rate="10")], currency="JPY")
    assert validate(with_tax_accounting(yen, D("160"))) == ()  # BT-6 / BT-111: a French seller (BR-FR-CO-12)
    assert require_valid(document()) == document()


def test_every_violation_has_a_message_and_prints_its_rule() -> None:
    (violation,) = validate(document(seller=seller(name="")))
    assert violation.message
    assert str(violation).startswith("[BR-06] seller.name: ")


# --- header -------------------------------------------------------------------------------


def test_br_02_issued_without_number() -> None:
    assert rule_paths(document(status=Status.ISSUED)) == {("BR-02", "number")}


def test_br_06_seller_name() -> None:
    assert rule_paths(document(seller=seller(name="  "))) == {("BR-06", "seller.name")}


def test_br_07_buyer_name() -> None:
    assert rule_paths(document(buyer=consumer(name=""))) == {("BR-07", "buyer.name")}


def test_br_16_at_least_one_line() -> None:
    assert rule_paths(document(lines=[])) == {("BR-16", "lines")}


def test_br_cl_04_currency() -> None:
    assert rule_paths(replace(document(), currency="EURO")) == {("BR-CL-04", "currency")}


def test_br_cl_14_country() -> None:
    doc = document(buyer=german_buyer(address=replace(german_buyer().address, country="XX")))
    assert rule_paths(doc) == {("BR-CL-14", "buyer.address.country")}


def test_br_cl_14_country_is_upper_case() -> None:
    doc = document(seller=seller(address=replace(seller().address, country="fr")))
    assert ("BR-CL-14", "seller.address.country") in rule_paths(doc)


def test_br_co_25_due_date_or_terms_when_amount_due() -> None:
    doc = document(buyer=consumer())
    doc = replace(doc, payment_terms=replace(doc.payment_terms, due_date=None))
    assert rule_paths(doc) == {("BR-CO-25", "payment_terms.due_date")}
    with_note = replace(doc, payment_terms=replace(doc.payment_terms, note="Payé par carte"))
    assert validate(with_note) == ()


def test_br_co_25_not_for_quotes_nor_nothing_due() -> None:
    doc = document(buyer=consumer(), document_type=DocumentType.QUOTE)
    assert validate(replace(doc, payment_terms=replace(doc.payment_terms, due_date=None))) == ()
    paid = document(buyer=consumer(), prepaid=D("120.00"))
    assert validate(replace(paid, payment_terms=replace(paid.payment_terms, due_date=None))) == ()


def test_br_55_preceding_reference_number() -> None:
    doc = document(preceding=(DocumentReference("", date(2026, 9, 1)),))
    assert rule_paths(doc) == {("BR-55", "preceding[0].number")}


# --- lines --------------------------------------------------------------------------------


def test_br_21_line_identifier() -> None:
    assert rule_paths(document(lines=[line("")])) == {("BR-21", "lines[0].line_id")}


def test_br_21_duplicate_line_identifier() -> None:
    assert rule_paths(document(lines=[line("1"), line("1")])) == {("BR-21", "lines[1].line_id")}


def test_br_25_item_name() -> None:
    assert rule_paths(document(lines=[line(name=" ")])) == {("BR-25", "lines[0].name")}


def test_br_27_negative_price() -> None:
    doc = document(lines=[line("1", price="100.00"), line("2", price="-10.00")])
    assert rule_paths(doc) == {("BR-27", "lines[1].net_price")}


def test_br_27_base_quantity() -> None:
    doc = document()
    doc = replace(doc, lines=(replace(doc.lines[0], base_quantity=D(0)),))
    assert rule_paths(doc) == {("BR-27", "lines[0].base_quantity")}


def test_br_cl_23_unit_code() -> None:
    assert rule_paths(document(lines=[line(unit_code="PCS")])) == {("BR-CL-23", "lines[0].unit_code")}


def test_line_net_amount_is_quantity_times_price() -> None:
    doc = document()
    doc = replace(doc, lines=(replace(doc.lines[0], net_price=D("100.01")),))
    assert rule_paths(doc) == {("BR-LINE-NET", "lines[0].net_amount")}


# --- VAT categories -----------------------------------------------------------------------


def test_br_s_05_standard_rate_must_be_positive() -> None:
    assert rule_paths(document(lines=[line(rate="0")])) == {("BR-S-05", "lines[0].vat_rate")}


@pytest.mark.parametrize(
    ("category", "rule"),
    [
        (VatCategory.ZERO, "BR-Z-05"),
        (VatCategory.EXEMPT, "BR-E-05"),
        (VatCategory.OUTSIDE_SCOPE, "BR-O-05"),
    ],
)
def test_br_x_05_rate_must_be_zero(category: VatCategory, rule: str) -> None:
    doc = document(lines=[line(rate="20", category=category, exemption_reason=EXEMPT_REASON)])
    assert rule_paths(doc) == {(rule, "lines[0].vat_rate")}


@pytest.mark.parametrize(
    ("category", "rule"),
    [
        (VatCategory.STANDARD, "BR-S-08"),
        (VatCategory.ZERO, "BR-Z-08"),
        (VatCategory.EXEMPT, "BR-E-08"),
    ],
)
def test_br_x_08_taxable_amount(category: VatCategory, rule: str) -> None:
    rate = "20" if category is VatCategory.STANDARD else "0"
    doc = document(lines=[line(rate=rate, category=category, exemption_reason=EXEMPT_REASON)])
    (b,) = doc.vat_breakdown
    taxable = b.taxable_amount + D("0.05")
    tax = (taxable * b.rate / 100).quantize(D("0.01"))
    doc = replace(doc, vat_breakdown=(replace(b, taxable_amount=taxable, tax_amount=tax),))
    doc = replace(doc, totals=restate(doc.totals, tax_total=tax))
    assert rule_paths(doc) == {(rule, "vat_breakdown[0].taxable_amount")}


def test_br_x_08_counts_document_allowances_and_charges() -> None:
    from facturier.domain.pricing import AdjustmentInput

    doc = document(adjustments=[AdjustmentInput(True, amount=D("5.00"), reason="Frais de port")])
    assert validate(doc) == ()
    (adj,) = doc.allowances_charges
    doc = replace(doc, allowances_charges=(replace(adj, vat_rate=D("5.5")),))
    assert ("BR-S-08", "vat_breakdown[0].taxable_amount") in rule_paths(doc)
    assert ("BR-S-01", "vat_breakdown") in rule_paths(doc)


@pytest.mark.parametrize(
    ("category", "rule"),
    [
        (VatCategory.EXEMPT, "BR-E-10"),
        (VatCategory.REVERSE_CHARGE, "BR-AE-10"),
        (VatCategory.EXPORT, "BR-G-10"),
        (VatCategory.OUTSIDE_SCOPE, "BR-O-10"),
    ],
)
def test_br_x_10_exemption_reason(category: VatCategory, rule: str) -> None:
    doc = document(lines=[line(rate="0", category=category)])
    assert rule_paths(doc) == {(rule, "vat_breakdown[0].exemption_reason")}


def test_exemption_code_alone_is_enough() -> None:
    doc = document(lines=[line(rate="0", category=VatCategory.EXEMPT, exemption_code="VATEX-EU-132")])
    assert validate(doc) == ()


def test_br_s_02_seller_vat_id() -> None:
    doc = document(seller=seller(vat_id=""))
    assert rule_paths(doc) == {("BR-S-02", "seller.vat_id"), ("FR-CGI-242NA-VATID", "seller.vat_id")}


def test_br_co_18_at_least_one_breakdown() -> None:
    doc = document()
    doc = replace(doc, vat_breakdown=(), totals=restate(doc.totals, tax_total=D(0)))
    assert rule_paths(doc) == {("BR-CO-18", "vat_breakdown"), ("BR-S-01", "vat_breakdown")}


def test_br_ae_02_buyer_identifier() -> None:
    ae = line(rate="0", category=VatCategory.REVERSE_CHARGE, exemption_reason="Autoliquidation")
    assert validate(document(lines=[ae], buyer=german_buyer())) == ()
    doc = document(lines=[ae], buyer=german_buyer(vat_id=""))
    assert rule_paths(doc) == {("BR-AE-02", "buyer.vat_id"), ("FR-CGI-242NA-VATID-BUYER", "buyer.vat_id")}


def test_br_ae_02_a_siren_is_a_legal_registration_identifier() -> None:
    ae = line(rate="0", category=VatCategory.REVERSE_CHARGE, exemption_reason="Autoliquidation")
    doc = document(lines=[ae], buyer=german_buyer(vat_id="", siren="552100554"))
    # BR-AE-02 is satisfied by the registration id; the French VAT-id mention is not
    assert rule_paths(doc) == {("FR-CGI-242NA-VATID-BUYER", "buyer.vat_id")}
    doc = document(lines=[ae])  # French buyer with SIREN and VAT id
    assert validate(replace(doc, buyer=replace(doc.buyer, vat_id=""))) == ()


class TestIntraCommunity:
    K = line(rate="0", category=VatCategory.INTRA_COMMUNITY, exemption_code="VATEX-EU-IC")

    def valid(self) -> object:
        from facturier.domain.parties import Address

        return document(
            lines=[self.K],
            buyer=german_buyer(),
            delivery_date=date(2026, 9, 28),
            delivery_address=Address("Lager 3", "Hamburg", "20095", "DE"),
        )

    def test_valid(self) -> None:
        assert validate(self.valid()) == ()  # type: ignore[arg-type]

    def test_br_ic_02_buyer_vat_id(self) -> None:
        doc = self.valid()
        doc = replace(doc, buyer=german_buyer(vat_id=""))  # type: ignore[type-var]
        assert rule_paths(doc) == {  # type: ignore[arg-type]
            ("BR-IC-02", "buyer.vat_id"),
            ("FR-CGI-242NA-VATID-BUYER", "buyer.vat_id"),
        }

    def test_br_ic_11_delivery_date(self) -> None:
        doc = replace(self.valid(), delivery_date=None)  # type: ignore[type-var]
        assert rule_paths(doc) == {("BR-IC-11", "delivery_date")}  # type: ignore[arg-type]

    def test_br_ic_12_delivery_country(self) -> None:
        doc = replace(self.valid(), delivery_address=None)  # type: ignore[type-var]
        assert rule_paths(doc) == {("BR-IC-12", "delivery_address.country")}  # type: ignore[arg-type]


# --- arithmetic (exact, to the cent) --------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "rule"),
    [
        ("line_total", "BR-CO-10"),
        ("allowance_total", "BR-CO-11"),
        ("charge_total", "BR-CO-12"),
        ("tax_exclusive", "BR-CO-13"),
        ("tax_total", "BR-CO-14"),
        ("tax_inclusive", "BR-CO-15"),
        ("payable", "BR-CO-16"),
    ],
)
def test_br_co_10_to_16(field: str, rule: str) -> None:
    doc = document()
    wrong = getattr(doc.totals, field) + D("0.01")
    doc = replace(doc, totals=restate(doc.totals, **{field: wrong}))
    assert rule_paths(doc) == {(rule, f"totals.{field}")}


def test_br_co_17_vat_per_rate() -> None:
    doc = document(lines=[line("1"), line("2", price="49.90", rate="5.5")])
    b = doc.vat_breakdown[1]
    assert b.tax_amount == D("2.74")
    doc = replace(doc, vat_breakdown=(doc.vat_breakdown[0], replace(b, tax_amount=D("2.75"))))
    doc = replace(doc, totals=restate(doc.totals, tax_total=doc.totals.tax_total + D("0.01")))
    assert rule_paths(doc) == {("BR-CO-17", "vat_breakdown[1].tax_amount")}


def test_br_co_17_has_no_tolerance() -> None:
    """The official schematron tolerates +/-1.00; we check to the cent."""
    doc = document()
    (b,) = doc.vat_breakdown
    doc = replace(doc, vat_breakdown=(replace(b, tax_amount=b.tax_amount - D("0.01")),))
    doc = replace(doc, totals=restate(doc.totals, tax_total=doc.totals.tax_total - D("0.01")))
    assert [v.rule_id for v in validate(doc)] == ["BR-CO-17"]


# --- decimals -----------------------------------------------------------------------------


def test_br_dec_prepaid_and_rounding() -> None:
    doc = document()
    doc = replace(doc, totals=replace(doc.totals, prepaid=D("0.005"), rounding=D("0.005")))
    assert rule_paths(doc) == {("BR-DEC-16", "totals.prepaid"), ("BR-DEC-17", "totals.rounding")}


def test_br_dec_document_allowance_amount() -> None:
    from facturier.domain.pricing import AdjustmentInput

    adj = AdjustmentInput(False, amount=D("1.005"), vat_category=VatCategory.STANDARD, vat_rate=D(20))
    paths = rule_paths(document(adjustments=[adj]))
    assert ("BR-DEC-01", "allowances_charges[0].amount") in paths
    assert {rule for rule, _ in paths} <= {f"BR-DEC-{n:02d}" for n in range(1, 29)} | {"BR-CO-17"}


def test_br_dec_yen_has_no_decimals() -> None:
    doc = with_tax_accounting(document(lines=[line(price="1000", rate="10")], currency="JPY"), D("160"))
    doc = replace(doc, totals=replace(doc.totals, prepaid=D("0.5"), rounding=D("0.5")))
    assert rule_paths(doc) == {("BR-DEC-16", "totals.prepaid"), ("BR-DEC-17", "totals.rounding")}


def test_br_dec_line_allowance() -> None:
    from facturier.domain.pricing import AdjustmentInput

    doc = document(lines=[line(adjustments=(AdjustmentInput(False, amount=D("0.001")),))])
    assert ("BR-DEC-24", "lines[0].allowances[0].amount") in rule_paths(doc)


def test_credit_note_with_reference_is_valid() -> None:
    ref = DocumentReference("F2026-000001", date(2026, 9, 1))
    assert validate(document(document_type=DocumentType.CREDIT_NOTE, preceding=(ref,))) == ()
