"""`facturier worker` and `facturier jobs ...`: run background jobs, look at them, retry parked ones.

Jobs are listed for the CLI's seller account (FACTURIER_ACCOUNT); `--all-accounts` shows every
account's and the deployment's own (the janitor, whose account is empty).
Exit codes as for the other commands: 0 success, 2 bad input (nothing written).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from facturier.bootstrap import App, build
from facturier.cli import output
from facturier.cli.common import handled
from facturier.domain.errors import InvalidInput, NotFound, Violation, invalid
from facturier.domain.jobs import Job
from facturier.jobs import worker_for
from facturier.storage.jobs import STATUSES

jobs_app = typer.Typer(no_args_is_help=True, help="Background jobs: list them, show one, retry parked ones.")

AllAccounts = Annotated[bool, typer.Option("--all-accounts", help="every account's jobs and the deployment's own")]
AsJson = Annotated[bool, typer.Option("--json", help="print JSON")]


def register(app: typer.Typer) -> None:
    """Add `facturier jobs ...` and `facturier worker` to the main app."""
    app.add_typer(jobs_app, name="jobs")
    app.command("worker")(worker)


# --- the worker -----------------------------------------------------------------------------------


@handled
def worker(
    once: Annotated[bool, typer.Option("--once", help="run the jobs due now, then exit")] = False,
    name: Annotated[str | None, typer.Option(help="this worker's name in the jobs it holds (default host:pid)")] = None,
    idle_sleep: Annotated[float, typer.Option(min=0.01, help="seconds to wait when no job is due")] = 0.5,
) -> None:
    """Run background jobs (webhooks, the janitor) until SIGTERM or Ctrl-C.

    On SIGTERM/SIGINT the job in hand is finished, then the worker exits 0 (a second signal
    kills it at once). One JSON line per job start and end goes to stderr. Several workers,
    on several machines, may share one PostgreSQL database.
    """
    application = build()
    runner = worker_for(application, name)
    stop = threading.Event()
    with _job_log(), _stop_on_signals(stop):
        if once:
            runner.drain(stop)
        else:
            runner.run(stop, idle_sleep)


@contextmanager
def _job_log() -> Iterator[None]:
    """The `facturier` loggers' INFO lines (the JSON job lines) on stderr while the worker runs."""
    logger = logging.getLogger("facturier")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT ask for a graceful stop; a second one gets the default (immediate) action."""
    if threading.current_thread() is not threading.main_thread():  # signals are only caught there
        yield
        return
    watched = (signal.SIGTERM, signal.SIGINT)
    previous = {s: signal.getsignal(s) for s in watched}

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()
        signal.signal(signum, signal.SIG_DFL)

    for s in watched:
        signal.signal(s, on_signal)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# --- looking at jobs ------------------------------------------------------------------------------


def _scope(application: App, all_accounts: bool) -> str | None:
    return None if all_accounts else application.account_id()


@jobs_app.command("list")
@handled
def list_jobs(
    status: Annotated[str | None, typer.Option(help="queued, running, done or parked")] = None,
    all_accounts: AllAccounts = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: AsJson = False,
) -> None:
    """List jobs, newest first."""
    if status is not None and status not in STATUSES:
        raise invalid("JOBS-STATUS", "--status", f"{status!r} is not one of {', '.join(STATUSES)}")
    application = build()
    account = _scope(application, all_accounts)
    found = application.db.jobs.list(account_id=account, status=status, limit=limit, all_accounts=all_accounts)
    if as_json:
        output.print_json([job_json(j) for j in found])
        return
    table = output.listing(
        "Jobs", ("ID", "Kind", "Status", "Attempts", "Run at", "Account", "Last error"), whole=("ID", "Run at")
    )
    for j in found:
        attempts = f"{j.attempts}/{j.max_attempts}"
        error = j.last_error.splitlines()[0] if j.last_error else ""
        table.add_row(j.id, j.kind, j.status, attempts, j.run_at, j.account_id or "-", error)
    output.console.print(table)


@jobs_app.command("show")
@handled
def show_job(
    job_id: Annotated[str, typer.Argument(help="the job's id, as `jobs list` prints it")],
    all_accounts: AllAccounts = False,
    as_json: AsJson = False,
) -> None:
    """Show one job: its payload, attempts and last error in full."""
    application = build()
    job = application.db.jobs.get(job_id, _scope(application, all_accounts), all_accounts=all_accounts)
    if job is None:
        raise NotFound(f"no job {job_id!r}" + ("" if all_accounts else " in this account (try --all-accounts)"))
    data = job_json(job)
    if as_json:
        output.print_json(data)
        return
    table = output.listing(f"Job {job.id}", ("Field", "Value"))
    for key, value in data.items():
        shown = json.dumps(value, indent=2, ensure_ascii=False) if key == "payload" else str(value or "")
        table.add_row(key, shown)
    output.console.print(table)


@jobs_app.command("retry")
@handled
def retry_jobs(
    job_ids: Annotated[list[str], typer.Argument(help="ids of parked jobs")],
    all_accounts: AllAccounts = False,
    as_json: AsJson = False,
) -> None:
    """Queue parked jobs again, now, with a fresh count of attempts (all or none)."""
    application = build()
    account = _scope(application, all_accounts)
    queue, ids = application.db.jobs, list(dict.fromkeys(job_ids))
    problems = []
    for job_id in ids:
        job = queue.get(job_id, account, all_accounts=all_accounts)
        if job is None or job.status != "parked":
            why = "no such job in this account" if job is None else f"is {job.status}, not parked"
            problems.append(Violation("JOBS-RETRY", job_id, why))
    if problems:
        raise InvalidInput(problems)
    retried = queue.retry(ids, application.clock(), account, all_accounts=all_accounts)
    if as_json:
        output.print_json({"retried": retried, "ids": ids})
    else:
        output.console.print(f"Queued again: {retried} job(s).", markup=False)


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "account_id": job.account_id,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "run_at": job.run_at,
        "created_at": job.created_at,
        "locked_by": job.locked_by or None,
        "last_error": job.last_error or None,
        "payload": dict(job.payload),
    }
