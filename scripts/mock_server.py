"""`make mock`: serve this project's generated mock (generated/NAME-mock) on 127.0.0.1:4010.

`--port` (the Makefile passes PORT=) changes the port; 0 picks a free one. The mock prints its URL
and the operations it serves, and stops cleanly on Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from codegen.config import load_settings  # noqa: E402 - needs the path set above
from codegen.errors import CodegenError  # noqa: E402


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
    sys.path.insert(0, str(dist))
    server = importlib.import_module(f"{package}.server")
    status: int = server.serve(args.host, args.port)
    return status


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:  # Ctrl-C before the server took over its signals
        raise SystemExit(130) from None
