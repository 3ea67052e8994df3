"""`facturier tax ...` and `facturier report ...` commands (VAT decisions, OSS return)."""

from __future__ import annotations

import typer

tax_app = typer.Typer(no_args_is_help=True, help="VAT decisions: which country, rate, category and mention.")
report_app = typer.Typer(no_args_is_help=True, help="Tax reports (OSS return).")
