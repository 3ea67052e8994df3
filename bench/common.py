"""Shared set-up for the benchmarks: databases, a seller, realistic drafts."""

from __future__ import annotations

import os
import platform
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from facturier.archive.store import FileBlobStore
from facturier.domain.documents import Document
from facturier.storage.database import Database
from facturier.storage.engine import make_engine

PG_URL = os.environ.get("FACTURIER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def machine() -> str:
    return f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"


def clock() -> datetime:
    return datetime.now(UTC)


def sqlite_db(directory: Path) -> tuple[Database, str, str | None]:
    url = f"sqlite:///{directory / 'bench.db'}"
    db = Database(make_engine(url), FileBlobStore(directory / "archive"))
    db.upgrade()
    return db, url, None


def pg_db(directory: Path) -> tuple[Database, str, str | None]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    db = Database(make_engine(PG_URL, schema=schema), FileBlobStore(directory / "archive"))
    db.upgrade()
    return db, PG_URL, schema


def drop_pg_schema(schema: str) -> None:
    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def sample_draft(issue_date: date = date(2026, 11, 20)) -> Document:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.factories import draft

    return draft(issue_date)
