"""The view model (pure): catalogues, language choice, Babel formatting, what is printed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from importlib.resources import files

import pytest
from tests.rendering.samples import CONSUMER, GERMAN_BUYER, credit_note, fr_b2b, fr_b2c, reverse_charge

from facturier.domain.parties import Address
from facturier.rendering import LANGUAGES, PaidStamp, Payment, build_view, language_for
from facturier.rendering.formatting import Formatter
from facturier.rendering.i18n import catalogue


def test_catalogues_have_the_same_keys() -> None:
    keys = [
        set(json.loads(files("facturier.rendering.i18n").joinpath(f"{lang}.json").read_text())) for lang in LANGUAGES
    ]
    assert all(k == keys[0] for k in keys)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no catalogue"):
        catalogue("de")


def test_language_is_chosen_per_buyer() -> None:
    assert language_for(CONSUMER) == "fr"
    assert language_for(GERMAN_BUYER) == "en"
    assert language_for(replace(CONSUMER, address=Address("1 rue", "Saint-Denis", "97400", "RE"))) == "fr"
    assert language_for(GERMAN_BUYER, preferred="fr") == "fr"
    assert language_for(CONSUMER, preferred="xx") == "fr"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ("5 octobre 2026", "1\u202f234,50\xa0€", "0,123456\xa0€", "12,00\xa0€", "1,5", "5,5\xa0%")),
        ("en", ("5 October 2026", "€1,234.50", "€0.123456", "€12.00", "1.5", "5.5%")),
    ],
)
def test_formatting_per_locale(language: str, expected: tuple[str, ...]) -> None:
    fmt = Formatter(catalogue(language), "EUR")
    got = (
        fmt.date(date(2026, 10, 5)),
        fmt.amount(Decimal("1234.5")),
        fmt.price(Decimal("0.123456")),
        fmt.price(Decimal("12.000000")),
        fmt.quantity(Decimal("1.500")),
        fmt.percent(Decimal("5.50")),
    )
    assert got == expected


def test_view_is_json_ready_and_all_strings() -> None:
    view = build_view(fr_b2b(), "fr")
    text = json.dumps(view, ensure_ascii=False)
    assert "Decimal" not in text and json.loads(text) == view

    def leaves(value: object) -> list[object]:
        if isinstance(value, dict):
            return [x for v in value.values() for x in leaves(v)]
        if isinstance(value, list):
            return [x for v in value for x in leaves(v)]
        return [value]

    assert all(isinstance(leaf, (str, bool)) or leaf is None for leaf in leaves(view))


def test_view_of_a_b2b_invoice() -> None:
    view = build_view(fr_b2b(), "fr")
    assert view["title"] == "Facture" and view["number"] == "F2026-000042"
    assert view["delivery"]["lines"] == ["45 chemin des Meuniers", "69500 Bron"]
    assert [row["label"] for row in view["vat"]] == ["TVA 20\xa0%", "TVA 5,5\xa0%"]
    assert view["lines"][1]["unit"] == "h"
    assert view["totals"]["payable_label"] == "Net à payer"
    assert view["paid"] is None


def test_country_is_printed_only_across_borders() -> None:
    assert "France" not in build_view(fr_b2c(), "fr")["buyer"]["lines"]
    view = build_view(reverse_charge(), "fr")
    assert view["buyer"]["lines"][-1] == "Allemagne" and view["seller"]["lines"][-1] == "France"


def test_credit_note_view() -> None:
    view = build_view(credit_note(), "en")
    assert view["title"] == "Credit note"
    assert ["Original invoice", "F2026-000042 of 5 October 2026"] in view["meta"]
    assert view["totals"]["payable_label"] == "Credit amount"


def test_draft_shows_draft_instead_of_a_number() -> None:
    draft = replace(fr_b2b(), number="", status=replace(fr_b2b()).status.DRAFT)
    view = build_view(draft, "fr")
    assert view["draft"] is True and view["number"] == "Brouillon"


def test_paid_view_lists_each_payment() -> None:
    stamp = PaidStamp((Payment(date(2026, 10, 20), "Stripe", "pi_123"),))
    paid = build_view(fr_b2b(), "fr", paid=stamp)["paid"]
    assert paid == {
        "mark": "ACQUITTÉE",
        "title": "Facture acquittée",
        "payments": ["Réglé le 20 octobre 2026 par Stripe, référence pi_123."],
        "remaining": "",
    }
    view = build_view(fr_b2b(), "fr", paid=stamp)
    assert view["payment"] == {"due": "", "note": "", "means": []}  # settled: no deadline, no IBAN


def test_receipt_view_states_what_remains_and_keeps_the_payment_terms() -> None:
    stamp = PaidStamp((Payment(date(2026, 10, 20), "Stripe", "pi_123", Decimal("50.00")),), Decimal("12.50"))
    view = build_view(fr_b2b(), "fr", paid=stamp)
    assert (view["paid"]["mark"], view["paid"]["title"]) == ("REÇU", "Reçu de paiement")
    assert view["paid"]["remaining"] == "Reste à payer : 12,50\u00a0€."
    assert view["payment"]["due"].startswith("À régler au plus tard le")
