"""Hostile inputs are refused with a clear FacturierError, in bounded time and memory."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from tests.einvoice.hostile.generate import CASES

from facturier.domain.errors import FacturierError
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.validation import validate_file

TIME_LIMIT_S = 2.0
# Well-formed e-invoices with unreadable content: validate_file reports them (not ok)
# instead of raising; read_einvoice raises.
CONTENT_CASES = {"exponent_amount", "impossible_date", "missing_settlement", "unknown_type_code"}
MEMORY_LIMIT_B = 100 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("entry", [read_einvoice, validate_file], ids=["read_einvoice", "validate_file"])
def test_hostile_input_is_refused(name: str, entry: object) -> None:
    build, expected = CASES[name]
    data = build()
    assert callable(entry)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        if entry is validate_file and name in CONTENT_CASES:
            report = validate_file(data)
            assert not report.ok
            assert report.fatal
            caught = None
        else:
            with pytest.raises(FacturierError) as caught:
                entry(data)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if caught is not None:
        assert isinstance(caught.value, expected), f"{type(caught.value).__name__}: {caught.value}"
        assert str(caught.value)
    assert elapsed < TIME_LIMIT_S, f"{name} took {elapsed:.2f} s"
    assert peak < MEMORY_LIMIT_B, f"{name} peaked at {peak / 1e6:.1f} MB"


def test_error_messages_say_why() -> None:
    for name, fragment in [("xxe_file", "DTD"), ("pdf_bomb", "inflates"), ("oversize", "limit")]:
        with pytest.raises(FacturierError, match=fragment):
            read_einvoice(CASES[name][0]())
