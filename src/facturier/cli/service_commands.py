"""`facturier serve` (the HTTP API) and `facturier apikey ...` (the keys that open it)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from facturier.bootstrap import App, build
from facturier.cli import output
from facturier.cli.common import handled
from facturier.services.api_keys import authenticate, create_key

EXAMPLE_ORDERS = Path(__file__).resolve().parents[3] / "examples" / "orders"

apikey_app = typer.Typer(no_args_is_help=True, help="API keys of the seller account: create, list, revoke.")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="HTTP processes (PostgreSQL: several; SQLite: 1 is plenty)")] = 1,
    jobs: Annotated[
        str, typer.Option(help="run background jobs in this process: auto (yes on SQLite), yes, no")
    ] = "auto",
    demo: Annotated[
        bool, typer.Option(help="the demo: a demo API key, the example orders issued through the API")
    ] = False,
) -> None:
    """Serve the HTTP API (docs at /docs, OpenAPI at /openapi.json) until interrupted.

    On SQLite the background jobs (webhooks, the janitor) run in a thread of this process
    by default; on PostgreSQL run `facturier worker` processes beside it (docs/deploy.md).
    """
    import uvicorn  # the service's modules load only when serving: other commands start faster

    from facturier.api.app import create_app
    from facturier.api.asgi import GracefulServer
    from facturier.jobs import worker_for

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the demo's own calls are in the request log
    application = build()  # migrates once, before any process starts, and fails early on bad settings
    options = {"host": host, "port": port, "access_log": False, "log_level": "warning", "timeout_keep_alive": 5}
    if workers > 1:  # each process builds its own application from the environment; no jobs thread here
        uvicorn.run("facturier.api.asgi:create", factory=True, workers=workers, **options)  # type: ignore[arg-type]
        return
    stop = threading.Event()
    server = GracefulServer(uvicorn.Config(create_app(application), **options), stop.set)  # type: ignore[arg-type]
    jobs_thread = None
    if jobs == "yes" or (jobs == "auto" and application.db.dialect == "sqlite"):
        jobs_thread = threading.Thread(target=worker_for(application).run, args=(stop,), name="jobs", daemon=True)
        jobs_thread.start()
    tell = _demo if demo else _announce
    threading.Thread(target=tell, args=(application, server, host, port), daemon=True).start()
    server.run()
    stop.set()
    if jobs_thread is not None:  # the job in hand is finished, as `facturier worker` does
        jobs_thread.join(application.settings.job_lease_seconds)


def _started(server: Any) -> bool:
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or server.should_exit:
            return False
        time.sleep(0.02)
    return True


def _announce(_application: App, server: Any, host: str, port: int) -> None:
    if _started(server):
        output.errors.print(f"Facturier API on http://{host}:{port} (docs: /docs). Ctrl-C stops it.")


DEMO_KEY_FILE = "demo-api-key.txt"


def _demo_key(application: App) -> str:
    """The demo's admin key: kept in the data directory (mode 0600) so a rerun shows the same one."""
    path = application.settings.data_dir / DEMO_KEY_FILE
    if path.exists():
        token = path.read_text(encoding="ascii").strip()
        if authenticate(application.keys, token, application.clock()) is not None:
            return token
    _row, token = create_key(application.keys, application.account_id(), "demo", "admin", application.clock())
    path.touch(mode=0o600)
    path.write_text(token + "\n", encoding="ascii")
    return token


def _demo(application: App, server: Any, host: str, port: int) -> None:
    """Issue the example orders through the API, then tell how to call it."""
    import httpx

    if not _started(server):
        return
    url, token = f"http://{host}:{port}", _demo_key(application)
    table = output.listing("Example orders issued through the API", ("Order file", "HTTP", "Number", "Total"))
    with httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=120) as client:
        for path in sorted(EXAMPLE_ORDERS.glob("*.json")):
            answer = client.post("/v1/orders", content=path.read_bytes(), headers={"content-type": "application/json"})
            if answer.status_code in (200, 201):
                document = answer.json()["document"]
                table.add_row(
                    path.name, str(answer.status_code), document["number"], document["totals"]["tax_inclusive"]
                )
            else:
                table.add_row(path.name, str(answer.status_code), answer.json().get("detail", "")[:60], "")
    output.console.print(table)
    output.console.print(
        f"\nFacturier API on {url} (interactive docs: {url}/docs)\n"
        f"Demo API key (admin): {token}   (kept in {application.settings.data_dir / DEMO_KEY_FILE})\n"
        f"Try: curl -H 'Authorization: Bearer {token}' {url}/v1/documents\n"
        "Ctrl-C stops the service.",
        markup=False,
        soft_wrap=True,
    )


@apikey_app.command("create")
@handled
def create(
    name: Annotated[str, typer.Option(help="who or what uses the key (shown in lists and logs)")],
    scope: Annotated[str, typer.Option(help="read, write or admin")] = "write",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create an API key of the account; the key is printed this once and stored hashed."""
    application = build()
    row, token = create_key(application.keys, application.account_id(), name, scope, application.clock())
    if as_json:
        output.print_json({"id": row.id, "name": row.name, "scope": row.scope, "key": token})
        return
    output.console.print(f"API key {row.id} ({row.scope}) for {row.name}. Keep it now: it is not shown again.")
    print(token)


@apikey_app.command("list")
@handled
def list_keys(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The account's keys (never their secret), with their last use."""
    application = build()
    rows = application.keys.of_account(application.account_id())
    if as_json:
        fields = ("id", "name", "scope", "created_at", "last_used_at", "revoked_at")
        output.print_json([{f: getattr(r, f) for f in fields} for r in rows])
        return
    table = output.listing("API keys", ("Id", "Name", "Scope", "Created", "Last used", "Revoked"))
    for r in rows:
        table.add_row(r.id, r.name, r.scope, r.created_at, r.last_used_at or "-", r.revoked_at or "-")
    output.console.print(table)


@apikey_app.command("revoke")
@handled
def revoke(key_id: Annotated[str, typer.Argument(help="the key's id (the part after fct_)")]) -> None:
    """Revoke a key: every request with it is refused from now on."""
    from facturier.services.api_keys import revoke_key

    application = build()
    revoke_key(application.keys, application.account_id(), key_id, application.clock())
    output.console.print(f"API key {key_id} revoked")
