"""`make bench`: the design's benchmarks as ratios, each side measured alternately in the same run.

Client (this file):
1. cold `import <client package>` vs cold `import httpx` (goal ≤ 1.25×), for the pinned spec's client
   and for a large corpus spec's client (resources and models load lazily, so size must not matter);
2. one call through the client vs the same request made with raw httpx, against a loopback server
   in another process (goal ≤ 1.15×), synchronous and asynchronous.
Pipeline (scripts/bench_pipeline.py): no-op vs forced regenerate, our pipeline vs bare generator.

Import times are medians over fresh interpreters (bytecode already cached, as in an install).
Request times are per-call means of alternating blocks (which side goes first alternates too),
averaged without the slowest and fastest tenth of the blocks of each side.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
LARGE_SPEC = REPO.parent / "shared" / "corpus" / "specs" / "adyen.com" / "BalancePlatformService.json"

Row = tuple[str, float, float, float, float]  # name, A, B, A/B, goal

# The loopback server: HTTP/1.1 keep-alive, answers every request with `{}` as fast as asyncio can.
SERVER = r"""
import asyncio, sys

RESPONSE = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"

async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            writer.write(RESPONSE)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def loopback_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def import_seconds(module: str, path: Path | None) -> float:
    """Seconds to import `module` in a fresh interpreter (imports only, start-up excluded)."""
    probe = f"import time\nt = time.perf_counter()\nimport {module}\nprint(time.perf_counter() - t)"
    env = {**os.environ, "PYTHONPATH": str(path) if path else ""}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout)


def bench_import(package: str, path: Path, runs: int) -> tuple[float, float]:
    import_seconds(package, path)  # writes the bytecode cache, as installing a wheel would
    ours: list[float] = []
    httpx: list[float] = []
    for _ in range(runs):
        httpx.append(import_seconds("httpx", None))
        ours.append(import_seconds(package, path))
    return statistics.median(ours), statistics.median(httpx)


