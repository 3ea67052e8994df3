"""The shapes the API answers with (OpenAPI components). Amounts are strings, never numbers:
"89.90" keeps its decimals and no client reads it as a float."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Amount = str  # a decimal number as a string, with the currency's decimals ("89.90", JPY "1500")


class Open(BaseModel):
    """A view with stable fields listed here; further fields may be added in a version."""

    model_config = ConfigDict(extra="allow")


class FileOut(BaseModel):
    name: str
    media_type: str
    sha256: str
    size: int
    url: str


class DocumentSummary(Open):
    id: str
    number: str
    kind: str = Field(description="invoice, credit_note, quote, ...")
    document_type: str = Field(description="UNTDID 1001 code (BT-3)")
    issue_date: str
    buyer: str
    currency: str
    tax_inclusive: Amount
    payable: Amount
    preceding: str
    order_id: str
    status: str | None = None
    remaining: Amount | None = None
    url: str
    payments: list[dict[str, Any]] | None = Field(default=None, description="with expand=payments")


class DocumentPage(BaseModel):
    data: list[DocumentSummary]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null at the end")


class DocumentOut(Open):
    id: str
    number: str
    kind: str
    issue_date: str
    currency: str
    files: list[FileOut]
    status: str | None = None
    remaining: Amount | None = None
    payments: list[dict[str, Any]] | None = None


class IssuedOut(Open):
    replayed: bool = Field(description="true when the order id had already been issued: the same document")
    document: DocumentOut


class BatchOut(BaseModel):
    data: list[IssuedOut]


class PaymentOut(Open):
    number: str
    currency: str
    payment: dict[str, Any]
    status: str
    remaining: Amount
    payments: list[dict[str, Any]]
    file: FileOut | None


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paid_on: str = Field(description="YYYY-MM-DD")
    method: str = Field(description="card, transfer, direct_debit, paypal, cash, cheque, or a label", min_length=1)
    amount: Amount | None = Field(default=None, description="default: all that remains")
    reference: str = ""
    payer: str = ""


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount
    paid_on: str
    method: str = Field(min_length=1)
    reference: str = ""


class CreditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: dict[str, Amount] | None = Field(default=None, description="line id -> quantity to credit")
    amount: Amount | None = Field(default=None, description="an amount to credit, VAT included")
    reason: str = ""
    key: str = Field(default="", description="makes the credit note idempotent (e.g. your refund id)", max_length=100)


class ConvertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    allow_expired: bool = False


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    scope: str = Field(description="read, write or admin")


class ApiKeyOut(BaseModel):
    id: str
    name: str
    scope: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="the key itself: shown this once, never again")


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    attempts: int
    max_attempts: int
    run_at: str
    last_error: str
    created_at: str


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` lists every violation (rule id, JSON Pointer, message)."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str | None = None
    errors: list[dict[str, str]] | None = None
