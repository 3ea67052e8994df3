"""Pagination (repeated table header, "page x / y") and the paid variant ("facture acquittée")."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from tests.rendering.samples import _line, baselines, build, fr_b2b, long_invoice, page_texts, pdf_text

from facturier.domain.codes import PaymentMeansCode
from facturier.rendering import PaidStamp, Payment, render_pdf


@pytest.fixture(scope="module")
def long_pages() -> list[str]:
    return page_texts(render_pdf(long_invoice(150), language="fr"))


def test_long_invoice_paginates_with_page_x_of_y(long_pages: list[str]) -> None:
    total = len(long_pages)
    assert total >= 4
    for number, text in enumerate(long_pages, start=1):
        assert f"Page {number} / {total}" in text


def test_table_header_repeats_on_every_page_with_lines(long_pages: list[str]) -> None:
    pages_with_lines = [text for text in long_pages if "Article de catalogue" in text]
    assert len(pages_with_lines) >= 4
    for text in pages_with_lines:
        assert text.count(HEADER) == 1


HEADER = "# Désignation Qté Unité P.U. HT TVA Montant HT"
BOTTOM_MARGIN_PT = 20 / 25.4 * 72  # the template's bottom margin, 20 mm


def test_pages_after_the_last_line_have_no_column_header() -> None:
    """Some line count ends the lines on one page and pushes what follows to the next: that
    page names the document but repeats no column header (it has no lines)."""
    for count in range(30, 90):
        pages = page_texts(render_pdf(long_invoice(count), language="fr"))
        if "Article de catalogue" not in pages[-1]:
            break
    else:
        pytest.fail("no line count between 30 and 90 leaves a last page without lines")
    assert "F2026-000099 (suite)" in pages[-1]
    assert HEADER not in pages[-1]
    assert all(HEADER in text for text in pages[:-1])
    assert pages[0].count(HEADER) == 1, "the first page's header is printed once"


def test_one_line_invoice_has_its_header_once() -> None:
    text = pdf_text(render_pdf(long_invoice(1), language="fr"))
    assert text.count(HEADER) == 1 and "Article de catalogue n° 001" in text


def test_the_longest_line_an_order_can_carry_is_printed_whole() -> None:
    """A line is never split over two pages, so the largest one the order format allows
    (500-character name and description, SKU, discount) must fit and print every word."""
    words = "lampe articulée en laiton brossé, abat-jour en lin naturel, variateur intégré".split()
    name = " ".join(words * 10)[:500].rsplit(" ", 1)[0]
    description = " ".join(reversed(words * 10))[:500].rsplit(" ", 1)[0]
    big = _line(7, name, "3", "149.90", description=description, seller_item_id="SKU-" + "9" * 31)
    lines = [_line(i, f"Article de catalogue n° {i:03d}", "1", "10.00") for i in range(1, 40)]
    pdf = render_pdf(build([*lines[:6], big, *lines[6:]], number="F2026-000099"), language="fr")
    text = " ".join(page_texts(pdf))
    assert name in text and description in text
    assert sorted(re.findall(r"Article de catalogue n° (\d{3})", text)) == [f"{i:03d}" for i in range(1, 40)]
    for runs in baselines(pdf):  # nothing ran off the body into the 20 mm bottom margin
        assert all(y > BOTTOM_MARGIN_PT for y, text in runs if not text.startswith("Page ")), runs


def test_a_line_taller_than_a_page_goes_on_over_the_next_pages() -> None:
    """Beyond the order format's limits (a document built through the Python API), a line's
    text may not fit on one page: it continues over the next ones, every word printed inside
    the page's body, the column header repeated."""
    description = " ".join(f"mot{i}" for i in range(2500))
    lines = [_line(i, f"Article de catalogue n° {i:03d}", "1", "10.00") for i in range(1, 6)]
    huge = _line(6, "Fonds documentaire complet", "1", "900.00", description=description)
    pdf = render_pdf(build([*lines, huge, _line(7, "Reliure", "1", "10.00")]), language="fr")
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert re.findall(r"mot\d+", " ".join(pages)) == description.split()  # each word once, in order
    for runs in baselines(pdf):
        assert all(y > BOTTOM_MARGIN_PT for y, text in runs if not text.startswith("Page ")), runs
    assert all(HEADER in text for text in pages[:-1])


def test_continuation_pages_name_the_document(long_pages: list[str]) -> None:
    assert "(suite)" not in long_pages[0]
    for text in long_pages[1:]:
        assert "F2026-000099 (suite)" in text


def test_every_line_is_printed_once(long_pages: list[str]) -> None:
    numbers = re.findall(r"Article de catalogue n° (\d{3})", " ".join(long_pages))
    assert sorted(numbers) == [f"{i:03d}" for i in range(1, 151)]


def test_totals_and_mentions_come_after_the_last_line(long_pages: list[str]) -> None:
    text = " ".join(long_pages)
    assert text.index("Article de catalogue n° 150") < text.index("Net à payer") < text.index("Pas d'escompte")


PAID = PaidStamp(
    (
        Payment(date(2026, 10, 20), PaymentMeansCode.SEPA_CREDIT_TRANSFER, "VIR-20261020-884", Decimal("300.00")),
        Payment(date(2026, 10, 28), "Carte Visa", "ch_3Qx7", Decimal("323.76")),
    )
)


def test_paid_invoice_shows_the_mark_and_each_payment_in_french() -> None:
    text = pdf_text(render_pdf(fr_b2b(), language="fr", paid=PAID))
    assert "ACQUITTÉE" in text
    assert "Facture acquittée" in text
    assert "Réglé le 20 octobre 2026 par virement SEPA, montant 300,00 €, référence VIR-20261020-884." in text
    assert "Réglé le 28 octobre 2026 par Carte Visa, montant 323,76 €, référence ch_3Qx7." in text


def test_paid_invoice_in_english() -> None:
    text = pdf_text(render_pdf(fr_b2b(), language="en", paid=PAID))
    assert "PAID" in text
    assert "Paid on 20 October 2026 by SEPA credit transfer, amount €300.00, reference VIR-20261020-884." in text


def test_unpaid_invoice_has_no_mark() -> None:
    text = pdf_text(render_pdf(fr_b2b(), language="fr"))
    assert "ACQUITTÉE" not in text and "acquittée" not in text


def test_paid_variant_keeps_the_whole_invoice() -> None:
    plain = pdf_text(render_pdf(fr_b2b(), language="fr"))
    paid = pdf_text(render_pdf(fr_b2b(), language="fr", paid=PAID))
    for mention in ("Net à payer 623,76 €", "Pas d'escompte pour paiement anticipé.", "SIREN : 552 100 554"):
        assert mention in plain and mention in paid


def test_a_paid_stamp_needs_a_payment() -> None:
    with pytest.raises(ValueError):
        PaidStamp(())
