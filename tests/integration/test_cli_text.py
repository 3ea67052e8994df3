"""Hostile text through the real CLI: a control character, a bidi override or another hidden
character in any text of an order or a seller file is refused (exit 2) naming the field and the
code point; never a traceback, nothing issued, no number consumed (SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.cli_support import Cli
from tests.factories import EXAMPLES, order_data

from facturier.cli.main import app
from facturier.services.order_schema import OrderIn

# Refused in every text: C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, other
# invisible format characters, line/paragraph separators, noncharacters (docs: domain/text.py).
REFUSED = st.one_of(
    st.characters(min_codepoint=0x00, max_codepoint=0x08),
    st.characters(min_codepoint=0x0B, max_codepoint=0x1F),
    st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
    st.characters(min_codepoint=0x202A, max_codepoint=0x202E),
    st.characters(min_codepoint=0x2066, max_codepoint=0x2069),
    st.characters(categories=["Cs"]),  # a lone surrogate, sent as a JSON escape ("\\ud800")
    st.sampled_from(["\u200b", "\u2060", "\ufeff", "\u2028", "\u2029", "\ufffe", "\U000e0041", "\U000e007f"]),
)
REFUSED_ONE_LINE = st.one_of(REFUSED, st.sampled_from(["\t", "\n"]))  # tab and newline: only in notes
# Ordinary text around it: letters (Latin, Arabic, Hebrew...), digits, punctuation, spaces, marks.
PLAIN = st.text(st.characters(categories=["L", "N", "P", "Zs", "Mn"]), max_size=12)
MULTILINE_FIELDS = {"lines[0].description", "notes[0]"}


def _text_fields(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> list[str]:
    """The paths of every free-text field (a string with a maximum length) of the order format."""
    if "$ref" in node:
        return _text_fields(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[1]], prefix)
    if "anyOf" in node:
        return sorted({p for option in node["anyOf"] for p in _text_fields(schema, option, prefix)})
    if node.get("type") == "string" and "maxLength" in node:
        return [prefix]
    if node.get("type") == "array":
        return _text_fields(schema, node["items"], f"{prefix}[0]")
    paths = []
    for name, child in node.get("properties", {}).items():
        paths += _text_fields(schema, child, f"{prefix}.{name}" if prefix else name)
    return paths


ORDER_SCHEMA = OrderIn.model_json_schema()
TEXT_FIELDS = _text_fields(ORDER_SCHEMA, ORDER_SCHEMA, "")


def _put(data: dict[str, Any], path: str, value: str) -> None:
    """Set `value` at `path` (`lines[0].discount.reason`), creating what is missing on the way."""
    parts = path.replace("[0]", ".[0]").split(".")
    node: Any = data
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        key: Any = 0 if part == "[0]" else part
        if key == 0 and not node:
            node.append(None)
        if following is None:
            node[key] = value
        elif (node[key] if key == 0 else node.get(key)) is None:
            node[key] = [] if following == "[0]" else {}
        node = node[key]


def test_every_text_field_of_the_order_format_is_covered() -> None:
    """The walk finds the texts of every part (so a new field is in the property test below)."""
    for path in (
        "id",
        "customer.name",
        "billing_address.country",
        "lines[0].description",
        "notes[0]",
        "lines[0].discount.reason",
        "charges[0].reason",
        "credit.reason",
        "payment.reference",
    ):
        assert path in TEXT_FIELDS
    assert len(TEXT_FIELDS) > 40


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hidden_character_in_any_text_is_refused_naming_the_field(cli: Cli, data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(TEXT_FIELDS), label="field")
    bad = data.draw(REFUSED if path in MULTILINE_FIELDS else REFUSED_ONE_LINE, label="character")
    before, after = data.draw(PLAIN, label="before"), data.draw(PLAIN, label="after")
    order = copy.deepcopy(order_data(id="H-1"))
    _put(order, path, before[:10] + bad + after[:10])
    result = cli("issue", cli.order_file("hostile.json", order), code=2)
    assert "Traceback" not in result.output
    assert f"hostile.json: {path}:" in result.stderr, result.stderr
    assert f"U+{ord(bad):04X}" in result.stderr
    assert cli.json("list") == []  # nothing issued


def test_the_same_order_without_the_character_is_issued(cli: Cli) -> None:
    """The control of the property test: the base order and Arabic/Hebrew names with their marks pass."""
    order = order_data(id="H-2")
    order["customer"]["name"] = "\u0634\u0631\u0643\u0629 \u200fACME\u200f \u05d7\u05d1\u05e8\u05d4"  # RLM allowed
    order["lines"][0]["description"] = "laiton\tbrossé\nhauteur 45 cm"  # tab and newline in a description
    # --no-render: the bundled fonts have no Arabic or Hebrew glyphs yet (the PDF/A check refuses them)
    issued = cli.json("issue", "--no-render", cli.order_file("ok.json", order))
    assert issued[0]["buyer"]["name"] == order["customer"]["name"]


def test_a_dict_key_with_a_control_character_is_refused_and_shown_escaped(cli: Cli) -> None:
    order = order_data(id="H-3", kind="credit_note", corrects="F2026-000001", credit={"lines": {"1\u001b[2J": "1"}})
    result = cli("issue", cli.order_file("key.json", order), code=2)
    assert "credit.lines" in result.stderr and "U+001B" in result.stderr
    assert "\x1b" not in result.stderr  # the path quotes the key escaped, not as a terminal command


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e"])
def test_a_raw_control_byte_in_the_file_is_refused_cleanly(cli: Cli, char: str) -> None:
    """Raw characters (not JSON escapes) in the file: refused, exit 2, nothing issued."""
    order = order_data(id="H-4")
    order["customer"]["name"] = "ACME@@SARL"  # json.dumps would escape the character: put it in raw
    path = Path(cli.order_file("raw.json", json.dumps(order, ensure_ascii=False).replace("@@", char)))
    assert char.encode() in path.read_bytes()
    result = cli("issue", str(path), code=2)
    assert "Traceback" not in result.output
    assert "raw.json" in result.stderr
    assert cli.json("list") == []


def _seller(tmp_path: Path, **changes: Any) -> Path:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["branding"]["logo"] = ""
    for path, value in changes.items():
        _put(seller, path.replace("__", "."), value)
    target = tmp_path / "seller.json"
    target.write_text(json.dumps(seller, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Atelier\u0000Lumière"),
        ("address__line1", "12 rue \u202eeniS"),
        ("branding__footer_text", "Merci\u2066!"),
        ("branding__legal_text", "ligne 1\r\nligne 2"),
        ("iban", "FR76\u200b3000"),
        ("series__invoice__pattern", "F{yyyy}-\u0007{seq:06d}"),
    ],
)
def test_a_hidden_character_in_the_seller_file_is_refused(tmp_path: Path, field: str, value: str) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    result = runner("init", "--from", str(_seller(tmp_path, **{field: value})), code=2)
    path = field.replace("__", ".")
    assert f"[SELLER-SCHEMA] {path}: U+" in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_a_multi_line_legal_text_is_accepted(tmp_path: Path) -> None:
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    runner("init", "--from", str(_seller(tmp_path, branding__legal_text="ligne 1\nligne 2\tsuite")))


def test_square_brackets_in_names_are_text_not_markup(tmp_path: Path) -> None:
    """Rich markup look-alikes are ordinary text: printed as they are, never a traceback."""
    runner = Cli({"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}, tmp_path)
    runner("init", "--from", str(_seller(tmp_path, name="Atelier [/bold] Lumière [red]SAS")))
    order = order_data(id="M-1")
    order["customer"]["name"] = "Hôtel [/] du Parc [bold]SARL"
    issued = runner("issue", "--no-render", runner.order_file("m.json", order)).stdout
    assert "Hôtel [/] du Parc [bold]SARL" in issued
    assert "Hôtel [/] du Parc [bold]SARL" in runner("list").stdout


def test_texts_given_on_the_command_line_are_checked_too(cli: Cli) -> None:
    cli("issue", cli.order_file("o.json", order_data(id="C-1")))
    paid = ("acquit", "F2026-000001", "--paid-on", "2026-11-25")
    refused = cli(*paid, "--method", "card", "--reference", "CB\u202e24", code=2)
    assert "[CLI-TEXT] --reference: U+202E RIGHT-TO-LEFT OVERRIDE" in refused.stderr
    refused = cli(*paid, "--method", "car\x00d", "--json", code=2)
    assert json.loads(refused.stdout)["error"]["violations"][0]["path"] == "--method"
    assert [a["name"] for a in cli.json("show", "F2026-000001")["artefacts"] if a["name"].startswith("paid")] == []


def test_a_suppliers_hidden_characters_are_shown_escaped_by_read(cli: Cli, tmp_path: Path) -> None:
    """`read` shows an inbound file's texts; a bidi override in it reaches the terminal as an escape."""
    cli("issue", cli.order_file("o.json", order_data(id="R-1")))
    cli("export", "F2026-000001", "--xml", "--out", str(tmp_path / "out"))
    ours = (tmp_path / "out" / "F2026-000001-factur-x.xml").read_text(encoding="utf-8")
    assert ours.count("Hôtel du Parc SARL") >= 1
    supplier = tmp_path / "supplier.xml"
    supplier.write_text(ours.replace("Hôtel du Parc SARL", "Hôtel du Parc&#x202E;LRAS"), encoding="utf-8")
    for json_option in ((), ("--json",)):
        result = cli.runner.invoke(app, ["read", str(supplier), *json_option], env=cli.env, catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output  # read, then valid or not
        assert "\u202e" not in result.stdout and "\\u202e" in result.stdout
    document = json.loads(result.stdout)["document"]
    assert document["buyer"]["name"] == "Hôtel du Parc\u202eLRAS"  # a JSON reader gets the exact text


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (("credit", "F2026-000001", "--reason", "Retour\u202e"), "--reason"),
        (("pay", "F2026-000001", "--paid-on", "2026-12-04", "--method", "card", "--payer", "X\x00"), "--payer"),
        (("refund", "F2026-000001", "--amount", "1.00", "--paid-on", "2026-12-04", "--method", "t\x1b"), "--method"),
    ],
    ids=["credit reason", "pay payer", "refund method"],
)
def test_every_text_option_is_checked(cli: Cli, command: tuple[str, ...], option: str) -> None:
    cli("issue", cli.order_file("o.json", order_data(id="T-1")))
    refused = cli(*command, code=2)
    assert f"[CLI-TEXT] {option}:" in refused.stderr
    shown = cli.json("show", "F2026-000001")
    assert (shown["payments"], len(cli.json("list"))) == ([], 1)  # no payment, no credit note
