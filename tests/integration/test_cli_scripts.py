"""`facturier issue` end to end (SQLite and PostgreSQL) with a customer written in other scripts:
the invoice is issued with its PDF drawn by the shipped fonts; a character no shipped font has
is refused before numbering (exit 2, RENDER-GLYPH, the order's field named), no number used."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from tests.cli_support import Cli
from tests.factories import order_data
from tests.rendering.pdf_structure import base_fonts, open_pdf, unembedded_fonts


def consumer_order(order_id: str, name: str, line1: str = "千代田区丸の内1-1", city: str = "東京都") -> dict[str, Any]:
    return order_data(
        id=order_id,
        prices_include_vat=True,
        customer={"type": "consumer", "name": name},
        billing_address={"line1": line1, "city": city, "postcode": "100-0005", "country": "JP"},
        lines=[
            {"name": "Lampe 💡 déco ✨", "quantity": "1", "unit_price": "74.90"}
        ],  # VAT: the engine decides (export)
    )


def test_a_customer_in_another_script_is_issued_and_printed(cli: Cli) -> None:
    issued = cli.json("issue", cli.order_file("jp.json", consumer_order("JP-1", "山田太郎")))
    assert issued[0]["number"] == "F2026-000001"
    pdf = Path({a["name"]: a["path"] for a in issued[0]["artefacts"]}["document.pdf"]).read_bytes()
    with open_pdf(pdf) as document:
        assert unembedded_fonts(document) == []
        assert {"NotoSansCJKsc-Regular", "NotoEmoji-Regular"} <= base_fonts(document)
    text = "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert "山田太郎" in text and "東京都" in text and "💡" in text


def test_a_character_no_font_has_is_refused_and_uses_no_number(cli: Cli) -> None:
    bad = cli.order_file("bad.json", consumer_order("JP-2", "山田 \U0010fffd"))
    result = cli("issue", bad, code=2)
    assert "[RENDER-GLYPH]" in result.stderr and "customer.name: U+10FFFD (private use)" in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert cli.json("list") == []
    result = cli("issue", cli.order_file("bad2.json", consumer_order("JP-3", "山田", line1="\U00010300")), code=2)
    assert "billing_address.line1: U+10300 OLD ITALIC LETTER A" in result.stderr, result.stderr
    after = cli.json("issue", cli.order_file("ok.json", consumer_order("JP-4", "山田太郎")))
    assert after[0]["number"] == "F2026-000001"  # no number consumed by the refusals
