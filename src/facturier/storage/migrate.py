"""Bring a database to the latest schema with Alembic (programmatic, no alembic.ini).

Every process migrates on start. On PostgreSQL several may start at once (two `serve`, two
`worker`, on several machines): the upgrade takes a transaction-level advisory lock first, so
one migrates while the others wait, then find the schema current and do nothing. Without it,
two processes creating the first tables at once fail one of them (a duplicate
`alembic_version` type). On SQLite the migration's `BEGIN IMMEDIATE` already serialises them.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_KEY = 0x46616374  # "Fact": the advisory lock id of Facturier's migrations


def upgrade(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
