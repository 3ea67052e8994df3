"""Gapless, chronological numbering per series, allocated inside the issuing transaction.

Never a database sequence (sequences leave gaps on rollback). The series row is locked
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite transactions already hold the writer lock
from BEGIN IMMEDIATE) and the counter row of the period is incremented in the same
transaction that stores the document: a rollback gives the number back, a commit makes
document and number durable together. The unique constraint (account_id, number) is a
second line of defence. Issue dates never go backwards within a series (CGI ann. II art.
242 nonies A, I-2°: chronological numbering).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from facturier.domain.codes import DocumentType
from facturier.domain.errors import NotFound, invalid
from facturier.domain.seller import SeriesConfig
from facturier.numbering.format import Pattern
from facturier.storage import tables


@dataclass(slots=True)
class _SeriesState:
    pattern: Pattern
    last_issue_date: date | None
    counters: dict[str, int]
    dirty: set[str]


class Numbering:
    """Allocates numbers; locks each series once per transaction and writes back at flush."""

    def __init__(self, conn: Connection, account_id: str) -> None:
        self.conn = conn
        self.account_id = account_id
        self._locked: dict[str, _SeriesState] = {}
        self._patterns: dict[str, Pattern] = {}

    def create_series(self, configs: Iterable[SeriesConfig], replace: bool = False) -> None:
        s = tables.series
        for config in configs:
            Pattern.parse(config.pattern, config.yearly_reset, path=f"series.{config.document_type.name.lower()}")
            key = series_key(config.document_type)
            values = {"pattern": config.pattern, "yearly_reset": config.yearly_reset}
            exists = self.conn.execute(select(s.c.key).where(s.c.account_id == self.account_id, s.c.key == key)).first()
            if exists is None:
                self.conn.execute(
                    s.insert().values(account_id=self.account_id, key=key, last_issue_date=None, **values)
                )
            elif replace:
                self.conn.execute(s.update().where(s.c.account_id == self.account_id, s.c.key == key).values(**values))

    def allocate(self, document_type: DocumentType, issue_date: date) -> str:
        """The next number of the document type's series, for a document dated `issue_date`."""
        key = series_key(document_type)
        state = self._lock(key)
        if state.last_issue_date is not None and issue_date < state.last_issue_date:
            raise invalid(
                "NUM-CHRONO",
                "issue_date",
                f"issue date {issue_date} is earlier than {state.last_issue_date}, the last one in series {key!r}: "
                "numbers must follow the order of dates",
            )
        period = state.pattern.period(issue_date)
        seq = self._counter(state, key, period) + 1
        state.counters[period] = seq
        state.dirty.add(period)
        state.last_issue_date = issue_date
        return state.pattern.format(seq, issue_date)

    def predict(self, document_type: DocumentType, issue_date: date, ahead: int = 0) -> str:
        """The number `allocate` would give after `ahead` other allocations in the series, read
        without a lock: a forecast for rendering before the lock (services.issuing), never a promise."""
        pattern = self._pattern(series_key(document_type))
        return pattern.format(self.last_seq(document_type, issue_date) + 1 + ahead, issue_date)

    def last_seq(self, document_type: DocumentType, on: date) -> int:
        """The last number given in the series' period of `on` (0 if none), read without a lock."""
        key = series_key(document_type)
        c = tables.counters
        period = self._pattern(key).period(on)
        row = self.conn.execute(
            select(c.c.last_seq).where(c.c.account_id == self.account_id, c.c.series_key == key, c.c.period == period)
        ).first()
        return int(row.last_seq) if row else 0

    def placeholder(self, document_type: DocumentType, issue_date: date) -> str:
        """A number of the right shape for validating before allocation (no lock taken)."""
        return self._pattern(series_key(document_type)).placeholder(issue_date)

    def _pattern(self, key: str) -> Pattern:
        if key not in self._patterns:
            row = self._series_row(key, lock=False)
            self._patterns[key] = Pattern.parse(row.pattern, row.yearly_reset)
        return self._patterns[key]

    def flush(self) -> None:
        """Write the counters and last dates back; called before the transaction commits."""
        c, s = tables.counters, tables.series
        for key, state in self._locked.items():
            for period in sorted(state.dirty):
                where = (c.c.account_id == self.account_id, c.c.series_key == key, c.c.period == period)
                updated = self.conn.execute(c.update().where(*where).values(last_seq=state.counters[period]))
                if updated.rowcount == 0:
                    self.conn.execute(
                        c.insert().values(
                            account_id=self.account_id, series_key=key, period=period, last_seq=state.counters[period]
                        )
                    )
            state.dirty.clear()
            self.conn.execute(
                s.update()
                .where(s.c.account_id == self.account_id, s.c.key == key)
                .values(last_issue_date=state.last_issue_date)
            )

    def _lock(self, key: str) -> _SeriesState:
        if key not in self._locked:
            row = self._series_row(key, lock=True)
            self._locked[key] = _SeriesState(
                Pattern.parse(row.pattern, row.yearly_reset), row.last_issue_date, {}, set()
            )
        return self._locked[key]

    def _series_row(self, key: str, lock: bool) -> Row[Any]:
        s = tables.series
        query = select(s).where(s.c.account_id == self.account_id, s.c.key == key)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            raise NotFound(f"no numbering series {key!r} for this seller")
        return row

    def _counter(self, state: _SeriesState, key: str, period: str) -> int:
        if period not in state.counters:
            c = tables.counters
            row = self.conn.execute(
                select(c.c.last_seq)
                .where(c.c.account_id == self.account_id, c.c.series_key == key, c.c.period == period)
                .with_for_update()
            ).first()
            state.counters[period] = int(row.last_seq) if row else 0
        return state.counters[period]


def series_key(document_type: DocumentType) -> str:
    return document_type.name.lower()
