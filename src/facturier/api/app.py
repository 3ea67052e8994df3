"""`create_app(application)`: the FastAPI application of `facturier serve`.

GET  /health, /ready          liveness, readiness (database reachable, schema current)
GET  /openapi.json, /docs     OpenAPI 3.1 and its interactive page (assets from the package)
/v1/...                       the API, behind `Authorization: Bearer fct_...`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from facturier import __version__
from facturier.api import account, customers, documents, inbound, webhooks
from facturier.api.deps import Forbidden, lang
from facturier.api.middleware import Authenticate, BodyLimit, Idempotency, RateLimiter, RequestLog
from facturier.api.problems import from_error, problem
from facturier.api.schemas import Problem
from facturier.bootstrap import App
from facturier.domain.errors import FacturierError, InvalidInput, Violation
from facturier.storage.idempotency import IdempotencyStore

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"  # Swagger UI 5, shipped in a PyPI package


def create_app(application: App) -> Any:
    settings = application.settings
    api = FastAPI(
        title="Facturier API",
        version=__version__,
        summary="Compliant invoices for online sellers: issue, pay, credit, download, verify.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.application = application
    api.include_router(documents.router)
    api.include_router(account.router)
    api.include_router(webhooks.router)
    api.include_router(customers.router)
    api.include_router(inbound.router)
    api.mount("/static/docs", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    _public_routes(api, application)
    _error_handlers(api)
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    limiter = RateLimiter(rate=settings.api_rate_limit, burst=settings.api_rate_burst)
    inner = Idempotency(api, IdempotencyStore(application.db.engine), application.clock)
    inner = Authenticate(inner, application.keys, application.clock, limiter)
    return RequestLog(BodyLimit(inner, settings.api_max_body_bytes, settings.api_read_timeout))


def _public_routes(api: FastAPI, application: App) -> None:
    @api.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/ready", include_in_schema=False)
    def ready() -> Response:
        try:
            with application.db.engine.connect() as conn:
                revision = conn.execute(text("select version_num from alembic_version")).scalar_one()
            counts = application.db.jobs.counts()
        except Exception as exc:  # not ready: say why, without a traceback
            return problem(503, f"database not reachable: {exc.__class__.__name__}")
        return JSONResponse({"status": "ready", "database": application.db.dialect, "schema": revision, "jobs": counts})

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Facturier API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def _error_handlers(api: FastAPI) -> None:
    @api.exception_handler(FacturierError)
    async def refused(request: Request, exc: FacturierError) -> Response:
        return from_error(exc, lang(request), _request_id(request))

    @api.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return problem(403, str(exc), request_id=_request_id(request))

    @api.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Response:
        violations = [Violation("SCHEMA", _location(err["loc"]), err["msg"]) for err in exc.errors()]
        return from_error(InvalidInput(violations), lang(request), _request_id(request))

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return problem(exc.status_code, str(exc.detail), headers=exc.headers, request_id=_request_id(request))


def _location(loc: tuple[Any, ...]) -> str:
    """FastAPI's ("body", "amount") -> "/amount"; ("query", "limit") -> "limit" (a parameter)."""
    where, *rest = loc or ("body",)
    if where == "body":
        return "/" + "/".join(str(p) for p in rest)
    return ".".join(str(p) for p in rest) or str(where)


def _openapi(api: FastAPI) -> dict[str, Any]:
    if api.openapi_schema:
        return api.openapi_schema
    schema = get_openapi(title=api.title, version=api.version, summary=api.summary, routes=api.routes)
    components = schema.setdefault("components", {})
    order = documents.order_schema()
    definitions = order.pop("$defs", {})
    components.setdefault("schemas", {}).update({**definitions, "Order": order})
    components["securitySchemes"] = {"apiKey": {"type": "http", "scheme": "bearer", "description": "fct_..."}}
    schema["security"] = [{"apiKey": []}]
    problem_response = {
        "description": "A problem (RFC 9457)",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    components["schemas"]["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for path in schema["paths"].values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status in ("401", "403", "404", "409", "413", "429"):
                responses.setdefault(status, problem_response)
            responses["422"] = problem_response  # not FastAPI's own shape: every 422 here is a problem
    api.openapi_schema = schema
    return schema
