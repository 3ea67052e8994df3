"""What issuing a document writes besides its canonical JSON, and the e-invoice check before numbering.

Two steps plug into `services.issue` (see `IssueSteps` there):

- `EInvoiceCheck` (before numbering): the fiscal document (380/381/384/386), with its placeholder
  number, is written as CII in the seller's Factur-X profile and as UBL, and both go through
  `einvoice.validation.validate_xml`: the XSD, the official schematrons (Factur-X of the profile,
  EN16931 UBL, and BR-FR-Flux2 for French sellers, which the e-invoice layer skips for consumer
  invoices, BAR B2C/B2CINT, as those are e-reported rather than exchanged) and our exact checks.
  Every fatal violation is returned, so nothing is numbered. Warnings do not block. The XML is
  parsed with `safe_xml.OWN_OUTPUT_LIMITS` (sized for the order format's 10,000 lines), not
  with the inbound limits. It also refuses, for every document kind, a text with a character no
  shipped font can draw (`rendering.coverage.uncovered_text`, RENDER-GLYPH, the field named).
- `DocumentFiles` (after numbering, inside the issuing transaction): the CII (`factur-x.xml`), the
  UBL (`ubl.xml`) and the Factur-X PDF/A-3b (`document.pdf`) for fiscal documents; a plain PDF for
  quotes and pro formas (not tax documents, no e-invoice form). The PDF is in the buyer's language
  and its creation date is the issue date, so the same document always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from facturier.archive.store import FileBlobStore
from facturier.domain.documents import Document
from facturier.domain.errors import Violation
from facturier.domain.seller import Branding
from facturier.einvoice import validation
from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.explain import base_rule, field_of
from facturier.einvoice.profiles import Profile
from facturier.einvoice.safe_xml import OWN_OUTPUT_LIMITS
from facturier.einvoice.ubl.writer import write_ubl
from facturier.rendering import DEFAULT_THEME, FacturXPackaging, PaidStamp, Theme, language_for, render_pdf
from facturier.rendering import Profile as PdfProfile
from facturier.rendering.coverage import uncovered_text
from facturier.rendering.theme import FontFamily

PDF, CII, UBL = "document.pdf", "factur-x.xml", "ubl.xml"
PDF_TYPE, XML_TYPE = "application/pdf", "application/xml"
_NAMESPACE_TESTS = re.compile(r"\[namespace-uri\(\)='[^']*'\]")


@dataclass(frozen=True, slots=True)
class ArtefactFile:
    """Bytes to archive with a document: `name` is unique per document (e.g. "document.pdf")."""

    name: str
    media_type: str
    data: bytes


def chosen_profile(facturx: str, default: Profile) -> Profile:
    """The seller's Factur-X profile (`SellerProfile.facturx_profile`), or `default` if "" """
    return Profile(facturx) if facturx else default


@dataclass(frozen=True, slots=True)
class EInvoiceCheck:
    """Validate the e-invoice forms of a fiscal document before it is numbered."""

    profile: Profile = Profile.EN16931
    ubl: bool = True  # also validate the UBL form (EN16931 UBL schematron, BR-FR-Flux2 UBL)
    glyphs: bool = True  # also refuse text the shipped fonts cannot print (RENDER-GLYPH), every kind

    def __call__(self, document: Document, facturx: str = "") -> tuple[Violation, ...]:
        """`facturx`: the seller's Factur-X profile, if it chose one (else this step's)."""
        glyphs = uncovered_text(document) if self.glyphs else ()
        if not document.document_type.is_fiscal:
            return glyphs
        profile = chosen_profile(facturx, self.profile)
        # Our own output, from a validated model: bounded by the order format's largest document
        # (OWN_OUTPUT_LIMITS), not by the limits for hostile inbound files; entities stay off.
        reports = [("CII", validation.validate_xml(write_cii(document, profile), OWN_OUTPUT_LIMITS))]
        if self.ubl:
            reports.append(("UBL", validation.validate_xml(write_ubl(document), OWN_OUTPUT_LIMITS)))
        return glyphs + violations_of(reports)


