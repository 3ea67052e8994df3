"""A French document is French down to its numbers ("TVA 5,5 %", "1 234,56 €"), an English one is
English throughout, including the texts issuing generated in the order's language (tax
mentions, the paid-at-checkout note, the VIES note, default charge reasons, down-payment line
names): `rendering.wording` re-words them for the reader."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from tests.rendering.samples import GERMAN_BUYER, ISSUED, SELLER, TRANSFER, _line, page_texts

from facturier.domain.codes import DocumentType, VatCategory
from facturier.domain.documents import Document, DocumentReference, PaymentTerms, PriceMode
from facturier.domain.lifecycle import issue
from facturier.domain.pricing import AdjustmentInput, price_document
from facturier.rendering import render_pdf
from facturier.rendering.formatting import Formatter
from facturier.rendering.i18n import catalogue
from facturier.rendering.wording import STORED_METHODS, paid_note, reword
from facturier.tax.mentions import known_mentions, mention

D = Decimal
VIES_NOTE = "Contrôle VIES du numéro de TVA DE136695976 le 2026-10-05 : valid, référence de consultation WAPIAAAAW"
EXPORT_FR = mention("EXPORT", seller_is_fr=True)


def engine_document() -> Document:
    """A B2B invoice to a German buyer as issuing writes it for an order left in French (the
    order format's default language): French tax mention, notes and generated names."""
    lines = [
        _line(1, "Brass desk lamp", "1", "1234.56"),
        _line(2, "Acompte sur commande PO-7781 (TVA 5.5 %)", "1", "100.00", rate="5.5"),
    ]
    shipping = AdjustmentInput(
        True,
        amount=D("12.00"),
        reason="Frais de port",
        reason_code="FC",
        vat_category=VatCategory.STANDARD,
        vat_rate=D("20"),
    )
    priced = price_document(lines, [shipping], PriceMode.NET, "EUR")
    terms = PaymentTerms(due_date=ISSUED, means=(TRANSFER,), note=paid_note("card", ISSUED, "ch_1"))
    draft = Document(
        document_type=DocumentType.INVOICE,
        currency="EUR",
        seller=SELLER,
        buyer=GERMAN_BUYER,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=ISSUED,
        allowances_charges=priced.allowances_charges,
        payment_terms=terms,
        notes=(VIES_NOTE,),
        mentions=(EXPORT_FR.fr,),
    )
    return issue(draft, "F2026-000050", ISSUED)


@pytest.fixture(scope="module")
def french() -> str:
    return " ".join(page_texts(render_pdf(engine_document(), language="fr")))


@pytest.fixture(scope="module")
def english() -> str:
    return " ".join(page_texts(render_pdf(engine_document(), language="en")))


def test_french_numbers_use_the_decimal_comma_everywhere(french: str) -> None:
    assert "5.5" not in french and "5,5 %" in french
    for printed in (
        "TVA 5,5 %",  # VAT breakdown
        "Acompte sur commande PO-7781 (TVA 5,5 %)",  # a generated line name
        "1 234,56 €",
        "Payé le 5 octobre 2026 par carte bancaire (réf. ch_1)",
        "Contrôle VIES du numéro de TVA DE136695976 le 5 octobre 2026 : valide, référence de consultation WAPIAAAAW",
        "Frais de port : 12,00 €",
        EXPORT_FR.fr,
    ):
        assert printed in french, printed
    assert "/2026" not in french and "2026-10-05" not in french


# Words of the French catalogue and of the texts issuing writes in French; none may reach an
# English document. The seller's own name and address are French and are taken out first.
FRENCH_WORDS = (
    "Facture",
    "TVA",
    "Total HT",
    "TTC",
    "Date d'échéance",
    "Date d'émission",
    "Payé",
    "payer",
    "Réglé",
    "Remise",
    "Frais",
    "Acompte",
    "Avoir",
    "Exonération",
    "Autoliquidation",
    "Contrôle",
    "réf.",
    "MENTIONS",
    "PAIEMENT",
    "Virement",
    "carte bancaire",
    "pénalités",
    "Indemnité",
    "escompte",
    "Nature de l'opération",
    "Désignation",
    "Qté",
    "Montant",
    "CLIENT",
    "VENDEUR",
    "au capital",
    "Récapitulatif",
    "RÉCAPITULATIF",
    "Titulaire",
    "valide",
    "octobre",
    "article 262 I du CGI",
    " le ",
    " du ",
    " : ",
)
SELLER_TEXTS = (SELLER.name, SELLER.address.line1, "Atelier Lumière")


def test_an_english_document_has_no_french_word(english: str) -> None:
    text = english
    for own in SELLER_TEXTS:
        text = text.replace(own, "")
    leaked = [word for word in FRENCH_WORDS if word in text]
    assert leaked == []


def test_the_french_words_are_in_the_french_document(french: str) -> None:
    """The list above is not vacuous: most of it is printed in French."""
    found = [word for word in FRENCH_WORDS if word in french]
    assert len(found) >= len(FRENCH_WORDS) - 6, sorted(set(FRENCH_WORDS) - set(found))


def test_the_english_document_says_it_in_english(english: str) -> None:
    for printed in (
        "VAT 5.5%",
        "Down payment on order PO-7781 (VAT 5.5%)",
        "€1,234.56",
        "Paid on 5 October 2026 by card (ref. ch_1)",
        "VIES check of VAT number DE136695976 on 5 October 2026: valid, consultation reference WAPIAAAAW",
        "Shipping: €12.00 (VAT 20%)",
        EXPORT_FR.en,
    ):
        assert printed in english, printed


@pytest.mark.parametrize("method", sorted(STORED_METHODS))
@pytest.mark.parametrize("paid_on", [date(2026, 3, 1), None])
def test_every_paid_note_the_writer_makes_is_reworded(method: str, paid_on: date | None) -> None:
    note = paid_note(method, paid_on, "R-1")
    en = reword(note, Formatter(catalogue("en"), "EUR"))
    fr = reword(note, Formatter(catalogue("fr"), "EUR"))
    assert en.startswith("Paid ") and en.endswith(" (ref. R-1)") and "Payé" not in en
    assert fr.startswith("Payé ") and fr.endswith(" (réf. R-1)")
    assert ("1 March 2026" in en and "1 mars 2026" in fr) if paid_on else (" by " in en and " par " in fr)


@pytest.mark.parametrize("m", known_mentions(), ids=lambda m: m.code)
def test_every_tax_mention_is_printed_in_the_reader_language(m: object) -> None:
    fr, en = Formatter(catalogue("fr"), "EUR"), Formatter(catalogue("en"), "EUR")
    assert reword(m.fr, en) == m.en and reword(m.en, fr) == m.fr  # type: ignore[attr-defined]


def test_other_texts_are_printed_as_given() -> None:
    en = Formatter(catalogue("en"), "EUR")
    for text in ("Payé par bitcoin", "Livre « L'art de la lumière »", "Remise fidélité", "", "Contrôle VIES du numéro"):
        assert reword(text, en) == text


@pytest.mark.parametrize(
    ("stored", "fr", "en"),
    [
        (
            "Suivant devis n° D2026-000003 du 2026-10-05",
            "Suivant devis n° D2026-000003 du 5 octobre 2026",
            "As per quote D2026-000003 of 5 October 2026",
        ),
        (
            "Avoir : montant à rembourser ou à déduire",
            "Avoir : montant à rembourser ou à déduire",
            "Credit note: amount to be refunded or deducted",
        ),
        (
            "Avoir sur facture F2026-000042 (TVA 20 %)",
            "Avoir sur facture F2026-000042 (TVA 20\u00a0%)",
            "Credit on invoice F2026-000042 (VAT 20%)",
        ),
        (
            "Exonération de TVA : CGI art. 261-4-4°",
            "Exonération de TVA : CGI art. 261-4-4°",
            "VAT exempt: CGI art. 261-4-4°",
        ),
        ("Emballage cadeau", "Emballage cadeau", "Gift wrapping"),
        (
            "Ajustement au restant de la facture F2026-000042",
            "Ajustement au restant de la facture F2026-000042",
            "Adjustment to what remains of invoice F2026-000042",
        ),
    ],
)
def test_other_generated_texts_are_reworded(stored: str, fr: str, en: str) -> None:
    assert reword(stored, Formatter(catalogue("fr"), "EUR")) == fr
    assert reword(stored, Formatter(catalogue("en"), "EUR")) == en


@pytest.mark.parametrize(
    "document_type", [DocumentType.CREDIT_NOTE, DocumentType.QUOTE, DocumentType.PROFORMA, DocumentType.DOWN_PAYMENT]
)
def test_every_english_document_kind_has_no_french_word(document_type: DocumentType) -> None:
    doc = replace(
        engine_document(),
        document_type=document_type,
        preceding=(DocumentReference("F2026-000042", ISSUED),) if document_type is DocumentType.CREDIT_NOTE else (),
        valid_until=date(2026, 11, 4) if not document_type.is_fiscal else None,
    )
    text = " ".join(page_texts(render_pdf(doc, language="en")))
    for own in SELLER_TEXTS:
        text = text.replace(own, "")
    assert [word for word in FRENCH_WORDS if word in text] == []
