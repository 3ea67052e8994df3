"""Benchmark: issuing end to end on the production path (issue #8).

Each invoice: order JSON bytes -> `parse_order` -> `order_submission` -> `services.issuing.issue`
with the steps `bootstrap.issue_steps(Settings())` builds (what the CLI uses): domain rules, the
CII and UBL through the XSD and the official schematrons (EN 16931 CII and UBL, BR-FR-Flux2 for
B2B), numbered under the chain lock, chained, Factur-X PDF/A-3 + CII + UBL rendered and archived.
No VIES client (`vies=None`). The seller is examples/seller.json with its logo (as `facturier
init --demo`); the orders are a mix built from examples/orders: per 4 invoices, 1 B2B France
(01), 2 B2C France VAT-inclusive (02), 1 B2C Germany (06), each with a unique id, dated the
fixed clock's day.

Configurations: SQLite and PostgreSQL (a throwaway schema), 1 and 2 processes (fork) issuing
for the same seller, one invoice per `issue` call (its own transaction, as an API call) and
batches of 20 per call (all or nothing). Every worker warms up first (imports, Saxon's XSLT
compilation, Typst, connection) on a seller of its own, then all start together.

Instrumentation lives here only: the render step is wrapped to count its calls (a forecast
number taken by the other process means the files are rendered again), and `db.transaction`
(the locked section) to count the rounds rolled back as stale. `--breakdown` times, for one
invoice at a time in one process, the public pieces: parse, draft (`build_draft`), domain rules
(`domain.validation.validate`), the e-invoice check (XSD, each schematron), render, the locked
section (`db.transaction`: chain lock, draft rebuilt, number, store, commit).

    .venv/bin/python bench/bench_e2e.py [--invoices 120] [--repeats 3] [--breakdown 40]
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PG_URL, drop_pg_schema, machine, pg_db, sqlite_db

from facturier.archive.store import FileBlobStore
from facturier.bootstrap import issue_steps
from facturier.config import Settings
from facturier.services.issue import IssueSteps
from facturier.services.issuing import Issuer, issue, order_submission
from facturier.services.orders import parse_order
from facturier.services.seller import archive_logo, parse_seller, profile_from_input
from facturier.services.verify import verify_all
from facturier.storage.database import Database
from facturier.storage.engine import make_engine

CTX = mp.get_context("fork")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday; 10:00 in Europe/Paris
DAY = NOW.date().isoformat()
BATCH = 20
MIX = ("01-b2b-france.json", "02-b2c-france.json", "02-b2c-france.json", "06-b2c-germany.json")


class FixedClock:
    """Like tests/conftest.FixedClock: numbers, dates and ledger timestamps are deterministic."""

    def __call__(self) -> datetime:
        return NOW


def order_bytes(tag: str, i: int) -> bytes:
    """The i-th order of the mix, with a unique id, dated the clock's day, a quantity varied."""
    data: dict[str, Any] = copy.deepcopy(_TEMPLATES[MIX[i % len(MIX)]])
    data["id"] = f"{data['id']}-{tag}-{i:06d}"
    data["date"] = DAY
    if data["payment"].get("paid_on"):
        data["payment"]["paid_on"] = DAY
    data["lines"][0]["quantity"] = 1 + i % 5
    return json.dumps(data, ensure_ascii=False).encode()


_TEMPLATES = {name: json.loads((EXAMPLES / "orders" / name).read_bytes()) for name in set(MIX)}


def create_seller(db: Database, slug: str) -> str:
    """The demo seller, as `facturier init --from examples/seller.json` makes it (logo archived)."""
    seller = parse_seller((EXAMPLES / "seller.json").read_bytes())
    logo = archive_logo(db.blobs, (EXAMPLES / seller.branding.logo).read_bytes(), "branding.logo")
    return db.create_account(slug, profile_from_input(seller, logo), NOW.isoformat())


# -- instrumentation (this process only) ---------------------------------------------------------


@dataclass
class Stats:
    renders: int = 0  # calls of the render step (files made)
    created: int = 0  # documents issued
    commits: int = 0  # locked sections entered
    stale: int = 0  # locked sections rolled back because a forecast number was taken
    in_lock: bool = False
    step: str = ""  # the step running now (e-invoice, render), to name its parts
    locked_at: float = 0.0  # when this locked section got the chain lock
    waited: float = 0.0  # seconds waiting for the chain lock
    phases: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # seconds, current invoice


