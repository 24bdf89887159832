"""Pipeline benchmarks, as ratios measured side by side in one run (part of `make bench`).

1. no-op `regenerate` vs a forced full regenerate of the pinned spec (goal ≤ 0.05×);
2. the full pipeline on a large spec vs bare openapi-python-client on the same spec (goal ≤ 1.5×).
Each figure is the median of a few runs; both sides of a ratio run in the same process, alternately.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LARGE_SPEC = REPO.parent / "shared" / "corpus" / "specs" / "adyen.com" / "BalancePlatformService.json"


def timed(command: list[str], env: dict[str, str], cwd: Path = REPO) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


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


def bench_large(spec: Path, runs: int) -> tuple[float, float]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "scripts"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    ours: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"ours{run}"
            ours.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "codegen",
                        "-q",
                        "generate",
                        "--spec",
                        str(spec),
                        "--out",
                        str(out),
                        "--name",
                        "bench",
                    ],
                    env,
                )
            )
            bare_out = Path(tmp) / f"bare{run}"
            bare.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "openapi_python_client",
                        "generate",
                        "--path",
                        str(spec),
                        "--output-path",
                        str(bare_out),
                        "--meta",
                        "uv",
                    ],
                    env,
                )
            )
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(bare_out, ignore_errors=True)
    return statistics.median(ours), statistics.median(bare)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", type=Path, default=LARGE_SPEC)
    args = parser.parse_args()
    noop, forced = bench_noop(args.runs)
    ours, bare = bench_large(args.spec, max(1, args.runs // 2))
    rows = [
        ("no-op regenerate / forced regenerate", noop, forced, noop / forced, 0.05),
        (f"pipeline / bare openapi-python-client ({args.spec.name})", ours, bare, ours / bare, 1.5),
    ]
    print(f"{'benchmark':<62} {'A (s)':>8} {'B (s)':>8} {'A/B':>7} {'goal':>6}  verdict")
    for name, a, b, ratio, goal in rows:
        print(f"{name:<62} {a:8.3f} {b:8.3f} {ratio:7.3f} {goal:6.2f}  {'ok' if ratio <= goal else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
