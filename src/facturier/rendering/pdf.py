"""Render a Document as a PDF with Typst: plain, paid ("facture acquittée") or Factur-X PDF/A-3b.

The template (`templates/invoice.typ`) receives the view model as JSON through `sys.inputs`
and the logo and attachments as byte arrays, so nothing is written to disk. Fonts come only
from `rendering/fonts/` (system and Typst-embedded fonts are both excluded), and the creation
date is an argument (the document's issue date by default), never the clock: the same input
gives the same PDF on every machine.

One Typst compiler per process is kept (font loading and template parsing are paid once);
calls are serialised by a lock because a compiler is not meant for concurrent use. Scale
out with processes.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import typst

from facturier.domain.documents import Document
from facturier.domain.errors import FacturierError
from facturier.rendering.facturx import FACTURX_FILENAME, FacturXPackaging, add_facturx_xmp, check_xsd
from facturier.rendering.theme import DEFAULT_THEME, SCRIPT_FALLBACKS, Theme, logo_format
from facturier.rendering.view import PaidStamp, RenderExtras, View, build_view

_HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = _HERE / "templates"
FONTS_DIR = _HERE / "fonts"
ATTACHMENT_RELATIONSHIPS = ("supplement", "source", "data", "alternative", "unspecified")


class RenderError(FacturierError):
    """Typst could not compile the document (a template or data problem, with its diagnostic)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file embedded in the PDF (e.g. a timesheet or delivery note: "supplement")."""

    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"
    description: str = ""
    relationship: str = "supplement"

    def __post_init__(self) -> None:
        if self.relationship not in ATTACHMENT_RELATIONSHIPS:
            raise ValueError(f"relationship must be one of {ATTACHMENT_RELATIONSHIPS}")
        if not self.filename or "/" in self.filename or self.filename == FACTURX_FILENAME:
            raise ValueError(f"invalid attachment file name {self.filename!r}")


class _Compiler:
    """The process's Typst compiler, rebuilt after a fork (its state is not fork-safe)."""

    _lock = threading.Lock()
    _pid = -1
    _compiler: typst.Compiler | None = None

    @classmethod
    def compile(cls, inputs: dict[str, str], pdfa: bool, created: datetime) -> bytes:
        with cls._lock:
            if cls._compiler is None or cls._pid != os.getpid():
                fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[FONTS_DIR])
                cls._compiler = typst.Compiler(
                    TEMPLATES_DIR / "invoice.typ", root=TEMPLATES_DIR, font_paths=fonts, ignore_system_fonts=True
                )
                cls._pid = os.getpid()
            try:
                result = cls._compiler.compile(
                    format="pdf",
                    sys_inputs=inputs,
                    pdf_standards="a-3b" if pdfa else None,
                    timestamp=created,
                )
            except typst.TypstError as exc:
                raise RenderError(f"typst: {exc.message}\n{exc.diagnostic}") from exc
        if not isinstance(result, bytes):
            raise RenderError("typst returned no PDF")
        return result


def _theme_view(theme: Theme) -> View:
    return {
        "accent": theme.accent,
        "font": theme.font.value,
        "fonts": [theme.font.value, *SCRIPT_FALLBACKS],  # the template's text.font list
        "logo_format": logo_format(theme.logo) if theme.logo else "",
        "logo_width_mm": theme.logo_width_mm,
        "header": theme.header_text,
        "footer": theme.footer_text,
        "thank_you": theme.thank_you,
        "legal": theme.legal_text,
    }


def _logo_input(theme: Theme) -> str:
    """SVG as text; raster images as a JSON byte array (sys.inputs only carries strings)."""
    assert theme.logo is not None
    if logo_format(theme.logo) == "svg":
        return theme.logo.decode("utf-8")
    return json.dumps(list(theme.logo))


def _attachments_input(attachments: Sequence[Attachment]) -> str:
    items = [
        {
            "name": a.filename,
            "data": list(a.data),
            "mime": a.mime_type,
            "description": a.description,
            "relationship": a.relationship,
        }
        for a in attachments
    ]
    return json.dumps(items)


def creation_time(doc: Document) -> datetime:
    """The default PDF creation date: the issue date at 00:00 UTC (deterministic)."""
    return datetime.combine(doc.issue_date, time(0, 0), tzinfo=UTC)


def render_pdf(
    doc: Document,
    *,
    theme: Theme = DEFAULT_THEME,
    language: str = "fr",
    attachments: Sequence[Attachment] = (),
    paid: PaidStamp | None = None,
    facturx: FacturXPackaging | None = None,
    extras: RenderExtras = RenderExtras(),
    created: datetime | None = None,
) -> bytes:
    """The PDF of `doc` in `language` ("fr", "en"; see `i18n.language_for`).

    With `facturx`, the output is a Factur-X PDF/A-3b: the XML is checked against the
    profile's XSD (unless disabled), attached as factur-x.xml and described in the XMP.
    `created` (timezone-aware) defaults to the issue date; the clock is never read.
    """
    view: dict[str, Any] = build_view(doc, language, extras, paid)
    view["theme"] = _theme_view(theme)
    inputs = {"view": json.dumps(view, ensure_ascii=False)}
    if theme.logo:
        inputs["logo"] = _logo_input(theme)
    if attachments:
        inputs["attachments"] = _attachments_input(attachments)
    if facturx is not None:
        if facturx.check_xsd:
            check_xsd(facturx.xml, facturx.profile)
        inputs["xml"] = facturx.xml_text()
        inputs["xml_relationship"] = facturx.af_relationship
    pdf = _Compiler.compile(inputs, facturx is not None, created or creation_time(doc))
    return add_facturx_xmp(pdf, facturx.profile) if facturx is not None else pdf
