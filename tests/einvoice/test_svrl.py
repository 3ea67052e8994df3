"""`schematron.parse_svrl` reads the SVRL report as a stream: every finding, in order, whatever
the number of `fired-rule` elements around them."""

from __future__ import annotations

from facturier.einvoice.schematron import parse_svrl

HEAD = b'<?xml version="1.0" encoding="UTF-8"?><svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">'
FIRED = b'<svrl:active-pattern id="p"/>' + b'<svrl:fired-rule context="ram:LineID"/>' * 5_000
TAIL = b"</svrl:schematron-output>"


def test_findings_between_many_fired_rules() -> None:
    svrl = (
        HEAD
        + FIRED
        + b'<svrl:failed-assert test="a" flag="fatal" id="BR-CO-10" location="/x[1]">'
        + b"<svrl:text>[BR-CO-10] Sum of  line amounts</svrl:text></svrl:failed-assert>"
        + FIRED
        + b'<svrl:successful-report test="b" location="/y[1]"><svrl:text>[BR-FR-12] note</svrl:text>'
        + b"</svrl:successful-report>"
        + FIRED
        + TAIL
    )
    findings = parse_svrl(svrl)
    assert [(f.rule_id, f.flag, f.location, f.text, f.test) for f in findings] == [
        ("BR-CO-10", "fatal", "/x[1]", "[BR-CO-10] Sum of line amounts", "a"),
        ("BR-FR-12", "warning", "/y[1]", "[BR-FR-12] note", "b"),  # a report without flag: a warning
    ]


def test_a_report_without_findings() -> None:
    assert parse_svrl(HEAD + FIRED + TAIL) == ()
