"""The worked tables of docs/algorithms/credit-notes.md, executed against `priced_credit`.

Same markers as docs/algorithms/rounding.md (``<!-- table: EXAMPLE/KIND key=value -->``):

- ``input``: the invoice's lines, priced by `price_document`;
- ``ledger``: the invoice, then credit notes in order (``lines 1=1, 3=1``, ``amount 40.00``,
  ``full``, or ``... refused (RULE)``), with ``remains`` rows (what is left of each group) and
  ``can be credited`` rows (the largest BR-CO-17 pair within it); every figure is compared;
- ``groups`` and ``split``: what each group can credit, and an amount's proportional share
  and final part per group;
- ``candidates``: net amounts next to an unreachable gross, with their VAT.

A column this test does not know fails it, so no figure of the page goes unchecked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from facturier.domain.allocation import allocate_proportionally
from facturier.domain.codes import DocumentType, VatCategory
from facturier.domain.credit_notes import priced_credit
from facturier.domain.crediting import creditable_groups, gross, remaining_by_group, split_amount
from facturier.domain.documents import Document, PriceMode, VatBreakdown
from facturier.domain.errors import InvalidInput
from facturier.domain.pricing import amount_places, price_vat_groups
from facturier.domain.rounding import vat_amount_half_up

from .builders import document
from .test_rounding_doc import Table, check, line_inputs, parse_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "algorithms" / "credit-notes.md"
EXAMPLES = parse_tables(DOC.read_text("utf-8"))
GROUP_COLUMN = re.compile(r"([\d.]+) % (taxable|VAT)")
REFUSED = re.compile(r"(.*) refused \(([\w-]+)\)")


def invoice_of(table: Table) -> Document:
    mode, currency = PriceMode[table.attrs["mode"]], table.attrs["currency"]
    return document(line_inputs(table), mode=mode, currency=currency, number="F2026-000001")


def as_credit(invoice: Document, credit: str, credits: list[Document]) -> Document:
    lines: dict[str, Decimal] | None = None
    amount: Decimal | None = None
    if credit.startswith("lines "):
        lines = {k: Decimal(v) for k, v in (pair.split("=") for pair in credit.removeprefix("lines ").split(", "))}
    elif credit.startswith("amount "):
        amount = Decimal(credit.removeprefix("amount "))
    else:
        assert credit == "full", f"unknown credit {credit!r}"
    priced = priced_credit(invoice, credits, lines=lines, amount=amount)
    return replace(
        invoice,
        document_type=DocumentType.CREDIT_NOTE,
        number="",
        lines=priced.lines,
        allowances_charges=priced.allowances_charges,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
    )


def check_groups(row: dict[str, str], groups: tuple[VatBreakdown, ...], what: str, places: int) -> None:
    figures = {(g.rate, "taxable"): g.taxable_amount for g in groups} | {(g.rate, "VAT"): g.tax_amount for g in groups}
    for column, cell in row.items():
        if column in ("document", "credits"):
            continue
        if column == "VAT incl.":
            check(cell, sum((gross(g) for g in groups), Decimal(0)), f"{what}, {column}", places)
            continue
        match = GROUP_COLUMN.fullmatch(column)
        assert match, f"unknown column {column!r}"
        expected = figures.get((Decimal(match[1]), match[2]), Decimal(0))
        check(cell, expected, f"{what}, {column}", places if cell else None)


def check_ledger(table: Table, invoice: Document) -> None:
    places = amount_places(invoice.currency)
    credits: list[Document] = []
    for row in table.rows:
        name, credit = row["document"], row.get("credits", "")
        if name == "invoice":
            check_groups(row, invoice.vat_breakdown, name, places)
        elif name == "remains":
            check_groups(row, remaining_by_group(invoice, credits), f"remains after {len(credits)}", places)
        elif name == "can be credited":
            check_groups(row, creditable_groups(invoice, credits, places), f"creditable after {len(credits)}", places)
        elif refused := REFUSED.fullmatch(credit):
            with pytest.raises(InvalidInput) as error:
                as_credit(invoice, refused[1], credits)
            assert error.value.violations[0].rule_id == refused[2], f"{name}: {error.value}"
        else:
            assert name.startswith("credit note"), f"unknown row {name!r}"
            credits.append(as_credit(invoice, credit, credits))
            check_groups(row, credits[-1].vat_breakdown, name, places)
            check(row["VAT incl."], credits[-1].totals.tax_inclusive, f"{name}, BT-112", places)


def groups_of(table: Table) -> tuple[VatBreakdown, ...]:
    for row in table.rows:
        assert set(row) == {"rate %", "taxable", "VAT"}, f"unknown columns {set(row)}"
    return tuple(
        VatBreakdown(VatCategory.STANDARD, Decimal(r["rate %"]), Decimal(r["taxable"]), Decimal(r["VAT"]))
        for r in table.rows
    )


def check_split(table: Table, groups: tuple[VatBreakdown, ...], places: int) -> None:
    by_amount: dict[str, list[dict[str, str]]] = {}
    for row in table.rows:
        assert set(row) == {"amount", "rate %", "proportional", "part", "taxable BT-116", "VAT BT-117"}, set(row)
        by_amount.setdefault(row["amount"], []).append(row)
    for text, rows in by_amount.items():
        amount = Decimal(text)
        proportional = allocate_proportionally(amount, [gross(g) for g in groups], places)
        shares = {g.rate: share for g, share in zip(groups, proportional, strict=True)}
        parts = split_amount(amount, groups, places)
        assert parts is not None, f"{amount}: no split"
        priced = {b.rate: b for b in price_vat_groups(groups, parts, "Avoir", "EUR").vat_breakdown}
        assert {Decimal(r["rate %"]) for r in rows} == set(shares), f"{amount}: list every group"
        for row in rows:
            rate, what = Decimal(row["rate %"]), f"{amount} at {row['rate %']} %"
            check(row["proportional"], shares[rate], f"{what}, proportional", places)
            check(row["part"], gross(priced[rate]), f"{what}, part", places)
            check(row["taxable BT-116"], priced[rate].taxable_amount, f"{what}, taxable", places)
            check(row["VAT BT-117"], priced[rate].tax_amount, f"{what}, VAT", places)


def check_candidates(table: Table) -> None:
    rate, places = Decimal(table.attrs["rate"]), amount_places(table.attrs["currency"])
    for row in table.rows:
        assert set(row) == {"net N", "VAT", "N + VAT"}, f"unknown columns {set(row)}"
        net = Decimal(row["net N"])
        check(row["VAT"], vat_amount_half_up(net, rate, places), f"VAT of {net}", places)
        check(row["N + VAT"], net + vat_amount_half_up(net, rate, places), f"N + VAT of {net}", places)


def test_the_document_has_the_expected_examples() -> None:
    assert {"lines-amount-full", "one-by-one", "split", "unreachable"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example(name: str) -> None:
    tables = dict(EXAMPLES[name].tables)
    if "candidates" in tables:
        check_candidates(tables.pop("candidates"))
    if "groups" in tables:
        check_split(tables.pop("split"), groups_of(tables.pop("groups")), 2)
    if "input" in tables:
        check_ledger(tables.pop("ledger"), invoice_of(tables.pop("input")))
    assert not tables, f"{name}: unknown tables {set(tables)}"


def test_a_wrong_figure_is_caught() -> None:
    """The checker itself: a cent of VAT more on the last full credit fails."""
    text = DOC.read_text("utf-8")
    row = "| credit note 3 | full | 29.58 | 1.63 | 70.52 | 14.10 |"
    assert row in text
    example = parse_tables(text.replace(row, row.replace("14.10", "14.11")))["lines-amount-full"]
    with pytest.raises(AssertionError, match="credit note 3, 20 % VAT"):
        check_ledger(example.tables["ledger"], invoice_of(example.tables["input"]))
