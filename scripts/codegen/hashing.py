"""sha256 helpers shared by the pin, the manifest and drift checks."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def tree_hashes(root: Path, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Relative POSIX path → sha256 for every file under root, sorted; names in `skip` are left out."""
    if not root.is_dir():
        return {}
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(root).as_posix()
            if relative not in skip:
                found[relative] = sha256_file(path)
    return found
