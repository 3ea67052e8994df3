"""Routes of outbound webhooks: endpoints (admin) and their deliveries (read; replay: admin)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from facturier.api.deps import application, needs
from facturier.bootstrap import App
from facturier.services import webhooks
from facturier.services.api_keys import Caller
from facturier.storage.webhooks import Delivery, Endpoint

router = APIRouter(prefix="/v1", tags=["webhooks"])
Read = Annotated[Caller, Depends(needs("read"))]
Admin = Annotated[Caller, Depends(needs("admin"))]
AppDep = Annotated[App, Depends(application)]


class EndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000, description="https URL that receives the events (Standard Webhooks)")
    events: list[str] = Field(min_length=1, description=", ".join(webhooks.EVENT_TYPES))
    description: str = Field(default="", max_length=200)


class EndpointOut(BaseModel):
    id: str
    url: str
    events: list[str]
    description: str
    enabled: bool
    created_at: str


class EndpointCreated(EndpointOut):
    secret: str = Field(description="whsec_...: verifies the signatures; shown this once")


class EnabledIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    created_at: str
    delivered_at: str | None
    payload: str | None = None
    attempt_log: list[dict[str, Any]] | None = None


def _endpoint(e: Endpoint) -> dict[str, Any]:
    return {**asdict(e), "events": list(e.events)}


def _delivery(d: Delivery, with_body: bool = False) -> dict[str, Any]:
    data = asdict(d)
    if not with_body:
        data.pop("payload")
    return data


@router.post("/webhook-endpoints", status_code=201, response_model=EndpointCreated, summary="Register an endpoint")
def add_endpoint(payload: EndpointIn, who: Admin, app: AppDep) -> dict[str, Any]:
    endpoint, secret = webhooks.register_endpoint(
        app.db,
        who.account_id,
        payload.url,
        payload.events,
        payload.description,
        app.clock(),
        app.settings.webhooks_allow_private,
    )
    return {**_endpoint(endpoint), "secret": secret}


@router.get("/webhook-endpoints", response_model=list[EndpointOut], summary="The account's endpoints")
def list_endpoints(who: Admin, app: AppDep) -> list[dict[str, Any]]:
    return [_endpoint(e) for e in webhooks.list_endpoints(app.db, who.account_id)]


@router.get("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="One endpoint")
def get_endpoint(endpoint_id: str, who: Admin, app: AppDep) -> dict[str, Any]:
    return _endpoint(webhooks.get_endpoint(app.db, who.account_id, endpoint_id))


@router.patch("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="Enable or disable")
def set_enabled(endpoint_id: str, payload: EnabledIn, who: Admin, app: AppDep) -> dict[str, Any]:
    return _endpoint(webhooks.set_endpoint_enabled(app.db, who.account_id, endpoint_id, payload.enabled))


@router.delete("/webhook-endpoints/{endpoint_id}", status_code=204, summary="Delete an endpoint")
def delete_endpoint(endpoint_id: str, who: Admin, app: AppDep) -> None:
    webhooks.delete_endpoint(app.db, who.account_id, endpoint_id)


@router.get("/webhook-deliveries", response_model=list[DeliveryOut], summary="Deliveries, newest first")
def list_deliveries(
    who: Read,
    app: AppDep,
    endpoint_id: str | None = None,
    status: Annotated[str | None, Query(description="pending, delivered, failed")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    found = webhooks.list_deliveries(app.db, who.account_id, endpoint_id, status, limit, offset)
    return [_delivery(d) for d in found]


@router.get(
    "/webhook-deliveries/{delivery_id}", response_model=DeliveryOut, summary="A delivery, its body and attempts"
)
def get_delivery(delivery_id: str, who: Read, app: AppDep) -> dict[str, Any]:
    detail = webhooks.get_delivery(app.db, who.account_id, delivery_id)
    return {**_delivery(detail.delivery, with_body=True), "attempt_log": [asdict(a) for a in detail.attempts]}


@router.post(
    "/webhook-deliveries/{delivery_id}/replay", status_code=202, summary="Send a delivery again (same webhook-id)"
)
def replay(delivery_id: str, who: Admin, app: AppDep) -> dict[str, str]:
    return {"job_id": webhooks.replay(app.db, who.account_id, delivery_id, app.clock())}
