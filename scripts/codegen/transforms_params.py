"""Named spec fixes for parameters, request bodies, defaults and inline class names: one function each.

Like those of transforms.py, each fixes the input so that the generators express it and never drops an
operation. What a fix cannot carry over (a default that fits no value of its type, a parameter the path
has no place for) is returned as `Narrowed` and reported on a `narrowed:` line.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from codegen.document import HTTP_METHODS, pointer
from codegen.media_types import media_kind
from codegen.spec_walk import (
    components_of,
    dicts,
    is_binary_string,
    iter_bodies,
    iter_schemas,
    parameters_of,
    resolve_ref,
)
from codegen.transforms import (
    ANNOTATION_KEYWORDS,
    Narrowed,
    Transform,
    _claim_component_names,
    _claim_tree,
    _class_kind,
    _listed,
)

_EXPRESSION = re.compile(r"\{([^{}]*)\}")
# An RFC 6570 (§3.2) expression whose operator serialises the value its own way: `.` label, `/` path
# segment, `;` matrix, `?`/`&` query, `#` fragment. OpenAPI path templating (3.1 §4.8.8.2) has only
# `{name}`; `{+name}` (reserved expansion) is kept as written: the mock routes it across slashes.
_RFC6570 = re.compile(r"([#./;?&])([A-Za-z0-9_.%-]+)(\*?)")
PLACES = ("path", "query", "header", "cookie")  # parameter locations of OpenAPI 3.0 and 3.1


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


# --- path templating ----------------------------------------------------------------------------------------


@dataclass
class _Expression:
    """One `{…}` of a path template, and how it is written for the generators."""

    text: str  # between the braces, as in the document
    names: tuple[str, ...]  # names a declared parameter may carry for it
    name: str  # the parameter's name from now on
    replacement: str  # what replaces `{text}` in the path
    location: str = "path"  # "query" for `{?x}` / `{&x}`, "" for a fragment `{#x}` (never sent)
    style: str | None = None
    explode: bool | None = None
    note: str = ""  # why this is narrowed, if it is


def _safe_name(text: str, taken: set[str]) -> str:
    """A plain template name (letters, digits, `_`, `-`) for an RFC 6570 variable, unique among `taken`."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "param"
    base = f"p_{base}" if base[0].isdigit() else base
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    taken.add(name)
    return name


def _expression(text: str, taken: set[str]) -> _Expression:
    """How one template expression is read: as written (OpenAPI `{name}`), or as an RFC 6570 operator."""
    found = _RFC6570.fullmatch(text)
    if found is None:
        return _Expression(text, (text,), text, "{" + text + "}")
    operator, var, star = found.groups()
    name = _safe_name(var, taken)
    expression = _Expression(text, (var, text), name, "{" + name + "}")
    rfc = f"{{{text}}} is an RFC 6570 expression, not OpenAPI path templating"
    if operator == "/" or (operator == "." and not star):  # `.` or `/`, then the value (a list joined by `,`)
        expression.replacement = operator + expression.replacement
        expression.note = f"{rfc}: read as `{operator}{{{name}}}`, a required value"
    elif operator in ".;":  # OpenAPI's label and matrix styles are RFC 6570's `.` and `;`
        expression.style, expression.explode = ("label" if operator == "." else "matrix"), bool(star)
        expression.note = f"{rfc}: read as `{{{name}}}` in {expression.style} style, a required value"
    elif operator in "?&":
        expression.replacement, expression.location = "", "query"
        expression.style, expression.explode = "form", bool(star) or None
        expression.note = f"{rfc}: `{name}` is sent as a query parameter"
    else:  # `#`: a fragment
        expression.replacement, expression.location = "", ""
        expression.note = f"{rfc}: a URL fragment is never sent to the server, so `{name}` is left out"
    return expression


def _ident(parameter: dict[str, Any]) -> tuple[str, str]:
    """(name, location): what makes a parameter unique (OpenAPI 3.1 §4.8.12)."""
    return str(parameter.get("name")), str(parameter.get("in"))


