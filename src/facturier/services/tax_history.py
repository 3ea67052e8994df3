"""VAT facts of issued documents: recorded at issue time, read for the threshold and the OSS return.

Each issued invoice-like document gets one `TaxFact` per VAT breakdown group (BG-23): the
state whose VAT applies, the OSS scheme, the amounts in EUR and the part counted for the EUR
10,000 distance-sales threshold (Directive 2006/112/EC art. 59c). Documents issued by a path
that does not record them (`facturier credit`, `facturier convert`) get theirs derived, when
read, from the document they come from (the credited invoice, the converted quote): a credit
note mirrors its invoice's treatment (Directive art. 90; CGI art. 272 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from facturier.domain.canonical import from_canonical
from facturier.domain.documents import Document
from facturier.domain.errors import NotFound
from facturier.storage.database import Transaction
from facturier.storage.tax_facts import CREDIT_NOTE, TaxFact, TaxFactsRepository, UntaxedDocument
from facturier.tax import DistanceSaleRecord, DistanceSalesHistory, OrderTaxDecision, history_from_records

CENT = Decimal("0.01")
_ZERO = Decimal("0")
GroupKey = tuple[str, Decimal]  # (UNTDID 5305 category code, rate)


@dataclass(frozen=True, slots=True)
class GroupTreatment:
    """Where a (category, rate) group is taxed, and which share of it is a distance sale."""

    country: str
    territory: str | None
    scheme: str
    distance_ratio: Decimal
    eur_rate: Decimal = Decimal(1)


Treatments = Mapping[GroupKey, GroupTreatment]


def repository(tx: Transaction) -> TaxFactsRepository:
    tx.documents.flush()  # facts name documents written in this transaction
    return TaxFactsRepository(tx.conn, tx.account_id)


def treatments_from_decision(
    decision: OrderTaxDecision, document: Document, counted: Sequence[bool], eur_rate: Decimal
) -> dict[GroupKey, GroupTreatment]:
    """Group treatments of a draft built from the order's lines (same order as the decision)."""
    acc: dict[GroupKey, tuple[GroupTreatment, Decimal, Decimal]] = {}
    for d, line, is_counted in zip(decision.lines, document.lines, counted, strict=True):
        key = (d.category.value, d.rate)
        first = GroupTreatment(d.country, d.territory, d.oss_scheme or "", _ZERO, eur_rate)
        treatment, net, distance = acc.get(key, (first, _ZERO, _ZERO))
        acc[key] = (treatment, net + line.net_amount, distance + (line.net_amount if is_counted else _ZERO))
    return {
        key: GroupTreatment(t.country, t.territory, t.scheme, (distance / net) if net else _ZERO, eur_rate)
        for key, (t, net, distance) in acc.items()
    }


def treatments_from_facts(facts: Sequence[TaxFact]) -> dict[GroupKey, GroupTreatment]:
    return {
        (f.category, f.rate): GroupTreatment(
            f.vat_country,
            f.vat_territory,
            f.scheme,
            (f.distance_eur / f.taxable_eur) if f.taxable_eur else _ZERO,
            f.eur_rate,
        )
        for f in facts
    }


