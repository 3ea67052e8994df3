"""The `cli` fixture: the CLI on a fresh SQLite and a fresh PostgreSQL database, with the demo seller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli_support import Cli
from tests.conftest import PgSchema, require_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    schema = None
    if request.param == "postgresql":
        require_postgres()
        schema = PgSchema()
        env["FACTURIER_DATABASE_URL"] = f"{schema.url}?options=-csearch_path%3D{schema.schema}"
    runner = Cli(env, tmp_path)
    runner("init", "--demo")
    yield runner
    if schema is not None:
        schema.drop()
