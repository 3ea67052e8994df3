"""`facturier tax ...` and `facturier report ...` commands (VAT decisions, OSS return).

Exit codes as for the other commands: 0 success, 2 bad input (nothing written).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from facturier.bootstrap import build
from facturier.cli import output
from facturier.cli.common import handled, read_input, relabel
from facturier.domain.errors import invalid
from facturier.services.customers import read_order
from facturier.services.issuing import explain_order as decide_order
from facturier.services.oss_report import OssReport
from facturier.services.tax_views import decision_json, oss_return, oss_rows, report_json
from facturier.tax import OrderTaxDecision

tax_app = typer.Typer(no_args_is_help=True, help="VAT decisions: which country, rate, category and mention.")
report_app = typer.Typer(no_args_is_help=True, help="Tax reports (OSS return).")


@tax_app.command("explain")
@handled
def explain_order(
    file: Annotated[Path, typer.Argument(help="order JSON file")],
    as_json: Annotated[bool, typer.Option("--json", help="print the decisions as JSON")] = False,
) -> None:
    """Per line: the VAT decision and why (rule, threshold status, buyer status, rate source).

    Nothing is written; the threshold history is read from the issued documents.
    """
    application = build()
    order = relabel(str(file), lambda: _decide(application, file))
    if as_json:
        output.print_json(decision_json(order))
    else:
        output.console.print(decision_table(order))
        for note in order.explanation:
            output.console.print(f"- {note}", markup=False, soft_wrap=True)
        for m in order.mentions.mentions:
            output.console.print(f"Mention: {m.fr} ({m.legal_reference})", markup=False, soft_wrap=True)


def _decide(application: Any, file: Path) -> OrderTaxDecision:
    account = application.account_id()
    order = read_order(application.db, account, read_input(file))
    return decide_order(application.issuer, account, order)


def decision_table(order: OrderTaxDecision) -> Table:
    table = output.listing(
        f"VAT decisions (buyer treated as {order.buyer_treatment})",
        ("Line", "VAT of", "Cat.", "Rate %", "Rule", "Threshold", "Rate source / why"),
        whole=("Line", "Cat.", "Rate %"),
    )
    table.show_lines = True
    threshold = order.threshold
    status = "-" if threshold is None else ("exceeded" if threshold.exceeded else "not exceeded")
    for d in order.lines:
        sources = (d.rate_source,) if d.rate_source else ()
        why = "\n".join((*sources, *d.explanation, *d.warnings))
        where = d.country + (f"/{d.territory}" if d.territory else "")
        table.add_row(d.line_id, where, d.category.value, str(d.rate), d.rule_id, status, why)
    return table


@report_app.command("oss")
@handled
def report_oss(
    quarter: Annotated[str, typer.Option(help="the quarter, e.g. 2026Q3")],
    csv_file: Annotated[Path | None, typer.Option("--csv", help="also write the return as CSV")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The OSS Union-scheme return of a quarter: per member state and rate, base and VAT (EUR)."""
    application = build()
    report = oss_return(application.issuer, application.account_id(), quarter)
    if csv_file is not None:
        _write_csv(csv_file, report)
    if as_json:
        output.print_json(report_json(report))
        return
    output.console.print(report_table(report))
    for number in report.unattributed:
        output.errors.print(f"warning: {number} has no recorded VAT country (issued before the tax engine)")


def _write_csv(path: Path, report: OssReport) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(oss_rows(report))
    except OSError as exc:
        raise invalid("FILE", str(path), f"cannot write: {exc.strerror}") from None


def report_table(report: OssReport) -> Table:
    title = f"OSS return {report.quarter} ({report.start} - {report.end}), Union scheme, EUR"
    header, *rows = oss_rows(report)
    names = [column.replace("_", " ") for column in header]
    table = output.listing(title, names, whole=names[1:], right=names[1:])
    for row in rows:
        table.add_row(*row, style="bold" if row[0] == "TOTAL" else None)
    return table
