"""Outbound webhooks end to end, on SQLite and PostgreSQL, against a real HTTP server on 127.0.0.1:
the event written with the invoice (outbox), fan-out, signed delivery, retries, idempotent
fan-out, replay, the SSRF guard at registration and at send time, disabled endpoints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook
from tests.cli_support import CLI_NOW, Cli
from tests.conftest import FixedClock
from tests.factories import issue_orders, new_account, order_data
from tests.receivers import Receiver, handler_for

from facturier.bootstrap import App, build
from facturier.config import Settings
from facturier.delivery.webhooks import post, send
from facturier.domain.errors import InvalidInput, NotFound
from facturier.domain.jobs import WEBHOOK_RETRY, Job
from facturier.services import webhooks
from facturier.services.jobs import JobContext, PermanentFailure
from facturier.storage.database import Database

WORKER = "test-worker"
LEASE = timedelta(seconds=60)


@pytest.fixture
def now_clock() -> FixedClock:
    """The handlers' clock at the real time: receivers check the signature's timestamp (5 min)."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


def _ctx(db: Database, clock: FixedClock, allow_private: bool = True) -> JobContext:
    return JobContext(db, clock, allow_private_webhooks=allow_private, http_timeout=5.0)


def _endpoint(db: Database, account: str, url: str, events: tuple[str, ...] = ("document.issued",)) -> str:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    _, secret = webhooks.register_endpoint(db, account, url, events, "test", now, allow_private=True)
    return secret


def _claim(db: Database, kind: str, clock: FixedClock) -> Job:
    job = db.jobs.claim(WORKER, clock(), LEASE, kinds=(kind,))
    assert job is not None, f"no {kind} job due"
    return job


def _run(ctx: JobContext, kind: str) -> Exception | None:
    """What a worker does with one job: run the handler, then complete it or fail it (retry/park)."""
    db, clock = ctx.db, ctx.clock
    job = _claim(db, kind, clock)  # type: ignore[arg-type]
    handler = webhooks.HANDLERS[kind]
    try:
        handler(ctx, job)
    except Exception as exc:
        db.jobs.fail(job, WORKER, str(exc), clock(), WEBHOOK_RETRY)
        return exc
    db.jobs.complete(job, WORKER, clock())
    return None


def _event_jobs(db: Database, account: str) -> list[Job]:
    return [j for j in db.jobs.list(account_id=account) if j.kind == webhooks.EVENT_JOB]


def _issued(db: Database, receiver_url: str, clock: FixedClock) -> tuple[str, str, str]:
    """An account with an endpoint on `receiver_url`, and one invoice issued: (account, secret, number)."""
    account = new_account(db)
    secret = _endpoint(db, account, receiver_url)
    number = issue_orders(db, account, [order_data()], clock)[0].document.number
    return account, secret, number


def test_issuing_writes_one_event_only_when_an_endpoint_listens(db: Database, clock: FixedClock) -> None:
    account = new_account(db)
    issue_orders(db, account, [order_data(id="ORD-1")], clock)
    assert _event_jobs(db, account) == []  # no endpoint: nothing written
    _endpoint(db, account, "http://127.0.0.1:9/hooks", ("document.paid",))
    issue_orders(db, account, [order_data(id="ORD-2")], clock)
    assert _event_jobs(db, account) == []  # an endpoint, but not listening to document.issued
    _endpoint(db, account, "http://127.0.0.1:9/other", ("document.issued", "credit_note.issued"))
    number = issue_orders(db, account, [order_data(id="ORD-3")], clock)[0].document.number
    [job] = _event_jobs(db, account)
    assert job.payload["type"] == "document.issued" and job.payload["data"]["number"] == number
    assert job.payload["data"]["order_id"].endswith("ORD-3") and job.account_id == account


