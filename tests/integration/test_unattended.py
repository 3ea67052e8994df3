"""What an unattended flow relies on, through the real CLI on SQLite and PostgreSQL: orders
delivered twice (concurrently too), changed under the same id, dated in the future, and the
ledger protecting what issuing reads back (source ids, VAT facts) and naming missing records."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from tests.cli_support import CLI_TODAY, Cli
from tests.factories import order_data

from facturier.bootstrap import build
from facturier.config import Settings


def _today() -> date:
    return CLI_TODAY  # the in-process CLI's today (tests/cli_support.py)


def _run_cli(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **cli.env}
    code = "from facturier.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _documents(cli: Cli) -> list[dict[str, Any]]:
    return cli.json("list")  # type: ignore[no-any-return]


def test_concurrent_deliveries_of_one_order_give_one_document(cli: Cli) -> None:
    path = cli.order_file("o.json", order_data(id="WEB-1001"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "from facturier.cli.main import main; main()", "issue", path, "--json"],
            env={**os.environ, **cli.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    numbers = {json.loads(out)[0]["number"] for out, _ in outputs}
    first = f"F{datetime.now(ZoneInfo('Europe/Paris')).year}-000001"  # subprocesses run on the real clock
    assert numbers == {first}  # every delivery is answered with the one document
    assert [d["number"] for d in _documents(cli)] == [first]
    cli("verify")


def test_same_id_other_content_is_a_conflict_naming_the_difference(cli: Cli) -> None:
    first = cli.json("issue", cli.order_file("a.json", order_data(id="WEB-7")))[0]
    again = cli.json("issue", cli.order_file("b.json", order_data(id="WEB-7")))[0]
    assert again["number"] == first["number"]  # same content: the same document
    changed = order_data(id="WEB-7")
    changed["lines"][0]["unit_price"] = "99.90"
    changed["customer"]["name"] = "Autre client SARL"
    result = cli("issue", cli.order_file("c.json", changed), code=2)
    assert "ORDER-CONFLICT" in result.stderr
    assert "lines[0].unit_price" in result.stderr and "customer.name" in result.stderr
    assert first["number"] in result.stderr
    assert [d["number"] for d in _documents(cli)] == [first["number"]]


def test_empty_order_id_is_refused(cli: Cli) -> None:
    result = cli("issue", cli.order_file("o.json", order_data(id="  ")), code=2)
    assert "ORDER-ID" in result.stderr and "id" in result.stderr
    assert _documents(cli) == []


def test_future_issue_date_is_refused_and_locks_nothing(cli: Cli) -> None:
    tomorrow = _today() + timedelta(days=1)
    result = cli("issue", cli.order_file("f.json", order_data(id="F-1", issue_date=str(tomorrow))), code=2)
    assert "ISSUE-DATE-FUTURE" in result.stderr and "issue_date" in result.stderr
    later_order = order_data(id="F-2", date=str(tomorrow))  # an order dated after today's invoice
    result = cli("issue", cli.order_file("g.json", later_order), code=2)
    assert "ORDER-DATE" in result.stderr
    ok = cli.json("issue", cli.order_file("h.json", order_data(id="F-3", date=str(_today()))))[0]
    assert (ok["number"], ok["issue_date"]) == ("F2026-000001", str(_today()))


def test_backdating_within_the_window_stays_chronological(cli: Cli) -> None:
    today = _today()
    older, old = today - timedelta(days=5), today - timedelta(days=2)
    cli("issue", cli.order_file("a.json", order_data(id="B-1", date=str(older), issue_date=str(old))))
    result = cli(
        "issue", cli.order_file("b.json", order_data(id="B-2", date=str(older), issue_date=str(older))), code=2
    )
    assert "NUM-CHRONO" in result.stderr  # numbers follow dates
    too_old = today - timedelta(days=40)
    result = cli(
        "issue", cli.order_file("c.json", order_data(id="B-3", date=str(too_old), issue_date=str(too_old))), code=2
    )
    assert "ISSUE-DATE-WINDOW" in result.stderr
    assert len(_documents(cli)) == 1


def _b2c_germany(order_id: str) -> dict[str, Any]:
    return order_data(
        id=order_id,
        customer={"type": "consumer", "name": "Anna Schmidt"},
        billing_address={"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"},
        prices_include_vat=True,
        lines=[{"name": "Lampe", "quantity": "1", "unit_price": "119.00"}],
        payment={"status": "paid", "method": "card"},
    )


def _tamper(cli: Cli, sql: str) -> None:
    """Change a row as an attacker with database access would (immutability triggers bypassed)."""
    app = build(Settings(**_settings(cli)))
    with app.db.engine.begin() as conn:
        if app.db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
                conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(text(sql))
    app.db.engine.dispose()


def _settings(cli: Cli) -> dict[str, Any]:
    settings: dict[str, Any] = {"data_dir": Path(cli.env["FACTURIER_DATA_DIR"])}
    if "FACTURIER_DATABASE_URL" in cli.env:
        settings["database_url"] = cli.env["FACTURIER_DATABASE_URL"]
    return settings


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE documents SET source_id = 'order:invoice:OTHER' WHERE number = 'F2026-000001'", "source_id"),
        ("UPDATE tax_facts SET distance_eur = '0.00', vat_country = 'FR'", "VAT facts"),
        ("DELETE FROM tax_facts", "VAT facts are missing"),
    ],
    ids=["source id", "VAT facts changed", "VAT facts removed"],
)
def test_verify_protects_source_ids_and_vat_facts(cli: Cli, sql: str, expected: str) -> None:
    cli("issue", cli.order_file("de.json", _b2c_germany("DE-1")))
    cli("verify")
    _tamper(cli, sql)
    result = cli("verify", code=1)
    assert expected in result.stderr, result.stderr
    assert "#1" in result.stderr


def test_verify_names_the_missing_last_records(cli: Cli) -> None:
    for i in range(3):
        cli("issue", cli.order_file(f"o{i}.json", order_data(id=f"L-{i}")))
    _tamper(cli, "DELETE FROM artefacts WHERE ledger_seq >= 2")
    _tamper(cli, "DELETE FROM documents WHERE ledger_seq >= 2")
    _tamper(cli, "DELETE FROM ledger WHERE seq >= 2")
    result = cli("verify", code=1)
    first_line = result.stderr.splitlines()[0]
    assert "#2 to #3 is missing" in first_line, result.stderr
    assert "holds 3 records" in first_line


def test_text_no_font_prints_is_refused_even_without_the_einvoice_check(cli: Cli) -> None:
    cli.env = {**cli.env, "FACTURIER_VALIDATE_EINVOICE": "false"}
    order = order_data(id="G-1")
    order["lines"][0]["name"] = "Lampe \U0010fffd"  # private use: no shipped font draws it
    result = cli("issue", cli.order_file("g.json", order), code=2)
    assert "RENDER-GLYPH" in result.stderr and "lines[0].name" in result.stderr
    assert _documents(cli) == []


def test_a_profile_updated_while_issuing_is_the_one_the_document_carries(db, clock) -> None:  # type: ignore[no-untyped-def]
    """`seller update` lands between the draft and the lock: the document is prepared again."""
    from dataclasses import replace as dc_replace

    from tests.factories import EXAMPLES, new_account
    from tests.factories import draft as make_draft

    from facturier.domain.canonical import canonical_bytes, from_canonical
    from facturier.domain.events import LedgerEvent
    from facturier.services.issue import Draft, Submission
    from facturier.services.issuing import Issuer, issue
    from facturier.services.seller_profile import update_profile

    account = new_account(db)
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["branding"]["logo"] = ""
    seller["name"] = "Atelier Lumière Renommé SAS"
    calls: list[int] = []

    def build(tx, profile, day, _context):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:  # a concurrent `seller update`, committed before this draft is numbered
            update_profile(db, account, json.dumps(seller).encode(), clock)
        return Draft(dc_replace(make_draft(day), seller=profile.party))

    [issued] = issue(Issuer(db, clock), account, [Submission(build, issue_date=None)])
    assert issued.document.seller.name == "Atelier Lumière Renommé SAS"
    with db.reading(account) as tx:
        current = tx.profile()
        row = tx.conn.exec_driver_sql("SELECT payload FROM ledger WHERE kind = 'document.issued'").one()
    event = from_canonical(LedgerEvent, bytes(row[0]))
    assert event.seller_sha256 == hashlib.sha256(canonical_bytes(current)).hexdigest()


def test_a_refund_names_the_invoice_by_its_order_id(cli: Cli) -> None:
    invoice = cli.json("issue", cli.order_file("o.json", order_data(id="WEB-9")))[0]
    refund = {"id": "RMA-9", "kind": "credit_note", "corrects_order": "WEB-9", "credit": {"amount": "24.00"}}
    credit = cli.json("issue", cli.order_file("r.json", refund))[0]
    assert credit["preceding"][0]["number"] == invoice["number"]
    unknown = {**refund, "id": "RMA-10", "corrects_order": "WEB-404"}
    result = cli("issue", cli.order_file("u.json", unknown), code=2)
    assert "ORDER-CORRECTS" in result.stderr and "corrects_order" in result.stderr
    assert len(_documents(cli)) == 2  # the invoice and its credit note: nothing more


def test_the_customer_language_decides_the_pdf_language(cli: Cli, tmp_path: Path) -> None:
    """A customer in France who asked for English gets an English invoice (and credit note)."""
    from pypdf import PdfReader

    order = order_data(id="EN-1")
    order["customer"]["language"] = "en"
    invoice = cli.json("issue", cli.order_file("en.json", order))[0]
    credit = cli.json("credit", invoice["number"], "--amount", "10.00")[0]
    french = cli.json("issue", cli.order_file("fr.json", order_data(id="FR-1")))[0]
    expected = ((invoice["number"], "Invoice"), (credit["number"], "Credit note"), (french["number"], "Facture"))
    for number, words in expected:
        cli("export", number, "--pdf", "--out", str(tmp_path / number))
        pdf = next((tmp_path / number).glob("*.pdf"))
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert words in text, (number, text[:200])


@pytest.mark.parametrize(
    ("change", "rule", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "SELLER-TIMEZONE", "timezone"),
        ({"vies": {"enabled": True, "url": "http://127.0.0.1:9/steal"}}, "SELLER-SCHEMA", "vies.url"),
    ],
    ids=["unknown time zone", "a seller cannot choose the VIES endpoint"],
)
def test_bad_seller_settings_are_refused_at_init(tmp_path: Path, change: dict[str, Any], rule: str, field: str) -> None:
    from tests.factories import EXAMPLES

    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["branding"]["logo"] = ""
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    result = runner("init", "--from", runner.order_file("seller.json", {**seller, **change}), code=2)
    assert rule in result.stderr and field in result.stderr, result.stderr
    assert "Created seller account" not in result.stdout
    assert "no seller account" in runner("list", code=2).stderr  # nothing was created


def test_one_id_twice_in_a_batch_with_other_content_is_a_conflict(db, clock) -> None:  # type: ignore[no-untyped-def]
    """The second is found under the lock (issued by the first, same batch): one clean conflict."""
    from tests.factories import new_account

    from facturier.domain.errors import Conflict
    from facturier.services.issuing import Issuer, issue, order_submission
    from facturier.services.orders import parse_order

    account = new_account(db)
    changed = order_data(id="DUP-1")
    changed["lines"][0]["quantity"] = "3"
    orders = [parse_order(json.dumps(o).encode()) for o in (order_data(id="DUP-1"), changed)]
    with pytest.raises(Conflict) as refused:
        submissions = [order_submission(orders[0], "a.json"), order_submission(orders[1], "b.json")]
        issue(Issuer(db, clock), account, submissions)
    [violation] = refused.value.violations
    assert (violation.rule_id, violation.path) == ("ORDER-CONFLICT", "b.json: id")
    assert "lines[0].quantity" in violation.message
    with db.reading(account) as tx:
        assert tx.documents.count() == 0  # all or nothing: the first is not issued either
