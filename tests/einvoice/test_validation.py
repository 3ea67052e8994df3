"""validate_xml: official findings and our exact checks as values; costs measured."""

from __future__ import annotations

import json
import time
from statistics import median

from tests.einvoice import scenarios as sc

from facturier.einvoice import schematron
from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.ubl.writer import write_ubl
from facturier.einvoice.validation import Severity, validate_xml


def test_exact_vat_check_catches_what_the_official_tolerance_lets_through() -> None:
    xml = write_cii(sc.domestic_b2b())
    # One cent of VAT more on the breakdown and the totals: inside the schematron's tolerance.
    tampered = (
        xml.replace(b"<ram:CalculatedAmount>112.00<", b"<ram:CalculatedAmount>112.01<")
        .replace(b'currencyID="EUR">112.00<', b'currencyID="EUR">112.01<')
        .replace(b"<ram:GrandTotalAmount>672.00<", b"<ram:GrandTotalAmount>672.01<")
        .replace(b"<ram:DuePayableAmount>672.00<", b"<ram:DuePayableAmount>672.01<")
    )
    assert tampered != xml
    report = validate_xml(tampered)
    official = [v for v in report.fatal if v.source != "facturier"]
    ours = [v for v in report.fatal if v.source == "facturier"]
    assert official == []
    assert [v.rule_id for v in ours] == ["BR-CO-17"]
    assert not report.ok


def test_broken_line_net_is_reported_with_its_path() -> None:
    xml = write_ubl(sc.domestic_b2b())
    tampered = xml.replace(b'<cbc:PriceAmount currencyID="EUR">120<', b'<cbc:PriceAmount currencyID="EUR">121<')
    report = validate_xml(tampered)
    assert ("BR-LINE-NET", "lines[0].net_amount") in {(v.rule_id, v.location) for v in report.fatal}


def test_missing_french_notes_are_flagged_by_br_fr_05() -> None:
    xml = write_cii(sc.domestic_b2b()).replace(b"<ram:SubjectCode>PMT</ram:SubjectCode>", b"")
    report = validate_xml(xml)
    assert "BR-FR-05_BT-22_PMT" in {v.rule_id for v in report.fatal}
    finding = next(v for v in report.fatal if v.rule_id == "BR-FR-05_BT-22_PMT")
    assert finding.location.startswith("/") and finding.severity is Severity.FATAL


def test_report_json_is_deterministic() -> None:
    xml = write_cii(sc.domestic_b2b())
    first, second = validate_xml(xml).to_json(), validate_xml(xml).to_json()
    assert first == second
    payload = json.loads(first)
    assert payload["ok"] is True
    assert payload["syntax"] == "CII" and payload["profile"] == "en16931"


def test_schematron_cost_first_call_compiles_later_calls_are_fast(capsys: object) -> None:
    schematron.compiled.cache_clear()
    xml = write_cii(sc.mixed_rates_discounts())
    started = time.perf_counter()
    validate_xml(xml)
    first = time.perf_counter() - started
    runs = []
    for _ in range(10):
        started = time.perf_counter()
        validate_xml(xml)
        runs.append(time.perf_counter() - started)
    later = median(runs)
    print(f"\nvalidate_xml CII EN16931 + BR-FR: first {first * 1000:.0f} ms, then median {later * 1000:.1f} ms")
    assert later < first
    assert later < 1.0
