"""The tamper-evident hash chain: hash_n = SHA-256(hash_{n-1} || canonical_bytes_n).

The first record chains from `GENESIS` (32 zero bytes). Each record also carries the
SHA-256 of the artefact bytes it archives (the canonical JSON today; PDF and XML later),
so altering either the record or a stored file breaks verification at that record.
"""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chain_hash(previous: str, payload: bytes) -> str:
    """SHA-256 over the previous hash (32 raw bytes) followed by the payload bytes."""
    return hashlib.sha256(bytes.fromhex(previous) + payload).hexdigest()
