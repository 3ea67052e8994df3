"""The seller profile as a file or prompts: `facturier init`."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints, ValidationError
from stdnum import iban
from stdnum.eu import vat as eu_vat

from facturier.archive.store import FileBlobStore
from facturier.domain.codes import PaymentMeansCode
from facturier.domain.documents import PaymentMeans
from facturier.domain.errors import InvalidInput, Violation, invalid
from facturier.domain.parties import Address, Contact, ElectronicAddress, Party
from facturier.domain.seller import DEFAULT_SERIES, Branding, SellerProfile, SeriesConfig
from facturier.einvoice.profiles import WRITTEN_PROFILES
from facturier.numbering.format import Pattern
from facturier.rendering.theme import logo_format
from facturier.services.order_schema import AddressIn, Code, ElectronicAddressIn, MultiLine, Note, OneLine, Text, _Model
from facturier.services.orders import _path
from facturier.services.seller_checks import seller_field


class ViesIn(_Model):
    """Online check of business buyers' VAT ids in VIES: off by default."""

    enabled: bool = False
    # The endpoint is the deployment's (FACTURIER_VIES_URL), never a seller's: a tenant must not
    # make the server call an address of its choosing.


# "" (the deployment's default) or one of the profiles Facturier writes
FacturXChoice = Literal[("", *(profile.value for profile in WRITTEN_PROFILES))]  # type: ignore[valid-type]

SeriesName = Literal["invoice", "credit_note", "corrective", "down_payment", "quote", "proforma"]


class SeriesIn(_Model):
    """A numbering series: e.g. {"pattern": "F{yyyy}-{seq:06d}", "yearly_reset": true}."""

    pattern: Annotated[str, StringConstraints(max_length=64), OneLine]
    yearly_reset: bool = True


class BrandingIn(_Model):
    """How the documents look: accent colour, font, logo, texts (printed as given)."""

    accent: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#1F4E79"
    font: Literal["Inter", "Liberation Serif"] = "Inter"
    logo: Text = Field(default="", description="PNG, JPEG or SVG file, relative to the seller file")
    logo_width_mm: int = Field(default=40, ge=5, le=120)
    header_text: Note = ""
    footer_text: Note = ""
    thank_you: Note = ""
    legal_text: Annotated[str, StringConstraints(max_length=2000), MultiLine] = ""


class SellerIn(_Model):
    name: Text
    trading_name: Text = ""
    address: AddressIn
    siren: Code = ""
    siret: Code = ""
    vat_id: Code = ""
    legal_form: Code = ""
    share_capital: Decimal | None = Field(default=None, ge=0)
    rcs: Text = ""
    email: Text = ""
    phone: Text = ""
    electronic_address: ElectronicAddressIn | None = None
    iban: Code = ""
    bic: Code = ""
    payment_days: int = Field(default=30, ge=0, le=60)
    late_penalty_rate: Decimal | None = Field(default=None, ge=0, le=100)
    early_payment_discount: Text = ""
    vat_on_debits: bool = False
    # VAT settings for the tax engine (docs/tax/issuing.md)
    oss_union: bool = Field(default=False, description="registered for the OSS Union scheme")
    ioss_number: Code = Field(default="", description="import OSS number (IM...)")
    franchise_en_base: bool = Field(default=False, description="VAT franchise, CGI art. 293 B")
    foreign_vat_ids: dict[Code, Code] = Field(
        default_factory=dict, max_length=27, description="member state -> VAT id held there"
    )
    unknown_vat_id_policy: Literal["treat_as_consumer", "hold"] = "treat_as_consumer"
    vies: ViesIn = Field(default_factory=lambda: ViesIn())
    series: dict[SeriesName, SeriesIn] = Field(
        default_factory=dict, description="numbering per document type; the defaults for those not given"
    )
    quote_validity_days: int = Field(default=30, ge=1, le=365)
    timezone: Annotated[str, StringConstraints(max_length=64)] = Field(
        default="Europe/Paris", description="IANA time zone of the seller's calendar: issue dates are its dates"
    )
    backdating_days: int = Field(
        default=31, ge=0, le=366, description="how many days before today an order's issue_date may be"
    )
    branding: BrandingIn = Field(default_factory=lambda: BrandingIn())
    facturx_profile: FacturXChoice = Field(
        default="", description="Factur-X profile of the e-invoices; empty: the deployment's default"
    )


def _branding(branding: BrandingIn, logo_sha256: str) -> Branding:
    return Branding(
        accent=branding.accent,
        font=branding.font,
        logo_sha256=logo_sha256,
        logo_width_mm=branding.logo_width_mm,
        header_text=branding.header_text,
        footer_text=branding.footer_text,
        thank_you=branding.thank_you,
        legal_text=branding.legal_text,
    )