def violations_of(reports: Sequence[tuple[str, validation.ValidationReport]]) -> tuple[Violation, ...]:
    """The fatal violations of `reports` as domain violations, each once (our own checks run per syntax).

    A schematron finding about one field is named by that field (`einvoice.explain.field_of`:
    "buyer.electronic_address", "lines[2].vat_rate"), and reported once for CII and UBL (same base
    rule, same field); one about no single field keeps its syntax and XPath ("CII /*:...").
    """
    seen: dict[tuple[str, str], Violation] = {}
    for syntax, report in reports:
        for v in report.fatal:
            own = v.source == "facturier"
            field = None if own else field_of(v.rule_id, v.location)
            if own or field is not None:
                path = v.location if own else str(field)
                key = (v.rule_id if own else base_rule(v.rule_id), path)
            else:
                path = f"{syntax} {short_xpath(v.location)}"
                key = (v.rule_id, f"{syntax}:{v.location}")
            seen.setdefault(key, Violation(v.rule_id, path, f"{v.message} ({v.source})"))
    return tuple(seen.values())


def short_xpath(location: str) -> str:
    """`/*:Invoice[namespace-uri()='...'][1]/...` without the namespace tests (still unambiguous here)."""
    return _NAMESPACE_TESTS.sub("", location)


@dataclass(frozen=True, slots=True)
class DocumentFiles:
    """Write the files a numbered document leaves Facturier as."""

    profile: Profile = Profile.EN16931
    theme: Theme = DEFAULT_THEME

    def __call__(
        self, document: Document, theme: Theme | None = None, facturx: str = ""
    ) -> tuple[ArtefactFile, ...]:
        """The files of `document`, in `theme` (the seller's branding) or this step's default,
        as a Factur-X of the seller's profile `facturx` if it chose one, else of this step's."""
        theme = theme or self.theme
        language = language_for(document.buyer, document.language)
        if not document.document_type.is_fiscal:
            return (ArtefactFile(PDF, PDF_TYPE, render_pdf(document, theme=theme, language=language)),)
        profile = chosen_profile(facturx, self.profile)
        cii = write_cii(document, profile)
        pdf = render_pdf(
            document, theme=theme, language=language, facturx=FacturXPackaging(cii, PdfProfile(profile.value))
        )
        return (
            ArtefactFile(PDF, PDF_TYPE, pdf),
            ArtefactFile(CII, XML_TYPE, cii),
            ArtefactFile(UBL, XML_TYPE, write_ubl(document)),
        )


def theme_for(branding: Branding, blobs: FileBlobStore) -> Theme:
    """The renderer's theme for a seller's branding (the logo read back from the archive)."""
    return Theme(
        accent=branding.accent,
        font=FontFamily(branding.font),
        logo=blobs.get(branding.logo_sha256) if branding.logo_sha256 else None,
        logo_width_mm=branding.logo_width_mm,
        header_text=branding.header_text,
        footer_text=branding.footer_text,
        thank_you=branding.thank_you,
        legal_text=branding.legal_text,
    )


def paid_pdf(document: Document, stamp: PaidStamp, theme: Theme = DEFAULT_THEME) -> bytes:
    """The "facture acquittée": the same invoice with the PAID / ACQUITTÉE mark and the payments.

    A plain PDF, not a Factur-X: the e-invoice of this number is the one issued, and a second
    machine-readable copy would look like a duplicate invoice to the buyer's systems.
    """
    last_paid_on = max(p.paid_on for p in stamp.payments)
    return render_pdf(
        document,
        theme=theme,
        language=language_for(document.buyer, document.language),
        paid=stamp,
        created=datetime.combine(last_paid_on, time(0, 0), tzinfo=UTC),  # deterministic, like the issue
    )