def copy_client(dist: Path, into: Path) -> Path:
    """A copy of a generated distribution, so bytecode caches never land in generated/."""
    target = into / dist.name
    shutil.copytree(dist, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def generate_large(into: Path) -> Path:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [sys.executable, "-m", "codegen", "-q", "generate", "--spec", str(LARGE_SPEC), "--out", str(into)]
    subprocess.run([*command, "--name", "large"], env=env, check=True, capture_output=True)
    return into / "large-client"


Timing = tuple[float, float, float]  # ours, raw (seconds per call), ours / raw


def _trimmed_mean(values: list[float], cut: float = 0.1) -> float:
    """The mean without the slowest and fastest tenth: blocks hit by other work on the machine drop out."""
    ordered = sorted(values)
    drop = int(len(ordered) * cut)
    kept = ordered[drop : len(ordered) - drop] or ordered
    return sum(kept) / len(kept)


def _summary(ours: list[float], raw: list[float]) -> Timing:
    a, b = _trimmed_mean(ours), _trimmed_mean(raw)
    return a, b, a / b


def interleaved(blocks: int, calls: int, ours: Callable[[], Any], raw: Callable[[], Any]) -> Timing:
    """Seconds per call of each side over alternating blocks of `calls` calls (which side goes first alternates)."""
    times: dict[str, list[float]] = {"ours": [], "raw": []}
    for block in range(blocks):
        order = [("raw", raw), ("ours", ours)] if block % 2 else [("ours", ours), ("raw", raw)]
        for name, side in order:
            start = time.perf_counter()
            for _ in range(calls):
                side()
            times[name].append((time.perf_counter() - start) / calls)
    return _summary(times["ours"], times["raw"])


async def interleaved_async(
    blocks: int, calls: int, ours: Callable[[], Awaitable[Any]], raw: Callable[[], Awaitable[Any]]
) -> Timing:
    times: dict[str, list[float]] = {"ours": [], "raw": []}
    for block in range(blocks):
        order = [("raw", raw), ("ours", ours)] if block % 2 else [("ours", ours), ("raw", raw)]
        for name, side in order:
            start = time.perf_counter()
            for _ in range(calls):
                await side()
            times[name].append((time.perf_counter() - start) / calls)
    return _summary(times["ours"], times["raw"])


def bench_requests(dist: Path, blocks: int, calls: int) -> tuple[Timing, Timing]:
    """The seed operation through the client vs the identical request with httpx (sync, then async)."""
    sys.path.insert(0, str(dist))
    import httpx

    zenskar_client: Any = importlib.import_module("zenskar_client")

    keys = {"x-api-key": "sk_bench", "organisation": "org_bench", "apiversion": "2"}
    when = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    ids = {"customer_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "contract_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}
    arguments = {**ids, "from_date": when, "to_date": when}
    payload = {**ids, "from_date": when.isoformat(), "to_date": when.isoformat()}
    path = "/invoices/generate_invoice"
    with loopback_server() as url:
        settings = {"base_url": url, "api_key": keys["x-api-key"], "organisation": keys["organisation"]}
        with zenskar_client.Zenskar(**settings, apiversion=2) as client, httpx.Client(timeout=60) as raw:
            sync = interleaved(
                blocks,
                calls,
                lambda: client.invoices.generate_an_invoice(**arguments),
                lambda: raw.post(url + path, json=payload, headers=keys).json(),
            )

        async def run_async() -> Timing:
            ours_client = zenskar_client.AsyncZenskar(**settings, apiversion=2)
            async with ours_client as client, httpx.AsyncClient(timeout=60) as raw:

                async def ours() -> Any:
                    return await client.invoices.generate_an_invoice(**arguments)

                async def plain() -> Any:
                    return (await raw.post(url + path, json=payload, headers=keys)).json()

                return await interleaved_async(blocks, calls, ours, plain)

        asynchronous = asyncio.run(run_async())
    return sync, asynchronous


def pipeline_rows(runs: int) -> list[Row]:
    """The pipeline's own benchmarks (scripts/bench_pipeline.py), when that script is present."""
    path = REPO / "scripts" / "bench_pipeline.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("bench_pipeline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    noop, forced = module.bench_noop(runs)
    ours, bare = module.bench_large(module.LARGE_SPEC, max(1, runs // 2))
    return [
        ("no-op regenerate / forced regenerate", noop, forced, noop / forced, 0.05),
        (f"pipeline / bare openapi-python-client ({module.LARGE_SPEC.name})", ours, bare, ours / bare, 1.5),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per import figure")
    parser.add_argument("--blocks", type=int, default=40, help="alternating blocks per request figure")
    parser.add_argument("--calls", type=int, default=100, help="calls per block")
    parser.add_argument("--client-only", action="store_true", help="skip the pipeline benchmarks")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = copy_client(GENERATED / "zenskar-client", Path(tmp))
        ours, httpx = bench_import("zenskar_client", seed, args.runs)
        rows.append(("import zenskar_client / import httpx", ours, httpx, ours / httpx, 1.25))
        large = generate_large(Path(tmp) / "large")
        ours, httpx = bench_import("large_client", large, args.runs)
        rows.append((f"import large_client ({LARGE_SPEC.name}) / import httpx", ours, httpx, ours / httpx, 1.25))
        sync, asynchronous = bench_requests(seed, args.blocks, args.calls)
        rows.append(("per request: Zenskar / raw httpx.Client", *sync, 1.15))
        rows.append(("per request: AsyncZenskar / raw httpx.AsyncClient", *asynchronous, 1.15))
    if not args.client_only:
        rows += pipeline_rows(5)
    print(f"{'benchmark':<62} {'A (s)':>9} {'B (s)':>9} {'A/B':>7} {'goal':>6}  verdict")
    for name, a, b, ratio, goal in rows:
        print(f"{name:<62} {a:9.6f} {b:9.6f} {ratio:7.3f} {goal:6.2f}  {'ok' if ratio <= goal else 'OVER'}")
    return 0 if all(ratio <= goal for *_, ratio, goal in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
