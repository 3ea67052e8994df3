"""Stateful test of the draft -> issued lifecycle: drafts change freely, issuing happens
once, and an issued document never changes again (CGI art. 289 I: corrections go through
credit notes)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from facturier.domain.canonical import canonical_bytes, from_canonical
from facturier.domain.documents import Document
from facturier.domain.errors import StateError
from facturier.domain.lifecycle import edit, issue
from facturier.domain.validation import validate

from .strategies import document_of, orders


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.doc: Document | None = None
        self.issued_bytes: bytes | None = None

    @precondition(lambda self: self.doc is None)
    @rule(order=orders())
    def draft(self, order: object) -> None:
        self.doc = document_of(order)  # type: ignore[arg-type]

    @precondition(lambda self: self.doc is not None)
    @rule(reference=st.text(max_size=10))
    def edit_reference(self, reference: str) -> None:
        assert self.doc is not None
        if self.doc.is_issued:
            with pytest.raises(StateError):
                edit(self.doc, order_reference=reference)
        else:
            self.doc = edit(self.doc, order_reference=reference)
            assert self.doc.order_reference == reference

    @precondition(lambda self: self.doc is not None)
    @rule(number=st.sampled_from(["", "F2026-000001", "F2026-000002"]), day=st.dates(date(2026, 1, 1)))
    def issue_it(self, number: str, day: date) -> None:
        assert self.doc is not None
        if self.doc.is_issued or not number:
            with pytest.raises(StateError):
                issue(self.doc, number, day)
            return
        self.doc = issue(self.doc, number, day)
        self.issued_bytes = canonical_bytes(self.doc)

    @precondition(lambda self: self.doc is not None)
    @rule()
    def try_to_renumber(self) -> None:
        assert self.doc is not None
        with pytest.raises(StateError):
            edit(self.doc, number="X-1")

    @invariant()
    def issued_documents_never_change(self) -> None:
        if self.doc is not None and self.doc.is_issued:
            assert self.doc.number
            assert canonical_bytes(self.doc) == self.issued_bytes
            assert from_canonical(Document, canonical_bytes(self.doc)) == self.doc

    @invariant()
    def numbers_come_only_from_issuing(self) -> None:
        if self.doc is not None and not self.doc.is_issued:
            assert self.doc.number == ""
            assert not [v for v in validate(self.doc) if v.rule_id == "BR-02"]


TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(max_examples=50, stateful_step_count=10, deadline=None)
