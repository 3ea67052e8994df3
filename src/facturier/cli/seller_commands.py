"""`facturier seller ...`: the seller profile after `init` (services/seller_profile.py).

facturier seller update seller.json     # a new version, recorded in the ledger
facturier seller history                # the versions, with their SHA-256
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from facturier.bootstrap import build
from facturier.cli import output
from facturier.cli.common import cli_language, handled, read_input
from facturier.services.seller_profile import profile_history, update_profile

seller_app = typer.Typer(no_args_is_help=True, help="The seller profile: update it, list its versions.")


@seller_app.command("update")
@handled
def update(
    file: Annotated[Path, typer.Argument(help="seller profile JSON, the format of `init --from`")],
    as_json: Annotated[bool, typer.Option("--json", help="print the version as JSON")] = False,
) -> None:
    """Change the seller profile: a new version, recorded in the ledger; documents keep theirs."""
    application = build()
    account_id = application.account_id()
    update = update_profile(
        application.db,
        account_id,
        read_input(file),
        application.clock,
        file.parent,
        application.issuer.steps,
        cli_language(),
    )
    version = update.version
    if as_json:
        output.print_json(
            {
                "version": version.version,
                "sha256": version.sha256,
                "changed": update.changed,
                "recorded_at": version.recorded_at,
                "ledger_seq": version.ledger_seq,
            }
        )
    elif update.changed:
        output.console.print(
            f"Seller profile version [bold]{version.version}[/] recorded (ledger record #{version.ledger_seq}, "
            f"SHA-256 {version.sha256[:12]}...) for {escape(update.profile.party.name)}"
        )
    else:
        output.console.print(f"Seller profile unchanged: still version {version.version}")


@seller_app.command("history")
@handled
def history(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The versions of the seller profile, oldest first."""
    application = build()
    versions = profile_history(application.db, application.account_id())
    rows = [
        {"version": v.version, "sha256": v.sha256, "recorded_at": v.recorded_at, "ledger_seq": v.ledger_seq}
        for v in versions
    ]
    if as_json:
        output.print_json(rows)
        return
    for row in rows:
        seq = f"ledger #{row['ledger_seq']}" if row["ledger_seq"] is not None else "created with the account"
        output.console.print(f"{row['version']:>4}  {row['recorded_at']}  {row['sha256']}  {seq}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `facturier seller ...` to the main app."""
    app.add_typer(seller_app, name="seller")
