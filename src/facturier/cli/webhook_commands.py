"""`facturier webhooks ...`: the seller's outbound webhook endpoints and what was sent to them.

facturier webhooks add https://example.com/hooks --event document.issued --event document.paid
facturier webhooks list
facturier webhooks disable ENDPOINT_ID          # enable ENDPOINT_ID / delete ENDPOINT_ID
facturier webhooks deliveries --status failed
facturier webhooks show DELIVERY_ID             # the attempts: status codes, errors, durations
facturier webhooks replay DELIVERY_ID           # the same webhook-id and body, sent again

The worker (`facturier worker`) does the sending; these commands only read and queue.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

import typer

from facturier.bootstrap import App, build
from facturier.cli import output
from facturier.cli.common import handled
from facturier.services import webhooks as service

webhooks_app = typer.Typer(no_args_is_help=True, help="Outbound webhooks (Standard Webhooks): endpoints, deliveries.")


def _app() -> App:
    return build()


def _endpoint_json(endpoint: service.Endpoint) -> dict[str, Any]:
    data = asdict(endpoint)
    data["events"] = list(endpoint.events)
    return data


def _delivery_json(delivery: service.Delivery, with_payload: bool = False) -> dict[str, Any]:
    data = asdict(delivery)
    if not with_payload:
        data.pop("payload")
    return data


@webhooks_app.command("add")
@handled
def add(
    url: Annotated[str, typer.Argument(help="https URL that receives the events (POST, JSON)")],
    event: Annotated[
        list[str], typer.Option("--event", help=f"event type, repeatable: {', '.join(service.EVENT_TYPES)}")
    ],
    description: Annotated[str, typer.Option(help="a note for you (at most 200 characters)")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="print the endpoint and its secret as JSON")] = False,
) -> None:
    """Register an endpoint; its signing secret is printed now and never again."""
    application = _app()
    allow_private = application.settings.webhooks_allow_private
    endpoint, secret = service.register_endpoint(
        application.db, application.account_id(), url, event, description, application.clock(), allow_private
    )
    if as_json:
        output.print_json({**_endpoint_json(endpoint), "secret": secret})
        return
    output.console.print(f"Webhook endpoint {endpoint.id} added for {', '.join(endpoint.events)}", markup=False)
    output.console.print(f"Signing secret (shown only now, keep it): {secret}", markup=False, soft_wrap=True)


@webhooks_app.command("list")
@handled
def list_endpoints(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The endpoints, oldest first."""
    application = _app()
    endpoints = service.list_endpoints(application.db, application.account_id())
    if as_json:
        output.print_json([_endpoint_json(e) for e in endpoints])
        return
    table = output.listing(
        f"{len(endpoints)} webhook endpoints",
        ("Id", "URL", "Events", "Enabled", "Created", "Description"),
        whole=("Id", "Enabled", "Created"),
    )
    for e in endpoints:
        table.add_row(e.id, e.url, ", ".join(e.events), "yes" if e.enabled else "no", e.created_at, e.description)
    output.console.print(table)


@webhooks_app.command("disable")
@handled
def disable(endpoint_id: Annotated[str, typer.Argument()]) -> None:
    """Stop sending to an endpoint: no new deliveries; pending ones fail at their next attempt."""
    _set_enabled(endpoint_id, False)


@webhooks_app.command("enable")
@handled
def enable(endpoint_id: Annotated[str, typer.Argument()]) -> None:
    """Send to a disabled endpoint again (new events; `replay` for the ones it missed)."""
    _set_enabled(endpoint_id, True)


def _set_enabled(endpoint_id: str, enabled: bool) -> None:
    application = _app()
    service.set_endpoint_enabled(application.db, application.account_id(), endpoint_id, enabled)
    output.console.print(f"Webhook endpoint {endpoint_id} {'enabled' if enabled else 'disabled'}", markup=False)


@webhooks_app.command("delete")
@handled
def delete(endpoint_id: Annotated[str, typer.Argument()]) -> None:
    """Remove an endpoint and its secret; what was sent to it stays listed."""
    application = _app()
    service.delete_endpoint(application.db, application.account_id(), endpoint_id)
    output.console.print(f"Webhook endpoint {endpoint_id} deleted", markup=False)


@webhooks_app.command("deliveries")
@handled
def deliveries(
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="only this endpoint's")] = None,
    status: Annotated[str | None, typer.Option("--status", help="pending, delivered or failed")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What was sent, newest first."""
    application = _app()
    found = service.list_deliveries(application.db, application.account_id(), endpoint, status, limit)
    if as_json:
        output.print_json([_delivery_json(d) for d in found])
        return
    table = output.listing(
        f"{len(found)} webhook deliveries",
        ("Id", "Event", "Endpoint", "Status", "Attempts", "Created", "Delivered"),
        whole=("Id", "Status", "Attempts", "Created", "Delivered"),
        right=("Attempts",),
    )
    for d in found:
        table.add_row(d.id, d.event_type, d.endpoint_id, d.status, str(d.attempts), d.created_at, d.delivered_at or "")
    output.console.print(table)


@webhooks_app.command("show")
@handled
def show(
    delivery_id: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One delivery: its body and every attempt (status code, error, duration)."""
    application = _app()
    detail = service.get_delivery(application.db, application.account_id(), delivery_id)
    if as_json:
        data = _delivery_json(detail.delivery, with_payload=True)
        output.print_json({**data, "attempts": [asdict(a) for a in detail.attempts]})
        return
    d = detail.delivery
    output.console.print(f"Delivery {d.id}: {d.event_type} to endpoint {d.endpoint_id}, {d.status}", markup=False)
    output.console.print(f"Body: {d.payload}", markup=False, soft_wrap=True)
    table = output.listing(
        "Attempts", ("N", "At", "HTTP", "ms", "Error"), whole=("N", "At", "HTTP", "ms"), right=("ms",)
    )
    for a in detail.attempts:
        code = "" if a.status_code is None else str(a.status_code)
        table.add_row(str(a.n), a.at, code, str(a.duration_ms), a.error or "")
    output.console.print(table)


@webhooks_app.command("replay")
@handled
def replay(delivery_id: Annotated[str, typer.Argument()]) -> None:
    """Send a delivery again (same webhook-id and body, new signature), by the worker."""
    application = _app()
    job_id = service.replay(application.db, application.account_id(), delivery_id, application.clock())
    output.console.print(f"Delivery {delivery_id} queued again (job {job_id})", markup=False)
