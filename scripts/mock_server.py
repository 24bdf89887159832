"""`make mock`: serve this project's generated mock (generated/NAME-mock) on 127.0.0.1:4010.

`--port` (the Makefile passes PORT=) changes the port; 0 picks a free one. The mock prints its URL
and the operations it serves, and stops cleanly on Ctrl-C, SIGTERM or SIGHUP.

It also stops when the process that started it goes away, however that one ended (even SIGKILL), so a
script may run `make mock &` and later kill that one process: the Makefile `exec`s this script, so its
parent is make itself; on Linux the kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG), and a
watchdog thread that notices the parent changing does the same elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from codegen.config import load_settings  # noqa: E402 - needs the path set above
from codegen.errors import CodegenError  # noqa: E402

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_SECONDS = 0.5


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM outside uvicorn's own handling (before it starts, or re-raised after its clean shutdown)."""
    raise KeyboardInterrupt


def _hang_up(signum: int, frame: FrameType | None) -> None:
    """SIGHUP (the terminal closed): stop as on SIGTERM, which uvicorn turns into a clean shutdown."""
    os.kill(os.getpid(), signal.SIGTERM)


def stop_with_parent() -> None:
    """Install the signal handlers, and send ourselves SIGTERM when the parent process dies."""
    parent = os.getppid()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _hang_up)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # else the watchdog below still notices
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os.kill(os.getpid(), signal.SIGTERM)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make mock", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=os.environ.get("PORT") or "4010", help="port (default 4010)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(ROOT)
    except CodegenError as exc:
        print(exc, file=sys.stderr)
        return 1
    dist = settings.out / settings.names.mock_dist
    package = settings.names.mock_package
    if not (dist / package / "server.py").is_file():
        print(f"error: no generated mock at {dist.relative_to(ROOT)}/{package}", file=sys.stderr)
        print("  next:  run `make regenerate` first", file=sys.stderr)
        return 1
    stop_with_parent()
    sys.path.insert(0, str(dist))
    server = importlib.import_module(f"{package}.server")
    status: int = server.serve(args.host, args.port)
    return status


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM before the server took over its signals
        raise SystemExit(130) from None
