"""The CLI end to end on a real database (SQLite and PostgreSQL), including bad input:
each refused input exits 2, names the field and the rule, writes nothing and consumes no number."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.cli_support import CLI_TODAY, Cli
from tests.factories import EXAMPLES, order_data


def test_examples_issue_show_list_verify(cli: Cli) -> None:
    files = sorted(str(p) for p in (EXAMPLES / "orders").glob("*.json"))
    issued = cli.json("issue", *files)
    numbers = [d["number"] for d in issued]
    assert numbers == [
        "F2026-000001",
        "F2026-000002",
        "AV2026-000001",
        "AC2026-000001",
        "F2026-000003",
        "F2026-000004",  # 06-b2c-germany.json: rates decided by the tax engine
    ]
    final = issued[4]
    assert final["totals"]["prepaid"] == issued[3]["totals"]["tax_inclusive"]  # BT-113 deducts the deposit
    assert final["preceding"][0]["number"] == "AC2026-000001"
    assert issued[2]["preceding"][0]["number"] == "F2026-000002"
    paths = {a["name"]: a["path"] for a in issued[0]["artefacts"]}
    assert Path(paths["document.pdf"]).read_bytes().startswith(b"%PDF")  # the archived PDF is where we say
    assert paths["document.json"] == "(database: documents.canonical)"
    assert {"number", "issue_date", "seller", "buyer", "lines", "vat_breakdown", "totals"} <= set(issued[0])

    again = cli.json("issue", *files)  # shops resend webhooks: same orders, same documents
    assert [d["number"] for d in again] == numbers

    shown = cli.json("show", "F2026-000001")
    assert shown["number"] == "F2026-000001" and shown["buyer"]["siren"] == "891234569"
    listed = cli.json("list")
    assert [d["number"] for d in listed] == numbers
    assert "Ledger OK: 6 records" in cli("verify").stdout


def test_credit_quote_convert(cli: Cli) -> None:
    cli("issue", cli.order_file("o.json", order_data(id="A-1")))
    partial = cli.json("credit", "F2026-000001", "--line", "1=1", "--reason", "casse")
    assert partial[0]["number"] == "AV2026-000001" and partial[0]["lines"][0]["quantity"] == "1"
    rest = cli.json("credit", "F2026-000001")  # after a partial credit: what remains, as an amount
    invoice = cli.json("show", "F2026-000001")
    credited = sum(float(x) for x in (partial[0]["totals"]["tax_inclusive"], rest[0]["totals"]["tax_inclusive"]))
    assert round(credited, 2) == float(invoice["totals"]["tax_inclusive"])
    cli("credit", "F2026-000001", "--amount", "0.01", code=2)  # nothing remains

    quote = cli.json("quote", cli.order_file("q.json", order_data(id="Q-1")))
    assert quote[0]["number"] == "D2026-000001" and quote[0]["valid_until"]
    converted = cli.json("convert", "D2026-000001")
    assert converted[0]["number"] == "F2026-000002" and converted[0]["document_type"] == "380"
    assert cli.json("convert", "D2026-000001")[0]["number"] == "F2026-000002"  # converts once


def test_schema_order_is_json_schema(cli: Cli) -> None:
    schema = json.loads(cli("schema", "order").stdout)
    assert schema["title"] == "OrderIn" and "lines" in schema["properties"]


def _line(**overrides: Any) -> dict[str, Any]:
    return {"name": "Lampe", "quantity": "1", "unit_price": "10", "vat_rate": "20", **overrides}


def DAYS_AGO(days: int) -> date:
    """A date `days` before today in the demo seller's calendar (the CLI runs on the real clock)."""
    return CLI_TODAY - timedelta(days=days)


BAD_ORDERS = {
    "unknown currency": ({"currency": "EUX"}, "BR-CL-04", "currency"),
    "unknown unit code": ({"lines": [_line(unit="BOX9")]}, "BR-CL-23", "lines[0].unit"),
    "negative quantity": ({"lines": [_line(quantity="-2")]}, "FR-QTY-POSITIVE", "lines[0].quantity"),
    "B2B French buyer without SIREN": (
        {"customer": {"type": "business", "name": "Sans SIREN SAS", "vat_id": "FR84891234569"}},
        "FR-CGI-242NA-SIREN-BUYER",
        "customer.siren",
    ),
    "SIREN with a wrong checksum": (
        {"customer": {"type": "business", "name": "X SAS", "siren": "891234568"}},
        "FR-SIREN",
        "customer.siren",
    ),
    "VAT id with a wrong checksum": (
        {"customer": {"type": "business", "name": "X SAS", "siren": "891234569", "vat_id": "FR85891234569"}},
        "EU-VATID",
        "customer.vat_id",
    ),
    "issue date earlier than the last one": ({"issue_date": str(DAYS_AGO(9))}, "NUM-CHRONO", "issue_date"),
}


