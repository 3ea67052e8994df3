"""What every request goes through before a route: an id and a log line, a bounded body,
the caller's key, its rate, and the replay of idempotent POSTs.

Pure ASGI middlewares (no buffering of responses but the idempotent ones), outermost first:
`RequestLog` > `BodyLimit` > `Authenticate` > `Idempotency` > the routes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import math
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from facturier.api.problems import language, problem
from facturier.services.api_keys import Caller, authenticate
from facturier.storage.api_keys import ApiKeyRepository
from facturier.storage.idempotency import IdempotencyStore, StoredResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("facturier.api")
PUBLIC_PATHS = ("/health", "/ready", "/openapi.json", "/docs", "/docs/")
PUBLIC_PREFIXES = ("/static/",)


def state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})  # type: ignore[no-any-return]


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


async def send_response(send: Send, response: Any) -> None:
    """Send a Starlette Response from a middleware (outside the routing)."""
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def _lang(scope: Scope) -> str:
    return language(header(scope, b"accept-language"))


class RequestLog:
    """A request id (kept from `X-Request-Id` if sane, else new), echoed in the response, and
    one JSON log line per request: method, path, status, duration, key id. An error nobody
    caught becomes a 500 problem naming the request id, and its traceback goes to the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = header(scope, b"x-request-id")
        request_id = given if 0 < len(given) <= 64 and given.replace("-", "").isalnum() else uuid.uuid4().hex
        state(scope)["request_id"] = request_id
        started, seen = time.perf_counter(), {"status": 500, "sent": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"], seen["sent"] = message["status"], True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.error(json.dumps({"request_id": request_id, "error": traceback.format_exc(limit=20)}))
            if not seen["sent"]:
                await send_response(send_with_id, problem(500, "internal error", request_id=request_id))
        finally:
            caller = state(scope).get("caller")
            line = {
                "request_id": request_id,
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": seen["status"],
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "key_id": caller.key_id if caller else None,
            }
            log.info(json.dumps(line))


class BodyLimit:
    """Reads the whole body before the route, refusing more than `max_bytes` (413) or a client
    that sends it slower than `read_timeout` seconds between chunks (408); the routes and the
    idempotency fingerprint then read the same bytes (`state["body"]`)."""

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        request_id = state(scope).get("request_id", "")
        declared = header(scope, b"content-length")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await send_response(send, _too_large(self.max_bytes, request_id))
            return
        chunks, size = [], 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                await send_response(
                    send, problem(408, "the request body did not arrive in time", request_id=request_id)
                )
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_response(send, _too_large(self.max_bytes, request_id))
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        state(scope)["body"] = body
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _too_large(limit: int, request_id: str) -> Any:
    return problem(413, f"the request body is larger than the {limit} bytes accepted", request_id=request_id)


@dataclass
class RateLimiter:
    """A token bucket per API key, in this process: `rate` requests per second, bursts of `burst`.

    Per process: N `serve` processes behind a balancer allow up to N times the rate in all.
    """

    rate: float
    burst: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str, now: float) -> float:
        """0 if the request may go now (a token is taken), else the seconds until one is there."""
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


class Authenticate:
    """`Authorization: Bearer fct_...` on every route but the public ones; 401 without a valid
    key, 429 with `Retry-After` past the key's rate. The caller is `state["caller"]`."""

    def __init__(self, app: ASGIApp, keys: ApiKeyRepository, clock: Callable[[], datetime], limiter: RateLimiter):
        self.app = app
        self.keys = keys
        self.clock = clock
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            await self.app(scope, receive, send)
            return
        request_id = state(scope).get("request_id", "")
        scheme, _, token = header(scope, b"authorization").partition(" ")
        caller: Caller | None = None
        if scheme.lower() == "bearer" and token.strip():
            caller = await run_in_threadpool(authenticate, self.keys, token.strip(), self.clock())
        if caller is None:
            detail = "a valid API key is needed: Authorization: Bearer fct_..."
            challenge = {"www-authenticate": 'Bearer realm="facturier"'}
            await send_response(send, problem(401, detail, headers=challenge, request_id=request_id))
            return
        wait = self.limiter.wait(caller.key_id, time.monotonic())
        if wait > 0:
            retry = {"retry-after": str(max(1, math.ceil(wait)))}
            detail = f"more than {self.limiter.rate:g} requests per second with this key"
            await send_response(send, problem(429, detail, headers=retry, request_id=request_id))
            return
        state(scope)["caller"] = caller
        await self.app(scope, receive, send)


