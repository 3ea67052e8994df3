"""The one issuing path: the CLI, the API, the workers, the tests and bench/ all call `issue`.

    issuer = Issuer(db, clock, steps, vies)          # bootstrap.build() makes it from the settings
    results = issue(issuer, account_id, [order_submission(order)])

A `Submission` says how to build a draft (an order, a credit note, a quote conversion) and
under which idempotency key. `issue` owns its transactions:

1. Prepare, outside any lock and outside any write transaction:
   - short read-only transactions: the seller profile; an earlier document under the same
     key (same content: returned as it is; other content: refused with `Conflict`, naming
     what differs); the draft, its VAT decided against the threshold history as stored now;
     a placeholder number; the number the document would get if nobody else issues first;
   - no transaction at all: the VIES check (network), every rule (domain, EN 16931, French,
     XSD, official schematrons, exact checks, font coverage), and the files (PDF/A-3, CII,
     UBL) rendered with the forecast number.
2. Under the chain lock (one write transaction): the key is looked up again (a concurrent
   delivery of the same order gets the document the first one issued), the draft is built
   again from what is stored now (drafting reads only: a few milliseconds), and
   - if it equals the validated draft and the allocated number is the forecast one, the
     files rendered before the lock are stored as they are;
   - if the forecast was wrong (another process issued first), the transaction is rolled
     back and the files are rendered again outside the lock with a new forecast; after
     `TRIES` rounds (heavy contention on one series) they are rendered under the lock;
   - if the draft changed (a concurrent sale crossed the EUR 10,000 threshold, a concurrent
     credit note), it is validated again under the lock: never numbered unchecked.
   Then the number, the VAT facts, the archived files, the `document.issued` event (which
   hashes the files, the request, the source id and the VAT facts) and the document row are
   committed together. A failure anywhere rolls everything back: no number is consumed.

A batch (`batch=True`) is all-or-nothing in one transaction; a document that needs one
issued earlier in the same batch (a credit note of its invoice) is prepared under the lock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from facturier.domain import lifecycle
from facturier.domain.documents import Document, PriceMode
from facturier.domain.errors import Conflict, FacturierError, StateError, Violation, invalid
from facturier.domain.seller import SellerProfile
from facturier.services import tax_history
from facturier.services.artefacts import ArtefactFile
from facturier.services.drafting import build_draft, source_id, vies_check
from facturier.services.issue import (
    DEFAULT_STEPS,
    REQUEST_JSON,
    Clock,
    Draft,
    Issued,
    IssueSteps,
    Record,
    Submission,
    check_draft,
    render_files,
    store,
    with_label,
)
from facturier.services.order_schema import OrderIn
from facturier.services.orders import check_header, decide_lines
from facturier.services.tax_decisions import TaxContext
from facturier.storage.database import Database, Transaction
from facturier.storage.documents import StoredDocument
from facturier.storage.tax_facts import digest as facts_digest
from facturier.tax import DistanceSalesHistory, OrderTaxDecision, VatCheckResult
from facturier.tax.vies import VatIdChecker

TRIES = 3  # rounds of rendering outside the lock before rendering under it


@dataclass(frozen=True, slots=True)
class Issuer:
    """The ports issuing needs, built once by bootstrap."""

    db: Database
    clock: Clock
    steps: IssueSteps = DEFAULT_STEPS
    vies: VatIdChecker | None = None  # the deployment's VIES client (None: no online check)

    def today(self, profile: SellerProfile) -> date:
        """Today in the seller's time zone: invoices carry the seller's calendar dates."""
        return self.clock().astimezone(ZoneInfo(profile.timezone)).date()


def order_submission(order: OrderIn, label: str = "") -> Submission:
    """An order from a file, the API or a shop, as a submission (idempotent by its id)."""
    if not order.id.strip():
        raise invalid("ORDER-ID", "id", "an order needs a non-empty id: it makes issuing idempotent")
    return Submission(
        build=lambda tx, profile, day, context: build_draft(tx, profile, order, day, context),
        source_id=source_id(order),
        request=order_bytes(order),
        issue_date=order.issue_date,
        label=label,
        prefetch=lambda profile, checker: vies_check(profile, order, checker),
    )


def order_bytes(order: OrderIn) -> bytes:
    """An order's canonical JSON: keys sorted, defaults included, exact decimals as strings."""
    plain = order.model_dump(mode="json")
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def issue(issuer: Issuer, account_id: str, submissions: Sequence[Submission], batch: bool = True) -> list[Issued]:
    """Issue `submissions`: all or nothing in one transaction (`batch`), or each in its own."""
    if not batch:
        return [result for s in submissions for result in issue(issuer, account_id, [s])]
    for _ in range(TRIES):
        with issuer.db.reading(account_id) as tx:
            profile = tx.profile()
        today = issuer.today(profile)
        prepared = [_prepare(issuer, account_id, profile, s, today, later=i > 0) for i, s in enumerate(submissions)]
        try:
            return _rounds(issuer, account_id, profile, prepared)
        except _ProfileChanged:
            continue  # the seller's profile was updated meanwhile: prepare again with the new one
    raise StateError("the seller profile kept changing while issuing: try again")  # pragma: no cover


