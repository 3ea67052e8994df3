"""Routes of the documents: issue orders, list, show, download, pay, refund, credit, convert.

Each route parses its input, calls one service (the same as the CLI's command) and shapes
the answer; the services decide. Everything is scoped by the caller's account: a number of
another account is "not found", like a number that does not exist.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from facturier.api import schemas
from facturier.api.deps import application, body_bytes, day, decimal, in_order_terms, json_body, needs
from facturier.bootstrap import App
from facturier.domain.canonical import canonical_bytes, to_plain
from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput, NotFound, invalid
from facturier.domain.settlement import PaymentKind, Settlement, Status
from facturier.services import figures
from facturier.services.api_keys import Caller
from facturier.services.credit import credit_submission
from facturier.services.customers import read_order
from facturier.services.documents import Shown, page_documents, show_document
from facturier.services.figures import balance_json, payment_json, recorded_json, settlement_json, stored_json
from facturier.services.issue import Issued, Submission, order_id_of
from facturier.services.issuing import issue, order_submission
from facturier.services.order_schema import OrderIn
from facturier.services.payments import PaymentInput, Recorded, record_payment
from facturier.services.quotes import conversion_submission
from facturier.storage.documents import IN_DATABASE, DocumentFilter, StoredDocument

router = APIRouter(prefix="/v1", tags=["documents"])
Read = Annotated[Caller, Depends(needs("read"))]
Write = Annotated[Caller, Depends(needs("write"))]
AppDep = Annotated[App, Depends(application)]

MAX_BATCH = 500  # orders in one batch request
ORDER_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
    }
}

# short names of a document's files in URLs, and the archived name they stand for
FILE_NAMES = {"pdf": "document.pdf", "cii": "factur-x.xml", "ubl": "ubl.xml", "json": "document.json"}


# --- shaping ---------------------------------------------------------------------------------


def file_url(number: str, name: str) -> str:
    return f"/v1/documents/{number}/files/{name}"


def files_json(stored: StoredDocument) -> list[dict[str, Any]]:
    shown = [a for a in stored.artefacts if a.name not in IN_DATABASE and a.name != "request.json"]
    return [{**to_plain(a), "url": file_url(stored.document.number, a.name)} for a in shown]


def document_json(stored: StoredDocument, shown: Shown | None = None) -> dict[str, Any]:
    """The CLI's view of a document (services.figures), with its files as URLs, its kind and order id."""
    data = stored_json(stored)
    data |= {"order_id": order_id_of(stored.source_id), "kind": stored.document.document_type.name.lower()}
    data["files"] = files_json(stored)
    if shown is not None:
        data |= balance_json(shown.balance, shown.payments, stored.document.currency)
    return data


def issued_json(done: Issued) -> dict[str, Any]:
    return {"replayed": not done.created, "document": document_json(done.stored)}


def summary_json(row: Any, balances: dict[str, Settlement]) -> dict[str, Any]:
    """A row of `GET /v1/documents`: the CLI's `list --json` row, its id, kind, order id and URL."""
    data = figures.summary_json(row, balances.get(row.number))
    kind = DocumentType(row.document_type).name.lower()
    return data | {
        "id": row.id,
        "kind": kind,
        "order_id": order_id_of(row.source_id),
        "url": f"/v1/documents/{row.number}",
    }


def _created(done: list[Issued]) -> int:
    return 201 if any(d.created for d in done) else 200


def _issue_one(app: App, who: Caller, submission: Submission, response: Response) -> dict[str, Any]:
    """Issue one document through the one issuing path: 201 new, 200 already issued; `Location`."""
    done = in_order_terms(lambda: issue(app.issuer, who.account_id, [submission]))
    response.status_code = _created(done)
    response.headers["location"] = f"/v1/documents/{done[0].document.number}"
    return issued_json(done[0])


# --- issuing ---------------------------------------------------------------------------------


def _order(request: Request, app: App, account_id: str, prefix: str = "") -> OrderIn:
    raw = body_bytes(request)
    return in_order_terms(lambda: read_order(app.db, account_id, raw), prefix)


@router.post(
    "/orders",
    status_code=201,
    response_model=schemas.IssuedOut,
    openapi_extra=ORDER_BODY,
    summary="Issue the document of an order (idempotent by the order's id)",
    responses={200: {"model": schemas.IssuedOut, "description": "already issued: the same document"}},
)
def issue_order(request: Request, response: Response, who: Write, app: AppDep) -> dict[str, Any]:
    order = _order(request, app, who.account_id)
    return _issue_one(app, who, order_submission(order), response)


