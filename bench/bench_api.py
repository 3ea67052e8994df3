"""Benchmark: the HTTP API of `facturier serve`, from outside, as a client sees it.

Every measurement talks to real `facturier serve` processes (uvicorn, the app of
`facturier.api.asgi:create`) over loopback, on a throwaway seller made by `facturier init
--demo` (SQLite in a temporary FACTURIER_DATA_DIR, or a throwaway PostgreSQL database) with a
write key from `facturier apikey create`. The per-key rate limit is raised out of the way
(FACTURIER_API_RATE_LIMIT / _BURST). Orders are the mix of bench_e2e.py (per 4: 1 B2B France,
2 B2C France VAT-inclusive, 1 B2C Germany), each with its own id, dated today (Europe/Paris).

    cold_start   spawn `facturier serve --port P` (SQLite, seller ready) -> first 200 of GET
                 /health; median of --cold-runs (target <= 1 s); plus where a start goes
                 (interpreter, imports, `build()`, `create_app`) in a separate process.
    get_latency  --documents issued first, then GET /v1/documents/{number} at a constant
                 arrival rate (open loop: each request is sent at its scheduled time whether or
                 not the earlier ones answered, and its latency runs from that scheduled time,
                 so a stalled server cannot hide behind a waiting client: no coordinated
                 omission); asyncio + httpx.AsyncClient with a connection pool, in this process,
                 on the same machine (its own CPU is reported). Target p99 <= 50 ms at 200/s.
    issue_api    POST /v1/orders, one order per request, --clients concurrent clients (closed
                 loop), and POST /v1/orders/batch in batches of --batch; SQLite with 1 serve
                 process, PostgreSQL with 2 (two ports, the clients spread over them). Each
                 serve process is warmed up first (Saxon compiles every schematron on first use).
    issue_cli    the same orders through `facturier issue FILES...`, one process per call, in
                 batches of --batch and one order per call; then the API / CLI ratio.

Each part runs alone with `--only NAME` (repeatable). The whole run takes ~8 minutes.

    .venv/bin/python bench/bench_api.py [--only get_latency] [--rates 200] [--duration 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "orders"
PG_URL = os.environ.get("FACTURIER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MIX = ("01-b2b-france.json", "02-b2c-france.json", "02-b2c-france.json", "06-b2c-germany.json")
_TEMPLATES = {name: json.loads((EXAMPLES / name).read_bytes()) for name in set(MIX)}
COLD_TARGET_S = 1.0
CONNECTIONS = 64  # the load generator's connection pool
GIVE_UP = 10.0  # seconds after its due time a GET counts as failed (bounds a run when the server falls behind)
P99_TARGET_MS = 50.0


def facturier_bin() -> str:
    here = Path(sys.executable).parent / "facturier"
    found = str(here) if here.exists() else shutil.which("facturier")
    if not found:
        sys.exit("facturier is not installed next to this Python (use .venv/bin/python)")
    return found


FACTURIER = facturier_bin()


# -- machine, orders ------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    where = "import facturier, os; print(os.path.dirname(facturier.__file__))"
    source = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True).stdout.strip()
    return (
        f"{platform.node()}: nproc {os.cpu_count()}, {model}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load {load}, commit {commit.stdout.strip() or '?'} "
        f"(facturier imported from {source})"
    )


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()


def order(tag: str, i: int) -> dict[str, Any]:
    """The i-th order of the mix, with a unique id, dated today, a quantity varied."""
    data: dict[str, Any] = copy.deepcopy(_TEMPLATES[MIX[i % len(MIX)]])
    data["id"] = f"{data['id']}-{tag}-{i:06d}"
    data["date"] = today()
    if data["payment"].get("paid_on"):
        data["payment"]["paid_on"] = data["date"]
    data["lines"][0]["quantity"] = 1 + i % 5
    return data


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of values; nan if none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 100)) - 1))]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (its threads included), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class Meter:
    """CPU of some processes, of this process and of the machine over a span of wall time."""

    pids: list[int]
    started: float = 0.0
    cpu: list[float] = field(default_factory=list)
    own: float = 0.0
    busy: tuple[float, float] = (0.0, 0.0)
    wall: float = 0.0
    machine: float = 0.0  # share of all CPUs busy (any process)

    def __enter__(self) -> Meter:
        self.started, self.own, self.busy = time.perf_counter(), time.process_time(), machine_busy()
        self.cpu = [cpu_seconds(p) for p in self.pids]
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        self.own = time.process_time() - self.own
        self.cpu = [cpu_seconds(p) - c for p, c in zip(self.pids, self.cpu, strict=True)]
        busy, total = machine_busy()
        self.machine = (busy - self.busy[0]) / max(1, total - self.busy[1])


# -- a seller, its database, its key; serve processes ----------------------------------------------


@dataclass
class Site:
    directory: Path
    env: dict[str, str]
    key: str
    engine: str


def run_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([FACTURIER, *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"facturier {' '.join(args[:3])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _pg_admin(statement: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@contextlib.contextmanager
def site(engine: str) -> Iterator[Site]:
    """A fresh seller (`facturier init --demo`) with a write key, on SQLite or a new PostgreSQL database."""
    with tempfile.TemporaryDirectory(prefix="bench_api_") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTURIER_")}
        env |= {"FACTURIER_DATA_DIR": tmp, "FACTURIER_API_RATE_LIMIT": "1e6", "FACTURIER_API_RATE_BURST": "1e6"}
        database = f"bench_api_{uuid.uuid4().hex[:10]}" if engine == "postgresql" else ""
        if database:
            _pg_admin(f"CREATE DATABASE {database}")
            env["FACTURIER_DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + database
        try:
            run_cli(env, "init", "--demo")
            key = json.loads(run_cli(env, "apikey", "create", "--name", "bench", "--scope", "write", "--json"))["key"]
            yield Site(Path(tmp), env, key, engine)
        finally:
            if database:
                _pg_admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_offset(self) -> int:
        return self.log.stat().st_size

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        """The API's JSON log lines (one per request, and one per uncaught error) since an offset."""
        with open(self.log, "rb") as f:
            f.seek(since)
            lines = f.read().decode(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith('{"request_id"')]


