"""E-invoice and PDF commands: `validate`, `read`, `export`, `acquit` (registered on the main app).

Exit codes, as for the other commands: 0 success (every file valid), 1 violations found (or an
archived file that no longer matches its hash), 2 input that cannot be used: unreadable,
hostile (refused by the safety limits), not an e-invoice, or bad options. Nothing is written
by `validate` and `read`.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from facturier.bootstrap import build
from facturier.cli import output
from facturier.cli.common import checked_text, handled, read_input
from facturier.domain.errors import FacturierError, InvalidInput, invalid
from facturier.domain.settlement import PaymentKind
from facturier.domain.text import escape_hidden
from facturier.einvoice.errors import EInvoiceError
from facturier.einvoice.reader import read_einvoice
from facturier.einvoice.validation import ValidationReport, validate_file
from facturier.services.artefacts import short_xpath
from facturier.services.payments import METHODS, PaymentInput, record_payment


def _problem(path: Path, exc: FacturierError) -> str:
    kind = type(exc).__name__ if isinstance(exc, EInvoiceError) else "refused"
    detail = "; ".join(str(v) for v in exc.violations) if isinstance(exc, InvalidInput) else str(exc)
    return f"{path}: {kind}: {detail}"


# --- validate ----------------------------------------------------------------------------------


def validate(
    files: Annotated[list[Path], typer.Argument(help="XML (CII, UBL) or PDF (Factur-X, ZUGFeRD) files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON report per file")] = False,
) -> None:
    """Validate e-invoices (ours or a supplier's): XSD, official schematrons, exact checks."""
    results: list[dict[str, Any]] = []
    worst = 0
    for path in files:
        try:
            report = validate_file(read_input(path))
        except FacturierError as exc:
            results.append({"file": str(path), "ok": False, **output.error_json(exc)})
            worst = 2
            if not as_json:
                output.errors.print(escape_hidden(f"error: {_problem(path, exc)}"), markup=False, soft_wrap=True)
            continue
        results.append({"file": str(path), **json.loads(report.to_json())})
        worst = max(worst, 0 if report.ok else 1)
        if not as_json:
            _print_report(path, report)
    if as_json:
        output.print_json(results)
    raise typer.Exit(worst)


def _print_report(path: Path, report: ValidationReport) -> None:
    where = f"{report.syntax} {report.profile}".strip() + ("" if report.container == "xml" else f", {report.container}")
    verdict = "[green]valid[/]" if report.ok else f"[red]{len(report.fatal)} fatal violation(s)[/]"
    output.console.print(f"{escape(str(path))}: {verdict} ({escape(where)})", soft_wrap=True)
    output.console.print(f"  checked: {', '.join(report.checks)}", markup=False, soft_wrap=True)
    for skipped in report.skipped:
        output.console.print(f"  skipped: {skipped}", markup=False, soft_wrap=True)
    if report.violations:
        table = output.listing("", ("Rule", "Severity", "Where", "What is wrong"), whole=("Severity",))
        for v in report.violations:
            table.add_row(v.rule_id, v.severity.value, short_xpath(v.location), v.message)
        output.console.print(table)


# --- read --------------------------------------------------------------------------------------


def read(
    file: Annotated[Path, typer.Argument(help="XML (CII, UBL) or PDF (Factur-X, ZUGFeRD) file")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object: the document and the report")] = False,
) -> None:
    """Read an inbound e-invoice into Facturier's model, print it as JSON, then validate it."""
    try:
        data = read_input(file)
        document = output.document_plain(read_einvoice(data))
        report = validate_file(data)
    except FacturierError as exc:
        if as_json:
            output.print_json({"file": str(file), **output.error_json(exc)})
        else:
            output.errors.print(escape_hidden(f"error: {_problem(file, exc)}"), markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if as_json:
        output.print_json({"file": str(file), "document": document, "validation": json.loads(report.to_json())})
    else:
        output.print_json(document)
        _print_report(file, report)
    raise typer.Exit(0 if report.ok else 1)


# --- export ------------------------------------------------------------------------------------


def export_name(number: str, artefact: str) -> str:
    """A readable file name: F2026-000001.pdf, F2026-000001-factur-x.xml, F2026-000001-paid-1.pdf."""
    safe = number.replace("/", "_")
    stem, _, ext = artefact.rpartition(".")
    return f"{safe}.{ext}" if stem == "document" else f"{safe}-{stem}.{ext}"


@handled
def export(
    number: Annotated[str, typer.Argument(help="the issued document")],
    out: Annotated[Path, typer.Option("--out", help="directory to copy the files into")] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="only the PDF files")] = False,
    xml: Annotated[bool, typer.Option("--xml", help="only the XML files (CII, UBL)")] = False,
) -> None:
    """Copy a document's archived files out, checked against their SHA-256, with readable names."""
    application = build()
    wanted = {t for t, on in (("pdf", pdf), ("xml", xml)) if on}
    with application.db.reading(application.account_id()) as tx:
        stored = tx.documents.get(number)
        chosen = [a for a in stored.artefacts if not wanted or a.name.rpartition(".")[2] in wanted]
        files = [(a, tx.documents.stored_bytes(stored, a)) for a in chosen]  # IntegrityError if altered
    if not chosen:
        raise invalid("EXPORT-NONE", number, "no archived file of that kind (issued with --no-render?)")
    out.mkdir(parents=True, exist_ok=True)
    for artefact, data in files:
        target = out / export_name(stored.document.number, artefact.name)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        shutil.move(tmp, target)
        output.console.print(str(target), markup=False, highlight=False, soft_wrap=True)


# --- acquit ------------------------------------------------------------------------------------


@handled
def pay_command(
    number: Annotated[str, typer.Argument(help="the invoice that was paid")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="payment date, YYYY-MM-DD")],
    method: Annotated[str, typer.Option("--method", help=f"{', '.join(METHODS)}, or a label printed as is")],
    reference: Annotated[str, typer.Option("--reference", help="the payment's reference")] = "",
    amount: Annotated[str | None, typer.Option("--amount", help="amount paid (default: all that remains)")] = None,
    payer: Annotated[str, typer.Option("--payer", help="who paid (default: the buyer)")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a payment: the paid copy ("facture acquittée") once settled, else a receipt with the balance."""
    _record(number, paid_on, method, reference, amount, payer, PaymentKind.PAYMENT, as_json)


@handled
def refund_command(
    number: Annotated[str, typer.Argument(help="the invoice on which money is paid back")],
    amount: Annotated[str, typer.Option("--amount", help="amount paid back")],
    paid_on: Annotated[str, typer.Option("--paid-on", help="refund date, YYYY-MM-DD")],
    method: Annotated[str, typer.Option("--method", help=f"{', '.join(METHODS)}, or a label printed as is")],
    reference: Annotated[str, typer.Option("--reference", help="the refund's reference")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Record a refund (money paid back to the buyer, e.g. an over-payment or with a credit note)."""
    _record(number, paid_on, method, reference, amount, "", PaymentKind.REFUND, as_json)


def _record(
    number: str,
    paid_on: str,
    method: str,
    reference: str,
    amount: str | None,
    payer: str,
    kind: PaymentKind,
    as_json: bool,
) -> None:
    method, reference = checked_text(method, "--method"), checked_text(reference, "--reference")
    application = build()
    given = PaymentInput(
        number=number,
        paid_on=_date(paid_on),
        method=method,
        amount=_amount(amount) if amount is not None else None,
        reference=reference,
        payer=checked_text(payer, "--payer"),
        kind=kind,
    )
    done = record_payment(application.issuer, application.account_id(), given)
    data = output.payment_result_json(done, application.db.blobs.path)
    if as_json:
        output.print_json(data)
        return
    currency = done.stored.document.currency
    what = "Refund" if kind is PaymentKind.REFUND else "Payment"
    lines = [
        f"{what} of {data['payment']['amount']} {currency} on {done.stored.document.number} recorded "
        f"(ledger record #{done.ledger_seq}); status: {data['status']}",
        f"Remaining: {data['remaining']} {currency}"
        + (f"; customer credit: {data['customer_credit']} {currency}" if done.settlement.customer_credit else ""),
    ]
    if done.artefact is not None:
        lines.append(f"{'Paid copy' if done.settlement.settled else 'Receipt'}: {data['artefact']['path']}")
    output.console.print("\n".join(lines), markup=False, soft_wrap=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise invalid("CLI-DATE", "--paid-on", f"{text!r} is not a date (YYYY-MM-DD)") from None


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise invalid("CLI-NUMBER", "--amount", f"{text!r} is not a number") from None
    if not value.is_finite():
        raise invalid("CLI-NUMBER", "--amount", f"{text!r} is not a number")
    return value


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main `facturier` app."""
    app.command(name="validate")(validate)
    app.command(name="read")(read)
    app.command(name="export")(export)
    app.command(name="pay")(pay_command)
    app.command(name="acquit", help="Same as `pay` (record a payment; the paid copy once settled).")(pay_command)
    app.command(name="refund")(refund_command)