def _rounds(issuer: Issuer, account_id: str, profile: SellerProfile, prepared: list[_Prepared]) -> list[Issued]:
    for attempt in range(TRIES):
        last = attempt == TRIES - 1
        _forecast(issuer, account_id, profile, prepared)
        try:
            return _commit(issuer, account_id, profile, prepared, strict=not last)
        except _Stale:
            continue
    raise AssertionError("unreachable: the last round renders under the lock")  # pragma: no cover


@dataclass(slots=True)
class _Prepared:
    submission: Submission
    issue_date: date
    vies: VatCheckResult | None = None
    replay: Issued | None = None  # already issued under this key, same content
    draft: Draft | None = None  # None: built under the lock (needs a document of the same batch)
    placeholder: str = ""
    forecast: str = ""
    files: tuple[ArtefactFile, ...] | None = None  # rendered with `forecast`


class _Stale(Exception):
    """A forecast number was taken by another issuer: render again outside the lock."""


class _ProfileChanged(Exception):
    """The seller profile changed between preparing and the lock (`facturier seller update`)."""


def _prepare(
    issuer: Issuer, account_id: str, profile: SellerProfile, s: Submission, today: date, later: bool
) -> _Prepared:
    day = with_label(s.label, lambda: checked_issue_date(s.issue_date, today, profile))
    p = _Prepared(s, day)
    if s.source_id:
        with issuer.db.reading(account_id) as tx:
            existing = tx.documents.find_by_source(s.source_id)
            if existing is not None:
                p.replay = with_label(s.label, lambda: replayed(tx, existing, s))
                return p
    p.vies = s.prefetch(profile, issuer.vies) if s.prefetch is not None else None  # network: no transaction open
    try:
        with issuer.db.reading(account_id) as tx:
            context = TaxContext(history=_history_reader(tx), vies=p.vies)
            p.draft = with_label(s.label, lambda: s.build(tx, profile, day, context))
            p.placeholder = tx.numbering.placeholder(p.draft.document.document_type, day)
    except FacturierError:
        if not later:
            raise
        p.draft = None  # may need a document issued earlier in this batch: built under the lock
        return p
    with_label(s.label, lambda: check_draft(_doc(p), p.placeholder, profile, issuer.steps))
    return p


def _doc(p: _Prepared) -> Document:
    assert p.draft is not None
    return p.draft.document


def checked_issue_date(requested: date | None, today: date, profile: SellerProfile) -> date:
    """The issue date (BT-2): the seller's today, or an earlier date within the seller's window.

    A date in the future is refused: numbers follow dates (CGI ann. II art. 242 nonies A I-2°),
    so one future-dated invoice would block its series for every later one (NUM-CHRONO).
    """
    if requested is None:
        return today
    if requested > today:
        raise invalid(
            "ISSUE-DATE-FUTURE",
            "issue_date",
            f"{requested} is after today ({today} in {profile.timezone}): an invoice cannot be dated in the future",
        )
    earliest = today - timedelta(days=profile.backdating_days)
    if requested < earliest:
        raise invalid(
            "ISSUE-DATE-WINDOW",
            "issue_date",
            f"{requested} is before {earliest}: the seller's backdating_days setting allows "
            f"{profile.backdating_days} days before today ({today})",
        )
    return requested


def explain_order(issuer: Issuer, account_id: str, order: OrderIn) -> OrderTaxDecision:
    """The VAT decision issuing would take for `order` now (`tax explain`); writes nothing."""
    with issuer.db.reading(account_id) as tx:
        profile = tx.profile()
    day = checked_issue_date(order.issue_date, issuer.today(profile), profile)
    check_header(order, day)
    vies = vies_check(profile, order, issuer.vies)  # network: no transaction open
    mode = PriceMode.GROSS if order.prices_include_vat else PriceMode.NET
    with issuer.db.reading(account_id) as tx:
        return decide_lines(order, profile, day, mode, TaxContext(history=_history_reader(tx), vies=vies))


def _history_reader(tx: Transaction) -> Callable[[date], DistanceSalesHistory]:
    """The threshold history on a date, read once per date within `tx`."""
    seen: dict[date, DistanceSalesHistory] = {}

    def read(on: date) -> DistanceSalesHistory:
        if on not in seen:
            seen[on] = tax_history.distance_history(tx, on)
        return seen[on]

    return read


