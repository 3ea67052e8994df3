"""Every script of a customer's name and address prints: Chinese, Japanese, Korean, Arabic and
Hebrew (right to left) and emoji, with the shipped Noto fonts, in a Factur-X PDF/A-3b whose
fonts are all embedded; a character no shipped font has is refused before numbering, with the
field named (RENDER-GLYPH)."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO

import pytest
from lxml import etree
from pypdf import PdfReader
from tests.rendering.pdf_structure import base_fonts, open_pdf, unembedded_fonts
from tests.rendering.samples import CONSUMER, SAMPLES, _line, build, cii_xml, fr_b2c

from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document, PriceMode
from facturier.domain.parties import Address, BuyerKind, Party
from facturier.rendering import FacturXPackaging, render_pdf
from facturier.rendering.coverage import (
    FONTS_DIR,
    RULE_ID,
    _faces,
    covered_code_points,
    font_code_points,
    uncovered_text,
)
from facturier.rendering.pdf import FONTS_DIR as RENDERER_FONTS_DIR
from facturier.rendering.theme import SCRIPT_FALLBACKS, FontFamily, Theme
from facturier.services.artefacts import EInvoiceCheck

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
EMOJI_LINE = "Lampe 💡 déco ✨ 👍🏽 🇫🇷 ❤️"

# (name, address line 1, city, postcode, country, font Typst embeds for it, right to left)
BUYERS = {
    "chinese": ("王小明", "朝阳区建国路88号", "北京市", "100022", "CN", "NotoSansCJKsc-Regular", False),
    "japanese": ("山田太郎", "千代田区丸の内一丁目", "東京都", "100-0005", "JP", "NotoSansCJKsc-Regular", False),
    "korean": ("김민준", "강남구 테헤란로 152", "서울특별시", "06236", "KR", "NotoSansCJKsc-Regular", False),
    "arabic": ("محمد بن علي", "شارع الملك فهد", "الرياض", "12271", "SA", "NotoSansArabic-Bold", True),
    "hebrew": ("דוד כהן", "רחוב הרצל", "תל אביב", "6688101", "IL", "NotoSansHebrew-Bold", True),
}


def consumer_invoice(name: str, line1: str, city: str, postcode: str, country: str) -> Document:
    buyer = Party(name=name, address=Address(line1, city, postcode, country), kind=BuyerKind.CONSUMER)
    lines = [_line(1, EMOJI_LINE, "1", "239.00"), _line(2, "Ampoule LED E27", "4", "9.90")]
    return build(lines, buyer=buyer, mode=PriceMode.GROSS, number="F2026-000043", notes=(f"Merci {name} 🙏",))


@pytest.fixture(scope="module", params=sorted(BUYERS))
def rendered(request: pytest.FixtureRequest) -> tuple[str, Document, bytes]:
    name, line1, city, postcode, country, *_ = BUYERS[request.param]
    doc = consumer_invoice(name, line1, city, postcode, country)
    return request.param, doc, render_pdf(doc, language="fr", facturx=FacturXPackaging(cii_xml(doc)))


def runs(pdf: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run of the first page, in the page's coordinates."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()))

    PdfReader(BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def unspaced(text: str) -> str:
    return "".join(text.split())


def test_the_script_is_printed_and_read_back(rendered: tuple[str, Document, bytes]) -> None:
    script, _, pdf = rendered
    text = unspaced(PdfReader(BytesIO(pdf)).pages[0].extract_text())
    name, line1, city, *_, rtl = BUYERS[script]
    if rtl:  # extractors give right-to-left words in visual order: each word must be there
        for word in f"{name} {line1} {city}".split():
            assert word in text
    else:  # Typst puts a quarter em between CJK and Latin (cjk-latin-spacing): spaces ignored
        for value in (name, line1, city):
            assert unspaced(value) in text
    for emoji in ("💡", "✨", "👍", "🇫🇷", "❤"):
        assert emoji in text


@pytest.mark.parametrize("script", ["arabic", "hebrew"])
def test_right_to_left_words_are_laid_out_right_to_left(script: str) -> None:
    name, line1, city, postcode, country, *_ = BUYERS[script]
    pdf = render_pdf(consumer_invoice(name, line1, city, postcode, country), language="fr")
    first, *_, last = name.split()
    positions = {text: (x, y) for x, y, text in runs(pdf)}
    assert positions[first][1] == positions[last][1], "one line"
    assert positions[first][0] > positions[last][0], "the first word is on the right"


def test_the_fonts_used_are_embedded_and_the_file_is_pdf_a_3b(rendered: tuple[str, Document, bytes]) -> None:
    script, _, pdf = rendered
    with open_pdf(pdf) as document:
        assert unembedded_fonts(document) == []
        fonts = base_fonts(document)
        assert {BUYERS[script][5], "NotoEmoji-Regular", "Inter-Regular"} <= fonts
        xmp = etree.fromstring(document.Root.Metadata.read_bytes())
        assert xmp.findtext(f".//{PDFAID}part") == "3" and xmp.findtext(f".//{PDFAID}conformance") == "B"
        assert document.Root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
        assert list(document.attachments) == ["factur-x.xml"]
        assert "/AF" in document.Root


def test_only_used_glyphs_are_embedded(rendered: tuple[str, Document, bytes]) -> None:
    _, _, pdf = rendered
    cjk = (FONTS_DIR / "NotoSansCJK-Regular.ttc").stat().st_size
    assert len(pdf) < 200_000 < cjk // 50  # subsets: the CJK collection alone is ~19 MB


def test_a_latin_document_embeds_no_fallback_font() -> None:
    with open_pdf(render_pdf(fr_b2c(), language="fr")) as document:
        assert not any(name.startswith("Noto") for name in base_fonts(document))


def test_the_serif_theme_falls_back_too() -> None:
    doc = consumer_invoice(*BUYERS["japanese"][:5])
    pdf = render_pdf(doc, language="fr", theme=Theme(font=FontFamily.LIBERATION_SERIF))
    with open_pdf(pdf) as document:
        assert {"NotoSansCJKsc-Regular", "LiberationSerif"} <= base_fonts(document)


# ---- the coverage check --------------------------------------------------------------------


def test_printed_documents_have_no_uncovered_text() -> None:
    for make in SAMPLES.values():
        assert uncovered_text(make()) == ()
    for name, line1, city, postcode, country, *_ in BUYERS.values():
        assert uncovered_text(consumer_invoice(name, line1, city, postcode, country)) == ()


def test_a_character_no_font_has_is_refused_with_its_field() -> None:
    doc = fr_b2c()
    doc = replace(
        doc,
        buyer=replace(
            CONSUMER, name="Camille \U0010fffd", address=replace(CONSUMER.address, line1="8 \U00010300venue")
        ),
        lines=(doc.lines[0], replace(doc.lines[1], name="Ampoule \u0378")),
        notes=("\U0010fffd",),
    )
    violations = uncovered_text(doc)
    assert [(v.rule_id, v.path) for v in violations] == [
        (RULE_ID, "buyer.name"),
        (RULE_ID, "buyer.address.line1"),
        (RULE_ID, "lines[1].name"),
        (RULE_ID, "notes[0]"),
    ]
    assert violations[0].message.startswith("U+10FFFD (private use): no shipped font has a glyph")
    assert "U+10300 OLD ITALIC LETTER A" in violations[1].message
    assert "U+0378 (unassigned)" in violations[2].message
    assert str(violations[0]).startswith("[RENDER-GLYPH] buyer.name: U+10FFFD")


def test_invisible_characters_need_no_glyph() -> None:
    # ZWJ family, variation selector 16, England's tag sequence, bidi marks, soft hyphen
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    text = f"👨\u200d👩\u200d👧 ❤\ufe0f {england} \u200fא\u200e fac\u00adture"
    doc = replace(fr_b2c(), notes=(text,))
    assert uncovered_text(doc) == ()


def test_the_coverage_is_what_the_fonts_map() -> None:
    covered = covered_code_points()
    assert set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) <= covered
    assert 0x10FFFD not in covered and 0x10300 not in covered
    for path in sorted(RENDERER_FONTS_DIR.iterdir()):
        assert font_code_points(path) <= covered
    # the direct cmap reading agrees with fontTools' decoder, face by face
    for path in sorted(FONTS_DIR.glob("*.tt[fc]")) + sorted(FONTS_DIR.glob("*.otf")):
        cmaps = [face.getBestCmap() or {} for face in _faces(path)]
        expected = {cp for cmap in cmaps for cp, glyph in cmap.items() if glyph != ".notdef"}
        assert font_code_points(path) == expected, path.name


def test_every_fallback_family_is_shipped_with_its_licence() -> None:
    families: set[str] = set()
    for path in FONTS_DIR.iterdir():
        if path.suffix in (".otf", ".ttf", ".ttc"):
            # NotoSansCJK-Regular.ttc: OFL-NotoSansCJK.txt; NotoEmoji[wght].ttf: OFL-NotoEmoji.txt
            licence = FONTS_DIR / f"OFL-{re.split(r'[-[]', path.name)[0]}.txt"
            assert "SIL Open Font License" in licence.read_text(encoding="utf-8"), path.name
            families |= {face["name"].getDebugName(1) for face in _faces(path)}
    assert set(SCRIPT_FALLBACKS) <= families


def test_the_issuing_check_refuses_uncovered_text_for_every_kind() -> None:
    check = EInvoiceCheck()
    doc = replace(fr_b2c(), buyer=replace(CONSUMER, name="\U0010fffd"))
    refused = check(doc)
    assert [(v.rule_id, v.path) for v in refused if v.rule_id == RULE_ID] == [(RULE_ID, "buyer.name")]
    quote = build([_line(1, "Devis \U00010300", "1", "10")], buyer=CONSUMER, document_type=DocumentType.QUOTE)
    assert [(v.rule_id, v.path) for v in check(quote)] == [(RULE_ID, "lines[0].name")]
    assert EInvoiceCheck(glyphs=False)(quote) == ()
    assert check(consumer_invoice(*BUYERS["arabic"][:5])) == ()
