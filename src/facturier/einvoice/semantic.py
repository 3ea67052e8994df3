"""Domain -> EN 16931 decisions shared by the CII and UBL writers and readers.

What a `Document` becomes before it is XML: the notes with their subject codes (BG-1),
the business process BT-23, the default nature of lines, and the checks that a document
can be an e-invoice at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from facturier.domain.codes import SupplyNature
from facturier.domain.documents import Document
from facturier.einvoice import french
from facturier.einvoice.errors import NotEInvoiceable

MENTION_SUBJECT = "REG"  # UNTDID 4451 "regulatory information": legal mentions
NATURE_ATTRIBUTE = "Nature"  # BG-32 item attribute carrying a line's nature when needed


@dataclass(frozen=True, slots=True)
class Note:
    """BG-1: BT-21 subject code (may be empty) and BT-22 text."""

    subject: str
    text: str


def require_einvoiceable(doc: Document) -> None:
    if not doc.document_type.is_fiscal:
        raise NotEInvoiceable(f"a {doc.document_type.value} is not an invoice and has no e-invoice form")


def document_notes(doc: Document) -> tuple[Note, ...]:
    """Free notes, legal mentions (REG), then the payment notes PMD, PMT, AAB and, for a
    French seller, the processing type BAR (BR-FR-05, BR-FR-20)."""
    notes = [Note("", text) for text in doc.notes]
    notes += [Note(MENTION_SUBJECT, text) for text in doc.mentions]
    notes += _payment_notes(doc)
    if french.applies(doc):
        notes.append(Note("BAR", french.bar_treatment(doc)))
    return tuple(notes)


def _payment_notes(doc: Document) -> list[Note]:
    terms = doc.payment_terms
    notes = []
    if terms.late_penalty_rate is not None:
        notes.append(Note("PMD", french.penalty_text(terms.late_penalty_rate)))
    if terms.recovery_indemnity is not None:
        notes.append(Note("PMT", french.indemnity_text(terms.recovery_indemnity)))
    if terms.early_payment_discount:
        notes.append(Note("AAB", terms.early_payment_discount))
    elif french.applies(doc):
        notes.append(Note("AAB", french.NO_DISCOUNT_TEXT))  # L441-9: state the absence too
    return notes


@dataclass(frozen=True, slots=True)
class ReadNotes:
    """What the notes of an inbound invoice say, once the coded ones are taken apart."""

    notes: tuple[str, ...]
    mentions: tuple[str, ...]
    late_penalty_rate: Decimal | None
    recovery_indemnity: Decimal | None
    early_payment_discount: str
    treatment: str


def read_notes(notes: Iterable[Note]) -> ReadNotes:
    free: list[str] = []
    mentions: list[str] = []
    coded: dict[str, str] = {}
    for note in notes:
        if note.subject == MENTION_SUBJECT:
            mentions.append(note.text)
        elif note.subject in ("PMD", "PMT", "AAB", "BAR"):
            coded.setdefault(note.subject, note.text)
        else:
            free.append(note.text)
    discount = coded.get("AAB", "")
    return ReadNotes(
        notes=tuple(free),
        mentions=tuple(mentions),
        late_penalty_rate=french.parse_penalty(coded["PMD"]) if "PMD" in coded else None,
        recovery_indemnity=french.parse_indemnity(coded["PMT"]) if "PMT" in coded else None,
        early_payment_discount="" if discount == french.NO_DISCOUNT_TEXT else discount,
        treatment=coded.get("BAR", ""),
    )


def business_process(doc: Document) -> str:
    """BT-23: the French billing framework for a French seller, else empty."""
    return french.billing_framework(doc) if french.applies(doc) else ""


def default_line_nature(business_process_id: str) -> SupplyNature:
    """The nature a reader assumes for lines without a "Nature" attribute."""
    nature = french.nature_from_framework(business_process_id)
    return SupplyNature.SERVICES if nature is SupplyNature.SERVICES else SupplyNature.GOODS


def implied_line_nature(doc: Document) -> SupplyNature:
    """The nature BT-23 implies for every line of `doc` (computed once per document: it
    looks at all the lines)."""
    return default_line_nature(business_process(doc))


def line_nature_attribute(implied: SupplyNature, nature: SupplyNature) -> str:
    """The BG-32 "Nature" value to write for a line, or "" when BT-23 already implies it."""
    return "" if nature is implied else nature.value
