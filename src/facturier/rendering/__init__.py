"""PDF rendering: Typst templates fed a locale-formatted view model, themes, i18n, Factur-X.

Public API: `render_pdf`, `Theme`, `FontFamily`, `PaidStamp`, `Payment`, `RenderExtras`,
`Attachment`, `FacturXPackaging`, `Profile`, `language_for`, `build_view`. See docs/rendering.md.
"""

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
]