def test_fan_out_and_deliver_send_a_signed_body(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver
) -> None:
    account, secret, number = _issued(db, receiver.url, clock)
    ctx = _ctx(db, now_clock)
    [event] = _event_jobs(db, account)
    assert _run(ctx, webhooks.EVENT_JOB) is None
    assert _run(ctx, webhooks.DELIVER_JOB) is None
    [request] = receiver.requests
    assert request.path == "/hooks"
    headers = request.headers
    assert headers["content-type"] == "application/json" and headers["user-agent"] == "Facturier-Webhooks/1"
    assert headers["webhook-timestamp"] == str(int(now_clock().timestamp()))
    sent = Webhook(secret).verify(request.body, headers)  # raises unless the signature matches
    assert sent["id"] == event.id and sent["type"] == "document.issued"
    assert sent["timestamp"] == event.payload["timestamp"] and sent["data"]["number"] == number
    [delivery] = webhooks.list_deliveries(db, account)
    assert (delivery.id, delivery.status, delivery.attempts) == (headers["webhook-id"], "delivered", 1)
    assert delivery.payload.encode() == request.body and delivery.event_id == event.id


def test_a_500_then_a_200_is_one_delivery_with_two_attempts(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver
) -> None:
    account, _, _ = _issued(db, receiver.url, clock)
    receiver.statuses = [500]
    ctx = _ctx(db, now_clock)
    _run(ctx, webhooks.EVENT_JOB)
    failure = _run(ctx, webhooks.DELIVER_JOB)
    assert isinstance(failure, webhooks.DeliveryFailed) and "HTTP 500" in str(failure)
    assert db.jobs.claim(WORKER, now_clock(), LEASE) is None  # waiting for its backoff
    now_clock.now += timedelta(seconds=30)  # past the first retry's delay (5 s at most)
    assert _run(ctx, webhooks.DELIVER_JOB) is None
    [delivery] = webhooks.list_deliveries(db, account)
    detail = webhooks.get_delivery(db, account, delivery.id)
    assert detail.delivery.status == "delivered" and detail.delivery.delivered_at is not None
    assert [(a.n, a.status_code, a.error) for a in detail.attempts] == [(1, 500, None), (2, 200, None)]
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.id
    assert first.body == second.body
    assert [j.status for j in db.jobs.list(account_id=account)].count("done") == 2  # event + deliver


def test_fan_out_twice_makes_one_delivery(db: Database, clock: FixedClock, now_clock: FixedClock) -> None:
    account, _, _ = _issued(db, "http://127.0.0.1:9/hooks", clock)
    _endpoint(db, account, "http://127.0.0.1:9/second")
    ctx = _ctx(db, now_clock)
    job = _claim(db, webhooks.EVENT_JOB, now_clock)
    webhooks.fan_out(ctx, job)
    webhooks.fan_out(ctx, job)  # the worker died before completing it: it runs again
    deliveries = webhooks.list_deliveries(db, account)
    assert len(deliveries) == 2 and {d.event_id for d in deliveries} == {job.id}  # one per endpoint
    deliver_jobs = [j for j in db.jobs.list(account_id=account) if j.kind == webhooks.DELIVER_JOB]
    assert len(deliver_jobs) == 2 and all(j.max_attempts == WEBHOOK_RETRY.max_attempts for j in deliver_jobs)


def test_two_workers_fanning_out_one_event_at_once_make_one_delivery(
    db: Database, clock: FixedClock, now_clock: FixedClock
) -> None:
    """A worker whose lease expired and its successor may run the same fan-out concurrently."""
    account, _, _ = _issued(db, "http://127.0.0.1:9/hooks", clock)
    ctx = _ctx(db, now_clock)
    job = _claim(db, webhooks.EVENT_JOB, now_clock)
    start, errors = threading.Barrier(4), []

    def run() -> None:
        start.wait()
        try:
            webhooks.fan_out(ctx, job)
        except Exception as exc:  # a lost race may fail; the job would be retried
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(webhooks.list_deliveries(db, account)) == 1
    assert [j.kind for j in db.jobs.list(account_id=account)].count(webhooks.DELIVER_JOB) == 1


def test_replay_sends_the_same_webhook_id_and_body(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver
) -> None:
    account, secret, _ = _issued(db, receiver.url, clock)
    ctx = _ctx(db, now_clock)
    _run(ctx, webhooks.EVENT_JOB)
    _run(ctx, webhooks.DELIVER_JOB)
    [delivery] = webhooks.list_deliveries(db, account)
    now_clock.now += timedelta(minutes=2)
    webhooks.replay(db, account, delivery.id, now_clock())
    assert _run(ctx, webhooks.DELIVER_JOB) is None
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.id
    assert first.body == second.body
    assert int(second.headers["webhook-timestamp"]) == int(first.headers["webhook-timestamp"]) + 120  # signed anew
    Webhook(secret).verify(second.body, second.headers)
    assert webhooks.get_delivery(db, account, delivery.id).delivery.attempts == 2


