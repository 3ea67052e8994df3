"""The triggers that make a table append-only, for the migrations that create such tables.

PostgreSQL: `facturier_reject_change()` (created by migration 0001) before UPDATE or DELETE of
any row and before TRUNCATE. SQLite: a trigger per operation that aborts with a message naming
the table. Each migration calls `protect` once, for the tables it creates.
"""

from __future__ import annotations

from alembic import op


def protect(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION facturier_reject_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION facturier_reject_change()"
        )
        return
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'facturier: {operation} on {table} is forbidden: "
            "issued records are immutable'); END"
        )
