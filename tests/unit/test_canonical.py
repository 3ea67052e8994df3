"""Canonical form v1: sorted compact JSON, normalized decimals, version and type checked."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from facturier.domain.canonical import CANONICAL_VERSION, canonical_bytes, from_canonical, to_plain
from facturier.domain.chain import GENESIS, chain_hash, sha256_hex
from facturier.domain.documents import Document, DocumentReference, Totals
from facturier.domain.lifecycle import issue
from facturier.domain.parties import Address

from .builders import document, german_buyer

D = Decimal


def test_envelope() -> None:
    doc = document()
    envelope = json.loads(canonical_bytes(doc))
    assert envelope["v"] == CANONICAL_VERSION == 1
    assert envelope["type"] == "Document"
    assert envelope["data"]["currency"] == "EUR"


def test_bytes_are_compact_sorted_utf8() -> None:
    raw = canonical_bytes(Address("2 rue Émile Zola", "Besançon", "25000", "FR"))
    text = raw.decode("utf-8")
    assert "Besançon" in text and "\\u" not in text
    assert ": " not in text and ", " not in text
    data = json.loads(raw)["data"]
    assert list(data) == sorted(data)


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (D("2.50"), "2.5"),
        (D("100.00"), "100"),
        (D("1E+2"), "100"),
        (D("-0.00"), "0"),
        (D("0.0000001"), "0.0000001"),
        (date(2026, 2, 3), "2026-02-03"),
        ((D(1), D("2.0")), ["1", "2"]),
        (None, None),
    ],
)
def test_to_plain(value: object, plain: object) -> None:
    assert to_plain(value) == plain


def test_to_plain_refuses_unknown_types() -> None:
    with pytest.raises(TypeError):
        to_plain(1.5)


def test_round_trip_of_a_full_document() -> None:
    doc = issue(
        document(
            buyer=german_buyer(),
            preceding=(DocumentReference("F2026-000001", date(2026, 9, 1)),),
            delivery_address=Address("Lager 3", "Hamburg", "20095", "DE"),
            notes=("Merci",),
        ),
        "F2026-000002",
        date(2026, 10, 2),
    )
    assert from_canonical(Document, canonical_bytes(doc)) == doc


def test_equal_documents_with_different_exponents_hash_the_same() -> None:
    doc = document()
    t = doc.totals
    padded = replace(doc, totals=replace(t, payable=t.payable.quantize(D("0.0001")), prepaid=D("0.000")))
    assert padded == doc
    assert canonical_bytes(padded) == canonical_bytes(doc)


def test_negative_zero_hashes_like_zero() -> None:
    doc = document()
    signed = replace(doc, totals=replace(doc.totals, rounding=D("-0.00")))
    assert signed == doc
    assert sha256_hex(canonical_bytes(signed)) == sha256_hex(canonical_bytes(doc))


def test_different_documents_hash_differently() -> None:
    doc = document()
    other = replace(doc, totals=replace(doc.totals, payable=doc.totals.payable + D("0.01")))
    assert sha256_hex(canonical_bytes(doc)) != sha256_hex(canonical_bytes(other))


def test_version_is_checked() -> None:
    raw = json.loads(canonical_bytes(document()))
    raw["v"] = 2
    with pytest.raises(ValueError, match="unsupported canonical version 2"):
        from_canonical(Document, json.dumps(raw).encode())


def test_type_is_checked() -> None:
    with pytest.raises(ValueError, match="expected a Totals, got 'Document'"):
        from_canonical(Totals, canonical_bytes(document()))


def test_chain_hash() -> None:
    first = chain_hash(GENESIS, b"a")
    assert first == sha256_hex(bytes(32) + b"a")
    assert chain_hash(first, b"b") != chain_hash(GENESIS, b"b")
    assert len(first) == 64
