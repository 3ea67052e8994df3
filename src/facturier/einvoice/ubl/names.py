"""UBL 2.1 namespaces."""

from __future__ import annotations

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
XPATH_NS = {"cac": CAC, "cbc": CBC, "inv": INVOICE, "cn": CREDIT_NOTE}


def nsmap(root_namespace: str) -> dict[str | None, str]:
    return {None: root_namespace, "cac": CAC, "cbc": CBC}
