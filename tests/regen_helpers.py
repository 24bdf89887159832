"""Helpers for the pin, overlay and regenerate tests: temporary projects, tree snapshots, loopback servers."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import REPO, SEED_PAGE, run_codegen

SPEC = Path("spec") / "openapi-20240301.json"
LOCK = Path("spec") / "openapi-20240301.lock.json"
OUT = Path("generated")
RUN_TIMEOUT = 180.0  # seconds for one subprocess run; a seed regenerate takes about 1 s


def new_project(root: Path) -> Path:
    """A project folder as a user has it before the first pin: pyproject.toml, templates/, empty spec/overlays/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "spec" / "overlays").mkdir(parents=True)
    return root


def codegen(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m codegen --root ROOT ARGS` in a subprocess, optionally with extra environment variables.

    conftest's run_codegen is used as is; it takes no environment and drops FORCE, so runs that need
    either (FORCE=1, CODEGEN_FETCH_TIMEOUT, ...) start the same command here with the variables added.
    """
    if env is None:
        return run_codegen("--root", str(root), *args, timeout=RUN_TIMEOUT)
    inherited = {key: value for key, value in os.environ.items() if key != "FORCE"}
    full = {**inherited, "PYTHONPATH": str(REPO / "scripts"), **env}
    return subprocess.run(
        [sys.executable, "-m", "codegen", "--root", str(root), *args],
        cwd=REPO,
        env=full,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def pin_seed(root: Path) -> None:
    """Pin the seed page and generate from it, as `make update-spec SPEC_FILE=../shared/seed/...` does."""
    result = codegen(root, "update-spec", "--file", str(SEED_PAGE))
    assert result.returncode == 0, result.stderr


def tree_state(root: Path, mtimes: bool = False) -> dict[str, Any]:
    """Relative path → sha256 (and mtime_ns) of every file under root; folders are listed too."""
    state: dict[str, Any] = {}
    if not root.exists():
        return state
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            state[relative + "/"] = "dir"
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[relative] = (digest, path.stat().st_mtime_ns) if mtimes else digest
    return state


def project_state(root: Path) -> dict[str, Any]:
    """What a failed command must leave alone: spec/, generated/ and the project folder's own entries."""
    return {
        "spec": tree_state(root / "spec"),
        "generated": tree_state(root / OUT),
        "top": sorted(p.name for p in root.iterdir()),
    }


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit 1, one error message (no traceback), naming every expected fragment."""
    assert result.returncode == 1, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert len(re.findall(r"^error: ", result.stderr, re.M)) == 1, result.stderr
    for fragment in expected:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"


Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@contextmanager
def loopback_server(handler: Handler, tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """An HTTP(S) server on 127.0.0.1 (free port) whose every GET is answered by `handler`; yields its base URL."""

    class Handle(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the name http.server looks up
            handler(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that gives up (timeouts, refused certificates) is expected here

    server = Server(("127.0.0.1", 0), Handle)
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def reply(body: bytes, status: int = 200, content_type: str = "application/json") -> Handler:
    """A handler that answers every request with this body."""

    def answer(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return answer


def codegen_version(root: Path) -> str:
    """[tool.codegen] version of a project (what update-spec bumps)."""
    import tomllib

    version: str = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["codegen"]["version"]
    return version
