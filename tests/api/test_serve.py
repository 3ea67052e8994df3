"""`facturier serve` as a person starts it (`make run`): a real process, the demo on SQLite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.api.conftest import free_port

FACTURIER = str(Path(sys.executable).parent / "facturier")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [FACTURIER, "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _until(process: subprocess.Popen[str], marker: str, seconds: float = 90) -> str:
    assert process.stdout is not None
    seen, deadline = "", time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen += line
    assert marker in seen, seen
    return seen


def test_the_demo_serves_issues_the_examples_through_the_api_and_runs_twice(tmp_path: Path) -> None:
    env = {**os.environ, "FACTURIER_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    subprocess.run([FACTURIER, "init", "--demo", "--if-missing"], env=env, check=True, capture_output=True)
    for run in (1, 2):
        port = free_port()
        process = _serve(env, port)
        try:
            printed = _until(process, "Ctrl-C stops the service.")
            key = (tmp_path / "data" / "demo-api-key.txt").read_text().strip()
            assert key.startswith("fct_") and key in printed and f"http://127.0.0.1:{port}/v1/documents" in printed
            expected = "201" if run == 1 else "200"  # the second run finds every order already issued
            assert printed.count(f"\t{expected}\t") == 6, printed
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"authorization": f"Bearer {key}"}) as c:
                listed = c.get("/v1/documents").json()["data"]
            assert [d["number"] for d in listed][:2] == ["F2026-000001", "F2026-000002"] or len(listed) == 6
            assert len(listed) == 6
        finally:
            process.send_signal(signal.SIGINT if run == 1 else signal.SIGTERM)
            assert process.wait(30) == 0  # a graceful stop, not a death by signal
