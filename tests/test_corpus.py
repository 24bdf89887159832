"""Real-world coverage: each of the 40 public documents of the shared corpus through the generic CLI.

For every document: `python -m codegen generate` exits 0 and reports "generated M of M operations"
(less only the documented exceptions below, each with its reason), every module of NAME_client and
NAME_mock imports in a fresh interpreter, and `ruff check --select E9,F` finds nothing.

Documents in CORPUS_ALL_ONLY run only with `--corpus-all` (`make corpus`); none today.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, run_codegen

SPECS = CORPUS / "specs"
LIST_FILE = CORPUS / "list.txt"
CORPUS_LIST = (
    [s.strip() for s in LIST_FILE.read_text(encoding="utf-8").splitlines() if s.strip()] if LIST_FILE.is_file() else []
)

# Documents run only with --corpus-all (make corpus). Empty: measured on 2 shared cores, all 40 take
# 128 s in one process (autotask.net.json 34 s, zuora.com.json 17 s, the other 38 77 s) and the rest of
# the suite 80 s, far inside make test's 10 minutes. Put the largest here if the suite outgrows that.
CORPUS_ALL_ONLY: frozenset[str] = frozenset()

# Operations a document may leave out, with the reason the run prints: {spec: {"METHOD /path": reason}}.
# Every one is a limit we could not fix with a transform; none today.
EXPECTED_LEFT_OUT: dict[str, dict[str, str]] = {}

# Documents expected to fail outright, with the reason (run as strict xfail, so a fix shows up); none today.
EXPECTED_FAILURES: dict[str, str] = {}

SUMMARY = re.compile(r"^codegen: generated (\d+) of (\d+) operations", re.M)
LEFT_OUT = re.compile(r"^  left out: (\S+ \S+): (.*)$", re.M)

# Runs in a fresh interpreter: imports every module of the packages given as (dist folder, package) pairs.
IMPORT_ALL = """
import importlib, json, sys
from pathlib import Path
pairs = json.loads(sys.argv[1])
sys.path[:0] = [dist for dist, _ in pairs]
failed, count = [], 0
for dist, package in pairs:
    for path in sorted((Path(dist) / package).rglob("*.py")):
        parts = path.relative_to(dist).with_suffix("").parts
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


def package_stem(spec: str) -> str:
    """`azure.com/network.json` → `azure_com_network`: a valid, distinct --name per document."""
    stem = re.sub(r"[^a-z0-9]+", "_", spec.removesuffix(".json").lower()).strip("_")
    return stem if stem[:1].isalpha() else f"api_{stem}"


def corpus_params() -> list[Any]:
    params = []
    for spec in CORPUS_LIST:
        marks: list[Any] = [pytest.mark.corpus]
        if spec in EXPECTED_FAILURES:
            marks.append(pytest.mark.xfail(reason=EXPECTED_FAILURES[spec], strict=True))
        params.append(pytest.param(spec, id=spec, marks=marks))
    return params


def import_everything(out: Path, stem: str) -> dict[str, Any]:
    dist = stem.replace("_", "-")
    pairs = [[str(out / f"{dist}-client"), f"{stem}_client"], [str(out / f"{dist}-mock"), f"{stem}_mock"]]
    result = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_ALL, json.dumps(pairs)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"import check crashed:\n{result.stderr[-3000:]}"
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def ruff_findings(*folders: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "E9,F"]
        + ["--output-format", "concise", "--quiet", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return (result.stdout + result.stderr).strip() if result.returncode else ""


@pytest.mark.skipif(not LIST_FILE.is_file(), reason=f"no corpus at {CORPUS}")
def test_corpus_lists_forty_documents() -> None:
    assert len(CORPUS_LIST) == 40
    assert all((SPECS / spec).is_file() for spec in CORPUS_LIST)
    assert set(CORPUS_LIST) >= CORPUS_ALL_ONLY
    assert set(EXPECTED_LEFT_OUT) | set(EXPECTED_FAILURES) <= set(CORPUS_LIST)


@pytest.mark.parametrize("spec", corpus_params())
def test_corpus_document(spec: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if spec in CORPUS_ALL_ONLY and not request.config.getoption("--corpus-all"):
        pytest.skip("a large document run only with --corpus-all (make corpus)")
    stem = package_stem(spec)
    out = tmp_path / "out"
    result = run_codegen("generate", "--spec", str(SPECS / spec), "--out", str(out), "--name", stem)
    assert result.returncode == 0, f"codegen generate failed on {spec}:\n{result.stderr[-4000:]}"

    summary = SUMMARY.search(result.stderr)
    assert summary, f"no 'generated N of M operations' line:\n{result.stderr[-2000:]}"
    generated, total = int(summary[1]), int(summary[2])
    left_out = dict(LEFT_OUT.findall(result.stderr))
    assert left_out == EXPECTED_LEFT_OUT.get(spec, {}), "operations left out beyond the documented exceptions"
    assert generated == total - len(left_out), f"{generated} of {total} generated, {len(left_out)} reported"

    dist = stem.replace("_", "-")
    report = import_everything(out, stem)
    assert report["failed"] == [], "modules that do not import:\n" + "\n".join(report["failed"][:20])
    assert report["imported"] > 0
    assert ruff_findings(out / f"{dist}-client", out / f"{dist}-mock") == ""
    assert_one_name_per_operation(out, stem)


OPERATION_NAME = re.compile(r"_base\.Operation\(\s*[^)]*?\bname=\"([A-Za-z0-9_]+)\"", re.S)


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


def test_left_out_operations_are_matched_by_path_shape(tmp_path: Path) -> None:
    """The client generator renames `{keyName}` to `{key_name}`; the count must not call that a left-out."""
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/keys/{keyName}": {
                "get": {
                    "operationId": "getKey",
                    "parameters": [{"name": "keyName", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {
                    "operationId": "postKey",
                    "parameters": [{"name": "keyName", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}},
                    "responses": {"200": {"description": "ok"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Gone": {"allOf": [{"$ref": "#/components/schemas/Word"}, {"type": "object"}]},
                "Word": {"type": "string"},
            }
        },
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "keys")
    assert result.returncode == 0, result.stderr
    assert "generated 1 of 2 operations" in result.stderr
    assert LEFT_OUT.findall(result.stderr) == [
        ("POST /keys/{keyName}", "#/components/schemas/Gone was not generated: Cannot take allOf a non-object")
    ]


def test_a_narrowed_operation_is_reported(tmp_path: Path) -> None:
    """An encoding the generator cannot send is named on the output, though the operation is generated."""
    body = {"type": "object", "properties": {"name": {"type": "string"}}}
    content = {"application/json": {"schema": body}, "application/xml": {"schema": body}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "addThing",
                    "requestBody": {"required": True, "content": content},
                    "responses": {"204": {"description": "added"}},
                }
            }
        },
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "things")
    assert result.returncode == 0, result.stderr
    assert "generated 1 of 1 operations" in result.stderr
    assert "  narrowed: POST /things: Unsupported content type application/xml" in result.stderr
