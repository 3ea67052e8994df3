"""Scale-out on PostgreSQL: two `facturier serve --jobs no` processes and two `facturier worker`
processes over one database, as docs/deploy.md describes, with real sockets and signals.

Orders are issued concurrently through both APIs (and some order ids through both at once);
the invoice numbers stay gapless and unique, `facturier verify` passes, and every issued
document reaches a loopback webhook receiver exactly once, each job having run once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from standardwebhooks import Webhook
from tests.api.conftest import free_port
from tests.conftest import PgSchema, require_postgres
from tests.receivers import Receiver

from facturier.services.webhooks import DELIVER_JOB
from facturier.storage.jobs import EVENT_JOB
from facturier.storage.service_tables import jobs

FACTURIER = str(Path(sys.executable).parent / "facturier")
ORDER = Path(__file__).resolve().parents[2] / "examples" / "orders" / "01-b2b-france.json"
THREADS, PER_THREAD, DUPLICATES = 4, 10, 3
NUMBER = re.compile(r"^F(\d{4})-(\d{6})$")


@pytest.fixture
def schema() -> Iterator[PgSchema]:
    require_postgres()
    made = PgSchema()
    yield made
    made.drop()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([FACTURIER, *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"facturier {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


class Processes:
    """The service's processes, their stderr in files; SIGTERM to stop, SIGKILL if they linger."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        with (self.logs / f"{name}.log").open("wb") as err:
            self.running[name] = subprocess.Popen(
                [FACTURIER, *args], env=self.env, stdout=subprocess.DEVNULL, stderr=err
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def all_logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)[-3000:]}" for name in self.running)

    def alive(self) -> None:
        dead = {n: p.returncode for n, p in self.running.items() if p.poll() is not None}
        assert not dead, f"exited early: {dead}\n{self.all_logs()}"

    def stop(self) -> dict[str, int | None]:
        """SIGTERM to all, then wait: the exit codes (None: still running after 20 s, killed)."""
        for p in self.running.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        codes: dict[str, int | None] = {}
        deadline = time.monotonic() + 20
        for name, p in self.running.items():
            try:
                codes[name] = p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                codes[name] = None
        return codes

    def kill(self) -> None:
        for p in self.running.values():
            if p.poll() is None:
                p.kill()
                p.wait(10)


def _wait(condition: Callable[[], bool], what: str, seconds: float, processes: Processes) -> float:
    started = time.monotonic()
    while not condition():
        processes.alive()
        assert time.monotonic() - started < seconds, f"{what}: not after {seconds} s\n{processes.all_logs()}"
        time.sleep(0.1)
    return time.monotonic() - started


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


Answer = tuple[str, int, int, dict[str, Any]]  # (order id, which API, HTTP status, JSON body)


def _issue_concurrently(clients: list[httpx.Client]) -> list[Answer]:
    """THREADS clients alternating the two APIs, and DUPLICATES order ids sent to both at once."""
    template = json.loads(ORDER.read_text(encoding="utf-8"))
    answers: list[Answer] = []
    lock = threading.Lock()

    def post(order_id: str, api: int) -> None:
        answer = clients[api].post("/v1/orders", content=json.dumps({**template, "id": order_id}))
        try:
            body = answer.json()
        except ValueError:
            body = {"raw": answer.text}
        with lock:
            answers.append((order_id, api, answer.status_code, body))

    def client_thread(t: int) -> None:
        for i in range(PER_THREAD):
            post(f"SCALE-{t}-{i:02d}", (t + i) % 2)

    def duplicate(d: int) -> None:
        ready = threading.Barrier(2)

        def at_once(api: int) -> None:
            ready.wait(10)
            post(f"SCALE-DUP-{d}", api)

        pair = [threading.Thread(target=at_once, args=(api,)) for api in (0, 1)]
        for th in pair:
            th.start()
        for th in pair:
            th.join(60)

    with ThreadPoolExecutor(THREADS + DUPLICATES) as pool:
        running = [pool.submit(client_thread, t) for t in range(THREADS)]
        running += [pool.submit(duplicate, d) for d in range(DUPLICATES)]
        for f in running:
            f.result(120)
    return answers


