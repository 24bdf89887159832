"""mock_model: minimal instances are valid and stable, names are usable, $refs find their classes."""

from __future__ import annotations

import ast
import keyword
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from codegen.mock_model import body_annotation, build_operations
from codegen.mock_sampler import Resolver, minimal_instance, sample_instance
from codegen.naming import snake_name
from codegen.spec_model import build_spec_model

COMPONENTS: dict[str, Any] = {
    "schemas": {
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"kitty": "#/components/schemas/Cat"}},
        },
        "Cat": {
            "type": "object",
            "required": ["kind", "lives"],
            "properties": {"kind": {"type": "string"}, "lives": {"type": "integer", "minimum": 1, "maximum": 9}},
        },
        "Dog": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "additionalProperties": False,
        },
        "Node": {
            "type": "object",
            "required": ["children"],
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
        },
        "Named": {
            "allOf": [
                {"$ref": "#/components/schemas/Cat"},
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string", "minLength": 3, "maxLength": 5}},
                },
            ]
        },
        "Alias": {"$ref": "#/components/schemas/Dog"},
    }
}

# Each schema's minimal instance must validate against it (JSON Schema 2020-12, as in OpenAPI 3.1).
VALID_FOR: list[Any] = [
    {},
    True,
    {"type": "integer", "minimum": 5},
    {"type": "integer", "exclusiveMinimum": 5},
    {"type": "integer", "maximum": -3, "multipleOf": 2},
    {"type": "number", "exclusiveMaximum": 0},
    {"type": "number", "minimum": 0.5, "multipleOf": 0.25},
    {"type": "string", "minLength": 10},
    {"type": "string", "maxLength": 2},
    {"type": "string", "format": "date-time"},
    {"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"},
    {"type": "string", "pattern": "^[A-Z0-9-]+$"},
    {"type": "string", "pattern": "^(GB|DE)[0-9]{2}[^a-z]?$", "example": "not this one"},
    {"type": "string", "pattern": "^[a-z]+$", "minLength": 4, "maxLength": 6},
    {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"},
    {"type": ["null", "boolean"]},
    {"enum": [None, "b", "c"]},
    {"const": {"x": 1}},
    {"type": "array", "minItems": 2, "items": {"type": "string", "format": "uuid"}},
    {"type": "object", "minProperties": 1, "properties": {"a": {"type": "boolean"}}},
    {"type": "object", "required": ["free"], "additionalProperties": {"type": "integer"}},
    {"anyOf": [{"type": "null"}, {"type": "string", "format": "email"}]},
    {"$ref": "#/components/schemas/Pet"},
    # a minimal Cat also fits the loose branch; `oneOf` needs an instance only one branch accepts
    {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "array", "items": {"type": "integer"}}]},
    {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "object", "properties": {"kind": {"type": "string"}}}]},
    {"$ref": "#/components/schemas/Node"},
    {"$ref": "#/components/schemas/Named"},
    {"type": "object", "required": ["pet"], "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
]


@pytest.mark.parametrize("schema", VALID_FOR, ids=[str(s)[:60] for s in VALID_FOR])
def test_minimal_instance_is_valid_and_stable(schema: Any) -> None:
    doc = {"components": COMPONENTS}
    value = minimal_instance(schema, Resolver(doc, {}))
    standalone = schema if isinstance(schema, bool) else {**schema, "components": COMPONENTS}
    jsonschema.Draft202012Validator(standalone, format_checker=jsonschema.FormatChecker()).validate(value)
    assert minimal_instance(schema, Resolver(doc, {})) == value


TREE = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        "parent": {"$ref": "#/components/schemas/Tree"},
        "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Cat"}},
    },
}


@pytest.mark.parametrize("schema", [*VALID_FOR, {"$ref": "#/components/schemas/Tree"}], ids=str)
def test_sample_instance_is_valid_stable_and_fills_optional_parts(schema: Any) -> None:
    """An error body's sample: every property, one item per list, finite even for recursive schemas."""
    components = {"schemas": {**COMPONENTS["schemas"], "Tree": TREE}}
    doc = {"components": components}
    value = sample_instance(schema, Resolver(doc, {}))
    standalone = schema if isinstance(schema, bool) else {**schema, "components": components}
    jsonschema.Draft202012Validator(standalone, format_checker=jsonschema.FormatChecker()).validate(value)
    assert sample_instance(schema, Resolver(doc, {})) == value


