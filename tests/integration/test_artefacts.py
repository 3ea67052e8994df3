"""Issuing writes and records the documents' files; the e-invoice is validated before numbering;
paid copies are derived artefacts in their own ledger events. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from sqlalchemy import text
from tests.factories import EXAMPLES, IssueRequest, draft, issue_all, new_account, order_data, seller_profile
from typer.testing import CliRunner

from facturier.cli.main import app
from facturier.domain.canonical import from_canonical
from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput
from facturier.domain.events import LedgerEvent
from facturier.einvoice.pdf import extract_xml
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.validation import validate_file
from facturier.services.artefacts import DocumentFiles, theme_for
from facturier.services.issue import BARE, IssueSteps
from facturier.services.verify import verify_all
from facturier.storage.database import Database

CONSUMER = {"type": "consumer", "name": "Camille Martin"}


def _names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(a.name for a in result.stored.artefacts)


def _events(db: Database) -> list[LedgerEvent]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT payload FROM ledger ORDER BY seq")).all()
    return [from_canonical(LedgerEvent, bytes(r.payload)) for r in rows]


def test_invoice_leaves_as_facturx_pdf_cii_and_ubl_recorded_in_the_ledger(db: Database, clock) -> None:
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft())], clock)[0]
    assert _names(issued) == ["document.json", "document.pdf", "factur-x.xml", "ubl.xml"]
    with db.reading(account) as tx:  # the PDF and XML are archive files, the JSON is the document row
        files = {a.name: tx.documents.stored_bytes(issued.stored, a) for a in issued.stored.artefacts}
    assert not db.blobs.path(next(a.sha256 for a in issued.stored.artefacts if a.name == "document.json")).exists()
    for name, data in files.items():
        assert hashlib.sha256(data).hexdigest() == next(a.sha256 for a in issued.stored.artefacts if a.name == name)
    event = _events(db)[0]
    assert event.kind == "document.issued" and set(event.artefacts) == set(issued.stored.artefacts)
    assert extract_xml(files["document.pdf"]) == ("factur-x.xml", files["factur-x.xml"])
    for name in ("document.pdf", "factur-x.xml", "ubl.xml"):
        report = validate_file(files[name])
        assert report.ok, (name, report.fatal)
        assert read_einvoice(files[name]) == issued.document
    text_ = PdfReader(io.BytesIO(files["document.pdf"])).pages[0].extract_text()
    assert "F2026-000001" in text_ and "Facture" in text_  # French buyer: French PDF
    assert verify_all(db).problems == []


def test_files_are_deterministic_and_in_the_buyers_language(db: Database, clock) -> None:
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft())], clock)[0]
    theme = theme_for(seller_profile().branding, db.blobs)  # the seller's branding, as issuing used
    first, second = DocumentFiles()(issued.document, theme), DocumentFiles()(issued.document, theme)
    assert first == second
    archived = {a.name: a.sha256 for a in issued.stored.artefacts}
    assert all(hashlib.sha256(f.data).hexdigest() == archived[f.name] for f in first)  # same bytes as issued
    abroad = replace(issued.document.buyer, address=replace(issued.document.buyer.address, country="GB"))
    pdf = next(f.data for f in DocumentFiles()(replace(issued.document, buyer=abroad)) if f.name == "document.pdf")
    assert "Invoice" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("document_type", [DocumentType.QUOTE, DocumentType.PROFORMA])
def test_quotes_and_pro_formas_get_a_plain_pdf_only(db: Database, clock, document_type: DocumentType) -> None:
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft(document_type=document_type))], clock)[0]
    assert _names(issued) == ["document.json", "document.pdf"]
    pdf = db.blobs.get(next(a.sha256 for a in issued.stored.artefacts if a.name == "document.pdf"))
    assert not PdfReader(io.BytesIO(pdf)).attachments  # no factur-x.xml: not a tax document
    assert verify_all(db).problems == []


def test_einvoice_violations_refuse_the_draft_before_numbering(db: Database, clock) -> None:
    account = new_account(db)
    no_address = draft()
    no_address = replace(no_address, buyer=replace(no_address.buyer, electronic_address=None))
    with pytest.raises(InvalidInput) as caught:
        issue_all(db, account, [IssueRequest(no_address, label="order.json")], clock)
    rules = {v.rule_id for v in caught.value.violations}
    assert {"BR-FR-12_BT-49", "BR-FR-21_BT-49"} <= rules  # B2B buyer without an electronic address
    paths = [v.path for v in caught.value.violations]
    assert all(p.startswith("order.json: ") for p in paths)
    # named by the field, once for CII and UBL (einvoice.explain), not by the XPath
    assert set(paths) == {"order.json: buyer.electronic_address"}
    assert all("BR-FR-Flux2" in v.message for v in caught.value.violations)
    assert _events(db) == []  # nothing numbered, nothing chained
    assert issue_all(db, account, [IssueRequest(draft())], clock)[0].document.number == "F2026-000001"


def test_consumer_invoices_skip_the_flux2_rules(db: Database, clock) -> None:
    """B2C invoices are e-reported, not exchanged in Flux 2: BR-FR-12 (buyer e-address) does not apply."""
    account = new_account(db)
    issued = issue_all(db, account, [IssueRequest(draft(customer=CONSUMER))], clock)[0]
    assert issued.document.number == "F2026-000001" and "factur-x.xml" in _names(issued)


@pytest.mark.parametrize(
    ("choice", "level"), [("", "EN 16931"), ("basicwl", "BASIC WL"), ("basic", "BASIC"), ("extended", "EXTENDED")]
)
def test_the_seller_chooses_its_factur_x_profile(db: Database, clock, choice: str, level: str) -> None:
    """The seller file's `facturx_profile` decides the CII (BT-24) and the PDF/A-3's XMP, and
    the e-invoice is validated in that profile; "" keeps the deployment's (EN 16931 here)."""
    account = new_account(db, profile=replace(seller_profile(), facturx_profile=choice))
    issued = issue_all(db, account, [IssueRequest(draft())], clock)[0]
    with db.reading(account) as tx:
        files = {a.name: tx.documents.stored_bytes(issued.stored, a) for a in issued.stored.artefacts}
    guideline = f"urn:factur-x.eu:1p0:{choice}" if choice else "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>"
    assert guideline.encode() in files["factur-x.xml"]
    with pikepdf.open(io.BytesIO(files["document.pdf"])) as pdf:
        assert f"<fx:ConformanceLevel>{level}</fx:ConformanceLevel>".encode() in pdf.Root.Metadata.read_bytes()
    report = validate_file(files["document.pdf"])
    assert report.ok, report.fatal
    assert verify_all(db).problems == []


