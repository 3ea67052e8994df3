"""A content-addressed file store: bytes are kept under their SHA-256.

Layout: ``<root>/<sha[:2]>/<sha[2:]>``. Writes go to a temporary file, are fsynced, then
renamed into place, so a crash never leaves a half-written artefact under a valid name.
A file written for a transaction that later rolls back is an orphan, never a lie: its
name is its hash, and nothing in the ledger points to it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from facturier.domain.errors import IntegrityError


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists() and target.stat().st_size == len(data):
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes:
        """The stored bytes, checked against their name."""
        data = self.read_raw(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise IntegrityError(f"archived file {sha256} does not match its SHA-256")
        return data

    def read_raw(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise IntegrityError(f"archived file {sha256} is missing") from None