def _forecast(issuer: Issuer, account_id: str, profile: SellerProfile, prepared: list[_Prepared]) -> None:
    """Forecast each new document's number (unlocked read) and render its files with it, outside the lock."""
    render = issuer.steps.render
    ahead: dict[tuple[str, date], int] = {}
    with issuer.db.reading(account_id) as tx:
        for p in prepared:
            if p.replay is not None or p.draft is None:
                continue
            document_type = _doc(p).document_type
            key = (document_type.value, p.issue_date)
            p.forecast = tx.numbering.predict(document_type, p.issue_date, ahead.get(key, 0))
            ahead[key] = ahead.get(key, 0) + 1
    for p in prepared:
        if p.forecast:
            numbered = lifecycle.issue(_doc(p), p.forecast, p.issue_date)
            p.files = render_files(numbered, profile, issuer.db.blobs, render) if render is not None else ()


def _commit(
    issuer: Issuer, account_id: str, profile: SellerProfile, prepared: list[_Prepared], strict: bool
) -> list[Issued]:
    with issuer.db.transaction(account_id) as tx:
        tx.ledger.lock()  # the chain lock first, then the series: one order, no deadlock
        if tx.profile() != profile:  # a document carries the profile version it was built with
            raise _ProfileChanged
        strict = strict and all(p.draft is not None or p.replay is not None for p in prepared)
        return [with_label(p.submission.label, lambda p=p: _finish(issuer, tx, profile, p, strict)) for p in prepared]


def _finish(issuer: Issuer, tx: Transaction, profile: SellerProfile, p: _Prepared, strict: bool) -> Issued:
    """Under the chain lock: number the document, store it with its files, facts and event."""
    s = p.submission
    if s.source_id:
        existing = tx.documents.find_by_source(s.source_id)
        if existing is not None:  # issued meanwhile, by a concurrent delivery of the same request
            return replayed(tx, existing, s)
        if p.replay is not None:  # pragma: no cover - issued documents are never deleted
            raise AssertionError(f"{s.source_id} was issued and is gone")
    context = TaxContext(history=_history_reader(tx), vies=p.vies)
    draft = s.build(tx, profile, p.issue_date, context)
    files = p.files
    if p.draft is None or draft.document != p.draft.document:
        placeholder = tx.numbering.placeholder(draft.document.document_type, p.issue_date)
        check_draft(draft.document, placeholder, profile, issuer.steps)  # changed since validated: again
        files = None
    number = tx.numbering.allocate(draft.document.document_type, p.issue_date)
    document = lifecycle.issue(draft.document, number, p.issue_date)
    if files is None or number != p.forecast:
        if strict and files is not None:
            raise _Stale(number)
        render = issuer.steps.render
        files = render_files(document, profile, tx.blobs, render) if render is not None else ()
    digest = ""
    if draft.treatments is not None and s.source_id:
        facts = tax_history.record(tx, s.source_id, document, draft.treatments, draft.deducted)
        digest = facts_digest(facts)
    stored = store(tx, document, files, Record(s.source_id, s.request, digest), issuer.clock)
    return Issued(stored, created=True, label=s.label)


def replayed(tx: Transaction, existing: StoredDocument, s: Submission) -> Issued:
    """The document issued earlier under the same key, if the request is the same; else `Conflict`."""
    earlier = _earlier_request(tx, existing)
    if earlier is not None and s.request and earlier != s.request:
        raise Conflict(
            [
                Violation(
                    "ORDER-CONFLICT",
                    "id",
                    f"{s.source_id} was already issued as {existing.document.number} with other content "
                    f"({'; '.join(differences(earlier, s.request))}): send the same content to get that "
                    "document again, or a new id for a new document",
                )
            ]
        )
    return Issued(existing, created=False, label=s.label)


def _earlier_request(tx: Transaction, existing: StoredDocument) -> bytes | None:
    ref = next((a for a in existing.artefacts if a.name == REQUEST_JSON), None)
    return tx.documents.stored_bytes(existing, ref) if ref is not None else None


def differences(before: bytes, after: bytes, limit: int = 5) -> list[str]:
    """The JSON paths where two requests differ (at most `limit`, then how many more)."""
    found: list[str] = []
    _diff(json.loads(before), json.loads(after), "", found)
    shown = [*found[:limit], *([f"and {len(found) - limit} more"] if len(found) > limit else [])]
    return shown or [f"sha256 {hashlib.sha256(before).hexdigest()[:12]} vs {hashlib.sha256(after).hexdigest()[:12]}"]


def _diff(a: Any, b: Any, path: str, found: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key, found)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", found)
    elif a != b:
        found.append(f"{path or '$'}: {_short(a)} -> {_short(b)}")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
