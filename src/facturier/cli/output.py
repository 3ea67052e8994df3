"""How the CLI shows things: Rich tables for people, JSON for programs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from facturier.domain.canonical import to_plain
from facturier.domain.errors import Violation
from facturier.domain.events import ArtefactRef
from facturier.services.issue import Issued
from facturier.storage.documents import IN_DATABASE, StoredDocument

console = Console()
errors = Console(stderr=True)


def document_json(stored: StoredDocument, archive_path: Any) -> dict[str, Any]:
    """Number, dates, parties, lines, VAT breakdown, totals and stored artefacts."""
    data: dict[str, Any] = to_plain(stored.document)
    data["id"] = stored.id
    data["sha256"] = stored.sha256
    data["ledger_seq"] = stored.ledger_seq
    data["artefacts"] = [{**to_plain(a), "path": where(a, archive_path)} for a in stored.artefacts]
    return data


def where(artefact: ArtefactRef, archive_path: Any) -> str:
    """Where an artefact's bytes are: a file of the archive, or the document's database row."""
    return "(database: documents.canonical)" if artefact.name in IN_DATABASE else str(archive_path(artefact.sha256))


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def issued_table(results: list[Issued], archive_path: Any) -> Table:
    table = Table(title="Issued documents", show_lines=False)
    for column in ("Source", "Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due"):
        table.add_column(
            column,
            justify="right" if column in ("Total incl. VAT", "Due") else "left",
            no_wrap=column in ("Number", "Date"),
        )
    for r in results:
        d = r.document
        table.add_row(
            Path(r.label).name,
            d.number + ("" if r.created else " (already issued)"),
            d.document_type.name.lower().replace("_", " "),
            d.issue_date.isoformat(),
            d.buyer.name,
            f"{amount(d.totals.tax_inclusive)} {d.currency}",
            f"{amount(d.totals.payable)} {d.currency}",
        )
    return table


def artefacts_table(stored: StoredDocument, archive_path: Any) -> Table:
    """The archived files of a document (issued and derived), with their paths in the archive."""
    table = Table(title="Archived files (`facturier export` copies them out with readable names)")
    for column in ("Name", "Type", "Size", "SHA-256", "Path"):
        table.add_column(column, overflow="fold")
    for a in stored.artefacts:
        table.add_row(a.name, a.media_type, str(a.size), a.sha256[:16] + "…", where(a, archive_path))
    return table


def print_locations(results: list[Issued], archive_path: Any) -> None:
    """Where each PDF is, one full line each (never cut by the terminal's width)."""
    for r in results:
        pdf = next((a for a in r.stored.artefacts if a.name == "document.pdf"), None)
        where_pdf = str(archive_path(pdf.sha256)) if pdf else "(not rendered)"
        console.print(f"{r.document.number}  PDF: {where_pdf}", markup=False, highlight=False, soft_wrap=True)
    if results:
        console.print("`facturier export NUMBER --out DIR` copies a document's files out with readable names.")


def print_violations(violations: tuple[Violation, ...]) -> None:
    """Every violation with its rule id and field path; never truncated.

    A terminal gets a table; a pipe or a log gets one `[RULE] path: message` line each.
    """
    if not errors.is_terminal:
        errors.print("The input was refused; nothing was written.", markup=False, highlight=False)
        for v in violations:
            errors.print(str(v), markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(title="The input was refused; nothing was written", title_style="bold red")
    for column in ("Rule", "Where", "What is wrong"):
        table.add_column(column, overflow="fold")
    for v in violations:
        table.add_row(v.rule_id, v.path, v.message)
    errors.print(table)


def amount(value: Decimal, places: int = 2) -> str:
    """Amounts shown with their decimals (the canonical form drops trailing zeros)."""
    return str(value.quantize(Decimal(1).scaleb(-places)))


def price(value: Decimal) -> str:
    """Unit prices: at least 2 decimals, at most the 6 they carry."""
    return str(value) if -value.as_tuple().exponent > 2 else amount(value)  # type: ignore[operator]


def summary_json(row: Any) -> dict[str, Any]:
    return {
        "number": row.number,
        "document_type": row.document_type,
        "issue_date": row.issue_date.isoformat(),
        "buyer": row.buyer_name,
        "currency": row.currency,
        "tax_inclusive": str(row.tax_inclusive),
        "payable": str(row.payable),
        "preceding": row.preceding_number,
    }


def summary_table(rows: list[Any]) -> Table:
    table = Table(title=f"{len(rows)} documents")
    for column in ("Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due", "Refers to"):
        table.add_column(column)
    for row in rows:
        s = summary_json(row)
        table.add_row(
            s["number"],
            _type_name(s["document_type"]),
            s["issue_date"],
            s["buyer"],
            f"{s['tax_inclusive']} {s['currency']}",
            f"{s['payable']} {s['currency']}",
            s["preceding"] or "",
        )
    return table


def _type_name(code: str) -> str:
    from facturier.domain.codes import DocumentType

    return DocumentType(code).name.lower().replace("_", " ")


def document_panel(stored: StoredDocument) -> Table:
    d = stored.document
    table = Table(title=f"{_type_name(d.document_type.value)} {d.number} of {d.issue_date} — {d.buyer.name}")
    for column in ("#", "Item", "Qty", "Unit", "Unit price excl. VAT", "VAT", "Net amount"):
        table.add_column(column, justify="right" if column not in ("Item", "Unit") else "left")
    for line in d.lines:
        table.add_row(
            line.line_id,
            line.name,
            str(line.quantity),
            line.unit_code,
            str(line.net_price),
            f"{line.vat_category.value} {line.vat_rate} %",
            str(line.net_amount),
        )
    for adj in d.allowances_charges:
        sign = "+" if adj.is_charge else "-"
        table.add_row("", adj.reason, "", "", "", f"{adj.vat_category} {adj.vat_rate} %", f"{sign}{amount(adj.amount)}")
    for b in d.vat_breakdown:
        table.add_row(
            "", f"VAT {b.category.value} {b.rate} % on {amount(b.taxable_amount)}", "", "", "", "", amount(b.tax_amount)
        )
    t = d.totals
    for label, value in (
        ("Total excl. VAT", t.tax_exclusive),
        ("VAT", t.tax_total),
        ("Total incl. VAT", t.tax_inclusive),
        ("Already paid", t.prepaid),
        ("Amount due", t.payable),
    ):
        table.add_row("", f"[bold]{label}[/]", "", "", "", "", f"[bold]{amount(value)} {d.currency}[/]")
    return table