def _series(configured: dict[SeriesName, SeriesIn]) -> tuple[SeriesConfig, ...]:
    """The default series, with the seller's own patterns where given (checked here, at init)."""
    result = []
    for default in DEFAULT_SERIES:
        name = default.document_type.name.lower()
        given = configured.get(name)  # type: ignore[call-overload]
        if given is None:
            result.append(default)
            continue
        Pattern.parse(given.pattern, given.yearly_reset, path=f"series.{name}.pattern")
        result.append(SeriesConfig(default.document_type, given.pattern, given.yearly_reset))
    return tuple(result)


def parse_seller(raw: bytes) -> SellerIn:
    """Parse and check a seller file; a control or hidden character is refused naming its field.

    Raw control characters inside JSON strings are let through the JSON parser (`strict=False`)
    so that the field check (domain.text) names the field, as for a ``\\u0000`` escape.
    """
    try:
        data = json.loads(raw, parse_float=Decimal, strict=False)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid("SELLER-JSON", "$", f"malformed JSON: {exc}") from None
    try:
        return SellerIn.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            Violation("SELLER-SCHEMA", _path(e["loc"]), e["msg"]) for e in exc.errors(include_url=False)
        ) from None


MAX_LOGO_BYTES = 2_000_000


def archive_logo(blobs: FileBlobStore, data: bytes, path: str) -> str:
    """Check a logo (PNG, JPEG or SVG, at most 2 MB) and archive it; its SHA-256 names it."""
    if len(data) > MAX_LOGO_BYTES:
        raise invalid("SELLER-LOGO", path, f"{len(data)} bytes: a logo is at most {MAX_LOGO_BYTES} bytes")
    try:
        logo_format(data)
    except ValueError as exc:
        raise invalid("SELLER-LOGO", path, str(exc)) from None
    return blobs.put(data)


def profile_from_input(seller: SellerIn, logo_sha256: str = "") -> SellerProfile:
    a = seller.address

    party = Party(
        name=seller.name,
        address=Address(a.line1, a.city, a.postcode, a.country, a.line2, a.line3, a.subdivision),
        trading_name=seller.trading_name,
        siren=seller.siren.replace(" ", ""),
        siret=seller.siret.replace(" ", ""),
        vat_id=seller.vat_id.replace(" ", ""),
        legal_form=seller.legal_form,
        share_capital=seller.share_capital,
        rcs=seller.rcs,
        electronic_address=ElectronicAddress(seller.electronic_address.value, seller.electronic_address.scheme)
        if seller.electronic_address
        else None,
        contact=Contact(seller.name, seller.phone, seller.email),
    )
    # named as the seller file names them ("siret", "address.city"), not as the document does
    violations = [Violation(v.rule_id, seller_field(v.path), v.message) for v in party.violations("seller")]
    if seller.iban and not iban.is_valid(seller.iban):
        violations.append(Violation("SELLER-IBAN", "iban", f"{seller.iban!r} is not a valid IBAN (checksum)"))
    violations.extend(_foreign_vat_id_problems(seller))
    if violations:
        raise InvalidInput(violations)
    means = (
        (
            PaymentMeans(
                PaymentMeansCode.SEPA_CREDIT_TRANSFER,
                iban=seller.iban.replace(" ", ""),
                bic=seller.bic,
                account_name=seller.name,
            ),
        )
        if seller.iban
        else ()
    )
    return SellerProfile(
        party=party,
        series=_series(seller.series),
        quote_validity_days=seller.quote_validity_days,
        branding=_branding(seller.branding, logo_sha256),
        payment_means=means,
        payment_days=seller.payment_days,
        late_penalty_rate=seller.late_penalty_rate,
        early_payment_discount=seller.early_payment_discount,
        vat_on_debits=seller.vat_on_debits,
        oss_union=seller.oss_union,
        ioss_number=seller.ioss_number,
        franchise_en_base=seller.franchise_en_base,
        foreign_vat_ids=tuple(sorted((c.upper(), v.replace(" ", "")) for c, v in seller.foreign_vat_ids.items())),
        unknown_vat_id_policy=seller.unknown_vat_id_policy,
        vies_check=seller.vies.enabled,
        timezone=_timezone(seller.timezone),
        backdating_days=seller.backdating_days,
        facturx_profile=seller.facturx_profile,
    )


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid("SELLER-TIMEZONE", "timezone", f"{name!r} is not an IANA time zone (e.g. Europe/Paris)") from None
    return name


def _foreign_vat_id_problems(seller: SellerIn) -> list[Violation]:
    return [
        Violation("TAX-VATID-CHECKSUM", f"foreign_vat_ids.{country}", f"{vat_id!r} fails the format/checksum test")
        for country, vat_id in seller.foreign_vat_ids.items()
        if not eu_vat.is_valid(vat_id)
    ]