def _numbers(answers: list[Answer], processes: Processes) -> dict[str, str]:
    """Every request got 201 or 200; one document per order id, created once: {order id: number}."""
    assert len(answers) == THREADS * PER_THREAD + 2 * DUPLICATES
    odd = [a for a in answers if a[2] not in (200, 201)]
    assert not odd, f"{odd}\n{processes.all_logs()}"
    number_of: dict[str, set[str]] = {}
    for order_id, _api, _status, body in answers:
        number_of.setdefault(order_id, set()).add(body["document"]["number"])
    assert all(len(n) == 1 for n in number_of.values()), number_of  # duplicates: the same number
    assert len(number_of) == THREADS * PER_THREAD + DUPLICATES
    created = Counter(o for o, _api, status, _body in answers if status == 201)
    assert set(created) == set(number_of) and set(created.values()) == {1}, created
    replays = [body["replayed"] for _o, _api, status, body in answers if status == 200]
    assert replays == [True] * DUPLICATES, answers
    return {order_id: numbers.pop() for order_id, numbers in number_of.items()}


def _check_series(issued: list[str], listed: dict[str, Any]) -> None:
    """F<year>-000001..N: gapless, unique, and what the API lists."""
    assert listed["next_cursor"] is None
    assert sorted(d["number"] for d in listed["data"] if d["kind"] == "invoice") == issued
    years = {n[1:5] for n in issued}
    assert len(years) == 1 and all(NUMBER.match(n) for n in issued), issued
    year = years.pop()
    assert issued == [f"F{year}-{i:06d}" for i in range(1, len(issued) + 1)]


def _webhook_jobs(schema: PgSchema) -> list[Any]:
    engine = schema.engine()
    try:
        with engine.connect() as conn:
            columns = (jobs.c.kind, jobs.c.status, jobs.c.attempts)
            return list(conn.execute(select(*columns).where(jobs.c.kind.in_((EVENT_JOB, DELIVER_JOB)))).all())
    finally:
        engine.dispose()


def _check_receiver(hooks: Receiver, secret: str, issued: list[str]) -> None:
    """Exactly one signed delivery per issued document, none twice (same webhook-id = a job ran twice)."""
    ids = Counter(r.headers["webhook-id"] for r in hooks.requests)
    assert len(ids) == len(issued) and set(ids.values()) == {1}, ids
    verifier, delivered = Webhook(secret), []
    for received in hooks.requests:
        event = verifier.verify(received.body, received.headers)
        assert event["type"] == "document.issued"
        delivered.append(event["data"]["number"])
    assert sorted(delivered) == issued


def _check_stopped(processes: Processes) -> float:
    """SIGTERM: a worker finishes its job and exits 0; serve lets the requests in flight finish
    and exits 0 too (api.asgi.GracefulServer). No request failed (5xx) on the way."""
    started = time.monotonic()
    codes = processes.stop()
    took = time.monotonic() - started
    clean = {"api0": (0,), "api1": (0,), "worker0": (0,), "worker1": (0,)}
    assert all(codes[n] in clean[n] for n in clean), f"{codes}\n{processes.all_logs()}"
    for name in ("api0", "api1"):
        lines = [json.loads(x) for x in processes.log(name).splitlines() if x.startswith("{")]
        assert lines, processes.log(name)
        assert not [x for x in lines if x.get("status", 0) >= 500 or "error" in x], processes.log(name)
    return took


def _runs_per_worker(processes: Processes, documents: int) -> dict[str, int]:
    """The workers' JSON job lines: every webhook job started once, in one worker, and ended done."""
    starts: Counter[str] = Counter()
    ends: dict[str, str] = {}
    per_worker: Counter[str] = Counter()
    for name in ("worker0", "worker1"):
        for line in processes.log(name).splitlines():
            entry = json.loads(line) if line.startswith("{") else {}
            if entry.get("kind") not in (EVENT_JOB, DELIVER_JOB):
                continue
            if entry["event"] == "job.start":
                starts[entry["job_id"]] += 1
                per_worker[name] += 1
            elif entry["event"] == "job.end":
                ends[entry["job_id"]] = entry["outcome"]
    assert len(starts) == 2 * documents and set(starts.values()) == {1}, starts
    assert set(ends) == set(starts) and set(ends.values()) == {"done"}, ends
    return dict(per_worker)


