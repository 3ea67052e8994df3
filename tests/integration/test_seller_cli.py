"""The CLI around the seller profile: `seller update`, `init` without a terminal, `init` refusing a
profile that cannot issue B2B invoices, and schematron findings named by the order field in the
customer's language. SQLite and PostgreSQL (the `cli` fixture) where a database is involved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli_support import Cli
from tests.factories import EXAMPLES, order_data

FACTURIER = str(Path(sys.executable).parent / "facturier")


def seller_file(tmp_path: Path, **changes: Any) -> str:
    data = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    data["branding"].pop("logo")
    data.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    path = tmp_path / "seller.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_init_without_a_terminal_fails_and_creates_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "FACTURIER_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("FACTURIER_DATABASE_URL", None)
    done = subprocess.run(
        [FACTURIER, "init"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "INIT-NO-TTY" in done.stderr and "--from" in done.stderr
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr
    assert not data.exists()  # no database, no archive


def test_init_refuses_a_french_b2b_seller_without_electronic_address_or_penalty_rate(tmp_path: Path) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200", "LANG": "en_GB.UTF-8"}, tmp_path)
    refused = runner("init", "--from", seller_file(tmp_path, electronic_address=None, late_penalty_rate=None), code=2)
    assert "[BR-FR-13_BT-34] electronic_address: the seller's electronic invoicing address is required" in (
        refused.stderr
    )
    assert "[FR-L441-9-PENALTY] late_penalty_rate:" in refused.stderr
    assert "sample invoice" not in refused.stderr  # every problem is the seller file's
    runner("verify", code=2)  # no seller account was created
    runner("init", "--from", seller_file(tmp_path))  # the complete file is accepted


def test_init_messages_follow_the_locale(tmp_path: Path) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200", "LANG": "fr_FR.UTF-8"}, tmp_path)
    refused = runner("init", "--from", seller_file(tmp_path, electronic_address=None), code=2)
    assert "[BR-FR-13_BT-34] electronic_address: l'adresse électronique de facturation du vendeur" in refused.stderr


def test_seller_update_records_a_version_and_verify_passes(cli: Cli, tmp_path: Path) -> None:
    first = cli.json("issue", str(EXAMPLES / "orders" / "01-b2b-france.json"))[0]["number"]
    updated = cli.json("seller", "update", seller_file(tmp_path, payment_days=45))
    assert updated["version"] == 2 and updated["changed"] is True
    history = cli.json("seller", "history")
    assert [v["version"] for v in history] == [1, 2] and history[1]["sha256"] == updated["sha256"]
    assert cli.json("seller", "update", seller_file(tmp_path, payment_days=45))["changed"] is False
    refused = cli("seller", "update", seller_file(tmp_path, siren="732829320"), code=2)
    assert "[FR-SIRET] siret: SIRET does not start with the SIREN" in refused.stderr  # the seller file's name
    another = seller_file(tmp_path, siren="732829320", siret="", vat_id="FR44732829320")
    assert "[SELLER-IDENTITY] siren" in cli("seller", "update", another, code=2).stderr
    assert first
    cli("verify")


def _order_without_buyer_address(cli: Cli, language: str) -> str:
    data = order_data(id=f"EA-{language}")
    data["customer"] = {**data["customer"], "language": language}
    del data["customer"]["electronic_address"]
    return cli.order_file(f"order-{language}.json", data)


def test_schematron_finding_names_the_order_field_in_french(cli: Cli) -> None:
    refused = cli("issue", _order_without_buyer_address(cli, "fr"), code=2)
    assert "[BR-FR-12_BT-49]" in refused.stderr
    assert "customer.electronic_address: l'adresse électronique de facturation de l'acheteur est obligatoire" in (
        refused.stderr
    )
    assert "/*:CrossIndustryInvoice" not in refused.stderr  # named by the field, not the XPath


def test_schematron_finding_names_the_order_field_in_english(cli: Cli) -> None:
    refused = cli("issue", _order_without_buyer_address(cli, "en"), code=2)
    assert "[BR-FR-12_BT-49]" in refused.stderr
    assert "customer.electronic_address: the buyer's electronic invoicing address is required" in refused.stderr


def test_init_if_missing_without_a_terminal_and_no_account_fails_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    env.pop("FACTURIER_DATABASE_URL", None)
    run = [FACTURIER, "init", "--if-missing"]
    done = subprocess.run(run, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "INIT-NO-TTY" in done.stderr and "Traceback" not in done.stderr
    listed = subprocess.run([FACTURIER, "list"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 2 and "no seller account" in listed.stderr  # no account was created
