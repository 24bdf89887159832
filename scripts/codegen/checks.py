"""Structural checks every generator run needs: references that resolve within the document, unique
operationIds and Python names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from codegen.document import RENAME_EXTENSION, effective_operation_id, iter_operations, pointer
from codegen.errors import CodegenError
from codegen.naming import words
from codegen.schema_facts import resolve_pointer
from codegen.spec_walk import components_of, iter_schemas

# Keywords whose string value names another place: the Reference Object's `$ref` (OpenAPI 3.0 §4.7.23, 3.1
# §4.8.23, and JSON Schema's), 2019-09's `$recursiveRef`, 2020-12's `$dynamicRef` and the Link Object's
# `operationRef` (3.1 §4.8.20). Each must be a JSON pointer into this document: nothing else is read.
POINTER_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef", "operationRef")
# Keywords that set the base a schema's references resolve against: 2019-09+ `$id`, draft-04 `id`.
BASE_KEYWORDS = ("$id", "id")
# Keywords naming a JSON Schema dialect (3.1 §4.8.1 `jsonSchemaDialect`, a schema's `$schema`): kept as text
# when the validator knows the dialect, never fetched.
DIALECT_KEYWORDS = ("$schema", "jsonSchemaDialect")
BUNDLE_HINT = "bundle external references into one document first: every reference a `#/…` JSON pointer into it"


@dataclass(frozen=True, order=True)
class BadReference:
    """A reference that does not resolve inside the document, or a keyword that would make one resolve outside."""

    where: str  # JSON pointer of the keyword
    what: str
    hint: str


def _resolves(doc: dict[str, Any], ref: str) -> bool:
    try:
        resolve_pointer(doc, ref)
    except KeyError:
        return False
    return True


def _pointer_problem(doc: dict[str, Any], keyword: str, ref: str) -> tuple[str, str] | None:
    """(what, hint) if `ref` is not a JSON pointer that resolves within the document."""
    if not ref.startswith("#"):
        return f"{keyword} {ref!r} does not resolve within the document (codegen reads no file or URL)", BUNDLE_HINT
    if not (ref == "#" or ref.startswith("#/")) or not _resolves(doc, ref):
        return f"{keyword} {ref!r} does not resolve", "fix the reference or add the missing component (an overlay can)"
    return None


@functools.cache
def known_dialect(uri: str) -> bool:
    """True if the validator knows the dialect `uri` names (JSON Schema drafts 3 to 2020-12, the OAS 3.1 base
    dialect) without fetching anything: jsonschema's own table, with the OAS dialects registered in it."""
    import openapi_schema_validator  # noqa: F401  # registers the OAS dialects with jsonschema
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]

    return validator_for({"$schema": uri}, default=None) is not None


def _node_problems(
    doc: dict[str, Any], node: dict[str, Any], at: tuple[str | int, ...], schema: bool
) -> Iterator[BadReference]:
    for keyword in POINTER_KEYWORDS:
        value = node.get(keyword)
        if isinstance(value, str) and (problem := _pointer_problem(doc, keyword, value)):
            yield BadReference(pointer(*at, keyword), *problem)
    external = node.get("externalValue")
    if isinstance(external, str):
        yield BadReference(
            pointer(*at, "externalValue"),
            f"externalValue {external!r} names an example outside the document (codegen reads no file or URL)",
            "put the example in the document as `value`, or remove it (an overlay can do either)",
        )
    for keyword in BASE_KEYWORDS if schema else BASE_KEYWORDS[:1]:  # a plain `id` is only a keyword in a schema
        base = node.get(keyword)
        if isinstance(base, str):
            yield BadReference(
                pointer(*at, keyword),
                f"{keyword} {base!r} would make the references under it resolve against another base than the document",
                f"remove the `{keyword}` (an overlay can do it): codegen resolves every reference within the document",
            )
    for keyword in DIALECT_KEYWORDS:
        if keyword in node and not (isinstance(node[keyword], str) and known_dialect(node[keyword])):
            yield BadReference(
                pointer(*at, keyword),
                f"{keyword} {node[keyword]!r} is not a JSON Schema dialect the validator knows (codegen fetches none)",
                "name a standard dialect, such as https://spec.openapis.org/oas/3.1/dialect/base, or remove it",
            )


def _mapping_problems(doc: dict[str, Any], node: dict[str, Any], at: tuple[str | int, ...]) -> Iterator[BadReference]:
    """A discriminator's `mapping` values are component schema names or references (OpenAPI 3.1 §4.8.25)."""
    discriminator = node.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    schemas = components_of(doc).get("schemas")
    for key, value in mapping.items() if isinstance(mapping, dict) else ():
        named = isinstance(schemas, dict) and value in schemas
        if isinstance(value, str) and not named and (problem := _pointer_problem(doc, "discriminator mapping", value)):
            yield BadReference(pointer(*at, "discriminator", "mapping", str(key)), *problem)


