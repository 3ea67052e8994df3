"""OSS Union-scheme return: aggregation per member state and rate, credit notes subtract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturier.domain.errors import InvalidInput
from facturier.tax import OssVatRow, oss_return, parse_quarter, to_csv_rows

D = Decimal


def row(ms: str, rate: str, base: str, vat: str, doc: str = "invoice") -> OssVatRow:
    return OssVatRow(ms, D(rate), D(base), D(vat), doc, 1 if doc == "invoice" else -1)


def test_aggregates_per_member_state_and_rate_with_credit_notes_subtracting() -> None:
    rows = [
        row("DE", "19.0", "100.00", "19.00"),
        row("DE", "19.0", "50.00", "9.50"),
        row("DE", "7.0", "10.00", "0.70"),
        row("DE", "19.0", "20.00", "3.80", "credit_note"),
        row("IT", "22.0", "200.00", "44.00"),
    ]
    lines = oss_return(rows)
    assert [(x.member_state, x.rate, x.taxable_base, x.vat) for x in lines] == [
        ("DE", D("19.0"), D("130.00"), D("24.70")),
        ("DE", D("7.0"), D("10.00"), D("0.70")),
        ("IT", D("22.0"), D("200.00"), D("44.00")),
        ("TOTAL", None, D("340.00"), D("69.40")),
    ]
    total = lines[-1]
    assert total.invoice_vat + total.credit_note_vat == total.vat
    assert total.credit_note_vat == D("-3.80") and total.documents == 5


def test_csv_rows() -> None:
    rows = to_csv_rows(oss_return([row("FR", "20.0", "10", "2")]))
    assert rows[0][0] == "member_state"
    assert rows[1] == ("FR", "20.0", "10", "2", "2", "0", "1")
    assert rows[2][:2] == ("TOTAL", "")


def test_inconsistent_sign_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        oss_return([OssVatRow("DE", D("19"), D("10"), D("1.9"), "credit_note", 1)])
    assert exc.value.violations[0].rule_id == "TAX-OSS-ROW"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_parse_quarter(text: str, start: date, end: date) -> None:
    assert parse_quarter(text) == (start, end)


@pytest.mark.parametrize("text", ["2026Q5", "Q3 2026", "2026"])
def test_parse_quarter_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_quarter(text)
