"""What routes share: the application, the caller, scope checks, languages, bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request

from facturier.api.problems import language, pointer
from facturier.bootstrap import App
from facturier.domain.errors import InvalidInput, NotFound, Violation, invalid
from facturier.services.api_keys import Caller
from facturier.services.orders import order_path


class Forbidden(Exception):
    """The key's scope does not allow this route (403)."""

    def __init__(self, needed: str, scope: str) -> None:
        super().__init__(f"this route needs a key with scope {needed!r}; this key has {scope!r}")


def application(request: Request) -> App:
    return request.app.state.application  # type: ignore[no-any-return]


def caller(request: Request) -> Caller:
    found: Caller | None = getattr(request.state, "caller", None)
    if found is None:  # the Authenticate middleware lets no request through without one
        raise NotFound("no caller")
    return found


def needs(scope: str) -> Callable[[Request], Caller]:
    """A dependency: the caller, if their key's scope is at least `scope` (read < write < admin)."""

    def check(request: Request) -> Caller:
        who = caller(request)
        if not who.allows(scope):
            raise Forbidden(scope, who.scope)
        return who

    return check


def lang(request: Request) -> str:
    return language(request.headers.get("accept-language", ""))


def body_bytes(request: Request) -> bytes:
    return getattr(request.state, "body", b"")  # read by the BodyLimit middleware


def json_body(request: Request) -> Any:
    """The body as JSON, numbers as exact Decimals (never floats). Raw control characters inside
    strings pass the parser, so that the field check names the field (as parse_order does)."""
    raw = body_bytes(request)
    try:
        return json.loads(raw or b"{}", parse_float=Decimal, strict=False)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid("JSON", "$", f"malformed JSON: {exc}") from None


def decimal(text: str | None, path: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise invalid("NUMBER", path, f"{text!r} is not a number") from None
    if not value.is_finite():
        raise invalid("NUMBER", path, f"{text!r} is not a number")
    return value


def day(text: str, path: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise invalid("DATE", path, f"{text!r} is not a date (YYYY-MM-DD)") from None


def in_order_terms(action: Any, prefix: str = "") -> Any:
    """Violations named by the order's own fields (customer.siren, not buyer.siren), as pointers."""
    try:
        return action()
    except InvalidInput as exc:
        raise type(exc)(_renamed(v, prefix) for v in exc.violations) from None


def _renamed(v: Violation, prefix: str) -> Violation:
    label, sep, path = v.path.partition(": ")  # issuing prefixes a batch member's label
    where = prefix if not sep else label
    field = path if sep else v.path
    return Violation(v.rule_id, where + pointer(order_path(field)), v.message)
