"""`make bench` at size: clients generated from the largest documents of the development corpus.

For each document, in fresh interpreters alternating with the same steps done with httpx alone:
- `import <package>` vs `import httpx` (goal ≤ 1.25×);
- constructing the client vs constructing an `httpx.Client()` (goal: under 10 ms);
- the first use of its largest resource (`client.<resource>`: its module imported, the resource made)
  vs `import httpx` (goal: under 0.15 s);
- the peak resident memory of a process that imports the package and calls one operation against a
  loopback server vs one that imports httpx and sends the same request (goal ≤ 1.25×).
Each figure is the median over the runs. scripts/bench_pipeline.py compares the pipeline's time and
peak memory with bare openapi-python-client on the largest of these documents.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LISTS = ("list.txt", "list-more.txt")

# Every credential and client-wide header argument of a client class, given a dummy value.
ARGUMENTS = r"""
import inspect


def arguments(cls):
    skip = ("base_url", "http_client", "default_headers")
    found = inspect.signature(cls.__init__).parameters.items()
    return {n: "bench" for n, p in found if p.kind is p.KEYWORD_ONLY and p.default is None and n not in skip}
"""
# Runs in a fresh interpreter: import, construct, first use.
USE = (
    ARGUMENTS
    + r"""
import importlib, json, sys, time
package, class_name, resource = sys.argv[1:4]
start = time.perf_counter()
module = importlib.import_module(package)
imported = time.perf_counter()
cls = getattr(module, class_name)
given = arguments(cls)
before = time.perf_counter()
client = cls(base_url="http://127.0.0.1:9", **given)
constructed = time.perf_counter()
getattr(client, resource)
used = time.perf_counter()
print(json.dumps({"import": imported - start, "construct": constructed - before, "first_use": used - constructed}))
"""
)
HTTPX_USE = r"""
import json, time
start = time.perf_counter()
import httpx
imported = time.perf_counter()
client = httpx.Client()
constructed = time.perf_counter()
print(json.dumps({"import": imported - start, "construct": constructed - imported}))
"""
# The peak resident set of this process in KiB: VmHWM, since on Linux `ru_maxrss` of a child started
# with fork and exec counts the parent's resident set at the fork.
PEAK = r"""
def peak_kib():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
# Runs in a fresh interpreter: one call, then the process's peak resident set.
CALL = (
    ARGUMENTS
    + PEAK
    + r"""
import importlib, json, sys
package, class_name, attribute, method, url, given = sys.argv[1:7]
cls = getattr(importlib.import_module(package), class_name)
outcome = "ok"
with cls(base_url=url, **arguments(cls)) as client:
    try:
        getattr(getattr(client, attribute), method)(**json.loads(given))
    except Exception as error:  # `{}` may not parse as the documented model: the call was still made
        outcome = type(error).__name__
print(json.dumps({"peak_kib": peak_kib(), "outcome": outcome}))
"""
)
HTTPX_CALL = (
    PEAK
    + r"""
import json, sys
import httpx
with httpx.Client() as client:
    client.get(sys.argv[1], headers={"authorization": "bench"}).json()
print(json.dumps({"peak_kib": peak_kib(), "outcome": "ok"}))
"""
)


@dataclass(frozen=True)
class Target:
    """A generated client and what the benchmarks call on it."""

    spec: Path
    operations: int
    root: Path  # the distribution folder (on sys.path)
    package: str
    class_name: str
    largest_resource: str
    call: Call | None  # a GET the benchmarks can call


@dataclass(frozen=True)
class Call:
    """A GET whose required parameters are path parameters (given as `1`) or client-wide headers."""

    resource: str
    method: str
    path: str  # the path sent, parameters filled in
    arguments: dict[str, str]  # path parameters by their Python names


def operation_count(path: Path) -> int:
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return 0
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    paths = doc.get("paths") if isinstance(doc, dict) else None
    items = paths.values() if isinstance(paths, dict) else []
    return sum(1 for item in items if isinstance(item, dict) for key in item if key in methods)


