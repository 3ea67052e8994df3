"""A seller's look for its PDFs: logo, accent colour, bundled font, header, footer and messages.

Only fonts shipped in `rendering/fonts/` can be chosen (both SIL OFL 1.1): the renderer never
looks up a system font, so a document renders the same on every machine. Characters the
chosen family lacks come from the shipped Noto fonts (`SCRIPT_FALLBACKS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"


class FontFamily(StrEnum):
    """The bundled families; the value is the family name Typst knows them by."""

    INTER = "Inter"  # sans serif, rsms/inter 4.0 (OFL 1.1)
    LIBERATION_SERIF = "Liberation Serif"  # serif, metric-compatible with Times (OFL 1.1)


# After the theme's family, for the characters it lacks (all SIL OFL 1.1, in rendering/fonts/;
# docs/rendering.md, "Fonts"): Arabic and Hebrew (shaped, laid out right to left by Typst),
# monochrome emoji (before CJK, which also has some symbols, in text style), then Chinese,
# Japanese and Korean in one collection, its Simplified Chinese face (Han characters take the
# mainland forms; kana and hangul are the same in every face).
SCRIPT_FALLBACKS = ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Emoji", "Noto Sans CJK SC")


def logo_format(data: bytes) -> str:
    """ "png", "jpg" or "svg" from the bytes themselves; anything else is refused."""
    if data.startswith(_PNG_MAGIC):
        return "png"
    if data.startswith(_JPEG_MAGIC):
        return "jpg"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml", b"<!--")) and b"<svg" in data[:4096]:
        return "svg"
    raise ValueError("the logo must be a PNG, JPEG or SVG image")


@dataclass(frozen=True, slots=True)
class Theme:
    """How a seller's documents look. Every text is printed as given (no translation)."""

    accent: str = "#1F4E79"  # "#RRGGBB": title, table header rule, totals, paid stamp frame
    font: FontFamily = FontFamily.INTER
    logo: bytes | None = None  # PNG, JPEG or SVG bytes
    logo_width_mm: int = 40
    header_text: str = ""  # printed under the logo, e.g. a slogan or a website
    footer_text: str = ""  # printed at the bottom of every page
    thank_you: str = ""  # printed after the totals
    legal_text: str = ""  # extra legal text appended to the mentions (e.g. terms of sale summary)

    def __post_init__(self) -> None:
        if not _HEX_COLOUR.fullmatch(self.accent):
            raise ValueError(f"accent must be a #RRGGBB colour, not {self.accent!r}")
        if not isinstance(self.font, FontFamily):
            raise ValueError(f"font must be one of {[f.value for f in FontFamily]}, not {self.font!r}")
        if not 5 <= self.logo_width_mm <= 120:
            raise ValueError("logo_width_mm must be between 5 and 120")
        if self.logo is not None:
            logo_format(self.logo)


DEFAULT_THEME = Theme()
