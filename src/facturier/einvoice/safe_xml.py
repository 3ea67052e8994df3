"""Parsing inbound XML as hostile input.

The lxml parser runs with entity resolution off, no network, no DTD loading and
`huge_tree=False` (libxml2's own depth and text-size limits stay on). On top of that:
- the input size is bounded before parsing (`XmlLimits.max_bytes`, 10 MB by default);
- a document type declaration is refused outright, before and after parsing, so no
  entity can be declared at all (XXE, billion laughs, quadratic blow-up);
- the element count is bounded after parsing.
Every refusal is an `UnsafeInput` or `MalformedInput` with a message saying why.

Two sets of limits. `DEFAULT_LIMITS` (10 MB, 200,000 elements) is for inbound files, which
are hostile. `OWN_OUTPUT_LIMITS` is for the XML our own writers just produced from a
validated document (the check before numbering): it follows from the largest document the
order format allows (`domain.limits`), so a 10,000-line order is not refused by a bound
meant for strangers' files. The same safe parser is used for both (entities stay off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]

from facturier.domain.limits import MAX_LINES
from facturier.einvoice.errors import MalformedInput, UnsafeInput
from facturier.einvoice.xmltypes import Element

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class XmlLimits:
    max_bytes: int = 10 * MB
    max_elements: int = 200_000


DEFAULT_LIMITS = XmlLimits()  # inbound files (facturier read / validate, readers)

# What one BG-25 line can add to our CII or UBL at most, with every free-text field of the
# order format at its maximum length and made of characters that escape to 5 bytes ("&"):
# the line itself, its allowance (BG-27), and a VAT breakdown entry (BG-23) with an
# exemption reason, since each line can bring its own (category, rate). Measured 12.1 KB and
# 35 elements (tests/einvoice/test_own_limits.py keeps the writers under these budgets).
OWN_LINE_BYTES = 16 * 1024
OWN_LINE_ELEMENTS = 50
# Everything else, at the order format's maxima (100 allowances and 100 charges with their
# reasons, 20 notes, parties, delivery): measured 0.74 MB and 2,200 elements.
OWN_FIXED_BYTES = 2 * MB
OWN_FIXED_ELEMENTS = 10_000
OWN_OUTPUT_LIMITS = XmlLimits(
    max_bytes=OWN_FIXED_BYTES + MAX_LINES * OWN_LINE_BYTES,  # 158 MiB
    max_elements=OWN_FIXED_ELEMENTS + MAX_LINES * OWN_LINE_ELEMENTS,  # 510,000
)

# "<!DOCTYPE" in UTF-8/ASCII, UTF-16 LE and UTF-16 BE.
_DOCTYPE_MARKERS = tuple(
    re.compile(pattern)
    for pattern in (
        rb"<!DOCTYPE",
        rb"<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00",
        rb"\x00<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E",
    )
)
_ENTITY_MARKER = re.compile(rb"<!ENTITY")


def _parser() -> object:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


def check_size(data: bytes, limit: int, what: str = "XML document") -> None:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MalformedInput(f"{what}: expected bytes, got {type(data).__name__}")
    if len(data) > limit:
        raise UnsafeInput(f"{what} is {len(data)} bytes, over the {limit} byte limit")


def parse_xml(data: bytes, limits: XmlLimits = DEFAULT_LIMITS) -> Element:
    """The root element of `data`, parsed safely (see the module docstring)."""
    check_size(data, limits.max_bytes)
    raw = bytes(data)
    if any(marker.search(raw) for marker in _DOCTYPE_MARKERS) or _ENTITY_MARKER.search(raw):
        raise UnsafeInput("XML with a document type declaration (DTD) is refused: no entities are allowed")
    try:
        root = etree.fromstring(raw, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInput(f"not well-formed XML: {exc}") from None
    if root is None:
        raise MalformedInput("empty XML document")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeInput("XML with a document type declaration (DTD) is refused: no entities are allowed")
    _check_elements(root, limits.max_elements)
    return root


def _check_elements(root: Element, limit: int) -> None:
    for count, _ in enumerate(root.iter(), start=1):
        if count > limit:
            raise UnsafeInput(f"XML document has more than {limit} elements")


def root_name(root: Element) -> tuple[str, str]:
    """(namespace URI, local name) of an element."""
    qname = etree.QName(root)
    return str(qname.namespace or ""), str(qname.localname)


def canonical_bytes(root: Element) -> bytes:
    """The parsed tree serialised again: what is handed to the schematron engine, so it
    never parses the untrusted bytes itself."""
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result
