"""Factur-X PDF/A-3b: embedded factur-x.xml with /AFRelationship, /AF on the catalog, the
Factur-X XMP extension schema, pdfaid:part 3, an sRGB output intent, every font embedded."""

from __future__ import annotations

import pytest
from facturx import get_facturx_xml_from_pdf
from lxml import etree
from tests.rendering.pdf_structure import open_pdf, unembedded_fonts
from tests.rendering.samples import SAMPLES, cii_xml, fr_b2b, long_invoice, pdf_text

from facturier.rendering import FacturXError, FacturXPackaging, Profile, render_pdf
from facturier.rendering.facturx import FX_NS, PDFA_EXTENSION_NS, PDFA_SCHEMA_NS, RDF_NS, facturx_xmp

PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"


@pytest.fixture(scope="module")
def xml() -> bytes:
    return cii_xml(fr_b2b())


@pytest.fixture(scope="module")
def facturx_pdf(xml: bytes) -> bytes:
    return render_pdf(fr_b2b(), language="fr", facturx=FacturXPackaging(xml))


def _xmp(pdf: bytes) -> etree._Element:
    with open_pdf(pdf) as document:
        return etree.fromstring(document.Root.Metadata.read_bytes())


def test_factur_x_xml_is_embedded_unchanged_with_its_relationship(facturx_pdf: bytes, xml: bytes) -> None:
    with open_pdf(facturx_pdf) as document:
        assert list(document.attachments) == ["factur-x.xml"]
        spec = document.attachments["factur-x.xml"]
        assert spec.get_file().read_bytes() == xml
        assert spec.obj["/AFRelationship"] == "/Alternative"
        assert spec.obj["/EF"]["/F"]["/Subtype"] == "/text/xml"
        af = document.Root["/AF"]
        assert len(af) == 1 and af[0]["/F"] == "factur-x.xml" and af[0]["/UF"] == "factur-x.xml"


def test_an_independent_reader_finds_the_xml(facturx_pdf: bytes, xml: bytes) -> None:
    filename, found = get_facturx_xml_from_pdf(facturx_pdf, check_xsd=True)
    assert (filename, found) == ("factur-x.xml", xml)


def test_xmp_has_the_factur_x_properties_and_extension_schema(facturx_pdf: bytes) -> None:
    xmp = _xmp(facturx_pdf)
    ns = {"fx": FX_NS, "rdf": RDF_NS, "pdfaid": PDFAID_NS, "ext": PDFA_EXTENSION_NS, "s": PDFA_SCHEMA_NS}
    assert xmp.xpath("//fx:DocumentType/text()", namespaces=ns) == ["INVOICE"]
    assert xmp.xpath("//fx:DocumentFileName/text()", namespaces=ns) == ["factur-x.xml"]
    assert xmp.xpath("//fx:Version/text()", namespaces=ns) == ["1.0"]
    assert xmp.xpath("//fx:ConformanceLevel/text()", namespaces=ns) == ["EN 16931"]
    assert xmp.xpath("//pdfaid:part/text()", namespaces=ns) == ["3"]
    assert xmp.xpath("//pdfaid:conformance/text()", namespaces=ns) == ["B"]
    bags = xmp.xpath("//ext:schemas/rdf:Bag", namespaces=ns)
    assert len(bags) == 1, "one pdfaExtension:schemas property only"
    assert FX_NS in bags[0].xpath("rdf:li/s:namespaceURI/text()", namespaces=ns)
    properties = bags[0].xpath(
        "rdf:li[s:prefix='fx']/s:property/rdf:Seq/rdf:li/*[local-name()='name']/text()", namespaces=ns
    )
    assert sorted(properties) == ["ConformanceLevel", "DocumentFileName", "DocumentType", "Version"]


def test_metadata_stream_is_not_compressed(facturx_pdf: bytes) -> None:
    with open_pdf(facturx_pdf) as document:
        assert "/Filter" not in document.Root.Metadata.stream_dict
        assert document.Root.Metadata["/Subtype"] == "/XML"


