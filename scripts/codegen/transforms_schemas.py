"""Named spec fixes of schemas for the client generator: defaults that fit their type, distinct class names.

Like those of transforms.py, each fixes the input so that the generators express it and never drops an
operation. What a fix gives up (a default that fits no value of its schema) is returned as `Narrowed`
and reported on a `narrowed:` line.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from codegen.document import HTTP_METHODS, pointer
from codegen.media_types import media_kind
from codegen.spec_walk import components_of, dicts, is_binary_string, iter_schemas, resolve_ref
from codegen.transforms import (
    ANNOTATION_KEYWORDS,
    Narrowed,
    _claim_component_names,
    _claim_tree,
    _class_kind,
    _listed,
)


def _pointers(doc: dict[str, Any]) -> dict[int, str]:
    """id() of every mapping and list of the document → its JSON pointer (the first place it is reached)."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        node, parts = stack.pop()
        if id(node) in found:
            continue
        found[id(node)] = pointer(*parts)
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        stack.extend((child, (*parts, key)) for key, child in reversed(children) if isinstance(child, (dict, list)))
    return found


def _ident(parameter: dict[str, Any]) -> tuple[str, str]:
    """(name, location): what makes a parameter unique (OpenAPI 3.1 §4.8.12)."""
    return str(parameter.get("name")), str(parameter.get("in"))


