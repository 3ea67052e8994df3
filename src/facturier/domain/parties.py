"""Seller and buyer (BG-4, BG-7), their postal addresses (BG-5, BG-8, BG-15) and identifiers.

Identifier checks use python-stdnum (checksums only, offline): SIREN (Luhn, INSEE),
SIRET (Luhn, with La Poste's special case), intra-EU VAT ids per member state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from facturier.domain.countries import is_country_code
from facturier.domain.errors import Violation


class BuyerKind(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class Address:
    """Postal address: BT-35..BT-40 (seller), BT-50..BT-55 (buyer), BT-75..BT-80 (delivery)."""

    line1: str
    city: str
    postcode: str
    country: str  # ISO 3166-1 alpha-2
    line2: str = ""
    line3: str = ""
    subdivision: str = ""

    def violations(self, path: str) -> Iterator[Violation]:
        if not self.line1.strip():
            yield Violation("FR-CGI-242NA-ADDRESS", f"{path}.line1", "address line is required")
        if not self.city.strip():
            yield Violation("FR-CGI-242NA-ADDRESS", f"{path}.city", "city is required")
        if not is_country_code(self.country):
            yield Violation("BR-CL-14", f"{path}.country", f"{self.country!r} is not an ISO 3166-1 alpha-2 code")


@dataclass(frozen=True, slots=True)
class Contact:
    """BG-6 / BG-9 contact point."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class ElectronicAddress:
    """BT-34 / BT-49 electronic address with its scheme (EAS code list, e.g. 0225, 0009, EM)."""

    value: str
    scheme: str


@dataclass(frozen=True, slots=True)
class Party:
    """A seller or a buyer. A consumer buyer needs only a name and an address."""

    name: str  # BT-27 / BT-44 legal name (or the consumer's name)
    address: Address
    kind: BuyerKind = BuyerKind.BUSINESS
    trading_name: str = ""  # BT-28 / BT-45
    siren: str = ""  # BT-30 / BT-47, scheme 0002
    siret: str = ""  # BT-29 / BT-46 (establishment), scheme 0009
    vat_id: str = ""  # BT-31 / BT-48
    legal_form: str = ""  # part of BT-33 (C. com. R123-237)
    share_capital: Decimal | None = None  # part of BT-33
    rcs: str = ""  # e.g. "RCS Paris" (C. com. R123-237)
    electronic_address: ElectronicAddress | None = None
    contact: Contact = Contact()

    def _siret_mismatch(self) -> bool:
        if not (self.siren and self.siret and fr_siret.is_valid(self.siret)):
            return False
        return bool(fr_siret.to_siren(self.siret) != fr_siren.compact(self.siren))

    @property
    def is_business(self) -> bool:
        return self.kind is BuyerKind.BUSINESS

    @property
    def country(self) -> str:
        return self.address.country

    def violations(self, path: str) -> Iterator[Violation]:
        """Identifier checksums and address completeness; presence rules live in validation."""
        if not self.name.strip():
            yield Violation("BR-06" if path == "seller" else "BR-07", f"{path}.name", "name is required")
        yield from self.address.violations(f"{path}.address")
        if self.siren and not fr_siren.is_valid(self.siren):
            yield Violation("FR-SIREN", f"{path}.siren", f"{self.siren!r} is not a valid SIREN (checksum)")
        if self.siret and not fr_siret.is_valid(self.siret):
            yield Violation("FR-SIRET", f"{path}.siret", f"{self.siret!r} is not a valid SIRET (checksum)")
        if self._siret_mismatch():
            yield Violation("FR-SIRET", f"{path}.siret", "SIRET does not start with the SIREN")
        if self.vat_id and not is_valid_vat_id(self.vat_id):
            yield Violation("EU-VATID", f"{path}.vat_id", f"{self.vat_id!r} is not a valid VAT id (format or checksum)")


def is_valid_vat_id(vat_id: str) -> bool:
    """Format and checksum of an intra-EU VAT id (python-stdnum, offline)."""
    return bool(eu_vat.is_valid(vat_id))
