"""Processes that start together on one new PostgreSQL database all come up: one migrates,
the others wait for it and find the schema current."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from tests.conftest import PgSchema

from facturier.storage.migrate import upgrade


@pytest.mark.postgres
def test_concurrent_first_migrations_on_postgresql(pg_schema: PgSchema) -> None:
    engines = [pg_schema.engine() for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(engines))

    def migrate(engine: object) -> None:
        start.wait()
        try:
            upgrade(engine)  # type: ignore[arg-type]
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=migrate, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with engines[0].connect() as conn:
        versions = conn.execute(text("select version_num from alembic_version")).scalars().all()
    assert len(versions) == 1
    for engine in engines:
        engine.dispose()
