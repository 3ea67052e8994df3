"""A very small element builder over lxml: prefixed names resolved against the root's
namespace map, optional elements skipped when empty, deterministic serialisation."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from facturier.einvoice.xmltypes import Element


def clark(nsmap: dict[str | None, str], name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{nsmap[prefix or None]}}}{local}"


def new_root(nsmap: dict[str | None, str], name: str) -> Element:
    return etree.Element(clark(nsmap, name), nsmap=nsmap)


def add(parent: Element, name: str, text: str | None = None, **attrs: str) -> Element:
    """Append element `name` ("ram:ID") to `parent`, with text and attributes."""
    child = etree.SubElement(parent, clark(parent.nsmap, name))
    if text is not None:
        child.text = text
    for key, value in attrs.items():
        child.set(key, value)
    return child


def add_text(parent: Element, name: str, text: str, **attrs: str) -> Element | None:
    """Append `name` only if `text` is not empty."""
    return add(parent, name, text, **attrs) if text else None


def serialize(root: Element) -> bytes:
    """UTF-8, XML declaration, two-space indentation: the same tree gives the same bytes."""
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, xml_declaration=False, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
