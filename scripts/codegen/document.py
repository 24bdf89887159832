"""Reading an OpenAPI document: bytes → mapping, with errors that name the file and the place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# A documentation page (Markdown) that embeds the document in a fenced block, as Zenskar's pages do.
_FENCED_BLOCK = re.compile(r"^(`{3,})(?:yaml|yml|json)[^\n]*\n(.*?)\n\1\s*$", re.S | re.M)


def _yaml_load(text: str) -> Any:
    """Safe YAML load that keeps dates as strings (`2024-03-01` stays text, as in the JSON form)."""
    import yaml

    class JsonLikeLoader(yaml.SafeLoader):
        pass

    JsonLikeLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(text, Loader=JsonLikeLoader)  # noqa: S506 - a SafeLoader subclass


def pointer(*parts: str | int) -> str:
    """RFC 6901 JSON pointer from path parts."""
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def parse_document(data: bytes, source: str) -> dict[str, Any]:
    """JSON, YAML, or a Markdown page with one fenced YAML/JSON block holding the document."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CodegenError(
            f"document is {len(data):,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit",
            where=source,
            hint="pass the OpenAPI document itself (JSON or YAML), not an archive or a bundle of files",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodegenError(
            f"document is not UTF-8 text ({exc.reason} at byte {exc.start})",
            where=source,
            hint="pass an OpenAPI document saved as UTF-8 JSON or YAML",
        ) from None
    block = _embedded_block(text) if not text.lstrip().startswith(("{", "openapi", "overlay")) else None
    parsed = _parse_text(block if block is not None else text, source)
    if not isinstance(parsed, dict):
        raise CodegenError(
            "document is not a JSON or YAML object",
            where=source,
            hint="pass an OpenAPI 3.0/3.1 document in JSON or YAML",
        )
    return parsed


def _parse_text(text: str, source: str) -> Any:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CodegenError(
                f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                where=source,
                hint="fix the JSON at that line and column",
            ) from None
    import yaml

    try:
        return _yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise CodegenError(
            f"neither JSON nor valid YAML: {problem}{at}",
            where=source,
            hint="fix the YAML at that line and column, or pass a JSON or YAML document",
        ) from None


def _embedded_block(text: str) -> str | None:
    for match in _FENCED_BLOCK.finditer(text):
        if re.search(r"^\s*[\"']?openapi[\"']?\s*:", match.group(2), re.M):
            return match.group(2)
    return None


def openapi_version(doc: dict[str, Any], source: str) -> str:
    """The document's `openapi` field, which must be 3.0.x or 3.1.x."""
    version = doc.get("openapi")
    if not isinstance(version, str) or not re.match(r"^3\.[01]\.\d+", version):
        found = "missing" if version is None else repr(version)
        hint = "Swagger 2.0 documents need converting to OpenAPI 3 first" if "swagger" in doc else None
        raise CodegenError(
            f"not an OpenAPI 3.0/3.1 document (the openapi field is {found})",
            where=f"{source} {pointer('openapi')}",
            hint=hint or "pass an OpenAPI 3.0 or 3.1 document",
        )
    return version


def load_document(path: Path) -> tuple[bytes, dict[str, Any]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodegenError(
            f"cannot read the document: {exc.strerror}",
            where=str(path),
            hint="check the path of the OpenAPI file (JSON or YAML) and that it is a readable file",
        ) from None
    doc = parse_document(data, str(path))
    openapi_version(doc, str(path))
    return data, doc


def canonical_json(doc: Any) -> bytes:
    """The stable JSON form we write: 2-space indent, keys in document order, UTF-8, final newline."""
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def iter_operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    paths = doc.get("paths") or {}
    if not isinstance(paths, dict):
        return found
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((path, method, operation))
    return found
