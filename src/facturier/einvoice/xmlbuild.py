"""A very small element builder over lxml: prefixed names resolved against the root's
namespace map, optional elements skipped when empty, deterministic serialisation.

Speed: a writer adds thousands of elements, and lxml builds a new dict each time an
element's `nsmap` is read. So every prefix that `new_root` declares is registered once
(a prefix may never name two namespaces: that raises) and "ram:ID" is resolved from that
registry, once per name. Names with an unregistered or no prefix still use `nsmap`."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from facturier.einvoice.xmltypes import Element


def clark(nsmap: dict[str | None, str], name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{nsmap[prefix or None]}}}{local}"


_PREFIXES: dict[str, str] = {}  # every prefix a root declared -> its one namespace
_TAGS: dict[str, str] = {}  # "ram:ID" -> "{urn:un:...:100}ID"


def new_root(nsmap: dict[str | None, str], name: str) -> Element:
    for prefix, namespace in nsmap.items():
        if prefix is not None and _PREFIXES.setdefault(prefix, namespace) != namespace:
            raise ValueError(f"prefix {prefix!r} already names {_PREFIXES[prefix]!r}, not {namespace!r}")
    return etree.Element(clark(nsmap, name), nsmap=nsmap)


def _resolve(parent: Element, name: str) -> str:
    """The Clark name of `name`, remembered when its prefix is registered."""
    prefix, _, local = name.rpartition(":")
    if prefix not in _PREFIXES:
        return clark(parent.nsmap, name)
    tag = _TAGS[name] = f"{{{_PREFIXES[prefix]}}}{local}"
    return tag


def add(parent: Element, name: str, text: str | None = None, **attrs: str) -> Element:
    """Append element `name` ("ram:ID") to `parent` (in a tree made by `new_root`), with
    text and attributes."""
    child = etree.SubElement(parent, _TAGS.get(name) or _resolve(parent, name), attrs or None)
    if text is not None:
        child.text = text
    return child


def add_text(parent: Element, name: str, text: str, **attrs: str) -> Element | None:
    """Append `name` only if `text` is not empty."""
    return add(parent, name, text, **attrs) if text else None


def serialize(root: Element) -> bytes:
    """UTF-8, XML declaration, two-space indentation: the same tree gives the same bytes."""
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, xml_declaration=False, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
