"""The document validator: every violation at once, each with a rule id and a field path.

`validate(doc)` runs the EN 16931 rules that apply to the model and, for a seller
established in France, the French rules (mandatory mentions, payment terms). It never
raises on bad data; `require_valid` turns a non-empty result into `InvalidInput`.
"""

from __future__ import annotations

from decimal import Decimal

from facturier.domain import rules_en16931, rules_france
from facturier.domain.codes import DocumentType
from facturier.domain.documents import Document
from facturier.domain.errors import InvalidInput, Violation


def validate(doc: Document) -> tuple[Violation, ...]:
    violations = list(rules_en16931.check(doc))
    violations.extend(_quantities(doc))
    if rules_france.applies(doc):
        violations.extend(rules_france.check(doc))
    return tuple(dict.fromkeys(violations))  # keep order, drop exact repeats


def require_valid(doc: Document) -> Document:
    violations = validate(doc)
    if violations:
        raise InvalidInput(violations)
    return doc


def _quantities(doc: Document) -> list[Violation]:
    """Invoices bill positive quantities; returns go through a credit note (CGI art. 289 I)."""
    result = []
    for i, line in enumerate(doc.lines):
        if line.quantity <= 0:
            result.append(
                Violation(
                    "FR-QTY-POSITIVE",
                    f"lines[{i}].quantity",
                    f"quantity must be positive on a {_label(doc.document_type)} (got {line.quantity}); "
                    "refunds and returns go through a credit note",
                )
            )
    return result


def check_credit_within_remaining(
    credit_total: Decimal, remaining: Decimal, invoice_number: str
) -> tuple[Violation, ...]:
    """A credit note never credits more than what remains of its invoice (CGI art. 289 I)."""
    if credit_total <= remaining:
        return ()
    return (
        Violation(
            "FR-CREDIT-REMAINING",
            "totals.tax_inclusive",
            f"credit of {credit_total} exceeds the {remaining} that remains of invoice {invoice_number}",
        ),
    )


def _label(document_type: DocumentType) -> str:
    return {
        DocumentType.INVOICE: "invoice",
        DocumentType.CREDIT_NOTE: "credit note",
        DocumentType.CORRECTIVE: "corrective invoice",
        DocumentType.DOWN_PAYMENT: "down-payment invoice",
        DocumentType.QUOTE: "quote",
        DocumentType.PROFORMA: "pro forma",
    }[document_type]
