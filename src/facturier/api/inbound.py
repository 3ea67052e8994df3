"""Routes of the inbox: received supplier e-invoices (CII, UBL, Factur-X PDF).

POST /v1/inbound/validate   validate and read a file, store nothing (scope read)
POST /v1/inbound            keep a received file: 201 new, 200 the same bytes already there (write)
GET  /v1/inbound            the entries, newest first (filter ok, limit/offset)
GET  /v1/inbound/{id}       an entry, its document (read again from the file) and its report
GET  /v1/inbound/{id}/file  the bytes as received

The body is the raw file. Its kind is recognised from the bytes ("%PDF-" or XML), not from the
Content-Type, which senders often get wrong; a body that is no e-invoice at all is a 422
problem and nothing is kept. See services/inbox.py and docs/inbox.md.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from facturier.api.deps import application, body_bytes, needs
from facturier.bootstrap import App
from facturier.services import inbox
from facturier.services.api_keys import Caller

router = APIRouter(prefix="/v1", tags=["inbound"])
Read = Annotated[Caller, Depends(needs("read"))]
Write = Annotated[Caller, Depends(needs("write"))]
AppDep = Annotated[App, Depends(application)]

FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


class EntryOut(BaseModel):
    id: str
    received_at: str
    filename: str
    media_type: str
    size: int
    sha256: str
    syntax: str = Field(description="cii, ubl or facturx-pdf")
    ok: bool = Field(description="every check passed and the invoice could be read")
    seller_name: str | None
    seller_vat_id: str | None
    number: str | None = Field(description="BT-1")
    issue_date: str | None = Field(description="BT-2")
    currency: str | None = Field(description="BT-5")
    total: str | None = Field(description="BT-112, the exact decimal as received")
    url: str
    file_url: str


class EntryPage(BaseModel):
    data: list[EntryOut]


class EntryDetail(EntryOut):
    document: dict[str, Any] | None = Field(description="the invoice as read, null if the model cannot read it")
    report: dict[str, Any]


class ValidationOut(BaseModel):
    ok: bool
    document: dict[str, Any] | None
    report: dict[str, Any]


def _entry_json(entry: inbox.InboxEntry) -> dict[str, Any]:
    return {**inbox.entry_plain(entry), **_urls(entry.id)}


def _urls(entry_id: str) -> dict[str, str]:
    url = f"/v1/inbound/{entry_id}"
    return {"url": url, "file_url": f"{url}/file"}


@router.post(
    "/inbound/validate",
    response_model=ValidationOut,
    openapi_extra=FILE_BODY,
    summary="Validate and read a received e-invoice; nothing is stored",
)
def validate(request: Request, who: Read) -> dict[str, Any]:
    document, report = inbox.check(body_bytes(request))
    return {"ok": report["ok"], "document": document, "report": report}


@router.post(
    "/inbound",
    status_code=201,
    response_model=EntryOut,
    openapi_extra=FILE_BODY,
    summary="Keep a received e-invoice, valid or not (the same bytes twice: one entry, 200)",
    responses={200: {"model": EntryOut, "description": "these bytes were already received: the same entry"}},
)
def receive(
    request: Request,
    response: Response,
    who: Write,
    app: AppDep,
    filename: Annotated[str, Query(max_length=inbox.MAX_FILENAME, description="the file's name, as received")] = "",
) -> dict[str, Any]:
    entry, created = inbox.receive(app.db, who.account_id, body_bytes(request), filename, app.clock())
    response.status_code = 201 if created else 200
    response.headers["location"] = f"/v1/inbound/{entry.id}"
    return _entry_json(entry)


@router.get("/inbound", response_model=EntryPage, summary="Received e-invoices, newest first")
def list_entries(
    who: Read,
    app: AppDep,
    ok: Annotated[bool | None, Query(description="only the valid (true) or the others (false)")] = None,
    limit: Annotated[int, Query(ge=1, le=inbox.MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    return {"data": [_entry_json(e) for e in inbox.list_inbox(app.db, who.account_id, limit, offset, ok)]}


@router.get("/inbound/{entry_id}", response_model=EntryDetail, summary="An entry, its document and its report")
def get_entry(entry_id: str, who: Read, app: AppDep) -> dict[str, Any]:
    shown = inbox.shown_entry(app.db, who.account_id, entry_id)
    return {**shown, **_urls(shown["id"])}


@router.get(
    "/inbound/{entry_id}/file",
    summary="The received file, byte for byte",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "application/xml": {}}}},
)
def download(entry_id: str, who: Read, app: AppDep) -> Response:
    data, media_type, filename = inbox.entry_file(app.db, who.account_id, entry_id)
    return Response(data, media_type=media_type, headers={"content-disposition": disposition(filename)})


def disposition(filename: str) -> str:
    """`attachment` with an ASCII name and the exact UTF-8 one (RFC 6266, RFC 8187): a header
    is Latin-1, and a quote or a backslash in a sender's file name must not end the value."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