def test_check_is_injectable(db: Database, clock) -> None:
    account = new_account(db)
    no_address = draft()
    no_address = replace(no_address, buyer=replace(no_address.buyer, electronic_address=None))
    bare = issue_all(db, account, [IssueRequest(no_address)], clock, steps=BARE)[0]
    assert _names(bare) == ["document.json"]
    seen = []
    steps = IssueSteps(check=lambda d, _facturx: seen.append(d.number) or ())
    issue_all(db, account, [IssueRequest(draft())], clock, steps=steps)
    assert seen == ["F2026-000000"]  # validated with the placeholder of the series' shape
    assert verify_all(db).problems == []


# --- paid copies ---------------------------------------------------------------------------------


def test_seller_branding_reaches_the_pdf(tmp_path: Path) -> None:
    """The seller file's branding (logo, accent, texts) is archived and used for every PDF."""
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--demo"], env=env).exit_code == 0
    order = tmp_path / "o.json"
    order.write_text(json.dumps(order_data(id="BR-1")), encoding="utf-8")
    assert runner.invoke(app, ["issue", str(order)], env=env).exit_code == 0
    exported = runner.invoke(app, ["export", "F2026-000001", "--out", str(tmp_path / "out"), "--pdf"], env=env)
    assert exported.exit_code == 0
    reader = PdfReader(next((tmp_path / "out").glob("*.pdf")))
    text = " ".join(page.extract_text() for page in reader.pages)
    branding = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))["branding"]
    for field in ("thank_you", "header_text"):
        assert branding[field].split(" —")[0] in text
    logo = (EXAMPLES / "logo.svg").read_bytes()
    archived = [p.read_bytes() for p in (tmp_path / "data" / "archive").rglob("*") if p.is_file()]
    assert logo in archived


def test_bad_logo_is_refused_at_init(tmp_path: Path) -> None:
    seller = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    seller["branding"]["logo"] = "logo.gif"
    (tmp_path / "logo.gif").write_bytes(b"GIF89a not supported")
    (tmp_path / "seller.json").write_text(json.dumps(seller), encoding="utf-8")
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    result = CliRunner().invoke(app, ["init", "--from", str(tmp_path / "seller.json")], env=env)
    assert result.exit_code == 2
    assert "SELLER-LOGO" in result.stderr and "branding.logo" in result.stderr


def test_paid_at_checkout_prints_nothing_to_pay(db: Database, clock) -> None:
    account = new_account(db)
    paid = draft(payment={"status": "paid", "method": "card", "paid_on": "2026-11-20", "reference": "ch_1"})
    issued = issue_all(db, account, [IssueRequest(paid)], clock)[0]
    assert issued.document.totals.payable == 0
    with db.reading(account) as tx:
        pdf = tx.documents.stored_bytes(
            issued.stored, next(a for a in issued.stored.artefacts if a.name == "document.pdf")
        )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Rien à régler" in text and "au plus tard" not in text
    assert "Payé le 20 novembre 2026 par carte bancaire (réf. ch_1)" in text  # rendering.wording
