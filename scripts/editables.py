"""Install the pipeline and the generated distributions editable into .venv (run by scripts/bootstrap.sh).

After it, `.venv/bin/codegen` runs the pipeline and `.venv/bin/python -c "import NAME_client, NAME_mock"`
works from anywhere. Each project is put on the path by a plain `.pth` line naming its folder (hatchling's
`dev-mode-dirs`), so nothing is copied: regenerating `generated/` (swapped in as a whole folder under the
same name) is seen at once. pip runs with `--no-index --no-deps --no-build-isolation`, building with the
pinned hatchling already in the venv: nothing is fetched beyond requirements.lock.

A key of what shapes the installs (this script, the settings' names, versions and output folder, which
generated distributions exist) is kept in .venv/.editables-sha256; an unchanged key does nothing.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from codegen.config import load_settings  # noqa: E402 - needs the path set above
from codegen.errors import CodegenError  # noqa: E402

KEY_FILE = ".editables-sha256"


def projects(root: Path) -> list[Path]:
    """The folders to install: the pipeline itself, then each generated distribution that exists."""
    settings = load_settings(root)
    generated = [settings.out / settings.names.client_dist, settings.out / settings.names.mock_dist]
    return [root, *(folder for folder in generated if (folder / "pyproject.toml").is_file())]


def install_key(root: Path, folders: list[Path]) -> str:
    """What an install depends on: this script, and each project's pyproject.toml (names, versions, scripts)."""
    parts = {"script": Path(__file__).read_text(encoding="utf-8")}
    for folder in folders:
        parts[str(folder.relative_to(root))] = (folder / "pyproject.toml").read_text(encoding="utf-8")
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def main() -> int:
    try:
        folders = projects(ROOT)
    except CodegenError as exc:
        print(exc, file=sys.stderr)
        return 1
    marker = Path(sys.prefix) / KEY_FILE
    key = install_key(ROOT, folders)
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == key:
        return 0
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--no-index", "--no-deps", "--no-build-isolation"]
    for folder in folders:
        command += ["--editable", str(folder)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr, end="")
        print("bootstrap: the editable install failed (see above); the venv's tools are installed", file=sys.stderr)
        return 1
    marker.write_text(key + "\n", encoding="utf-8")
    names = ", ".join(str(folder.relative_to(ROOT)) or "." for folder in folders)
    print(f"bootstrap: installed editable into {Path(sys.prefix).name}: {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
