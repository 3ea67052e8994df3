"""Canonical form: read(write(doc)) == doc, and equal documents give identical bytes."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from facturier.domain.canonical import canonical_bytes, from_canonical
from facturier.domain.chain import sha256_hex
from facturier.domain.documents import Document, DocumentReference, Status

from .strategies import Order, document_of, orders

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    order: Order = draw(orders())
    doc = document_of(order, draw(st.dates(date(2020, 1, 1), date(2035, 12, 31))))
    return dataclasses.replace(
        doc,
        number=draw(st.sampled_from(["", "F2026-000001", "AV-7"])),
        status=draw(st.sampled_from(Status)),
        notes=tuple(draw(st.lists(texts, max_size=3))),
        order_reference=draw(texts),
        preceding=tuple(
            DocumentReference(number, day) for number, day in draw(st.lists(st.tuples(texts, st.dates()), max_size=2))
        ),
        delivery_date=draw(st.none() | st.dates()),
        buyer=dataclasses.replace(doc.buyer, name=draw(texts)),
    )


def map_decimals(value: Any, f: Any) -> Any:
    """The same value with every Decimal replaced by f(decimal): walks dataclasses and tuples."""
    if isinstance(value, Decimal):
        return f(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {x.name: map_decimals(getattr(value, x.name), f) for x in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(map_decimals(v, f) for v in value)
    return value


@settings(deadline=None)
@given(documents())
def test_round_trip(doc: Document) -> None:
    raw = canonical_bytes(doc)
    back = from_canonical(Document, raw)
    assert back == doc
    assert canonical_bytes(back) == raw


@settings(deadline=None)
@given(documents(), st.integers(1, 4), st.booleans())
def test_equal_documents_give_identical_bytes(doc: Document, extra_zeros: int, negative_zero: bool) -> None:
    """2.5 vs 2.50 vs 2.500, and 0 vs -0.00, are equal amounts: same bytes, same hash."""

    def pad(d: Decimal) -> Decimal:
        if d == 0 and negative_zero:
            return Decimal("-0").scaleb(-extra_zeros)
        exponent = d.as_tuple().exponent
        assert isinstance(exponent, int)
        return d.quantize(Decimal(1).scaleb(min(exponent, 0) - extra_zeros))

    padded = map_decimals(doc, pad)
    assert padded == doc
    assert canonical_bytes(padded) == canonical_bytes(doc)
    assert sha256_hex(canonical_bytes(padded)) == sha256_hex(canonical_bytes(doc))


@settings(deadline=None)
@given(documents(), documents())
def test_different_documents_give_different_bytes(a: Document, b: Document) -> None:
    assert (canonical_bytes(a) == canonical_bytes(b)) == (a == b)
