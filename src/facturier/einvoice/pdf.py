"""The XML inside a Factur-X / ZUGFeRD / XRechnung PDF, extracted as hostile input.

Bounds: the PDF size (`max_pdf_bytes`), the number of embedded files visited
(`max_attachments`, name-tree depth included), and the size of the XML *after*
decompression: a FlateDecode stream is inflated with `zlib.decompressobj(...,
max_length)`, so a zip/PDF bomb stops at the limit instead of filling memory. Other stream
filters are refused. pypdf only parses the file structure; it never decodes the stream.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from facturier.einvoice.errors import MalformedInput, UnsafeInput, UnsupportedContent
from facturier.einvoice.safe_xml import MB, check_size

XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml")
_MAX_TREE_DEPTH = 8


@dataclass(frozen=True, slots=True)
class PdfLimits:
    max_pdf_bytes: int = 50 * MB
    max_xml_bytes: int = 10 * MB
    max_attachments: int = 50


def is_pdf(data: bytes) -> bool:
    """PDF files start with "%PDF-" (readers accept it within the first 1024 bytes)."""
    return b"%PDF-" in bytes(data[:1024])


def extract_xml(data: bytes, limits: PdfLimits | None = None) -> tuple[str, bytes]:
    """(attachment name, XML bytes) of the e-invoice embedded in the PDF `data`."""
    limits = limits or PdfLimits()
    check_size(data, limits.max_pdf_bytes, "PDF file")
    try:
        files = _embedded_files(PdfReader(io.BytesIO(bytes(data)), strict=False), limits)
        for name in XML_NAMES:
            if name in files:
                return name, _inflate(files[name], name, limits.max_xml_bytes)
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise MalformedInput(f"unreadable PDF: {type(exc).__name__}: {str(exc)[:200]}") from None
    found = ", ".join(sorted(files)[:10]) or "none"
    raise UnsupportedContent(f"the PDF embeds no e-invoice ({' / '.join(XML_NAMES)}); embedded files: {found}")


def _embedded_files(reader: PdfReader, limits: PdfLimits) -> dict[str, Any]:
    catalog = _resolve(reader.trailer.get("/Root"))
    names = _resolve(catalog.get("/Names")) if isinstance(catalog, DictionaryObject) else None
    tree = _resolve(names.get("/EmbeddedFiles")) if isinstance(names, DictionaryObject) else None
    found: dict[str, Any] = {}
    if isinstance(tree, DictionaryObject):
        _walk(tree, found, limits.max_attachments, 0)
    return found


def _walk(node: DictionaryObject, found: dict[str, Any], limit: int, depth: int) -> None:
    if depth > _MAX_TREE_DEPTH:
        raise UnsafeInput(f"PDF embedded-file name tree deeper than {_MAX_TREE_DEPTH} levels")
    pairs = _resolve(node.get("/Names"))
    if isinstance(pairs, ArrayObject):
        for key, value in zip(pairs[0::2], pairs[1::2], strict=False):
            if len(found) >= limit:
                raise UnsafeInput(f"PDF has more than {limit} embedded files")
            found[str(_resolve(key))] = _resolve(value)
    kids = _resolve(node.get("/Kids"))
    if isinstance(kids, ArrayObject):
        if len(kids) > limit:
            raise UnsafeInput(f"PDF has more than {limit} embedded-file name tree nodes")
        for kid in kids:
            child = _resolve(kid)
            if isinstance(child, DictionaryObject):
                _walk(child, found, limit, depth + 1)


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _inflate(filespec: Any, name: str, limit: int) -> bytes:
    ef = _resolve(filespec.get("/EF")) if isinstance(filespec, DictionaryObject) else None
    stream = _resolve(ef.get("/F") or ef.get("/UF")) if isinstance(ef, DictionaryObject) else None
    if stream is None or not hasattr(stream, "_data"):
        raise MalformedInput(f"embedded file {name} has no data stream")
    raw = bytes(stream._data)
    filters = _resolve(stream.get("/Filter"))
    if isinstance(filters, ArrayObject):
        filters = [str(_resolve(f)) for f in filters]
    else:
        filters = [str(filters)] if filters is not None else []
    if not filters:
        check_size(raw, limit, f"embedded {name}")
        return raw
    if filters != ["/FlateDecode"]:
        raise UnsupportedContent(f"embedded {name} uses stream filters {filters}; only FlateDecode is accepted")
    return _bounded_inflate(raw, name, limit)


def _bounded_inflate(raw: bytes, name: str, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise MalformedInput(f"embedded {name}: corrupt FlateDecode stream ({exc})") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise UnsafeInput(f"embedded {name} inflates to more than {limit} bytes (decompression bomb?)")
    return data
