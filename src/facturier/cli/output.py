"""How the CLI shows things: Rich tables for people, tab-separated lines for pipes, JSON for programs.

- On a terminal, tables are Rich tables; numbers, dates and amounts are not wrapped, text
  columns fold. (A terminal too narrow even for the numbers gets them cropped by Rich: pipe
  the output, or widen the terminal, for whole values.)
- When stdout is not a terminal (a pipe, a file), every table is written as tab-separated
  lines: an optional ``# title`` line, a header line, one line per row, whole values, no
  box drawing, no colour, no width limit; tabs and newlines inside a value become spaces.
  Other lines are never wrapped or cut either (the console is as wide as the longest line).
- Amounts always carry their currency's decimals (ISO 4217 minor units, at most 2: BR-DEC),
  in tables and in JSON, where they are strings ("89.90", JPY "1500"), never floats. Unit
  prices keep at least those decimals and up to the 6 they may carry; rates and quantities
  are written as they are ("5.5", "20").
- With ``--json``, a refusal is a JSON object on stdout (`error_json`), nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleDimensions, ConsoleOptions, RenderResult
from rich.errors import MarkupError
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from facturier.domain.canonical import to_plain
from facturier.domain.documents import AllowanceCharge, Document
from facturier.domain.errors import FacturierError, InvalidInput, Violation
from facturier.domain.events import ArtefactRef
from facturier.domain.money import is_known_currency
from facturier.domain.pricing import amount_places
from facturier.domain.rounding import normalize_decimal
from facturier.domain.text import escape_hidden
from facturier.services.issue import Issued
from facturier.storage.documents import IN_DATABASE, StoredDocument

PIPE_WIDTH = 1_000_000  # "unlimited": Rich wraps and crops to the console width


class _Console(Console):
    """Rich's console, unlimited in width when its output is not a terminal.

    Rich otherwise takes 80 columns (or the width of whatever terminal it finds on stdin or
    stderr) and wraps, crops or ellipsizes to it, even when writing into a pipe.
    """

    @property
    def size(self) -> ConsoleDimensions:
        size = Console.size.fget(self)  # type: ignore[attr-defined]
        return size if self.is_terminal else ConsoleDimensions(PIPE_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    def render_str(self, text: str, **options: Any) -> Text:
        """A message whose data is not valid markup (a seller named "A [/b] SAS") is shown as is.

        Commands should escape data they put in markup (`rich.markup.escape`); this keeps a
        forgotten one from ending in a traceback.
        """
        try:
            return super().render_str(text, **options)
        except MarkupError:
            return super().render_str(text, **{**options, "markup": False})


console = _Console()
errors = _Console(stderr=True)


class Listing(Table):
    """A table: a Rich table on a terminal, tab-separated lines elsewhere (module docstring).

    Cells given as `str` are data, shown as they are: never read as Rich markup (a buyer
    named "[bold]" stays "[bold]"), hidden characters escaped (domain.text).
    """

    def add_row(self, *cells: Any, **options: Any) -> None:
        super().add_row(
            *(Text(escape_hidden(c, multiline=True)) if isinstance(c, str) else c for c in cells), **options
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.is_terminal:
            yield from super().__rich_console__(console, options)
            return
        # Segments, not Text: Rich would expand the tabs into spaces.
        if self.title:
            yield from (Segment(f"# {_plain(self.title)}"), Segment.line())
        yield from (Segment("\t".join(_plain(column.header) for column in self.columns)), Segment.line())
        for row in zip(*(column.cells for column in self.columns), strict=True):
            yield from (Segment("\t".join(_plain(cell) for cell in row)), Segment.line())


def _plain(cell: Any) -> str:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return " ".join(text.replace("\t", " ").splitlines())


def listing(title: str, columns: Iterable[str], whole: Iterable[str] = (), right: Iterable[str] = ()) -> Listing:
    """A `Listing` whose `whole` columns (numbers, dates, amounts) are never wrapped; others fold."""
    whole, right = set(whole), set(right)
    table = Listing(title=Text(escape_hidden(title)) if title else None)
    for name in columns:
        table.add_column(
            name,
            justify="right" if name in right else "left",
            no_wrap=name in whole,
            overflow="ignore" if name in whole else "fold",
        )
    return table


# --- amounts ------------------------------------------------------------------------------------


def _exact(value: Decimal) -> str:
    return format(normalize_decimal(value), "f")


def amount(value: Decimal, currency: str) -> str:
    """An amount with its currency's decimals: "89.90" EUR, "1500" JPY.

    A value with more decimals than that (never produced by the pricing) is written exactly,
    not rounded; an unknown currency (an inbound file) leaves the value as it is.
    """
    if not is_known_currency(currency):
        return _exact(value)
    shown = value.quantize(Decimal(1).scaleb(-amount_places(currency)))
    if shown != value:
        return _exact(value)
    return format(abs(shown) if shown == 0 else shown, "f")


def price(value: Decimal, currency: str) -> str:
    """A unit price: at least the currency's decimals, at most the 6 it may carry."""
    exponent = value.as_tuple().exponent
    kept = -exponent if isinstance(exponent, int) else 0
    places = amount_places(currency) if is_known_currency(currency) else 0
    return amount(value, currency) if kept <= places else _exact(value)


