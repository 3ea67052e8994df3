"""Sample documents for the rendering tests: FR B2B, FR B2C, EU reverse charge, credit note,
long invoice. Every sample passes the domain validators (checked in test_samples)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from facturier.domain.codes import DocumentType, PaymentMeansCode, SupplyNature, VatCategory
from facturier.domain.documents import Document, DocumentReference, PaymentMeans, PaymentTerms, PriceMode
from facturier.domain.lifecycle import issue
from facturier.domain.parties import Address, BuyerKind, Contact, Party
from facturier.domain.pricing import LineInput, price_document

D = Decimal
SAMPLE_CII = Path(__file__).parent / "data" / "cii-en16931-sample.xml"
ISSUED = date(2026, 10, 5)


def fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


SELLER = Party(
    name="Atelier Lumière SAS",
    address=Address("12 rue des Lilas", "Lyon", "69003", "FR"),
    siren="732829320",
    siret="73282932000074",
    vat_id=fr_vat("732829320"),
    legal_form="SAS",
    share_capital=D("15000"),
    rcs="RCS Lyon 732 829 320",
    contact=Contact(email="factures@atelier-lumiere.example", phone="+33 4 72 00 00 00"),
)
BUSINESS_BUYER = Party(
    name="Boulangerie Martin SARL",
    address=Address("3 place du Marché", "Villeurbanne", "69100", "FR"),
    siren="552100554",
    vat_id=fr_vat("552100554"),
    legal_form="SARL",
    share_capital=D("8000"),
    rcs="RCS Lyon 552 100 554",
)
CONSUMER = Party(
    name="Camille Dubois",
    address=Address("8 avenue Foch", "Paris", "75016", "FR"),
    kind=BuyerKind.CONSUMER,
)
GERMAN_BUYER = Party(
    name="Müller Maschinenbau GmbH",
    address=Address("Hauptstraße 5", "München", "80331", "DE"),
    vat_id="DE136695976",
)
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP"
TRANSFER = PaymentMeans(PaymentMeansCode.SEPA_CREDIT_TRANSFER, iban=IBAN, bic=BIC, account_name="Atelier Lumière")
B2B_TERMS = PaymentTerms(
    due_date=date(2026, 11, 4), means=(TRANSFER,), late_penalty_rate=D("12.15"), recovery_indemnity=D(40)
)


def _line(n: int, name: str, qty: str, price: str, rate: str = "20", **kw: object) -> LineInput:
    kw.setdefault("vat_category", VatCategory.STANDARD)
    return LineInput(str(n), name, D(qty), kw.pop("unit_code", "C62"), D(price), vat_rate=D(rate), **kw)  # type: ignore[arg-type]


def build(
    lines: list[LineInput],
    buyer: Party = BUSINESS_BUYER,
    number: str = "F2026-000042",
    mode: PriceMode = PriceMode.NET,
    **fields: object,
) -> Document:
    priced = price_document(lines, (), mode, "EUR")
    fields.setdefault(
        "payment_terms", B2B_TERMS if buyer.is_business else PaymentTerms(due_date=ISSUED, means=(TRANSFER,))
    )
    draft = Document(
        document_type=fields.pop("document_type", DocumentType.INVOICE),  # type: ignore[arg-type]
        currency="EUR",
        seller=SELLER,
        buyer=buyer,
        lines=priced.lines,
        vat_breakdown=priced.vat_breakdown,
        totals=priced.totals,
        issue_date=ISSUED,
        price_mode=mode,
        allowances_charges=priced.allowances_charges,
        **fields,  # type: ignore[arg-type]
    )
    return issue(draft, number, ISSUED)


def fr_b2b() -> Document:
    lines = [
        _line(1, "Lampe de bureau laiton", "2", "149.90", description="Finition brossée"),
        _line(2, "Installation sur site", "3", "65", unit_code="HUR", nature=SupplyNature.SERVICES),
        _line(3, "Livre « L'art de la lumière »", "1", "28.44", rate="5.5"),
    ]
    return build(
        lines,
        delivery_date=date(2026, 10, 1),
        delivery_address=Address("45 chemin des Meuniers", "Bron", "69500", "FR"),
        delivery_name="Boulangerie Martin — atelier",
        order_reference="PO-7781",
        vat_on_debits=True,
    )


def fr_b2c() -> Document:
    lines = [_line(1, "Suspension en verre soufflé", "1", "239.00"), _line(2, "Ampoule LED E27", "4", "9.90")]
    return build(lines, buyer=CONSUMER, mode=PriceMode.GROSS, number="F2026-000043")


def reverse_charge() -> Document:
    reason = "Autoliquidation — article 196 de la directive 2006/112/CE"
    lines = [
        _line(
            1,
            "Conception d'éclairage scénique",
            "5",
            "480",
            rate="0",
            unit_code="DAY",
            vat_category=VatCategory.REVERSE_CHARGE,
            nature=SupplyNature.SERVICES,
            exemption_reason=reason,
            exemption_code="VATEX-EU-AE",
        )
    ]
    return build(lines, buyer=GERMAN_BUYER, number="F2026-000044")


def credit_note() -> Document:
    lines = [_line(1, "Lampe de bureau laiton (retour)", "1", "149.90")]
    return build(
        lines,
        number="A2026-000007",
        document_type=DocumentType.CREDIT_NOTE,
        preceding=(DocumentReference("F2026-000042", ISSUED),),
    )


def long_invoice(count: int = 150) -> Document:
    lines = [
        _line(i, f"Article de catalogue n° {i:03d}", str(1 + i % 7), f"{3 + i % 40}.{i % 100:02d}")
        for i in range(1, count + 1)
    ]
    return build(lines, number="F2026-000099")


SAMPLES: dict[str, Callable[[], Document]] = {
    "fr_b2b": fr_b2b,
    "fr_b2c": fr_b2c,
    "reverse_charge": reverse_charge,
    "credit_note": credit_note,
}


def squash(text: str) -> str:
    """Whitespace runs (newlines, no-break and narrow no-break spaces too) as one space."""
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


def _times(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def baselines(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Per page, (baseline height above the page's bottom edge in points, text) of every text run."""
    pages: list[list[tuple[float, str]]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            pages[-1].append((_times(tm, cm)[5], squash(text)))

    for page in PdfReader(BytesIO(pdf)).pages:
        pages.append([])
        page.extract_text(visitor_text=visit)
    return pages


def pdf_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def cii_xml(doc: Document) -> bytes:
    """The document's CII (EN 16931) from the e-invoice writer, or the stored sample if the
    writer is not available in this tree."""
    try:
        from facturier.einvoice.cii.writer import write_cii
    except ImportError:
        return SAMPLE_CII.read_bytes()
    return write_cii(doc)
