"""Every mandatory mention is printed, read back from the PDF text (pypdf).

CGI ann. II art. 242 nonies A (identities, lines, VAT per rate, exemptions, delivery address,
nature of the operation, VAT on debits), C. com. R123-237 (SIREN, RCS, legal form, capital),
C. com. L441-9 / L441-10 / D441-5 (due date, penalties, EUR 40 indemnity, discount),
CGI art. 289 I (credit notes refer to the invoice).
"""

from __future__ import annotations

import pytest
from tests.rendering.samples import SAMPLES, credit_note, fr_b2b, fr_b2c, pdf_text, reverse_charge

from facturier.domain.validation import validate
from facturier.rendering import RenderExtras, render_pdf

SELLER_IDS = {
    "fr": ["SIREN : 732 829 320", "SIRET : 732 829 320 00074", "N° TVA intracommunautaire : FR44732829320"],
    "en": ["SIREN: 732 829 320", "SIRET: 732 829 320 00074", "VAT number: FR44732829320"],
}
SELLER_COMMON = ["Atelier Lumière SAS", "12 rue des Lilas", "69003 Lyon", "RCS Lyon 732 829 320"]
CAPITAL = {"fr": "SAS au capital de 15 000,00 €", "en": "SAS with a share capital of €15,000.00"}
PAYMENT = ["IBAN", "FR7630006000011234567890189", "BIC", "AGRIFRPP"]

