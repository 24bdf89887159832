"""Package metadata of the generated distributions from the spec: licence, project URLs, classifiers.

Everything here comes from untrusted spec text, so it is checked and cleaned in Python and reaches the
pyproject.toml templates only as values that the `toml_str` filter quotes: a licence is an SPDX expression
only when `packaging` accepts it (hatchling would refuse the build otherwise), else one line of plain
text; a URL is kept only when it is an absolute http(s) URL without credentials, spaces or control
characters; classifiers are fixed strings chosen by us, never taken from the spec.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from codegen.schema_facts import mapping

# Python minor versions named in classifiers run up to this one (the newest released CPython 3.x).
NEWEST_PYTHON_MINOR = 14
MAX_TEXT = 200  # characters of a licence name kept
MAX_URL = 2000
_NOT_IN_URLS = frozenset('"<>\\^`{|}')  # never raw in a URL (RFC 3986); a quote or brace here is an attack

COMMON_CLASSIFIERS = (
    "Intended Audience :: Developers",
    "Operating System :: OS Independent",
    "Programming Language :: Python",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
)
CLIENT_CLASSIFIERS = ("Topic :: Software Development :: Libraries :: Python Modules", "Typing :: Typed")
MOCK_CLASSIFIERS = ("Framework :: FastAPI", "Topic :: Software Development :: Testing :: Mocking", "Typing :: Typed")


@dataclass(frozen=True)
class PackageMeta:
    """What the generated pyproject.toml files declare besides names, versions and dependencies."""

    license_expression: str  # an SPDX expression (License-Expression), or ""
    license_text: str  # a licence name that is no SPDX expression (License), or ""
    urls: tuple[tuple[str, str], ...]  # (label, http(s) URL), in a fixed order

    def classifiers(self, python_requires: str, kind: str) -> list[str]:
        """Trove classifiers of the client (`kind` "client") or the mock ("mock"), in a fixed order."""
        extra = CLIENT_CLASSIFIERS if kind == "client" else MOCK_CLASSIFIERS
        return [*COMMON_CLASSIFIERS, *python_classifiers(python_requires), *extra]

    def project_toml(self, python_requires: str, kind: str) -> str:
        """`license` (when the spec names one) and `classifiers` lines of the [project] table, TOML-quoted."""
        from codegen.render import toml_str

        lines = []
        if self.license_expression:
            lines.append(f"license = {toml_str(self.license_expression)}")
        elif self.license_text:
            lines.append(f"license = {{ text = {toml_str(self.license_text)} }}")
        lines.append("classifiers = [")
        lines += [f"    {toml_str(classifier)}," for classifier in self.classifiers(python_requires, kind)]
        lines.append("]")
        return "\n".join(lines)

    def urls_toml(self) -> str:
        """A blank line and a [project.urls] table of the spec's http(s) URLs, TOML-quoted; "" when it gives none."""
        from codegen.render import toml_str

        if not self.urls:
            return ""
        lines = ["", "[project.urls]", *(f"{toml_str(label)} = {toml_str(url)}" for label, url in self.urls)]
        return "\n".join(lines) + "\n"


def python_classifiers(python_requires: str) -> list[str]:
    """`Programming Language :: Python :: 3.N` for every minor version up to the newest that the range allows."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(python_requires)
    except InvalidSpecifier:
        return []
    return [
        f"Programming Language :: Python :: 3.{minor}"
        for minor in range(NEWEST_PYTHON_MINOR + 1)
        if allowed.contains(f"3.{minor}", prereleases=True)
    ]


def package_meta(doc: dict[str, Any]) -> PackageMeta:
    """The licence and project URLs that the document's `info` and `externalDocs` give, cleaned."""
    info = mapping(doc.get("info"))
    licence = mapping(info.get("license"))
    expression = _spdx(licence.get("identifier")) or _spdx(licence.get("name"))
    text = "" if expression else _one_line(licence.get("name"))
    candidates = (
        ("Documentation", mapping(doc.get("externalDocs")).get("url")),
        ("Contact", mapping(info.get("contact")).get("url")),
        ("Terms of Service", info.get("termsOfService")),
        ("License", licence.get("url")),
    )
    urls = tuple((label, url) for label, value in candidates if (url := _http_url(value)))
    return PackageMeta(license_expression=expression, license_text=text, urls=urls)


def _spdx(value: object) -> str:
    """The canonical form of an SPDX licence expression, or "" when the value is none."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    if not isinstance(value, str) or not value.strip() or value != _one_line(value):
        return ""
    try:
        return str(canonicalize_license_expression(value))
    except InvalidLicenseExpression:
        return ""


def _one_line(value: object) -> str:
    """Printable text on one line: whitespace runs become one space; control, bidi and surrogate characters go."""
    if not isinstance(value, str):
        return ""
    spaced = " ".join(value.split())
    return "".join(c for c in spaced if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))[:MAX_TEXT].strip()


def _http_url(value: object) -> str:
    """An absolute http(s) URL with a host and nothing that could break a metadata line, else ""."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return ""
    if any(c.isspace() or c in _NOT_IN_URLS or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in value):
        return ""
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        return ""
    if parts.username is not None or parts.password is not None:
        return ""
    return value