def _assert_refused(cli: Cli, result: Any, rule: str, field: str) -> None:
    assert rule in result.stderr, result.stderr
    assert field in result.stderr, result.stderr
    assert "nothing was written" in result.stderr


@pytest.mark.parametrize("case", sorted(BAD_ORDERS))
def test_bad_order_is_refused_cleanly(cli: Cli, case: str) -> None:
    cli("issue", cli.order_file("ok.json", order_data(id="OK-1", issue_date=str(DAYS_AGO(2)))))
    overrides, rule, field = BAD_ORDERS[case]
    result = cli("issue", cli.order_file("bad.json", order_data(id="BAD-1", **overrides)), code=2)
    _assert_refused(cli, result, rule, field)
    assert [d["number"] for d in cli.json("list")] == ["F2026-000001"]  # nothing written
    after = cli.json("issue", cli.order_file("next.json", order_data(id="OK-2")))
    assert after[0]["number"] == "F2026-000002"  # no number consumed


def test_malformed_json_is_refused(cli: Cli) -> None:
    result = cli("issue", cli.order_file("bad.json", '{"id": "X", "lines": [}'), code=2)
    _assert_refused(cli, result, "ORDER-JSON", "bad.json")
    assert cli.json("list") == []


def test_schema_errors_name_every_field(cli: Cli) -> None:
    data = order_data(id="X")
    data["lines"][0]["quantity"] = "deux"
    data["lines"][1]["vat_rate"] = "120"
    data["colour"] = "blue"
    result = cli("issue", cli.order_file("bad.json", data), code=2)
    for path in ("lines[0].quantity", "lines[1].vat_rate", "colour"):
        assert path in result.stderr


@pytest.mark.parametrize(
    ("field", "value"),
    [("quantity", "1e999999"), ("quantity", 1e308), ("unit_price", "123456789012345.1234567"), ("vat_rate", "NaN")],
)
def test_hostile_numbers_are_refused(cli: Cli, field: str, value: object) -> None:
    data = order_data(id="X", lines=[_line(**{field: value})])
    result = cli("issue", cli.order_file("bad.json", data), code=2)
    assert f"lines[0].{field}" in result.stderr
    assert cli.json("list") == []


def test_credit_larger_than_remaining_is_refused(cli: Cli) -> None:
    cli("issue", cli.order_file("o.json", order_data(id="A-1")))
    total = cli.json("show", "F2026-000001")["totals"]["tax_inclusive"]
    result = cli("credit", "F2026-000001", "--amount", "100000", code=2)
    _assert_refused(cli, result, "FR-CREDIT-REMAINING", "credit")
    assert total in result.stderr
    result = cli("credit", "F2026-000001", "--line", "1=3", code=2)  # the line has 2
    _assert_refused(cli, result, "FR-CREDIT-REMAINING", "credit.lines.1")
    assert [d["number"] for d in cli.json("list")] == ["F2026-000001"]
    assert cli.json("credit", "F2026-000001")[0]["number"] == "AV2026-000001"


def test_batch_with_one_bad_order_writes_nothing(cli: Cli) -> None:
    good = cli.order_file("good.json", order_data(id="G-1"))
    bad = cli.order_file("bad.json", order_data(id="B-1", currency="EUX"))
    result = cli("issue", good, bad, code=2)
    assert "bad.json: currency" in result.stderr
    assert cli.json("list") == []


def test_unknown_document_is_a_clear_error(cli: Cli) -> None:
    result = cli("show", "F2099-000001", code=2)
    assert "F2099-000001" in result.stderr
    cli("credit", "F2099-000001", code=2)


def test_make_run_layout_works_from_a_copy(tmp_path: Path) -> None:
    """`make run` uses examples/ relative to the checkout: the demo seller file must ship."""
    assert (EXAMPLES / "seller.json").is_file()
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    assert len(list((tmp_path / "examples" / "orders").glob("*.json"))) == 6


def test_seller_chooses_its_numbering(tmp_path: Path) -> None:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["series"] = {"invoice": {"pattern": "FA-{yy}{mm}-{seq:04d}", "yearly_reset": True}}
    seller["branding"]["logo"] = ""
    (tmp_path / "seller.json").write_text(json.dumps(seller), encoding="utf-8")
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    runner("init", "--from", str(tmp_path / "seller.json"))
    issued = runner.json("issue", runner.order_file("o.json", order_data(id="A-1", date="2026-11-20")))
    assert issued[0]["number"] == f"FA-{DAYS_AGO(0):%y%m}-0001"  # issued today, in the seller's calendar
    quote = runner.json("quote", runner.order_file("q.json", order_data(id="Q-1", date="2026-11-20")))
    assert quote[0]["number"] == "D2026-000001"  # the other series keep their defaults