class Idempotency:
    """`Idempotency-Key` on a POST (IETF draft "The Idempotency-Key HTTP Header Field"): the
    first response is stored with a fingerprint of the request (method, path, query, body) for
    24 h and replayed to retries (`Idempotent-Replayed: true`); the same key with another
    request is refused 422; a retry while the first is still running gets 409. A 5xx is not
    stored: the retry runs again. Keys belong to the caller's account."""

    def __init__(self, app: ASGIApp, store: IdempotencyStore, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.store = store
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, b"idempotency-key")
        caller: Caller | None = state(scope).get("caller")
        if scope["type"] != "http" or scope.get("method") != "POST" or not key or caller is None:
            await self.app(scope, receive, send)
            return
        request_id = state(scope).get("request_id", "")
        if len(key) > 255:
            errors = [{"rule_id": "IDEMPOTENCY-KEY", "pointer": "", "path": "Idempotency-Key", "message": "too long"}]
            await send_response(send, problem(400, "Idempotency-Key is longer than 255 characters", errors=errors))
            return
        fingerprint = _fingerprint(scope)
        claim = await run_in_threadpool(self.store.claim, caller.account_id, key, fingerprint, self.clock())
        if claim.outcome != "new":
            await send_response(send, _answer(claim.outcome, claim.response, _lang(scope), request_id))
            return
        await self._run(scope, receive, send, caller.account_id, key)

    async def _run(self, scope: Scope, receive: Receive, send: Send, account_id: str, key: str) -> None:
        captured: dict[str, Any] = {"body": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]]
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            await run_in_threadpool(self.store.release, account_id, key)
            raise
        status = int(captured.get("status", 500))
        if status >= 500:
            await run_in_threadpool(self.store.release, account_id, key)
            return
        kept = {k: v for k, v in captured.get("headers", []) if k.lower() in ("content-type", "location")}
        media_type = kept.pop("content-type", "application/json")
        stored = StoredResponse(status, media_type, b"".join(captured["body"]), kept)
        await run_in_threadpool(self.store.finish, account_id, key, stored)


def _fingerprint(scope: Scope) -> str:
    digest = hashlib.sha256()
    for part in (scope.get("method", ""), scope.get("path", ""), scope.get("query_string", b"").decode("latin-1")):
        digest.update(part.encode() + b"\0")
    digest.update(state(scope).get("body", b""))
    return digest.hexdigest()


def _answer(outcome: str, stored: StoredResponse | None, lang: str, request_id: str) -> Any:
    if outcome == "replay" and stored is not None:
        headers = {**stored.headers, "idempotent-replayed": "true"}
        return Response(stored.body, stored.status_code, headers, media_type=stored.media_type)
    if outcome == "mismatch":
        message = {
            "en": "this Idempotency-Key was used for a different request",
            "fr": "cette Idempotency-Key a servi pour une autre requête",
        }[lang]
        errors = [{"rule_id": "IDEMPOTENCY-MISMATCH", "pointer": "", "path": "Idempotency-Key", "message": message}]
        return problem(422, message, errors=errors, request_id=request_id)
    message = {
        "en": "a request with this Idempotency-Key is still being processed: retry later",
        "fr": "une requête avec cette Idempotency-Key est en cours : réessayez plus tard",
    }[lang]
    return problem(409, message, slug="request-in-flight", headers={"retry-after": "1"}, request_id=request_id)
