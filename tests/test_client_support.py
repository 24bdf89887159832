"""Shared parts of the generated-client tests: the fixture client, generated once, and a loopback server.

The client is generated from tests/fixtures/zenskar_like.yaml by the real CLI, once per session, and
imported as `zlike_client`. The server is a real HTTP/1.1 server on 127.0.0.1 whose answers each test
scripts; it records every request it receives. Nothing here mocks httpx.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXTURES, run_codegen

SPEC = FIXTURES / "zenskar_like.yaml"
OVERLAY = FIXTURES / "zenskar_like.overlay.yaml"
STEM = "zlike"
PACKAGE = f"{STEM}_client"
API_KEY = "sk_live_8d1f0c2b9a7e4d3c"  # long and distinctive, so a leak is easy to find
ORGANISATION = "org_5e2a91c4"
ENV = {f"{STEM.upper()}_API_KEY": API_KEY, f"{STEM.upper()}_ORGANISATION": ORGANISATION}


@dataclass
class Reply:
    """One scripted answer. `drop` closes the connection without answering; `delay` waits first.

    `body` is sent as JSON; `raw` (with `content_type`) is sent as it is instead, e.g. an HTML page.
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    raw: bytes | None = None
    content_type: str = "application/json"


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    target: str = ""  # the request target as sent (path and query still percent-encoded)

    def json(self) -> Any:
        return json.loads(self.body)


Script = Callable[[Seen], Reply]


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerThread:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) serving `handler` from a daemon thread.

    A context manager: started on entry, shut down on exit.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class LoopbackServer(ServerThread):
    """A threaded HTTP server on 127.0.0.1 answering from per-route scripts (default: 200 `{}`)."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._routes: dict[tuple[str, str], Script] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    target=self.path,
                )
                reply = server._answer(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    return
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                data = data if reply.raw is None else reply.raw
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                self.send_header("content-length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        super().__init__(Handler)

    def route(self, method: str, path: str, script: Script) -> None:
        self._routes[(method, path)] = script

    def replies(self, method: str, path: str, *replies: Reply) -> None:
        """Answer with these replies in order; the last one repeats."""
        queue = list(replies)

        def script(_seen: Seen) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route(method, path, script)

    def requests_to(self, method: str, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.method == method and s.path == path]

    def _answer(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            script = self._routes.get((seen.method, seen.path))
        return script(seen) if script else Reply(body={})


@pytest.fixture(scope="session")
def zlike(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The fixture spec's client package, generated by the CLI once and imported."""
    out = tmp_path_factory.mktemp("zlike")
    result = run_codegen(
        "generate", "--spec", str(SPEC), "--overlay", str(OVERLAY), "--out", str(out), "--name", STEM, timeout=300
    )
    assert result.returncode == 0, result.stderr
    root = out / f"{STEM}-client"
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="session")
def zlike_root(zlike: ModuleType) -> Path:
    """The generated distribution folder (holding pyproject.toml, README.md and the package)."""
    return Path(str(zlike.__file__)).parent.parent


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Credentials in the environment, nothing else of ours."""
    for name in [n for n in os.environ if n.startswith(f"{STEM.upper()}_")]:
        monkeypatch.delenv(name)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    return dict(ENV)


@pytest.fixture
def no_sleep(zlike: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry delays instead of waiting them out (sync and async clients)."""
    delays: list[float] = []
    base = importlib.import_module(f"{PACKAGE}._base_client")

    def sleep(_self: Any, seconds: float) -> None:
        delays.append(seconds)

    async def async_sleep(_self: Any, seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(base.SyncAPIClient, "_sleep", sleep)
    monkeypatch.setattr(base.AsyncAPIClient, "_sleep", async_sleep)
    return delays
