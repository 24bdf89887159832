"""The mock's parameters: which Python type FastAPI validates each one as, and where it is read from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codegen.mock_examples import finite_number
from codegen.mock_sampler import Resolver
from codegen.mock_styles import styled_marker, styled_type
from codegen.naming import snake_name, unique_name
from codegen.param_styles import JSON_STYLE, wire_style
from codegen.schema_facts import schema_kind
from codegen.spec_model import PARAMETER_RESERVED
from codegen.spec_model import Operation as SpecOperation
from codegen.spec_model import Parameter as SpecParameter

# FastAPI's marker class for each parameter location.
MARKERS = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}


@dataclass(frozen=True)
class Parameter:
    """One validated parameter of a stub: `python_name: Annotated[annotation, marker] = default`."""

    python_name: str
    name: str  # the spec's name: the alias FastAPI reads from the request
    location: str  # path | query | header | cookie
    annotation: str  # a Python type; `X | None` when optional
    marker: str  # e.g. Header(alias='x-trace', convert_underscores=False)
    required: bool
    nullable: bool  # the schema allows null: the text `null` is read as None


def _scalar_annotation(schema: dict[str, Any], resolver: Resolver) -> tuple[str, bool] | None:
    """(Python type, takes numeric/length bounds) for a scalar schema; None if not a scalar."""
    schema = _without_null(resolver.deref(schema), resolver)
    if not isinstance(schema, dict):
        return ("str", False)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        values = [v for v in enum if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return ("Literal[" + ", ".join(repr(v) for v in values) + "]", False)
    kind = schema_kind(schema)
    if kind == "integer":
        return ("int", True)
    if kind == "number":
        return ("float", True)
    if kind == "boolean":
        return ("bool", False)
    if kind in ("object", "array"):
        return None
    # RFC 3339 `date-time` has an offset: pydantic's AwareDatetime refuses a naive value, as the models do.
    formats = {"uuid": "UUID", "date-time": "AwareDatetime", "date": "date"}
    if kind == "string" and schema.get("format") in formats:
        return (formats[schema["format"]], False)
    return ("str", kind == "string")


def _without_null(schema: Any, resolver: Resolver) -> Any:
    """`anyOf/oneOf [X, null]` → X (3.1's way to say nullable); other schemas unchanged."""
    if not isinstance(schema, dict):
        return schema
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list):
            real = [b for b in branches if schema_kind(resolver.deref(b) or {}) != "null"]
            if len(real) == 1:
                return resolver.deref(real[0])
            return {}  # a real union: validated as text
    return schema


