"""`make bench`: the design's benchmarks as ratios, each side measured alternately in the same run.

Client (this file):
1. cold `import <client package>` vs cold `import httpx` (goal ≤ 1.25×), for the pinned spec's client;
2. one call through the client vs the same request made with raw httpx, against a loopback server
   in another process (goal ≤ 1.15×), synchronous and asynchronous.
At size (scripts/bench_size.py), for clients of the two corpus documents with the most operations:
import, client construction, first use of the largest resource, and the peak memory of a process
that makes one call, each beside httpx doing the same in the same run.
Pipeline (scripts/bench_pipeline.py): no-op vs forced regenerate; our pipeline vs bare generator (time
and peak memory) on the corpus document with the most operations.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_size import Target, largest_documents, measure
from bench_size import generate as generate_target

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
SIZE_DOCUMENTS = 2  # the corpus documents with the most operations


@dataclass(frozen=True)
class Row:
    name: str
    a: float
    b: float
    goal: float
    absolute: bool = False  # the goal bounds A itself (seconds), not A/B

    @property
    def ratio(self) -> float:
        return self.a / self.b if self.b else float("inf")

    @property
    def ok(self) -> bool:
        return (self.a if self.absolute else self.ratio) <= self.goal

    def line(self) -> str:
        goal = f"<{self.goal:.3f}s" if self.absolute else f"≤{self.goal:.2f}x"
        verdict = "ok" if self.ok else "OVER"
        return f"{self.name:<72} {self.a:10.4f} {self.b:10.4f} {self.ratio:7.3f} {goal:>8}  {verdict}"


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


def size_rows(targets: list[Target], runs: int) -> list[Row]:
    """The at-size rows of each target, against httpx in the same run (scripts/bench_size.py)."""
    rows: list[Row] = []
    with loopback_server() as url:
        for target in targets:
            found, outcomes = measure(target, url, runs)
            label = f"{target.spec.name}, {target.operations} operations"
            rows += [
                Row(f"import {target.package} / import httpx ({label})", *found["import"], 1.25),
                Row(f"{target.class_name}() / httpx.Client() construction, s", *found["construct"], 0.010, True),
                Row(f"first use of .{target.largest_resource} / import httpx, s", *found["first_use"], 0.15, True),
            ]
            if target.call is not None:
                call = f"{target.call.resource}.{target.call.method}() [{', '.join(sorted(outcomes))}]"
                rows.append(Row(f"peak memory (KiB), import + {call} / httpx", *found["peak"], 1.25))
    return rows


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


def pipeline_rows(runs: int, document: Path) -> list[Row]:
    """The pipeline's own benchmarks (scripts/bench_pipeline.py), when that script is present."""
    path = REPO / "scripts" / "bench_pipeline.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("bench_pipeline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    noop, forced = module.bench_noop(runs)
    (ours, bare), (ours_kib, bare_kib) = module.bench_large(document, 3)
    return [
        Row("no-op regenerate / forced regenerate, s", noop, forced, 0.05),
        Row(f"pipeline / bare openapi-python-client, s ({document.name})", ours, bare, 1.5),
        Row(f"peak memory (KiB): pipeline / bare openapi-python-client ({document.name})", ours_kib, bare_kib, 1.5),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per import figure")
    parser.add_argument("--blocks", type=int, default=40, help="alternating blocks per request figure")
    parser.add_argument("--calls", type=int, default=100, help="calls per block")
    parser.add_argument("--client-only", action="store_true", help="skip the pipeline benchmarks")
    parser.add_argument("--size-runs", type=int, default=7, help="fresh interpreters per figure at size")
    args = parser.parse_args()
    rows: list[Row] = []
    largest = largest_documents(SIZE_DOCUMENTS)
    with tempfile.TemporaryDirectory() as tmp:
        seed = copy_client(GENERATED / "zenskar-client", Path(tmp))
        ours, httpx = bench_import("zenskar_client", seed, args.runs)
        rows.append(Row("import zenskar_client / import httpx", ours, httpx, 1.25))
        sync, asynchronous = bench_requests(seed, args.blocks, args.calls)
        rows.append(Row("per request: Zenskar / raw httpx.Client", *sync[:2], 1.15))
        rows.append(Row("per request: AsyncZenskar / raw httpx.AsyncClient", *asynchronous[:2], 1.15))
        targets = [
            generate_target(spec, count, Path(tmp) / f"size{number}", f"size{number}")
            for number, (spec, count) in enumerate(largest)
        ]
        rows += size_rows(targets, args.size_runs)
    if not args.client_only and largest:
        rows += pipeline_rows(5, largest[0][0])
    print(f"{'benchmark':<72} {'A':>10} {'B':>10} {'A/B':>7} {'goal':>8}  verdict")
    for row in rows:
        print(row.line())
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
