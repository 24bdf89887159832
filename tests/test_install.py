"""The set-up's editable installs (issue 11, items 3 and 4): the `codegen` command and the generated packages.

After `make regenerate` or `make test` (both run scripts/bootstrap.sh) the venv has a `codegen` console
script and imports NAME_client and NAME_mock from anywhere; the imports follow `generated/` when the
pipeline swaps a new one in. Each test runs the real commands in subprocesses, outside the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from codegen.config import with_version
from conftest import FIXTURES, REPO

VENV_BIN = Path(sys.executable).parent
IMPORTED_FROM = "import {client}, {mock}; print({client}.__file__); print({mock}.__file__); print({client}.__version__)"


def names(root: Path) -> tuple[str, str, str]:
    """(client package, mock package, version) from [tool.codegen] of the project at root."""
    section = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["codegen"]
    return f"{section['name']}_client", f"{section['name']}_mock", str(section["version"])


def clean_env() -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH, no FORCE."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "FORCE")}


def run(*command: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_venv_imports_the_generated_packages_from_anywhere(tmp_path: Path) -> None:
    client, mock, version = names(REPO)
    shown = run(VENV_BIN / "python", "-c", IMPORTED_FROM.format(client=client, mock=mock), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    client_file, mock_file, imported_version = shown.stdout.split()
    generated = REPO / "generated"
    assert Path(client_file).is_relative_to(generated) and Path(mock_file).is_relative_to(generated)
    assert imported_version == version


def test_the_codegen_command_generates_without_pythonpath(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = FIXTURES / "inventory_30_params.json"
    made = run(VENV_BIN / "codegen", "generate", "--spec", spec, "--out", out, "--name", "acme", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "generated" in made.stderr + made.stdout
    assert (out / "acme-client" / "acme_client" / "__init__.py").is_file()
    assert (out / "acme-mock" / "acme_mock" / "server.py").is_file()
    assert (out / "acme.openapi.json").is_file()
    env = {**clean_env(), "PYTHONPATH": os.pathsep.join([str(out / "acme-client"), str(out / "acme-mock")])}
    imported = subprocess.run(
        [sys.executable, "-c", "import acme_client, acme_mock.server; print(acme_client.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(out)
    usage = run(VENV_BIN / "codegen", "--help", cwd=tmp_path)
    assert usage.returncode == 0 and usage.stdout.startswith("usage: codegen ")


def shadow_site_packages(folder: Path) -> Path:
    """The pipeline venv's installed tools without its editable installs (their .pth files and metadata)."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        editable = entry.name.endswith(".pth") or (entry / "direct_url.json").is_file()
        if not editable:
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture
def project_venv(tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of the project, a new venv) after the bootstrap's editable step ran in that venv for that copy."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(REPO / name, project / name)
    for name in ("scripts", "templates", "spec", "generated"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__", ".pending*"))
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = next((venv / "lib").glob("python3*/site-packages"))
    tools = shadow_site_packages(tmp_path / "tools")
    (site / "zz_pipeline_tools.pth").write_text(f"{tools}\n", encoding="utf-8")
    (venv / "bin" / "ruff").symlink_to(VENV_BIN / "ruff")  # the pipeline runs ruff's binary from its venv
    installed = run(venv / "bin" / "python", project / "scripts" / "editables.py", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert "installed editable" in installed.stdout
    again = run(venv / "bin" / "python", project / "scripts" / "editables.py", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""  # nothing changed: nothing done
    return project, venv


def test_the_editable_install_follows_a_regenerate(project_venv: tuple[Path, Path], tmp_path: Path) -> None:
    project, venv = project_venv
    client, mock, version = names(project)
    check = IMPORTED_FROM.format(client=client, mock=mock)
    before = run(venv / "bin" / "python", "-c", check, cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert Path(before.stdout.split()[0]).is_relative_to(project / "generated")
    assert before.stdout.split()[2] == version

    pyproject = project / "pyproject.toml"
    pyproject.write_text(with_version(pyproject.read_text(encoding="utf-8"), "9.8.7"), encoding="utf-8")
    regenerated = run(venv / "bin" / "codegen", "--root", project, "regenerate", cwd=tmp_path)
    assert regenerated.returncode == 0, regenerated.stderr

    after = run(venv / "bin" / "python", "-c", check, cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert after.stdout.split()[:2] == before.stdout.split()[:2]  # same place, new contents
    assert after.stdout.split()[2] == "9.8.7"
