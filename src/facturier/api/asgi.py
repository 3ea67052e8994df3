"""The ASGI entry of `facturier serve` (and of any ASGI server): `uvicorn --factory facturier.api.asgi:create`.

Each process builds its own application from the environment (FACTURIER_*), so several
processes on one or many machines serve the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import uvicorn

from facturier.api.app import create_app
from facturier.bootstrap import build


def create() -> Any:
    return create_app(build())


class GracefulServer(uvicorn.Server):
    """uvicorn's server for `facturier serve`: SIGTERM/SIGINT also call `on_stop` (the jobs
    thread finishes its job in hand), and after that graceful stop the process exits 0;
    uvicorn alone re-raises the signal once done, so a stopped service would look killed."""

    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_stop = on_stop

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.on_stop()
        super().handle_exit(sig, frame)
        self._captured_signals.clear()  # a handled stop, not a death by signal