def largest_documents(count: int) -> list[tuple[Path, int]]:
    """The `count` documents of the corpus lists with the most operations, most first."""
    names = [
        line.strip()
        for name in LISTS
        if (CORPUS / name).is_file()
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    sized = [(CORPUS / "specs" / name, operation_count(CORPUS / "specs" / name)) for name in names]
    return sorted(sized, key=lambda pair: (-pair[1], str(pair[0])))[:count]


def _callable_operation(effective: Path) -> Call | None:
    """The first GET (document order) without a body whose required parameters are path parameters or
    headers (those every operation takes are client-wide, given at construction), from the spec model."""
    from codegen.naming import path_segments
    from codegen.spec_model import build_spec_model

    model = build_spec_model(json.loads(effective.read_text(encoding="utf-8")))
    for op in model.operations:
        required = [p for p in op.parameters if p.required]
        if (
            op.method != "get"
            or op.request_body is not None
            or any(p.location in ("query", "cookie") for p in required)
        ):
            continue
        path = "/" + "/".join(path_segments(op.path))
        for p in op.parameters:
            path = path.replace("{" + p.name + "}", "1") if p.location == "path" else path
        arguments = {p.python_name: "1" for p in op.parameters if p.location == "path"}
        return Call(op.resource, op.python_name, path, arguments)
    return None


def generate(spec: Path, operations: int, into: Path, name: str) -> Target:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [sys.executable, "-m", "codegen", "-q", "generate", "--spec", str(spec), "--out", str(into)]
    subprocess.run([*command, "--name", name], env=env, check=True, capture_output=True)
    dist = next(into.glob("*-client"))
    package = next(p.name for p in dist.iterdir() if (p / "_client.py").is_file())
    client_module = (dist / package / "_client.py").read_text(encoding="utf-8")
    class_name = next(line.split()[1].split("(")[0] for line in client_module.splitlines() if "(SyncAPIClient)" in line)
    modules = [m for m in (dist / package / "resources").glob("*.py") if m.name != "__init__.py"]
    largest = max(modules, key=lambda m: (m.stat().st_size, m.name)).stem
    call = _callable_operation(next(into.glob("*.openapi.json")))
    return Target(spec, operations, dist, package, class_name, largest, call)


def _run(code: str, args: list[str], path: Path | None) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(path) if path else ""}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as after installing a wheel
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(target: Target, url: str, runs: int) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """(ours, httpx) medians: import s, construct s, first use s (vs import httpx), peak KiB of one call;
    and how our calls ended (ok, or the error a `{}` answer raised: the call was still made)."""
    use_args = [target.package, target.class_name, target.largest_resource]
    call = target.call
    call_args = [target.package, target.class_name, call.resource, call.method, url] if call else []
    _run(USE, use_args, target.root)  # writes the bytecode cache
    ours: dict[str, list[float]] = {"import": [], "construct": [], "first_use": [], "peak": []}
    raw: dict[str, list[float]] = {"import": [], "construct": [], "peak": []}
    outcomes: set[str] = set()
    for run in range(runs):
        for side in ("httpx", "ours") if run % 2 else ("ours", "httpx"):
            if side == "httpx":
                found = _run(HTTPX_USE, [], None)
                raw["import"].append(found["import"])
                raw["construct"].append(found["construct"])
                raw["peak"].append(_run(HTTPX_CALL, [url + (call.path if call else "/")], None)["peak_kib"])
                continue
            found = _run(USE, use_args, target.root)
            for key in ("import", "construct", "first_use"):
                ours[key].append(found[key])
            if call:
                found = _run(CALL, [*call_args, json.dumps(call.arguments)], target.root)
                ours["peak"].append(found["peak_kib"])
                outcomes.add(found["outcome"])
    median = statistics.median
    figures = {
        "import": (median(ours["import"]), median(raw["import"])),
        "construct": (median(ours["construct"]), median(raw["construct"])),
        "first_use": (median(ours["first_use"]), median(raw["import"])),
        "peak": (median(ours["peak"]) if ours["peak"] else 0.0, median(raw["peak"])),
    }
    return figures, outcomes
