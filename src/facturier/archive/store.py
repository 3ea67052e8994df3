"""A content-addressed file store: bytes are kept under their SHA-256.

Layout: ``<root>/<sha[:2]>/<sha[2:]>``. Writes go to a temporary file, then are renamed
into place, so a crash never leaves a half-written artefact under a valid name. Durability:
either each file is fsynced (`put(durable=True)`), or a transaction writes its files with
`durable=False` and calls `sync()` once before it commits (one syncfs(2) per batch).
A file written for a transaction that later rolls back is an orphan, never a lie: its
name is its hash, and nothing in the ledger points to it.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import os
from collections.abc import Callable
from pathlib import Path

from facturier.domain.errors import IntegrityError


def _syncfs() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):  # not Linux/glibc
        return None
    return function


_SYNCFS = _syncfs()


def _sync_filesystem(root: Path) -> None:
    if _SYNCFS is None:
        os.sync()
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"syncfs of {root} failed: {os.strerror(error)}")
    finally:
        os.close(fd)


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
        """Make every non-durable write durable: one syncfs(2) of the archive's filesystem for a
        whole batch of files (their data, the renames and the new directories), where the system
        has it, else sync(2), which flushes every filesystem of the host."""
        if self._unsynced:
            _sync_filesystem(self.root)
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
