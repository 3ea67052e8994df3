"""Reads the packaged CSV rate files once (importlib.resources) into a `RateTable`.

This is the only module of `facturier.tax` that touches files; decisions take the table as an
argument. `parse_rate_table` is pure (text in, table out) so tests can load alternative data.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TypeVar

from facturier.domain.codes import VatCategory
from facturier.tax.rates import ClassRow, RateRow, RateTable

RATES_FILE = "eu_vat_rates.csv"
CLASSES_FILE = "product_classes.csv"


class RateDataError(ValueError):
    """The packaged reference data is malformed (a build-time bug, not bad user input)."""


def _split(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    header: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
        elif line.strip():
            body.append(line)
    return header, list(csv.DictReader(body))


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RateDataError(f"{where}: bad date {value!r}") from exc


def _decimal(value: str, where: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RateDataError(f"{where}: bad rate {value!r}") from exc


def _rate_row(row: dict[str, str], n: int) -> RateRow:
    where = f"{RATES_FILE} row {n}"
    return RateRow(
        jurisdiction=row["jurisdiction"],
        name=row["rate_name"],
        rate=_decimal(row["rate"], where),
        valid_from=_date(row["valid_from"], where),
        valid_to=_date(row["valid_to"], where) if row["valid_to"] else None,
        status=row["status"],
        source=row["source"],
        note=row.get("note") or "",
    )


def _class_row(row: dict[str, str], n: int) -> ClassRow:
    where = f"{CLASSES_FILE} row {n}"
    raw = row["rate"]
    return ClassRow(
        jurisdiction=row["jurisdiction"],
        product_class=row["product_class"],
        category=VatCategory(row["category"]),
        rate=None if raw.startswith("@") else _decimal(raw, where),
        rate_ref=raw[1:] if raw.startswith("@") else None,
        valid_from=_date(row["valid_from"], where),
        valid_to=_date(row["valid_to"], where) if row["valid_to"] else None,
        vatex=row["vatex"] or None,
        status=row["status"],
        source=row["source"],
        note=row.get("note") or "",
    )


_Row = TypeVar("_Row", RateRow, ClassRow)


def _index(rows: Iterable[_Row], key: str) -> MappingProxyType[tuple[str, str], tuple[_Row, ...]]:
    grouped: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        name = row.name if isinstance(row, RateRow) else row.product_class
        grouped[(row.jurisdiction, name)].append(row)
    out: dict[tuple[str, str], tuple[_Row, ...]] = {}
    for k, group in grouped.items():
        group.sort(key=lambda r: r.valid_from)
        for a, b in itertools.pairwise(group):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise RateDataError(f"{key}: overlapping periods for {k}")
        out[k] = tuple(group)
    return MappingProxyType(out)


def parse_rate_table(rates_text: str, classes_text: str) -> RateTable:
    """Parse the two CSV texts (with their `# key: value` provenance headers)."""
    header, rate_rows = _split(rates_text)
    _, class_rows = _split(classes_text)
    for required in ("version", "consulted", "coverage_start", "primary_source"):
        if required not in header:
            raise RateDataError(f"{RATES_FILE}: provenance header {required!r} missing")
    return RateTable(
        version=header["version"],
        consulted=header["consulted"],
        coverage_start=_date(header["coverage_start"], RATES_FILE),
        rates=_index((_rate_row(r, n) for n, r in enumerate(rate_rows, 1)), RATES_FILE),
        classes=_index((_class_row(r, n) for n, r in enumerate(class_rows, 1)), CLASSES_FILE),
    )


def read_packaged(name: str) -> str:
    return resources.files("facturier.tax.rates").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_rate_table() -> RateTable:
    """The packaged table, parsed once per process."""
    return parse_rate_table(read_packaged(RATES_FILE), read_packaged(CLASSES_FILE))
