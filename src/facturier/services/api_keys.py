"""API keys: one account each, a scope, shown once, stored hashed, revocable.

A key reads `fct_<id>_<secret>`: the `fct_` prefix makes a leaked key recognisable (secret
scanners, logs), `<id>` (12 characters) finds the row without revealing anything, `<secret>`
(32 random bytes, URL-safe base64) is checked against its stored SHA-256 in constant time.
A slow password hash is not needed: the secret has 256 bits of entropy, nothing to guess.

Scopes nest: `read` < `write` < `admin`. read: GET everything of the account; write: issue,
pay, credit, convert; admin: keys, webhook endpoints, the seller profile, verify, jobs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from facturier.domain.errors import NotFound, invalid
from facturier.storage.api_keys import ApiKeyRepository, KeyRow
from facturier.storage.service_tables import stamp

PREFIX = "fct_"
SCOPES = ("read", "write", "admin")
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is precise to this, so a GET does not write each time


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's account is the only one its requests can see."""

    account_id: str
    key_id: str
    scope: str

    def allows(self, needed: str) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(needed)


def create_key(keys: ApiKeyRepository, account_id: str, name: str, scope: str, now: datetime) -> tuple[KeyRow, str]:
    """A new key: its row and the full token, which is never stored and cannot be shown again."""
    if scope not in SCOPES:
        raise invalid("APIKEY-SCOPE", "scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
    if not name.strip() or len(name) > 100:
        raise invalid("APIKEY-NAME", "name", "a key needs a name of 1 to 100 characters (who or what uses it)")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    row = KeyRow(key_id, account_id, name.strip(), scope, _digest(secret), stamp(now), None, None)
    keys.add(row)
    return row, f"{PREFIX}{key_id}_{secret}"


def authenticate(keys: ApiKeyRepository, token: str, now: datetime) -> Caller | None:
    """The caller a token names, or None (unknown, malformed, revoked or wrong secret)."""
    if not token.startswith(PREFIX):
        return None
    key_id, sep, secret = token[len(PREFIX) :].partition("_")
    if not sep or len(key_id) != 12:
        return None
    row = keys.get(key_id)
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return None
    if row.last_used_at is None or row.last_used_at < stamp(now - TOUCH_EVERY):
        keys.touch(row.id, stamp(now), stamp(now - TOUCH_EVERY))  # a write at most once a minute per key
    return Caller(row.account_id, row.id, row.scope)


def revoke_key(keys: ApiKeyRepository, account_id: str, key_id: str, now: datetime) -> None:
    if not keys.revoke(account_id, key_id, stamp(now)):
        raise NotFound(f"no active API key {key_id!r} in this account")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
