"""Reading an OpenAPI document: bytes → mapping, with errors that name the file and the place."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from codegen.errors import CodegenError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Real documents nest a few dozen levels and hold well under a million values; the generators recurse per
# level, and YAML aliases can make a small file expand without bound (or refer to itself).
MAX_NESTING = 160
MAX_EXPANDED_VALUES = 2_000_000
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# A documentation page (Markdown) that embeds the document in a fenced block, as Zenskar's pages do.
_FENCED_BLOCK = re.compile(r"^(`{3,})(?:yaml|yml|json)[^\n]*\n(.*?)\n\1\s*$", re.S | re.M)


def _yaml_load(text: str) -> Any:
    """YAML 1.2, which OpenAPI requires (3.0 §4.3, 3.1 §4.4), loaded safely: `NO`, `on` and `yes` are text, not
    YAML 1.1 booleans; a date stays text, as in the JSON form; a key written twice keeps its last value, as in JSON."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)  # 1.2 unless the document says `%YAML 1.1`; no tag builds a Python object
    yaml.Constructor = _json_like_constructor()
    return yaml.load(text)


@functools.cache
def _json_like_constructor() -> type:
    from ruamel.yaml.constructor import SafeConstructor

    class JsonLikeConstructor(SafeConstructor):
        def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
            return True  # a repeated key replaces the earlier value

    JsonLikeConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    for tag in ("set", "binary"):  # no JSON value stands for these: refused, naming the tag and its line
        JsonLikeConstructor.add_constructor(f"tag:yaml.org,2002:{tag}", SafeConstructor.construct_undefined)
    return JsonLikeConstructor


def pointer_part(part: str | int) -> str:
    """One reference token escaped as RFC 6901 §3 says (`~` → `~0`, `/` → `~1`)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    """RFC 6901 JSON pointer from path parts."""
    return "#/" + "/".join(pointer_part(p) for p in parts)


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
    check_shape(parsed, source)
    return parsed


def _children(node: dict[str, Any] | list[Any]) -> list[tuple[str | int, Any]]:
    return list(node.items()) if isinstance(node, dict) else list(enumerate(node))


def check_shape(doc: dict[str, Any], source: str) -> None:
    """Reject a document that refers to itself, nests too deeply, or expands too far through YAML aliases."""
    measured: dict[int, tuple[int, int]] = {}  # id of a container → (levels it spans, values once expanded)
    open_ids = {id(doc)}  # the containers on the current path
    frames: list[tuple[dict[str, Any] | list[Any], Iterator[tuple[str | int, Any]]]] = [(doc, iter(_children(doc)))]
    keys: list[str | int] = []
    while frames:
        node, pending = frames[-1]
        for key, child in pending:
            if not isinstance(child, (dict, list)):
                continue
            if id(child) in open_ids:
                raise CodegenError(
                    "the document contains itself (a YAML alias refers to one of its own parents)",
                    where=f"{source} {pointer(*keys, key)}",
                    hint="replace the recursive alias by a $ref",
                )
            depth = len(frames) + 1 + (measured[id(child)][0] if id(child) in measured else 0)
            if depth > MAX_NESTING:
                raise _too_deep(f"{source} {pointer(*keys, key)}")
            if id(child) not in measured:
                frames.append((child, iter(_children(child))))
                keys.append(key)
                open_ids.add(id(child))
                break
        else:
            containers = [c for _, c in _children(node) if isinstance(c, (dict, list))]
            levels = 1 + max((measured[id(c)][0] for c in containers), default=0)
            values = 1 + len(node) - len(containers) + sum(measured[id(c)][1] for c in containers)
            if values > MAX_EXPANDED_VALUES:
                raise CodegenError(
                    f"the document holds more than {MAX_EXPANDED_VALUES:,} values once YAML aliases are expanded",
                    where=f"{source} {pointer(*keys)}",
                    hint="use $ref instead of YAML anchors and aliases for repeated parts",
                )
            measured[id(node)] = (levels, values)
            open_ids.discard(id(node))
            frames.pop()
            if keys:
                keys.pop()


def _parse_text(text: str, source: str) -> Any:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except RecursionError:
            raise _too_deep(source) from None
        except json.JSONDecodeError as exc:
            raise CodegenError(
                f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                where=source,
                hint="fix the JSON at that line and column",
            ) from None
    from ruamel.yaml.error import YAMLError

    try:
        return _yaml_load(text)
    except RecursionError:
        raise _too_deep(source) from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise CodegenError(
            f"neither JSON nor valid YAML: {problem}{at}",
            where=source,
            hint="fix the YAML at that line and column, or pass a JSON or YAML document",
        ) from None


def _too_deep(where: str) -> CodegenError:
    return CodegenError(
        f"the document nests more than {MAX_NESTING} levels deep",
        where=where,
        hint="flatten it: move nested schemas into components and use $ref",
    )


def _embedded_block(text: str) -> str | None:
    for match in _FENCED_BLOCK.finditer(text):
        if re.search(r"^\s*[\"']?openapi[\"']?\s*:", match.group(2), re.M):
            return match.group(2)
    return None


RENAME_EXTENSION = "x-codegen-name"  # set by an overlay: the operation's name in the SDK, as an operationId


def effective_operation_id(operation: dict[str, Any]) -> str | None:
    """The operationId the SDK is named from: an `x-codegen-name` when one is set, else the spec's own."""
    for key in (RENAME_EXTENSION, "operationId"):
        value = operation.get(key)
        if isinstance(value, str) and value:
            return value
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


def path_shape(path: str) -> str:
    """A path with its template names blanked (`/a/{id}` → `/a/{}`): openapi-python-client renames
    `{keyName}` to `{key_name}`, so its endpoints are matched to the document's operations by shape."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


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
