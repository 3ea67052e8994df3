"""The `facturier` command line. Commands translate input and output; services decide.

Exit codes: 0 success, 1 integrity problem found by `verify`, 2 bad input (nothing written).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from facturier.bootstrap import App, build
from facturier.cli import (
    einvoice_commands,
    inbox_commands,
    jobs_commands,
    output,
    seller_commands,
    service_commands,
    tax_commands,
)
from facturier.cli.common import checked_text, cli_language, handled, order_violation, read_input, relabel
from facturier.cli.customer_commands import customer_app
from facturier.cli.webhook_commands import webhooks_app
from facturier.domain.codes import DocumentType
from facturier.domain.errors import InvalidInput, Violation, invalid
from facturier.services import verify as verify_service
from facturier.services.credit import credit_submission
from facturier.services.customers import read_order
from facturier.services.documents import list_documents as list_service
from facturier.services.documents import show_document
from facturier.services.issue import Issued
from facturier.services.issuing import issue as issue_submissions
from facturier.services.issuing import order_submission
from facturier.services.order_schema import OrderIn
from facturier.services.quotes import conversion_submission
from facturier.services.seller_profile import load_profile

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Facturier: compliant invoices for online sellers.")
schema_app = typer.Typer(no_args_is_help=True, help="Print the JSON Schema of an input format.")
app.add_typer(schema_app, name="schema")
app.add_typer(tax_commands.tax_app, name="tax")
app.add_typer(tax_commands.report_app, name="report")
app.add_typer(service_commands.apikey_app, name="apikey")
app.command("serve")(service_commands.serve)
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(inbox_commands.inbox_app, name="inbox")
app.add_typer(customer_app, name="customer")

EXAMPLE_SELLER = Path(__file__).resolve().parents[3] / "examples" / "seller.json"


def _app() -> App:
    return build()


@app.command()
@handled
def init(
    from_file: Annotated[
        Path | None, typer.Option("--from", help="seller profile JSON (see examples/seller.json)")
    ] = None,
    demo: Annotated[bool, typer.Option(help="use the demo seller of examples/seller.json")] = False,
    if_missing: Annotated[bool, typer.Option(help="do nothing if the account exists")] = False,
) -> None:
    """Create the seller account (profile from a file, the demo, or prompts)."""
    if from_file is None and not demo and not if_missing and not sys.stdin.isatty():
        raise _no_terminal()  # refused before anything is created, the data directory included
    application = _app()
    slug = application.settings.account
    if application.db.has_account(slug):
        if if_missing:
            output.console.print(
                f"Seller account [bold]{escape(slug)}[/] already exists in "
                f"{escape(application.settings.effective_database_url)}"
            )
            return
        raise invalid("INIT-EXISTS", "account", f"seller account {slug!r} already exists")
    raw = _seller_source(from_file, demo)
    logo_dir = from_file.parent if from_file else EXAMPLE_SELLER.parent  # a logo path is relative to its file
    today, steps = application.clock().date(), application.issuer.steps
    profile = load_profile(application.db, raw, logo_dir, today, steps, cli_language())
    application.db.create_account(slug, profile, application.clock().isoformat())
    output.console.print(
        f"Created seller account [bold]{escape(slug)}[/] for {escape(profile.party.name)} "
        f"in {application.settings.effective_database_url}"
    )


def _no_terminal() -> InvalidInput:
    """No terminal to prompt on (a script, a container, CI)."""
    return invalid("INIT-NO-TTY", "--from", "no terminal to ask the seller's details: give --from FILE or --demo")


def _seller_source(from_file: Path | None, demo: bool) -> bytes:
    if demo:
        return EXAMPLE_SELLER.read_bytes()
    if from_file is not None:
        return read_input(from_file)
    if not sys.stdin.isatty():  # `init --if-missing` on a new data directory, without a terminal
        raise _no_terminal()
    answers: dict[str, Any] = {
        "name": typer.prompt("Legal name"),
        "legal_form": typer.prompt("Legal form (SAS, SARL, EI...)", default=""),
        "siren": typer.prompt("SIREN", default=""),
        "vat_id": typer.prompt("Intra-EU VAT id", default=""),
        "address": {
            "line1": typer.prompt("Address"),
            "postcode": typer.prompt("Postcode"),
            "city": typer.prompt("City"),
            "country": typer.prompt("Country (ISO 3166 alpha-2)", default="FR"),
        },
        "iban": typer.prompt("IBAN for transfers", default=""),
    }
    return json.dumps(answers).encode()


@app.command()
@handled
def issue(
    files: Annotated[list[Path], typer.Argument(help="order JSON files, issued in this order")],
    as_json: Annotated[bool, typer.Option("--json", help="print the issued documents as JSON")] = False,
    no_render: Annotated[
        bool, typer.Option("--no-render", help="skip the PDF and XML files (the e-invoice is still validated)")
    ] = False,
) -> None:
    """Issue invoices (and the other kinds) from orders, all-or-nothing."""
    application = _app()
    if no_render:
        application.without_files()
    orders = [(str(path), _parse(path, application)) for path in files]
    _show_results(application, _issue_orders(application, orders), as_json)


def _parse(path: Path, application: App) -> OrderIn:
    """The order in the file, a stored customer's blocks in place of its `customer_id` (docs/customers.md)."""
    raw = read_input(path)
    return relabel(str(path), lambda: read_order(application.db, application.account_id(), raw))


