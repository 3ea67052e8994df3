"""Draft -> issued. A draft is editable and has no number; an issued document is immutable.

Cancelling or correcting an issued invoice happens only through a credit note (381) or a
corrective invoice (384) that refers to it (CGI art. 289 I); nothing here edits an issued
document.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from facturier.domain.documents import Document, Status
from facturier.domain.errors import StateError


def issue(draft: Document, number: str, issue_date: date) -> Document:
    """The issued copy of `draft`, with its number and issue date (BT-1, BT-2)."""
    if draft.is_issued:
        raise StateError(f"document {draft.number} is already issued and cannot be issued again")
    if not number:
        raise StateError("an issued document needs a number")
    return replace(draft, number=number, issue_date=issue_date, status=Status.ISSUED)


def edit(draft: Document, **changes: object) -> Document:
    """A changed draft. Issued documents refuse every change."""
    if draft.is_issued:
        raise StateError(f"document {draft.number} is issued: correct it with a credit note or a corrective invoice")
    if "number" in changes or "status" in changes:
        raise StateError("number and status are set only by issuing")
    return replace(draft, **changes)  # type: ignore[arg-type]