def test_failing_every_attempt_parks_the_job_and_fails_the_delivery(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver
) -> None:
    account, _, _ = _issued(db, receiver.url, clock)
    receiver.statuses = [503] * WEBHOOK_RETRY.max_attempts
    ctx = _ctx(db, now_clock)
    _run(ctx, webhooks.EVENT_JOB)
    for _ in range(WEBHOOK_RETRY.max_attempts):
        assert isinstance(_run(ctx, webhooks.DELIVER_JOB), webhooks.DeliveryFailed)
        now_clock.now += WEBHOOK_RETRY.cap + timedelta(minutes=1)
    [delivery] = webhooks.list_deliveries(db, account, status="failed")
    assert delivery.attempts == WEBHOOK_RETRY.max_attempts == len(receiver.requests)
    [parked] = [j for j in db.jobs.list(account_id=account, status="parked")]
    assert parked.kind == webhooks.DELIVER_JOB


@pytest.mark.parametrize("state", ["disabled", "deleted"])
def test_a_disabled_or_deleted_endpoint_fails_its_delivery_for_good(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver, state: str
) -> None:
    account, _, _ = _issued(db, receiver.url, clock)
    ctx = _ctx(db, now_clock)
    _run(ctx, webhooks.EVENT_JOB)
    [endpoint] = webhooks.list_endpoints(db, account)
    if state == "disabled":
        assert not webhooks.set_endpoint_enabled(db, account, endpoint.id, False).enabled
    else:
        webhooks.delete_endpoint(db, account, endpoint.id)
        assert webhooks.list_endpoints(db, account) == []
    job = _claim(db, webhooks.DELIVER_JOB, now_clock)
    with pytest.raises(PermanentFailure, match=state):
        webhooks.deliver(ctx, job)
    assert receiver.requests == []
    [delivery] = webhooks.list_deliveries(db, account)  # the history stays
    assert delivery.status == "failed"
    with pytest.raises(InvalidInput, match="WEBHOOK-REPLAY"):
        webhooks.replay(db, account, delivery.id, now_clock())
    other = new_account(db, "other")  # another account sees none of it
    assert webhooks.list_deliveries(db, other) == []
    with pytest.raises(NotFound):
        webhooks.get_delivery(db, other, delivery.id)


def test_an_address_refused_at_send_time_is_a_failed_attempt_without_traffic(
    db: Database, clock: FixedClock, now_clock: FixedClock, receiver: Receiver
) -> None:
    """DNS rebinding: the URL is checked again when sending (here the deployment forbids loopback)."""
    account, _, _ = _issued(db, receiver.url, clock)
    ctx = _ctx(db, now_clock, allow_private=False)
    _run(ctx, webhooks.EVENT_JOB)
    failure = _run(ctx, webhooks.DELIVER_JOB)
    assert isinstance(failure, webhooks.DeliveryFailed) and "refused" in str(failure)
    assert receiver.requests == []
    [delivery] = webhooks.list_deliveries(db, account)
    [attempt] = webhooks.get_delivery(db, account, delivery.id).attempts
    assert attempt.status_code is None and attempt.error is not None and "https is required" in attempt.error


