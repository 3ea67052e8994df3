"""Structure of a PDF read with pikepdf: fonts, embedded files, XMP, fill colours."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(BytesIO(pdf))


def _resources(document: pikepdf.Pdf) -> Iterator[Any]:
    """Every resource dictionary: pages and, recursively, their form XObjects."""
    stack = [page.obj.get("/Resources") for page in document.pages]
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        yield resources
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))


def font_dicts(document: pikepdf.Pdf) -> Iterator[Any]:
    """Every font dictionary, including the descendants of Type0 fonts."""
    for resources in _resources(document):
        for font in resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def unembedded_fonts(document: pikepdf.Pdf) -> list[str]:
    missing = []
    for font in font_dicts(document):
        if font.get("/Subtype") == "/Type0":
            continue  # the descendant carries the descriptor
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in FONT_FILES):
            missing.append(str(font.get("/BaseFont")))
    return missing


def base_fonts(document: pikepdf.Pdf) -> set[str]:
    """Font names without the subset prefix and encoding suffix: {"Inter-Regular", ...}."""
    names = set()
    for font in font_dicts(document):
        name = str(font.get("/BaseFont", ""))
        names.add(name.lstrip("/").split("+", 1)[-1].removesuffix("-Identity-H"))
    return names


def fill_colours(document: pikepdf.Pdf) -> set[tuple[float, ...]]:
    colours = set()
    for page in document.pages:
        for instruction in pikepdf.parse_content_stream(page):
            if str(instruction.operator) in ("sc", "scn", "rg"):
                colours.add(tuple(round(float(x), 3) for x in instruction.operands))
    return colours


def image_xobjects(document: pikepdf.Pdf) -> list[Any]:
    return [
        xobject
        for resources in _resources(document)
        for xobject in resources.get("/XObject", {}).values()
        if xobject.get("/Subtype") == "/Image"
    ]


def structure(pdf: bytes) -> dict[str, Any]:
    """A comparable summary: page count, fonts, attachments, XMP text, catalog keys."""
    with open_pdf(pdf) as document:
        metadata = document.Root.get("/Metadata")
        return {
            "pages": len(document.pages),
            "fonts": sorted(base_fonts(document)),
            "attachments": {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()},
            "catalog": sorted(str(key) for key in document.Root),
            "xmp": metadata.read_bytes() if metadata is not None else b"",
            "page_sizes": [tuple(float(x) for x in page.mediabox) for page in document.pages],
        }
