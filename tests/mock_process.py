"""Run a generated mock on a free loopback port for tests: in its own uvicorn process, or in a thread.

For contract tests of a generated client (or any test that needs the mock over real HTTP):

    from mock_process import running_mock

    def test_something(tmp_path):
        with running_mock(DIST, "zenskar_mock", log_dir=tmp_path) as mock:   # DIST: …/zenskar-mock
            httpx.post(f"{mock.url}/invoices/generate_invoice", ...)

or the `mock_server` fixture (`mock_server = mock_process.mock_server` in a test module, as test_mock.py
does): `mock = mock_server(DIST, "zenskar_mock")`, stopped after the test.
`running_mock` starts `python -m <package> --port 0`, the same entry point `make mock` uses, waits
(bounded) for the URL it prints and for /openapi.json to answer, and stops it with SIGINT (Ctrl-C).
To script answers with `app.state.handlers`, build the app in the test and use `serving_app(app)`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

STARTUP_TIMEOUT = 30.0  # seconds: import of a large app plus uvicorn start on a busy 2-core machine
STOP_TIMEOUT = 10.0
URL_LINE = re.compile(r" on (http://127\.0\.0\.1:\d+)\s*$", re.M)


@dataclass
class RunningMock:
    url: str
    process: subprocess.Popen[bytes]
    log: Path  # the server's stdout and stderr

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_until_answering(url: str, deadline: float, alive: Callable[[], bool], what: str) -> None:
    while time.monotonic() < deadline and alive():
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/openapi.json", timeout=2.0).status_code == 200:
                return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not answer at {url}/openapi.json within the start-up limit")


def stop(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> int:
    """Ctrl-C (SIGINT) the process; kill it if it has not exited within `timeout`. Its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    return process.returncode


@contextlib.contextmanager
def running_mock(
    dist: Path, package: str, *, log_dir: Path, startup_timeout: float = STARTUP_TIMEOUT
) -> Iterator[RunningMock]:
    """`python -m <package> --port 0` with `dist` (the folder holding the package) on PYTHONPATH."""
    log = log_dir / f"{package}-{time.monotonic_ns()}.log"
    env = {**os.environ, "PYTHONPATH": str(dist)}
    env.pop("PORT", None)
    command = [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", "0", "--log-level", "warning"]
    with log.open("wb") as sink:  # a file, not a pipe: a chatty server can never block on a full pipe
        process = subprocess.Popen(command, cwd=log_dir, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup_timeout
        match = URL_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
        while match is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            match = URL_LINE.search(log.read_text(encoding="utf-8", errors="replace"))
        if match is None:
            raise AssertionError(f"{package} printed no URL (exit status {process.poll()}):\n{log.read_text()}")
        url = match.group(1)
        _wait_until_answering(url, deadline, lambda: process.poll() is None, package)
        yield RunningMock(url, process, log)
    finally:
        stop(process)


@contextlib.contextmanager
def serving_app(app: Any, startup_timeout: float = STARTUP_TIMEOUT) -> Iterator[str]:
    """Serve an ASGI app with a real uvicorn server on a free loopback port, in a thread; yield its URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "uvicorn did not start within the start-up limit"
        yield url
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        sock.close()


@contextlib.contextmanager
def imported_package(dist: Path, package: str) -> Iterator[ModuleType]:
    """Import a generated package from `dist`, and forget it afterwards (another dist may reuse the name)."""
    sys.path.insert(0, str(dist))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(dist))
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[Callable[[Path, str], RunningMock]]:
    """`mock_server(dist, package)` starts that generated mock; every one started is stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda dist, package: stack.enter_context(running_mock(dist, package, log_dir=tmp_path))