def test_send_connects_to_the_checked_address_and_keeps_the_host_header(receiver: Receiver) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    result = send(f"http://localhost:{port}/hooks", {"x-test": "1"}, b"{}", 5.0, allow_private=True)
    assert (result.status_code, result.error) == (200, None)
    [request] = receiver.requests
    assert request.headers["host"] == f"localhost:{port}" and request.headers["x-test"] == "1"


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for "localhost" signed by it: (ca, cert, key)."""
    ca, ca_key, cert, key, csr = (folder / n for n in ("ca.pem", "ca.key", "cert.pem", "cert.key", "cert.csr"))
    new_key = ("-newkey", "rsa:2048", "-nodes", "-keyout")
    _openssl("req", "-x509", *new_key, str(ca_key), "-out", str(ca), "-days", "2", "-subj", "/CN=Facturier test CA")
    _openssl("req", *new_key, str(key), "-out", str(csr), "-subj", "/CN=localhost")
    (folder / "san.cnf").write_text("subjectAltName=DNS:localhost\n")
    signing = ("-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-days", "2")
    _openssl("x509", "-req", "-in", str(csr), *signing, "-out", str(cert), "-extfile", str(folder / "san.cnf"))
    return ca, cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make certificates")
def test_https_to_the_checked_address_keeps_the_server_name_and_verifies_the_certificate(tmp_path: Path) -> None:
    """Pinning the IP must not weaken TLS: the server gets SNI "localhost", the client checks
    the certificate against that name, and an untrusted certificate is a failed attempt."""
    ca, cert, key = _certificates(tmp_path)
    found, names = Receiver(), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment]
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://localhost:{server.server_address[1]}/hooks"
    try:
        trusting = ssl.create_default_context(cafile=str(ca))
        result = send(url, {}, b"{}", 5.0, allow_private=True, verify=trusting)
        assert (result.status_code, result.error) == (200, None)
        assert names == ["localhost"] and found.requests[0].headers["host"] == url.split("/")[2]
        untrusted = send(url, {}, b"{}", 5.0, allow_private=True)  # public CAs only
        assert untrusted.status_code is None and "CERTIFICATE_VERIFY_FAILED" in (untrusted.error or "")
        assert len(found.requests) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_post_follows_no_redirect_and_reads_a_bounded_answer(receiver: Receiver) -> None:
    receiver.statuses = [302]
    moved = post(receiver.url, {}, b"{}", 5.0)
    assert (moved.status_code, moved.ok) == (302, False) and len(receiver.requests) == 1  # not followed
    receiver.endless = True
    endless = post(receiver.url, {}, b"{}", 5.0)  # reads MAX_RESPONSE_BYTES, then hangs up
    assert (endless.status_code, endless.ok, endless.error) == (200, True, None)
    deadline = time.monotonic() + 10
    while not receiver.hung_up and time.monotonic() < deadline:
        time.sleep(0.01)
    assert receiver.hung_up


def test_post_reports_a_timeout_as_an_error(receiver: Receiver) -> None:
    receiver.hang_first = threading.Event()
    result = post(receiver.url, {}, b"{}", 0.3)
    receiver.hang_first.set()
    assert result.status_code is None and result.error is not None and "Timeout" in result.error
    assert 250 <= result.duration_ms < 5000
    refused = post("http://127.0.0.1:9/", {}, b"{}", 2.0)  # the discard port: nothing listens
    assert refused.status_code is None and refused.error is not None and "Connect" in refused.error


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://10.0.0.1/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::1]/hooks", "loopback"),
        ("https://[::ffff:127.0.0.1]/hooks", "loopback"),
        ("https://localhost/hooks", "loopback"),
        ("http://localhost/hooks", "https is required"),
        ("http://127.0.0.1/hooks", "https is required"),
        ("ftp://127.0.0.1/hooks", "scheme 'ftp'"),
        ("http://user:pw@host/hooks", "user:password"),
        ("https://user:pw@host/hooks", "user:password"),
    ],
)
def test_registration_refuses_urls_facturier_must_not_post_to(db: Database, url: str, reason: str) -> None:
    account = new_account(db)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(InvalidInput) as refused:
        webhooks.register_endpoint(db, account, url, ["document.issued"], "", now, allow_private=False)
    [violation] = refused.value.violations
    assert (violation.rule_id, violation.path) == ("WEBHOOK-URL", "url") and reason in violation.message
    assert webhooks.list_endpoints(db, account) == []


def test_registration_reports_every_problem_and_shows_the_secret_once(db: Database) -> None:
    account = new_account(db)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    events = ["document.issued", "invoice.created", "document.paid", "nope"]
    with pytest.raises(InvalidInput) as refused:
        webhooks.register_endpoint(db, account, "ftp://x", events, "x" * 201, now, allow_private=False)
    assert [(v.rule_id, v.path) for v in refused.value.violations] == [
        ("WEBHOOK-URL", "url"),
        ("WEBHOOK-EVENT", "events[1]"),
        ("WEBHOOK-EVENT", "events[3]"),
        ("WEBHOOK-DESCRIPTION", "description"),
    ]
    url = "http://127.0.0.1:9/hooks"
    endpoint, secret = webhooks.register_endpoint(db, account, url, ["document.paid"], "", now, allow_private=True)
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 32  # 24 random bytes
    assert webhooks.list_endpoints(db, account) == [endpoint]
    assert secret not in repr(endpoint)
    assert webhooks.list_endpoints(db, new_account(db, "other")) == []  # scoped to the account


def test_cli_adds_lists_disables_and_shows(cli: Cli, receiver: Receiver) -> None:
    cli.env["FACTURIER_WEBHOOKS_ALLOW_PRIVATE"] = "1"
    added = cli.json("webhooks", "add", receiver.url, "--event", "document.issued", "--event", "document.paid")
    assert added["secret"].startswith("whsec_") and added["events"] == ["document.issued", "document.paid"]
    [listed] = cli.json("webhooks", "list")
    assert listed["id"] == added["id"] and listed["enabled"] is True and "secret" not in listed
    cli("webhooks", "disable", added["id"])
    assert cli.json("webhooks", "list")[0]["enabled"] is False
    assert cli.json("webhooks", "deliveries", "--status", "pending") == []
    refused = json.loads(cli("webhooks", "add", receiver.url, "--event", "nope", "--json", code=2).stdout)
    assert "WEBHOOK-EVENT" in json.dumps(refused)
    cli("webhooks", "show", "no-such-delivery", code=2)
    cli.env["FACTURIER_WEBHOOKS_ALLOW_PRIVATE"] = "0"
    printed = cli("webhooks", "add", receiver.url, "--event", "document.issued", code=2)
    assert "WEBHOOK-URL" in printed.output


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from facturier.cli.main import main; main()", "worker", "--idle-sleep", "0.1"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait(condition: Any, what: str, worker: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, worker.communicate()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _cli_app(cli: Cli) -> App:
    settings: dict[str, Any] = {"data_dir": cli.env["FACTURIER_DATA_DIR"]}
    if "FACTURIER_DATABASE_URL" in cli.env:
        settings["database_url"] = cli.env["FACTURIER_DATABASE_URL"]
    return build(Settings(**settings))


def test_worker_sigkill_mid_delivery(cli: Cli, receiver: Receiver) -> None:
    """A worker killed while the endpoint has not answered: its lease expires, a second worker
    sends the same webhook-id and body again, and the delivery ends delivered exactly once."""
    app = _cli_app(cli)
    account = app.account_id()
    _endpoint(app.db, account, receiver.url)
    issue_orders(app.db, account, [order_data()], lambda: CLI_NOW)
    receiver.hang_first = threading.Event()
    env = {**os.environ, **cli.env, "FACTURIER_WEBHOOKS_ALLOW_PRIVATE": "1", "FACTURIER_JOB_LEASE_SECONDS": "2"}
    first = _worker(env)
    try:
        _wait(lambda: len(receiver.requests) == 1, "the first request", first)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    receiver.hang_first.set()  # the dead worker's request gets its (unread) answer
    second = _worker(env)
    try:
        _wait(lambda: webhooks.list_deliveries(app.db, account, status="delivered") != [], "the delivery", second)
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=30)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, err
    [delivery] = webhooks.list_deliveries(app.db, account)
    killed, answered = receiver.requests
    assert killed.headers["webhook-id"] == answered.headers["webhook-id"] == delivery.id
    assert killed.body == answered.body
    detail = webhooks.get_delivery(app.db, account, delivery.id)
    assert [(a.n, a.status_code) for a in detail.attempts] == [(1, 200)]  # the killed attempt left no record
    assert detail.delivery.status == "delivered"
    deliver_jobs = [j for j in app.db.jobs.list(account_id=account) if j.kind == webhooks.DELIVER_JOB]
    assert [(j.status, j.attempts) for j in deliver_jobs] == [("done", 2)]
