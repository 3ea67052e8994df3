"""`facturier validate / read / show / export / acquit` end to end, on SQLite and PostgreSQL;
hostile files through `validate` and `read` exit 2 with a clear message in bounded time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.cli_support import Cli
from tests.einvoice.hostile.generate import CASES
from tests.factories import EXAMPLES, order_data
from typer.testing import CliRunner

from facturier.cli.main import app

CONTENT_CASES = {"exponent_amount", "impossible_date", "missing_settlement", "unknown_type_code"}


def _issue_example(cli: Cli) -> dict:  # type: ignore[type-arg]
    return cli.json("issue", str(EXAMPLES / "orders" / "01-b2b-france.json"))[0]


def test_issue_show_export_validate_read(cli: Cli, tmp_path: Path) -> None:
    table = cli("issue", str(EXAMPLES / "orders" / "01-b2b-france.json")).stdout
    pdf_line = next(line for line in table.splitlines() if line.startswith("F2026-000001  PDF: "))
    assert Path(pdf_line.split("PDF: ", 1)[1]).read_bytes().startswith(b"%PDF")  # the path printed is the PDF
    shown = cli("show", "F2026-000001").stdout
    for name in ("document.json", "document.pdf", "factur-x.xml", "ubl.xml"):
        assert name in shown
    artefacts = cli.json("show", "F2026-000001")["artefacts"]
    names = {"document.json", "request.json", "document.pdf", "factur-x.xml", "ubl.xml"}
    assert {a["name"] for a in artefacts} == names
    assert all(Path(a["path"]).is_file() for a in artefacts if a["name"] != "document.json")

    out = tmp_path / "out"
    cli("export", "F2026-000001", "--out", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "F2026-000001-factur-x.xml",
        "F2026-000001-request.json",
        "F2026-000001-ubl.xml",
        "F2026-000001.json",
        "F2026-000001.pdf",
    ]
    xml_only = tmp_path / "xml"
    cli("export", "F2026-000001", "--xml", "--out", str(xml_only))
    assert sorted(p.name for p in xml_only.iterdir()) == ["F2026-000001-factur-x.xml", "F2026-000001-ubl.xml"]

    files = [str(out / n) for n in names if not n.endswith(".json")]
    assert "valid" in cli("validate", *files).stdout
    reports = cli.json("validate", *files)
    assert [r["ok"] for r in reports] == [True, True, True]
    assert reports[2]["container"] == "pdf:factur-x.xml"

    for path in files:
        read = cli.json("read", path)
        assert read["document"]["number"] == "F2026-000001" and read["validation"]["ok"]
    plain = cli("read", files[0]).stdout
    assert plain.lstrip().startswith("{") and "valid" in plain


def test_validate_reports_violations_with_exit_1(cli: Cli, tmp_path: Path) -> None:
    _issue_example(cli)
    cli("export", "F2026-000001", "--xml", "--out", str(tmp_path / "out"))
    cii = (tmp_path / "out" / "F2026-000001-factur-x.xml").read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(cii.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>1", 1))
    result = cli("validate", str(bad), code=1)
    assert "fatal violation" in result.stdout and "BR-CO-16" in result.stdout
    report = json.loads(cli("validate", str(bad), "--json", code=1).stdout)[0]
    assert not report["ok"] and any(v["rule_id"] == "BR-CO-16" for v in report["violations"])
    # several files: the worst outcome wins (2: one could not be used at all)
    junk = tmp_path / "junk.xml"
    junk.write_text("not xml")
    assert "not well-formed" in cli("validate", str(bad), str(junk), code=2).stderr


def test_unreadable_and_missing_files_exit_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nowhere.xml"), code=2)
    assert "cannot read" in result.stderr
    assert "cannot read" in cli("read", str(tmp_path / "nowhere.pdf"), code=2).stderr
    order = tmp_path / "order.json"
    order.write_text(json.dumps(order_data()))
    assert "not well-formed XML" in cli("validate", str(order), code=2).stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_files_exit_2_in_bounded_time(tmp_path: Path, name: str) -> None:
    build, _ = CASES[name]
    path = tmp_path / name
    path.write_bytes(build())
    runner = CliRunner()
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data")}
    for command, expected in (("validate", 1 if name in CONTENT_CASES else 2), ("read", 2)):
        started = time.perf_counter()
        result = runner.invoke(app, [command, str(path)], env=env, catch_exceptions=False)
        assert time.perf_counter() - started < 5.0
        assert result.exit_code == expected, (command, result.output)
        if expected == 2:
            assert result.stderr.startswith(f"error: {path}: ") and "Traceback" not in result.output


def test_issue_no_render_still_validates(cli: Cli) -> None:
    issued = cli.json("issue", "--no-render", str(EXAMPLES / "orders" / "01-b2b-france.json"))[0]
    assert [a["name"] for a in issued["artefacts"]] == ["document.json", "request.json"]  # no file rendered
    assert "no archived file of that kind" in cli("export", "F2026-000001", "--pdf", code=2).stderr
    data = order_data(id="X-2")
    del data["customer"]["electronic_address"]
    path = cli.order_file("no-address.json", data)
    refused = cli("issue", "--no-render", path, code=2)
    assert "BR-FR-12" in refused.stderr and "nothing was written" in refused.stderr
    assert cli("issue", cli.order_file("ok.json", order_data(id="X-3")), "--json").exit_code == 0
    assert cli.json("show", "F2026-000002")["number"] == "F2026-000002"  # no number was burned


def test_acquit(cli: Cli, tmp_path: Path) -> None:
    invoice = _issue_example(cli)
    today = invoice["issue_date"]
    first = cli.json("acquit", "F2026-000001", "--paid-on", today, "--method", "transfer", "--amount", "100")
    assert first["ledger_seq"] == 2 and first["artefact"]["name"] == "receipt-1.pdf"  # partly paid: a receipt
    assert Path(first["artefact"]["path"]).is_file()
    done = cli("acquit", "F2026-000001", "--paid-on", today, "--method", "card", "--reference", "CB-42")
    assert "Remaining: 0.00 EUR" in done.stdout
    cli("acquit", "F2026-000001", "--paid-on", today, "--method", "card", code=2)  # nothing left
    cli("acquit", "F2026-000001", "--paid-on", "27/11/2026", "--method", "card", code=2)  # bad date
    assert {"receipt-1.pdf", "paid-2.pdf"} <= {a["name"] for a in cli.json("show", "F2026-000001")["artefacts"]}
    cli("export", "F2026-000001", "--pdf", "--out", str(tmp_path / "pdf"))
    assert (tmp_path / "pdf" / "F2026-000001-paid-2.pdf").is_file()
    assert "Ledger OK: 3 records" in cli("verify").stdout
