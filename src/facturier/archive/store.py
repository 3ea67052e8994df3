"""A content-addressed file store: bytes are kept under their SHA-256.

Layout: ``<root>/<sha[:2]>/<sha[2:]>``. Writes go to a temporary file, then are renamed
into place, so a crash never leaves a half-written artefact under a valid name. Durability:
either each file is fsynced (`put(durable=True)`), or a transaction writes its files with
`durable=False` and calls `sync()` once before it commits (one sync(2) per batch).
A file written for a transaction that later rolls back is an orphan, never a lie: its
name is its hash, and nothing in the ledger points to it.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from pathlib import Path

from facturier.domain.errors import IntegrityError


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._counter = itertools.count()
        self._unsynced = False

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, data: bytes, durable: bool = True) -> str:
        """Store `data`; with durable=False the caller must call `sync()` before relying on it."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists() and target.stat().st_size == len(data):
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".tmp-{target.name}-{os.getpid()}-{next(self._counter)}")
        try:
            with open(tmp, "xb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._unsynced = self._unsynced or not durable
        return sha

    def sync(self) -> None:
        """Make every non-durable write durable (one sync(2) for a whole batch of files)."""
        if self._unsynced:
            os.sync()
            self._unsynced = False

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
