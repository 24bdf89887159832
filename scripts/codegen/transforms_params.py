"""Named spec fixes of parameters and request bodies: path templates, path parameters, `content`, bare bodies.

Like those of transforms.py, each fixes the input so that the generators express it and never drops an
operation. What a fix cannot carry over (a parameter the path has no place for, a parameter's media
type) is returned as `Narrowed` and reported on a `narrowed:` line. PARAMETER_TRANSFORMS lists these
and those of transforms_schemas.py, in the order they run after transforms.TRANSFORMS.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from codegen.media_types import media_kind
from codegen.spec_walk import iter_bodies, parameters_of, resolve_ref
from codegen.transforms import ANNOTATION_KEYWORDS, Narrowed, Transform
from codegen.transforms_schemas import (
    _ident,
    _operations,
    _pointers,
    coerce_spelled_defaults,
    collapse_single_ref_unions,
    copy_titled_aliases,
    drop_unfit_defaults,
    title_colliding_operation_models,
)

_EXPRESSION = re.compile(r"\{([^{}]*)\}")
# An RFC 6570 (§3.2) expression whose operator serialises the value its own way: `.` label, `/` path
# segment, `;` matrix, `?`/`&` query, `#` fragment. OpenAPI path templating (3.1 §4.8.8.2) has only
# `{name}`; `{+name}` (reserved expansion) is kept as written: the mock routes it across slashes.
_RFC6570 = re.compile(r"([#./;?&])([A-Za-z0-9_.%-]+)(\*?)")
PLACES = ("path", "query", "header", "cookie")  # parameter locations of OpenAPI 3.0 and 3.1


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