def _eur(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def facts_for(
    source_id: str,
    document: Document,
    treatments: Treatments,
    fallback_country: str,
    deducted: Sequence[TaxFact] = (),
) -> list[TaxFact]:
    """One fact per VAT breakdown group; `deducted` (a final invoice's down payments) subtract."""
    already: dict[GroupKey, tuple[Decimal, Decimal]] = {}
    for f in deducted:
        taxable, vat = already.get((f.category, f.rate), (_ZERO, _ZERO))
        already[(f.category, f.rate)] = (taxable + f.taxable, vat + f.vat)
    facts = []
    for b in document.vat_breakdown:
        key = (b.category.value, b.rate)
        t = treatments.get(key) or GroupTreatment(fallback_country, None, "", _ZERO)
        minus_taxable, minus_vat = already.get(key, (_ZERO, _ZERO))
        taxable, vat = b.taxable_amount - minus_taxable, b.tax_amount - minus_vat
        taxable_eur = _eur(taxable, t.eur_rate)
        facts.append(
            TaxFact(
                source_id=source_id,
                number=document.number,
                document_type=document.document_type.value,
                issue_date=document.issue_date,
                currency=document.currency,
                category=b.category.value,
                rate=b.rate,
                vat_country=t.country,
                vat_territory=t.territory,
                scheme=t.scheme,
                taxable=taxable,
                vat=vat,
                eur_rate=t.eur_rate,
                taxable_eur=taxable_eur,
                vat_eur=_eur(vat, t.eur_rate),
                distance_eur=(taxable_eur * t.distance_ratio).quantize(CENT, rounding=ROUND_HALF_UP),
            )
        )
    return facts


def record(
    tx: Transaction, source_id: str, document: Document, treatments: Treatments, deducted: Sequence[TaxFact] = ()
) -> list[TaxFact]:
    """Write the facts of a document being issued, in its transaction; returns them (for the ledger digest)."""
    facts = facts_for(source_id, document, treatments, document.seller.address.country, deducted)
    repository(tx).add(facts)
    return facts


def facts_of_number(tx: Transaction, number: str) -> list[TaxFact]:
    """Stored facts of an issued document, or derived from its origin when it has none."""
    stored = tx.documents.get(number)
    repo = repository(tx)
    facts = repo.for_source(stored.source_id) if stored.source_id else []
    if facts:
        return facts
    derived = _derive(tx, repo, UntaxedDocument(stored.id, number, stored.source_id, b""), stored.document)
    return derived or []


def _origin_number(untaxed: UntaxedDocument, document: Document) -> str | None:
    if untaxed.source_id and untaxed.source_id.startswith("convert:"):
        return untaxed.source_id.removeprefix("convert:")
    if document.preceding and document.document_type.value in (CREDIT_NOTE, "384"):
        return document.preceding[0].number
    return None


def _derive(
    tx: Transaction, repo: TaxFactsRepository, untaxed: UntaxedDocument, document: Document
) -> list[TaxFact] | None:
    """Facts of a document issued without them, from the facts of the document it comes from."""
    origin = _origin_number(untaxed, document)
    if origin is None:
        return None
    try:
        origin_source = tx.documents.get(origin).source_id
    except NotFound:
        return None
    source = repo.for_source(origin_source) if origin_source else []
    if not source:
        return None
    facts = facts_for(
        f"document:{untaxed.id}", document, treatments_from_facts(source), document.seller.address.country
    )
    return [replace(f, number=untaxed.number) for f in facts]


@dataclass(frozen=True, slots=True)
class FactsInPeriod:
    facts: tuple[TaxFact, ...]
    unattributed: tuple[str, ...]  # numbers of documents whose VAT country is unknown (pre-engine)


def facts_between(tx: Transaction, start: date, end: date) -> FactsInPeriod:
    """Stored facts, plus those derived for documents issued without them."""
    repo = repository(tx)
    facts = list(repo.between(start, end))
    unknown: list[str] = []
    for untaxed in repo.untaxed(start, end):
        derived = _derive(tx, repo, untaxed, from_canonical(Document, untaxed.canonical))
        if derived is None:
            unknown.append(untaxed.number)
        else:
            facts.extend(derived)
    return FactsInPeriod(tuple(facts), tuple(unknown))


def distance_history(tx: Transaction, on_date: date) -> DistanceSalesHistory:
    """Cross-border B2C totals of the previous and current calendar year (art. 59c), from storage.

    Read inside the issuing transaction after the chain lock is taken: two issuers cannot both
    decide on a history that misses the other's sale.
    """
    start = date(on_date.year - 1, 1, 1)
    repo = repository(tx)
    rows = repo.distance_totals(start, on_date)
    for untaxed in repo.untaxed(start, on_date):
        derived = _derive(tx, repo, untaxed, from_canonical(Document, untaxed.canonical)) or []
        rows.extend((f.issue_date, f.distance_eur, f.document_type) for f in derived if f.distance_eur)
    records = [DistanceSaleRecord(on, -amount if kind == CREDIT_NOTE else amount, True) for on, amount, kind in rows]
    return history_from_records(records, on_date)
