"""Cycles of schemas that are defined through each other: `A: allOf [B, …]` and `B: allOf [A, …]`.

Such a chain has no class hierarchy to generate (each would extend the other): openapi-python-client stops
with an exception and datamodel-code-generator writes a class whose base is not yet defined. The transform
that reshapes them (transforms.break_allof_cycles) finds them here.
"""

from __future__ import annotations

from typing import Any

from codegen.schema_facts import resolve_pointer
from codegen.spec_walk import components_of


def component_name(doc: dict[str, Any], ref: Any, names: dict[int, str]) -> str | None:
    """The key of the component schema a `$ref` resolves to (`names` maps each schema's id() to its key)."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    try:
        target = resolve_pointer(doc, ref)
    except KeyError:
        return None
    return names.get(id(target))


def schema_names(doc: dict[str, Any]) -> dict[int, str]:
    """id() of each component schema → its key."""
    schemas = components_of(doc).get("schemas")
    return {id(s): str(k) for k, s in schemas.items() if isinstance(s, dict)} if isinstance(schemas, dict) else {}


def defined_through(schema: dict[str, Any], doc: dict[str, Any], names: dict[int, str]) -> list[str]:
    """The component schemas `schema` is defined through: the `$ref` of each allOf member, or its own `$ref`."""
    members = schema.get("allOf")
    refs = [m.get("$ref") for m in members if isinstance(m, dict)] if isinstance(members, list) else []
    refs.append(schema.get("$ref"))
    return [name for ref in refs if (name := component_name(doc, ref, names)) is not None]


def allof_cycles(doc: dict[str, Any]) -> list[list[str]]:
    """Each group of component schemas that are defined through one another (a strongly connected group of the
    allOf / `$ref` graph, a schema through itself included), as keys in document order; groups in that order."""
    names = schema_names(doc)
    schemas = components_of(doc).get("schemas") or {}
    order = [str(k) for k, s in schemas.items() if isinstance(s, dict)] if isinstance(schemas, dict) else []
    edges = {name: defined_through(schemas[name], doc, names) for name in order}
    reach: dict[str, set[str]] = {}
    for start in order:
        if not edges[start]:
            continue
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(edges[name])
        reach[start] = seen
    cycles: list[list[str]] = []
    placed: set[str] = set()
    for name in order:
        if name in placed or name not in reach.get(name, ()):
            continue
        group = [other for other in order if other in reach[name] and name in reach.get(other, ())]
        placed.update(group)
        cycles.append(group)
    return cycles
