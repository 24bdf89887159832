"""Walking an OpenAPI document: every schema, every request and response body, every parameter.

The transforms, the models' preparation and the client's media-type overrides all visit the same
places; this module says once where schemas live (OpenAPI 3.1 §4.8 objects and JSON Schema 2020-12
subschema keywords) and where bodies and parameters live.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.document import HTTP_METHODS
from codegen.schema_facts import resolve_pointer

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = (
    "not",
    "items",
    "additionalProperties",
    "additionalItems",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
# `dependencies` (draft 7) maps a property to a schema or to a list of names; only the schemas are yielded.
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies")


def components_of(doc: dict[str, Any]) -> dict[str, Any]:
    components = doc.get("components")
    return components if isinstance(components, dict) else {}


def dicts(value: Any) -> Iterator[dict[str, Any]]:
    """The mapping values of a mapping, or nothing."""
    if isinstance(value, dict):
        yield from (item for item in value.values() if isinstance(item, dict))


def _subschemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in _SCHEMA_LISTS:
        members = schema.get(key)
        if isinstance(members, list):
            yield from (m for m in members if isinstance(m, dict))
    for key in _SCHEMA_VALUES:
        value = schema.get(key)
        if isinstance(value, dict):
            yield value
        elif key == "items" and isinstance(value, list):
            yield from (m for m in value if isinstance(m, dict))
    for key in _SCHEMA_MAPS:
        yield from dicts(schema.get(key))


def _content_schemas(content: Any) -> Iterator[dict[str, Any]]:
    for media in dicts(content):
        if isinstance(media.get("schema"), dict):
            yield media["schema"]
        for encoding in dicts(media.get("encoding")):  # a multipart part's headers (3.1 §4.8.15)
            for header in dicts(encoding.get("headers")):
                yield from _holder_schemas(header)


def _holder_schemas(holder: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Schemas of a parameter or header object (`schema`, or `content`)."""
    if isinstance(holder.get("schema"), dict):
        yield holder["schema"]
    yield from _content_schemas(holder.get("content"))


def _operation_schemas(operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for parameter in operation.get("parameters") or []:
        if isinstance(parameter, dict):
            yield from _holder_schemas(parameter)
    body = operation.get("requestBody")
    if isinstance(body, dict):
        yield from _content_schemas(body.get("content"))
    for response in dicts(operation.get("responses")):
        yield from _content_schemas(response.get("content"))
        for header in dicts(response.get("headers")):
            yield from _holder_schemas(header)
    for callback in dicts(operation.get("callbacks")):
        for item in dicts(callback):
            yield from _path_item_schemas(item)


def _path_item_schemas(item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for parameter in item.get("parameters") or []:
        if isinstance(parameter, dict):
            yield from _holder_schemas(parameter)
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            yield from _operation_schemas(item[method])


def _root_schemas(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The outermost schemas: components, then every path item, webhook and their operations."""
    components = components_of(doc)
    yield from dicts(components.get("schemas"))
    for holder in [*dicts(components.get("parameters")), *dicts(components.get("headers"))]:
        yield from _holder_schemas(holder)
    for body in dicts(components.get("requestBodies")):
        yield from _content_schemas(body.get("content"))
    for response in dicts(components.get("responses")):
        yield from _operation_schemas({"responses": {"r": response}})
    for item in [*dicts(doc.get("paths")), *dicts(doc.get("webhooks")), *dicts(components.get("pathItems"))]:
        yield from _path_item_schemas(item)
    for callback in dicts(components.get("callbacks")):
        for item in dicts(callback):
            yield from _path_item_schemas(item)


def iter_schemas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every schema object of the document once, outer before inner, in document order."""
    found: list[dict[str, Any]] = []
    seen: set[int] = set()
    stack = list(reversed(list(_root_schemas(doc))))
    while stack:
        schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        found.append(schema)
        stack.extend(reversed(list(_subschemas(schema))))
    return found


def resolve_ref(doc: dict[str, Any], ref: Any) -> Any:
    """The schema a local `$ref` points at (following chains of refs), or None."""
    seen: set[str] = set()
    node: Any = {"$ref": ref}
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        try:
            node = resolve_pointer(doc, node["$ref"]) if node["$ref"].startswith("#") else None
        except KeyError:
            return None
    return node


def dereference(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema itself, or for a bare `$ref` the schema it points at (generators copy it under the new name)."""
    if "$ref" not in schema:
        return schema
    target = resolve_ref(doc, schema["$ref"])
    return target if isinstance(target, dict) else schema


def _path_items(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every path item: paths, webhooks, components.pathItems, and the callbacks of their operations."""
    components = components_of(doc)
    stack = [*dicts(doc.get("paths")), *dicts(doc.get("webhooks")), *dicts(components.get("pathItems"))]
    stack += [item for callback in dicts(components.get("callbacks")) for item in dicts(callback)]
    while stack:
        item = stack.pop(0)
        yield item
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                stack += [i for callback in dicts(operation.get("callbacks")) for i in dicts(callback)]


def parameters_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every parameter object written out in place (a `$ref` is counted where it points)."""
    components = components_of(doc)
    found = list(dicts(components.get("parameters")))
    for item in _path_items(doc):
        found += [p for p in item.get("parameters") or [] if isinstance(p, dict)]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found += [p for p in operation.get("parameters") or [] if isinstance(p, dict)]
    return [p for p in found if "$ref" not in p]


def iter_bodies(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """("request" or "response", content map) of every request body and response written out in place."""
    components = components_of(doc)
    requests = list(dicts(components.get("requestBodies")))
    responses = list(dicts(components.get("responses")))
    for item in _path_items(doc):
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                requests += [operation["requestBody"]] if isinstance(operation.get("requestBody"), dict) else []
                responses += list(dicts(operation.get("responses")))
    found = [("request", b["content"]) for b in requests if isinstance(b.get("content"), dict)]
    return found + [("response", r["content"]) for r in responses if isinstance(r.get("content"), dict)]


def is_binary_string(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") == "binary"