def spawn(s: Site, port: int) -> Server:
    log = s.directory / f"serve-{port}.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen([FACTURIER, "serve", "--port", str(port)], env=s.env, stdout=out, stderr=out)
    return Server(proc, port, log)


def health(port: int, deadline: float) -> float:
    """Poll GET /health every 5 ms until a 200; the perf_counter time it came."""
    while time.perf_counter() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return time.perf_counter()
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.005)
    raise TimeoutError(f"serve on port {port} did not answer /health in time")


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@contextlib.contextmanager
def serving(s: Site, processes: int) -> Iterator[list[Server]]:
    """`processes` serve processes on their own ports, each answering /health, stopped after."""
    servers: list[Server] = []
    try:
        for _ in range(processes):
            servers.append(spawn(s, free_port()))
            health(servers[-1].port, time.perf_counter() + 60)
        yield servers
    finally:
        for server in servers:
            stop(server)


def auth(s: Site) -> dict[str, str]:
    return {"authorization": f"Bearer {s.key}"}


# -- 1. cold start ---------------------------------------------------------------------------------

_PHASES = """
import json, time
t = [time.perf_counter()]
import facturier.cli.main
t.append(time.perf_counter())
import facturier.bootstrap
facturier.bootstrap.build()
t.append(time.perf_counter())
import uvicorn
t.append(time.perf_counter())
import facturier.api.asgi
t.append(time.perf_counter())
application = facturier.bootstrap.build()
t.append(time.perf_counter())
facturier.api.app.create_app(application)
t.append(time.perf_counter())
print(json.dumps([b - a for a, b in zip(t, t[1:])]))
"""
PHASES = (
    "Python interpreter start (`python -c pass`)",
    "the CLI's imports (`facturier.cli.main`: typer, rich, every command, the services, SQLAlchemy, Alembic)",
    "`build()` before uvicorn starts (settings, engine, schema check)",
    "import uvicorn",
    "import the app (`facturier.api.asgi`: FastAPI, pydantic models, the routes)",
    "`build()` again, in the app factory",
    "`create_app`",
)


def start_phases(s: Site, runs: int) -> dict[str, float]:
    """Where a start goes, in fresh processes (medians): the interpreter alone, then what `serve`
    does before uvicorn listens, in its order, in one process."""
    bare, parts = [], []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
        out = subprocess.run([sys.executable, "-c", _PHASES], env=s.env, capture_output=True, text=True, check=True)
        parts.append(json.loads(out.stdout))
    values = [statistics.median(bare), *(statistics.median(p[i] for p in parts) for i in range(len(PHASES) - 1))]
    return dict(zip(PHASES, values, strict=True))