def test_sample_instance_fills_a_validation_error_list() -> None:
    tree = sample_instance(
        {"$ref": "#/components/schemas/Tree"},
        Resolver({"components": {"schemas": {"Tree": TREE, **COMPONENTS["schemas"]}}}, {}),
    )
    assert tree == {"name": "string", "problems": [{"kind": "string", "lives": 1}]}  # the cycles are left out
    assert sample_instance({"type": "object", "properties": {"a": {"type": "boolean"}}}, Resolver({}, {})) == {
        "a": False
    }


def _with_response_headers(*names: str) -> dict[str, Any]:
    responses = {
        str(200 + number): {"description": "x", "headers": {name: {"schema": {"type": "string"}}}}
        for number, name in enumerate(names)
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": responses}}},
    }


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), "x-request-id"),
        (("X-Trace", "ETag"), "x-request-id"),
        (("X-Amzn-RequestId",), "x-amzn-requestid"),
        (("Request-Id", "X-Request-ID", "x-request-id"), "x-request-id"),  # the most documented one
        (("apigw-requestid", "X-Rate-Limit"), "apigw-requestid"),
        (("x-request-id\r\nSet-Cookie: a",), "x-request-id"),  # not a header name: ignored
    ],
)
def test_the_spec_model_decides_the_request_id_header(headers: tuple[str, ...], expected: str) -> None:
    assert build_spec_model(_with_response_headers(*headers)).request_id_header == expected


def test_minimal_instance_sets_the_discriminator_from_the_mapping() -> None:
    value = minimal_instance({"$ref": "#/components/schemas/Pet"}, Resolver({"components": COMPONENTS}, {}))
    assert value == {"kind": "kitty", "lives": 1}


@pytest.mark.parametrize("text", ["class", "Generate-an-invoice", "1st", "", "—", "userId", "list", "x.y-z"])
def test_identifiers_are_usable_python_names(text: str) -> None:
    name = snake_name(text, "parameter")
    assert name.isidentifier() and not keyword.iskeyword(name)
    assert name.isascii()


def test_refs_use_the_generators_class_names_and_fall_back_to_permissive_types() -> None:
    doc = {"components": COMPONENTS}
    resolver = Resolver(doc, {"#/components/schemas/Dog": "Dog1"})
    assert body_annotation({"$ref": "#/components/schemas/Dog"}, resolver) == "models.Dog1"
    assert body_annotation({"$ref": "#/components/schemas/Alias"}, resolver) == "models.Dog1"  # alias chain
    assert body_annotation({"type": "array", "items": {"$ref": "#/components/schemas/Dog"}}, resolver) == (
        "list[models.Dog1]"
    )
    assert body_annotation({"$ref": "#/components/schemas/Cat"}, resolver) == "dict[str, Any]"  # no class known
    assert body_annotation({"anyOf": [{"type": "integer"}, {"type": "null"}]}, resolver) == "int"


def test_operations_without_ids_get_unique_names_and_route_functions_that_shadow_nothing() -> None:
    doc: dict[str, Any] = {
        "paths": {
            "/list": {"get": {"operationId": "list", "responses": {}}},
            "/a-b": {"get": {"responses": {}}, "post": {"operationId": "get_a_b", "responses": {}}},
        }
    }
    operations = build_operations(build_spec_model(doc), {})
    assert [op.name for op in operations] == ["list", "get_a_b", "get_a_b_"]  # the handler keys, as the SDK's
    assert [op.function for op in operations] == ["list_route", "get_a_b", "get_a_b_"]  # `list` is a builtin


CATASTROPHIC = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$"  # from a real spec
EXAMPLE = "https://www.example.com/avatar/205e460b479e2e5b48aec07710c08d50?d=mm"  # `?` fails it, slowly


def test_patterns_that_backtrack_forever_are_never_run_on_samples() -> None:
    # `([…]*)*` against a non-matching text backtracks exponentially in Python's re; generation must
    # not run it. In a subprocess, so that a regression fails on the timeout instead of hanging.
    url = {"type": "string", "pattern": CATASTROPHIC, "example": EXAMPLE}
    schema = {"type": "object", "required": ["url"], "properties": {"url": url}}
    call = f"minimal_instance({schema!r}, Resolver({{}}, {{}}))"
    code = f"from codegen.mock_model import Resolver, minimal_instance\nprint({call})"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "scripts")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    value = ast.literal_eval(result.stdout)
    assert re.fullmatch(r"(https?://)?[\da-z.-]+\.[a-z.]{2,6}/?", value["url"]), value
