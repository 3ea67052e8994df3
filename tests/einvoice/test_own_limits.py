"""Our own CII/UBL is checked with limits derived from the order format (safe_xml.OWN_OUTPUT_LIMITS),
inbound files with the hostile-input limits (safe_xml.DEFAULT_LIMITS).

The own-output bound is a sum of budgets: OWN_FIXED_BYTES for everything but the lines, and
OWN_LINE_BYTES per line. These tests hold the writers to those budgets with the worst content
the order format lets through: every text field at its maximum length, made of "&" (5 bytes
once escaped), a line allowance, and a VAT breakdown entry with an exemption reason per line.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

import pytest
from lxml import etree  # type: ignore[import-untyped]
from tests.large_orders import large_order_data
from tests.unit.builders import document, line

from facturier.domain.codes import VatCategory
from facturier.domain.documents import Document, Status
from facturier.domain.limits import MAX_CODE_CHARS, MAX_DOCUMENT_ADJUSTMENTS, MAX_LINES, MAX_NOTES, MAX_TEXT_CHARS
from facturier.domain.parties import Address, Contact
from facturier.domain.pricing import AdjustmentInput, LineInput
from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.errors import UnsafeInput
from facturier.einvoice.profiles import WRITTEN_PROFILES, Profile
from facturier.einvoice.safe_xml import (
    DEFAULT_LIMITS,
    OWN_FIXED_BYTES,
    OWN_FIXED_ELEMENTS,
    OWN_LINE_BYTES,
    OWN_LINE_ELEMENTS,
    OWN_OUTPUT_LIMITS,
    parse_xml,
)
from facturier.einvoice.ubl.writer import write_ubl
from facturier.services.order_schema import OrderIn

TEXT = "&" * MAX_TEXT_CHARS
CODE = "&" * MAX_CODE_CHARS
WRITERS = {
    **{f"CII {p.value}": (lambda d, p=p: write_cii(d, p)) for p in WRITTEN_PROFILES if p.has_lines},
    "UBL": write_ubl,
}


def test_own_limits_follow_the_order_format() -> None:
    schema = OrderIn.model_json_schema()
    assert schema["properties"]["lines"]["maxItems"] == MAX_LINES
    assert OWN_OUTPUT_LIMITS.max_bytes == OWN_FIXED_BYTES + MAX_LINES * OWN_LINE_BYTES
    assert OWN_OUTPUT_LIMITS.max_elements == OWN_FIXED_ELEMENTS + MAX_LINES * OWN_LINE_ELEMENTS
    assert OWN_OUTPUT_LIMITS.max_bytes > DEFAULT_LIMITS.max_bytes  # what the 10,000-line order needs
    assert OWN_OUTPUT_LIMITS.max_elements > DEFAULT_LIMITS.max_elements


def _worst_line(i: int, category: VatCategory, rate: str) -> LineInput:
    exempt = category is VatCategory.EXEMPT
    return line(
        str(i),
        rate=rate,
        category=category,
        name=TEXT,
        description=TEXT,
        seller_item_id=CODE,
        exemption_reason=TEXT if exempt else "",
        exemption_code="VATEX-EU-132" if exempt else "",
        adjustments=(AdjustmentInput(False, percentage=Decimal(10), reason=TEXT, reason_code="95"),),
    )


# Each added line brings its own VAT breakdown entry (a new category and rate).
EXTRA_LINES = [(VatCategory.EXEMPT, "0"), (VatCategory.STANDARD, "10"), (VatCategory.STANDARD, "5.5")]


def _worst_document(lines: int) -> Document:
    entered = [_worst_line(1, VatCategory.STANDARD, "20")]
    entered += [_worst_line(i + 2, *EXTRA_LINES[i]) for i in range(lines - 1)]
    adjustments = [
        AdjustmentInput(is_charge, amount=Decimal("0.01"), reason=TEXT, reason_code="95" if not is_charge else "FC")
        for is_charge in (False, True)
        for _ in range(MAX_DOCUMENT_ADJUSTMENTS)
    ]
    doc = document(entered, adjustments)
    address = Address(TEXT, TEXT, CODE, "FR", line2=TEXT, line3=TEXT, subdivision=TEXT)
    contact = Contact(name=TEXT, phone=TEXT, email=TEXT)
    return replace(
        doc,
        number="F2026-000001",
        status=Status.ISSUED,
        seller=replace(doc.seller, name=TEXT, trading_name=TEXT, address=address, contact=contact),
        buyer=replace(doc.buyer, name=TEXT, trading_name=TEXT, address=address, contact=contact),
        delivery_name=TEXT,
        delivery_address=address,
        notes=tuple(TEXT for _ in range(MAX_NOTES)),
        order_reference=CODE,
        buyer_reference=CODE,
    )


def _size(xml: bytes) -> tuple[int, int]:
    root = etree.fromstring(xml, etree.XMLParser(huge_tree=True))
    return len(xml), sum(1 for _ in root.iter())


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writers_stay_within_the_own_output_budgets(name: str) -> None:
    write = WRITERS[name]
    sizes = [_size(write(_worst_document(n))) for n in range(1, len(EXTRA_LINES) + 2)]
    for (bytes_before, elements_before), (bytes_after, elements_after) in pairwise(sizes):
        assert bytes_after - bytes_before <= OWN_LINE_BYTES, (name, bytes_after - bytes_before)
        assert elements_after - elements_before <= OWN_LINE_ELEMENTS, (name, elements_after - elements_before)
    one_line_bytes, one_line_elements = sizes[0]
    assert one_line_bytes <= OWN_FIXED_BYTES + OWN_LINE_BYTES, (name, one_line_bytes)
    assert one_line_elements <= OWN_FIXED_ELEMENTS + OWN_LINE_ELEMENTS, (name, one_line_elements)


def test_our_large_document_is_parsed_with_the_own_limits_only() -> None:
    """8,200 ordinary lines: a CII over the 10 MB inbound limit, well within ours."""
    from tests.factories import draft

    doc = replace(draft(lines=large_order_data(8_200)["lines"]), number="F2026-000001", status=Status.ISSUED)
    cii = write_cii(doc, Profile.EN16931)
    assert len(cii) > DEFAULT_LIMITS.max_bytes
    with pytest.raises(UnsafeInput, match="limit"):
        parse_xml(cii)  # what `facturier read` / `validate` would do with this file
    assert len(parse_xml(cii, OWN_OUTPUT_LIMITS)) > 0
