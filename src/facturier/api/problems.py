"""Errors as `application/problem+json` (RFC 9457), every violation at once.

    {"type": "urn:facturier:problem:invalid-input", "title": "Invalid input", "status": 422,
     "detail": "2 problems", "request_id": "...",
     "errors": [{"rule_id": "BR-CO-17", "pointer": "/lines/0/vat_rate", "path": "lines[0].vat_rate",
                 "message": "..."}]}

`pointer` is a JSON Pointer (RFC 6901) into the request body, so a client can put the message
next to the field it sent; `path` is the same field as the CLI names it. Messages are in the
caller's language (`Accept-Language`, fr or en; einvoice.explain).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.responses import Response

from facturier.domain.errors import Conflict, FacturierError, IntegrityError, InvalidInput, NotFound, Violation
from facturier.einvoice.explain import LANGUAGES, explained

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    408: "Request timeout",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Not ready",
}


def language(accept_language: str) -> str:
    """The first of fr/en the caller accepts (q-values honoured), English otherwise."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                quality = float(match.group(1))  # a preference weight, not money
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, i, primary))
    return sorted(ranked)[0][2] if ranked else "en"


def pointer(path: str) -> str:
    """`lines[2].quantity` -> `/lines/2/quantity`; `$` (the whole body) -> `` (RFC 6901)."""
    if path in ("", "$"):
        return ""
    parts = re.findall(r"\[(\d+)\]|([^.\[\]]+)", path)
    tokens = [index or name for index, name in parts]
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def violations_json(violations: Iterable[Violation], lang: str, prefix: str = "") -> list[dict[str, str]]:
    shown = []
    for v in violations:
        said = explained(v, lang)
        location = pointer(v.path) if not v.path.startswith("/") else v.path
        shown.append({"rule_id": v.rule_id, "pointer": prefix + location, "path": v.path, "message": said.message})
    return shown


def problem(
    status: int,
    detail: str,
    *,
    slug: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
    request_id: str = "",
) -> Response:
    body: dict[str, Any] = {
        "type": f"urn:facturier:problem:{slug or TITLES.get(status, 'error').lower().replace(' ', '-')}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if request_id:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status, dict(headers or {}), media_type=MEDIA_TYPE)


def from_error(exc: FacturierError, lang: str, request_id: str = "", prefix: str = "") -> Response:
    """The response of a refusal: 409 Conflict, 422 InvalidInput, 404 NotFound, 500 IntegrityError."""
    if isinstance(exc, InvalidInput):
        status = 409 if isinstance(exc, Conflict) else 422
        errors = violations_json(exc.violations, lang, prefix)
        detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} problems, listed in errors"
        return problem(status, detail, errors=errors, request_id=request_id)
    if isinstance(exc, NotFound):
        return problem(404, str(exc), request_id=request_id)
    slug = "integrity-error" if isinstance(exc, IntegrityError) else "error"
    return problem(500, str(exc), slug=slug, request_id=request_id)
