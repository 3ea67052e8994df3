"""The EUR 10,000 threshold over a stream of orders, and credit notes after the crossing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.tax import (
    DistanceSaleRecord,
    decide_order,
    history_from_records,
    mirror_for_credit_note,
    mirror_order_for_credit_note,
)

from .helpers import ABOVE, FR, FR_NO_OSS, LOW, ON, consumer, goods, history, tbe

D = Decimal


def test_threshold_crossed_in_the_middle_of_a_stream_of_orders() -> None:
    """Orders of EUR 3,000 to German consumers: 0, 3k, 6k, 9k before -> the 4th crosses."""
    records: list[DistanceSaleRecord] = [
        DistanceSaleRecord(date(2025, 3, 1), D("4000"), True),
        DistanceSaleRecord(date(2026, 1, 2), D("999"), False),
    ]
    seen = []
    for n in range(6):
        on = date(2026, 2, 1 + n)
        hist = history_from_records(records, on)
        order = decide_order(FR, consumer("DE"), [goods(to="DE", amount="3000")], hist, on)
        line = order.lines[0]
        seen.append((line.country, line.rate, line.rule_id))
        records.append(DistanceSaleRecord(on, D("3000"), True))
    origin = ("FR", D("20.0"), "EU-DISTANCE-GOODS-ORIGIN")
    dest = ("DE", D("19.0"), "EU-DISTANCE-GOODS-DEST")
    assert seen == [origin, origin, origin, dest, dest, dest]


def test_goods_and_tbe_count_together() -> None:
    hist = history(cur="6000")
    lines = [goods(to="DE", amount="3000"), replace(tbe(amount="1500"), line_id="2")]
    order = decide_order(FR, consumer("DE"), lines, hist, ON)
    assert order.threshold is not None and order.threshold.exceeded
    assert order.threshold.order_amount == D("4500")
    assert [d.country for d in order.lines] == ["DE", "DE"]


def test_domestic_lines_do_not_count() -> None:
    order = decide_order(FR, consumer("FR"), [goods(amount="50000")], LOW, ON)
    assert order.threshold is None


def test_history_from_records_uses_previous_and_current_year_until_the_date() -> None:
    records = [
        (date(2024, 12, 31), D("100000"), True),  # two years back: ignored
        (date(2025, 6, 1), D("7000"), True),
        (date(2025, 6, 2), D("-500"), True),  # credit note
        (date(2025, 6, 3), D("9999"), False),  # not cross-border B2C
        (date(2026, 1, 10), D("2000"), True),
        (date(2026, 6, 15), D("1000"), True),  # same day: counts
        (date(2026, 6, 16), D("5000"), True),  # later: ignored
    ]
    assert history_from_records(records, ON) == history(prev="6500", cur="3000")


def test_previous_year_above_threshold_means_destination_from_1_january() -> None:
    order = decide_order(FR, consumer("DE"), [goods(to="DE", amount="1")], ABOVE, date(2026, 1, 1))
    assert order.lines[0].country == "DE"
    assert order.threshold is not None and "1 January 2026" in order.threshold.reason


def test_no_oss_no_registration_warns() -> None:
    order = decide_order(FR_NO_OSS, consumer("DE"), [goods(to="DE")], ABOVE, ON)
    line = order.lines[0]
    assert line.country == "DE" and line.warnings
    assert any("must register" in e for e in line.explanation)


def test_credit_note_after_crossing_mirrors_destination_vat_even_if_history_changed() -> None:
    invoice = decide_order(FR, consumer("DE"), [goods(to="DE")], history(cur="9950"), ON)
    assert invoice.lines[0].country == "DE"
    # Next year the seller sold little: a fresh decision would now be origin (FR 20 %) ...
    later = date(2027, 2, 1)
    fresh = decide_order(FR, consumer("DE"), [goods(to="DE")], history(year=2027), later)
    assert fresh.lines[0].country == "FR"
    # ... but the credit note for the 2026 invoice keeps the invoice's treatment.
    credit = mirror_for_credit_note(invoice.lines)
    original = invoice.lines[0]
    assert [(c.country, c.category, c.rate, c.rule_id, c.oss_scheme) for c in credit] == [
        (original.country, original.category, original.rate, original.rule_id, "union")
    ]
    assert credit[0].mirrored_from_invoice
    assert mirror_order_for_credit_note(invoice).mentions == invoice.mentions
