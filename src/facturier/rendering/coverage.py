"""Which characters the shipped fonts can draw, and the document texts they cannot (RENDER-GLYPH).

The renderer loads only the fonts of `rendering/fonts/` (docs/rendering.md, "Fonts"). Typst
draws a character with the first family of the theme's list that has it, else with any loaded
font that has it (`text.fallback`). So a character is printable if and only if some shipped
font maps it in its `cmap`; one that none maps would be printed as an empty box (.notdef) in
an archived PDF that can never be issued again. `uncovered_text` finds such characters in a
document before it is numbered, naming the field as the domain names it (`buyer.name`,
`buyer.address.line1`, `lines[2].name`, `notes[0]`) and each character as U+XXXX.

Default-ignorable code points (zero-width joiner, variation selectors, bidi marks, emoji tag
characters...) are never drawn, so they need no glyph: Typst's shaper hides them when a font
lacks them. Tab, line feed and carriage return are laid out as spaces or line breaks.

The coverage set is read from the fonts' cmaps once per process (~0.2 s, mostly the CJK
collection) and kept.
"""

from __future__ import annotations

import dataclasses
import functools
import struct
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from facturier.domain.documents import Document
from facturier.domain.errors import Violation

RULE_ID = "RENDER-GLYPH"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
_SINGLE_FONTS = (".otf", ".ttf")
_COLLECTIONS = (".ttc", ".otc")
_LAYOUT_CONTROLS = frozenset(map(ord, "\t\n\r"))
_SHOWN_PER_FIELD = 5

# Default_Ignorable_Code_Point, from Unicode 15.0.0 DerivedCoreProperties.txt (Debian package
# unicode-data 15.0.0-1, /usr/share/unicode/DerivedCoreProperties.txt), inclusive ranges.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _faces(path: Path) -> Iterator[TTFont]:
    if path.suffix.lower() in _COLLECTIONS:
        yield from TTCollection(path, lazy=True).fonts
    elif path.suffix.lower() in _SINGLE_FONTS:
        yield TTFont(path, lazy=True)


def _unicode_subtable(cmap: bytes) -> tuple[int, int]:
    """(format, offset) of the best Unicode subtable: full repertoire (format 12) before BMP (4)."""
    best = (0, -1, 0)  # (preference, format, offset)
    for i in range(struct.unpack_from(">H", cmap, 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        fmt = struct.unpack_from(">H", cmap, offset)[0]
        unicode = platform == 0 or (platform == 3 and encoding in (1, 10))
        if unicode and fmt in (4, 12):
            best = max(best, (2 if fmt == 12 else 1, fmt, offset))
    return best[1], best[2]


def _format12(cmap: bytes, at: int) -> Iterator[range]:
    (groups,) = struct.unpack_from(">I", cmap, at + 12)
    for start, end, glyph in struct.iter_unpack(">III", cmap[at + 16 : at + 16 + 12 * groups]):
        yield range(start + (glyph == 0), end + 1)  # glyph 0 is .notdef: no glyph


def _format4(cmap: bytes, at: int) -> Iterator[int]:
    segments = struct.unpack_from(">H", cmap, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", cmap, at + 14)
    starts = struct.unpack_from(f">{segments}H", cmap, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", cmap, at + 16 + 4 * segments)
    range_offsets_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", cmap, range_offsets_at)
    for i, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets, strict=True)):
        for char in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (char + delta) & 0xFFFF
            else:
                address = range_offsets_at + 2 * i + range_offset + 2 * (char - start)
                glyph = struct.unpack_from(">H", cmap, address)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                yield char


def cmap_code_points(cmap: bytes) -> set[int]:
    """The characters a raw `cmap` table maps to a real glyph (not .notdef). Read directly: the
    table decoder of fontTools also names every glyph, ~0.1 s per CJK face."""
    fmt, at = _unicode_subtable(cmap)
    if fmt == 12:
        return {char for group in _format12(cmap, at) for char in group}
    return set(_format4(cmap, at)) if fmt == 4 else set()


def font_code_points(path: Path) -> frozenset[int]:
    """The characters the faces of one font file (a collection has several) can draw."""
    points: set[int] = set()
    for face in _faces(path):
        if "cmap" in face.reader:
            points |= cmap_code_points(face.reader["cmap"])
    return frozenset(points)


@functools.cache
def covered_code_points(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Every code point some shipped font can draw, plus those that need no glyph. Cached."""
    points: set[int] = set(_LAYOUT_CONTROLS)
    for path in sorted(fonts_dir.iterdir()):
        points.update(font_code_points(path))
    for first, last in DEFAULT_IGNORABLE:
        points.update(range(first, last + 1))
    return frozenset(points)


def describe(code_point: int) -> str:
    """`U+10FFFD (private use)`, `U+10300 OLD ITALIC LETTER A`."""
    name = unicodedata.name(chr(code_point), "")
    if name:
        return f"U+{code_point:04X} {name}"
    category = unicodedata.category(chr(code_point))
    kind = {"Co": "private use", "Cn": "unassigned", "Cs": "surrogate", "Cc": "control"}.get(category, category)
    return f"U+{code_point:04X} ({kind})"


def uncovered_in(text: str, path: str, covered: frozenset[int] | None = None) -> tuple[Violation, ...]:
    """One violation if `text` (the field at `path`) has characters no shipped font can draw."""
    covered = covered if covered is not None else covered_code_points()
    if covered.issuperset(map(ord, text)):
        return ()
    missing = sorted({ord(ch) for ch in text} - covered)
    shown = ", ".join(describe(cp) for cp in missing[:_SHOWN_PER_FIELD])
    more = f" and {len(missing) - _SHOWN_PER_FIELD} more" if len(missing) > _SHOWN_PER_FIELD else ""
    message = f"{shown}{more}: no shipped font has a glyph for it (the PDF would print an empty box)"
    return (Violation(RULE_ID, path, message),)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def _check_text(text: str, path: str, covered: frozenset[int], found: list[Violation]) -> None:
    if text and not (text.isascii() and text.isprintable()):  # printable ASCII: the theme fonts have it
        found.extend(uncovered_in(text, path, covered))


def _check(value: object, path: str, covered: frozenset[int], found: list[Violation]) -> None:
    """Add the violations of `value` (a dataclass or a tuple) at `path`. Dataclass fields are
    named as declared, tuple items by index; other values (amounts, dates, codes) are not text."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            if isinstance(item, str):
                _check_text(item, f"{path}[{i}]", covered, found)
            else:
                _check(item, f"{path}[{i}]", covered, found)
    elif hasattr(type(value), "__dataclass_fields__"):
        prefix = f"{path}." if path else ""
        for name in _field_names(type(value)):
            item = getattr(value, name)
            if isinstance(item, str):
                _check_text(item, prefix + name, covered, found)
            elif isinstance(item, tuple) or hasattr(type(item), "__dataclass_fields__"):
                _check(item, prefix + name, covered, found)


def uncovered_text(document: Document) -> tuple[Violation, ...]:
    """Every text field of `document` with a character the shipped fonts cannot draw
    (RENDER-GLYPH), one violation per field, in field order, e.g. `buyer.address.line1`,
    `lines[2].name`, `notes[0]`. Pure apart from the fonts read once per process; call it
    before numbering, for every document kind."""
    found: list[Violation] = []
    _check(document, "", covered_code_points(), found)
    return tuple(found)
