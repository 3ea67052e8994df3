"""The largest order the format allows (domain.limits.MAX_LINES = 10,000 lines) issues end to
end through the CLI, PDF included, on SQLite and PostgreSQL.

Its CII is ~13 MB: over the 10 MB limit kept for inbound files, within the limit our own
output is checked with before numbering (safe_xml.OWN_OUTPUT_LIMITS). The same files given
back to `facturier validate` or `facturier read` are inbound, hence refused (exit 2).
Time and memory at 1,000 / 5,000 / 10,000 lines: bench/bench_large_order.py, docs/benchmarks.md.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from tests.cli_support import Cli
from tests.large_orders import large_order_data

from facturier.domain.limits import MAX_LINES
from facturier.einvoice.safe_xml import DEFAULT_LIMITS

LINES_PER_PAGE = 30  # ~29 lines a page with the default theme: 346 pages for 10,000 short lines


@pytest.mark.slow
def test_the_largest_order_issues_with_its_pdf(cli: Cli) -> None:
    order = cli.order_file("big.json", large_order_data(MAX_LINES))
    started = time.perf_counter()
    issued = cli.json("issue", order)[0]
    elapsed = time.perf_counter() - started

    assert issued["number"] == "F2026-000001"
    assert len(issued["lines"]) == MAX_LINES
    line_total = sum(Decimal(line["net_amount"]) for line in issued["lines"])
    assert Decimal(issued["totals"]["line_total"]) == line_total  # BR-CO-10 over 10,000 lines
    paths = {a["name"]: Path(a["path"]) for a in issued["artefacts"]}
    with pikepdf.open(paths["document.pdf"]) as pdf:
        pages = len(pdf.pages)
        embedded = pdf.attachments["factur-x.xml"].get_file().read_bytes()
    assert pages >= MAX_LINES // LINES_PER_PAGE
    cii = paths["factur-x.xml"].read_bytes()
    assert embedded == cii
    assert len(cii) > DEFAULT_LIMITS.max_bytes
    assert cii.count(b"<ram:IncludedSupplyChainTradeLineItem>") == MAX_LINES

    # The same bytes, now inbound: refused by the hostile-input limits, exit 2.
    for command in ("validate", "read"):
        for name in ("factur-x.xml", "document.pdf"):
            refused = cli(command, str(paths[name]), code=2)
            assert str(DEFAULT_LIMITS.max_bytes) in refused.output, (command, name, refused.output)
    assert "Ledger OK: 1 records" in cli("verify").stdout
    print(f"\n{MAX_LINES} lines issued with the PDF in {elapsed:.1f} s, {pages} pages, CII {len(cii) / 1e6:.1f} MB")
