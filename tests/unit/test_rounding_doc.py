"""The worked tables of docs/algorithms/rounding.md, executed against `price_document`.

Every Markdown table preceded by ``<!-- table: EXAMPLE/KIND key=value ... -->`` is read:
the ``input`` (and ``adjustments``) tables of an example are priced, and every figure of
its other tables is compared with the result. A column this test does not know fails the
test, so no figure in the document can go unchecked; so does a table that lists fewer
lines or VAT rates than the priced document has.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from facturier.domain.codes import SupplyNature, VatCategory
from facturier.domain.documents import AllowanceCharge, Line, PriceMode, VatBreakdown
from facturier.domain.pricing import AdjustmentInput, LineInput, Priced, amount_places, price_document
from facturier.domain.rounding import HUNDRED, accounting_amount_half_up, round_amount_half_up, vat_amount_half_up

DOC = Path(__file__).resolve().parents[2] / "docs" / "algorithms" / "rounding.md"
MARKER = re.compile(r"<!-- table: ([\w-]+)/([\w-]+)((?: \w+=\S+)*) -->")
TEXT_COLUMNS = {"item", "reason"}

Row = dict[str, str]


@dataclass
class Table:
    kind: str
    attrs: dict[str, str]
    rows: list[Row]
    line_no: int


@dataclass
class Example:
    name: str
    tables: dict[str, Table] = field(default_factory=dict)


def parse_tables(text: str) -> dict[str, Example]:
    lines = text.splitlines()
    examples: dict[str, Example] = {}
    for i, raw in enumerate(lines):
        match = MARKER.fullmatch(raw.strip())
        if not match:
            continue
        name, kind, attr_text = match.groups()
        attrs = dict(pair.split("=", 1) for pair in attr_text.split())
        body = _table_after(lines, i + 1)
        header, *rows = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in body]
        assert rows and all(cell and set(cell) <= set("-:") for cell in rows[0]), f"line {i + 1}: no separator row"
        parsed = [dict(zip(header, cells, strict=True)) for cells in rows[1:]]
        example = examples.setdefault(name, Example(name))
        assert kind not in example.tables, f"line {i + 1}: two {kind} tables for {name}"
        example.tables[kind] = Table(kind, attrs, parsed, i + 1)
    return examples


def _table_after(lines: list[str], start: int) -> list[str]:
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    body = []
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        body.append(lines[i])
        i += 1
    assert body, f"line {start}: marker not followed by a table"
    return body


EXAMPLES = parse_tables(DOC.read_text("utf-8"))


# --- inputs ---------------------------------------------------------------------------------


def _adjustment_cell(cell: str, is_charge: bool) -> tuple[AdjustmentInput, ...]:
    if not cell:
        return ()
    if cell.endswith("%"):
        return (AdjustmentInput(is_charge, percentage=Decimal(cell.rstrip("% "))),)
    return (AdjustmentInput(is_charge, amount=Decimal(cell)),)


def _category(row: Row) -> VatCategory:
    return VatCategory(row.get("category", "S"))


def line_inputs(table: Table) -> list[LineInput]:
    known = {"line", "item", "quantity", "unit price", "base quantity", "rate %", "category", "line allowance"}
    result = []
    for row in table.rows:
        assert set(row) <= known, f"unknown input columns {set(row) - known}"
        result.append(
            LineInput(
                line_id=row["line"],
                name=row.get("item", "item"),
                quantity=Decimal(row["quantity"]),
                unit_code="C62",
                unit_price=Decimal(row["unit price"]),
                vat_category=_category(row),
                vat_rate=Decimal(row["rate %"]),
                base_quantity=Decimal(row.get("base quantity") or 1),
                nature=SupplyNature.GOODS,
                adjustments=_adjustment_cell(row.get("line allowance", ""), is_charge=False),
            )
        )
    return result


def adjustment_inputs(table: Table | None) -> list[AdjustmentInput]:
    if table is None:
        return []
    known = {"adjustment", "reason", "amount", "percentage", "rate %", "category"}
    result = []
    for row in table.rows:
        assert set(row) <= known, f"unknown adjustment columns {set(row) - known}"
        assert row["adjustment"] in ("allowance", "charge")
        rate = row.get("rate %", "split")
        result.append(
            AdjustmentInput(
                is_charge=row["adjustment"] == "charge",
                amount=Decimal(row["amount"]) if row.get("amount") else None,
                percentage=Decimal(row["percentage"].rstrip("% ")) if row.get("percentage") else None,
                reason=row.get("reason", ""),
                vat_category=None if rate == "split" else _category(row),
                vat_rate=None if rate == "split" else Decimal(rate),
            )
        )
    return result


@dataclass(frozen=True)
class Run:
    """The priced document, and the same inputs priced as entered (net mode = no conversion)."""

    priced: Priced
    entered: Priced
    places: int


def run(example: Example) -> Run:
    table = example.tables["input"]
    mode, currency = PriceMode[table.attrs["mode"]], table.attrs["currency"]
    lines = line_inputs(table)
    adjustments = adjustment_inputs(example.tables.get("adjustments"))
    priced = price_document(lines, adjustments, mode, currency)
    entered = price_document(lines, adjustments, PriceMode.NET, currency)
    return Run(priced, entered, amount_places(currency))


# --- checks ---------------------------------------------------------------------------------


def check(cell: str, expected: Decimal, what: str, places: int | None = None) -> None:
    """A figure of the doc equals the computed one (and shows `places` decimals if given)."""
    if cell == "" and expected == 0:
        return
    value = Decimal(cell)
    assert value == expected, f"{what}: the document says {cell}, the code gives {expected}"
    if places is not None:
        exponent = value.as_tuple().exponent
        assert exponent == -places, f"{what}: write {cell} with {places} decimals"


def _exact_net(amount: Decimal, rate: Decimal) -> Decimal:
    return amount * HUNDRED / (HUNDRED + rate)


LineCheck = Callable[[Line, Line, int], tuple[Decimal, int | None]]
LINE_COLUMNS: dict[str, LineCheck] = {
    "displayed amount": lambda _line, entered, p: (entered.net_amount, p),
    "exact net (4 d.)": lambda line, entered, p: (
        _exact_net(entered.net_amount, line.vat_rate).quantize(Decimal("0.0001")),
        4,
    ),
    "per-line net": lambda line, entered, p: (
        round_amount_half_up(_exact_net(entered.net_amount, line.vat_rate), p),
        p,
    ),
    "line net BT-131": lambda line, _entered, p: (line.net_amount, p),
    "net price BT-146": lambda line, _entered, p: (line.net_price, None),
    "base quantity BT-149": lambda line, _entered, p: (line.base_quantity, None),
    "line allowance BT-136": lambda line, _entered, p: (sum((a.amount for a in line.allowances), Decimal(0)), p),
}


def check_lines(table: Table, result: Run) -> None:
    by_id = {
        line.line_id: (line, entered) for line, entered in zip(result.priced.lines, result.entered.lines, strict=True)
    }
    assert {row["line"] for row in table.rows} == set(by_id), "the lines table must list every line"
    for row in table.rows:
        line, entered = by_id[row["line"]]
        for column, cell in row.items():
            if column in TEXT_COLUMNS | {"line"}:
                continue
            assert column in LINE_COLUMNS, f"unknown column {column!r}"
            expected, places = LINE_COLUMNS[column](line, entered, result.places)
            check(cell, expected, f"line {row['line']}, {column}", places)


def _group_key(row: Row) -> tuple[VatCategory, Decimal]:
    return (_category(row), Decimal(row["rate %"]))


def _displayed_gross(result: Run, key: tuple[VatCategory, Decimal]) -> Decimal:
    (entered,) = [b for b in result.entered.vat_breakdown if (b.category, b.rate) == key]
    return entered.taxable_amount


def check_vat(table: Table, result: Run) -> None:
    by_key = {(b.category, b.rate): b for b in result.priced.vat_breakdown}
    assert {_group_key(row) for row in table.rows} == set(by_key), "the VAT table must list every rate"
    for row in table.rows:
        key = _group_key(row)
        breakdown: VatBreakdown = by_key[key]
        for column, cell in row.items():
            what = f"VAT {key[0].value} {key[1]} %, {column}"
            if column in ("rate %", "category"):
                continue
            if column == "displayed gross":
                check(cell, _displayed_gross(result, key), what, result.places)
            elif column == "taxable BT-116":
                check(cell, breakdown.taxable_amount, what, result.places)
            elif column == "VAT BT-117":
                check(cell, breakdown.tax_amount, what, result.places)
            else:
                raise AssertionError(f"unknown column {column!r}")


def check_per_line(table: Table, result: Run) -> None:
    """The naive method the doc compares against: convert each line, then VAT per rate."""
    places = result.places
    for row in table.rows:
        key = _group_key(row)
        gross = _displayed_gross(result, key)
        entered = [x for x in result.entered.lines if (x.vat_category, x.vat_rate) == key]
        taxable = sum((round_amount_half_up(_exact_net(x.net_amount, key[1]), places) for x in entered), Decimal(0))
        vat = vat_amount_half_up(taxable, key[1], places)
        figures = {
            "displayed gross": gross,
            "per-line taxable": taxable,
            "per-line VAT": vat,
            "per-line total": taxable + vat,
            "difference": taxable + vat - gross,
        }
        for column, cell in row.items():
            if column in ("rate %", "category"):
                continue
            assert column in figures, f"unknown column {column!r}"
            check(cell, figures[column], f"per-line {key[1]} %, {column}", places)


def check_allowances_charges(table: Table, result: Run) -> None:
    def key(adj: AllowanceCharge) -> tuple[str, Decimal | None]:
        return ("charge" if adj.is_charge else "allowance", adj.vat_rate)

    priced = {key(a): a for a in result.priced.allowances_charges}
    entered = {key(a): a for a in result.entered.allowances_charges}
    rows = {(row["adjustment"], Decimal(row["rate %"])): row for row in table.rows}
    assert set(rows) == set(priced), "the table must list every document allowance and charge"
    for k, row in rows.items():
        for column, cell in row.items():
            what = f"{k[0]} at {k[1]} %, {column}"
            if column in ("adjustment", "rate %", "reason"):
                continue
            if column == "displayed amount":
                check(cell, entered[k].amount, what, result.places)
            elif column in ("net amount BT-99", "net amount BT-92", "amount BT-92", "amount BT-99"):
                check(cell, priced[k].amount, what, result.places)
            else:
                raise AssertionError(f"unknown column {column!r}")


TOTALS = {
    "BT-106": "line_total",
    "BT-107": "allowance_total",
    "BT-108": "charge_total",
    "BT-109": "tax_exclusive",
    "BT-110": "tax_total",
    "BT-112": "tax_inclusive",
    "BT-113": "prepaid",
    "BT-114": "rounding",
    "BT-115": "payable",
}


def check_totals(table: Table, result: Run) -> None:
    for row in table.rows:
        assert set(row) == {"total", "amount"}, f"unknown columns {set(row)}"
        label = row["total"]
        if label == "displayed total":
            expected = result.entered.totals.tax_exclusive  # entered amounts, VAT included
        else:
            code = label.split()[0]
            assert code in TOTALS, f"unknown total {label!r}"
            expected = getattr(result.priced.totals, TOTALS[code])
        check(row["amount"], expected, label, result.places)


def check_candidates(table: Table) -> None:
    rate, places = Decimal(table.attrs["rate"]), amount_places(table.attrs["currency"])
    for row in table.rows:
        net_column, vat_column, sum_column = row
        assert net_column == "net N" and vat_column.startswith("VAT round(N x") and sum_column == "N + VAT"
        net = Decimal(row[net_column])
        vat = vat_amount_half_up(net, rate, places)
        check(row[vat_column], vat, f"VAT of {net}", places)
        check(row[sum_column], net + vat, f"N + VAT for {net}", places)


def check_rounding(table: Table) -> None:
    for row in table.rows:
        assert set(row) == {"exact value", "decimals", "rounded", "note"}, f"unknown columns {set(row)}"
        places = int(row["decimals"])
        expected = round_amount_half_up(Decimal(row["exact value"]), places)
        check(row["rounded"], expected, f"rounding {row['exact value']}", places)


def check_accounting(table: Table, result: Run) -> None:
    """BT-111 (section 10): each VAT group converted, their sum, and BT-110 converted once."""
    rate, places = Decimal(table.attrs["rate"]), amount_places(table.attrs["currency"])
    groups = {b.rate: b.tax_amount for b in result.priced.vat_breakdown}
    rounded_groups = sum((accounting_amount_half_up(v, rate, places) for v in groups.values()), Decimal(0))
    labels = set()
    for row in table.rows:
        assert set(row) == {"VAT of", "amount", "exact amount / rate (6 d.)", "rounded"}, f"unknown columns {set(row)}"
        label = row["VAT of"]
        if label.endswith("% group BT-117"):
            amount = groups[Decimal(label.split()[0])]
            expected = accounting_amount_half_up(amount, rate, places)
            labels.add("group")
        elif label == "groups converted, then added":
            amount, expected = result.priced.totals.tax_total, rounded_groups
        elif label == "BT-110 converted once: BT-111":
            amount = result.priced.totals.tax_total
            expected = accounting_amount_half_up(amount, rate, places)  # what the document states
            labels.add("BT-111")
        else:
            raise AssertionError(f"unknown row {label!r}")
        check(row["amount"], amount, f"{label}, amount", result.places)
        exact = row["exact amount / rate (6 d.)"]
        if exact:
            check(exact, (amount / rate).quantize(Decimal("0.000001"), ROUND_HALF_UP), f"{label}, exact", 6)
        check(row["rounded"], expected, f"{label}, rounded", places)
    assert labels == {"group", "BT-111"}, "the table shows the groups and BT-111"


CHECKS: dict[str, Callable[[Table, Run], None]] = {
    "lines": check_lines,
    "vat": check_vat,
    "per-line": check_per_line,
    "allowances-charges": check_allowances_charges,
    "totals": check_totals,
    "accounting": check_accounting,
}


# --- tests ----------------------------------------------------------------------------------


def test_the_document_has_the_expected_examples() -> None:
    expected = {"mode", "b2b-net", "b2c-gross", "unreachable", "shipping", "large-quantity", "jpy", "usd-eur"}
    assert expected <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example(name: str) -> None:
    example = EXAMPLES[name]
    tables = dict(example.tables)
    if "candidates" in tables:
        check_candidates(tables.pop("candidates"))
    if "rounding" in tables:
        check_rounding(tables.pop("rounding"))
    if "input" not in tables:
        assert not tables, f"{name}: output tables without an input table"
        return
    result = run(example)
    tables.pop("input")
    tables.pop("adjustments", None)
    assert "totals" in tables, f"{name}: every example shows its totals"
    for kind, table in tables.items():
        assert kind in CHECKS, f"{name}: unknown table kind {kind!r} (line {table.line_no})"
        CHECKS[kind](table, result)


def test_every_marker_is_well_formed() -> None:
    text = DOC.read_text("utf-8")
    markers = [line.strip() for line in text.splitlines() if line.strip().startswith("<!-- table:")]
    assert markers
    assert all(MARKER.fullmatch(m) for m in markers)
    assert sum(len(e.tables) for e in EXAMPLES.values()) == len(markers)


def test_a_wrong_figure_is_caught() -> None:
    """The checker itself: one cent off in a copy of the doc fails."""
    text = DOC.read_text("utf-8").replace("| 1 | 9.99 | 8.3250 | 8.33 | 8.32 |", "| 1 | 9.99 | 8.3250 | 8.33 | 8.33 |")
    example = parse_tables(text)["b2c-gross"]
    with pytest.raises(AssertionError, match="line 1, line net BT-131"):
        check_lines(example.tables["lines"], run(example))


def test_a_wrong_bt111_is_caught() -> None:
    """Writing the per-group sum as BT-111 (260.09 instead of 260.10) fails the check."""
    row = "| BT-110 converted once: BT-111 | 282.00 | 260.099613 | 260.10 |"
    text = DOC.read_text("utf-8")
    assert row in text
    example = parse_tables(text.replace(row, row.replace("260.10", "260.09")))["usd-eur"]
    with pytest.raises(AssertionError, match="BT-111, rounded"):
        check_accounting(example.tables["accounting"], run(example))
