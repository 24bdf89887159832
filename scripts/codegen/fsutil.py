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


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_work(parent: Path) -> None:
    """Delete staging and old-tree folders left in parent by runs that were killed (their pid is gone)."""
    for entry in parent.glob(".codegen-*"):
        if entry.name.startswith(".codegen-staging-"):
            pid_text = entry.name.removeprefix(".codegen-staging-").split("-")[0]
        elif entry.name.startswith(".codegen-old-"):
            pid_text = entry.name.rsplit("-", 1)[-1]
        else:
            continue
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _process_alive(int(pid_text)):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def staging_folder(near: Path) -> Iterator[Path]:
    """A fresh folder on the same filesystem as `near` (so renames are atomic), removed afterwards.

    Its name carries our pid, so a later run can remove what a killed run left behind.
    """
    parent = nearest_existing(near.parent)
    remove_stale_work(parent)
    folder = Path(tempfile.mkdtemp(prefix=f".codegen-staging-{os.getpid()}-", dir=parent))
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
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:
            os.replace(old, target)  # put the previous tree back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_synced(path: Path, data: bytes) -> None:
    """Write data to path (created or truncated) with ordinary permissions and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask applies
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames into it) to disk where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    from codegen.fingerprint import overlay_paths

    return [Path(p) for p in overlay_paths(folder)]
