"""The e-invoice layer: EN 16931 documents as UN/CEFACT CII (Factur-X) and UBL 2.1 (Peppol BIS 3.0).

Writers turn a domain `Document` into deterministic XML bytes, readers turn inbound XML or
PDF back into a `Document`, and `validation.validate_xml` runs the XSDs, the official
schematrons (in-process, saxonche) and our exact arithmetic checks. See docs/einvoice.md.
"""
