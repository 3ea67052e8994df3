"""Replace the XMP metadata stream of a PDF by rewriting its bytes, without a PDF library.

Typst writes simple files: one revision, one classic cross-reference table (`xref`, one
subsection from object 0), direct `/Length` values, an unfiltered metadata stream (PDF/A-3
6.6.2.1 wants metadata readable without decoding) placed near the end. For such a file,
changing the metadata is a splice: the new stream replaces the old one, the byte offsets
of the objects after it (in ISO 32000-1 7.5.4 cross-reference entries and `startxref`)
move by the difference, and nothing else changes. That costs a copy of the bytes
(microseconds), where opening and saving the file with pikepdf costs milliseconds per page.

`replace_metadata` refuses anything else by returning None (an incremental update, a
cross-reference stream, a filtered or indirectly sized metadata stream, offsets that do not
point at their objects), so the caller falls back to a full PDF library. It never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_HEAD = re.compile(rb"xref\r?\n0 (\d+)\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\r?\n")
_ENTRY_SIZE = 20  # ISO 32000-1 7.5.4: each entry is exactly 20 bytes long
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref", re.S)
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_METADATA = re.compile(rb"/Metadata (\d+) 0 R")
_LENGTH = re.compile(rb"/Length (\d+)(?=[\s/>])")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_ENDSTREAM = re.compile(rb"\r?\nendstream")


def _object_at(pdf: bytes, offsets: list[int], number: int) -> int | None:
    """The offset of `number 0 obj`, if the table says so and the bytes agree."""
    if not 0 < number < len(offsets):
        return None
    start = offsets[number]
    return start if pdf.startswith(b"%d 0 obj" % number, start) else None


def _xref_table(pdf: bytes, start: int) -> tuple[list[int], int] | None:
    """Offsets of a single-subsection table at `start`, and where the trailer begins."""
    head = _XREF_HEAD.match(pdf, start)
    if head is None:
        return None
    count, position = int(head[1]), head.end()
    offsets: list[int] = []
    for _ in range(count):
        entry = _ENTRY.match(pdf, position)
        if entry is None or entry.end() - position != _ENTRY_SIZE:
            return None
        offsets.append(int(entry[1]) if entry[3] == b"n" else -1)
        position = entry.end()
    return offsets, position


def _entries(offsets: list[int], moved_after: int, delta: int) -> bytes:
    lines = [b"0000000000 65535 f\r\n"]
    for offset in offsets[1:]:
        if offset < 0:
            return b""  # a free entry other than 0: not a file Typst wrote
        lines.append(b"%010d 00000 n\r\n" % (offset + delta if offset > moved_after else offset))
    return b"".join(lines)


def rewrite_metadata(pdf: bytes, rewrite: Callable[[bytes], bytes]) -> bytes | None:
    """`pdf` with the catalog's /Metadata stream replaced by `rewrite(current XMP)`, or None
    if `pdf` is not of the simple shape described in the module docstring."""
    tail = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if tail is None:
        return None
    xref_at = int(tail[1])
    table = _xref_table(pdf, xref_at)
    trailer = _TRAILER.match(pdf, table[1]) if table else None
    if table is None or trailer is None or b"/Prev" in trailer[1]:
        return None
    offsets = table[0]
    if not all(pdf.startswith(b"%d 0 obj" % n, at) for n, at in enumerate(offsets) if n > 0):
        return None  # an entry that does not point at its object: not a file we can trust
    root = _ROOT.search(trailer[1])
    catalog_at = _object_at(pdf, offsets, int(root[1])) if root else None
    if catalog_at is None:
        return None
    catalog_end = pdf.find(b"endobj", catalog_at)
    metadata = _METADATA.search(pdf, catalog_at, catalog_end) if catalog_end > 0 else None
    start = _object_at(pdf, offsets, int(metadata[1])) if metadata else None
    if start is None:
        return None
    return _splice(pdf, offsets, start, xref_at, rewrite, tail.start())


def _splice(
    pdf: bytes, offsets: list[int], start: int, xref_at: int, rewrite: Callable[[bytes], bytes], tail_at: int
) -> bytes | None:
    """Replace the stream object at `start`; shift what follows; rewrite table and tail."""
    stream = _STREAM.search(pdf, start, start + 512)
    if stream is None:
        return None
    dictionary = pdf[start : stream.start()]
    length = _LENGTH.search(dictionary)
    if length is None or b"/Filter" in dictionary or b"/DecodeParms" in dictionary:
        return None
    data_end = stream.end() + int(length[1])
    end_keyword = _ENDSTREAM.match(pdf, data_end)
    if end_keyword is None:
        return None
    xmp = rewrite(pdf[stream.end() : data_end])
    new_dictionary = dictionary[: length.start()] + b"/Length %d" % len(xmp) + dictionary[length.end() :]
    new_object = new_dictionary + pdf[stream.start() : stream.end()] + xmp
    delta = len(new_object) - (data_end - start)
    entries = _entries(offsets, start, delta)
    if not entries or xref_at < data_end:
        return None
    trailer = pdf[pdf.index(b"trailer", xref_at) : tail_at]
    return b"".join(
        (
            pdf[:start],
            new_object,
            pdf[data_end:xref_at],
            b"xref\n0 %d\n" % len(offsets),
            entries,
            trailer,
            b"startxref\n%d\n%%%%EOF" % (xref_at + delta),
        )
    )
