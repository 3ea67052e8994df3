"""`facturier inbox ...`: e-invoices received from suppliers, kept whatever their validity.

facturier inbox add invoice.xml factur-x.pdf    # validate, read and keep (the same bytes: once)
facturier inbox list --invalid                  # newest first; --valid / --invalid filter
facturier inbox show ENTRY_ID                   # what was read, and the validation report
facturier inbox export ENTRY_ID --out DIR       # the file as received, checked against its SHA-256

Exit codes of `add`, as for `validate`: 0 every file kept and valid, 1 kept but failing
validation (the report says why), 2 a file that is no e-invoice at all was refused (nothing
kept for it; the other files are still added). See docs/inbox.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from facturier.bootstrap import App, build
from facturier.cli import output
from facturier.cli.common import handled, read_input
from facturier.domain.errors import FacturierError, InvalidInput
from facturier.domain.text import escape_hidden
from facturier.services import inbox as service

inbox_app = typer.Typer(no_args_is_help=True, help="Received supplier e-invoices (CII, UBL, Factur-X PDF).")


def _app() -> App:
    return build()


@inbox_app.command("add")
def add(
    files: Annotated[list[Path], typer.Argument(help="XML (CII, UBL) or PDF (Factur-X, ZUGFeRD) files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file")] = False,
) -> None:
    """Keep received e-invoices: validated and read, stored even when invalid, identical files once."""
    application = _app()
    account_id = application.account_id()
    results, worst = [], 0
    for path in files:
        result, code = _add_one(application, account_id, path, as_json)
        results.append(result)
        worst = max(worst, code)
    if as_json:
        output.print_json(results)
    raise typer.Exit(worst)


def _add_one(application: App, account_id: str, path: Path, as_json: bool) -> tuple[dict[str, Any], int]:
    """One file: its JSON result and exit code; a refusal is reported and the next file still added."""
    try:
        data = read_input(path)
        entry, created = service.receive(application.db, account_id, data, path.name, application.clock())
    except FacturierError as exc:
        if not as_json:
            detail = "; ".join(str(v) for v in exc.violations) if isinstance(exc, InvalidInput) else str(exc)
            output.errors.print(escape_hidden(f"error: {path}: {detail}"), markup=False, soft_wrap=True)
        return {"file": str(path), **output.error_json(exc)}, 2
    if not as_json:
        _print_added(path, entry, created)
    return {"file": str(path), "created": created, **service.entry_plain(entry)}, 0 if entry.ok else 1


def _print_added(path: Path, entry: service.InboxEntry, created: bool) -> None:
    verdict = "valid" if entry.ok else "INVALID (kept; `facturier inbox show` for the report)"
    what = "added" if created else "already received"
    line = f"{path}: {what} as {entry.id} ({entry.syntax}, {entry.number or 'no number read'}): {verdict}"
    output.console.print(escape_hidden(line), markup=False, highlight=False, soft_wrap=True)


@inbox_app.command("list")
@handled
def list_entries(
    valid: Annotated[bool | None, typer.Option("--valid/--invalid", help="only the valid, or only the others")] = None,
    limit: Annotated[int, typer.Option(min=1, max=service.MAX_PAGE)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The received e-invoices, newest first."""
    application = _app()
    found = service.list_inbox(application.db, application.account_id(), limit, offset, valid)
    if as_json:
        output.print_json([service.entry_plain(e) for e in found])
        return
    table = output.listing(
        f"{len(found)} received e-invoices",
        ("Id", "Received", "Seller", "Number", "Date", "Total", "Syntax", "Valid", "File"),
        whole=("Id", "Received", "Date", "Total", "Valid"),
        right=("Total",),
    )
    for e in found:
        total = f"{e.total} {e.currency}" if e.total is not None else ""
        day = e.issue_date.isoformat() if e.issue_date else ""
        valid_text = "yes" if e.ok else "no"
        table.add_row(
            e.id, e.received_at, e.seller_name or "", e.number or "", day, total, e.syntax, valid_text, e.filename
        )
    output.console.print(table)


@inbox_app.command("show")
@handled
def show(
    entry_id: Annotated[str, typer.Argument(help="the entry's id (from `inbox add` or `inbox list`)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One received e-invoice: what was read from it and its validation report."""
    application = _app()
    shown = service.shown_entry(application.db, application.account_id(), entry_id)
    if as_json:
        output.print_json(shown)
        return
    _print_entry(shown)


def _print_entry(shown: dict[str, Any]) -> None:
    lines = [
        f"Entry {shown['id']}: {shown['filename']} ({shown['syntax']}, {shown['size']} bytes)",
        f"Received: {shown['received_at']}",
        f"SHA-256: {shown['sha256']}",
        f"Seller: {shown['seller_name'] or '-'} (VAT {shown['seller_vat_id'] or '-'})",
        f"Number: {shown['number'] or '-'}, issued {shown['issue_date'] or '-'}, total {shown['total'] or '-'} "
        f"{shown['currency'] or ''}".rstrip(),
        f"Valid: {'yes' if shown['ok'] else 'no'}",
    ]
    output.console.print(escape_hidden("\n".join(lines), multiline=True), markup=False, highlight=False, soft_wrap=True)
    violations = shown["report"].get("violations", [])
    if violations:
        table = output.listing("", ("Rule", "Severity", "Where", "What is wrong"), whole=("Severity",))
        for v in violations:
            table.add_row(v["rule_id"], v["severity"], v["location"], v["message"])
        output.console.print(table)


@inbox_app.command("export")
@handled
def export(
    entry_id: Annotated[str, typer.Argument(help="the entry's id")],
    out: Annotated[Path, typer.Option("--out", help="directory to copy the file into")] = Path("."),
) -> None:
    """Copy a received file out, byte for byte as received (checked against its SHA-256)."""
    application = _app()
    data, _, filename = service.entry_file(application.db, application.account_id(), entry_id)
    out.mkdir(parents=True, exist_ok=True)
    target = out / (Path(filename).name or entry_id)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    output.console.print(escape_hidden(str(target)), markup=False, highlight=False, soft_wrap=True)
