"""Small, typed accessors over parsed XML for the readers (ElementPath, no XPath engine)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from facturier.einvoice.formats import parse_decimal
from facturier.einvoice.xmltypes import Element


class Nodes:
    """Lookups relative to one element, with the syntax's namespace prefixes."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        self.ns = namespaces

    def first(self, node: Element | None, path: str) -> Element | None:
        return None if node is None else node.find(path, self.ns)

    def all(self, node: Element | None, path: str) -> list[Any]:
        return [] if node is None else list(node.findall(path, self.ns))

    def text(self, node: Element | None, path: str) -> str:
        found = self.first(node, path)
        return "" if found is None or found.text is None else str(found.text).strip()

    def attr(self, node: Element | None, path: str, name: str) -> str:
        found = self.first(node, path)
        return "" if found is None else str(found.get(name) or "").strip()

    def decimal(self, node: Element | None, path: str, default: Decimal | None = None) -> Decimal:
        value = self.text(node, path)
        if not value and default is not None:
            return default
        return parse_decimal(value, path)

    def optional_decimal(self, node: Element | None, path: str) -> Decimal | None:
        value = self.text(node, path)
        return parse_decimal(value, path) if value else None
