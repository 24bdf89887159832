"""Structural checks every generator run needs: resolvable $refs, unique operationIds and Python names."""

from __future__ import annotations

import re
from typing import Any

from codegen.document import RENAME_EXTENSION, effective_operation_id, iter_operations, pointer
from codegen.errors import CodegenError
from codegen.naming import words
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
    """Two `x-codegen-name`s (names someone chose) that become one method name of one resource are refused;
    operationIds that clash are renamed by `resolve_name_clashes` instead. Every clash is named at once."""
    seen: dict[tuple[str, str], str] = {}
    clashes: list[str] = []
    for path, method, operation in iter_operations(doc):
        if not _chosen(operation):
            continue
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
        f"two operations' x-codegen-name both become the Python name {clashes[0].split(':')[0]}{more}",
        where=f"{source}: " + "; ".join(clashes),
        hint="give one of each pair another `x-codegen-name` (in the overlay that sets it)",
    )


def _path_words(path: str) -> list[str]:
    """The words of a path's literal segments, templates left out (`/sms/{id}/inbound` → sms, inbound)."""
    return words(re.sub(r"\{[^}]*\}", " ", path))


def resolve_name_clashes(doc: dict[str, Any]) -> list[str]:
    """Operations of one tag whose operationIds become one Python name all get an `x-codegen-name`
    prefixed with the path words that tell them apart (`list_rules` of /fax/receipts and /sms/inbound
    → `fax_receipts_list_rules`, `sms_inbound_list_rules`), else the method, else a number, in path
    order: the result does not depend on document order. An `x-codegen-name` already set (an overlay's)
    is kept. Returns one `METHOD /path: old → new (...)` line per renamed operation."""
    groups: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    for path, method, operation in iter_operations(doc):
        if effective_operation_id(operation) is not None:
            groups.setdefault(client_operation_name(path, method, operation), []).append((path, method, operation))
    clashing = {key: sorted(ops, key=lambda op: (op[0], op[1])) for key, ops in groups.items() if len(ops) > 1}
    # A new name may equal no other operation's Python name nor operationId, in any tag; an operation
    # named with x-codegen-name keeps its name.
    taken = {name for (_tag, name), ops in groups.items() if len(ops) == 1 or any(_chosen(op) for *_, op in ops)}
    taken |= {str(effective_operation_id(op)) for *_, op in iter_operations(doc) if effective_operation_id(op)}
    lines: list[str] = []
    for (tag, name), ops in sorted(clashing.items()):
        renamed = [(path, method, op) for path, method, op in ops if not _chosen(op)]
        common = set.intersection(*(set(_path_words(path)) for path, _, _ in ops))
        wanted = {(path, method): [w for w in _path_words(path) if w not in common] for path, method, _ in ops}
        candidates = ["_".join([*wanted[(path, method)], name]) for path, method, _ in renamed]
        for index, (path, method, operation) in enumerate(renamed):
            new = _free_name(candidates[index], method, candidates, taken)
            operation[RENAME_EXTENSION] = new
            lines.append(f"{method.upper()} {path}: {name} → {new} ({len(ops)} operations of tag {tag} had that name)")
    return lines


def _chosen(operation: dict[str, Any]) -> bool:
    """True if the operation's name was chosen with `x-codegen-name` rather than taken from its operationId."""
    return isinstance(operation.get(RENAME_EXTENSION), str) and bool(operation[RENAME_EXTENSION])


def _free_name(candidate: str, method: str, candidates: list[str], taken: set[str]) -> str:
    """`candidate` as a Python name, else prefixed with the method, else numbered; recorded in `taken`."""
    from openapi_python_client.strings import PythonIdentifier

    name = str(PythonIdentifier(candidate, prefix="op_"))
    if name in taken or candidates.count(candidate) > 1:
        name = str(PythonIdentifier(f"{method}_{candidate}", prefix="op_"))
    numbered, number = name, 2
    while numbered in taken:
        numbered, number = f"{name}_{number}", number + 1
    taken.add(numbered)
    return numbered


def check_structure(doc: dict[str, Any], source: str) -> None:
    """The objects an SDK is generated from: `info`, and `paths` (3.1 allows a document without paths,
    but then there is no operation to generate)."""
    version = str(doc.get("openapi"))
    if not isinstance(doc.get("info"), dict):
        raise CodegenError(
            "the document has no info object (OpenAPI 3.0 §4.7.1 and 3.1 §4.8.1 require one)",
            where=f"{source} {pointer('info')}",
            hint="add `info: {title: ..., version: ...}` to the document or in an overlay",
        )
    if not isinstance(doc.get("paths"), dict):
        # 3.1 allows a document of components or webhooks alone, but an SDK is made of operations.
        required = "OpenAPI 3.0 §4.7.1 requires it" if version.startswith("3.0") else "an SDK needs operations"
        raise CodegenError(
            f"the document has no paths object ({required})",
            where=f"{source} {pointer('paths')}",
            hint="pass the document that holds the API's paths, not one of components only",
        )


def check_document(doc: dict[str, Any], source: str) -> None:
    check_structure(doc, source)
    check_refs(doc, source)
    check_operation_ids(doc, source)
    check_python_names(doc, source)
