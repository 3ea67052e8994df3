"""Online VAT id check (VIES) port. The HTTP adapter lives in integrations/, not here.

Contract for adapters: `check` never raises for network or member-state-service failures; it
returns `VatIdStatus.UNKNOWN` (VIES unreachable is never INVALID). The service layer stores the
result and passes its status in `BuyerTaxProfile.vat_id_status`; the engine applies the seller's
`UnknownVatIdPolicy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from facturier.tax.model import VatIdStatus


@dataclass(frozen=True, slots=True)
class VatCheckResult:
    status: VatIdStatus
    consultation_reference: str | None = None  # VIES "requestIdentifier", keep as evidence
    checked_at: datetime | None = None
    name: str | None = None
    address: str | None = None


class VatIdChecker(Protocol):
    def check(self, vat_id: str, requester_vat_id: str | None = None) -> VatCheckResult:
        """Check `vat_id` (with country prefix) online; UNKNOWN when VIES cannot answer."""
        ...
