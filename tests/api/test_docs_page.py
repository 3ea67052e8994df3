"""The interactive docs page in a real browser (Debian chromium driven by Playwright): Swagger UI
renders the API's own OpenAPI 3.1 document, and the page asks nothing of any other host."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.api.conftest import Server, settings_of
from tests.cli_support import CLI_NOW, Cli

from facturier.api.app import create_app
from facturier.bootstrap import build

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data")}
    Cli(env, tmp_path)("init", "--demo")
    application = build(settings_of(env), clock=lambda: CLI_NOW)
    with Server(create_app(application)) as server:
        yield server.url
    application.db.engine.dispose()


def test_swagger_ui_renders_every_operation_from_local_assets_only(served: str) -> None:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    asked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{served}/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        title = page.locator(".info .title").inner_text()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        errors = page.locator(".errors-wrapper").count()
        browser.close()
    assert title.startswith("Facturier API")
    assert any("/v1/orders" in p for p in paths) and any("/v1/documents/{number}" in p for p in paths)
    assert len(paths) >= 20
    assert errors == 0  # Swagger UI found the document valid
    foreign = [url for url in asked if not url.startswith(served) and not url.startswith("data:")]
    assert foreign == [], foreign
