"""read(write(doc)) == doc, and repeated writes give identical bytes.

Not carried by any syntax: `price_mode` (EN 16931 has net prices only; a reader returns
NET) and the exchange rate behind BT-111 (BT-6 and BT-111 are read back, the rate is
None). BASIC and BASIC WL lose more; `basic_view` states exactly what.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.einvoice.scenarios import ORIGINAL, SCENARIOS, build, line

from facturier.domain.codes import DocumentType, SupplyNature, VatCategory
from facturier.domain.documents import Document, PaymentMeans, PriceMode, Totals
from facturier.domain.parties import Contact
from facturier.domain.pricing import AdjustmentInput
from facturier.einvoice import semantic
from facturier.einvoice.cii.reader import read_cii
from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.profiles import Profile
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.ubl.reader import read_ubl
from facturier.einvoice.ubl.writer import write_ubl


def net(doc: Document) -> Document:
    accounting = doc.tax_accounting
    rate_dropped = replace(accounting, exchange_rate=None) if accounting is not None else None
    return replace(doc, price_mode=PriceMode.NET, tax_accounting=rate_dropped)


@pytest.mark.parametrize("profile", [Profile.EN16931, Profile.EXTENDED])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cii_round_trip(name: str, profile: Profile) -> None:
    doc = SCENARIOS[name]()
    assert read_cii(write_cii(doc, profile)) == net(doc)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ubl_round_trip(name: str) -> None:
    doc = SCENARIOS[name]()
    assert read_ubl(write_ubl(doc)) == net(doc)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_read_einvoice_detects_the_syntax(name: str) -> None:
    doc = net(SCENARIOS[name]())
    assert read_einvoice(write_cii(doc)) == doc
    assert read_einvoice(write_ubl(doc)) == doc


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_writes_are_byte_identical(name: str) -> None:
    assert write_cii(SCENARIOS[name]()) == write_cii(SCENARIOS[name]())
    assert write_ubl(SCENARIOS[name]()) == write_ubl(SCENARIOS[name]())


def basic_view(doc: Document, profile: Profile) -> Document:
    """What BASIC carries: no BT-33 (legal form, capital, RCS), no contacts (BG-6/BG-9), no
    item id (BT-155) or description (BT-154) or "Nature" attribute, no card (BT-87), BIC
    (BT-86) or account name (BT-85), no rounding amount (BT-114). BASIC WL: also no lines."""
    default = semantic.default_line_nature(semantic.business_process(doc))
    seller = replace(doc.seller, legal_form="", share_capital=None, rcs="", contact=Contact())
    lines = tuple(replace(x, seller_item_id="", description="", nature=default) for x in doc.lines)
    means = tuple(replace(m, card_last4="", bic="", account_name="") for m in doc.payment_terms.means)
    totals: Totals = replace(doc.totals, rounding=Decimal(0))
    return replace(
        net(doc),
        seller=seller,
        buyer=replace(doc.buyer, contact=Contact()),
        lines=lines if profile is Profile.BASIC else (),
        payment_terms=replace(doc.payment_terms, means=means),
        totals=totals,
    )


@pytest.mark.parametrize("profile", [Profile.BASIC, Profile.BASIC_WL])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_basic_profiles_round_trip_the_fields_they_carry(name: str, profile: Profile) -> None:
    doc = SCENARIOS[name]()
    assert read_cii(write_cii(doc, profile)) == basic_view(doc, profile)


def test_quotes_are_not_e_invoiced() -> None:
    from facturier.einvoice.errors import NotEInvoiceable

    quote = replace(SCENARIOS["domestic_b2b"](), document_type=DocumentType.QUOTE)
    with pytest.raises(NotEInvoiceable):
        write_cii(quote)
    with pytest.raises(NotEInvoiceable):
        write_ubl(quote)


# --- property: random priced documents ------------------------------------------------------

_TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "Pd", "Po"), exclude_characters="#"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_RATES = st.sampled_from(["20", "10", "5.5", "2.1"])
_QUANTITIES = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10000), places=4)
_PRICES = st.decimals(min_value=Decimal(0), max_value=Decimal(100000), places=6)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    count = draw(st.integers(min_value=1, max_value=5))
    entered = []
    for index in range(1, count + 1):
        adjustments = draw(
            st.lists(
                st.builds(
                    AdjustmentInput,
                    is_charge=st.booleans(),
                    percentage=st.decimals(min_value=Decimal(0), max_value=Decimal(50), places=2),
                    reason=_TEXT,
                ),
                max_size=2,
            )
        )
        entered.append(
            line(
                str(index),
                str(draw(_QUANTITIES)),
                str(draw(_PRICES)),
                draw(_RATES),
                name=draw(_TEXT),
                description=draw(st.one_of(st.just(""), _TEXT)),
                nature=draw(st.sampled_from(list(SupplyNature))),
                adjustments=tuple(adjustments),
            )
        )
    document_type = draw(st.sampled_from([t for t in DocumentType if t.is_fiscal]))
    doc = build(
        entered,
        mode=draw(st.sampled_from(list(PriceMode))),
        document_type=document_type,
        preceding=(ORIGINAL,) if document_type in (DocumentType.CREDIT_NOTE, DocumentType.CORRECTIVE) else (),
        notes=tuple(draw(st.lists(_TEXT, max_size=2))),
        mentions=tuple(draw(st.lists(_TEXT, max_size=2))),
        vat_on_debits=draw(st.booleans()),
    )
    means = PaymentMeans(
        doc.payment_terms.means[0].code, iban=doc.payment_terms.means[0].iban, account_name=draw(_TEXT)
    )
    return replace(doc, payment_terms=replace(doc.payment_terms, means=(means,)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_round_trip_property(doc: Document) -> None:
    assert read_cii(write_cii(doc)) == net(doc)
    assert read_cii(write_cii(doc, Profile.EXTENDED)) == net(doc)
    assert read_ubl(write_ubl(doc)) == net(doc)
    assert write_cii(doc) == write_cii(doc)


def test_intra_community_uses_k() -> None:
    doc = SCENARIOS["intra_eu_goods_k"]()
    assert {b.category for b in doc.vat_breakdown} == {VatCategory.INTRA_COMMUNITY}
