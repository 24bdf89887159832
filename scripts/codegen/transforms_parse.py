"""Named spec fixes for valid documents the client parser refuses, each keeping what the document means.

openapi-python-client reads a document into its own pydantic model of OpenAPI, which is narrower than
OpenAPI 3.1 and JSON Schema 2020-12: it wants `paths`, schemas that are objects (not `true`/`false`),
a `const` that is a scalar, a string `info.version`, and `responses` on every operation. These
transforms write the same meaning in the form it reads; where a generator cannot express a value
(an object `const`) the value is kept as an example and the run says so on a `narrowed:` line.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from codegen.document import iter_operations, pointer
from codegen.spec_walk import components_of, dicts, iter_bodies, iter_schemas, parameters_of, resolve_ref

if TYPE_CHECKING:
    from codegen.transforms import Narrowed

# Keywords whose value is one schema, or a list or a map of schemas (JSON Schema 2020-12 applicators).
# `additionalProperties: false` is read by every generator as it is, and stays.
_SCHEMA_VALUES = ("items", "not", "contains", "if", "then", "else", "propertyNames", "unevaluatedItems")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def add_empty_paths(doc: dict[str, Any]) -> int:
    """A 3.1 document of components or webhooks alone (valid, 3.1 §4.8.1) gets an empty `paths`; its models are kept."""
    if "paths" in doc or not str(doc.get("openapi")).startswith("3.1"):
        return 0
    doc["paths"] = {}
    return 1


def _as_object(value: bool) -> dict[str, Any]:
    """JSON Schema 2020-12 §4.3.2: `true` accepts every value (`{}`), `false` none (`{"not": {}}`)."""
    return {} if value else {"not": {}}


def boolean_schemas_as_objects(doc: dict[str, Any]) -> int:
    """A boolean schema (`true`/`false`, JSON Schema 2020-12 §4.3.2) is written as the object `{}` or `{"not": {}}`."""
    changed = 0
    slots: list[tuple[Any, Any]] = []
    named = components_of(doc).get("schemas")
    slots += [(named, key) for key in named] if isinstance(named, dict) else []
    for _side, content in iter_bodies(doc):
        slots += [(media, "schema") for media in dicts(content)]
    for parameter in parameters_of(doc):
        slots.append((parameter, "schema"))
        slots += [(media, "schema") for media in dicts(parameter.get("content"))]
    for schema in iter_schemas(doc):
        slots += [(schema, key) for key in _SCHEMA_VALUES]
        for key in _SCHEMA_LISTS:
            members = schema.get(key)
            slots += [(members, index) for index in range(len(members))] if isinstance(members, list) else []
        for key in _SCHEMA_MAPS:
            values = schema.get(key)
            slots += [(values, name) for name in values] if isinstance(values, dict) else []
    for holder, key in slots:
        value = holder[key] if isinstance(holder, list) else holder.get(key)
        if isinstance(value, bool):
            holder[key] = _as_object(value)
            changed += 1
    return changed


def stringify_info_version(doc: dict[str, Any]) -> int:
    """An `info.version` that YAML read as a number (`version: 1.0`) is the string it was written as (`"1.0"`)."""
    info = doc.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    if not isinstance(info, dict) or version is None or isinstance(version, str):
        return 0
    info["version"] = json.dumps(version)
    return 1


def default_responses(doc: dict[str, Any]) -> int:
    """A 3.1 operation without `responses` (optional there, 3.1 §4.8.10.1) gets an empty map: it documents none."""
    if not str(doc.get("openapi")).startswith("3.1"):
        return 0
    changed = 0
    for _path, _method, operation in iter_operations(doc):
        if "responses" not in operation:
            operation["responses"] = {}
            changed += 1
    return changed


def node_pointers(doc: dict[str, Any]) -> dict[int, str]:
    """The JSON pointer of every object and array of the document, by identity (the first place it sits)."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        node, at = stack.pop()
        if id(node) in found:
            continue
        found[id(node)] = pointer(*at) if at else "#"
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack += [(value, (*at, key)) for key, value in items if isinstance(value, (dict, list))]
    return found


def structured_const_as_example(doc: dict[str, Any]) -> list[Narrowed]:
    """A `const` holding an object or array (no generator can type it) becomes that type, the value kept as example."""
    from codegen.transforms import Narrowed

    narrowed: list[Narrowed] = []
    where = node_pointers(doc)
    for schema in iter_schemas(doc):
        value = schema.get("const")
        if not isinstance(value, (dict, list)):
            continue
        del schema["const"]
        schema.setdefault("type", "object" if isinstance(value, dict) else "array")
        if str(doc.get("openapi")).startswith("3.1"):
            schema.setdefault("examples", [value])
        else:
            schema.setdefault("example", value)
        reason = "`const` (an object or array value) is not checked by the client or the mock; it is the example"
        narrowed.append(Narrowed(where[id(schema)], reason))
    return narrowed


