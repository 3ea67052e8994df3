"""The API over a real socket: uvicorn on a loopback port in a thread, on SQLite and PostgreSQL.

`api` gives a running server with the demo seller, an httpx client per scope, and a second
tenant (another seller account with its own admin key) for the cross-tenant tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from tests.cli_support import CLI_NOW, Cli
from tests.conftest import FixedClock, PgSchema, require_postgres

from facturier.api.app import create_app
from facturier.bootstrap import App, build
from facturier.config import Settings
from facturier.services.api_keys import create_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """uvicorn serving `asgi` on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, asgi: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(asgi, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@dataclass
class Api:
    url: str
    app: App
    env: dict[str, str]
    keys: dict[str, str]  # scope -> token of the demo account
    other: str  # admin token of another account
    clock: FixedClock  # the server's clock: tests move it by hand (retries, expiries)
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, scope: str = "admin", token: str | None = None, **headers: str) -> httpx.Client:
        auth = {"authorization": f"Bearer {token or self.keys[scope]}"}
        made = httpx.Client(base_url=self.url, headers={**auth, **headers}, timeout=60)
        self.clients.append(made)
        return made


def make_env(tmp_path: Path, engine: str) -> tuple[dict[str, str], PgSchema | None]:
    env = {"FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    schema = None
    if engine == "postgresql":
        require_postgres()
        schema = PgSchema()
        env["FACTURIER_DATABASE_URL"] = f"{schema.url}?options=-csearch_path%3D{schema.schema}"
    return env, schema


def settings_of(env: dict[str, str], **extra: Any) -> Settings:
    return Settings(
        data_dir=Path(env["FACTURIER_DATA_DIR"]), database_url=env.get("FACTURIER_DATABASE_URL", ""), **extra
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    env, schema = make_env(tmp_path, request.param)
    Cli(env, tmp_path)("init", "--demo")
    Cli({**env, "FACTURIER_ACCOUNT": "other"}, tmp_path)("init", "--demo")
    clock = FixedClock(CLI_NOW)
    application = build(settings_of(env, webhooks_allow_private=True), clock=clock)
    demo = application.db.account_id("default")
    keys = {s: create_key(application.keys, demo, f"test {s}", s, CLI_NOW)[1] for s in ("read", "write", "admin")}
    other = create_key(application.keys, application.db.account_id("other"), "other admin", "admin", CLI_NOW)[1]
    with Server(create_app(application)) as server:
        ready = Api(server.url, application, env, keys, other, clock)
        yield ready
        for c in ready.clients:
            c.close()
    application.db.engine.dispose()
    if schema is not None:
        schema.drop()
