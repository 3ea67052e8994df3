"""Code lists checked by the EN 16931 rules BR-CL-04 (ISO 4217 currencies), BR-CL-14
(ISO 3166-1 countries) and BR-CL-23 (UN/ECE Rec. 20/21 units).

The data file is generated from the official CEN/TC 434 schematron by
scripts/gen_codelists.py; its `_source` key says which version and when.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _lists() -> dict[str, object]:
    text = resources.files("facturier.domain").joinpath("data/codelists.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def _codes(key: str) -> frozenset[str]:
    values = _lists()[key]
    assert isinstance(values, list)
    return frozenset(str(v) for v in values)


@cache
def currencies() -> frozenset[str]:
    return _codes("currencies_iso4217")


@cache
def countries() -> frozenset[str]:
    return _codes("countries_iso3166")


@cache
def unit_codes() -> frozenset[str]:
    return _codes("units_unece_rec20_rec21")


def source() -> str:
    return str(_lists()["_source"])