@router.post(
    "/orders/batch",
    status_code=201,
    response_model=schemas.BatchOut,
    summary="Issue several orders, all or nothing, numbered in the order given",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["orders"],
                        "properties": {
                            "orders": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": MAX_BATCH,
                                "items": {"$ref": "#/components/schemas/Order"},
                            }
                        },
                    }
                }
            },
        }
    },
)
def issue_batch(request: Request, response: Response, who: Write, app: AppDep) -> dict[str, Any]:
    data = json_body(request)
    orders = data.get("orders") if isinstance(data, dict) else None
    if not isinstance(orders, list) or not orders or len(orders) > MAX_BATCH:
        raise invalid("BATCH", "/orders", f"expected a list of 1 to {MAX_BATCH} orders")
    parsed, problems = [], []
    for i, order in enumerate(orders):
        raw = json.dumps(order, default=str).encode()  # each order read as if posted alone (numbers kept exact)
        try:
            parsed.append(in_order_terms(lambda r=raw: read_order(app.db, who.account_id, r), f"/orders/{i}"))
        except InvalidInput as exc:
            problems.extend(exc.violations)
    if problems:
        raise InvalidInput(problems)
    submissions = [order_submission(o, f"/orders/{i}") for i, o in enumerate(parsed)]
    done = in_order_terms(lambda: issue(app.issuer, who.account_id, submissions))
    response.status_code = _created(done)
    return {"data": [issued_json(d) for d in done]}


@router.post(
    "/quotes", status_code=201, response_model=schemas.IssuedOut, openapi_extra=ORDER_BODY, summary="Issue a quote"
)
def issue_quote(request: Request, response: Response, who: Write, app: AppDep) -> dict[str, Any]:
    order = _order(request, app, who.account_id)
    order = order.model_copy(update={"kind": "quote"})  # as `facturier quote`
    return _issue_one(app, who, order_submission(order), response)


@router.post(
    "/quotes/{number}/convert", status_code=201, response_model=schemas.IssuedOut, summary="Invoice an accepted quote"
)
def convert_quote(number: str, payload: schemas.ConvertIn, response: Response, who: Write, app: AppDep) -> Any:
    return _issue_one(app, who, conversion_submission(number, payload.allow_expired), response)


@router.post(
    "/documents/{number}/credit-notes",
    status_code=201,
    response_model=schemas.IssuedOut,
    summary="Credit an invoice: all of it, some line quantities, or an amount (VAT included)",
)
def credit(number: str, payload: schemas.CreditIn, response: Response, who: Write, app: AppDep) -> Any:
    lines = {k: _quantity(v, f"/lines/{k}") for k, v in payload.lines.items()} if payload.lines else None
    amount = decimal(payload.amount, "/amount")
    submission = credit_submission(number, lines=lines, amount=amount, reason=payload.reason, key=payload.key)
    return _issue_one(app, who, submission, response)


def _quantity(text: str, path: str) -> Decimal:
    value = decimal(text, path)
    assert value is not None
    return value


# --- payments --------------------------------------------------------------------------------


def _payment_json(done: Recorded) -> dict[str, Any]:
    artefact = done.artefact
    number = done.stored.document.number
    located = {**to_plain(artefact), "url": file_url(number, artefact.name)} if artefact else None
    return recorded_json(done) | {"file": located}


@router.post(
    "/documents/{number}/payments",
    status_code=201,
    response_model=schemas.PaymentOut,
    summary="Record a payment; the paid copy (facture acquittée) once settled, else a receipt",
)
def pay(number: str, payload: schemas.PaymentIn, who: Write, app: AppDep) -> Any:
    return _record(app, who, number, payload, PaymentKind.PAYMENT)


@router.post(
    "/documents/{number}/refunds", status_code=201, response_model=schemas.PaymentOut, summary="Record a refund"
)
def refund(number: str, payload: schemas.RefundIn, who: Write, app: AppDep) -> Any:
    return _record(app, who, number, payload, PaymentKind.REFUND)


def _record(app: App, who: Caller, number: str, payload: Any, kind: PaymentKind) -> dict[str, Any]:
    given = PaymentInput(
        number=number,
        paid_on=day(payload.paid_on, "/paid_on"),
        method=payload.method,
        amount=decimal(payload.amount, "/amount"),
        reference=payload.reference,
        payer=getattr(payload, "payer", ""),
        kind=kind,
        source="api",
    )
    return _payment_json(record_payment(app.issuer, who.account_id, given))


