"""Benchmark: VAT line decisions per second for 10-line orders, on one core.

Plain script (no pytest): `PYTHONPATH=src python bench/bench_tax.py`. Target: >= 50,000 line
decisions per second. Each scenario decides a 10-line order repeatedly (full `decide_order`:
place resolution, VAT id checks, threshold, rule lookup, rate lookup, explanation, mentions) and
reports the best of 5 runs.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal

from facturier.tax import (
    BuyerKind,
    BuyerTaxProfile,
    DistanceSalesHistory,
    OrderLine,
    SellerTaxProfile,
    SupplyKind,
    VatIdStatus,
    decide_order,
    default_rate_table,
)

ON = date(2026, 6, 15)
CLASSES = (
    "standard",
    "books",
    "food",
    "reduced",
    "press",
    "standard",
    "medicines",
    "zero",
    "standard",
    "restaurant",
)
SELLER = SellerTaxProfile("FR", vat_id="FR40303265045", oss_union=True)
HISTORY = DistanceSalesHistory(2026, Decimal("12000"), Decimal("3000"))


def _lines(ship_to: str, kind: SupplyKind = SupplyKind.GOODS) -> list[OrderLine]:
    return [
        OrderLine(
            str(i), kind, cls, Decimal("19.99"), ship_from="FR", ship_to=ship_to, supply_date=ON
        )
        for i, cls in enumerate(CLASSES)
    ]


SCENARIOS = {
    "B2C distance sale FR->DE above threshold (OSS)": (
        SELLER,
        BuyerTaxProfile(BuyerKind.CONSUMER, "DE"),
        _lines("DE"),
    ),
    "domestic FR B2C": (SELLER, BuyerTaxProfile(BuyerKind.CONSUMER, "FR"), _lines("FR")),
    "intra-EU B2B goods FR->DE (K)": (
        SELLER,
        BuyerTaxProfile(
            BuyerKind.BUSINESS, "DE", vat_id="DE136695976", vat_id_status=VatIdStatus.VALID
        ),
        _lines("DE"),
    ),
    "export FR->US (G)": (SELLER, BuyerTaxProfile(BuyerKind.CONSUMER, "US"), _lines("US")),
    "franchise en base FR B2C services": (
        replace(SELLER, franchise_en_base=True),
        BuyerTaxProfile(BuyerKind.CONSUMER, "FR"),
        [replace(ln, kind=SupplyKind.SERVICES) for ln in _lines("FR")],
    ),
}


def measure(
    seller: SellerTaxProfile, buyer: BuyerTaxProfile, lines: list[OrderLine], seconds: float = 1.0
) -> float:
    table = default_rate_table()
    best = 0.0
    for _ in range(5):
        n = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            for _ in range(50):
                decide_order(seller, buyer, lines, HISTORY, ON, table)
            n += 50
        best = max(best, n * len(lines) / elapsed)
    return best


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(
        f"facturier tax benchmark - {date.today().isoformat()} - Python "
        f"{platform.python_version()} - {platform.machine()} - {os.cpu_count()} CPUs "
        "(pinned to 1)"
    )
    worst = float("inf")
    for name, (seller, buyer, lines) in SCENARIOS.items():
        rate = measure(seller, buyer, lines)
        worst = min(worst, rate)
        print(f"{name:50s} {rate:10,.0f} line decisions/s  ({rate / 10:8,.0f} orders/s)")
    verdict = "OK" if worst >= 50_000 else "BELOW TARGET"
    print(f"slowest scenario: {worst:,.0f} line decisions/s (target 50,000): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
