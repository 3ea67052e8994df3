"""E-invoice and PDF commands: `facturier validate`, `facturier read`, ... (registered on the main app)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main `facturier` app."""