@router.get("/documents/{number}/payments", summary="The payments and refunds of an invoice")
def payments(number: str, who: Read, app: AppDep) -> dict[str, Any]:
    shown = show_document(app.issuer, who.account_id, number)
    currency = shown.stored.document.currency
    return {"data": [payment_json(p) for p in shown.payments], **settlement_json(shown.balance, currency)}


# --- reading ---------------------------------------------------------------------------------


def _type(name: str | None) -> DocumentType | None:
    if not name:
        return None
    try:
        return DocumentType[name.upper()]
    except KeyError:
        choices = ", ".join(t.name.lower() for t in DocumentType)
        raise invalid("QUERY", "type", f"{name!r} is not a document type ({choices})") from None


def _statuses(names: list[str], overdue: bool) -> frozenset[Status]:
    wanted = set()
    for name in names:
        try:
            wanted.add(Status(name))
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            raise invalid("QUERY", "status", f"{name!r} is not a status ({choices})") from None
    if overdue:
        wanted.add(Status.OVERDUE)
    return frozenset(wanted)


def _cursor(text: str | None) -> int:
    if not text:
        return 0
    if not text.isdigit() or len(text) > 18:
        raise invalid("QUERY", "cursor", "not a cursor given by this API")
    return int(text)


@router.get("/documents", response_model=schemas.DocumentPage, summary="List documents, oldest first")
def list_documents(
    who: Read,
    app: AppDep,
    type: Annotated[str | None, Query(description="invoice, credit_note, quote, ...")] = None,
    status: Annotated[list[str], Query(description="issued, partially_paid, paid, overdue, credited")] = [],  # noqa: B006
    overdue: Annotated[bool, Query(description="only overdue invoices")] = False,
    customer: Annotated[str, Query(description="part of the buyer's name", max_length=200)] = "",
    issued_from: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    issued_to: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    expand: Annotated[list[Literal["payments"]], Query(description="payments: each row with its payments")] = [],  # noqa: B006
) -> dict[str, Any]:
    where = DocumentFilter(
        document_type=_type(type),
        issued_from=day(issued_from, "issued_from") if issued_from else None,
        issued_to=day(issued_to, "issued_to") if issued_to else None,
        buyer=customer,
    )
    wanted = _statuses(status, overdue)
    page = page_documents(app.issuer, who.account_id, where, _cursor(cursor), limit, wanted, "payments" in expand)
    data = [summary_json(r, page.balances) for r in page.rows]
    if page.payments is not None:
        for row, shown in zip(page.rows, data, strict=True):
            shown["payments"] = [payment_json(p) for p in page.payments.get(str(row.id), [])]
    return {"data": data, "next_cursor": None if page.next_after is None else str(page.next_after)}


@router.get("/documents/{number}", response_model=schemas.DocumentOut, summary="A document, its balance and files")
def get_document(number: str, who: Read, app: AppDep) -> dict[str, Any]:
    shown = show_document(app.issuer, who.account_id, number)
    return document_json(shown.stored, shown)


@router.get(
    "/documents/{number}/files/{name}",
    summary="Download a file: pdf (the Factur-X PDF), cii, ubl, json, or an archived name (paid-1.pdf...)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "application/xml": {}, "application/json": {}}}},
)
def download(number: str, name: str, who: Read, app: AppDep) -> Response:
    shown = show_document(app.issuer, who.account_id, number)
    wanted = FILE_NAMES.get(name, name)
    if name == "paid":
        paid = [a for a in shown.stored.artefacts if a.name.startswith("paid-")]
        wanted = paid[-1].name if paid else "paid"
    if wanted == "document.json":
        return Response(canonical_bytes(shown.stored.document), media_type="application/json")
    found = [a for a in shown.stored.artefacts if a.name == wanted and a.name != "request.json"]
    if not found:
        raise NotFound(f"document {number} has no file {name!r}")
    artefact = found[-1]
    data = app.db.blobs.get(artefact.sha256)
    disposition = f'attachment; filename="{number}-{artefact.name}"'
    return Response(data, media_type=artefact.media_type, headers={"content-disposition": disposition})


def order_schema() -> dict[str, Any]:
    """The order's JSON Schema (the `Order` component), with its definitions as components."""
    return OrderIn.model_json_schema(ref_template="#/components/schemas/{model}")
