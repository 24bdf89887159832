"""What "a document generates in full" means, for the corpus and the peer documents alike.

`python -m codegen generate` exits 0 and reports "generated M of M operations" (less only the left-out
operations a test expects), every module of NAME_client and NAME_mock imports in a fresh interpreter,
`ruff check --select E9,F` finds nothing, and the SDK, the mock and the changelog name each operation
alike. The import and ruff checks are scripts/corpus_table.py's, so the README's table counts the same.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from conftest import run_codegen
from corpus_table import import_modules, package_stem, ruff_findings

SUMMARY = re.compile(r"^codegen: generated (\d+) of (\d+) operations", re.M)
LEFT_OUT = re.compile(r"^  left out: (\S+ \S+): (.*)$", re.M)
OPERATION_NAME = re.compile(r"_base\.Operation\(\s*[^)]*?\bname=\"([A-Za-z0-9_]+)\"", re.S)

__all__ = ["LEFT_OUT", "assert_generated_in_full", "assert_generates_in_full", "generate", "package_stem", "read_list"]


def read_list(path: Path) -> list[str]:
    """The document names a list file holds, one a line (some contain spaces)."""
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()] if path.is_file() else []


def generate(spec: Path, label: str, out: Path) -> subprocess.CompletedProcess[str]:
    """`python -m codegen generate` of `spec` into `out`, named after `label` (package_stem)."""
    return run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", package_stem(label))


def assert_generates_in_full(spec: Path, label: str, tmp_path: Path, left_out: dict[str, str] | None = None) -> None:
    """Generate `spec` and assert the whole contract above."""
    assert_generated_in_full(generate(spec, label, tmp_path / "out"), label, tmp_path / "out", left_out)


def assert_generated_in_full(
    result: subprocess.CompletedProcess[str], label: str, out: Path, left_out: dict[str, str] | None = None
) -> None:
    """The contract above, for a run of `generate` that wrote into `out`."""
    assert result.returncode == 0, f"codegen generate failed on {label}:\n{result.stderr[-4000:]}"
    summary = SUMMARY.search(result.stderr)
    assert summary, f"no 'generated N of M operations' line:\n{result.stderr[-2000:]}"
    generated, total = int(summary[1]), int(summary[2])
    found = dict(LEFT_OUT.findall(result.stderr))
    assert found == (left_out or {}), "operations left out beyond the documented exceptions"
    assert generated == total - len(found), f"{generated} of {total} generated, {len(found)} reported"

    stem = package_stem(label)
    dist = stem.replace("_", "-")
    client, mock = out / f"{dist}-client", out / f"{dist}-mock"
    imported, failed = import_modules([(client, f"{stem}_client"), (mock, f"{stem}_mock")])
    assert failed == [], "modules that do not import:\n" + "\n".join(failed[:20])
    assert imported > 0
    assert ruff_findings(client, mock) == ""
    assert_one_name_per_operation(out, stem)


def assert_one_name_per_operation(out: Path, stem: str) -> None:
    """The SDK's `client.<resource>.<method>` of every operation is the one the changelog names, and the
    mock's handler keys are the spec model's document-wide keys, one per operation."""
    from codegen.spec_model import build_spec_model

    dist = stem.replace("_", "-")
    resources = out / f"{dist}-client" / f"{stem}_client" / "resources"
    client = sorted(
        (f.stem, n) for f in resources.glob("*.py") for n in OPERATION_NAME.findall(f.read_text(encoding="utf-8"))
    )
    data = json.loads((out / f"{dist}-mock" / f"{stem}_mock" / "mock_data.json").read_text(encoding="utf-8"))
    effective = json.loads((out / f"{stem}.openapi.json").read_text(encoding="utf-8"))
    operations = build_spec_model(effective).operations
    assert client == sorted((op.resource, op.python_name) for op in operations)
    assert sorted(data["operations"]) == sorted(op.key for op in operations)
    assert len(data["operations"]) == len(operations)
