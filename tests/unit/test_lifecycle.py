"""Draft -> issued: issuing sets number and status once; issued documents refuse edits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from facturier.domain.documents import Status
from facturier.domain.errors import StateError
from facturier.domain.lifecycle import edit, issue

from .builders import document


def test_issue_sets_number_date_and_status() -> None:
    draft = document()
    issued = issue(draft, "F2026-000001", date(2026, 10, 2))
    assert (issued.number, issued.issue_date, issued.status) == ("F2026-000001", date(2026, 10, 2), Status.ISSUED)
    assert issued.is_issued and not draft.is_issued
    assert issued.lines == draft.lines and issued.totals == draft.totals


def test_issue_needs_a_number() -> None:
    with pytest.raises(StateError):
        issue(document(), "", date(2026, 10, 2))


def test_issue_twice_refused() -> None:
    issued = issue(document(), "F1", date(2026, 10, 2))
    with pytest.raises(StateError, match="already issued"):
        issue(issued, "F2", date(2026, 10, 3))


def test_drafts_can_be_edited() -> None:
    assert edit(document(), order_reference="PO-7").order_reference == "PO-7"


@pytest.mark.parametrize(
    "changes",
    [{"order_reference": "PO-7"}, {"notes": ("x",)}, {"number": "F9"}, {"prepaid": Decimal(1)}, {}],
)
def test_issued_documents_refuse_every_edit(changes: dict[str, object]) -> None:
    issued = issue(document(), "F1", date(2026, 10, 2))
    with pytest.raises(StateError, match="credit note"):
        edit(issued, **changes)


@pytest.mark.parametrize("field", ["number", "status"])
def test_number_and_status_are_set_only_by_issuing(field: str) -> None:
    with pytest.raises(StateError, match="only by issuing"):
        edit(document(), **{field: "x"})


def test_documents_are_frozen() -> None:
    issued = issue(document(), "F1", date(2026, 10, 2))
    with pytest.raises(AttributeError):
        issued.number = "F2"  # type: ignore[misc]
