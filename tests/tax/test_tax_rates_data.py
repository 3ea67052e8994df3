"""Integrity of the packaged rate data: provenance, coverage, no gaps for the main classes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from facturier.tax import default_rate_table, parse_rate_table
from facturier.tax.rates.loader import (
    CLASSES_FILE,
    RATES_FILE,
    RateDataError,
    read_packaged,
)
from facturier.tax.territories import EU_MEMBER_STATES

TABLE = default_rate_table()
MAIN_CLASSES = ("books", "food", "medicines", "passenger_transport", "press", "restaurant")


def test_provenance_headers() -> None:
    for name in (RATES_FILE, CLASSES_FILE):
        text = read_packaged(name)
        for key in ("# version:", "# consulted:", "# coverage_start:", "# primary_source:"):
            assert key in text, (name, key)
    assert TABLE.coverage_start == date(2024, 1, 1)


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2025, 6, 1), date(2026, 11, 22)])
def test_every_member_state_has_a_standard_rate_every_day(day: date) -> None:
    for ms in EU_MEMBER_STATES:
        row = TABLE.rate(ms, "standard", day)
        assert row is not None and Decimal("15") <= row.rate <= Decimal("27"), ms


def test_no_gap_in_standard_rates_over_the_coverage() -> None:
    day = TABLE.coverage_start
    while day <= date(2027, 12, 31):
        for ms in EU_MEMBER_STATES:
            assert TABLE.rate(ms, "standard", day) is not None, (ms, day)
        day += timedelta(days=29)


@pytest.mark.parametrize("cls", MAIN_CLASSES)
def test_main_classes_are_mapped_for_all_27(cls: str) -> None:
    for ms in EU_MEMBER_STATES:
        assert TABLE.product_class(ms, cls, date(2025, 6, 1)) is not None, (ms, cls)


def test_every_reference_resolves_on_every_day_of_its_row() -> None:
    for rows in TABLE.classes.values():
        for row in rows:
            if row.rate_ref is None:
                continue
            end = row.valid_to or date(2027, 12, 31)
            for day in (row.valid_from, end):
                assert TABLE.rate(row.jurisdiction, row.rate_ref, day) is not None, row


def test_every_row_has_a_source_and_a_status() -> None:
    for rows in (*TABLE.rates.values(), *TABLE.classes.values()):
        for row in rows:
            assert row.source and row.status in ("confirmed", "unconfirmed"), row


def test_overlapping_periods_are_refused() -> None:
    header = (
        "# version: t\n# consulted: t\n# coverage_start: 2024-01-01\n# primary_source: t\n"
        "jurisdiction,rate_name,rate,valid_from,valid_to,status,source,note\n"
    )
    rates = header + (
        "FR,standard,20.0,2024-01-01,,confirmed,x,\nFR,standard,21.0,2025-01-01,,confirmed,x,\n"
    )
    with pytest.raises(RateDataError):
        parse_rate_table(rates, read_packaged(CLASSES_FILE))


def test_missing_provenance_is_refused() -> None:
    with pytest.raises(RateDataError):
        parse_rate_table(
            "jurisdiction,rate_name,rate,valid_from,valid_to,status,source,note\n",
            read_packaged(CLASSES_FILE),
        )
