"""Small builders for integration tests: a valid seller, valid orders, drafts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.domain.seller import SellerProfile
from facturier.services.issue import DEFAULT_STEPS, Issued, IssueSteps, draft_submission
from facturier.services.issuing import Issuer, issue, order_submission
from facturier.services.order_schema import OrderIn
from facturier.services.orders import draft_from_lines, parse_order
from facturier.services.seller import parse_seller, profile_from_input
from facturier.storage.database import Database
from facturier.tax.vies import VatIdChecker

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def seller_profile() -> SellerProfile:
    return profile_from_input(parse_seller((EXAMPLES / "seller.json").read_bytes()))


def new_account(db: Database, slug: str = "acme", profile: SellerProfile | None = None) -> str:
    return db.create_account(slug, profile or seller_profile(), "2026-11-01T00:00:00+00:00")


def order_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "ORD-1",
        "kind": "invoice",
        "date": "2026-11-20",
        "currency": "EUR",
        "customer": {
            "type": "business",
            "name": "Hôtel du Parc SARL",
            "siren": "891234569",
            "vat_id": "FR84891234569",
            "electronic_address": {"value": "891234569", "scheme": "0225"},  # BR-FR-12/21 (Flux 2)
        },
        "billing_address": {"line1": "3 place Bellecour", "city": "Lyon", "postcode": "69002", "country": "FR"},
        "lines": [
            {"name": "Lampe de bureau", "quantity": "2", "unit_price": "89.90", "vat_rate": "20"},
            {
                "name": "Installation",
                "kind": "services",
                "quantity": "1.5",
                "unit": "HUR",
                "unit_price": "55",
                "vat_rate": "20",
            },
        ],
        "payment": {"terms_days": 30},
    }
    data.update(overrides)
    return data


def order(**overrides: Any) -> OrderIn:
    return parse_order(json.dumps(order_data(**overrides)).encode())


def draft(
    issue_date: date = date(2026, 11, 20),
    profile: SellerProfile | None = None,
    document_type: DocumentType = DocumentType.INVOICE,
    **overrides: Any,
) -> Document:
    overrides.setdefault("date", issue_date.isoformat())  # ordered the day it is invoiced
    return draft_from_lines(order(**overrides), profile or seller_profile(), document_type, issue_date)


def money(text: str) -> Decimal:
    return Decimal(text)


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """A prebuilt draft to issue through the one issuing path (services.issuing.issue)."""

    draft: Document
    source_id: str | None = None
    label: str = ""


def issue_all(
    db: Database,
    account_id: str,
    requests: list[IssueRequest],
    clock: Callable[[], datetime],
    steps: IssueSteps = DEFAULT_STEPS,
) -> list[Issued]:
    """Issue prebuilt drafts, all or nothing, through the production path."""
    submissions = [draft_submission(r.draft, r.source_id, r.label) for r in requests]
    return issue(Issuer(db, clock, steps), account_id, submissions)


def issue_orders(
    db: Database,
    account_id: str,
    orders: list[dict[str, Any]],
    clock: Callable[[], datetime],
    steps: IssueSteps = DEFAULT_STEPS,
    batch: bool = True,
    vies: VatIdChecker | None = None,
) -> list[Issued]:
    """Issue order JSON objects through the production path."""
    submissions = [order_submission(parse_order(json.dumps(o).encode())) for o in orders]
    return issue(Issuer(db, clock, steps, vies), account_id, submissions, batch=batch)
