"""Shared test options and helpers. Tests never chdir and never reach beyond 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_PAGE = SHARED / "seed" / "000_2830897d31d6cba4.txt"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="rewrite golden snapshots (make snapshots)")
    parser.addoption("--corpus-all", action="store_true", help="all 140 corpus documents, not only 40 (make corpus)")
    parser.addoption("--peer-specs", action="store_true", help="the 289 peer generators' documents (make peer-specs)")


def minimal_spec(**extra: Any) -> dict[str, Any]:
    """A valid OpenAPI 3.1 document with one operation (GET /things, `list_things`, 200 with a JSON body of any
    value), plus `extra` top-level keys."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "list_things",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
                }
            }
        },
        **extra,
    }


def run_codegen(*args: str, cwd: Path | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `python -m codegen ARGS` as a user would, in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    env.pop("FORCE", None)
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def generate_fixture(spec: Path, out: Path, stem: str) -> Path:
    """`python -m codegen generate --spec SPEC --out OUT --name STEM`, asserted to succeed; OUT
    (holding `STEM-client/` and `STEM-mock/`)."""
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", stem, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project pinned from the seed page; tests change copies of it (`project`). A module may override it."""
    from regen_helpers import new_project, pin_seed

    root = new_project(tmp_path_factory.mktemp("seed") / "project")
    pin_seed(root)
    return root


@pytest.fixture
def project(seed_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of the module's seed project."""
    return Path(shutil.copytree(seed_project, tmp_path / "project", symlinks=True))


@pytest.fixture
def seed_doc(seed_project: Path) -> dict[str, Any]:
    """The seed project's pinned document."""
    from regen_helpers import SPEC

    doc: dict[str, Any] = json.loads((seed_project / SPEC).read_bytes())
    return doc