def _bounds(schema: dict[str, Any], numeric: bool) -> list[str]:
    """FastAPI keyword arguments for the schema's bounds (numbers and lengths; patterns are left out
    because an ECMA pattern may not compile in pydantic's regex engine)."""
    keywords: list[str] = []
    if numeric:
        pairs = [("minimum", "ge"), ("maximum", "le")]
        for key, argument in pairs:
            exclusive = schema.get("exclusiveMinimum" if key == "minimum" else "exclusiveMaximum")
            if finite_number(schema.get(key)) is not None:
                keywords.append(f"{'gt' if exclusive is True else argument}={schema[key]!r}")
        for key, argument in (("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
            if finite_number(schema.get(key)) is not None:
                keywords.append(f"{argument}={schema[key]!r}")
    else:
        for key, argument in (("minLength", "min_length"), ("maxLength", "max_length")):
            value = schema.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                keywords.append(f"{argument}={value!r}")
    return keywords


def _parameter_type(param: SpecParameter, resolver: Resolver) -> tuple[str, list[str]] | None:
    """(annotation, bound keywords) FastAPI can validate, or None to accept the parameter unchecked."""
    if param.content_type is not None:
        return ("str", [])  # `content` parameters: JSON text, unchecked
    if param.schema is None:
        return None
    schema = _without_null(resolver.deref(param.schema), resolver)
    scalar = _scalar_annotation(schema, resolver)
    if scalar is not None:
        annotation, bounded = scalar
        bounds = _bounds(schema, annotation in ("int", "float")) if bounded and isinstance(schema, dict) else []
        return annotation, bounds
    if isinstance(schema, dict) and schema_kind(schema) == "array" and param.location == "query":
        if param.style == "form" and param.explode:  # repeated keys: ?tag=a&tag=b
            item = _scalar_annotation(schema.get("items") or {}, resolver)
            return (f"list[{item[0] if item else 'str'}]", [])
        return ("str", [])  # a delimited list arrives as one string
    if isinstance(schema, dict) and schema_kind(schema) == "array":
        return ("str", [])
    return None  # objects: spread over keys or encoded; accepted as sent


def _marker(location: str, name: str, bounds: list[str]) -> str:
    arguments = [] if location == "path" else [f"alias={name!r}"]
    if location == "header":
        arguments.append("convert_underscores=False")  # the alias is the header's exact name
    return f"{MARKERS[location]}({', '.join(arguments + bounds)})"


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def parameters(path: str, operation: SpecOperation, resolver: Resolver) -> tuple[str, list[Parameter], list[str]]:
    """(route path, parameters, unvalidated) for one operation; names are the spec model's."""
    placeholders = PLACEHOLDER.findall(path)
    declared = [p for p in operation.parameters if p.location != "path" or p.name in placeholders]
    taken = {p.python_name for p in declared}
    parameters: list[Parameter] = []
    unvalidated: list[str] = []
    route_names: dict[str, str] = {}
    for param in declared:
        style = wire_style(param)
        if style is not None and style != JSON_STYLE and param.schema is not None:
            # Delimited or spread over keys (OpenAPI 3.1 §4.8.12.4): parsed by the runtime, then validated.
            if param.location == "path":
                route_names[param.name] = param.python_name
            annotation = styled_type(param, resolver)
            others = tuple(p.name for p in declared if p.location == "query" and p is not param)
            marker = styled_marker(param, style, annotation, resolver, param.python_name, others)
            optional = annotation if param.required else f"{annotation} | None"
            parameters.append(Parameter(param.python_name, param.name, param.location, optional, marker, True, False))
            continue
        typed = _parameter_type(param, resolver) if param.location != "path" else _path_type(param, resolver)
        if typed is None:
            unvalidated.append(f"{param.location} {param.name}")
            continue
        annotation, bounds = typed
        if param.location == "path":
            route_names[param.name] = param.python_name
        nullable = param.facts.nullable
        parameters.append(
            Parameter(
                python_name=param.python_name,
                name=param.name,
                location=param.location,
                annotation=annotation if param.required and not nullable else f"{annotation} | None",
                marker=_marker(param.location, param.name, bounds),
                required=param.required,
                nullable=nullable,
            )
        )
    # A placeholder the spec forgot to declare still needs a parameter to be routable.
    for name in placeholders:
        if name not in route_names:
            python_name = unique_name(snake_name(name, "parameter"), taken, PARAMETER_RESERVED)
            route_names[name] = python_name
            parameters.append(Parameter(python_name, name, "path", "str", _marker("path", name, []), True, False))
    route_path = PLACEHOLDER.sub(lambda m: _route_placeholder(m.group(1), route_names), path)
    return route_path, parameters, unvalidated


def _path_type(param: SpecParameter, resolver: Resolver) -> tuple[str, list[str]]:
    """Path parameters are always validated: scalars by type and bounds, anything else as text."""
    return _parameter_type(param, resolver) or ("str", [])


def _route_placeholder(name: str, route_names: dict[str, str]) -> str:
    python_name = route_names.get(name)
    if python_name is None:
        return "{" + name + "}"  # unreachable: every placeholder got a parameter
    # `{+name}` (reserved expansion) may span slashes.
    return "{" + python_name + (":path" if name.startswith("+") else "") + "}"
