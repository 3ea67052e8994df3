"""PDF rendering: Typst templates fed a locale-formatted view model, themes, i18n, Factur-X.

Public API: `render_pdf`, `Theme`, `FontFamily`, `PaidStamp`, `Payment`, `RenderExtras`,
`Attachment`, `FacturXPackaging`, `Profile`, `language_for`, `build_view`, and `uncovered_text`
(the RENDER-GLYPH check to run before numbering). See docs/rendering.md.
"""

from facturier.rendering.coverage import uncovered_text
from facturier.rendering.facturx import FacturXError, FacturXPackaging, Profile
from facturier.rendering.i18n import LANGUAGES, language_for
from facturier.rendering.pdf import Attachment, RenderError, render_pdf
from facturier.rendering.theme import DEFAULT_THEME, FontFamily, Theme
from facturier.rendering.view import PaidStamp, Payment, RenderExtras, build_view

__all__ = [
    "DEFAULT_THEME",
    "LANGUAGES",
    "Attachment",
    "FacturXError",
    "FacturXPackaging",
    "FontFamily",
    "PaidStamp",
    "Payment",
    "Profile",
    "RenderError",
    "RenderExtras",
    "Theme",
    "build_view",
    "language_for",
    "render_pdf",
    "uncovered_text",
]
