"""Parsing inbound XML as hostile input.

The lxml parser runs with entity resolution off, no network, no DTD loading and
`huge_tree=False` (libxml2's own depth and text-size limits stay on). On top of that:
- the input size is bounded before parsing (`XmlLimits.max_bytes`, 10 MB by default);
- a document type declaration is refused outright, before and after parsing, so no
  entity can be declared at all (XXE, billion laughs, quadratic blow-up);
- the element count is bounded after parsing.
Every refusal is an `UnsafeInput` or `MalformedInput` with a message saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]

from facturier.einvoice.errors import MalformedInput, UnsafeInput
from facturier.einvoice.xmltypes import Element

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class XmlLimits:
    max_bytes: int = 10 * MB
    max_elements: int = 200_000


DEFAULT_LIMITS = XmlLimits()

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
