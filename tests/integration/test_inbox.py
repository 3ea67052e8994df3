"""`facturier inbox add / list / show / export` end to end, on SQLite and PostgreSQL: received
files kept whatever their validity, identical bytes once, hostile files refused with nothing kept."""

from __future__ import annotations

from pathlib import Path

from tests.cli_support import Cli
from tests.einvoice.hostile.generate import CASES
from tests.factories import EXAMPLES


def _supplier_files(cli: Cli, tmp_path: Path) -> dict[str, Path]:
    """The CII, UBL and Factur-X PDF of an invoice we issued: a supplier's files for this test."""
    cli("issue", str(EXAMPLES / "orders" / "01-b2b-france.json"))
    out = tmp_path / "issued"
    cli("export", "F2026-000001", "--out", str(out))
    return {
        "cii": out / "F2026-000001-factur-x.xml",
        "ubl": out / "F2026-000001-ubl.xml",
        "pdf": out / "F2026-000001.pdf",
    }


def test_add_list_show_export(cli: Cli, tmp_path: Path) -> None:
    files = _supplier_files(cli, tmp_path)
    added = cli.json("inbox", "add", *map(str, files.values()))
    assert [a["created"] for a in added] == [True, True, True]
    assert [a["syntax"] for a in added] == ["cii", "ubl", "facturx-pdf"]
    assert all(a["ok"] and a["number"] == "F2026-000001" for a in added)
    assert added[0]["filename"] == "F2026-000001-factur-x.xml"

    again = cli("inbox", "add", str(files["cii"]))
    assert "already received" in again.stdout and added[0]["id"] in again.stdout
    listed = cli.json("inbox", "list")
    assert sorted(e["id"] for e in listed) == sorted(a["id"] for a in added)  # three entries, not four
    assert "F2026-000001" in cli("inbox", "list").stdout

    shown = cli.json("inbox", "show", added[1]["id"])
    assert shown["document"]["number"] == "F2026-000001" and shown["report"]["ok"] is True
    assert "Valid: yes" in cli("inbox", "show", added[1]["id"]).stdout

    out = tmp_path / "out"
    for entry, path in zip(added, files.values(), strict=True):
        printed = cli("inbox", "export", entry["id"], "--out", str(out)).stdout.strip()
        assert Path(printed) == out / path.name
        assert (out / path.name).read_bytes() == path.read_bytes()  # byte for byte


def test_invalid_files_are_kept_and_hostile_ones_refused(cli: Cli, tmp_path: Path) -> None:
    cii = _supplier_files(cli, tmp_path)["cii"].read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(cii.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>1", 1))  # BR-CO-16
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(CASES["billion_laughs"][0]())
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(CASES["xxe_file"][0]())

    result = cli("inbox", "add", str(broken), str(bomb), str(xxe), code=2)  # the worst outcome: a refusal
    assert "INVALID (kept" in result.stdout
    assert f"error: {bomb}: " in result.stderr and f"error: {xxe}: " in result.stderr
    assert "root:" not in result.output
    kept = cli.json("inbox", "list")
    assert [e["filename"] for e in kept] == ["broken.xml"] and kept[0]["ok"] is False
    assert cli.json("inbox", "list", "--valid") == []
    assert [e["id"] for e in cli.json("inbox", "list", "--invalid")] == [kept[0]["id"]]
    report = cli.json("inbox", "show", kept[0]["id"])["report"]
    assert any(v["rule_id"] == "BR-CO-16" for v in report["violations"])
    assert "BR-CO-16" in cli("inbox", "show", kept[0]["id"]).stdout

    alone = cli("inbox", "add", str(broken), "--json", code=1)  # kept, not valid: 1, as `validate`
    assert '"created": false' in alone.stdout


def test_unknown_ids_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert "no inbox entry" in cli("inbox", "show", "nope", code=2).stderr
    assert "no inbox entry" in cli("inbox", "export", "nope", "--out", str(tmp_path), code=2).stderr
    assert "cannot read" in cli("inbox", "add", str(tmp_path / "missing.xml"), code=2).stderr
