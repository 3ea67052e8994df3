"""The `document.overdue` event: once per invoice, the first days it is overdue.

A periodic job of the deployment (`documents.overdue`, daily) looks, in each account that
has an endpoint listening to `document.overdue`, for the invoices whose due date (BT-9) has
passed with something left to pay, and writes one event per invoice. The event's job carries
a dedup key (`document.overdue:<document id>`), so however often the scan runs and however
many workers run it, an invoice is announced once. An invoice is announced while its due
date is at most `WINDOW` days old: a deployment whose workers were stopped for a few days
catches up, and the dedup keys (kept with finished jobs for 7 days, services.janitor) are
still there for every invoice the window can reach.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from facturier.domain.jobs import Job
from facturier.domain.settlement import Settlement, Status
from facturier.services.documents import page_documents
from facturier.services.figures import amount
from facturier.services.issue import order_id_of
from facturier.services.issuing import Issuer
from facturier.services.jobs import JobContext
from facturier.storage.documents import DocumentFilter

OVERDUE_JOB = "documents.overdue"
EVENT = "document.overdue"
WINDOW = timedelta(days=6)  # < the janitor's 7 days of finished jobs: a dedup key outlives the window
CHUNK = 200


def announce_overdue(ctx: JobContext, job: Job) -> None:
    """Handler of `documents.overdue`: every account, every newly overdue invoice, one event."""
    issuer = Issuer(ctx.db, ctx.clock)
    for account_id in ctx.db.account_ids():
        with ctx.db.reading(account_id) as tx:
            listened = tx.outbox.listened(EVENT)
        if listened:
            _account(issuer, account_id)


def _account(issuer: Issuer, account_id: str) -> int:
    after, announced = 0, 0
    overdue = frozenset({Status.OVERDUE})
    while True:
        page = page_documents(issuer, account_id, DocumentFilter(), after, CHUNK, overdue)
        announced += _announce(issuer, account_id, page.rows, page.balances)
        if page.next_after is None:
            return announced
        after = page.next_after


def _announce(issuer: Issuer, account_id: str, rows: list[Any], balances: dict[str, Settlement]) -> int:
    now, written = issuer.clock(), 0
    with issuer.db.transaction(account_id) as tx:
        today = issuer.today(tx.profile())
        for row in rows:
            document = tx.documents.get(row.number).document
            due = document.payment_terms.due_date
            if due is None or today - due > WINDOW:
                continue
            balance = balances[row.number]
            data = {
                "id": str(row.id),
                "number": row.number,
                "due_date": due.isoformat(),
                "days_late": (today - due).days,
                "currency": row.currency,
                "remaining": amount(balance.remaining, row.currency),
                "buyer_name": row.buyer_name,
                "order_id": order_id_of(row.source_id),
            }
            if tx.outbox.event(EVENT, data, now, dedup_key=f"{EVENT}:{row.id}"):
                written += 1
    return written
