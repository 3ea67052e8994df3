"""Shared fixtures. Storage tests run on SQLite and on PostgreSQL (`db` is parametrized).

PostgreSQL: FACTURIER_TEST_DATABASE_URL (set by .ci/run), else the local server at
127.0.0.1:5432. Each test gets its own schema, dropped afterwards. Without a server the
PostgreSQL variants skip, unless FACTURIER_REQUIRE_POSTGRES=1, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from tests.receivers import receiver  # noqa: F401 (a fixture for every test)

from facturier.archive.store import FileBlobStore
from facturier.storage.database import Database
from facturier.storage.engine import make_engine

# No time limit per generated example: speed is measured in bench/, not asserted by tests (a
# loaded machine made a property test fail its 200 ms default deadline, which says nothing of
# the property). The examples and their number stay as each test sets them.
settings.register_profile("facturier", deadline=None)
settings.load_profile("facturier")

PG_URL = os.environ.get("FACTURIER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("FACTURIER_REQUIRE_POSTGRES") == "1"


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # no server, no database, no role
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"
    return None


_PG_PROBLEM = _pg_available()


def require_postgres() -> None:
    if _PG_PROBLEM is None:
        return
    if REQUIRE_PG:
        pytest.fail(f"FACTURIER_REQUIRE_POSTGRES=1 but {_PG_PROBLEM}")
    pytest.skip(_PG_PROBLEM)


class PgSchema:
    """A throwaway schema on the test server; `url` and `schema` open engines on it."""

    def __init__(self) -> None:
        self.url = PG_URL
        self.schema = f"t_{uuid.uuid4().hex[:16]}"
        self._admin = create_engine(PG_URL)
        with self._admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {self.schema}"))

    def engine(self, **kwargs: object):  # type: ignore[no-untyped-def]
        return make_engine(self.url, schema=self.schema, **kwargs)

    def drop(self) -> None:
        with self._admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
        self._admin.dispose()


@pytest.fixture
def pg_schema() -> Iterator[PgSchema]:
    require_postgres()
    schema = PgSchema()
    yield schema
    schema.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'facturier.db'}")
        schema = None
    else:
        require_postgres()
        schema = PgSchema()
        engine = schema.engine()
    database = Database(engine, FileBlobStore(tmp_path / "archive"))
    database.upgrade()
    yield database
    engine.dispose()
    if schema is not None:
        schema.drop()


class FixedClock:
    """A clock tests move by hand: time is an argument, never read from the system."""

    def __init__(self, start: datetime = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(autouse=True)
def _cli_clock() -> Iterator[None]:
    """In-process runs of the CLI (`facturier.bootstrap.build` without a clock) happen at
    tests.cli_support.CLI_NOW: issue dates and the years in numbers do not move with the calendar."""
    from unittest.mock import patch

    from tests.cli_support import CLI_NOW

    with patch("facturier.bootstrap.system_clock", lambda: CLI_NOW):
        yield
