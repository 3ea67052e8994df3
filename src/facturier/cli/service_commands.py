"""`facturier serve` (the HTTP API) and `facturier apikey ...` (the keys that open it)."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from facturier.bootstrap import build
from facturier.cli import output
from facturier.cli.common import handled

apikey_app = typer.Typer(no_args_is_help=True, help="API keys of the seller account: create, list, revoke.")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="HTTP processes (PostgreSQL: several; SQLite: 1 is plenty)")] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs, OpenAPI at /openapi.json) until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    build()  # migrate once before the processes start, and fail early on bad settings
    uvicorn.run(
        "facturier.api.asgi:create",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # one JSON line per request comes from the API itself (request id, key, duration)
        log_level="info",
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
    )


@apikey_app.command("create")
@handled
def create(
    name: Annotated[str, typer.Option(help="who or what uses the key (shown in lists and logs)")],
    scope: Annotated[str, typer.Option(help="read, write or admin")] = "write",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create an API key of the account; the key is printed this once and stored hashed."""
    from facturier.services.api_keys import create_key

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