# Keywords that describe a schema without constraining it (kept on the schema when its allOf is distributed).
_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs", "xml"}
)


def _referenced_union(doc: dict[str, Any], member: Any) -> dict[str, Any] | None:
    """The schema an allOf member `$ref`s if it is a union (`anyOf`/`oneOf`), which the parser cannot merge."""
    if not (isinstance(member, dict) and isinstance(member.get("$ref"), str)):
        return None
    target = resolve_ref(doc, member["$ref"])
    if isinstance(target, dict) and (isinstance(target.get("anyOf"), list) or isinstance(target.get("oneOf"), list)):
        return target
    return None


def distribute_allof_over_union(doc: dict[str, Any]) -> int:
    """`allOf: [$ref to a oneOf, X]` becomes `oneOf: [allOf: [branch, X], …]`: same values, and no union to merge."""
    changed = 0
    for schema in iter_schemas(doc):
        members = schema.get("allOf")
        if not isinstance(members, list):
            continue
        unions = [(m, u) for m in members if (u := _referenced_union(doc, m)) is not None]
        if len(unions) != 1 or "anyOf" in schema or "oneOf" in schema:
            continue
        member, union = unions[0]
        keyword = "oneOf" if isinstance(union.get("oneOf"), list) else "anyOf"
        if keyword == "oneOf" and isinstance(union.get("anyOf"), list):
            continue  # both: the values of neither distribute alone
        own = {k: v for k, v in union.items() if k not in {keyword, "discriminator"} and k not in _ANNOTATIONS}
        rest = {k: v for k, v in schema.items() if k != "allOf" and k not in _ANNOTATIONS and not k.startswith("x-")}
        others = [m for m in members if m is not member] + ([own] if own else []) + ([rest] if rest else [])
        for key in rest:
            del schema[key]
        del schema["allOf"]
        schema[keyword] = [{"allOf": [branch, *copy.deepcopy(others)]} for branch in union[keyword]]
        changed += 1
    return changed


def _nullable_object(schema: dict[str, Any]) -> bool:
    """An object schema that also admits null: 3.0 `nullable: true`, or a 3.1 type list with "null"."""
    kind = schema.get("type")
    if schema.get("nullable") is True:
        return kind == "object" or (kind is None and isinstance(schema.get("properties"), dict))
    return isinstance(kind, list) and sorted(kind) == ["null", "object"]


def _refers_to(schema: dict[str, Any], ref: str) -> bool:
    """True if `ref` is written somewhere inside `schema` (references are not followed)."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("$ref") == ref:
                return True
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return False


def _wrapped_nullable(ref: str, version31: bool) -> dict[str, Any]:
    """`ref` or null, as the document's version writes it."""
    return {"anyOf": [{"$ref": ref}, {"type": "null"}]} if version31 else {"nullable": True, "allOf": [{"$ref": ref}]}


def nullable_at_use_sites(doc: dict[str, Any]) -> int:
    """A nullable object component that refers to itself or is extended by allOf is non-null, null where it is used."""
    from codegen.transforms_refs import ref_holders

    schemas = components_of(doc).get("schemas")
    if not isinstance(schemas, dict):
        return 0
    # A member of an allOf with others: null is not the point there (the parser cannot extend a union).
    members = [m for s in iter_schemas(doc) if len(s.get("allOf") or []) > 1 for m in s["allOf"] if isinstance(m, dict)]
    extending = {id(m) for m in members}
    extended = {m.get("$ref") for m in members}
    version31 = str(doc.get("openapi")).startswith("3.1")
    changed = 0
    for key, schema in schemas.items():
        ref = pointer("components", "schemas", str(key))
        if not (isinstance(schema, dict) and _nullable_object(schema)):
            continue
        if ref not in extended and not _refers_to(schema, ref):
            continue
        for node, kind in ref_holders(doc):
            if kind == "schemas" and node.get("$ref") == ref and id(node) not in extending:
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                node.clear()
                node.update(siblings, **_wrapped_nullable(ref, version31))
                changed += 1
        if version31:
            schema["type"] = "object"
        else:
            del schema["nullable"]
        changed += 1
    return changed