def cold_start(args: argparse.Namespace, results: dict[str, Any]) -> None:
    with site("sqlite") as s:
        times = []
        for _ in range(args.cold_runs):
            port = free_port()
            started = time.perf_counter()
            server = spawn(s, port)
            try:
                times.append(health(port, started + 60) - started)
            finally:
                stop(server)
        phases = start_phases(s, 3)
    median = statistics.median(times)
    verdict = "met" if median <= COLD_TARGET_S else f"**missed** by {median - COLD_TARGET_S:.2f} s"
    print(f"\n### cold_start: `facturier serve` spawned -> first 200 of GET /health (SQLite, {len(times)} runs)\n")
    print("| median | min - max | runs | target | verdict |")
    print("|---|---|---|---|---|")
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"| **{median:.2f} s** | {min(times):.2f} - {max(times):.2f} s | {runs} | <= 1 s | {verdict} |")
    print("\nWhere a start goes (fresh processes, median of 3, the steps of `serve` in its order):\n")
    print("| phase | ms |")
    print("|---|---|")
    for name, value in phases.items():
        print(f"| {name} | {value * 1000:.0f} |")
    rest = median - sum(phases.values())
    print(f"| the rest: uvicorn's start, binding, the first GET /health (by difference) | {rest * 1000:.0f} |")
    results["cold_start"] = median


# -- 2. GET latency, open loop ---------------------------------------------------------------------


@dataclass
class Shot:
    due: float  # scheduled send time
    started: float  # when this process got round to it (late if the generator itself is behind)
    done: float  # answer received, or given up
    status: int | str


async def _one(client: httpx.AsyncClient, gate: asyncio.Semaphore, path: str, due: float, shots: list[Shot]) -> None:
    """One GET on a pooled connection (waiting for a free one counts), given up GIVE_UP s after its due time."""
    started = time.perf_counter()
    status: int | str = f"no answer in {GIVE_UP:g} s"
    try:
        async with asyncio.timeout(max(0.001, due + GIVE_UP - started)), gate:
            status = (await client.get(path)).status_code
    except TimeoutError:
        pass
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    shots.append(Shot(due, started, time.perf_counter(), status))


async def open_loop(base: str, headers: dict[str, str], paths: list[str], rate: float, duration: float) -> list[Shot]:
    """Send rate * duration GETs, request i at start + i / rate, without waiting for answers.

    At most CONNECTIONS requests are in flight (one per pooled connection); the others wait for
    a connection in this process, and that wait is part of their latency, as it would be for a
    client. (The semaphore keeps httpx's own pool from queueing thousands of waiters, whose
    bookkeeping is quadratic and would slow the generator down, not the server.)"""
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    gate = asyncio.Semaphore(CONNECTIONS)
    shots: list[Shot] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=GIVE_UP) as client:
        tasks = []
        start = time.perf_counter() + 0.05
        for i in range(int(rate * duration)):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_one(client, gate, paths[i % len(paths)], due, shots)))
        await asyncio.gather(*tasks)
    return shots


async def _with_issuing(base: str, headers: dict[str, str], paths: list[str], rate: float, duration: float) -> Any:
    """The open loop while one client issues batches of 20 orders, one after the other, on the same server."""
    issued = 0

    async def issuing() -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as client:
            while not done.is_set():
                body = {"orders": [order(f"mixed{issued}", i) for i in range(20)]}
                (await client.post("/v1/orders/batch", json=body)).raise_for_status()
                issued += 20

    done = asyncio.Event()
    background = asyncio.create_task(issuing())
    await asyncio.sleep(1.0)  # the first batch under way
    shots = await open_loop(base, headers, paths, rate, duration)
    done.set()
    await background
    return shots, issued


async def _issue_for_reads(base: str, headers: dict[str, str], count: int) -> list[str]:
    numbers: list[str] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as client:
        for start in range(0, count, 20):
            body = {"orders": [order("read", i) for i in range(start, min(count, start + 20))]}
            answer = await client.post("/v1/orders/batch", json=body)
            answer.raise_for_status()
            numbers += [d["document"]["number"] for d in answer.json()["data"]]
        for number in numbers * 2:  # warm: connections, the routes' first calls
            (await client.get(f"/v1/documents/{number}")).raise_for_status()
    return numbers


