"""CLI output read by programs and pipes, through the real CLI with stdout not a terminal:
tables as whole tab-separated lines, amounts with their currency's decimals (JSON strings),
and refusals as one JSON object on stdout with `--json` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.cli_support import Cli
from tests.factories import EXAMPLES, order_data

LONG_PATTERN = "FACTURE-EXPORT-{yyyy}-{seq:012d}"
LONG_NUMBER = "FACTURE-EXPORT-2026-000000000001"
LONG_BUYER = "Compagnie Générale des Luminaires et Appareillages Électriques de la Région Rhône-Alpes SARL"


def _long_seller(tmp_path: Path, env: dict[str, str]) -> Cli:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["series"] = {"invoice": {"pattern": LONG_PATTERN, "yearly_reset": True}}
    seller["branding"]["logo"] = ""
    (tmp_path / "seller.json").write_text(json.dumps(seller), encoding="utf-8")
    runner = Cli(env, tmp_path)
    runner("init", "--from", str(tmp_path / "seller.json"))
    return runner


def _big_order() -> dict[str, Any]:
    """A long buyer name and amounts of ten digits: 1000 x 987654.30 = 987654300.00 net."""
    data = order_data(id="BIG-1", date="2026-11-20")
    data["customer"]["name"] = LONG_BUYER
    data["lines"] = [{"name": "Lustre monumental", "quantity": "1000", "unit_price": "987654.30", "vat_rate": "20"}]
    return data


BIG_TOTAL = "1185185160.00 EUR"  # 987654300.00 + 20 % VAT 197530860.00


@pytest.fixture
def narrow(tmp_path: Path) -> Cli:
    """A seller with long numbers, and a CLI whose environment claims a 40-column terminal."""
    return _long_seller(tmp_path, {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "40"})


def _rows(stdout: str) -> list[list[str]]:
    """The tab-separated lines of a piped table (comment lines, the title, left out)."""
    return [line.split("\t") for line in stdout.splitlines() if "\t" in line and not line.startswith("#")]


def test_piped_tables_are_whole_tab_separated_lines(narrow: Cli) -> None:
    issued = narrow("issue", "--no-render", narrow.order_file("big.json", _big_order())).stdout
    header, row = _rows(issued)
    assert header == ["Source", "Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due"]
    day = date.fromisoformat(row[3]).isoformat()  # the issue date (today, unless the order back-dates)
    assert row == ["big.json", LONG_NUMBER, "invoice", day, LONG_BUYER, BIG_TOTAL, BIG_TOTAL]

    listed = narrow("list").stdout
    assert listed.splitlines()[0] == "# 1 documents"
    assert _rows(listed)[1][:6] == [LONG_NUMBER, "invoice", day, LONG_BUYER, BIG_TOTAL, BIG_TOTAL]

    shown = narrow("show", LONG_NUMBER).stdout
    assert shown.splitlines()[0] == f"# invoice {LONG_NUMBER} of {day} — {LONG_BUYER}"
    rows = _rows(shown)
    assert ["1", "Lustre monumental", "1000", "C62", "987654.30", "S 20 %", "987654300.00"] in rows
    assert ["", "Total incl. VAT", "", "", "", "", BIG_TOTAL] in rows
    for output in (issued, listed, shown):
        assert "…" not in output and "┃" not in output and "│" not in output
        assert all(len(line) < 400 for line in output.splitlines())  # one row per line, no padding


def test_piped_list_through_a_real_process_with_cut(narrow: Cli) -> None:
    """The installed console script in a subprocess, its stdout a pipe: `facturier list | cut -f1,5`."""
    narrow("issue", "--no-render", narrow.order_file("big.json", _big_order()))
    env = {**os.environ, **narrow.env}
    env.pop("COLUMNS")
    script = Path(sys.executable).with_name("facturier")
    listed = subprocess.run([script, "list"], env=env, capture_output=True, text=True, check=True, timeout=120)
    cut = subprocess.run(["cut", "-f1,5"], input=listed.stdout, capture_output=True, text=True, check=True)
    assert cut.stdout.splitlines()[1:] == ["Number\tTotal incl. VAT", f"{LONG_NUMBER}\t{BIG_TOTAL}"]


def test_amounts_in_json_are_strings_with_the_currency_decimals(cli: Cli) -> None:
    issued = cli.json("issue", "--no-render", cli.order_file("o.json", order_data(id="A-1")))[0]
    line = issued["lines"][0]  # 2 x 89.90
    assert (line["net_price"], line["net_amount"], line["vat_rate"], line["quantity"]) == ("89.90", "179.80", "20", "2")
    assert issued["lines"][1]["net_amount"] == "82.50"  # 1.5 h x 55
    assert issued["vat_breakdown"][0]["taxable_amount"] == "262.30"
    assert issued["totals"] == {
        "line_total": "262.30",
        "allowance_total": "0.00",
        "charge_total": "0.00",
        "tax_exclusive": "262.30",
        "tax_total": "52.46",
        "tax_inclusive": "314.76",
        "prepaid": "0.00",
        "rounding": "0.00",
        "payable": "314.76",
    }
    assert issued["payment_terms"]["recovery_indemnity"] == "40.00"
    assert cli.json("show", issued["number"])["totals"] == issued["totals"]

    jpy = order_data(id="J-1", currency="JPY", eur_exchange_rate="160.5")
    jpy["lines"] = [{"name": "Tasse", "quantity": "3", "unit_price": "1500", "vat_rate": "20"}]
    yen = cli.json("issue", "--no-render", cli.order_file("j.json", jpy))[0]
    assert (yen["lines"][0]["net_price"], yen["totals"]["tax_inclusive"], yen["totals"]["prepaid"]) == (
        "1500",
        "5400",
        "0",
    )
    listed = cli.json("list")
    assert [(d["tax_inclusive"], d["payable"], d["currency"]) for d in listed] == [
        ("314.76", "314.76", "EUR"),
        ("5400", "5400", "JPY"),
    ]
    assert all(isinstance(d["tax_inclusive"], str) for d in listed)

    credit = cli.json("credit", issued["number"], "--line", "1=1")[0]
    assert (credit["lines"][0]["net_amount"], credit["totals"]["tax_inclusive"]) == ("89.90", "107.88")


def test_issue_json_refusal_is_one_json_object_on_stdout(cli: Cli) -> None:
    data = order_data(id="X")
    data["lines"][0]["quantity"] = "deux"
    data["customer"]["name"] = "ACME\u202eSARL"
    result = cli("issue", "--json", cli.order_file("bad.json", data), code=2)
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "invalid_input"
    paths = {v["path"]: v for v in error["violations"]}
    assert {"bad.json: lines[0].quantity", "bad.json: customer.name"} <= {p.rpartition("/")[2] for p in paths}
    name = next(v for p, v in paths.items() if p.endswith("customer.name"))
    assert name["rule_id"] == "ORDER-SCHEMA" and name["message"].startswith("U+202E RIGHT-TO-LEFT OVERRIDE")
    assert result.stderr == ""
    assert cli.json("list") == []


def test_every_json_command_refuses_in_json(cli: Cli, tmp_path: Path) -> None:
    missing = json.loads(cli("show", "F2099-000001", "--json", code=2).stdout)["error"]
    assert missing["kind"] == "not_found" and "F2099-000001" in missing["message"] and missing["violations"] == []
    assert json.loads(cli("credit", "F2099-000001", "--json", code=2).stdout)["error"]["kind"] == "not_found"
    bad_type = json.loads(cli("list", "--type", "bill", "--json", code=2).stdout)["error"]
    assert bad_type["violations"][0]["rule_id"] == "CLI-TYPE"
    not_xml = tmp_path / "not-an-invoice.xml"
    not_xml.write_text("<html/>", encoding="utf-8")
    read = json.loads(cli("read", str(not_xml), "--json", code=2).stdout)
    assert read["file"] == str(not_xml) and read["error"]["kind"]
    validated = json.loads(cli("validate", str(not_xml), "--json", code=2).stdout)
    assert validated[0]["ok"] is False and validated[0]["error"]["kind"] == read["error"]["kind"]
    explain = cli("tax", "explain", cli.order_file("bad.json", '{"id": "X", "lines": [}'), "--json", code=2)
    assert json.loads(explain.stdout)["error"]["violations"][0]["rule_id"] == "ORDER-JSON"


def test_without_json_refusals_stay_on_stderr_for_people(cli: Cli) -> None:
    result = cli("show", "F2099-000001", code=2)
    assert result.stdout == "" and "error: " in result.stderr and "F2099-000001" in result.stderr


def test_tax_explain_json_amounts_have_two_decimals_and_rates_stay_rates(cli: Cli) -> None:
    order = {
        "id": "E-1",
        "customer": {"type": "consumer", "name": "Hans Müller"},
        "billing_address": {"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"},
        "lines": [{"name": "Lampe", "quantity": "1", "unit_price": "100.5", "tax_class": "reduced_2"}],
    }
    data = cli.json("tax", "explain", cli.order_file("e.json", order))
    threshold = data["threshold"]
    assert (threshold["previous_year_total"], threshold["order_amount"]) == ("0.00", "100.50")
    assert data["lines"][0]["rate"] == "5.5"  # a rate, not an amount