def find_bad_references(doc: dict[str, Any]) -> list[BadReference]:
    """Every reference of the document that does not resolve within it, and every keyword that would make the
    generators or the validator read something outside it, sorted by JSON pointer. One walk over every object:
    `$ref`, `$dynamicRef`, `$recursiveRef`, `operationRef` and discriminator mappings must be JSON pointers that
    resolve here; `externalValue`, `$id` (and a schema's draft-04 `id`) are refused; `$schema` and
    `jsonSchemaDialect` must name a dialect the validator knows."""
    schemas = {id(schema) for schema in iter_schemas(doc)}
    found: list[BadReference] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            found += _node_problems(doc, node, at, id(node) in schemas)
            found += _mapping_problems(doc, node, at)
            stack.extend((value, (*at, key)) for key, value in node.items() if isinstance(value, (dict, list)))
        elif isinstance(node, list):
            stack.extend((value, (*at, index)) for index, value in enumerate(node) if isinstance(value, (dict, list)))
    return sorted(found)


def check_refs(doc: dict[str, Any], source: str) -> None:
    """Raise CodegenError for the first of find_bad_references (by JSON pointer), saying how many more there are."""
    bad = find_bad_references(doc)
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise CodegenError(f"{bad[0].what}{more}", where=f"{source} {bad[0].where}", hint=bad[0].hint)


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


def operation_resources(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(path, method) → the SDK resource the operation goes to, by the spec model's one placement rule
    (operation_names.place_operations: the first tag, else `x-codegen-resource`, else the path segment)."""
    from codegen.operation_names import place_operations
    from codegen.spec_model import operation_source

    found = iter_operations(doc)
    placements = place_operations([operation_source(path, method, raw) for path, method, raw in found])
    return {(path, method): placement.resource for (path, method, _), placement in zip(found, placements, strict=True)}


def client_operation_name(operation: dict[str, Any], resource: str) -> tuple[str, str]:
    """(resource, name) by the generator's sanitising of the effective operationId: two that it cannot tell
    apart within one resource are one Python method name."""
    from openapi_python_client.strings import PythonIdentifier

    return resource, str(PythonIdentifier(str(effective_operation_id(operation)), prefix="field_"))


def check_python_names(doc: dict[str, Any], source: str) -> None:
    """Two `x-codegen-name`s (names someone chose) that become one method name of one resource are refused;
    operationIds that clash are renamed by `resolve_name_clashes` instead. Every clash is named at once."""
    seen: dict[tuple[str, str], str] = {}
    clashes: list[str] = []
    resources = operation_resources(doc)
    for path, method, operation in iter_operations(doc):
        if not _chosen(operation):
            continue
        key = client_operation_name(operation, resources[(path, method)])
        here = pointer("paths", path, method)
        if key in seen:
            clashes.append(f"{key[1]!r} in resource {key[0]!r}: {seen[key]} and {here}")
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
    """Operations of one resource whose operationIds become one Python name all get an `x-codegen-name`
    prefixed with the path words that tell them apart (`list_rules` of /fax/receipts and /sms/inbound
    → `fax_receipts_list_rules`, `sms_inbound_list_rules`), else the method, else a number, in path
    order: the result does not depend on document order. An `x-codegen-name` already set (an overlay's)
    is kept. Returns one `METHOD /path: old → new (...)` line per renamed operation."""
    groups: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    resources = operation_resources(doc)
    for path, method, operation in iter_operations(doc):
        if effective_operation_id(operation) is not None:
            key = client_operation_name(operation, resources[(path, method)])
            groups.setdefault(key, []).append((path, method, operation))
    clashing = {key: sorted(ops, key=lambda op: (op[0], op[1])) for key, ops in groups.items() if len(ops) > 1}
    # A new name may equal no other operation's Python name nor operationId, in any resource; an operation
    # named with x-codegen-name keeps its name.
    taken = {name for (_resource, name), ops in groups.items() if len(ops) == 1 or any(_chosen(op) for *_, op in ops)}
    taken |= {str(effective_operation_id(op)) for *_, op in iter_operations(doc) if effective_operation_id(op)}
    lines: list[str] = []
    for (resource, name), ops in sorted(clashing.items()):
        renamed = [(path, method, op) for path, method, op in ops if not _chosen(op)]
        common = set.intersection(*(set(_path_words(path)) for path, _, _ in ops))
        wanted = {(path, method): [w for w in _path_words(path) if w not in common] for path, method, _ in ops}
        candidates = ["_".join([*wanted[(path, method)], name]) for path, method, _ in renamed]
        for index, (path, method, operation) in enumerate(renamed):
            new = _free_name(candidates[index], method, candidates, taken)
            operation[RENAME_EXTENSION] = new
            why = f"{len(ops)} operations of resource {resource} had that name"
            lines.append(f"{method.upper()} {path}: {name} → {new} ({why})")
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