@pytest.mark.postgres
def test_two_apis_and_two_workers_share_one_postgresql(
    schema: PgSchema,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    hooks = receiver  # the loopback webhook receiver of test_webhooks.py (answers 200)
    env = {
        **os.environ,
        "FACTURIER_DATA_DIR": str(tmp_path / "data"),  # shared by every process: the archived files
        "FACTURIER_DATABASE_URL": f"{schema.url}?options=-csearch_path%3D{schema.schema}",
        "FACTURIER_WEBHOOKS_ALLOW_PRIVATE": "1",  # the receiver is on 127.0.0.1
        "COLUMNS": "200",
    }
    # The schema (migrations) and the seller before any service process starts, as docs/deploy.md says.
    _run(env, "init", "--demo")
    key = json.loads(_run(env, "apikey", "create", "--name", "scale-out", "--scope", "admin", "--json").stdout)["key"]
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    ports = {free_port()}
    while len(ports) < 2:
        ports.add(free_port())
    urls = [f"http://127.0.0.1:{port}" for port in sorted(ports)]
    processes = Processes(env, tmp_path)
    timings: dict[str, float] = {}
    clients = [httpx.Client(base_url=u, headers=headers, timeout=60) for u in urls]
    try:
        started = time.monotonic()
        for i, url in enumerate(urls):
            processes.start(f"api{i}", "serve", "--port", url.rsplit(":", 1)[1], "--jobs", "no")
            processes.start(f"worker{i}", "worker", "--idle-sleep", "0.05", "--name", f"worker{i}")
        for url in urls:
            _wait(partial(_healthy, url), f"{url}/ready", 60, processes)
        timings["start"] = time.monotonic() - started
        made = clients[0].post("/v1/webhook-endpoints", json={"url": hooks.url, "events": ["document.issued"]})
        assert made.status_code == 201, made.text

        started = time.monotonic()
        answers = _issue_concurrently(clients)
        timings["issue"] = time.monotonic() - started
        number_of = _numbers(answers, processes)
        issued = sorted(number_of.values())
        _check_series(issued, clients[1].get("/v1/documents", params={"limit": 500}).json())

        started = time.monotonic()
        verified = subprocess.run([FACTURIER, "verify"], env=env, capture_output=True, text=True, timeout=60)
        timings["verify"] = time.monotonic() - started
        assert verified.returncode == 0, verified.stdout + verified.stderr

        def drained() -> bool:  # no job queued or running, and the receiver has them all
            left = [
                clients[0].get("/v1/jobs", params={"status": s, "limit": 500}).json() for s in ("queued", "running")
            ]
            return not any(left) and len({r.headers["webhook-id"] for r in hooks.requests}) >= len(issued)

        timings["drain"] = _wait(drained, "every job done", 60, processes)
        done = _webhook_jobs(schema)  # one event job and one delivery job per document, each run once
        assert Counter(r.kind for r in done) == {EVENT_JOB: len(issued), DELIVER_JOB: len(issued)}, done
        assert [r for r in done if r.status != "done" or r.attempts != 1] == []
        _check_receiver(hooks, made.json()["secret"], issued)
        deliveries = clients[1].get("/v1/webhook-deliveries", params={"limit": 500}).json()
        assert len(deliveries) == len(issued) and {d["status"] for d in deliveries} == {"delivered"}

        timings["stop"] = _check_stopped(processes)
        per_worker = _runs_per_worker(processes, len(issued))
        print(f"\nscale-out timings (s): { {k: round(v, 1) for k, v in timings.items()} }; jobs run: {per_worker}")
    finally:
        for c in clients:
            c.close()
        processes.kill()
