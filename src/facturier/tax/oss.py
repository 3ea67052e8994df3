"""OSS Union-scheme return, pure part: aggregate issued VAT rows per member state and rate.

Directive 2006/112/EC art. 369f-369g (quarterly return: per member state of consumption, the
taxable amount and VAT per rate); corrections of earlier periods go in the return where they are
made (art. 369g(4), Implementing Regulation 282/2011 art. 61). Credit notes subtract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from facturier.domain.errors import InvalidInput, Violation

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")
_ZERO = Decimal("0")
INVOICE = "invoice"
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class OssVatRow:
    """A VAT row of an issued document: amounts as printed (>= 0), `sign` -1 for credit notes."""

    member_state: str
    rate: Decimal
    taxable_base: Decimal
    vat: Decimal
    document_type: str  # "invoice" or "credit_note"
    sign: int
    document_id: str = ""


@dataclass(frozen=True, slots=True)
class OssReturnLine:
    """Per (member state, rate); the last line (member_state "TOTAL", rate None) reconciles."""

    member_state: str
    rate: Decimal | None
    taxable_base: Decimal
    vat: Decimal
    invoice_vat: Decimal
    credit_note_vat: Decimal
    documents: int


def parse_quarter(text: str) -> tuple[date, date]:
    """ "2026Q3" (or "2026-Q3") -> (2026-07-01, 2026-09-30)."""
    match = _QUARTER.match(text.strip().upper())
    if match is None:
        raise InvalidInput(
            [Violation("TAX-OSS-QUARTER", "quarter", f"{text!r} is not a quarter like 2026Q3")]
        )
    year, q = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end - timedelta(days=1)


def _check(rows: Sequence[OssVatRow]) -> None:
    expected = {INVOICE: 1, CREDIT_NOTE: -1}
    bad = [
        Violation(
            "TAX-OSS-ROW",
            f"rows[{i}]",
            f"document type {r.document_type!r} with sign "
            f"{r.sign} and amounts {r.taxable_base}/{r.vat}: expected invoice +1 or "
            "credit_note -1 and non-negative amounts",
        )
        for i, r in enumerate(rows)
        if expected.get(r.document_type) != r.sign or r.taxable_base < 0 or r.vat < 0
    ]
    if bad:
        raise InvalidInput(bad)


def _total(lines: Sequence[OssReturnLine]) -> OssReturnLine:
    return OssReturnLine(
        "TOTAL",
        None,
        sum((x.taxable_base for x in lines), _ZERO),
        sum((x.vat for x in lines), _ZERO),
        sum((x.invoice_vat for x in lines), _ZERO),
        sum((x.credit_note_vat for x in lines), _ZERO),
        sum(x.documents for x in lines),
    )


def oss_return(rows: Iterable[OssVatRow]) -> tuple[OssReturnLine, ...]:
    """Aggregate per (member state of consumption, rate), sorted, plus a TOTAL line."""
    rows = tuple(rows)
    _check(rows)
    acc: dict[tuple[str, Decimal], list[Decimal]] = {}
    for r in rows:
        base, vat, inv, cn, n = acc.setdefault((r.member_state, r.rate), [_ZERO] * 5)
        signed = r.vat * r.sign
        acc[(r.member_state, r.rate)] = [
            base + r.taxable_base * r.sign,
            vat + signed,
            inv + (signed if r.sign > 0 else _ZERO),
            cn + (signed if r.sign < 0 else _ZERO),
            n + 1,
        ]
    lines = [
        OssReturnLine(ms, rate, v[0], v[1], v[2], v[3], int(v[4]))
        for (ms, rate), v in sorted(acc.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    ]
    return (*lines, _total(lines))


def to_csv_rows(lines: Iterable[OssReturnLine]) -> tuple[tuple[str, ...], ...]:
    """Header + one row per line, as strings (the CLI writes them with the csv module)."""
    header = (
        "member_state",
        "rate",
        "taxable_base",
        "vat",
        "invoice_vat",
        "credit_note_vat",
        "documents",
    )
    body = tuple(
        (
            x.member_state,
            "" if x.rate is None else str(x.rate),
            str(x.taxable_base),
            str(x.vat),
            str(x.invoice_vat),
            str(x.credit_note_vat),
            str(x.documents),
        )
        for x in lines
    )
    return (header, *body)
