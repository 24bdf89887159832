"""Shared test options and helpers. Tests never chdir and never reach beyond 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_PAGE = SHARED / "seed" / "000_2830897d31d6cba4.txt"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="rewrite golden snapshots (make snapshots)")
    parser.addoption("--corpus-all", action="store_true", help="include the largest corpus specs (make corpus)")


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