def timed(stats: Stats, name: str, fn: Callable[..., Any], part: bool = False) -> Callable[..., Any]:
    """`fn`, its wall time added to `name`; a `part` is named after the step it runs in (check, render)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        label = f"  {stats.step}: {name}" if part else name
        label = f"  locked: {name}" if stats.in_lock and not part else label
        outer, stats.step = stats.step, stats.step if part else name.split(" ")[0]
        if part and not outer:
            label = f"  {'locked' if stats.in_lock else 'other'}: {name}"
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stats.phases[label] += time.perf_counter() - started
            stats.step = outer

    return wrapper


def instrumented(db: Database, steps: IssueSteps, stats: Stats) -> IssueSteps:
    """Count renders and stale rounds; time the check, the render and the locked section."""
    assert steps.check is not None and steps.render is not None
    render = timed(stats, "render (PDF/A-3, CII, UBL)", steps.render)

    def counted_render(*args: Any, **kwargs: Any) -> Any:
        stats.renders += 1
        return render(*args, **kwargs)

    transaction = db.transaction

    @contextmanager
    def locked(account_id: str) -> Iterator[Any]:
        stats.commits += 1
        stats.in_lock = True
        started = time.perf_counter()
        try:
            with transaction(account_id) as tx:
                lock = tx.ledger.lock

                def timed_lock() -> int:  # SQLite waits at BEGIN, PostgreSQL at SELECT ... FOR UPDATE
                    head = lock()
                    if not stats.locked_at:
                        stats.locked_at = time.perf_counter()
                        stats.waited += stats.locked_at - started
                    return head

                stats.locked_at = 0.0
                tx.ledger.lock = timed_lock
                yield tx
        except Exception as exc:
            if type(exc).__name__ == "_Stale":
                stats.stale += 1
            raise
        finally:
            stats.in_lock = False
            stats.phases["locked section (lock, rebuild, number, store, commit)"] += time.perf_counter() - started

    db.transaction = locked  # type: ignore[method-assign]
    return replace(steps, check=timed(stats, "e-invoice check (total)", steps.check), render=counted_render)


def time_internals(stats: Stats, db: Database) -> None:
    """--breakdown only: time the public functions the issuing path calls, by module attribute."""
    from facturier.einvoice import schematron, validation, xsd
    from facturier.services import artefacts, issuing
    from facturier.services import issue as issue_module

    issuing.build_draft = timed(stats, "draft (build_draft: order -> priced, taxed draft)", issuing.build_draft)
    issue_module.validate = timed(stats, "domain rules (validate)", issue_module.validate)
    issuing.store = timed(stats, "store (archive files, chain event, rows)", issuing.store, part=True)
    db.blobs.sync = timed(stats, "archive sync (FileBlobStore.sync: os.sync)", db.blobs.sync, part=True)  # type: ignore[method-assign]
    artefacts.uncovered_text = timed(stats, "font coverage (uncovered_text)", artefacts.uncovered_text, part=True)
    artefacts.write_cii = timed(stats, "write_cii", artefacts.write_cii, part=True)
    artefacts.write_ubl = timed(stats, "write_ubl", artefacts.write_ubl, part=True)
    artefacts.render_pdf = timed(stats, "render_pdf (Typst PDF/A-3, XMP)", artefacts.render_pdf, part=True)
    validation.parse_xml = timed(stats, "parse_xml", validation.parse_xml, part=True)
    xsd.validate = timed(stats, "XSD", xsd.validate, part=True)
    run = schematron.run

    def schematron_run(relative: str, xml: bytes) -> Any:
        return timed(stats, f"schematron {relative.rsplit('/', 1)[-1]}", run, part=True)(relative, xml)

    schematron.run = schematron_run
    assert validation.schematron is schematron and validation.xsd is xsd


# -- workers -------------------------------------------------------------------------------------


def open_issuer(url: str, schema: str | None, archive: str, stats: Stats) -> Issuer:
    db = Database(make_engine(url, schema=schema), FileBlobStore(Path(archive)))
    steps = issue_steps(Settings(validate_einvoice=True, render=True, facturx_profile="en16931"))
    return Issuer(db, FixedClock(), instrumented(db, steps, stats), vies=None)


def issue_orders(issuer: Issuer, account: str, raws: list[bytes], batch: int) -> int:
    """The production path from bytes: parse, submission, issue (batch: all or nothing per call)."""
    created = 0
    for start in range(0, len(raws), batch):
        submissions = [order_submission(parse_order(raw)) for raw in raws[start : start + batch]]
        created += sum(r.created for r in issue(issuer, account, submissions, batch=batch > 1))
    return created


def warm_up(issuer: Issuer, warm_account: str, tag: str, stats: Stats) -> None:
    issue_orders(issuer, warm_account, [order_bytes(f"warm{tag}", i) for i in range(len(MIX))], 1)
    issue_orders(issuer, warm_account, [order_bytes(f"warm{tag}b", i) for i in range(len(MIX))], len(MIX))
    stats.renders = stats.commits = stats.stale = 0
    stats.waited = 0.0
    stats.phases.clear()


def worker(
    url: str, schema: str | None, archive: str, account: str, warm_account: str, tag: str,
    invoices: int, batch: int, ready: Any, go: Any, results: Any,
) -> None:  # fmt: skip
    stats = Stats()
    issuer = open_issuer(url, schema, archive, stats)
    warm_up(issuer, warm_account, tag, stats)
    raws = [order_bytes(tag, i) for i in range(invoices)]
    ready.put(tag)
    go.wait()
    started, cpu = time.perf_counter(), time.process_time()
    created = issue_orders(issuer, account, raws, batch)
    finished, cpu = time.perf_counter(), time.process_time() - cpu
    locked = sum(v for k, v in stats.phases.items() if k.startswith("locked"))
    results.put((tag, started, finished, created, stats.renders, stats.commits, stats.stale, locked, cpu, stats.waited))
    issuer.db.engine.dispose()


@dataclass
class Run:
    rate: float
    created: int
    renders: int
    commits: int
    stale: int
    locked: float  # seconds inside db.transaction (waiting for the lock included), all processes
    cpu: float  # CPU seconds of the issuing processes (not of the PostgreSQL server)
    waited: float  # seconds of `locked` spent waiting for the chain lock


def run(engine: str, processes: int, invoices: int, batch: int, repeat: int) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        db, url, schema = (sqlite_db if engine == "sqlite" else pg_db)(Path(tmp))
        try:
            account = create_seller(db, "seller")
            warm = [create_seller(db, f"warm{i}") for i in range(processes)]
            ready, results, go = CTX.Queue(), CTX.Queue(), CTX.Event()
            archive = str(Path(tmp) / "archive")
            procs = [
                CTX.Process(
                    target=worker,
                    args=(
                        url,
                        schema,
                        archive,
                        account,
                        warm[i],
                        f"r{repeat}p{i}",
                        invoices,
                        batch,
                        ready,
                        go,
                        results,
                    ),
                )
                for i in range(processes)
            ]
            for p in procs:
                p.start()
            for _ in procs:
                ready.get(timeout=300)
            go_at = time.perf_counter()
            go.set()
            reports = [results.get(timeout=1800) for _ in procs]
            for p in procs:
                p.join()
                assert p.exitcode == 0, p.exitcode
            elapsed = max(r[2] for r in reports) - go_at
            created = sum(r[3] for r in reports)
            assert created == processes * invoices, created
            report = verify_all(db, check_files=False)
            assert not report.problems, report.problems
            totals = [sum(r[k] for r in reports) for k in (4, 5, 6, 7, 8, 9)]
            return Run(created / elapsed, created, *totals)
        finally:
            db.engine.dispose()
            if schema:
                drop_pg_schema(schema)


CONFIGS = [
    # engine, processes, invoices per issue call
    ("sqlite", 1, 1),
    ("sqlite", 1, BATCH),
    ("sqlite", 2, 1),
    ("sqlite", 2, BATCH),
    ("postgresql", 1, 1),
    ("postgresql", 1, BATCH),
    ("postgresql", 2, 1),
    ("postgresql", 2, BATCH),
]


def throughput(invoices: int, repeats: int, only: str | None, processes_only: int | None) -> None:
    print("| engine | processes | invoices per transaction | invoices/s (median) | runs | renders per invoice | "
          "stale rounds / locked sections | ms in the locked section per invoice (waiting for the lock) | "
          "CPU ms per invoice |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, processes, batch in CONFIGS:
        if (only and only != engine) or (processes_only and processes_only != processes):
            continue
        runs = [run(engine, processes, invoices, batch, r) for r in range(repeats)]
        rates = sorted(r.rate for r in runs)
        created = sum(r.created for r in runs)
        renders = sum(r.renders for r in runs)

        def ms(seconds: Iterable[float], created: int = created) -> float:
            return 1000 * sum(seconds) / created

        print(
            f"| {engine} | {processes} | {batch} | {statistics.median(rates):,.1f} | "
            f"{', '.join(f'{x:.1f}' for x in rates)} | "
            f"{renders / created:.2f} ({renders - created} of {created} again) | "
            f"{sum(r.stale for r in runs)} / {sum(r.commits for r in runs)} | "
            f"{ms(r.locked for r in runs):.1f} ({ms(r.waited for r in runs):.1f}) | {ms(r.cpu for r in runs):.1f} |",
            flush=True,
        )


# -- where the time goes, one invoice at a time, one process -------------------------------------


def breakdown_worker(engine: str, invoices: int, results: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, url, schema = (sqlite_db if engine == "sqlite" else pg_db)(Path(tmp))
        try:
            account, warm = create_seller(db, "seller"), create_seller(db, "warm")
            stats = Stats()
            issuer = open_issuer(url, schema, str(Path(tmp) / "archive"), stats)
            warm_up(issuer, warm, "bd", stats)
            time_internals(stats, issuer.db)
            per_invoice: list[dict[str, float]] = []
            for i in range(invoices):
                raw = order_bytes("bd", i)
                stats.phases.clear()
                cpu, started = time.process_time(), time.perf_counter()
                order = timed(stats, "parse (parse_order)", parse_order)(raw)
                submission = order_submission(order)
                issued = issue(issuer, account, [submission])
                phases = dict(stats.phases)
                phases["total (parse + issue)"] = time.perf_counter() - started
                phases["total CPU of this process"] = time.process_time() - cpu
                assert issued[0].created
                per_invoice.append(phases)
            results.put((per_invoice, stats.renders, stats.stale))
            issuer.db.engine.dispose()
        finally:
            db.engine.dispose()
            if schema:
                drop_pg_schema(schema)


_ROWS = ("parse", "draft", "domain", "e-invoice", "  e-invoice", "render", "  render", "locked", "  locked", "  other",
         "total (", "total CPU")  # fmt: skip


def _row(name: str) -> tuple[int, str]:
    """Rows in the order issuing runs them, the parts of a step under it."""
    rank = next(i for i, prefix in enumerate(_ROWS) if name.startswith(prefix))
    return (rank, name)


def breakdown(invoices: int, only: str | None) -> None:
    for engine in ("sqlite", "postgresql"):
        if only and only != engine:
            continue
        results = CTX.Queue()
        p = CTX.Process(target=breakdown_worker, args=(engine, invoices, results))
        p.start()
        per_invoice, renders, stale = results.get(timeout=1800)
        p.join()
        assert p.exitcode == 0
        names = sorted(dict.fromkeys(name for phases in per_invoice for name in phases), key=_row)
        print(f"\n{engine}: {invoices} invoices one at a time, one process (renders {renders}, stale {stale})")
        print("| step | ms per invoice, median | mean |")
        print("|---|---|---|")
        for name in names:
            values = [phases.get(name, 0.0) * 1000 for phases in per_invoice]
            print(f"| {name} | {statistics.median(values):.1f} | {statistics.mean(values):.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=120, help="invoices per process per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per configuration; the median is reported")
    parser.add_argument("--breakdown", type=int, default=40, help="invoices timed step by step (0: skip)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--processes", type=int, choices=(1, 2), help="only the runs with this many processes")
    parser.add_argument("--no-throughput", action="store_true", help="only the step-by-step breakdown")
    args = parser.parse_args()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"# bench_e2e on {machine()}, {time.strftime('%Y-%m-%d %H:%M %Z')}, load {load}, "
          f"PostgreSQL at {PG_URL.split('@')[-1]}, {args.invoices} invoices per process per run")  # fmt: skip
    if not args.no_throughput:
        throughput(args.invoices, args.repeats, args.only, args.processes)
    if args.breakdown:
        breakdown(args.breakdown, args.only)


if __name__ == "__main__":
    main()
