"""The inbox: receive a supplier's e-invoice (CII, UBL, Factur-X PDF), keep it, list it, give it back.

Why a received file is kept whatever its quality: it is the invoice the supplier issued, and
the buyer must keep it as received (CGI art. 289 and L102 B: the original, for six years),
including one that breaks EN 16931 rules - that is when it is most needed, to dispute it. So
a file that parses as an e-invoice is stored with `ok=False` and the report saying why. Only
what is not an e-invoice at all (not XML or PDF, malformed, a wrong root, refused by the
hostile-input limits of einvoice.safe_xml and einvoice.pdf) is refused with InvalidInput,
and then nothing is stored.

Identical bytes are one entry (unique SHA-256 per account): `receive` says whether the entry
is new. Validation (XSD and schematrons, slow) runs before the transaction, never inside it.
The document shown for an entry is read again from the archived bytes, which are the evidence;
the row keeps only what listing needs.
"""

from __future__ import annotations

import hashlib
import json
import ntpath
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from facturier.domain.documents import Document
from facturier.domain.errors import FacturierError, InvalidInput, NotFound, invalid
from facturier.domain.text import forbidden_character
from facturier.einvoice.pdf import is_pdf
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.validation import Severity, ValidationReport, Violation, validate_file
from facturier.services.figures import document_plain
from facturier.storage.database import Database
from facturier.storage.inbox import InboxEntry, InboxStore
from facturier.storage.service_tables import stamp

__all__ = ["InboxEntry", "check", "entry_file", "entry_plain", "get_entry", "list_inbox", "receive", "shown_entry"]

MAX_FILENAME = 255
MAX_PAGE = 500

# einvoice errors named as rule ids of the refusal (the message says what was wrong)
_REFUSALS = {"UnsafeInput": "EINVOICE-UNSAFE", "MalformedInput": "EINVOICE-MALFORMED"}


@dataclass(frozen=True, slots=True)
class Examined:
    """What validation and reading made of a file: the report, and the document if the model could read it."""

    report: ValidationReport
    document: Document | None


def examine(data: bytes) -> Examined:
    """Validate then read `data`; InvalidInput if it is no e-invoice at all (nothing to keep).

    A file the validator could go through but the model cannot represent (an impossible date,
    an unknown code) is still an e-invoice received: its report gets a fatal FACTURIER-READ.
    """
    try:
        report = validate_file(data)
    except InvalidInput:
        raise
    except FacturierError as exc:
        rule = _REFUSALS.get(type(exc).__name__, "EINVOICE-UNSUPPORTED")
        raise invalid(rule, "$", f"not a usable e-invoice: {exc}") from None
    try:
        document = read_einvoice(data)
    except FacturierError as exc:
        message = f"cannot be read into the invoice model: {exc}"
        unread = Violation("FACTURIER-READ", Severity.FATAL, "/", message, "facturier")
        return Examined(replace(report, violations=(*report.violations, unread)), None)
    return Examined(report, document)


