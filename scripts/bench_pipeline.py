"""Pipeline benchmarks, as ratios measured side by side in one run (part of `make bench`).

1. no-op `regenerate` vs a forced full regenerate of the pinned spec (goal ≤ 0.05×);
2. the full pipeline on a large spec vs bare openapi-python-client on the same spec: time (goal ≤ 1.5×)
   and peak memory (the largest resident set of any process of the run; goal ≤ 1.5×).
Each figure is the median of a few runs; both sides of a ratio run in the same process, alternately.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_size import largest_documents

REPO = Path(__file__).resolve().parent.parent


# Runs a command and prints its time and the peak resident set (KiB) of the largest process it ran.
MEASURED = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def timed(command: list[str], env: dict[str, str], cwd: Path = REPO) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak KiB) of `command`, run under a small wrapper that waits for every process of it."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURED, *command], cwd=REPO, env=env, check=True, capture_output=True, text=True
    )
    seconds, peak = json.loads(out.stdout)
    return float(seconds), float(peak)


def median_of(runs: int, command: list[str], env: dict[str, str], before: list[str] | None = None) -> float:
    samples = []
    for _ in range(runs):
        if before:
            subprocess.run(before, env=env, check=True, capture_output=True)
        samples.append(timed(command, env))
    return statistics.median(samples)


def bench_noop(runs: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    env.pop("FORCE", None)
    make = ["make", "-s", "--no-print-directory", "regenerate"]
    timed(make, env)  # settle: the first run may regenerate
    forced = median_of(runs, make, {**env, "FORCE": "1"})
    noop = median_of(runs, make, env)
    return noop, forced


def bench_large(spec: Path, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((ours, bare) median seconds, (ours, bare) median peak KiB) on `spec`, the two run alternately."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "scripts"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    ours: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out, bare_out = Path(tmp) / f"ours{run}", Path(tmp) / f"bare{run}"
            pipeline = [sys.executable, "-m", "codegen", "-q", "generate", "--spec", str(spec), "--out", str(out)]
            generator = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
            sides = [
                (ours, [*pipeline, "--name", "bench"]),
                (bare, [*generator, "--output-path", str(bare_out), "--meta", "uv"]),
            ]
            for samples, command in sides if run % 2 == 0 else reversed(sides):
                samples.append(measured(command, env))
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(bare_out, ignore_errors=True)
    median = statistics.median
    return (
        (median(t for t, _ in ours), median(t for t, _ in bare)),
        (median(m for _, m in ours), median(m for _, m in bare)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", type=Path, help="default: the corpus document with the most operations")
    args = parser.parse_args()
    args.spec = args.spec or largest_documents(1)[0][0]
    noop, forced = bench_noop(args.runs)
    (ours, bare), (ours_kib, bare_kib) = bench_large(args.spec, max(1, args.runs // 2))
    rows = [
        ("no-op regenerate / forced regenerate", noop, forced, noop / forced, 0.05),
        (f"pipeline / bare openapi-python-client ({args.spec.name})", ours, bare, ours / bare, 1.5),
        (f"peak memory (KiB): pipeline / bare ({args.spec.name})", ours_kib, bare_kib, ours_kib / bare_kib, 1.5),
    ]
    print(f"{'benchmark':<66} {'A':>10} {'B':>10} {'A/B':>7} {'goal':>6}  verdict")
    for name, a, b, ratio, goal in rows:
        print(f"{name:<66} {a:10.3f} {b:10.3f} {ratio:7.3f} {goal:6.2f}  {'ok' if ratio <= goal else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
