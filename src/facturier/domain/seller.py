"""The seller account's profile: its identity, numbering series and invoicing defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from facturier.domain.codes import DocumentType
from facturier.domain.documents import PaymentMeans
from facturier.domain.parties import Party


@dataclass(frozen=True, slots=True)
class SeriesConfig:
    """One numbering series per document type (CGI ann. II art. 242 nonies A, I-2°)."""

    document_type: DocumentType
    pattern: str
    yearly_reset: bool = True


DEFAULT_SERIES: tuple[SeriesConfig, ...] = (
    SeriesConfig(DocumentType.INVOICE, "F{yyyy}-{seq:06d}"),
    SeriesConfig(DocumentType.CREDIT_NOTE, "AV{yyyy}-{seq:06d}"),
    SeriesConfig(DocumentType.CORRECTIVE, "FR{yyyy}-{seq:06d}"),
    SeriesConfig(DocumentType.DOWN_PAYMENT, "AC{yyyy}-{seq:06d}"),
    SeriesConfig(DocumentType.QUOTE, "D{yyyy}-{seq:06d}"),
    SeriesConfig(DocumentType.PROFORMA, "PF{yyyy}-{seq:06d}"),
)


@dataclass(frozen=True, slots=True)
class Branding:
    """How the seller's documents look; the renderer's Theme is built from it."""

    accent: str = "#1F4E79"  # "#RRGGBB"
    font: str = "Inter"  # one of the bundled families: "Inter", "Liberation Serif"
    logo_sha256: str = ""  # the logo's bytes (PNG, JPEG or SVG) are archived under this SHA-256
    logo_width_mm: int = 40
    header_text: str = ""
    footer_text: str = ""
    thank_you: str = ""
    legal_text: str = ""


@dataclass(frozen=True, slots=True)
class SellerProfile:
    party: Party
    payment_means: tuple[PaymentMeans, ...] = ()
    payment_days: int = 30  # default term; capped by C. com. L441-10 at validation
    late_penalty_rate: Decimal | None = None  # annual %, printed on B2B invoices (L441-10)
    early_payment_discount: str = ""  # "" prints the "no discount" mention
    vat_on_debits: bool = False  # CGI art. 269 2 a
    quote_validity_days: int = 30
    series: tuple[SeriesConfig, ...] = DEFAULT_SERIES
    branding: Branding = Branding()
    # VAT settings read by the tax engine (facturier.tax), see docs/tax/issuing.md
    oss_union: bool = False  # registered for the OSS Union scheme (Directive art. 369a-369k)
    ioss_number: str = ""  # import OSS number (Directive art. 369l-369x)
    franchise_en_base: bool = False  # CGI art. 293 B
    foreign_vat_ids: tuple[tuple[str, str], ...] = ()  # (member state, VAT id) local registrations
    unknown_vat_id_policy: str = "treat_as_consumer"  # or "hold": buyer VAT id not confirmed by VIES
    vies_check: bool = False  # online VIES check of business buyers' VAT ids (off by default)
    timezone: str = "Europe/Paris"  # IANA zone of the seller's calendar: "today" for issue dates
    backdating_days: int = 31  # an order may ask for an issue date at most this many days back
    # Factur-X profile of this seller's e-invoices ("basicwl", "basic", "en16931", "extended");
    # "" = the deployment's default (FACTURIER_FACTURX_PROFILE)
    facturx_profile: str = ""
