"""Running the `facturier` CLI in tests, in process, on a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

from typer.testing import CliRunner

from facturier.cli.main import app

# The instant in-process CLI tests run at: invoices are dated "today", and their numbers carry
# its year, so the tests do not change meaning with the calendar. Subprocess tests use the real clock.
CLI_NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
CLI_TODAY = CLI_NOW.date()  # in Europe/Paris too


def _frozen_clock() -> datetime:
    return CLI_NOW


class Cli:
    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Any:
        with patch("facturier.bootstrap.system_clock", _frozen_clock):
            result = self.runner.invoke(app, list(args), env=self.env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)

    def order_file(self, name: str, data: dict[str, Any] | str) -> str:
        path = self.workdir / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)
