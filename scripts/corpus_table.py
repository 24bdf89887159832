"""The README's real-world table: bare openapi-python-client beside this pipeline, same documents, one run.

`make corpus-table` measures the 140 documents of ../shared/corpus (list.txt and list-more.txt);
`--spec FILE…` measures the files given instead. For each document and each side: exit status,
operations generated of those in the document, whether every module imports (in a fresh interpreter),
whether `ruff check --select E9,F` is clean, and the seconds the generator took. Bare means the pinned
openapi-python-client with its default configuration (`generate --path SPEC --meta none`); its
operations are its endpoint modules (two operations it names alike share one module: one is lost).
Ours means `python -m codegen generate`, client and mock. The corpus tests use this module's import
and ruff checks, so the table and the tests measure the same thing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LISTS = (CORPUS / "list.txt", CORPUS / "list-more.txt")
SUMMARY = re.compile(r"^codegen: generated (\d+) of (\d+) operations", re.M)

# Runs in a fresh interpreter: imports every module of the packages given as (folder, package) pairs.
IMPORT_ALL = """
import importlib, json, sys
from pathlib import Path
pairs = json.loads(sys.argv[1])
sys.path[:0] = [folder for folder, _ in pairs]
failed, count = [], 0
for folder, package in pairs:
    for path in sorted((Path(folder) / package).rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        try:
            importlib.import_module(name)
            count += 1
        except BaseException as exc:
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
print(json.dumps({"imported": count, "failed": failed}))
"""


@dataclass
class Side:
    """One generator's result on one document."""

    exit_ok: bool = False
    generated: int = 0
    imports: bool = False
    ruff_clean: bool = False
    seconds: float = 0.0
    note: str = ""  # the first thing that went wrong, for the per-document listing


@dataclass
class Row:
    spec: str
    operations: int
    bare: Side
    ours: Side


def package_stem(spec: str) -> str:
    """`azure.com/network.json` → `azure_com_network`: a valid, distinct package name per document."""
    stem = re.sub(r"[^a-z0-9]+", "_", re.sub(r"\.(json|ya?ml)$", "", spec.lower())).strip("_")
    return stem if stem[:1].isalpha() else f"api_{stem}"


def import_modules(pairs: Sequence[tuple[Path, str]]) -> tuple[int, list[str]]:
    """(modules imported, `module: error` for each that did not) over every module of the packages."""
    argument = json.dumps([[str(folder), package] for folder, package in pairs])
    result = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_ALL, argument], capture_output=True, text=True, timeout=900, check=False
    )
    if result.returncode != 0:
        return 0, [f"import check crashed: {result.stderr.strip()[-2000:]}"]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return int(report["imported"]), [str(line) for line in report["failed"]]