def test_output_intent_is_srgb_for_pdfa(facturx_pdf: bytes) -> None:
    with open_pdf(facturx_pdf) as document:
        intents = document.Root["/OutputIntents"]
        assert len(intents) == 1
        intent = intents[0]
        assert intent["/S"] == "/GTS_PDFA1"
        assert "sRGB" in str(intent["/OutputCondition"]) + str(intent.get("/Info", ""))
        profile = intent["/DestOutputProfile"]
        assert profile["/N"] == 3 and len(profile.read_bytes()) > 0
        assert "/ID" in document.trailer


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_font_is_embedded(name: str) -> None:
    doc = SAMPLES[name]()
    pdf = render_pdf(doc, language="fr", facturx=FacturXPackaging(cii_xml(doc)))
    with open_pdf(pdf) as document:
        assert unembedded_fonts(document) == []


def test_plain_pdf_has_no_attachment_and_no_pdfa_claim() -> None:
    pdf = render_pdf(fr_b2b(), language="fr")
    with open_pdf(pdf) as document:
        assert len(document.attachments) == 0 and "/AF" not in document.Root
        assert unembedded_fonts(document) == []


def test_long_factur_x_invoice_keeps_every_page(xml: bytes) -> None:
    pdf = render_pdf(long_invoice(150), language="fr", facturx=FacturXPackaging(xml))
    with open_pdf(pdf) as document:
        pages = len(document.pages)
    assert pages >= 4 and f"Page {pages} / {pages}" in pdf_text(pdf)


@pytest.mark.parametrize(
    ("profile", "relationship", "level"),
    [
        (Profile.MINIMUM, "/Data", "MINIMUM"),
        (Profile.BASIC_WL, "/Data", "BASIC WL"),
        (Profile.BASIC, "/Alternative", "BASIC"),
        (Profile.EN16931, "/Alternative", "EN 16931"),
        (Profile.EXTENDED, "/Alternative", "EXTENDED"),
    ],
)
def test_relationship_and_conformance_level_follow_the_profile(
    xml: bytes, profile: Profile, relationship: str, level: str
) -> None:
    pdf = render_pdf(fr_b2b(), facturx=FacturXPackaging(xml, profile=profile, check_xsd=False))
    with open_pdf(pdf) as document:
        assert document.attachments["factur-x.xml"].obj["/AFRelationship"] == relationship
    assert _xmp(pdf).xpath("//fx:ConformanceLevel/text()", namespaces={"fx": FX_NS}) == [level]


def test_relationship_can_be_chosen(xml: bytes) -> None:
    pdf = render_pdf(fr_b2b(), facturx=FacturXPackaging(xml, relationship="source"))
    with open_pdf(pdf) as document:
        assert document.attachments["factur-x.xml"].obj["/AFRelationship"] == "/Source"


def test_profile_enums_of_the_einvoice_package_are_accepted(xml: bytes) -> None:
    einvoice_profiles = pytest.importorskip("facturier.einvoice.profiles")
    packaging = FacturXPackaging(xml, profile=einvoice_profiles.Profile.EN16931)
    assert packaging.profile is Profile.EN16931


def test_invalid_xml_is_refused_before_rendering(xml: bytes) -> None:
    broken = xml.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:Nope>380</ram:Nope>", 1)
    with pytest.raises(FacturXError, match="XSD"):
        render_pdf(fr_b2b(), facturx=FacturXPackaging(broken))
    with pytest.raises(FacturXError, match="well formed"):
        render_pdf(fr_b2b(), facturx=FacturXPackaging(b"<not-closed>"))


def test_xmp_patch_creates_the_extension_bag_when_missing() -> None:
    bare = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>'
    )
    patched = etree.fromstring(facturx_xmp(bare, Profile.BASIC))
    ns = {"ext": PDFA_EXTENSION_NS, "rdf": RDF_NS, "s": PDFA_SCHEMA_NS, "fx": FX_NS}
    assert patched.xpath("//ext:schemas/rdf:Bag/rdf:li/s:prefix/text()", namespaces=ns) == ["fx"]
    assert patched.xpath("//fx:ConformanceLevel/text()", namespaces=ns) == ["BASIC"]
