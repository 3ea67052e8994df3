"""A non-EUR invoice of a French seller prints its VAT total in EUR (BT-111) and the rate
used, under the VAT total (Directive 2006/112/EC art. 230, CGI ann. II art. 242 nonies A)."""

from __future__ import annotations

from decimal import Decimal

from tests.einvoice.scenarios import domestic_b2b, non_eur
from tests.rendering.samples import pdf_text, squash

from facturier.domain.accounting_currency import with_tax_accounting
from facturier.rendering import build_view, render_pdf


def _rows(language: str) -> list[str]:
    return [squash(f"{label}: {value}") for label, value in build_view(non_eur(), language)["totals"]["rows"]]


def test_the_totals_show_bt111_and_the_rate_under_the_vat_total() -> None:
    fr = _rows("fr")
    vat = fr.index("Total TVA: 180,00 $US")
    assert fr[vat + 1 : vat + 3] == ["Total TVA en EUR: 153,85 €", "Taux de change: 1 EUR = 1,17 USD"]
    en = _rows("en")
    assert "VAT total in EUR: €153.85" in en and "Exchange rate: 1 EUR = 1.17 USD" in en


def test_eur_invoices_print_no_such_row() -> None:
    rows = build_view(domestic_b2b(), "fr")["totals"]["rows"]
    assert not any("EUR" in label for label, _ in rows)


def test_the_pdf_prints_them() -> None:
    text = pdf_text(render_pdf(with_tax_accounting(non_eur(), Decimal("1.1708")), language="fr"))
    assert "Total TVA en EUR 153,74 €" in text  # 180.00 / 1.1708 = 153.741
    assert "Taux de change 1 EUR = 1,1708 USD" in text
