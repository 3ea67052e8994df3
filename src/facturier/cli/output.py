"""How the CLI shows things: Rich tables for people, tab-separated lines for pipes, JSON for programs.

Tables and consoles: `cli.console` (whole tab-separated lines when stdout is not a terminal).
Amounts: `cli.figures` (the currency's decimals, strings in JSON). With ``--json``, a refusal
is one JSON object on stdout (`error_json`), nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.text import Text

from facturier.cli.console import Listing, console, errors, listing
from facturier.domain.canonical import to_plain
from facturier.domain.errors import FacturierError, InvalidInput, Violation
from facturier.domain.events import ArtefactRef
from facturier.domain.settlement import PaymentRecord, Settlement
from facturier.domain.text import escape_hidden, is_refused
from facturier.services.figures import (
    amount,
    balance_json,
    document_plain,
    exact,
    payment_json,
    price,
    recorded_json,
    settlement_json,
    stored_json,
    summary_json,
)
from facturier.services.issue import Issued
from facturier.services.payments import Recorded
from facturier.storage.documents import IN_DATABASE, StoredDocument

__all__ = [
    "Listing",
    "amount",
    "console",
    "document_plain",
    "errors",
    "listing",
    "payment_json",
    "price",
    "settlement_json",
    "summary_json",
]


def document_json(
    stored: StoredDocument,
    archive_path: Any,
    balance: Settlement | None = None,
    payments: Sequence[PaymentRecord] = (),
) -> dict[str, Any]:
    """Number, dates, parties, lines, VAT breakdown, totals, stored artefacts; status and payments if given."""
    data = stored_json(stored)
    data["artefacts"] = [{**to_plain(a), "path": where(a, archive_path)} for a in stored.artefacts]
    if balance is not None:
        data |= balance_json(balance, payments, stored.document.currency)
    return data


def payment_result_json(done: Recorded, archive_path: Any) -> dict[str, Any]:
    """What `pay` / `refund` print with --json: the payment, the balance after it, the PDF made."""
    artefact = done.artefact
    located = {**to_plain(artefact), "path": where(artefact, archive_path)} if artefact else None
    return recorded_json(done) | {"artefact": located}


def where(artefact: ArtefactRef, archive_path: Any) -> str:
    """Where an artefact's bytes are: a file of the archive, or the document's database row."""
    return "(database: documents.canonical)" if artefact.name in IN_DATABASE else str(archive_path(artefact.sha256))


def print_json(value: Any) -> None:
    """`value` as indented JSON, non-ASCII kept, except the characters a text may not hold.

    Those (controls, bidi overrides, lone surrogates: domain.text) are written as JSON
    escapes, so that a supplier's file shown by `read` cannot reorder or hide what a
    terminal displays, nor make the output unencodable; a JSON reader gets the same strings.
    """
    print(_NOT_ASCII.sub(_json_escape, json.dumps(value, ensure_ascii=False, indent=2)))


_NOT_ASCII = re.compile(r"[^\n\x20-\x7e]")  # json.dumps already escapes controls inside strings


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not is_refused(char, multiline=True):
        return char
    return json.dumps(char, ensure_ascii=True)[1:-1]  # \u202e, or a surrogate pair


# --- errors -------------------------------------------------------------------------------------


def error_kind(exc: FacturierError) -> str:
    """`InvalidInput` -> "invalid_input", `NotFound` -> "not_found", `IntegrityError` -> "integrity_error"."""
    name = type(exc).__name__
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def error_json(exc: FacturierError) -> dict[str, Any]:
    """A refusal for programs: {"error": {"kind", "message", "violations": [{rule_id, path, message}]}}."""
    violations = exc.violations if isinstance(exc, InvalidInput) else ()
    return {
        "error": {
            "kind": error_kind(exc),
            "message": str(exc),
            "violations": [{"rule_id": v.rule_id, "path": v.path, "message": v.message} for v in violations],
        }
    }


def print_error(exc: FacturierError, prefix: str = "error") -> None:
    """A refusal for people, on stderr: every violation, or one line."""
    if isinstance(exc, InvalidInput):
        print_violations(exc.violations)
    else:
        errors.print(escape_hidden(f"{prefix}: {exc}"), markup=False, highlight=False, soft_wrap=True)


def print_violations(violations: tuple[Violation, ...]) -> None:
    """Every violation with its rule id and field path; never truncated, hidden characters escaped.

    A terminal gets a table; a pipe or a log gets one `[RULE] path: message` line each.
    """
    if not errors.is_terminal:
        errors.print("The input was refused; nothing was written.", markup=False, highlight=False)
        for v in violations:
            errors.print(escape_hidden(str(v)), markup=False, highlight=False, soft_wrap=True)
        return
    table = listing("The input was refused; nothing was written", ("Rule", "Where", "What is wrong"))
    table.title_style = "bold red"
    for v in violations:
        table.add_row(v.rule_id, v.path, v.message)
    errors.print(table)


# --- tables -------------------------------------------------------------------------------------


def issued_table(results: list[Issued], archive_path: Any) -> Listing:
    table = listing(
        "Issued documents",
        ("Source", "Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due"),
        whole=("Number", "Date", "Total incl. VAT", "Due"),
        right=("Total incl. VAT", "Due"),
    )
    for r in results:
        d = r.document
        table.add_row(
            Path(r.label).name,
            d.number + ("" if r.created else " (already issued)"),
            d.document_type.name.lower().replace("_", " "),
            d.issue_date.isoformat(),
            d.buyer.name,
            f"{amount(d.totals.tax_inclusive, d.currency)} {d.currency}",
            f"{amount(d.totals.payable, d.currency)} {d.currency}",
        )
    return table


def artefacts_table(stored: StoredDocument, archive_path: Any) -> Listing:
    """The archived files of a document (issued and derived), with their paths in the archive."""
    table = listing(
        "Archived files (`facturier export` copies them out with readable names)",
        ("Name", "Type", "Size", "SHA-256", "Path"),
        whole=("Size",),
    )
    for a in stored.artefacts:
        table.add_row(a.name, a.media_type, str(a.size), a.sha256, where(a, archive_path))
    return table


def print_locations(results: list[Issued], archive_path: Any) -> None:
    """Where each PDF is, one full line each (never cut by the terminal's width)."""
    for r in results:
        pdf = next((a for a in r.stored.artefacts if a.name == "document.pdf"), None)
        where_pdf = str(archive_path(pdf.sha256)) if pdf else "(not rendered)"
        console.print(f"{r.document.number}  PDF: {where_pdf}", markup=False, highlight=False, soft_wrap=True)
    if results:
        console.print("`facturier export NUMBER --out DIR` copies a document's files out with readable names.")


def summary_table(rows: list[Any], balances: dict[str, Settlement]) -> Listing:
    table = listing(
        f"{len(rows)} documents",
        ("Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due", "Remaining", "Status", "Refers to"),
        whole=("Number", "Date", "Total incl. VAT", "Due", "Remaining", "Status", "Refers to"),
        right=("Total incl. VAT", "Due", "Remaining"),
    )
    for row in rows:
        s = summary_json(row, balances.get(row.number))
        table.add_row(
            s["number"],
            _type_name(s["document_type"]),
            s["issue_date"],
            s["buyer"],
            f"{s['tax_inclusive']} {s['currency']}",
            f"{s['payable']} {s['currency']}",
            f"{s['remaining']} {s['currency']}" if "remaining" in s else "",
            s.get("status", ""),
            s["preceding"] or "",
        )
    return table


def _type_name(code: str) -> str:
    from facturier.domain.codes import DocumentType

    return DocumentType(code).name.lower().replace("_", " ")


def document_panel(stored: StoredDocument) -> Listing:
    d = stored.document
    c = d.currency
    table = listing(
        f"{_type_name(d.document_type.value)} {d.number} of {d.issue_date} — {d.buyer.name}",
        ("#", "Item", "Qty", "Unit", "Unit price excl. VAT", "VAT", "Net amount"),
        whole=("#", "Qty", "Unit", "Unit price excl. VAT", "VAT", "Net amount"),
        right=("#", "Qty", "Unit price excl. VAT", "VAT", "Net amount"),
    )
    for line in d.lines:
        table.add_row(
            line.line_id,
            line.name,
            exact(line.quantity),
            line.unit_code,
            price(line.net_price, c),
            f"{line.vat_category.value} {exact(line.vat_rate)} %",
            amount(line.net_amount, c),
        )
    for adj in d.allowances_charges:
        sign = "+" if adj.is_charge else "-"
        rate = "" if adj.vat_rate is None else f"{adj.vat_category} {exact(adj.vat_rate)} %"
        table.add_row("", adj.reason, "", "", "", rate, f"{sign}{amount(adj.amount, c)}")
    for b in d.vat_breakdown:
        label = f"VAT {b.category.value} {exact(b.rate)} % on {amount(b.taxable_amount, c)}"
        table.add_row("", label, "", "", "", "", amount(b.tax_amount, c))
    t = d.totals
    for label, value in (
        ("Total excl. VAT", t.tax_exclusive),
        ("VAT", t.tax_total),
        ("Total incl. VAT", t.tax_inclusive),
        ("Already paid", t.prepaid),
        ("Amount due", t.payable),
    ):
        table.add_row("", Text(label, style="bold"), "", "", "", "", Text(f"{amount(value, c)} {c}", style="bold"))
    return table