EXPECTED = {
    ("fr_b2b", "fr"): [
        "Facture F2026-000042",
        "Date d'émission 5 octobre 2026",
        "Date de livraison 1 octobre 2026",
        "Date d'échéance 4 novembre 2026",
        "SIREN : 552 100 554",
        "N° TVA intracommunautaire : FR96552100554",
        "RCS Lyon 552 100 554",
        "SARL au capital de 8 000,00 €",
        "ADRESSE DE LIVRAISON",
        "45 chemin des Meuniers 69500 Bron",
        "P.U. HT",
        "Lampe de bureau laiton",
        "2 u. 149,90 € 20 % 299,80 €",
        "1 u. 28,44 € 5,5 % 28,44 €",
        "TVA 20 % 494,80 € 98,96 €",
        "TVA 5,5 % 28,44 € 1,56 €",
        "Total HT 523,24 €",
        "Total TVA 100,52 €",
        "Total TTC 623,76 €",
        "Net à payer 623,76 €",
        "À régler au plus tard le 4 novembre 2026.",
        "Virement SEPA",
        "Nature de l'opération : livraison de biens et prestation de services.",
        "Option pour le paiement de la taxe d'après les débits.",
        "pénalités sont exigibles de plein droit au taux annuel de 12,15 % (C. com. art. L441-10)",
        "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40,00 €",
        "Pas d'escompte pour paiement anticipé.",
        "Référence de commande PO-7781",
        "Page 1 / 1",
    ],
    ("fr_b2b", "en"): [
        "Invoice F2026-000042",
        "Issue date 5 October 2026",
        "Delivery date 1 October 2026",
        "Due date 4 November 2026",
        "SIREN: 552 100 554",
        "VAT number: FR96552100554",
        "SARL with a share capital of €8,000.00",
        "DELIVERY ADDRESS",
        "45 chemin des Meuniers 69500 Bron",
        "Unit price excl. VAT",
        "2 unit €149.90 20% €299.80",
        "1 unit €28.44 5.5% €28.44",
        "VAT 20% €494.80 €98.96",
        "VAT 5.5% €28.44 €1.56",
        "Total incl. VAT €623.76",
        "Amount due €623.76",
        "Payable no later than 4 November 2026.",
        "SEPA credit transfer",
        "Nature of the transaction: supply of goods and services.",
        "VAT on debits",
        "Late payment penalties are due by law at the annual rate of 12.15%",
        "Fixed compensation for recovery costs due in case of late payment: €40.00",
        "No discount for early payment.",
        "Order reference PO-7781",
        "Page 1 / 1",
    ],
    ("fr_b2c", "fr"): [
        "Facture F2026-000043",
        "Camille Dubois",
        "8 avenue Foch 75016 Paris",
        "Suspension en verre soufflé",
        "TVA 20 %",
        "Total TTC 278,60 €",
        "Nature de l'opération : livraison de biens.",
    ],
    ("fr_b2c", "en"): ["Invoice F2026-000043", "Total incl. VAT €278.60", "supply of goods."],
    ("reverse_charge", "fr"): [
        "Müller Maschinenbau GmbH",
        "Hauptstraße 5 80331 München Allemagne",
        "N° TVA intracommunautaire : DE136695976",
        "5 jour 480,00 € 0 % AE 2 400,00 €",
        "Autoliquidation 2 400,00 € 0,00 €",
        "Autoliquidation — article 196 de la directive 2006/112/CE",
        "Nature de l'opération : prestation de services.",
        "Net à payer 2 400,00 €",
        "Pas d'escompte pour paiement anticipé.",
    ],
    ("reverse_charge", "en"): [
        "Hauptstraße 5 80331 München Germany",
        "VAT number: DE136695976",
        "5 day €480.00 0% AE €2,400.00",
        "Reverse charge €2,400.00 €0.00",
        "Autoliquidation — article 196 de la directive 2006/112/CE",
        "supply of services.",
    ],
    ("credit_note", "fr"): [
        "Avoir A2026-000007",
        "Facture d'origine F2026-000042 du 5 octobre 2026",
        "Avoir relatif à la facture n° F2026-000042 du 5 octobre 2026.",
        "Montant de l'avoir 179,88 €",
    ],
    ("credit_note", "en"): [
        "Credit note A2026-000007",
        "Original invoice F2026-000042 of 5 October 2026",
        "Credit note for invoice F2026-000042 of 5 October 2026.",
        "Credit amount €179.88",
    ],
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_are_valid_documents(name: str) -> None:
    assert validate(SAMPLES[name]()) == ()


@pytest.mark.parametrize(("name", "language"), sorted(EXPECTED))
def test_mandatory_mentions_are_printed(name: str, language: str) -> None:
    text = pdf_text(render_pdf(SAMPLES[name](), language=language))
    expected = SELLER_COMMON + SELLER_IDS[language] + [CAPITAL[language]] + PAYMENT + EXPECTED[name, language]
    missing = [mention for mention in expected if mention not in text]
    assert not missing, f"missing {missing} in:\n{text}"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_consumer_invoice_has_no_business_payment_mentions(language: str) -> None:
    text = pdf_text(render_pdf(fr_b2c(), language=language))
    for absent in ("L441-10", "D441-5", "40,00 €", "€40.00", "escompte", "early payment"):
        assert absent not in text


def test_early_payment_discount_replaces_the_no_discount_mention() -> None:
    from dataclasses import replace

    doc = fr_b2b()
    doc = replace(doc, payment_terms=replace(doc.payment_terms, early_payment_discount="2 % sous 10 jours"))
    text = pdf_text(render_pdf(doc, language="fr"))
    assert "Escompte pour paiement anticipé : 2 % sous 10 jours" in text
    assert "Pas d'escompte" not in text


def test_default_penalty_rate_is_ecb_plus_ten_points() -> None:
    from dataclasses import replace

    doc = fr_b2b()
    doc = replace(doc, payment_terms=replace(doc.payment_terms, late_penalty_rate=None))
    text = pdf_text(render_pdf(doc, language="fr"))
    assert "taux de refinancement le plus récent de la BCE majoré de 10 points" in text


def test_tax_rule_mentions_and_exemption_fallback_are_printed() -> None:
    from dataclasses import replace

    doc = reverse_charge()
    rows = tuple(replace(row, exemption_reason="") for row in doc.vat_breakdown)
    lines = tuple(replace(line, exemption_reason="") for line in doc.lines)
    doc = replace(doc, vat_breakdown=rows, lines=lines, mentions=("Mention décidée par le moteur fiscal",))
    text = pdf_text(render_pdf(doc, language="fr"))
    assert "Autoliquidation." in text  # the catalogue's wording when BT-120 is missing
    assert "Mention décidée par le moteur fiscal" in text


def test_optional_extras_are_printed() -> None:
    extras = RenderExtras(
        tracking_number="6A12345678901",
        terms_of_sale="Conditions générales sur atelier-lumiere.example/cgv",
        after_sales_contact="sav@atelier-lumiere.example, 04 72 00 00 01",
    )
    text = pdf_text(render_pdf(fr_b2b(), language="fr", extras=extras))
    assert "Numéro de suivi 6A12345678901" in text
    assert "CONDITIONS DE VENTE Conditions générales sur atelier-lumiere.example/cgv" in text
    assert "SERVICE APRÈS-VENTE sav@atelier-lumiere.example" in text


def test_credit_note_refers_to_the_invoice_in_both_places() -> None:
    text = pdf_text(render_pdf(credit_note(), language="fr"))
    assert text.count("F2026-000042") >= 2
