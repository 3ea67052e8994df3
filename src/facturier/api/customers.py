"""Routes of the customers: store a buyer once, then name it in orders (`customer_id`).

The bodies are the blocks of an order (`customer`, `billing_address`, `shipping_address`,
the same models) plus the seller's own `reference`; `{customer_id}` in a path is the id or
the reference. A reference already used in the account is a 409 Conflict. Another account's
customer is "not found", like one that does not exist. See docs/customers.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from facturier.api.deps import application, needs
from facturier.bootstrap import App
from facturier.services import customers as service
from facturier.services.api_keys import Caller
from facturier.services.order_schema import AddressIn, CustomerIn

router = APIRouter(prefix="/v1", tags=["customers"])
Read = Annotated[Caller, Depends(needs("read"))]
Write = Annotated[Caller, Depends(needs("write"))]
AppDep = Annotated[App, Depends(application)]


class CustomerOut(BaseModel):
    id: str
    reference: str
    customer: CustomerIn
    billing_address: AddressIn
    shipping_address: AddressIn | None
    created_at: str
    updated_at: str


class CustomerPatch(BaseModel):
    """A JSON Merge Patch (RFC 7396): the fields to change; null removes one (back to its default)."""

    model_config = ConfigDict(extra="forbid")
    reference: str | None = Field(default=None, description="null: no reference any more")
    customer: dict[str, Any] | None = Field(default=None, description="fields of the customer block to change")
    billing_address: dict[str, Any] | None = Field(default=None, description="fields of the address to change")
    shipping_address: dict[str, Any] | None = Field(default=None, description="null: no shipping address")


@router.post("/customers", status_code=201, response_model=CustomerOut, summary="Store a customer")
def create(payload: service.CustomerRecordIn, response: Response, who: Write, app: AppDep) -> dict[str, Any]:
    data = payload.model_dump(mode="json", exclude_unset=True)
    made = service.create_customer(app.db, who.account_id, data, app.clock())
    response.headers["location"] = f"/v1/customers/{made.id}"
    return service.customer_json(made)


@router.get("/customers", response_model=list[CustomerOut], summary="Customers by name")
def list_customers(
    who: Read,
    app: AppDep,
    q: Annotated[str, Query(max_length=500, description="a part of the name, any case")] = "",
    reference: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    found = service.list_customers(app.db, who.account_id, q, reference, limit, offset)
    return [service.customer_json(c) for c in found]


@router.get("/customers/{customer_id}", response_model=CustomerOut, summary="One customer (by id or reference)")
def get(customer_id: str, who: Read, app: AppDep) -> dict[str, Any]:
    return service.customer_json(service.get_customer(app.db, who.account_id, customer_id))


@router.patch("/customers/{customer_id}", response_model=CustomerOut, summary="Change a customer")
def update(customer_id: str, payload: CustomerPatch, who: Write, app: AppDep) -> dict[str, Any]:
    patch = payload.model_dump(mode="json", exclude_unset=True)
    changed = service.update_customer(app.db, who.account_id, customer_id, patch, app.clock())
    return service.customer_json(changed)


@router.delete("/customers/{customer_id}", status_code=204, summary="Delete a customer (documents keep their copy)")
def delete(customer_id: str, who: Write, app: AppDep) -> None:
    service.delete_customer(app.db, who.account_id, customer_id)
