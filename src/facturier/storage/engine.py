"""Engines for SQLite (default, WAL file in the data directory) and PostgreSQL.

SQLite: every transaction starts with BEGIN IMMEDIATE, so the writer lock is taken at the
start and two issuers never interleave (the SQLite equivalent of SELECT ... FOR UPDATE);
WAL journal, synchronous=FULL (an issued invoice must survive a power cut), a busy
timeout so concurrent writers wait instead of failing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool


def make_engine(url: str, *, schema: str | None = None, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite(url, **kwargs)
    if schema:
        kwargs.setdefault("connect_args", {})["options"] = f"-csearch_path={schema}"
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite(url: str, **kwargs: Any) -> Engine:
    kwargs.setdefault("poolclass", NullPool)
    engine = create_engine(url, connect_args={"timeout": 60}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get("facturier_readonly", False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine
