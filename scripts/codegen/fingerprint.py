"""Input and output hashes, and the no-op check that `make regenerate` runs before anything heavy.

This module imports only the standard library's lightest parts: a no-op regenerate is mostly
interpreter start-up, so it answers before the pipeline (and its generators) are imported.
The same functions compute the hashes recorded in MANIFEST.json, so there is one definition.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tomllib
from typing import Any

MANIFEST = "MANIFEST.json"
NOOP_MESSAGE = (
    "codegen: inputs unchanged since the last run and {out}/ matches MANIFEST.json; "
    "nothing to do (FORCE=1 regenerates anyway)"
)
DEFAULT_OVERLAYS = "spec/overlays"
DEFAULT_OUT = "generated"
DEFAULT_CHANGELOG = "spec/CHANGELOG.md"
OVERLAY_SUFFIXES = (".yaml", ".yml", ".json")
PIPELINE_ROOT = os.path.dirname(os.path.abspath(__file__))
TOOL_ROOT = os.path.dirname(os.path.dirname(PIPELINE_ROOT))  # the repository holding scripts/ and templates/
TOOLS_LOCK = os.path.join(TOOL_ROOT, "requirements.lock")  # exact, hashed tool versions: its hash covers them


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as handle:
        return sha256_bytes(handle.read())


def file_sha_or_none(path: str | os.PathLike[str]) -> str | None:
    """sha256 of a file that may not exist (an optional input such as the changelog)."""
    try:
        return sha256_file(path)
    except FileNotFoundError:
        return None


def tree_hashes(root: str | os.PathLike[str], skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Relative POSIX path → sha256 for every file under root, sorted; names in `skip` are left out."""
    found: dict[str, str] = {}
    top = os.fspath(root)
    for folder, subfolders, files in os.walk(top):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, top).replace(os.sep, "/")
            if relative not in skip:
                found[relative] = sha256_file(path)
    return dict(sorted(found.items()))


def overlay_paths(folder: str | os.PathLike[str]) -> list[str]:
    """Overlay documents in a folder, in file-name order."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return [e.path for e in sorted(entries, key=lambda e: e.name) if e.name.endswith(OVERLAY_SUFFIXES) and e.is_file()]


def input_hashes(
    *,
    spec_rel: str,
    spec_sha: str,
    lock_sha: str,
    overlays: list[str],
    templates: str | os.PathLike[str],
    config: dict[str, Any],
    changelog_sha: str | None = None,
) -> dict[str, Any]:
    """Everything that shapes generated output, hashed: equal inputs make equal output."""
    return {
        "spec": {"path": spec_rel, "sha256": spec_sha},
        "lock": lock_sha,
        "overlays": {os.path.basename(p): sha256_file(p) for p in overlays},
        "templates": tree_hashes(templates),
        "pipeline": tree_hashes(PIPELINE_ROOT),
        "config": sha256_bytes(json.dumps(config, sort_keys=True).encode()),
        "tools_lock": sha256_file(TOOLS_LOCK),
        "changelog": changelog_sha,
    }


def outputs_match(out: str | os.PathLike[str], manifest: dict[str, Any]) -> bool:
    return bool(tree_hashes(out, skip=frozenset({MANIFEST})) == manifest.get("outputs"))


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any] | None:
    try:
        with open(os.path.join(out, MANIFEST), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def force_requested() -> bool:
    """FORCE=1 (any value but empty, 0, false or no) asks regenerate to run even when nothing changed."""
    return os.environ.get("FORCE", "").strip().lower() not in {"", "0", "false", "no"}


def answer_noop_quickly(argv: list[str]) -> bool:
    """Print the no-op message and return True when `regenerate` has nothing to do.

    Only the plain command run from the project folder takes this path; anything else, or any
    doubt, goes the full way, which checks and reports everything.
    """
    root = os.getcwd()
    if argv != ["regenerate"] or force_requested() or not os.path.isdir(os.path.join(root, "scripts", "codegen")):
        return False
    out = noop_out_folder(root)
    if out is None:
        return False
    print(NOOP_MESSAGE.format(out=out), file=sys.stderr)
    return True


def noop_out_folder(root: str) -> str | None:
    """The output folder's name when a plain `regenerate` in root would be a no-op, else None."""
    try:
        with open(os.path.join(root, "pyproject.toml"), "rb") as handle:
            out = str(tomllib.load(handle)["tool"]["codegen"].get("out", DEFAULT_OUT))
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return None
    return os.path.basename(out.rstrip("/")) if is_noop(root) else None


def is_noop(root: str) -> bool:
    """True when the pinned inputs and generated/ are exactly what MANIFEST.json recorded.

    Any doubt (unreadable settings, a half-written pin waiting to be recovered) answers False, and
    the full path, which checks and reports everything, takes over.
    """
    try:
        with open(os.path.join(root, "pyproject.toml"), "rb") as handle:
            config = tomllib.load(handle)["tool"]["codegen"]
        spec_rel = str(config["spec"])
        spec = os.path.join(root, spec_rel)
        lock = os.path.splitext(spec)[0] + ".lock.json"
        folder = os.path.dirname(spec)
        if any(name.endswith(".pending") for name in os.listdir(folder)):
            return False
        out = os.path.join(root, str(config.get("out", DEFAULT_OUT)))
        manifest = read_manifest(out)
        if manifest is None:
            return False
        inputs = input_hashes(
            spec_rel=spec_rel,
            spec_sha=sha256_file(spec),
            lock_sha=sha256_file(lock),
            overlays=overlay_paths(os.path.join(root, str(config.get("overlays", DEFAULT_OVERLAYS)))),
            templates=os.path.join(root, "templates"),
            config=config,
            changelog_sha=file_sha_or_none(os.path.join(root, str(config.get("changelog", DEFAULT_CHANGELOG)))),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return False
    return manifest.get("inputs") == inputs and outputs_match(out, manifest)
