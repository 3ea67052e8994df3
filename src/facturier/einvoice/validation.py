"""`validate_xml`: every check that applies to an e-invoice, violations as values.

1. XSD: the Factur-X schema of the profile (CII) or the UBL 2.1 maindoc schema.
2. Official schematrons, in-process (schematron.py): the Factur-X schematron of the profile
   (it embeds the EN 16931 CII rules) or EN16931-UBL-validation; and for a French seller
   the BR-FR-Flux2 rules, except for invoices to consumers (BAR note B2C/B2CINT), which
   are e-reported rather than exchanged in Flux 2 (the run is listed as skipped).
3. Our exact checks: the document is read back into the domain model and checked by
   `facturier.domain.validation.validate` (BR-CO-10..17 to the cent, line net amounts,
   French mentions) - for the profiles that carry lines.

Input that is unsafe or not an e-invoice at all raises (UnsafeInput, MalformedInput).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from facturier.domain.validation import validate
from facturier.einvoice import resources, schematron, xsd
from facturier.einvoice.cii.names import XPATH_NS as CII_NS
from facturier.einvoice.errors import EInvoiceError
from facturier.einvoice.profiles import Profile
from facturier.einvoice.safe_xml import DEFAULT_LIMITS, XmlLimits, canonical_bytes, parse_xml
from facturier.einvoice.syntax import Syntax, detect
from facturier.einvoice.xmltypes import Element

# Rules on fields the BASIC profile cannot carry (BT-33 share capital and RCS).
_NOT_IN_BASIC = frozenset({"FR-R123-237-CAPITAL", "FR-R123-237-RCS"})


class Severity(StrEnum):
    FATAL = "fatal"
    WARNING = "warning"
    INFORMATION = "information"


@dataclass(frozen=True, slots=True)
class Violation:
    rule_id: str
    severity: Severity
    location: str  # XPath in the XML, or the model path for our own checks
    message: str
    source: str  # "xsd", the schematron file name, or "facturier"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    syntax: str
    profile: str
    violations: tuple[Violation, ...] = ()
    checks: tuple[str, ...] = ()  # what ran
    skipped: tuple[str, ...] = ()  # what did not, and why
    container: str = field(default="xml")  # "xml" or "pdf:<attachment name>"

    @property
    def ok(self) -> bool:
        return not any(v.severity is Severity.FATAL for v in self.violations)

    @property
    def fatal(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity is Severity.FATAL)

    def to_json(self) -> str:
        payload = {
            "ok": self.ok,
            "syntax": self.syntax,
            "profile": self.profile,
            "container": self.container,
            "checks": list(self.checks),
            "skipped": list(self.skipped),
            "violations": [
                {
                    "rule_id": v.rule_id,
                    "severity": v.severity.value,
                    "location": v.location,
                    "message": v.message,
                    "source": v.source,
                }
                for v in self.violations
            ],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)


def validate_xml(xml: bytes, limits: XmlLimits = DEFAULT_LIMITS) -> ValidationReport:
    root = parse_xml(xml, limits)
    syntax = detect(root)
    if syntax is Syntax.CII:
        return _validate_cii(root)
    return _validate_ubl(root, syntax)


def validate_file(data: bytes, limits: XmlLimits = DEFAULT_LIMITS) -> ValidationReport:
    """A PDF (Factur-X / ZUGFeRD: its embedded XML is validated) or an XML file."""
    from facturier.einvoice.pdf import PdfLimits, extract_xml, is_pdf

    if not is_pdf(data):
        return validate_xml(data, limits)
    name, xml = extract_xml(data, PdfLimits(max_xml_bytes=limits.max_bytes))
    report = validate_xml(xml, limits)
    return ValidationReport(
        report.syntax, report.profile, report.violations, report.checks, report.skipped, f"pdf:{name}"
    )


def _validate_cii(root: Element) -> ValidationReport:
    guideline = (
        root.findtext(
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=CII_NS
        )
        or ""
    )
    profile = Profile.from_guideline(guideline)
    if profile is None:
        unknown = Violation(
            "FX-PROFILE",
            Severity.FATAL,
            "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext",
            f"unknown BT-24 specification identifier {guideline.strip()[:100]!r}",
            "facturier",
        )
        return ValidationReport(Syntax.CII.value, "", (unknown,), (), ("all: unknown profile",))
    xml = canonical_bytes(root)
    runs = [("xsd", resources.cii_xsd(profile)), ("schematron", resources.cii_schematron(profile))]
    seller_country = (
        root.findtext(
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/"
            "ram:PostalTradeAddress/ram:CountryID",
            namespaces=CII_NS,
        )
        or ""
    )
    treatment = _cii_treatment(root)
    skipped = _flux2(runs, seller_country, treatment, resources.CII_FR_FLUX2_SCHEMATRON)
    violations = _run(runs, root, xml)
    if profile.has_lines:
        violations += [v for v in _own_checks(root, Syntax.CII) if profile.is_full or v.rule_id not in _NOT_IN_BASIC]
        runs.append(("facturier", "domain.validation"))
    else:
        skipped += ("facturier:domain.validation: the profile has no lines",)
    return ValidationReport(
        Syntax.CII.value, profile.value, tuple(violations), tuple(f"{k}:{v}" for k, v in runs), skipped
    )


def _validate_ubl(root: Element, syntax: Syntax) -> ValidationReport:
    from facturier.einvoice.ubl.names import XPATH_NS as UBL_NS
    from facturier.einvoice.ubl.reader import note_treatment

    schema = resources.UBL_INVOICE_XSD if syntax is Syntax.UBL_INVOICE else resources.UBL_CREDIT_NOTE_XSD
    runs = [("xsd", schema), ("schematron", resources.UBL_EN16931_SCHEMATRON)]
    seller_country = (
        root.findtext(
            "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
            namespaces=UBL_NS,
        )
        or ""
    )
    skipped = _flux2(runs, seller_country, note_treatment(root), resources.UBL_FR_FLUX2_SCHEMATRON)
    violations = _run(runs, root, canonical_bytes(root))
    violations += _own_checks(root, syntax)
    runs.append(("facturier", "domain.validation"))
    return ValidationReport(
        syntax.value, "peppol-bis-3", tuple(violations), tuple(f"{k}:{v}" for k, v in runs), skipped
    )


def _cii_treatment(root: Element) -> str:
    for note in root.iterfind("rsm:ExchangedDocument/ram:IncludedNote", namespaces=CII_NS):
        if (note.findtext("ram:SubjectCode", namespaces=CII_NS) or "").strip() == "BAR":
            return (note.findtext("ram:Content", namespaces=CII_NS) or "").strip()
    return ""


def _flux2(runs: list[tuple[str, str]], seller_country: str, treatment: str, relative: str) -> tuple[str, ...]:
    if seller_country.strip() != "FR":
        return (f"schematron:{relative}: seller not established in France",)
    if treatment in ("B2C", "B2CINT"):
        return (f"schematron:{relative}: invoice to a consumer ({treatment}), e-reported, not in Flux 2",)
    runs.append(("schematron", relative))
    return ()


def _run(runs: list[tuple[str, str]], root: Element, xml: bytes) -> list[Violation]:
    violations: list[Violation] = []
    for kind, relative in runs:
        if kind == "xsd":
            violations += [
                Violation("XSD", Severity.FATAL, e.path, f"line {e.line}: {e.message}", relative)
                for e in xsd.validate(root, relative)
            ]
        else:
            violations += _schematron(relative, xml)
    return violations


def _schematron(relative: str, xml: bytes) -> list[Violation]:
    source = relative.rsplit("/", 1)[-1]
    try:
        findings = schematron.run(relative, xml)
    except schematron.SchematronRunError as exc:
        return [Violation("SCHEMATRON-ERROR", Severity.FATAL, "/", str(exc), source)]
    return [Violation(f.rule_id, _severity(f.flag), f.location, f.text, source) for f in findings]


def _severity(flag: str) -> Severity:
    if flag in ("fatal", "error"):
        return Severity.FATAL
    return Severity.WARNING if flag == "warning" else Severity.INFORMATION


def _own_checks(root: Element, syntax: Syntax) -> list[Violation]:
    from facturier.einvoice.cii.reader import cii_document
    from facturier.einvoice.ubl.reader import ubl_document

    try:
        doc = cii_document(root) if syntax is Syntax.CII else ubl_document(root)
    except EInvoiceError as exc:
        return [Violation("FACTURIER-READ", Severity.FATAL, "/", str(exc), "facturier")]
    return [Violation(v.rule_id, Severity.FATAL, v.path, v.message, "facturier") for v in validate(doc)]
