"""Build and publish the generated client: `python scripts/release.py build|publish`.

build    sdist + wheel of generated/<name>-client into dist/ (python -m build --no-isolation: hatchling
         is pinned in .venv, so the build is offline and exact), twine check, and a check that the
         files carry the version in [tool.codegen].
publish  refuses a dirty work tree, a version already tagged (v<version>) or already on the index,
         then builds and uploads with twine. The index: TWINE_REPOSITORY_URL (twine's default, the
         public index, when unset); its simple API for the already-there check: CODEGEN_INDEX_URL
         (derived from the upload URL when unset). Credentials: TWINE_USERNAME (default __token__)
         and TWINE_PASSWORD, from the environment only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ReleaseError(Exception):
    pass


def settings(root: Path) -> tuple[str, str, Path]:
    """(distribution name, version, package folder) from [tool.codegen]."""
    section = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["codegen"]
    dist = f"{str(section['name']).replace('_', '-')}-client"
    return dist, str(section["version"]), root / str(section.get("out", "generated")) / dist


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"`{' '.join(command)}` failed:\n{result.stdout}{result.stderr}".rstrip())
    return result


def build(root: Path, out: Path) -> list[Path]:
    dist, version, package = settings(root)
    built_version = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    if built_version != version:
        raise ReleaseError(
            f"{package.name}/pyproject.toml says {built_version}, [tool.codegen] says {version}: run `make regenerate`"
        )
    if out.exists():
        shutil.rmtree(out)
    with _scratch_copy(package, root) as source:  # build never writes into generated/
        command = ["-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), "."]
        run(sys.executable, *command, cwd=source)
    stem = dist.replace("-", "_")
    files = sorted(out.iterdir())
    expected = {f"{stem}-{version}.tar.gz", f"{stem}-{version}-py3-none-any.whl"}
    if {p.name for p in files} != expected:
        raise ReleaseError(f"expected {sorted(expected)} in {out}, found {[p.name for p in files]}")
    run(sys.executable, "-m", "twine", "check", "--strict", *map(str, files), cwd=root)
    return files


class _scratch_copy:  # noqa: N801 - used as a context manager
    """A throw-away copy of the package folder (build writes build/ and egg-info style files next to sources)."""

    def __init__(self, package: Path, root: Path) -> None:
        self.package, self.root = package, root

    def __enter__(self) -> Path:
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="release-"))
        return Path(shutil.copytree(self.package, self.tmp / self.package.name))

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def default_index_url(upload_url: str) -> str:
    """The simple API beside an upload endpoint: an upload. host and /legacy/ path become the simple index."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(upload_url)
    host = parts.netloc.removeprefix("upload.")
    path = parts.path.removesuffix("/").removesuffix("/legacy")
    return urlunsplit(parts._replace(netloc=host, path=f"{path}/simple/"))


def on_index(index_url: str, dist: str, version: str) -> bool:
    """True when the index's simple page for dist lists a file of this version."""
    url = f"{index_url.rstrip('/')}/{dist}/"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - an https or loopback index URL
            page = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise ReleaseError(f"cannot ask the index whether {dist} {version} is there: HTTP {exc.code} ({url})") from None
    except OSError as exc:
        raise ReleaseError(f"cannot ask the index whether {dist} {version} is there: {exc} ({url})") from None
    stem = dist.replace("-", "_")
    return any(f"{name}-{version}{sep}" in page for name in (stem, dist) for sep in ("-", ".tar.gz"))


def publish(root: Path, out: Path) -> None:
    dist, version, _package = settings(root)
    dirty = run("git", "status", "--porcelain", "--untracked-files=normal", cwd=root).stdout.strip()
    if dirty:
        raise ReleaseError(f"the work tree is not clean; commit or remove these first:\n{dirty}")
    if run("git", "tag", "--list", f"v{version}", cwd=root).stdout.strip():
        raise ReleaseError(f"v{version} is already tagged: a released version is never uploaded again")
    from twine.utils import DEFAULT_REPOSITORY

    upload_url = os.environ.get("TWINE_REPOSITORY_URL") or DEFAULT_REPOSITORY
    index_url = os.environ.get("CODEGEN_INDEX_URL") or default_index_url(upload_url)
    if on_index(index_url, dist, version):
        raise ReleaseError(f"{dist} {version} is already on the index ({index_url}): bump the version first")
    files = build(root, out)
    env = {**os.environ, "TWINE_REPOSITORY_URL": upload_url, "TWINE_NON_INTERACTIVE": "1"}
    env.setdefault("TWINE_USERNAME", "__token__")
    upload = subprocess.run(
        [sys.executable, "-m", "twine", "upload", *map(str, files)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if upload.returncode != 0:
        raise ReleaseError(f"twine upload failed:\n{upload.stdout}{upload.stderr}".rstrip())
    print(f"release: uploaded {dist} {version}; tag it: git tag v{version} && git push origin v{version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "publish"])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this repository)")
    parser.add_argument("--out", type=Path, default=None, help="where the sdist and wheel go (default: ROOT/dist)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    out = (args.out or root / "dist").resolve()
    try:
        if args.command == "build":
            files = build(root, out)
            print("release: built and checked " + ", ".join(p.name for p in files) + f" in {out}")
        else:
            publish(root, out)
    except ReleaseError as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