def latency_row(rate: float, duration: float, shots: list[Shot], meter: Meter, logged: list[dict[str, Any]]) -> str:
    ok = [s for s in shots if s.status == 200]
    lat = [(s.done - s.due) * 1000 for s in shots]  # every request, a failed one at the time it failed
    errors = Counter(str(s.status) for s in shots if s.status != 200)
    first = min(s.due for s in shots)
    answered = len(ok) / (max(s.done for s in shots) - first)
    lag = [(s.started - s.due) * 1000 for s in shots]
    server = [float(line["duration_ms"]) for line in logged if line.get("method") == "GET"]
    verdict = "met" if pct(lat, 99) <= P99_TARGET_MS else f"**missed** ({pct(lat, 99) / P99_TARGET_MS:.1f}x)"
    err = ", ".join(f"{k}: {v}" for k, v in errors.items()) or "0"
    return (
        f"| {rate:g}/s x {duration:g} s | {len(shots)} | {answered:.1f} | {pct(lat, 50):.1f} | {pct(lat, 90):.1f} | "
        f"**{pct(lat, 99):.1f}** | {max(lat, default=float('nan')):.1f} | {verdict} | {err} | "
        f"{pct(server, 50):.1f} / {pct(server, 99):.1f} | {pct(lag, 99):.1f} | {100 * meter.own / meter.wall:.0f} % | "
        f"{100 * sum(meter.cpu) / meter.wall:.0f} % ({1000 * sum(meter.cpu) / max(1, len(shots)):.1f} ms/request) | "
        f"{100 * meter.machine:.0f} % |"
    )


