"""One exception hierarchy, and violations as values.

Validation never raises on the first problem: it returns every `Violation` at once
(rule id, field path, message). Exceptions are for broken contracts and for the
entry points, which map them to exit codes or HTTP problem responses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: `rule_id` (e.g. ``BR-CO-17``), `path` (e.g. ``lines[2].quantity``)."""

    rule_id: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.path}: {self.message}"


class FacturierError(Exception):
    """Root of every error Facturier raises on purpose."""


class InvalidInput(FacturierError):
    """Bad input: carries every violation found, each naming its field and rule."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        super().__init__("\n".join(str(v) for v in self.violations))


class Conflict(InvalidInput):
    """The same idempotency key (an order id) was already used for other content (HTTP 409)."""


class MoneyError(FacturierError, ValueError):
    """Floats, unknown currencies or mixed currencies in money arithmetic."""


class StateError(FacturierError):
    """An operation not allowed in the document's lifecycle state (e.g. editing an issued one)."""


class NotFound(FacturierError):
    """A document, series or account that does not exist for this seller."""


class IntegrityError(FacturierError):
    """The ledger or the stored bytes do not match what was recorded."""


def invalid(rule_id: str, path: str, message: str) -> InvalidInput:
    """Shorthand for a single-violation `InvalidInput`."""
    return InvalidInput([Violation(rule_id, path, message)])