def ruff_findings(*folders: Path) -> str:
    """`ruff check --select E9,F` findings (syntax errors, undefined names…) over the folders; empty if clean."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "E9,F"]
        + ["--output-format", "concise", "--quiet", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return (result.stdout + result.stderr).strip() if result.returncode else ""


def document_operations(path: Path) -> int:
    """Operations in the document (every method of every path item), read as the pipeline reads it."""
    from codegen.document import iter_operations, parse_document

    return len(iter_operations(parse_document(path.read_bytes(), str(path))))


def _check_packages(side: Side, pairs: Sequence[tuple[Path, str]]) -> None:
    imported, failed = import_modules(pairs)
    side.imports = imported > 0 and not failed
    findings = ruff_findings(*(folder / package for folder, package in pairs))
    side.ruff_clean = findings == ""
    side.note = side.note or (failed[0] if failed else findings.splitlines()[0] if findings else "")


def run_bare(spec: Path, work: Path, stem: str) -> Side:
    package = f"{stem}_bare"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
    command += ["--output-path", str(work / package), "--meta", "none"]
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
    side = Side(exit_ok=result.returncode == 0, seconds=time.perf_counter() - start)
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    side.note = next((line for line in lines if re.match(r"(WARNING|ERROR|Error|Traceback)", line)), "")
    if not side.exit_ok or not (work / package).is_dir():
        side.note = side.note or (lines[-1] if lines else "")
        return side
    side.generated = sum(1 for p in (work / package / "api").rglob("*.py") if p.name != "__init__.py")
    _check_packages(side, [(work, package)])
    return side


def run_ours(spec: Path, work: Path, stem: str) -> Side:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [sys.executable, "-m", "codegen", "generate", "--spec", str(spec), "--out", str(work), "--name", stem]
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
    side = Side(exit_ok=result.returncode == 0, seconds=time.perf_counter() - start)
    summary = SUMMARY.search(result.stderr)
    if not side.exit_ok or not summary:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        side.note = errors[0] if errors else result.stderr.strip()[-300:]
        return side
    side.generated = int(summary[1])
    left_out = [line.strip() for line in result.stderr.splitlines() if line.startswith("  left out: ")]
    side.note = left_out[0] if left_out else ""
    dist = stem.replace("_", "-")
    _check_packages(side, [(work / f"{dist}-client", f"{stem}_client"), (work / f"{dist}-mock", f"{stem}_mock")])
    return side


def measure(spec: Path, label: str) -> Row:
    stem = package_stem(label)
    with tempfile.TemporaryDirectory(prefix="corpus-table-") as tmp:
        bare = run_bare(spec, Path(tmp) / "bare", stem)
        ours = run_ours(spec, Path(tmp) / "ours", stem)
    return Row(label, document_operations(spec), bare, ours)


def totals(rows: Sequence[Row]) -> str:
    """The README's Markdown table: both sides' totals over `rows`."""
    count, operations = len(rows), sum(r.operations for r in rows)

    def column(pick: str) -> list[str]:
        sides = [getattr(r, pick) for r in rows]
        made = sum(s.generated for s in sides)
        whole = sum(s.exit_ok and s.imports and s.generated == r.operations for s, r in zip(sides, rows, strict=True))
        return [
            f"{sum(s.exit_ok for s in sides)} of {count}",
            f"{sum(s.imports for s in sides)} of {count}",
            f"{made:,} of {operations:,} ({operations - made:,} left out)",
            f"{sum(s.ruff_clean for s in sides)} of {count}",
            f"{whole} of {count}",
            f"{sum(s.seconds for s in sides):,.0f} s",
        ]

    labels = ["exits 0", "every module imports", "operations generated", "`ruff check --select E9,F` clean"]
    labels += ["every operation, every module imports", "generator time, summed over documents"]
    version = _version("openapi-python-client")
    lines = [f"| | bare openapi-python-client {version} | this pipeline |", "|---|---|---|"]
    lines += [f"| {label} | {b} | {o} |" for label, b, o in zip(labels, column("bare"), column("ours"), strict=True)]
    return "\n".join(lines)


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def listing(rows: Sequence[Row]) -> str:
    """One line per document: its operations, then bare and ours as `exit generated imports ruff seconds`,
    and under it what went wrong first where a side falls short."""

    def cell(side: Side) -> str:
        checks = f"{'ok' if side.exit_ok else 'FAIL':4} {side.generated:5} {'imp' if side.imports else '---'}"
        return f"{checks} {'ruff' if side.ruff_clean else '----'} {side.seconds:6.1f}s"

    width = max((len(r.spec) for r in rows), default=10)
    lines = [f"{'document':{width}}   ops | {'bare':28} | ours"]
    for r in rows:
        lines.append(f"{r.spec:{width}} {r.operations:5} | {cell(r.bare)} | {cell(r.ours)}")
        for name, side in (("bare", r.bare), ("ours", r.ours)):
            if side.note and (side.generated < r.operations or not side.imports or not side.ruff_clean):
                lines.append(f"    {name}: {side.note.splitlines()[0][:200]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, nargs="*", help="documents to measure (default: the corpus lists)")
    parser.add_argument("--workers", type=int, default=2, help="documents measured at once (default 2)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.spec:
        specs = [(path, path.name) for path in args.spec]
    else:
        names = [n.strip() for listed in LISTS for n in listed.read_text(encoding="utf-8").splitlines() if n.strip()]
        specs = [(CORPUS / "specs" / name, name) for name in names]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        rows = list(pool.map(lambda item: measure(*item), specs))
    print(listing(rows))
    print(f"\n{len(rows)} documents, {args.workers} at once, {time.perf_counter() - start:,.0f} s wall\n")
    print(totals(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