def drain(server: Server, limit: float = 120.0) -> float:
    """Wait until the serve process is idle (under 5 % of a core over 0.5 s): the seconds it took.

    After an overload it keeps working on requests whose clients gave up long ago."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before = cpu_seconds(server.proc.pid)
        time.sleep(0.5)
        if cpu_seconds(server.proc.pid) - before < 0.025:
            break
    return time.perf_counter() - started


def _mixed_row(s: Site, server: Server, paths: list[str], args: argparse.Namespace) -> None:
    offset = server.log_offset()
    with Meter([server.proc.pid]) as meter:
        shots, issued = asyncio.run(_with_issuing(server.base, auth(s), paths, args.mixed_rate, args.duration))
    time.sleep(0.2)
    row = latency_row(args.mixed_rate, args.duration, shots, meter, server.requests(offset))
    print(row.replace(" |", f" while 1 client issues batches of 20 ({issued} invoices) |", 1), flush=True)


def get_latency(args: argparse.Namespace, results: dict[str, Any]) -> None:
    with site("sqlite") as s, serving(s, 1) as (server,):
        numbers = asyncio.run(_issue_for_reads(server.base, auth(s), args.documents))
        paths = [f"/v1/documents/{n}" for n in numbers]
        print(f"\n### get_latency: GET /v1/documents/{{number}}, open loop, {len(numbers)} documents, SQLite, ")
        print("1 serve process; latency from the scheduled send time to the answer, for every request (one")
        print(f"without an answer {GIVE_UP:g} s after its due time counts as an error, at that time); at most")
        print(f"{CONNECTIONS} connections\n")
        print("| arrival rate x duration | requests | answered 200/s | p50 ms | p90 ms | p99 ms | max ms | "
              "p99 <= 50 ms | errors | server-side p50 / p99 ms (its log) | generator lag p99 ms | "
              "generator CPU (of one core) | serve CPU | machine busy (2 cores = 100 %) |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        drained = []
        for rate in args.rates:
            offset = server.log_offset()
            with Meter([server.proc.pid]) as meter:
                shots = asyncio.run(open_loop(server.base, auth(s), paths, rate, args.duration))
            time.sleep(0.2)  # the last log lines
            print(latency_row(rate, args.duration, shots, meter, server.requests(offset)), flush=True)
            drained.append(f"{rate:g}/s: {drain(server):.1f} s")
        if args.mixed_rate:
            _mixed_row(s, server, paths, args)
        print(f"\nThe serve process was still busy after each run for (idle again after): {', '.join(drained)}")


# -- 3. issuing through the API --------------------------------------------------------------------


@dataclass
class Issued:
    mode: str
    invoices: int
    wall: float
    latencies: list[float]
    statuses: Counter[str]
    cpu: list[float]
    machine: float


async def _post_all(bases: list[str], headers: dict[str, str], jobs: list[tuple[str, Any]], clients: int) -> Any:
    """`clients` closed-loop clients (client c on bases[c % len]) taking jobs (path, body) in turn."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    queue = list(reversed(jobs))

    async def client(c: int) -> None:
        async with httpx.AsyncClient(base_url=bases[c % len(bases)], headers=headers, timeout=600) as http:
            while queue:
                path, body = queue.pop()
                started = time.perf_counter()
                try:
                    statuses[str((await http.post(path, json=body)).status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(client(c) for c in range(clients)))
    return latencies, statuses


def warm_up(servers: list[Server], headers: dict[str, str]) -> None:
    """Every serve process issues the mix once, one order and a batch (Saxon compiles its XSLTs)."""
    for n, server in enumerate(servers):
        jobs: list[tuple[str, Any]] = [("/v1/orders", order(f"warm{n}", 0))]
        jobs.append(("/v1/orders/batch", {"orders": [order(f"warm{n}b", i) for i in range(len(MIX))]}))
        _, statuses = asyncio.run(_post_all([server.base], headers, jobs, 1))
        assert set(statuses) == {"201"}, statuses


def issue_mode(servers: list[Server], headers: dict[str, str], mode: str, args: argparse.Namespace) -> Issued:
    if mode == "one":
        jobs = [("/v1/orders", order("one", i)) for i in range(args.orders)]
    else:
        jobs = [
            ("/v1/orders/batch", {"orders": [order("batch", b * args.batch + i) for i in range(args.batch)]})
            for b in range(args.batches)
        ]
    invoices = args.orders if mode == "one" else args.batch * args.batches
    with Meter([s.proc.pid for s in servers]) as meter:
        latencies, statuses = asyncio.run(_post_all([s.base for s in servers], headers, jobs, args.clients))
    return Issued(mode, invoices, meter.wall, latencies, statuses, meter.cpu, meter.machine)


def _problems(servers: list[Server]) -> Counter[str]:
    seen: Counter[str] = Counter()
    for server in servers:
        for line in server.requests():
            if "error" in line or int(line.get("status", 200)) >= 500:
                seen["5xx / uncaught"] += 1
            elif int(line.get("status", 200)) >= 400:
                seen[f"{line['status']} {line.get('path')}"] += 1
    return seen


def issue_api(args: argparse.Namespace, results: dict[str, Any]) -> None:
    print(f"\n### issue_api: issuing through the API, {args.clients} concurrent clients\n")
    print("| engine | serve processes | orders per request | invoices | invoices/s | request p50 / p90 / max s | "
          "statuses | serve CPU ms per invoice | machine busy |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for engine, processes in (("sqlite", 1), ("postgresql", 2)):
        if engine not in args.engines:
            continue
        with site(engine) as s:
            with serving(s, processes) as servers:
                warm_up(servers, auth(s))
                for mode in ("one", "batch"):
                    done = issue_mode(servers, auth(s), mode, args)
                    rate = done.invoices / done.wall
                    results[f"api/{engine}/{mode}"] = rate
                    size = 1 if mode == "one" else args.batch
                    lat = done.latencies
                    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(done.statuses.items()))
                    print(
                        f"| {engine} | {processes} | {size} | {done.invoices} | **{rate:.1f}** | "
                        f"{pct(lat, 50):.2f} / {pct(lat, 90):.2f} / {max(lat):.2f} | {statuses} | "
                        f"{1000 * sum(done.cpu) / done.invoices:.0f} | {100 * done.machine:.0f} % |",
                        flush=True,
                    )
                problems = _problems(servers)
            verified = subprocess.run([FACTURIER, "verify"], env=s.env, capture_output=True, text=True)
            note = f"{engine}: `facturier verify` after the run: exit {verified.returncode}"
            results.setdefault("notes", []).append(f"{note}; API log problems: {dict(problems) or 'none'}")
    for note in results.get("notes", []):
        print(f"\n- {note}")


# -- 4. issuing through the CLI --------------------------------------------------------------------


def _cli_calls(s: Site, files: list[list[Path]]) -> tuple[float, list[float], float]:
    """Run `facturier issue` once per group of files: (total wall, wall per call, CPU of the calls)."""
    walls = []
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    for group in files:
        started = time.perf_counter()
        run_cli(s.env, "issue", *map(str, group))
        walls.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return sum(walls), walls, used


def _write_orders(directory: Path, tag: str, count: int) -> list[Path]:
    directory.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        path = directory / f"{tag}-{i:04d}.json"
        path.write_text(json.dumps(order(tag, i), ensure_ascii=False))
        paths.append(path)
    return paths


def issue_cli(args: argparse.Namespace, results: dict[str, Any]) -> None:
    print("\n### issue_cli: `facturier issue FILES...`, one process per call, calls one after the other\n")
    print("| engine | orders per call | calls | invoices | invoices/s | s per call, median (min - max) | "
          "CPU ms per invoice (the CLI processes) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for engine in args.engines:
        with site(engine) as s:
            orders = s.directory / "orders"
            run_cli(s.env, "issue", *map(str, _write_orders(orders, "warm", 1)))  # not timed: caches, first call
            batch = _write_orders(orders, "batch", args.batch * args.cli_batches)
            single = _write_orders(orders, "one", args.cli_single)
            plans = (
                ("batch", args.batch, [batch[i : i + args.batch] for i in range(0, len(batch), args.batch)]),
                ("one", 1, [[p] for p in single]),
            )
            for mode, size, groups in plans:
                if not groups:
                    continue
                wall, walls, cpu = _cli_calls(s, groups)
                invoices = sum(len(g) for g in groups)
                rate = invoices / wall
                results[f"cli/{engine}/{mode}"] = rate
                print(
                    f"| {engine} | {size} | {len(groups)} | {invoices} | **{rate:.2f}** | "
                    f"{statistics.median(walls):.2f} ({min(walls):.2f} - {max(walls):.2f}) | "
                    f"{1000 * cpu / invoices:.0f} |",
                    flush=True,
                )


def ratios(args: argparse.Namespace, results: dict[str, Any]) -> None:
    rows = []
    for engine in args.engines:
        for mode, size in (("one", "1"), ("batch", str(args.batch))):
            api, cli = results.get(f"api/{engine}/{mode}"), results.get(f"cli/{engine}/{mode}")
            if api and cli:
                processes = 1 if engine == "sqlite" else 2
                rows.append(f"| {engine} | {size} | {api:.1f} ({processes} serve) | {cli:.2f} | **{api / cli:.1f}x** |")
    if rows:
        print("\n### API / CLI, invoices/s\n")
        print("| engine | orders per request or call | API | CLI (sequential calls) | API / CLI |")
        print("|---|---|---|---|---|")
        print("\n".join(rows))


PARTS: dict[str, Callable[[argparse.Namespace, dict[str, Any]], None]] = {
    "cold_start": cold_start,
    "get_latency": get_latency,
    "issue_api": issue_api,
    "issue_cli": issue_cli,
}


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the serve processes, drop the database
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=tuple(PARTS), help="run this part only (repeatable)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="issue_api / issue_cli engines")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=50, help="documents issued before the GETs")
    parser.add_argument("--rates", default="50,100,200", help="GET arrival rates per second, comma-separated")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of GETs per rate")
    parser.add_argument("--mixed-rate", type=float, default=20.0, help="GETs per second while issuing (0: skip)")
    parser.add_argument("--orders", type=int, default=200, help="orders issued one per request")
    parser.add_argument("--clients", type=int, default=4, help="concurrent API clients when issuing")
    parser.add_argument("--batch", type=int, default=20, help="orders per batch request / CLI call")
    parser.add_argument("--batches", type=int, default=10, help="batch requests")
    parser.add_argument("--cli-batches", type=int, default=5, help="CLI calls of --batch orders")
    parser.add_argument("--cli-single", type=int, default=20, help="CLI calls of one order")
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    args.engines = [e for e in args.engines.split(",") if e]
    print(f"# bench_api on {machine()}; PostgreSQL at {PG_URL.split('@')[-1]}")
    results: dict[str, Any] = {}
    started = time.perf_counter()
    for name, part in PARTS.items():
        if not args.only or name in args.only:
            part(args, results)
    ratios(args, results)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
