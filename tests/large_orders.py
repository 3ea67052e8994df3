"""Orders with many lines, up to the order format's maximum (domain.limits.MAX_LINES), for the
tests and bench/bench_large_order.py. Every line differs (SKU, name, quantity, price, rate)."""

from __future__ import annotations

from typing import Any

from tests.factories import order_data

# 500 characters (the order format's maximum for a text field), 2 bytes each in UTF-8 for the
# accented ones: with it a line weighs ~4.4 KB in CII instead of ~1.3 KB.
LONG_TEXT = ("Lampe à poser en céramique émaillée, abat-jour lin écru, câble tressé ; " * 7)[:500]


def large_order_data(lines: int, *, long_text: bool = False, order_id: str = "") -> dict[str, Any]:
    """A French B2B invoice order with `lines` lines; every tenth has a 10 % line discount.
    `long_text`: names, descriptions and discount reasons at 500 characters."""
    return order_data(id=order_id or f"BIG-{lines}", lines=[_line(i, long_text) for i in range(1, lines + 1)])


def _line(i: int, long_text: bool) -> dict[str, Any]:
    line: dict[str, Any] = {
        "sku": f"SKU-{i:05d}",
        "name": LONG_TEXT if long_text else f"Article de catalogue n° {i}",
        "quantity": str(1 + i % 7),
        "unit_price": f"{1 + i % 500}.{i % 100:02d}",
        "vat_rate": "5.5" if i % 3 == 0 else "20",
    }
    if long_text:
        line["description"] = LONG_TEXT
    if i % 10 == 0:
        line["discount"] = {"percent": "10", "reason": LONG_TEXT if long_text else "Remise volume"}
    return line
