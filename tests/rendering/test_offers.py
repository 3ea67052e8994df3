"""Quotes and pro formas read as offers: no due date, no amount due, no bank details, no
payment terms; the validity date and a "bon pour accord" block; a pro forma says it is not an
invoice (CGI art. 289)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.rendering.samples import IBAN, baselines, fr_b2b, fr_b2c, long_invoice, page_texts
from tests.rendering.test_layout import BOTTOM_MARGIN_PT

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.rendering import build_view, render_pdf

VALID_UNTIL = date(2026, 11, 4)


def offer(
    document_type: DocumentType, base: Document | None = None, valid_until: date | None = VALID_UNTIL
) -> Document:
    return replace(base or fr_b2b(), document_type=document_type, number="D2026-000003", valid_until=valid_until)


def text_of(doc: Document, language: str) -> str:
    pages = page_texts(render_pdf(doc, language=language))
    assert len(pages) == 1
    return pages[0]


# What an invoice prints and an offer must not: the due date, the amount due, the bank
# details, the payment block, the B2B late-payment mentions (C. com. L441-10).
NOT_ON_OFFERS = {
    "fr": (
        "Date d'échéance",
        "Net à payer",
        "PAIEMENT",
        "À régler",
        "IBAN",
        "BIC",
        "pénalités",
        "Indemnité",
        "escompte",
    ),
    "en": (
        "Due date",
        "Amount due",
        "PAYMENT",
        "Payable no later",
        "IBAN",
        "BIC",
        "penalties",
        "compensation",
        "discount",
    ),
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_invoice_prints_what_offers_leave_out(language: str) -> None:
    """The list above is checked on an invoice first, so its absence below means something."""
    text = text_of(fr_b2b(), language)
    assert all(word in text for word in NOT_ON_OFFERS[language])


@pytest.mark.parametrize("document_type", [DocumentType.QUOTE, DocumentType.PROFORMA])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_offer_asks_for_no_payment(document_type: DocumentType, language: str) -> None:
    text = text_of(offer(document_type), language)
    for word in NOT_ON_OFFERS[language]:
        assert word not in text, word
    assert IBAN not in text
    assert ("Total TTC 623,76 €" if language == "fr" else "Total incl. VAT €623.76") in text


@pytest.mark.parametrize(
    ("document_type", "language", "expected"),
    [
        (DocumentType.QUOTE, "fr", ("Devis D2026-000003", "Devis valable jusqu'au 4 novembre 2026.")),
        (DocumentType.QUOTE, "en", ("Quote D2026-000003", "Quote valid until 4 November 2026.")),
        (DocumentType.PROFORMA, "fr", ("Facture pro forma NE VAUT PAS FACTURE", "ne vaut pas facture (CGI art. 289)")),
        (DocumentType.PROFORMA, "en", ("Pro forma invoice NOT A TAX INVOICE", "not a tax invoice")),
    ],
)
def test_an_offer_names_itself_and_its_validity(
    document_type: DocumentType, language: str, expected: tuple[str, ...]
) -> None:
    text = text_of(offer(document_type), language)
    for words in expected:
        assert words in text, words
    assert ("Valable jusqu'au 4 novembre 2026" if language == "fr" else "Valid until 4 November 2026") in text


@pytest.mark.parametrize("document_type", [DocumentType.QUOTE, DocumentType.PROFORMA])
def test_an_offer_has_an_acceptance_block(document_type: DocumentType) -> None:
    fr = text_of(offer(document_type), "fr")
    assert "BON POUR ACCORD" in fr
    assert "Date, signature et mention « Bon pour accord » Date : Nom et qualité du signataire : Signature :" in fr
    en = text_of(offer(document_type), "en")
    assert "ACCEPTED" in en and "Date, signature and the words “Accepted” Date: Name and position" in en


def test_invoices_have_no_acceptance_block_nor_offer_wording() -> None:
    view = build_view(fr_b2b(), "fr")
    assert view["acceptance"] is None and view["subtitle"] == ""
    text = text_of(fr_b2b(), "fr")
    assert "Bon pour accord" not in text and "valable" not in text.lower()


def test_a_consumer_quote_without_a_validity_date_still_has_the_block() -> None:
    view = build_view(offer(DocumentType.QUOTE, fr_b2c(), valid_until=None), "fr")
    assert view["acceptance"]["validity"] == ""
    assert view["payment"] == {"due": "", "note": "", "means": []}
    assert view["totals"]["payable_label"] == "Total TTC"
    assert all(label != "Date d'échéance" for label, _ in view["meta"])


def test_a_quote_gets_no_invoice_only_mentions() -> None:
    """Nature of the operation and VAT on debits are invoice mentions (CGI ann. II art. 242
    nonies A); the sample invoice has both."""
    invoice = build_view(fr_b2b(), "fr")["mentions"]
    quote = build_view(offer(DocumentType.QUOTE), "fr")["mentions"]
    assert any("Nature de l'opération" in m for m in invoice) and any("débits" in m for m in invoice)
    assert quote == []


@pytest.mark.parametrize("count", [24, 30, 36])
def test_the_acceptance_block_stays_with_the_totals_on_a_long_quote(count: int) -> None:
    pdf = render_pdf(offer(DocumentType.QUOTE, long_invoice(count)), language="fr")
    pages = page_texts(pdf)
    on = [i for i, text in enumerate(pages) if "Total TTC" in text]
    assert on == [i for i, text in enumerate(pages) if "BON POUR ACCORD" in text and "Signature :" in text]
    assert len(on) == 1
    for runs in baselines(pdf):
        assert all(y > BOTTOM_MARGIN_PT for y, text in runs if not text.startswith("Page ")), runs