@pytest.mark.parametrize(
    ("series", "fragment"),
    [
        ({"pattern": "FA-{seq}{seq}"}, "exactly one {seq}"),
        ({"pattern": "FA-{seq:06d}", "yearly_reset": True}, "{yyyy}"),
    ],
)
def test_bad_numbering_pattern_is_refused_at_init(tmp_path: Path, series: dict[str, Any], fragment: str) -> None:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["series"] = {"invoice": series}
    seller["branding"]["logo"] = ""
    (tmp_path / "seller.json").write_text(json.dumps(seller), encoding="utf-8")
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    result = runner("init", "--from", str(tmp_path / "seller.json"), code=2)
    assert "NUM-PATTERN" in result.stderr and "series.invoice.pattern" in result.stderr and fragment in result.stderr


def _seller_file(cli: Cli, **changes: Any) -> str:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["branding"]["logo"] = ""
    return cli.order_file("seller.json", {**seller, **changes})


# Every refusal of the CLI and its services: (command, rule id, field); run after one invoice is issued.
REFUSALS: dict[str, tuple[Any, str, str]] = {
    "credit line without quantity": (["credit", "F2026-000001", "--line", "1"], "CLI-LINE", "--line"),
    "credit amount not a number": (["credit", "F2026-000001", "--amount", "abc"], "CLI-NUMBER", "amount"),
    "credit lines and amount": (
        ["credit", "F2026-000001", "--line", "1=1", "--amount", "1"],
        "CREDIT-MODE",
        "credit",
    ),
    "credit unknown line": (["credit", "F2026-000001", "--line", "9=1"], "CREDIT-LINE", "credit.lines.9"),
    "list unknown type": (["list", "--type", "banana"], "CLI-TYPE", "--type"),
    "convert an invoice": (["convert", "F2026-000001"], "QUOTE-CONVERT", "number"),
    "init twice": (["init", "--demo"], "INIT-EXISTS", "account"),
    "export a kind not archived": (["export", "F2026-000002", "--pdf"], "EXPORT-NONE", "F2026-000002"),
    "discount with amount and percent": (
        lambda cli: [
            "issue",
            cli.order_file("o.json", order_data(id="X", discounts=[{"amount": "1", "percent": "5"}])),
        ],
        "ORDER-ADJUSTMENT",
        "discounts[0]",
    ),
    "unknown VAT category": (
        lambda cli: ["issue", cli.order_file("o.json", order_data(id="X", lines=[_line(vat_category="XX")]))],
        "BR-CL-18",
        "lines[0].vat_category",
    ),
    "order too large": (
        lambda cli: ["issue", cli.order_file("o.json", json.dumps(order_data(id="X")) + " " * 5_000_001)],
        "ORDER-SIZE",
        "$",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_every_refusal_names_its_rule_and_writes_nothing(cli: Cli, case: str) -> None:
    cli("issue", cli.order_file("ok.json", order_data(id="OK-1")))
    cli("issue", "--no-render", cli.order_file("bare.json", order_data(id="OK-2")))
    before = cli.json("list")
    command, rule, field = REFUSALS[case]
    args = command(cli) if callable(command) else command
    result = cli(*args, code=2)
    assert rule in result.stderr and field in result.stderr, result.stderr
    assert cli.json("list") == before  # nothing written, no number consumed


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"iban": "FR7630006000011234567890188"}, "SELLER-IBAN", "iban"),
        ({"name": None}, "SELLER-SCHEMA", "name"),
        ({"facturx_profile": "minimum"}, "SELLER-SCHEMA", "facturx_profile"),  # read, never written
    ],
)
def test_bad_seller_file_is_refused(tmp_path: Path, changes: dict[str, Any], rule: str, field: str) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    result = runner("init", "--from", _seller_file(runner, **changes), code=2)
    assert rule in result.stderr and field in result.stderr, result.stderr
    assert runner("init", "--from", _seller_file(runner), code=0)  # nothing was created: init works after


def test_a_default_profile_that_is_not_written_is_refused(tmp_path: Path) -> None:
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runner = Cli(env, tmp_path)
    runner("init", "--from", _seller_file(runner), code=0)
    order = runner.order_file("o.json", order_data(id="MIN-1"))
    refused = Cli({**env, "FACTURIER_FACTURX_PROFILE": "minimum"}, tmp_path)("issue", order, code=2)
    assert "SETTINGS" in refused.stderr and "FACTURIER_FACTURX_PROFILE" in refused.stderr, refused.stderr
    assert runner.json("list") == []  # nothing issued, no number used


def test_malformed_seller_file_is_refused(tmp_path: Path) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    result = runner("init", "--from", runner.order_file("seller.json", "{not json"), code=2)
    assert "SELLER-JSON" in result.stderr