def _operations(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in HTTP_METHODS:
        if isinstance(item.get(method), dict):
            yield method, item[method]


def _resolved_parameters(doc: dict[str, Any], holder: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The holder's parameter objects with references followed, or None if one does not resolve."""
    found: list[dict[str, Any]] = []
    for entry in holder.get("parameters") or []:
        target = resolve_ref(doc, entry["$ref"]) if isinstance(entry, dict) and "$ref" in entry else entry
        if not isinstance(target, dict):
            return None
        found.append(target)
    return found


def _own_path_parameters(doc: dict[str, Any], item: dict[str, Any]) -> bool:
    """Give each operation its own inline copy of every path parameter (path-item ones included): False if
    a parameter reference does not resolve (the document checks report it)."""
    shared = _resolved_parameters(doc, item)
    operations = [(op, _resolved_parameters(doc, op)) for _, op in _operations(item)]
    if shared is None or any(own is None for _, own in operations):
        return False
    for operation, own in operations:
        assert own is not None
        names = {_ident(p) for p in own}
        entries = [
            copy.deepcopy(p) if p.get("in") == "path" else e
            for p, e in zip(own, operation.get("parameters") or [], strict=True)
        ]
        entries += [copy.deepcopy(p) for p in shared if p.get("in") == "path" and _ident(p) not in names]
        if entries:
            operation["parameters"] = entries
    if isinstance(item.get("parameters"), list):
        item["parameters"] = [e for p, e in zip(shared, item["parameters"], strict=True) if p.get("in") != "path"]
    return True


def _needs_work(doc: dict[str, Any], path: str, item: dict[str, Any]) -> bool:
    expressions = _EXPRESSION.findall(path)
    if any(_RFC6570.fullmatch(text) for text in expressions):
        return True
    shared = _resolved_parameters(doc, item) or []
    for _method, operation in _operations(item):
        own = _resolved_parameters(doc, operation) or []
        overridden = {_ident(p) for p in own}
        merged = own + [p for p in shared if _ident(p) not in overridden]
        if sorted(str(p.get("name")) for p in merged if p.get("in") == "path") != sorted(set(expressions)):
            return True
    return False


def _loose(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _fit_operation(where: str, operation: dict[str, Any], expressions: list[_Expression]) -> list[Narrowed]:
    """Make the operation's path parameters (all inline by now) those of the template."""
    narrowed = [Narrowed(where, e.note) for e in expressions if e.note]
    parameters: list[dict[str, Any]] = operation.get("parameters") or []
    declared = [p for p in parameters if p.get("in") == "path"]
    unmatched = list(expressions)
    for parameter in list(declared):
        expression = next((e for e in unmatched if parameter.get("name") in e.names), None)
        if expression is None:  # a name that differs only in case or punctuation
            expression = next((e for e in unmatched if _loose(str(parameter.get("name"))) == _loose(e.name)), None)
            if expression is not None:
                narrowed.append(
                    Narrowed(where, f"path parameter `{parameter.get('name')}` taken for {{{expression.text}}}")
                )
        if expression is None:
            parameters.remove(parameter)
            narrowed.append(Narrowed(where, f"path parameter `{parameter.get('name')}` is not in the path: left out"))
            continue
        unmatched.remove(expression)
        if not expression.location or any(
            p is not parameter and p.get("in") == expression.location and p.get("name") == expression.name
            for p in parameters
        ):
            parameters.remove(parameter)  # a fragment, or a query parameter of that name already declared
            continue
        parameter.update(name=expression.name, **{"in": expression.location})
        if expression.location == "path":
            parameter["required"] = True
        if expression.style is not None:
            parameter["style"] = expression.style
        if expression.explode is not None:
            parameter["explode"] = expression.explode
    for expression in unmatched:
        if not expression.location:
            continue
        required = expression.location == "path"  # RFC 6570 leaves an undefined query variable out
        parameters.append(
            {"name": expression.name, "in": expression.location, "required": required, "schema": {"type": "string"}}
        )
        if expression.style is not None:
            parameters[-1]["style"] = expression.style
        narrowed.append(
            Narrowed(where, f"{{{expression.text}}} has no declared parameter: `{expression.name}`, a string")
        )
    if parameters:
        operation["parameters"] = parameters
    else:
        operation.pop("parameters", None)
    return narrowed


def match_path_templates(doc: dict[str, Any]) -> list[Narrowed]:
    """Path parameters and template agree: undeclared names become strings, stray ones go, RFC 6570 is rewritten."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return []
    narrowed: list[Narrowed] = []
    renamed: dict[str, str] = {}
    for path, item in paths.items():
        if not isinstance(path, str) or not isinstance(item, dict) or not _needs_work(doc, path, item):
            continue
        if not _own_path_parameters(doc, item):
            continue
        taken = {t for t in _EXPRESSION.findall(path) if not _RFC6570.fullmatch(t)}
        expressions = {text: _expression(text, taken) for text in dict.fromkeys(_EXPRESSION.findall(path))}
        new_path = "".join(expressions[p].replacement if i % 2 else p for i, p in enumerate(_EXPRESSION.split(path)))
        if new_path != path and new_path in paths:
            continue  # the rewritten path is another path item's: left to the generator's report
        for method, operation in _operations(item):
            narrowed += _fit_operation(f"{method.upper()} {path}", operation, list(expressions.values()))
        if new_path != path:
            renamed[path] = new_path
    if renamed:
        items = list(paths.items())
        paths.clear()
        paths.update((renamed.get(key, key), value) for key, value in items)
    return narrowed


# --- nullable path parameters -------------------------------------------------------------------------------


def _is_null(doc: dict[str, Any], schema: Any) -> bool:
    """True if the schema admits `null` alone (`type: null`, `enum: [null]`, `const: null`)."""
    schema = resolve_ref(doc, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else schema
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return (
        kind == "null"
        or kind == ["null"]
        or schema.get("enum") == [None]
        or ("const" in schema and schema["const"] is None)
    )


def _without_null(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> dict[str, Any] | None:
    """The schema without its `null` alternative (a copy), or None if it has none."""
    if depth > 32:
        return None
    if "$ref" in schema:
        target = resolve_ref(doc, schema["$ref"])
        inner = _without_null(doc, target, depth + 1) if isinstance(target, dict) else None
        if inner is None:
            return None  # a reference to a schema that is itself not nullable stays a reference
        return {**copy.deepcopy(inner), **{k: v for k, v in schema.items() if k != "$ref"}}
    result, changed = dict(schema), False
    if result.get("nullable") is True:
        del result["nullable"]
        changed = True
    kind = result.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        result.pop("type")
        result.update({"type": rest[0]} if len(rest) == 1 else {"type": rest} if rest else {})
        changed = True
    if isinstance(result.get("enum"), list) and None in result["enum"]:
        result["enum"] = [v for v in result["enum"] if v is not None]
        changed = True
    for key in ("anyOf", "oneOf", "allOf"):
        members = result.get(key)
        if not isinstance(members, list):
            continue
        kept = [m for m in members if key == "allOf" or not _is_null(doc, m)]
        kept = [(_without_null(doc, m, depth + 1) or m) if isinstance(m, dict) else m for m in kept]
        if kept == members:
            continue
        changed = True
        others = [k for k in result if k != key and k not in ANNOTATION_KEYWORDS]
        if key != "allOf" and len(kept) == 1 and isinstance(kept[0], dict) and not others:
            result.pop(key)
            result = {**kept[0], **result}  # the one member left, with the outer annotations
        else:
            result[key] = kept
    return result if changed else None


def non_null_path_parameters(doc: dict[str, Any]) -> int:
    """A path parameter's schema loses its `null` alternative (nullable, a "null" type or member): paths hold values."""
    changed = 0
    for parameter in parameters_of(doc):
        schema = parameter.get("schema")
        if parameter.get("in") == "path" and isinstance(schema, dict):
            fixed = _without_null(doc, schema)
            if fixed is not None:
                parameter["schema"] = fixed
                changed += 1
    return changed


# --- parameters with content, bodies without a schema -------------------------------------------------------


def content_parameters_as_text(doc: dict[str, Any]) -> list[Narrowed]:
    """A parameter given by `content` (a media type) instead of `schema` is a string: the value in that media type."""
    narrowed: list[Narrowed] = []
    where: dict[int, str] | None = None
    for parameter in parameters_of(doc):
        content = parameter.get("content")
        if "schema" in parameter or not isinstance(content, dict) or not content or parameter.get("in") not in PLACES:
            continue
        key = next(iter(content))
        media_type, media = str(key), content[key] if isinstance(content[key], dict) else {}
        inner = media.get("schema")
        if media_kind(media_type) == "text" and isinstance(inner, dict) and inner.get("type") == "string":
            parameter["schema"] = inner  # already a string: nothing is lost
        else:
            where = where or _pointers(doc)
            parameter["schema"] = {"type": "string"}
            name = parameter.get("name")
            reason = f"parameter `{name}` is {media_type} text: typed as a string the caller serialises"
            narrowed.append(Narrowed(where.get(id(parameter), "#"), reason))
        del parameter["content"]
    return narrowed


def schema_for_bare_media_types(doc: dict[str, Any]) -> int:
    """A request body media type without a schema takes what it carries: any JSON value, form fields, or bytes."""
    changed = 0
    for side, content in iter_bodies(doc):
        if side != "request":
            continue
        for content_type, media in list(content.items()):
            if media is None:
                media = content[content_type] = {}
            if not isinstance(media, dict) or "schema" in media:
                continue
            kind = media_kind(str(content_type))
            if kind == "json":
                media["schema"] = {}
            elif kind in {"form", "multipart"}:
                media["schema"] = {"type": "object"}
            else:
                media["schema"] = {"type": "string", "format": "binary"}
            changed += 1
    return changed


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


PARAMETER_TRANSFORMS: list[Transform] = [
    match_path_templates,
    non_null_path_parameters,
    content_parameters_as_text,
    schema_for_bare_media_types,
    coerce_spelled_defaults,
    drop_unfit_defaults,
    collapse_single_ref_unions,
    copy_titled_aliases,
    title_colliding_operation_models,
]
