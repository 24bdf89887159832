"""File-system helpers: atomic writes, staging folders on the same filesystem, swaps by rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists():
        path = path.parent
    return path


@contextmanager
def staging_folder(near: Path) -> Iterator[Path]:
    """A fresh folder on the same filesystem as `near` (so renames are atomic), removed afterwards."""
    parent = nearest_existing(near.parent)
    folder = Path(tempfile.mkdtemp(prefix=".codegen-staging-", dir=parent))
    folder.chmod(0o777 & ~current_umask())  # mkdtemp makes 0700; output gets ordinary permissions
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new with renames only; the old tree is deleted after the swap."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old: Path | None = None
    if target.exists():
        old = target.with_name(f".codegen-old-{target.name}-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write each file to a temporary neighbour, then rename all; a crash leaves each old or new."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            os.chmod(name, 0o666 & ~current_umask())  # mkstemp makes 0600
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((Path(name), path))
        for staged_path, path in staged:
            os.replace(staged_path, path)
    finally:
        for staged_path, _ in staged:
            staged_path.unlink(missing_ok=True)


def overlay_files(folder: Path) -> list[Path]:
    """Overlay documents in a folder, in file-name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml", ".json"} and p.is_file())
