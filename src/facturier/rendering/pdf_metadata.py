"""Replace the XMP metadata stream of a PDF by rewriting its bytes, without a PDF library.

Typst writes simple files: one revision, one classic cross-reference table (`xref`, one
subsection from object 0), direct `/Length` values, an unfiltered metadata stream (PDF/A-3
6.6.2.1 wants metadata readable without decoding) placed near the end. For such a file,
changing the metadata is a splice: the new stream replaces the old one, the byte offsets
of the objects after it (in ISO 32000-1 7.5.4 cross-reference entries and `startxref`)
move by the difference, and nothing else changes. That costs a copy of the bytes
(microseconds), where opening and saving the file with pikepdf costs milliseconds per page.

`rewrite_metadata` refuses anything else by returning None (an incremental update, a
cross-reference stream, free entries, a filtered or indirectly sized metadata stream, an
entry that does not point at its object), so the caller falls back to a full PDF library.
It never guesses.
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


def _xref_table(pdf: bytes, start: int) -> tuple[list[int], int] | None:
    """The offsets of objects 1..n from a single-subsection table at `start` (entry 0 free,
    every other one in use and pointing at `N 0 obj`), and where the trailer begins."""
    head = _XREF_HEAD.match(pdf, start)
    if head is None:
        return None
    count, position = int(head[1]), head.end()
    offsets: list[int] = []
    for number in range(count):
        entry = _ENTRY.match(pdf, position)
        if entry is None or entry.end() - position != _ENTRY_SIZE or (entry[3] == b"f") != (number == 0):
            return None
        if number and not pdf.startswith(b"%d 0 obj" % number, int(entry[1])):
            return None
        offsets.append(int(entry[1]))
        position = entry.end()
    return offsets, position


def _entries(offsets: list[int], moved_after: int, delta: int) -> bytes:
    shifted = (offset + delta if offset > moved_after else offset for offset in offsets[1:])
    return b"0000000000 65535 f\r\n" + b"".join(b"%010d 00000 n\r\n" % offset for offset in shifted)


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
    root = _ROOT.search(trailer[1])
    if root is None or not 0 < int(root[1]) < len(offsets):
        return None
    catalog_at = offsets[int(root[1])]
    metadata = _METADATA.search(pdf, catalog_at, pdf.find(b"endobj", catalog_at))
    if metadata is None or not 0 < int(metadata[1]) < len(offsets):
        return None
    start = offsets[int(metadata[1])]
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
    if xref_at < data_end:
        return None
    entries = _entries(offsets, start, delta)
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
