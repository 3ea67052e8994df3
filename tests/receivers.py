"""A webhook receiver on a loopback port for the tests: records every request, answers the
scripted statuses. `receiver` is a fixture of every test (registered in tests/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver: records every request, answers the next scripted status (then 200)."""

    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    hang_first: threading.Event | None = None  # the first request waits for this before answering
    answer_body: bytes = b"ok"
    endless: bool = False
    hung_up: bool = False
    url: str = ""

    def answer(self, received: Received) -> int:
        self.requests.append(received)
        if self.hang_first is not None and len(self.requests) == 1:
            self.hang_first.wait(30)
        return self.statuses.pop(0) if self.statuses else 200


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.answer(Received(self.path, headers, body))
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("location", "/elsewhere")
            if receiver.endless:  # an answer that never ends: the client must hang up
                self.send_header("connection", "close")
                self.end_headers()
                self._write_forever()
                return
            self.send_header("content-length", str(len(receiver.answer_body)))
            self.end_headers()
            self.wfile.write(receiver.answer_body)

        def _write_forever(self) -> None:
            chunk = b"x" * 16384
            try:
                for _ in range(100_000):  # 1.6 GB at most, should the client never hang up
                    self.wfile.write(chunk)
            except OSError:
                receiver.hung_up = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
    server.daemon_threads = True
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    if found.hang_first is not None:
        found.hang_first.set()
    server.shutdown()
    server.server_close()
