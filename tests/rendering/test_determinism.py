"""Same input, same PDF: compared by extracted text and structure, never by bytes, within a
process and across processes (fonts come from the package, the date from the document)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.rendering.pdf_structure import open_pdf, structure
from tests.rendering.samples import cii_xml, fr_b2b, pdf_text

from facturier.rendering import FacturXPackaging, render_pdf

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from facturier.rendering import FacturXPackaging, render_pdf
from tests.rendering.samples import cii_xml, fr_b2b
doc = fr_b2b()
sys.stdout.buffer.write(render_pdf(doc, language="fr", facturx=FacturXPackaging(cii_xml(doc))))
"""


def _facturx() -> bytes:
    doc = fr_b2b()
    return render_pdf(doc, language="fr", facturx=FacturXPackaging(cii_xml(doc)))


def test_same_input_same_text_and_structure() -> None:
    first, second = _facturx(), _facturx()
    assert pdf_text(first) == pdf_text(second)
    assert structure(first) == structure(second)


def test_same_output_in_a_fresh_process() -> None:
    env = {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, check=True)
    here = _facturx()
    assert pdf_text(result.stdout) == pdf_text(here)
    assert structure(result.stdout) == structure(here)


def test_creation_date_comes_from_the_document_not_the_clock() -> None:
    xmp = structure(_facturx())["xmp"]
    assert b"2026-10-05T00:00:00" in xmp
    explicit = render_pdf(fr_b2b(), created=datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert pdf_text(explicit) == pdf_text(render_pdf(fr_b2b()))
    with open_pdf(explicit) as document:
        assert str(document.docinfo["/CreationDate"]) == "D:20270102030405Z"
