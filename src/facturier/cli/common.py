"""What every command shares: error mapping to exit codes, reading input files, naming fields."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from facturier.cli import output
from facturier.domain.errors import FacturierError, IntegrityError, InvalidInput, Violation, invalid
from facturier.domain.text import forbidden_character
from facturier.einvoice.explain import chosen_language, explained
from facturier.services.orders import order_path

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
MAX_INPUT_BYTES = 50_000_000  # larger input files are refused before being read


def handled(func: F) -> F:
    """Facturier errors as clear messages and exit codes: 2 bad input (nothing written), 1 integrity.

    A command called with ``as_json=True`` (its ``--json`` option) gets its refusal as one JSON
    object on stdout, `output.error_json`, and nothing on stderr: a program reads either the
    result or the error from the same place. Otherwise the messages go to stderr for people.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FacturierError as exc:
            if kwargs.get("as_json"):
                output.print_json(output.error_json(exc))
            else:
                output.print_error(exc, "integrity error" if isinstance(exc, IntegrityError) else "error")
            raise typer.Exit(1 if isinstance(exc, IntegrityError) else 2) from None

    return wrapper  # type: ignore[return-value]


def checked_text(value: str, option: str) -> str:
    """A text given on the command line (`--reason`, `--reference`...), printed on documents:
    refused (`CLI-TEXT`, naming the option and the code point) if it holds a control, a bidi
    override or another hidden character, as order texts are (domain.text)."""
    problem = forbidden_character(value)
    if problem is not None:
        raise invalid("CLI-TEXT", option, problem)
    return value


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, or a clear `FILE` violation (missing, unreadable, too large)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise invalid("FILE", str(path), f"{size} bytes: larger than the {limit} bytes accepted")
        return path.read_bytes()
    except OSError as exc:
        raise invalid("FILE", str(path), f"cannot read: {exc.strerror}") from None


def relabel(label: str, action: Callable[[], T]) -> T:
    """Run `action`; name the fields of any violation as the order file `label` names them."""
    try:
        return action()
    except InvalidInput as exc:
        raise type(exc)(order_violation(v, label) for v in exc.violations) from None


def order_violation(v: Violation, label: str, language: str = "") -> Violation:
    """`v` at "FILE: order.field" (not the domain's field), explained in the order's
    customer.language or the CLI's (einvoice.explain)."""
    relabelled = Violation(v.rule_id, f"{label}: {order_path(v.path)}", v.message)
    return explained(relabelled, cli_language(language))


def cli_language(preferred: str = "") -> str:
    """The language of CLI messages: `preferred` (an order's customer.language), else
    FACTURIER_LANG, else LANG ("fr_FR.UTF-8" -> "fr"), else English (einvoice.explain)."""
    return chosen_language(preferred, os.environ.get("FACTURIER_LANG") or os.environ.get("LANG", ""))
