"""Golden snapshots: the generic CLI's output for each fixture spec, compared byte for byte.

A difference fails with the files that differ and a short diff; `make snapshots` (pytest
--update-snapshots) rewrites tests/snapshots/<fixture>/ instead, and the git diff is the review.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_codegen

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
RUNTIME = REPO / "templates" / "client" / "runtime"
RUNTIME_MODULES = sorted(p.name for p in RUNTIME.glob("*.py") if p.name != "__init__.py")  # what is copied

# fixture file → package stem passed as --name. Each fixture's output lives in snapshots/<stem of the file>/.
SNAPSHOT_FIXTURES = {
    "billing_31_auth_nullable.yaml": "billing",
    "inventory_30_params.json": "inventory",
    "params_styles_31.yaml": "pstyles",
}

MAX_DIFF_LINES = 40
MAX_FILES_DIFFED = 5


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under root by its POSIX path relative to root."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def generate(spec: Path, out: Path, name: str, cwd: Path | None = None) -> dict[str, bytes]:
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", name, cwd=cwd)
    assert result.returncode == 0, f"codegen generate failed on {spec.name}:\n{result.stderr}"
    return read_tree(out if out.is_absolute() or cwd is None else cwd / out)


def short_diff(relative: str, golden: bytes, fresh: bytes) -> list[str]:
    try:
        a = golden.decode("utf-8").splitlines()
        b = fresh.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return ["    (binary content differs)"]
    lines = list(difflib.unified_diff(a, b, f"{relative} (snapshot)", f"{relative} (generated)", lineterm="", n=2))
    shown = [f"    {line}" for line in lines[:MAX_DIFF_LINES]]
    if len(lines) > MAX_DIFF_LINES:
        shown.append(f"    … {len(lines) - MAX_DIFF_LINES} more diff lines")
    return shown


def compare_trees(golden: dict[str, bytes], fresh: dict[str, bytes], headline: str, hint: str) -> str | None:
    """None when equal; otherwise a report naming every differing, missing and extra file."""
    changed = sorted(p for p in golden.keys() & fresh.keys() if golden[p] != fresh[p])
    missing = sorted(fresh.keys() - golden.keys())  # generated now, absent from the snapshot
    extra = sorted(golden.keys() - fresh.keys())  # in the snapshot, no longer generated
    if not (changed or missing or extra):
        return None
    lines = [headline]
    for number, relative in enumerate(changed):
        lines.append(f"  differs: {relative}")
        if number < MAX_FILES_DIFFED:
            lines += short_diff(relative, golden[relative], fresh[relative])
    if len(changed) > MAX_FILES_DIFFED:
        lines.append(f"  (diffs shown for the first {MAX_FILES_DIFFED} of {len(changed)} differing files)")
    lines += [f"  missing from the snapshot: {p}" for p in missing]
    lines += [f"  extra in the snapshot (no longer generated): {p}" for p in extra]
    lines.append(f"  next: {hint}")
    return "\n".join(lines)


def write_snapshot(folder: Path, tree: dict[str, bytes]) -> None:
    """Replace folder with exactly tree: stale files from earlier runs do not survive."""
    if folder.exists():
        shutil.rmtree(folder)
    for relative, data in tree.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@pytest.fixture(scope="module")
def generated_trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """One real generation per fixture, shared by the snapshot and determinism tests."""
    trees: dict[str, dict[str, bytes]] = {}
    for fixture, name in SNAPSHOT_FIXTURES.items():
        out = tmp_path_factory.mktemp(f"snap-{name}") / "out"
        trees[fixture] = generate(FIXTURES / fixture, out, name)
    return trees


@pytest.mark.parametrize("fixture", sorted(SNAPSHOT_FIXTURES))
def test_output_matches_snapshot(
    fixture: str, generated_trees: dict[str, dict[str, bytes]], request: pytest.FixtureRequest
) -> None:
    fresh = generated_trees[fixture]
    folder = SNAPSHOTS / Path(fixture).stem
    if request.config.getoption("--update-snapshots"):
        write_snapshot(folder, fresh)
        assert read_tree(folder) == fresh
        return
    if not folder.is_dir():
        pytest.fail(
            f"no snapshot for {fixture} at tests/snapshots/{folder.name}/\n"
            "  next: run `make snapshots` and review the diff",
            pytrace=False,
        )
    report = compare_trees(
        read_tree(folder),
        fresh,
        f"{fixture}: generated output differs from tests/snapshots/{folder.name}/",
        "if the change is intended, run `make snapshots` and review the diff",
    )
    if report is not None:
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("fixture", sorted(SNAPSHOT_FIXTURES))
def test_generation_is_deterministic(
    fixture: str, generated_trees: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    """A second run from another folder, with relative paths and a fresh hash seed, gives the same bytes."""
    elsewhere = tmp_path / "elsewhere" / "spec"
    elsewhere.mkdir(parents=True)
    shutil.copyfile(FIXTURES / fixture, elsewhere / fixture)
    second = generate(Path(fixture), Path("other-out"), SNAPSHOT_FIXTURES[fixture], cwd=elsewhere)
    report = compare_trees(
        generated_trees[fixture],
        second,
        f"{fixture}: two runs of the same inputs gave different output (first run vs second run)",
        "find what depends on the output path, the working folder, time or hash order, and make it stable",
    )
    if report is not None:
        pytest.fail(report, pytrace=False)


def test_no_orphaned_snapshot_folders(request: pytest.FixtureRequest) -> None:
    """A renamed or removed fixture must not leave its golden folder behind (`make snapshots` deletes it)."""
    known = {Path(f).stem for f in SNAPSHOT_FIXTURES}
    orphans = sorted(p for p in SNAPSHOTS.glob("*") if p.name not in known) if SNAPSHOTS.is_dir() else []
    if request.config.getoption("--update-snapshots"):
        for orphan in orphans:
            if orphan.is_dir():
                shutil.rmtree(orphan)
            else:
                orphan.unlink()
        return
    if orphans:
        pytest.fail(
            f"tests/snapshots/ holds entries that belong to no fixture: {[p.name for p in orphans]}\n"
            "  next: run `make snapshots` and review the diff",
            pytrace=False,
        )


@pytest.mark.parametrize("fixture", sorted(SNAPSHOT_FIXTURES))
def test_runtime_modules_are_the_repository_files_plus_the_header(
    fixture: str, generated_trees: dict[str, dict[str, bytes]]
) -> None:
    """Copied, not rendered: a spec update (a version bump, a new parameter) cannot change them."""
    name = SNAPSHOT_FIXTURES[fixture]
    header = f"# generated by codegen from {fixture} — do not edit\n".encode()
    assert set(RUNTIME_MODULES) >= {"_base_client.py", "_exceptions.py", "pagination.py", "types.py"}
    for module in RUNTIME_MODULES:
        copied = generated_trees[fixture][f"{name}-client/{name}_client/{module}"]
        assert copied == header + (RUNTIME / module).read_bytes(), f"{module} differs from templates/client/runtime/"


def test_snapshots_and_generated_packages_pass_mypy_strict(tmp_path: Path) -> None:
    """Every golden client and mock package, and generated/'s, type-check: one mypy run over all of them."""
    packages = sorted(str(p) for p in SNAPSHOTS.glob("*/*-*/*_*") if (p / "__init__.py").is_file())
    packages += [str(p) for p in (REPO / "generated").glob("*-*/*_*") if (p / "__init__.py").is_file()]
    assert len(packages) == 2 * len(SNAPSHOT_FIXTURES) + 2, packages
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")  # the repository's own settings do not apply to output
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config),
         "--cache-dir", str(tmp_path / "mypy-cache"), *packages],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
