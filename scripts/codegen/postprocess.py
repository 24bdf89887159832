"""After generation: the do-not-edit header on every file, then ruff format and ruff check."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from codegen.errors import CodegenError

# How a one-line comment is written, by file suffix (or name for suffix-less files).
_COMMENT_STYLES = {
    ".py": "# {}",
    ".pyi": "# {}",
    ".toml": "# {}",
    ".typed": "# {}",
    ".cfg": "# {}",
    ".txt": "# {}",
    ".gitignore": "# {}",
    ".md": "<!-- {} -->",
}

# Ruff runs with --isolated and explicit settings so that output never depends on where it is written.
RUFF_COMMON = ["--isolated", "--no-cache", "--line-length", "120", "--target-version", "py39"]
RUFF_FIXES = "F401,F811,I"
RUFF_GATE = "E9,F"


def add_header(root: Path, header: str) -> None:
    """Prefix every text file under root with the header line in its comment syntax."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            add_header_to(path, header)


def add_header_to(path: Path, header: str) -> None:
    """Prefix one file with the header line in its comment syntax (unless it has it, or has no comments)."""
    style = _COMMENT_STYLES.get(path.suffix or path.name)
    if style is None:
        return
    line = style.format(header)
    text = path.read_text(encoding="utf-8")
    if not text.startswith(line):
        path.write_text(f"{line}\n{text}", encoding="utf-8")


@functools.cache
def _ruff_binary() -> str:
    """The pinned ruff executable itself: `python -m ruff` would cost an interpreter start per call."""
    from ruff.__main__ import find_ruff_bin

    return os.fsdecode(find_ruff_bin())


def _ruff(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_ruff_binary(), *args], cwd=cwd, capture_output=True, text=True, check=False)


def format_file(path: Path) -> None:
    """`ruff format` on one file written after run_ruff (a README: ruff formats its Python code blocks)."""
    result = _ruff(["format", *RUFF_COMMON, path.name], path.parent)
    if result.returncode != 0:
        raise CodegenError(
            f"ruff format failed on {path.name}: {(result.stdout + result.stderr).strip()[:2000]}",
            where=str(path),
            hint="a template produced invalid Python in a code block; fix it and regenerate",
        )


def run_ruff(root: Path) -> None:
    """Fix imports, format, then gate on syntax errors and pyflakes findings. Failures are never swallowed."""
    steps = [
        ["check", *RUFF_COMMON, "--select", RUFF_FIXES, "--fix", "--quiet", "--exit-zero", "."],
        ["format", *RUFF_COMMON, "."],
        ["check", *RUFF_COMMON, "--select", RUFF_GATE, "--output-format", "concise", "--quiet", "."],
    ]
    for args in steps:
        result = _ruff(args, root)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().splitlines()
            shown = "\n    ".join(output[:20]) + (f"\n    … {len(output) - 20} more lines" if len(output) > 20 else "")
            raise CodegenError(
                f"ruff {args[0]} failed on the generated code:\n    {shown}",
                where=str(root),
                hint="a template or transform produced invalid Python; fix it and regenerate",
            )
