"""The in-place XMP rewrite of Typst's PDFs: a valid file whose every cross-reference entry
still points at its object, the same metadata as the pikepdf route, and a refusal (None)
for every structure it was not written for."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.rendering.samples import cii_xml, fr_b2b, long_invoice

from facturier.rendering import FacturXPackaging, Profile, render_pdf
from facturier.rendering.facturx import _add_facturx_xmp_with_pikepdf, add_facturx_xmp
from facturier.rendering.pdf_metadata import rewrite_metadata


@pytest.fixture(scope="module")
def typst_pdf() -> bytes:
    """A PDF/A-3b straight from Typst (no Factur-X XMP yet): render without packaging."""
    return render_pdf(long_invoice(60), language="fr")


def _strict(pdf: bytes) -> pikepdf.Pdf:
    """Open without xref reconstruction: a wrong offset is an error, not a silent repair."""
    document = pikepdf.open(io.BytesIO(pdf), attempt_recovery=False)
    assert document.check_pdf_syntax() == []
    return document


def _offsets_point_at_objects(pdf: bytes) -> None:
    xref_at = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf)[1])  # type: ignore[index]
    assert pdf.startswith(b"xref", xref_at)
    entries = re.findall(rb"(\d{10}) (\d{5}) n\r\n", pdf[xref_at:])
    assert entries
    for number, (offset, _generation) in enumerate(entries, start=1):
        assert pdf.startswith(b"%d 0 obj" % number, int(offset)), f"entry {number} is off"


def _metadata(pdf: bytes) -> bytes:
    with _strict(pdf) as document:
        return bytes(document.Root.Metadata.read_bytes())


@pytest.mark.parametrize("change", [b"", b"<x/>" * 2000], ids=["shrink", "grow"])
def test_rewritten_pdf_is_valid_and_offsets_follow(typst_pdf: bytes, change: bytes) -> None:
    replacement = b'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>' + change + b'<?xpacket end="r"?>'
    patched = rewrite_metadata(typst_pdf, lambda _old: replacement)
    assert patched is not None
    _offsets_point_at_objects(typst_pdf)
    _offsets_point_at_objects(patched)
    assert _metadata(patched) == replacement
    with _strict(patched) as document, _strict(typst_pdf) as original:
        assert len(document.pages) == len(original.pages) > 1
        assert document.trailer.ID == original.trailer.ID


def test_identity_rewrite_gives_the_same_bytes(typst_pdf: bytes) -> None:
    seen: list[bytes] = []

    def same(old: bytes) -> bytes:
        seen.append(old)
        return old

    assert rewrite_metadata(typst_pdf, same) == typst_pdf
    assert seen == [_metadata(typst_pdf)]


def test_fast_route_writes_what_the_pikepdf_route_writes() -> None:
    doc = fr_b2b()
    pdf = render_pdf(doc, language="fr", facturx=FacturXPackaging(cii_xml(doc)))  # already patched
    bare = render_pdf(doc, language="fr")
    assert rewrite_metadata(bare, lambda x: x) is not None, "Typst's output takes the fast route"
    assert _metadata(add_facturx_xmp(bare, Profile.EN16931)) == _metadata(
        _add_facturx_xmp_with_pikepdf(bare, Profile.EN16931)
    )
    _offsets_point_at_objects(pdf)  # the Factur-X output is one valid revision
    assert b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in _metadata(pdf)


def _resaved(pdf: bytes, **options: object) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _incremental_update(pdf: bytes) -> bytes:
    """A second revision appended by hand (what a signing tool does)."""
    xref_at = int(re.search(rb"startxref\s+(\d+)", pdf[-40:])[1])  # type: ignore[index]
    size = int(re.search(rb"/Size (\d+)", pdf[xref_at:])[1])  # type: ignore[index]
    body = b"\n%d 0 obj\n(appended)\nendobj\n" % size
    new_xref = len(pdf) + len(body)
    table = b"xref\n%d 1\n%010d 00000 n\r\n" % (size, len(pdf) + 1)
    trailer = b"trailer\n<</Size %d/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size + 1, xref_at, new_xref)
    return pdf + body + table + trailer


def _free_entry(pdf: bytes) -> bytes:
    """Object 3 marked free in the table (as after a deletion in an editor)."""
    xref_at = int(re.search(rb"startxref\s+(\d+)", pdf[-40:])[1])  # type: ignore[index]
    entry_3 = xref_at + len(b"xref\n0 ") + pdf[xref_at + 7 :].index(b"\n") + 1 + 3 * 20
    assert pdf[entry_3 + 17 : entry_3 + 18] == b"n"
    return pdf[: entry_3 + 17] + b"f" + pdf[entry_3 + 18 :]


@pytest.mark.parametrize(
    "make",
    [
        lambda pdf: _resaved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate),  # xref stream
        lambda pdf: _resaved(pdf, linearize=True),  # linearized: two cross-reference sections
        _incremental_update,
        lambda pdf: pdf[: len(pdf) // 2],  # truncated
        lambda pdf: b"%PDF-1.7\nnot a pdf",
        lambda pdf: pdf.replace(b"/Type/Metadata", b"/Type/Metadata/Filter/FlateDecode"),
        lambda pdf: pdf.replace(b"\n5 0 obj", b"\n5 0 ob_", 1),
        _free_entry,
    ],
    ids=[
        "xref-stream",
        "linearized",
        "incremental-update",
        "truncated",
        "garbage",
        "filtered-metadata",
        "bad-entry",
        "free-entry",
    ],
)
def test_other_structures_are_refused_not_guessed(typst_pdf: bytes, make: object) -> None:
    other = make(typst_pdf)  # type: ignore[operator]
    assert rewrite_metadata(other, lambda x: b"<changed/>") is None


def test_refused_structures_still_get_the_factur_x_xmp_through_pikepdf(typst_pdf: bytes) -> None:
    xref_stream = _resaved(typst_pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    patched = add_facturx_xmp(xref_stream, Profile.BASIC)
    assert b"<fx:ConformanceLevel>BASIC</fx:ConformanceLevel>" in _metadata(patched)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1), replacement=st.binary(max_size=12), size=st.integers(1, 12))
def test_a_damaged_file_is_refused_or_spliced_correctly(
    typst_pdf: bytes, position: float, replacement: bytes, size: int
) -> None:
    """Bytes overwritten anywhere (the cross-reference table, the trailer, /Length, the
    objects): the splice either refuses (None) or gives a file whose every entry is right."""
    at = int(position * (len(typst_pdf) - size))
    damaged = typst_pdf[:at] + replacement + typst_pdf[at + size :]
    patched = rewrite_metadata(damaged, lambda _old: b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    if patched is None:
        return
    xref_at = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", patched)[1])  # type: ignore[index]
    assert patched.startswith(b"xref", xref_at)
    for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n\r\n", patched[xref_at:]), start=1):
        assert patched.startswith(b"%d 0 obj" % number, int(offset))
