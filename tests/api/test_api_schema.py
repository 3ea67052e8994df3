"""schemathesis against the API's own OpenAPI document, over a real socket (SQLite):
generated requests for every operation (bounded), and for each one no server error, and a
response that matches the schema (status documented, body valid, content type declared)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)
from tests.api.conftest import Server, settings_of
from tests.cli_support import CLI_NOW, Cli

from facturier.api.app import create_app
from facturier.bootstrap import build
from facturier.services.api_keys import create_key

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    env = {"FACTURIER_DATA_DIR": str(tmp / "data")}
    Cli(env, tmp)("init", "--demo")
    application = build(settings_of(env), clock=lambda: CLI_NOW)
    token = create_key(application.keys, application.db.account_id("default"), "schemathesis", "admin", CLI_NOW)[1]
    with Server(create_app(application)) as server:
        yield {"url": server.url, "token": token}
    application.db.engine.dispose()


def test_every_operation_answers_within_its_schema(served: dict[str, Any]) -> None:
    loaded = schemathesis.openapi.from_url(f"{served['url']}/openapi.json")
    headers = {"authorization": f"Bearer {served['token']}"}
    tried = []
    for result in loaded.get_all_operations():
        operation = result.ok()
        tried.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS, excluded_checks=[negative_data_rejection])

        check()
    assert len(tried) >= 15, tried