def check(data: bytes) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Validate only (nothing stored): the document as JSON if readable, and the report."""
    examined = examine(data)
    plain = document_plain(examined.document) if examined.document is not None else None
    return plain, json.loads(examined.report.to_json())


def receive(db: Database, account_id: str, data: bytes, filename: str, now: datetime) -> tuple[InboxEntry, bool]:
    """Keep a received file: (the entry, True) if new, (the existing entry, False) for the same bytes."""
    name = clean_filename(filename)
    sha = _sha256(data)
    with db.reading(account_id) as tx:
        known = InboxStore(tx.conn, account_id).by_sha256(sha)
    if known is not None:  # already there: no need to validate it again
        return known, False
    entry = new_entry(examine(data), data, name or _default_name(sha, data), stamp(now))
    with db.transaction(account_id) as tx:
        store = InboxStore(tx.conn, account_id)
        tx.blobs.put(data, durable=False)  # synced by the transaction before it commits
        if store.add(entry):
            return entry, True
        raced = store.by_sha256(sha)  # another request stored the same bytes meanwhile
    if raced is None:
        raise NotFound(f"inbox entry of {sha} vanished")
    return raced, False


def new_entry(examined: Examined, data: bytes, filename: str, received_at: str) -> InboxEntry:
    """The row of a received file: what listing needs, read from the document when there is one."""
    report, document = examined.report, examined.document
    return InboxEntry(
        id=str(uuid.uuid4()),
        received_at=received_at,
        filename=filename,
        media_type="application/pdf" if is_pdf(data) else "application/xml",
        size=len(data),
        sha256=_sha256(data),
        syntax=syntax_name(report),
        ok=report.ok and document is not None,
        seller_name=document.seller.name if document else None,
        seller_vat_id=(document.seller.vat_id or None) if document else None,
        number=document.number if document else None,
        issue_date=document.issue_date if document else None,
        currency=document.currency if document else None,
        total=format(document.totals.tax_inclusive, "f") if document else None,
        report=report.to_json(),
    )


def syntax_name(report: ValidationReport) -> str:
    """cii, ubl, or facturx-pdf (a PDF carrying the XML, whichever its syntax)."""
    if report.container != "xml":
        return "facturx-pdf"
    return "cii" if report.syntax == "CII" else "ubl"


def clean_filename(filename: str) -> str:
    """The file's own name (no directories, from a Windows path too), refused if it hides characters.

    The name comes from the sender and is shown back in listings, headers and the CLI export:
    a bidi override or a control character there would make it lie about what it is.
    """
    name = ntpath.basename(filename.strip()).strip()
    if name in (".", ".."):
        name = ""
    problem = forbidden_character(name)
    if problem is not None:
        raise invalid("INBOX-FILENAME", "filename", problem)
    if len(name) > MAX_FILENAME:
        raise invalid("INBOX-FILENAME", "filename", f"longer than {MAX_FILENAME} characters")
    return name


def _default_name(sha: str, data: bytes) -> str:
    return f"{sha[:16]}.{'pdf' if is_pdf(data) else 'xml'}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading -----------------------------------------------------------------------------------


def list_inbox(
    db: Database, account_id: str, limit: int = 50, offset: int = 0, ok: bool | None = None
) -> list[InboxEntry]:
    """The received files, newest first; `ok` keeps only the valid (True) or the others (False)."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise invalid("INBOX-PAGE", "limit", f"limit must be 1 to {MAX_PAGE} and offset not negative")
    with db.reading(account_id) as tx:
        return InboxStore(tx.conn, account_id).entries(limit, offset, ok)


def get_entry(db: Database, account_id: str, entry_id: str) -> InboxEntry:
    """One entry of this account; NotFound for an id of another account, as for one that does not exist."""
    with db.reading(account_id) as tx:
        found = InboxStore(tx.conn, account_id).get(entry_id)
    if found is None:
        raise NotFound(f"no inbox entry {entry_id!r}")
    return found


def entry_file(db: Database, account_id: str, entry_id: str) -> tuple[bytes, str, str]:
    """The received bytes (checked against their SHA-256: IntegrityError if altered), media type, name."""
    entry = get_entry(db, account_id, entry_id)
    return db.blobs.get(entry.sha256), entry.media_type, entry.filename


def shown_entry(db: Database, account_id: str, entry_id: str) -> dict[str, Any]:
    """An entry, its document read again from the archived file (None if unreadable) and its report."""
    entry = get_entry(db, account_id, entry_id)
    data = db.blobs.get(entry.sha256)
    try:
        document: dict[str, Any] | None = document_plain(read_einvoice(data))
    except FacturierError:
        document = None
    return {**entry_plain(entry), "document": document, "report": json.loads(entry.report)}


def entry_plain(entry: InboxEntry) -> dict[str, Any]:
    """An entry as JSON-ready data (the report apart: `shown_entry` gives it)."""
    return {
        "id": entry.id,
        "received_at": entry.received_at,
        "filename": entry.filename,
        "media_type": entry.media_type,
        "size": entry.size,
        "sha256": entry.sha256,
        "syntax": entry.syntax,
        "ok": entry.ok,
        "seller_name": entry.seller_name,
        "seller_vat_id": entry.seller_vat_id,
        "number": entry.number,
        "issue_date": entry.issue_date.isoformat() if entry.issue_date else None,
        "currency": entry.currency,
        "total": entry.total,
    }