def _operations(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            yield method, item[method]


# --- defaults -----------------------------------------------------------------------------------------------

_UNFIT = object()  # a default that is no value of its schema


def _same(value: Any, allowed: Any) -> bool:
    """JSON equality: `true` is not `1`, `1` is `1.0`."""
    if isinstance(value, bool) or isinstance(allowed, bool):
        return isinstance(value, bool) and isinstance(allowed, bool) and value == allowed
    return bool(value == allowed)


def _as_number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _string_format_fits(text: str, fmt: Any) -> bool:
    """The formats the client generator turns into Python values, read as it reads them."""
    readers: dict[str, Callable[[str], object]] = {
        "date": datetime.date.fromisoformat,
        "date-time": datetime.datetime.fromisoformat,
        "uuid": uuid.UUID,
    }
    reader = readers.get(fmt) if isinstance(fmt, str) else None
    if reader is None:
        return bool(fmt != "binary")  # a file has no default
    try:
        reader(text)
    except ValueError:
        return False
    return True


def _fit_type(kind: Any, fmt: Any, value: Any) -> Any:
    """`value` as an instance of JSON type `kind` (a string that spells a number or boolean read as one), or _UNFIT."""
    if not isinstance(kind, str):
        return value
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        spelled = value.strip().lower() if isinstance(value, str) else None
        return {"true": True, "false": False}.get(spelled, _UNFIT) if spelled is not None else _UNFIT
    if kind in {"integer", "number"}:
        number = _as_number(value) if isinstance(value, str) else value
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            return _UNFIT
        if kind == "integer":
            return int(number) if float(number).is_integer() else _UNFIT
        return number
    if kind == "string":
        if isinstance(value, (bool, int, float)):
            value = json.dumps(value)
        return value if isinstance(value, str) and _string_format_fits(value, fmt) else _UNFIT
    if kind == "object":
        return value if isinstance(value, dict) else _UNFIT
    if kind == "array":
        return value if isinstance(value, list) else _UNFIT
    if kind == "null":
        return _UNFIT  # only null, which is never a default worth checking
    return value


def _is_model(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or (schema.get("type") is None and isinstance(schema.get("properties"), dict))


def _fit(doc: dict[str, Any], schema: Any, value: Any, depth: int = 0) -> Any:
    """`value` as an instance of `schema` for the generators (types, formats, enum, const), or _UNFIT."""
    if isinstance(schema, dict) and "$ref" in schema:
        schema = resolve_ref(doc, schema["$ref"])
    if value is None or not isinstance(schema, dict) or depth > 32:
        return value
    allowed = schema.get("enum")
    if isinstance(allowed, list) and any(_same(value, a) for a in allowed):
        return value  # one of the values the document lists (even if they disagree with its `type`)
    for member in _listed(schema, "allOf"):
        if isinstance(member, dict) and _is_model(_deref(doc, member)):
            return _UNFIT  # merged into a class, which the client generator holds no default for
        value = _fit(doc, member, value, depth + 1)
        if value is _UNFIT:
            return _UNFIT
    members = _listed(schema, "anyOf", "oneOf")
    if members:
        # The client generator holds no default for a class: a union member that is a model fits nothing.
        resolved = [resolve_ref(doc, m["$ref"]) if isinstance(m, dict) and "$ref" in m else m for m in members]
        fits = [_fit(doc, m, value, depth + 1) for m in resolved if isinstance(m, dict) and not _is_model(m)]
        value = next((v for v in fits if v is not _UNFIT), _UNFIT)
        if value is _UNFIT:
            return _UNFIT
    kinds = schema.get("type")
    if kinds is not None:
        fits = [
            _fit_type(kind, schema.get("format"), value) for kind in (kinds if isinstance(kinds, list) else [kinds])
        ]
        value = next((v for v in fits if v is not _UNFIT), _UNFIT)
        if value is _UNFIT:
            return _UNFIT
    if "const" in schema and not _same(value, schema["const"]):
        return _UNFIT
    if isinstance(allowed, list) and not any(_same(value, a) for a in allowed):
        return _UNFIT
    return value


def _defaults(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Any]]:
    """(schema, its default as an instance of it, or _UNFIT) for every schema with a default."""
    for schema in iter_schemas(doc):
        if "default" in schema and schema["default"] is not None:
            yield schema, _fit(doc, {k: v for k, v in schema.items() if k != "default"}, schema["default"])


def coerce_spelled_defaults(doc: dict[str, Any]) -> int:
    """A default that spells a value of its type (`"5"` for an integer, `"true"` for a boolean) becomes that value."""
    changed = 0
    for schema, fitted in _defaults(doc):
        default = schema["default"]
        if fitted is not _UNFIT and (type(fitted) is not type(default) or fitted != default):
            schema["default"] = fitted
            changed += 1
    return changed


def _constraint(schema: dict[str, Any], default: Any) -> str:
    """The keyword a default most likely fails, for the report."""
    if isinstance(schema.get("enum"), list):
        return "the enum"
    if "const" in schema:
        return "the const"
    if isinstance(default, dict) and (schema.get("anyOf") or schema.get("oneOf")):
        return "a union (the client holds no default for an object member)"
    if schema.get("allOf"):
        return "an allOf of objects (the client holds no default for a class)"
    kind = schema.get("type")
    if isinstance(schema.get("format"), str) and isinstance(kind, str):
        return f"{kind} format {schema['format']}"
    if isinstance(kind, (str, list)):
        return f"type {kind if isinstance(kind, str) else ' or '.join(map(str, kind))}"
    return "the schema"


def drop_unfit_defaults(doc: dict[str, Any]) -> list[Narrowed]:
    """A default that is no value of its schema (`""` for an integer, `notauuid` for a uuid, not in the enum) goes."""
    narrowed: list[Narrowed] = []
    where: dict[int, str] | None = None
    for schema, fitted in _defaults(doc):
        if fitted is _UNFIT:
            where = where or _pointers(doc)
            default = schema.pop("default")
            text = json.dumps(default, ensure_ascii=False, default=str)
            shown = text if len(text) <= 40 else text[:37] + "..."
            reason = f"default {shown} does not fit {_constraint(schema, default)}: left out"
            narrowed.append(Narrowed(where.get(id(schema), "#"), reason))
    return narrowed


# --- inline classes of operations ---------------------------------------------------------------------------


def _endpoint_name(path: str, method: str, operation: dict[str, Any]) -> str:
    """The name openapi-python-client gives the endpoint: the prefix of its inline classes."""
    from openapi_python_client.parser.openapi import generate_operation_id
    from openapi_python_client.schema.untrusted_string import UntrustedString
    from openapi_python_client.strings import PythonIdentifier

    operation_id = operation.get("operationId")
    if isinstance(operation_id, str):
        return str(PythonIdentifier(operation_id, prefix="field_"))
    return str(generate_operation_id(path=UntrustedString(path), method=method, prefix="field_"))


def _deref(doc: dict[str, Any], node: Any) -> Any:
    return resolve_ref(doc, node["$ref"]) if isinstance(node, dict) and "$ref" in node else node


def _inline_schemas(
    doc: dict[str, Any], path: str, item: dict[str, Any], method: str, operation: dict[str, Any]
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(schema, name, parent) for each schema the client generator reads for the operation, in its order."""
    endpoint = _endpoint_name(path, method, operation)
    seen: set[tuple[Any, Any]] = set()
    for holder in (operation, item):  # operation parameters first; a path item's apply where not overridden
        for parameter in holder.get("parameters") or []:
            parameter = _deref(doc, parameter)
            if isinstance(parameter, dict) and _ident(parameter) not in seen:
                seen.add(_ident(parameter))
                if isinstance(parameter.get("schema"), dict):
                    yield parameter["schema"], str(parameter.get("name")), endpoint
    responses = operation.get("responses")
    for status, response in responses.items() if isinstance(responses, dict) else ():
        response = _deref(doc, response)
        content = response.get("content") if isinstance(response, dict) else None
        for content_type, media in content.items() if isinstance(content, dict) else ():
            kind = media_kind(str(content_type))
            schema = media.get("schema") if isinstance(media, dict) else None
            if kind in {"json", "binary", "text"} or (kind is None and is_binary_string(schema)):
                if isinstance(schema, dict):
                    yield schema, f"response_{status}", endpoint
                break  # the generator reads the first media type it knows
    body = _deref(doc, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    if isinstance(content, dict):
        body_types = {"json": "json", "form": "data", "multipart": "files", "binary": "content"}
        for content_type, media in content.items():
            schema = media.get("schema") if isinstance(media, dict) else None
            kind = media_kind(str(content_type))
            body_type = body_types.get(kind or "") or ("content" if is_binary_string(schema) else None)
            if body_type is not None and isinstance(schema, dict):
                yield schema, "body", endpoint if len(content) == 1 else f"{endpoint}_{body_type}"


def _annotations_only(schema: dict[str, Any], *also: str) -> bool:
    return all(k in also or k in ANNOTATION_KEYWORDS or str(k).startswith("x-") for k in schema)


def collapse_single_ref_unions(doc: dict[str, Any]) -> int:
    """A component schema that is a `oneOf`/`anyOf` of one `$ref` is that reference (else its classes come twice)."""
    changed = 0
    for schema in dicts(components_of(doc).get("schemas")):
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not (isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict)):
                continue
            # with one member, a discriminator has nothing to choose between
            if (
                "$ref" in members[0]
                and _annotations_only(members[0], "$ref")
                and _annotations_only(schema, key, "discriminator")
            ):
                del schema[key]
                schema.pop("discriminator", None)
                schema["$ref"] = members[0]["$ref"]
                changed += 1
    return changed


def copy_titled_aliases(doc: dict[str, Any]) -> int:
    """A component that is only a `$ref` to a titled model becomes a copy titled by its key (a class of its own)."""
    schemas = components_of(doc).get("schemas")
    if not isinstance(schemas, dict):
        return 0
    changed = 0
    for key, schema in list(schemas.items()):
        if not (isinstance(schema, dict) and "$ref" in schema and _annotations_only(schema, "$ref")):
            continue
        target = resolve_ref(doc, schema["$ref"])
        if isinstance(target, dict) and isinstance(target.get("title"), str) and _class_kind(target) == "model":
            own = {k: v for k, v in schema.items() if k != "$ref"}
            schemas[key] = {**copy.deepcopy(target), **own, "title": str(key)}
            changed += 1
    return changed


def title_colliding_operation_models(doc: dict[str, Any]) -> int:
    """Inline schemas of operations whose client class names would collide (a title used twice) get new titles."""
    names, _ = _claim_component_names(doc)
    changed = 0
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        for method, operation in _operations(item) if isinstance(item, dict) else ():
            for schema, name, parent in _inline_schemas(doc, str(path), item, method, operation):
                changed += _claim_tree(names, schema, name, parent)
    return changed
