"""Themes: logo (PNG, JPEG, SVG), accent colour, bundled fonts, header/footer/thank-you/legal texts."""

from __future__ import annotations

import struct
import zlib

import pytest
from tests.rendering.pdf_structure import base_fonts, fill_colours, image_xobjects, open_pdf, unembedded_fonts
from tests.rendering.samples import fr_b2c, pdf_text

from facturier.rendering import FontFamily, Theme, render_pdf
from facturier.rendering.pdf import FONTS_DIR

SVG_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">'
    b'<rect width="200" height="60" rx="8" fill="#123456"/><circle cx="30" cy="30" r="18" fill="#FFCC00"/></svg>'
)


def _png(width: int = 32, height: int = 12, rgb: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A small valid PNG, written by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def test_png_logo_is_drawn_as_an_image() -> None:
    pdf = render_pdf(fr_b2c(), theme=Theme(logo=_png()))
    with open_pdf(pdf) as document:
        images = image_xobjects(document)
        assert len(images) == 1 and int(images[0]["/Width"]) == 32


def test_svg_logo_is_drawn_as_vectors() -> None:
    pdf = render_pdf(fr_b2c(), theme=Theme(logo=SVG_LOGO))
    with open_pdf(pdf) as document:
        colours = fill_colours(document)
        assert image_xobjects(document) == []
    assert _rgb("#123456") in colours and _rgb("#FFCC00") in colours


def test_without_logo_nothing_is_drawn() -> None:
    with open_pdf(render_pdf(fr_b2c())) as document:
        assert image_xobjects(document) == [] and _rgb("#123456") not in fill_colours(document)


def test_accent_colour_changes_the_output() -> None:
    default = Theme()
    red = Theme(accent="#C0392B")
    with open_pdf(render_pdf(fr_b2c(), theme=default)) as document:
        default_colours = fill_colours(document)
    with open_pdf(render_pdf(fr_b2c(), theme=red)) as document:
        red_colours = fill_colours(document)
    assert _rgb(default.accent) in default_colours and _rgb(default.accent) not in red_colours
    assert _rgb("#C0392B") in red_colours and _rgb("#C0392B") not in default_colours


@pytest.mark.parametrize(
    ("family", "prefix"), [(FontFamily.INTER, "Inter-"), (FontFamily.LIBERATION_SERIF, "LiberationSerif")]
)
def test_bundled_fonts_only(family: FontFamily, prefix: str) -> None:
    pdf = render_pdf(fr_b2c(), theme=Theme(font=family, thank_you="Merci !"))
    with open_pdf(pdf) as document:
        fonts = base_fonts(document)
        assert unembedded_fonts(document) == []
    assert fonts and all(name.startswith(prefix) for name in fonts), fonts


def test_bundled_fonts_ship_with_their_licences() -> None:
    names = {path.name for path in FONTS_DIR.iterdir()}
    assert {"OFL-Inter.txt", "OFL-LiberationSerif.txt"} <= names
    assert {"Inter-Regular.otf", "Inter-Bold.otf", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"} <= names


def test_theme_texts_are_printed() -> None:
    theme = Theme(
        header_text="Luminaires d'artisan depuis 1998",
        footer_text="Atelier Lumière — 12 rue des Lilas, Lyon — atelier-lumiere.example",
        thank_you="Merci pour votre confiance !",
        legal_text="Garantie légale de conformité : deux ans (C. consom. art. L217-3).",
    )
    text = pdf_text(render_pdf(fr_b2c(), theme=theme))
    for printed in (theme.header_text, theme.footer_text, theme.thank_you, theme.legal_text):
        assert printed in text


@pytest.mark.parametrize(
    "kwargs",
    [{"accent": "red"}, {"accent": "#12345"}, {"logo": b"GIF89a"}, {"logo_width_mm": 500}, {"font": "Comic Sans"}],
)
def test_invalid_themes_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Theme(**kwargs)  # type: ignore[arg-type]
