"""Factur-X PDFs: the embedded XML is found, read and validated."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from tests.einvoice import scenarios as sc
from tests.einvoice.hostile.generate import make_pdf

from facturier.einvoice.cii.writer import write_cii
from facturier.einvoice.pdf import extract_xml
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.validation import validate_file


def _pdf_with(name: str, xml: bytes) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment(name, xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"])
def test_embedded_xml_is_read(name: str) -> None:
    doc = sc.domestic_b2b()
    pdf = _pdf_with(name, write_cii(doc))
    assert extract_xml(pdf)[0] == name
    assert read_einvoice(pdf) == doc


def test_facturx_package_output_is_read_and_validated() -> None:
    facturx = pytest.importorskip("facturx")
    doc = sc.credit_note()
    xml = write_cii(doc)
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(blank)
    pdf = facturx.generate_from_binary(blank.getvalue(), xml, check_xsd=False)
    assert read_einvoice(pdf) == doc
    report = validate_file(pdf)
    assert report.ok and report.container == "pdf:factur-x.xml"


def test_flate_compressed_attachment_is_inflated() -> None:
    import zlib

    xml = write_cii(sc.export())
    assert read_einvoice(make_pdf([("factur-x.xml", zlib.compress(xml), True)])) == sc.export()