def _adjustment(plain: dict[str, Any], adjustment: AllowanceCharge, currency: str) -> None:
    plain["amount"] = amount(adjustment.amount, currency)
    if adjustment.base_amount is not None:
        plain["base_amount"] = amount(adjustment.base_amount, currency)


def document_plain(document: Document) -> dict[str, Any]:
    """A document as JSON-ready data (the canonical form), amounts with the currency's decimals."""
    data: dict[str, Any] = to_plain(document)
    currency = document.currency
    data["totals"] = {name: amount(getattr(document.totals, name), currency) for name in data["totals"]}
    for plain_line, line in zip(data["lines"], document.lines, strict=True):
        plain_line["net_amount"] = amount(line.net_amount, currency)
        plain_line["net_price"] = price(line.net_price, currency)
        for key, adjustments in (("allowances", line.allowances), ("charges", line.charges)):
            for plain, adjustment in zip(plain_line[key], adjustments, strict=True):
                _adjustment(plain, adjustment, currency)
    for plain, adjustment in zip(data["allowances_charges"], document.allowances_charges, strict=True):
        _adjustment(plain, adjustment, currency)
    for plain, vat in zip(data["vat_breakdown"], document.vat_breakdown, strict=True):
        plain["taxable_amount"] = amount(vat.taxable_amount, currency)
        plain["tax_amount"] = amount(vat.tax_amount, currency)
    indemnity = document.payment_terms.recovery_indemnity
    if indemnity is not None:  # a fixed EUR 40 (C. com. D441-5), whatever the currency
        data["payment_terms"]["recovery_indemnity"] = amount(indemnity, "EUR")
    accounting = data.get("tax_accounting")  # BT-6 / BT-111: the VAT total in the accounting currency
    if accounting and accounting.get("tax_total") is not None:
        accounting["tax_total"] = amount(Decimal(accounting["tax_total"]), accounting["currency"])
    return data


def document_json(stored: StoredDocument, archive_path: Any) -> dict[str, Any]:
    """Number, dates, parties, lines, VAT breakdown, totals and stored artefacts."""
    data = document_plain(stored.document)
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


def summary_json(row: Any) -> dict[str, Any]:
    return {
        "number": row.number,
        "document_type": row.document_type,
        "issue_date": row.issue_date.isoformat(),
        "buyer": row.buyer_name,
        "currency": row.currency,
        "tax_inclusive": amount(row.tax_inclusive, row.currency),
        "payable": amount(row.payable, row.currency),
        "preceding": row.preceding_number,
    }


def summary_table(rows: list[Any]) -> Listing:
    table = listing(
        f"{len(rows)} documents",
        ("Number", "Type", "Date", "Buyer", "Total incl. VAT", "Due", "Refers to"),
        whole=("Number", "Date", "Total incl. VAT", "Due", "Refers to"),
        right=("Total incl. VAT", "Due"),
    )
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
            _exact(line.quantity),
            line.unit_code,
            price(line.net_price, c),
            f"{line.vat_category.value} {_exact(line.vat_rate)} %",
            amount(line.net_amount, c),
        )
    for adj in d.allowances_charges:
        sign = "+" if adj.is_charge else "-"
        rate = "" if adj.vat_rate is None else f"{adj.vat_category} {_exact(adj.vat_rate)} %"
        table.add_row("", adj.reason, "", "", "", rate, f"{sign}{amount(adj.amount, c)}")
    for b in d.vat_breakdown:
        label = f"VAT {b.category.value} {_exact(b.rate)} % on {amount(b.taxable_amount, c)}"
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
