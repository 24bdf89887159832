"""Structural checks every generator run needs: resolvable $refs and unique operationIds."""

from __future__ import annotations

from typing import Any

from codegen.document import effective_operation_id, iter_operations, pointer
from codegen.errors import CodegenError
from codegen.schema_facts import resolve_pointer


def find_broken_refs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, ref) for each $ref that is not a resolvable local reference."""
    broken: list[tuple[str, str]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    if not ref.startswith("#"):
                        raise KeyError(ref)
                    resolve_pointer(doc, ref)
                except KeyError:
                    broken.append((pointer(*at, "$ref"), ref))
            stack.extend((value, (*at, key)) for key, value in node.items() if key != "$ref")
        elif isinstance(node, list):
            stack.extend((value, (*at, index)) for index, value in enumerate(node))
    return sorted(broken)


def check_refs(doc: dict[str, Any], source: str) -> None:
    broken = find_broken_refs(doc)
    if broken:
        where, ref = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        external = not ref.startswith("#")
        raise CodegenError(
            f"$ref {ref!r} does not resolve{more}",
            where=f"{source} {where}",
            hint="bundle external references into one document first"
            if external
            else "fix the reference or add the missing component (an overlay can do it)",
        )


def check_operation_ids(doc: dict[str, Any], source: str) -> None:
    """operationIds (or the `x-codegen-name` that replaces one) are unique (OpenAPI 3.1 §4.8.10.1)."""
    seen: dict[str, str] = {}
    for path, method, operation in iter_operations(doc):
        op_id = effective_operation_id(operation)
        if op_id is None:
            continue
        here = pointer("paths", path, method, "operationId")
        if op_id in seen:
            raise CodegenError(
                f"operationId {op_id!r} is used twice",
                where=f"{source} {seen[op_id]} and {here}",
                hint="operationIds must be unique; rename one (an overlay can do it)",
            )
        seen[op_id] = here


def client_operation_name(path: str, method: str, operation: dict[str, Any]) -> tuple[str, str]:
    """(tag, name) by the generator's sanitising: two operationIds it cannot tell apart are refused."""
    from openapi_python_client.strings import PythonIdentifier

    tags = operation.get("tags")
    tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else "default"
    return str(PythonIdentifier(tag, prefix="tag")), str(
        PythonIdentifier(str(effective_operation_id(operation)), prefix="field_")
    )


def check_python_names(doc: dict[str, Any], source: str) -> None:
    """Two operationIds that become one method name of one resource are refused rather than renamed `_2`:
    which one keeps the plain name would depend on document order. Every clash is named at once."""
    seen: dict[tuple[str, str], str] = {}
    clashes: list[str] = []
    for path, method, operation in iter_operations(doc):
        if effective_operation_id(operation) is None:
            continue  # a name made from method and path is suffixed when taken
        key = client_operation_name(path, method, operation)
        here = pointer("paths", path, method)
        if key in seen:
            clashes.append(f"{key[1]!r} under tag {key[0]!r}: {seen[key]} and {here}")
        else:
            seen[key] = here
    if not clashes:
        return
    more = f" (and {len(clashes) - 1} more clash{'es' if len(clashes) > 2 else ''})" if len(clashes) > 1 else ""
    raise CodegenError(
        f"two operations both become the Python name {clashes[0].split(':')[0]}{more}",
        where=f"{source}: " + "; ".join(clashes),
        hint="give one of each pair another name: an overlay can set `x-codegen-name` (or the operationId)",
    )


def check_structure(doc: dict[str, Any], source: str) -> None:
    """The objects an SDK is generated from: `info`, and in 3.0 `paths` (3.1 allows a document of
    components or webhooks alone: it generates models and no operation)."""
    version = str(doc.get("openapi"))
    if not isinstance(doc.get("info"), dict):
        raise CodegenError(
            "the document has no info object (OpenAPI 3.0 §4.7.1 and 3.1 §4.8.1 require one)",
            where=f"{source} {pointer('info')}",
            hint="add `info: {title: ..., version: ...}` to the document or in an overlay",
        )
    if not isinstance(doc.get("paths"), dict) and not (version.startswith("3.1") and "paths" not in doc):
        required = "OpenAPI 3.0 §4.7.1 requires it" if version.startswith("3.0") else "3.1 §4.8.1: a map of paths"
        raise CodegenError(
            f"the document has no paths object ({required})",
            where=f"{source} {pointer('paths')}",
            hint="pass the document that holds the API's paths, not one of components only",
        )


def check_ref_cycles(doc: dict[str, Any], source: str) -> None:
    """A reference that leads only to references, back to itself, stands for nothing (OpenAPI 3.1 §4.8.23)."""
    from codegen.transforms_parse import node_pointers
    from codegen.transforms_refs import KINDS, reference_cycles

    cycles = reference_cycles(doc)
    if cycles:
        where = node_pointers(doc)
        node, kind = min(cycles, key=lambda cycle: where[id(cycle[0])])
        raise CodegenError(
            f"$ref {node['$ref']!r} leads back to itself through references alone (it never reaches a {KINDS[kind]})",
            where=f"{source} {where[id(node)]}/$ref",
            hint="point the reference at the object it stands for, written out once (an overlay can do it)",
        )


def check_document(doc: dict[str, Any], source: str) -> None:
    check_structure(doc, source)
    check_refs(doc, source)
    check_ref_cycles(doc, source)
    check_operation_ids(doc, source)
    check_python_names(doc, source)
