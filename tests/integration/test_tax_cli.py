"""`facturier tax explain` and `facturier report oss` end to end (SQLite and PostgreSQL), and bad
tax input refused with exit 2, rule id and field path, nothing written."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.cli_support import CLI_TODAY, Cli
from tests.factories import EXAMPLES

BERLIN = {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"}


TODAY = CLI_TODAY  # the in-process CLI's today
QUARTER = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"


def b2c(order_id: str, amount: str, day: str = str(TODAY), **extra: Any) -> dict[str, Any]:
    return {
        "id": order_id,
        "date": day,
        "customer": {"type": "consumer", "name": "Hans Müller"},
        "billing_address": BERLIN,
        "lines": [{"name": "Lampe", "quantity": "1", "unit_price": amount}],
        **extra,
    }


def oss_cli(cli: Cli) -> Cli:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    cli.env = {**cli.env, "FACTURIER_ACCOUNT": "oss"}
    seller["branding"]["logo"] = ""  # the logo file stays beside examples/seller.json
    cli("init", "--from", cli.order_file("seller.json", {**seller, "oss_union": True}))
    return cli


def test_explain_table_and_json(cli: Cli) -> None:
    path = cli.order_file("o.json", b2c("E-1", "100.00"))
    data = cli.json("tax", "explain", path)
    line = data["lines"][0]
    assert (line["country"], line["category"], line["rate"], line["rule_id"]) == (
        "FR",
        "S",
        "20.0",
        "EU-DISTANCE-GOODS-ORIGIN",
    )
    assert data["threshold"]["exceeded"] is False and data["buyer_treatment"] == "consumer"
    assert "eu_vat_rates.csv FR standard" in line["rate_source"]
    table = cli("tax", "explain", path).stdout
    assert "VAT decisions (buyer treated as consumer)" in table and "- Threshold: previous year" in table
    assert cli.json("list") == []  # explain writes nothing


def test_report_oss_after_the_threshold(cli: Cli, tmp_path: Path) -> None:
    oss = oss_cli(cli)
    files = [oss.order_file(f"{i}.json", b2c(f"W-{i}", "4000.00", str(TODAY))) for i in range(4)]
    issued = oss.json("issue", *files)
    assert [Decimal(d["vat_breakdown"][0]["rate"]) for d in issued] == [20, 20, 19, 19]
    refund = {"id": "R-3", "kind": "credit_note", "corrects": issued[3]["number"]}
    oss.json("issue", oss.order_file("r.json", {**refund, "credit": {"amount": "119.00"}}))
    target = tmp_path / "oss.csv"
    report = oss.json("report", "oss", "--quarter", QUARTER, "--csv", str(target))
    de, total = report["lines"]
    assert (de["member_state"], de["rate"], de["taxable_base"], de["vat"]) == ("DE", "19.0", "7900.00", "1501.00")
    assert total["vat"] == "1501.00" and total["documents"] == "3"
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0][0] == "member_state" and rows[-1][0] == "TOTAL" and rows[-1][3] == "1501.00"
    assert "DE" in oss("report", "oss", "--quarter", QUARTER).stdout


def _line(**overrides: Any) -> dict[str, Any]:
    return {"name": "Lampe", "quantity": "1", "unit_price": "10", **overrides}


BAD_TAX_ORDERS = {
    "unknown country": (
        {"billing_address": {**BERLIN, "country": "XZ"}},
        "TAX-COUNTRY-UNKNOWN",
        "billing_address.country",
    ),
    "product class without a rate": ({"lines": [_line(tax_class="spaceships")]}, "TAX-RATE-NONE", "lines[0].tax_class"),
    "supply date before the data coverage": (
        {"delivery_date": "2023-06-30"},
        "TAX-RATE-COVERAGE",
        "delivery_date",
    ),
    "B2B VAT id failing its checksum": (
        {"customer": {"type": "business", "name": "Leuchten GmbH", "vat_id": "DE136695977"}},
        "EU-VATID",
        "customer.vat_id",
    ),
    "explicit rate contradicting the decision": (
        {"lines": [_line(vat_rate="7")]},
        "TAX-EXPLICIT-RATE",
        "lines[0].vat_rate",
    ),
    "foreign currency without exchange rate": ({"currency": "CHF"}, "TAX-EXCHANGE-RATE", "eur_exchange_rate"),
}


@pytest.mark.parametrize("case", sorted(BAD_TAX_ORDERS))
def test_bad_tax_input_is_refused_cleanly(cli: Cli, case: str) -> None:
    overrides, rule, field = BAD_TAX_ORDERS[case]
    data = {**b2c("BAD-1", "10.00"), **overrides}
    for command in (("issue",), ("tax", "explain")):
        result = cli(*command, cli.order_file("bad.json", data), code=2)
        assert rule in result.stderr and field in result.stderr, result.stderr
    assert cli.json("list") == []  # nothing written, no number taken
