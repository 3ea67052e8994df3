"""Pagination (repeated table header, "page x / y") and the paid variant ("facture acquittée")."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from tests.rendering.samples import _line, baselines, build, fr_b2b, long_invoice, page_texts, pdf_text

from facturier.domain.codes import PaymentMeansCode
from facturier.rendering import PaidStamp, Payment, Theme, render_pdf


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
    for mention in ("Pas d'escompte pour paiement anticipé.", "SIREN : 552 100 554"):
        assert mention in plain and mention in paid
    assert "Net à payer 623,76 €" in plain and "Montant réglé 623,76 €" in paid  # settled: nothing to pay


def test_a_paid_stamp_needs_a_payment() -> None:
    with pytest.raises(ValueError):
        PaidStamp(())


# ---- where the closing part goes (docs/rendering.md, "Pagination") ---------------------------


def _pages_with(pages: list[str], needle: str) -> list[int]:
    return [i for i, text in enumerate(pages) if needle in text]


# Line counts whose closing part (VAT, totals, payment, mentions) no longer fits under the last
# line. With the template before this rule (commit 1c49440) the sections flowed line by line:
# at 22 lines page 2 held only the last two lines of the mentions, at 24 only the mentions.
OVERFLOWING = (22, 24, 30)


@pytest.mark.parametrize("count", OVERFLOWING)
def test_the_mentions_never_sit_on_a_page_without_the_totals(count: int) -> None:
    pages = page_texts(render_pdf(long_invoice(count), language="fr"))
    assert len(pages) == 2
    mentions = _pages_with(pages, "MENTIONS")
    assert mentions == _pages_with(pages, "Net à payer") == _pages_with(pages, "Pas d'escompte") == [1]
    assert _pages_with(pages, "Nature de l'opération") == [1], "the mentions are not split"
    assert f"Article de catalogue n° {count:03d}" in pages[0]


def test_the_closing_part_stays_under_the_last_line_when_it_fits() -> None:
    """21 lines: everything fits on one page, nothing is pushed. 36 lines: the last lines
    and the closing part share page 2."""
    assert len(page_texts(render_pdf(long_invoice(21), language="fr"))) == 1
    pages = page_texts(render_pdf(long_invoice(36), language="fr"))
    assert len(pages) == 2
    for needle in ("Article de catalogue n° 036", "Net à payer", "MENTIONS", "Pas d'escompte"):
        assert _pages_with(pages, needle) == [1], needle


def test_a_closing_part_taller_than_a_page_flows_after_the_totals() -> None:
    """Very long legal text (a theme's): the group cannot be kept whole, so it flows over the
    next pages, totals first, every word once, nothing in the bottom margin."""
    legal = " ".join(f"clause{i}" for i in range(1500))
    pdf = render_pdf(long_invoice(30), language="fr", theme=Theme(legal_text=legal))
    pages = page_texts(pdf)
    text = " ".join(pages)
    assert len(pages) >= 3
    assert re.findall(r"clause\d+", text) == legal.split()
    assert text.index("Article de catalogue n° 030") < text.index("Net à payer") < text.index("clause0 ")
    for runs in baselines(pdf):
        assert all(y > BOTTOM_MARGIN_PT for y, text in runs if not text.startswith("Page ")), runs


def _with_notes(count: int) -> bytes:
    note = "Delivery to dock 3: please call the front desk before unloading the goods, thanks"[:77]
    return render_pdf(replace(long_invoice(30), notes=tuple(f"{note}{i:02d}." for i in range(count))), language="fr")


def test_the_largest_group_kept_whole_fits_on_a_continuation_page() -> None:
    """The template keeps the group whole when its estimated height is at most 640pt. For this
    invoice 33 notes of 80 bytes (one 11pt line each in the estimate) are the most it allows:
    the group goes whole to page 2 and fits there, above the bottom margin."""
    pdf = _with_notes(33)
    pages = page_texts(pdf)
    assert len(pages) == 2
    for needle in ("Net à payer", "NOTES", "unloading the goods, th00.", "goods, th32.", "Pas d'escompte"):
        assert _pages_with(pages, needle) == [1], needle
    assert "Article de catalogue n° 030" in pages[0]
    for runs in baselines(pdf):
        assert all(y > BOTTOM_MARGIN_PT for y, text in runs if not text.startswith("Page ")), runs


def test_one_note_more_and_the_group_flows() -> None:
    """34 notes: over the bound, the group flows from under the last line (so 33 was the bound)."""
    pages = page_texts(_with_notes(34))
    assert _pages_with(pages, "Net à payer") == [0]
    assert _pages_with(pages, "Pas d'escompte") == [len(pages) - 1]
