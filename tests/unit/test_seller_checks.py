"""services.seller_checks: a French seller profile that cannot issue a B2B invoice, named by seller-file field."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from tests.factories import EXAMPLES

from facturier.services.issue import DEFAULT_STEPS, IssueSteps
from facturier.services.seller import parse_seller, profile_from_input
from facturier.services.seller_checks import profile_violations, seller_field

TODAY = date(2026, 12, 4)


def profile(**changes: Any):  # type: ignore[no-untyped-def]
    data = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    data["branding"].pop("logo")
    data.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    return profile_from_input(parse_seller(json.dumps(data).encode()))


def test_the_demo_seller_can_issue() -> None:
    assert profile_violations(profile(), DEFAULT_STEPS, TODAY) == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"siren": "", "siret": ""}, ("FR-R123-237-SIREN", "siren")),  # C. com. R123-237
        ({"vat_id": ""}, ("FR-CGI-242NA-VATID", "vat_id")),  # CGI ann. II art. 242 nonies A
        ({"share_capital": None}, ("FR-R123-237-CAPITAL", "share_capital")),
        ({"rcs": ""}, ("FR-R123-237-RCS", "rcs")),
        ({"late_penalty_rate": None}, ("FR-L441-9-PENALTY", "late_penalty_rate")),  # C. com. L441-10
    ],
)
def test_domain_rules_name_the_seller_file_field(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    found = {(v.rule_id, v.path) for v in profile_violations(profile(**changes), IssueSteps(), TODAY)}
    assert expected in found, found


def test_the_schematron_names_the_electronic_address() -> None:
    found = {(v.rule_id, v.path) for v in profile_violations(profile(electronic_address=None), DEFAULT_STEPS, TODAY)}
    assert found == {("BR-FR-13_BT-34", "electronic_address")}  # BT-34, French Flux 2 rules


def test_a_seller_established_elsewhere_is_not_checked_against_french_rules() -> None:
    german = profile(
        siren="",
        siret="",
        vat_id="DE136695976",
        address={"line1": "Hauptstr. 1", "city": "Berlin", "postcode": "10115", "country": "DE"},
        electronic_address=None,
        late_penalty_rate=None,
    )
    assert profile_violations(german, DEFAULT_STEPS, TODAY) == ()


@pytest.mark.parametrize(
    ("domain", "field"),
    [
        ("seller.electronic_address.value", "electronic_address"),
        ("seller.address.city", "address.city"),
        ("seller.contact.email", "email"),
        ("payment_terms.means[0].iban", "iban"),
        ("payment_terms.late_penalty_rate", "late_penalty_rate"),
        ("lines[0].name", "sample invoice: lines[0].name"),
    ],
)
def test_seller_field(domain: str, field: str) -> None:
    assert seller_field(domain) == field
