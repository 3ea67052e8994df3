"""Lexical forms shared by the CII and UBL writers and readers: amounts, quantities, dates.

Amounts are written with the currency's decimals (at least, BR-DEC-*), quantities with
their significant decimals (BR-FR-DEC-02 allows 4), prices with up to 6, percentages
without trailing zeros ("20", "5.5": the forms BR-FR-16 lists). Numbers never use exponents.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from facturier.domain.rounding import normalize_decimal
from facturier.einvoice.errors import MalformedInput

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE102 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros and without exponent: 1.50 -> "1.5", 1E+2 -> "100"."""
    return format(normalize_decimal(value), "f")


def amount(value: Decimal, places: int) -> str:
    """An amount with at least `places` decimals (more only if the value has them)."""
    normal = normalize_decimal(value)
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        normal = normal.quantize(Decimal(1).scaleb(-places))
    return format(normal, "f")


def date102(value: date) -> str:
    """UNTDID 2379 format 102 (CCYYMMDD), used by CII."""
    return value.strftime("%Y%m%d")


def parse_decimal(text: str | None, where: str) -> Decimal:
    """A decimal from XML text, refusing exponents, NaN, infinities and empty values."""
    cleaned = (text or "").strip()
    if not _DECIMAL.match(cleaned) or len(cleaned) > 40:
        raise MalformedInput(f"{where}: {cleaned[:40]!r} is not a decimal number")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        raise MalformedInput(f"{where}: {cleaned[:40]!r} is not a decimal number") from None


def parse_date102(text: str | None, where: str) -> date:
    match = _DATE102.match((text or "").strip())
    if not match:
        raise MalformedInput(f"{where}: {(text or '')[:20]!r} is not a CCYYMMDD date")
    return _date(int(match[1]), int(match[2]), int(match[3]), where)


def parse_iso_date(text: str | None, where: str) -> date:
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})$", (text or "").strip())
    if not match:
        raise MalformedInput(f"{where}: {(text or '')[:20]!r} is not a YYYY-MM-DD date")
    return _date(int(match[1]), int(match[2]), int(match[3]), where)


def _date(year: int, month: int, day: int, where: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise MalformedInput(f"{where}: {year:04d}-{month:02d}-{day:02d} is not a calendar date") from None