def _issue_orders(application: App, orders: list[tuple[str, OrderIn]]) -> list[Issued]:
    submissions = [relabel(label, lambda o=order, lb=label: order_submission(o, lb)) for label, order in orders]
    languages = {label: order.customer.language if order.customer else "" for label, order in orders}
    try:
        return issue_submissions(application.issuer, application.account_id(), submissions)
    except InvalidInput as exc:  # issuing prefixes each violation with its order's file name
        raise type(exc)(_in_order_terms(v, languages) for v in exc.violations) from None


def _in_order_terms(v: Violation, languages: dict[str, str]) -> Violation:
    label, sep, path = v.path.partition(": ")
    if not sep:
        return v
    return order_violation(Violation(v.rule_id, path, v.message), label, languages.get(label, ""))


def _show_results(application: App, results: list[Issued], as_json: bool) -> None:
    path = application.db.blobs.path
    if as_json:
        output.print_json([output.document_json(r.stored, path) for r in results])
    else:
        output.console.print(output.issued_table(results, path))
        output.print_locations(results, path)


@app.command()
@handled
def quote(
    files: Annotated[list[Path], typer.Argument(help="order JSON files to quote")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue quotes (devis, own series, not tax documents) from orders."""
    application = _app()
    orders = [(str(p), _parse(p, application).model_copy(update={"kind": "quote"})) for p in files]
    _show_results(application, _issue_orders(application, orders), as_json)


@app.command()
@handled
def convert(
    quote_number: Annotated[str, typer.Argument(help="the quote to turn into an invoice")],
    allow_expired: Annotated[bool, typer.Option(help="convert even after the validity date")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Convert an accepted quote into an invoice (once)."""
    application = _app()
    submission = conversion_submission(quote_number, allow_expired)
    _show_results(application, issue_submissions(application.issuer, application.account_id(), [submission]), as_json)


@app.command()
@handled
def credit(
    number: Annotated[str, typer.Argument(help="the invoice to credit")],
    line: Annotated[
        list[str] | None, typer.Option(help="LINE_ID=QUANTITY to credit part of a line (repeatable)")
    ] = None,
    amount: Annotated[str | None, typer.Option(help="credit this amount, VAT included")] = None,
    reason: Annotated[str, typer.Option(help="printed on the credit note")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Issue a credit note: the whole invoice, some lines, or an amount."""
    application = _app()
    lines = _line_quantities(line) if line else None
    money = _decimal(amount, "amount") if amount is not None else None
    submission = credit_submission(number, lines=lines, amount=money, reason=checked_text(reason, "--reason"))
    _show_results(application, issue_submissions(application.issuer, application.account_id(), [submission]), as_json)


def _line_quantities(specs: list[str]) -> dict[str, Decimal]:
    result = {}
    for spec in specs:
        line_id, sep, quantity = spec.partition("=")
        if not sep:
            raise invalid("CLI-LINE", "--line", f"{spec!r}: expected LINE_ID=QUANTITY")
        result[line_id.strip()] = _decimal(quantity, f"--line {line_id}")
    return result


def _decimal(text: str, path: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise invalid("CLI-NUMBER", path, f"{text!r} is not a number") from None
    if not value.is_finite():
        raise invalid("CLI-NUMBER", path, f"{text!r} is not a number")
    return value


@app.command()
@handled
def show(
    number: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one issued document."""
    application = _app()
    shown = show_document(application.issuer, application.account_id(), number)
    stored = shown.stored
    data = output.document_json(stored, application.db.blobs.path, shown.balance, shown.payments)
    if as_json:
        output.print_json(data)
    else:
        output.console.print(output.document_panel(stored))
        currency = stored.document.currency
        balance = output.settlement_json(shown.balance, currency)
        figures = ", ".join(f"{k.replace('_', ' ')} {balance[k]} {currency}" for k in list(balance)[1:])
        output.console.print(f"Status: {balance['status']} ({figures})", markup=False, soft_wrap=True)
        output.console.print(output.artefacts_table(stored, application.db.blobs.path))


@app.command(name="list")
@handled
def list_documents(
    type_: Annotated[str | None, typer.Option("--type", help="invoice, credit_note, quote, ...")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List issued documents, oldest first."""
    application = _app()
    document_type = _document_type(type_) if type_ else None
    rows, balances = list_service(application.issuer, application.account_id(), document_type, limit, offset)
    if as_json:
        output.print_json([output.summary_json(r, balances.get(r.number)) for r in rows])
    else:
        output.console.print(output.summary_table(rows, balances))


def _document_type(name: str) -> DocumentType:
    try:
        return DocumentType[name.upper()]
    except KeyError:
        choices = ", ".join(t.name.lower() for t in DocumentType)
        raise invalid("CLI-TYPE", "--type", f"{name!r} is not a document type ({choices})") from None


@app.command()
@handled
def verify(
    no_files: Annotated[bool, typer.Option("--no-files", help="skip re-hashing the archived files")] = False,
    chain_only: Annotated[
        bool, typer.Option("--chain-only", help="only the chain: sequence, links, hashes, head (fast)")
    ] = False,
    workers: Annotated[int | None, typer.Option(min=1, max=16, help="processes for large ledgers")] = None,
    anchor: Annotated[
        list[str] | None, typer.Option(help="SEQ:HASH printed by an earlier verify and kept elsewhere (repeatable)")
    ] = None,
) -> None:
    """Re-check the whole ledger chain and the stored bytes; exit 1 on any corruption."""
    application = _app()
    anchors = _anchors(anchor or [])
    report = verify_service.verify_all(application.db, check_files=not no_files, chain_only=chain_only, workers=workers)
    account = application.account_id()
    report.problems[:0] = verify_service.check_anchors(application.db, account, anchors)
    if report.problems:
        first = report.problems[0]
        output.errors.print(f"Ledger verification FAILED: first broken: {first}", markup=False, soft_wrap=True)
        for problem in report.problems[1:20]:
            output.errors.print(f"  also: {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    output.console.print(
        f"[green]Ledger OK[/]: {report.stats.records} records, {report.stats.documents} documents, "
        f"{report.stats.files} archived files checked in {report.seconds:.2f} s"
    )
    seq, digest = report.heads.get(account, (0, ""))
    head = f"Head of seller {application.settings.account!r}: {seq}:{digest}"
    output.console.print(head, highlight=False, markup=False, soft_wrap=True)  # one line, to copy
    output.console.print("Keep it elsewhere; check it later with `facturier verify --anchor SEQ:HASH`.")


def _anchors(specs: list[str]) -> list[tuple[int, str]]:
    result = []
    for spec in specs:
        seq, sep, digest = spec.strip().partition(":")
        if not (sep and seq.isdigit() and len(digest) == 64):
            raise invalid("CLI-ANCHOR", "--anchor", f"{spec!r}: expected SEQ:HASH as printed by verify")
        result.append((int(seq), digest.lower()))
    return result


@schema_app.command("order")
def schema_order() -> None:
    """The order input format, as JSON Schema."""
    output.print_json(OrderIn.model_json_schema())


einvoice_commands.register(app)
seller_commands.register(app)
jobs_commands.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
