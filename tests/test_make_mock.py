"""`make mock` in the background: killing the process that was started stops the server (issue 11, item 5).

Each test starts the real `make mock PORT=<free>` (its own session, so a failure can clean up the whole
group), waits until the mock answers, signals one process, and then watches the port and the process
table: the port must stop answering within a few seconds and the server process must be gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")

STARTUP_SECONDS = 60.0
STOP_SECONDS = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1.0).status_code == 200
    return False


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that may never come, as in a container without init, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


@contextlib.contextmanager
def make_mock(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, int, Path]]:
    """(the make process, its one child: the server, the port, the log) once the mock answers."""
    port = free_port()
    log = tmp_path / "make-mock.log"
    env = {key: value for key, value in os.environ.items() if key not in ("PORT", "MAKEFLAGS", "MAKELEVEL")}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["make", "-s", "--no-print-directory", "mock", f"PORT={port}"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not answers(port):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "make mock did not answer:\n" + log.read_text()
            time.sleep(0.1)
        kids = children(process.pid)
        assert len(kids) == 1, [command_line(pid) for pid in kids]
        assert "scripts/mock_server.py" in command_line(kids[0])  # the recipe execs the server: no shell between
        yield process, kids[0], port, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the whole session, should a server have survived
        process.wait(10)


def wait_stopped(server: int, port: int, log: Path) -> None:
    deadline = time.monotonic() + STOP_SECONDS
    while alive(server) or answers(port):
        assert time.monotonic() < deadline, (
            f"{STOP_SECONDS:g} s later: server alive={alive(server)}, port answers={answers(port)}\n{log.read_text()}"
        )
        time.sleep(0.1)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_make_mock_stops_the_server(tmp_path: Path, sig: signal.Signals) -> None:
    with make_mock(tmp_path) as (process, server, port, log):
        process.send_signal(sig)
        process.wait(STOP_SECONDS)
        wait_stopped(server, port, log)
        assert "mock: stopped" in log.read_text()  # a clean shutdown, not a kill


def test_the_server_stops_cleanly_on_sighup(tmp_path: Path) -> None:
    with make_mock(tmp_path) as (process, server, port, log):
        os.kill(server, signal.SIGHUP)
        assert process.wait(STOP_SECONDS + 5) == 0  # make saw its recipe succeed
        wait_stopped(server, port, log)
        assert "mock: stopped" in log.read_text()
