"""Settings from [tool.codegen] in pyproject.toml: the one source of names, versions and paths."""

from __future__ import annotations

import keyword
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError
from codegen.fingerprint import DEFAULT_CHANGELOG

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def check_name(name: str) -> str:
    """A package stem must be a lower-case Python identifier, so that NAME_client imports."""
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise CodegenError(
            f"{name!r} is not a usable package name",
            hint="use lower-case letters, digits and single underscores, starting with a letter (e.g. acme)",
        )
    return name


# A public PEP 440 version in its normal form: 1.2.3, 2.0.0rc1, 1.0.post2, 1.1.dev3.
VERSION_PATTERN = re.compile(r"^\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?(?:\.dev\d+)?$")


def check_version(version: str) -> str:
    """The generated packages' version goes into pyproject.toml and __version__: it must be a plain version."""
    if not VERSION_PATTERN.match(version):
        raise CodegenError(
            f"{version!r} is not a usable package version",
            hint="use a PEP 440 version such as 0.1.0, 1.2.0rc1 or 1.0.post1",
        )
    return version


@dataclass(frozen=True)
class Names:
    """Every name derived from the package stem (`zenskar` → `zenskar-client`, `zenskar_client`, `Zenskar`)."""

    stem: str

    @property
    def client_dist(self) -> str:
        return f"{self.stem.replace('_', '-')}-client"

    @property
    def client_package(self) -> str:
        return f"{self.stem}_client"

    @property
    def mock_dist(self) -> str:
        return f"{self.stem.replace('_', '-')}-mock"

    @property
    def mock_package(self) -> str:
        return f"{self.stem}_mock"

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.stem.split("_"))

    @property
    def env_prefix(self) -> str:
        return f"{self.stem.upper()}_"


@dataclass(frozen=True)
class Settings:
    root: Path
    names: Names
    version: str
    spec: Path
    spec_url: str
    overlays_dir: Path
    out: Path
    python_requires: str
    raw: dict[str, object]
    changelog: Path  # the changelog's source of truth; the pipeline copies it into the client

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    @property
    def lock(self) -> Path:
        return self.spec.with_suffix(".lock.json")

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def client(self) -> dict[str, Any]:
        """[tool.codegen.client]: auth argument names and pagination defaults of the generated client."""
        section = self.raw.get("client")
        return dict(section) if isinstance(section, dict) else {}


def load_settings(root: Path) -> Settings:
    pyproject = root / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CodegenError(f"cannot read settings: {exc}", where=str(pyproject)) from None
    section = data.get("tool", {}).get("codegen")
    if not isinstance(section, dict):
        raise CodegenError("no [tool.codegen] table", where=str(pyproject), hint="add it (see README.md)")
    try:
        return Settings(
            root=root,
            names=Names(check_name(str(section["name"]))),
            version=check_version(str(section["version"])),
            spec=root / str(section["spec"]),
            spec_url=str(section.get("spec_url", "")),
            overlays_dir=root / str(section.get("overlays", "spec/overlays")),
            out=root / str(section.get("out", "generated")),
            python_requires=str(section.get("python_requires", ">=3.9")),
            raw=dict(section),
            changelog=root / str(section.get("changelog", DEFAULT_CHANGELOG)),
        )
    except KeyError as exc:
        raise CodegenError(f"[tool.codegen] lacks the key {exc}", where=str(pyproject)) from None


_SECTION = re.compile(r"^\s*\[\s*tool\.codegen\s*\]\s*(?:#.*)?$")
_VERSION_LINE = re.compile(r'^(\s*version\s*=\s*)"[^"]*"')


def with_version(pyproject_text: str, version: str) -> str:
    """pyproject.toml's text with [tool.codegen] version set; every other byte (comments, order) kept."""
    check_version(version)
    lines = pyproject_text.splitlines(keepends=True)
    inside = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith("["):
            inside = bool(_SECTION.match(line))
            continue
        match = _VERSION_LINE.match(line) if inside else None
        if match:
            lines[index] = f'{match.group(1)}"{version}"{line[match.end() :]}'
            text = "".join(lines)
            if tomllib.loads(text)["tool"]["codegen"]["version"] == version:
                return text
            break
    raise CodegenError(
        'cannot find a `version = "..."` line in [tool.codegen] to bump',
        where="pyproject.toml",
        hint='write the version as a plain `version = "0.1.0"` line in [tool.codegen]',
    )
