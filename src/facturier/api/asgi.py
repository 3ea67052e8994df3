"""The ASGI entry of `facturier serve` (and of any ASGI server): `uvicorn --factory facturier.api.asgi:create`.

Each process builds its own application from the environment (FACTURIER_*), so several
processes on one or many machines serve the same database.
"""

from __future__ import annotations

from typing import Any

from facturier.api.app import create_app
from facturier.bootstrap import build


def create() -> Any:
    return create_app(build())
