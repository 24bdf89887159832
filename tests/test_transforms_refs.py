"""Reference transforms (scripts/codegen/transforms_refs.py) and the one JSON-pointer rule under them.

Each test builds a small document of a shape found in real public documents (percent-encoded pointers as
opensuse.org's, references into operations as fulfillment.com's, a nullable object holding an inline object
as GitHub's), shows that openapi-python-client refuses or drops part of it today, applies the transform,
and asks the same parser again.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from codegen.checks import find_bad_references
from codegen.schema_facts import resolve_pointer
from codegen.transforms import run_transforms
from codegen.transforms_refs import (
    decode_ref_fragments,
    hoist_referenced_parts,
    hoist_union_member_models,
    share_repeated_inline_schemas,
)
from test_transforms import apply, endpoint_count, ok, parse, problems, spec


def test_resolve_pointer_percent_decodes_the_fragment_first() -> None:
    """RFC 6901 §6 (and its examples): the URI fragment is percent-decoded, then `~1` and `~0` are read."""
    doc = {"c%d": 2, " ": 7, "a/b": 1, "m~n": 8, "paths": {"/v2/keys/{key_id}": {"get": {"parameters": ["p"]}}}}
    assert resolve_pointer(doc, "#/c%25d") == 2
    assert resolve_pointer(doc, "#/%20") == 7
    assert resolve_pointer(doc, "#/a~1b") == 1
    assert resolve_pointer(doc, "#/m~0n") == 8
    assert resolve_pointer(doc, "#/paths/~1v2~1keys~1%7Bkey_id%7D/get/parameters/0") == "p"
    for bad in ("#/%FF", "#/c%2525d", "other.json#/a~1b", "#anchor"):
        with pytest.raises(KeyError):
            resolve_pointer(doc, bad)


def key_parameter() -> dict[str, Any]:
    return {"name": "key_id", "in": "path", "required": True, "schema": {"type": "string"}}


def test_decode_ref_fragments(tmp_path: Path) -> None:
    doc = spec(
        {
            "/v2/keys/{key_id}": {
                "get": {"operationId": "getKey", "parameters": [key_parameter()], "responses": ok()},
                "delete": {
                    "operationId": "deleteKey",
                    "parameters": [{"$ref": "#/paths/~1v2~1keys~1%7Bkey_id%7D/get/parameters/0"}],
                    "responses": ok({"$ref": "#/components/schemas/Key%20Info"}),
                },
            }
        },
        {"Key Info": {"type": "object", "properties": {"id": {"type": "string"}}}, "Box": {}},
    )
    doc["components"]["schemas"]["Box"] = {"oneOf": [{"$ref": "#/components/schemas/Key%20Info"}], "discriminator": {
        "propertyName": "id", "mapping": {"k": "#/components/schemas/Key%20Info"}}}  # fmt: skip
    assert find_bad_references(doc) == []  # the checks read a percent-encoded pointer as RFC 6901 says
    assert apply(decode_ref_fragments, doc) == 4
    delete = doc["paths"]["/v2/keys/{key_id}"]["delete"]
    assert delete["parameters"][0]["$ref"] == "#/paths/~1v2~1keys~1{key_id}/get/parameters/0"
    assert (
        delete["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Key Info"
    )
    assert doc["components"]["schemas"]["Box"]["discriminator"]["mapping"]["k"] == "#/components/schemas/Key Info"
    assert decode_ref_fragments(doc) == 0


def test_decode_ref_fragments_leaves_data_alone() -> None:
    """A `$ref` inside an example value is data, not a reference: it stays as written."""
    example = {"$ref": "#/components/schemas/A%20B"}
    doc = spec({"/a": {"get": {"responses": ok({"type": "object", "example": example})}}}, {"A B": {}})
    assert decode_ref_fragments(doc) == 0
    assert example == {"$ref": "#/components/schemas/A%20B"}


def interior_refs_document() -> dict[str, Any]:
    """References into a schema, into an operation's parameter, response, and a response's schema."""
    error = {"type": "object", "properties": {"code": {"type": "string"}}}
    rules = {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}}
    return spec(
        {
            "/firewalls/{id}": {
                "get": {
                    "operationId": "getFirewall",
                    "parameters": [{**key_parameter(), "name": "id"}],
                    "responses": {
                        **ok({"$ref": "#/components/schemas/Firewall"}),
                        "401": {"description": "no", "content": {"application/json; charset=utf-8": {"schema": error}}},
                    },
                },
                "put": {
                    "operationId": "putRules",
                    "parameters": [{"$ref": "#/paths/~1firewalls~1%7Bid%7D/get/parameters/0"}],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Firewall/properties/rules"}}
                        }
                    },
                    "responses": {
                        **ok({"$ref": "#/components/schemas/Firewall/properties/rules/items"}),
                        "401": {"$ref": "#/paths/~1firewalls~1%7Bid%7D/get/responses/401"},
                        "404": {
                            "description": "gone",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/paths/~1firewalls~1%7Bid%7D/get/responses/401/content/"
                                        "application~1json;%20charset=utf-8/schema"
                                    }
                                }
                            },
                        },
                    },
                },
            }
        },
        {"Firewall": {"type": "object", "properties": {"rules": rules}}},
    )


def test_hoist_referenced_parts(tmp_path: Path) -> None:
    doc = interior_refs_document()
    assert any("not found" in p for p in problems(doc, tmp_path))
    assert endpoint_count(doc, tmp_path) < 2
    decode_ref_fragments(doc)
    assert apply(hoist_referenced_parts, doc) == 10  # 5 parts moved, 5 references sent to them
    components = doc["components"]
    assert sorted(components["schemas"]) == ["Firewall", "Firewall_rules", "Firewall_rules_item", "getFirewall_401"]
    assert list(components["parameters"]) == ["id"] and list(components["responses"]) == ["getFirewall_401"]
    # Each part left a reference behind: the place it came from and every referrer share one definition.
    firewall = components["schemas"]["Firewall"]["properties"]["rules"]
    assert firewall == {"$ref": "#/components/schemas/Firewall_rules"}
    assert components["schemas"]["Firewall_rules"]["items"] == {"$ref": "#/components/schemas/Firewall_rules_item"}
    get, put = doc["paths"]["/firewalls/{id}"]["get"], doc["paths"]["/firewalls/{id}"]["put"]
    assert get["parameters"][0] == put["parameters"][0] == {"$ref": "#/components/parameters/id"}
    assert get["responses"]["401"] == put["responses"]["401"] == {"$ref": "#/components/responses/getFirewall_401"}
    schema_ref = components["responses"]["getFirewall_401"]["content"]["application/json; charset=utf-8"]["schema"]
    assert schema_ref == {"$ref": "#/components/schemas/getFirewall_401"}
    assert put["responses"]["404"]["content"]["application/json"]["schema"] == schema_ref
    assert problems(doc, tmp_path) == []
    assert endpoint_count(doc, tmp_path) == 2
    assert hoist_referenced_parts(doc) == 0


def test_hoisted_names_never_replace_a_component() -> None:
    doc = interior_refs_document()
    doc["components"]["schemas"]["Firewall_rules"] = {"type": "string"}
    doc["components"]["parameters"] = {"id": {**key_parameter(), "description": "another"}}
    decode_ref_fragments(doc)
    hoist_referenced_parts(doc)
    assert doc["components"]["schemas"]["Firewall_rules"] == {"type": "string"}
    assert "Firewall_rules_2" in doc["components"]["schemas"] and "id_2" in doc["components"]["parameters"]
    assert find_bad_references(doc) == []


def nullable_with_inline_object() -> dict[str, Any]:
    """GitHub's `nullable-collaborator`: a 3.0 nullable object component whose properties hold an inline object."""
    permissions = {"type": "object", "properties": {"admin": {"type": "boolean"}}}
    return spec(
        {
            "/a": {
                "get": {"operationId": "a", "responses": ok({"$ref": "#/components/schemas/nullable-collaborator"})}
            },
            "/b": {"get": {"operationId": "b", "responses": ok({"$ref": "#/components/schemas/Results"})}},
        },
        {
            "nullable-collaborator": {
                "type": "object",
                "nullable": True,
                "properties": {"login": {"type": "string"}, "permissions": permissions},
            },
            "Results": {  # an array of a union whose object member holds an inline object
                "type": "array",
                "items": {
                    "oneOf": [{"type": "string"}, {"type": "object", "properties": {"p": copy.deepcopy(permissions)}}]
                },
            },
        },
    )


def test_hoist_union_member_models(tmp_path: Path) -> None:
    doc = nullable_with_inline_object()
    assert sum("duplicate models" in p for p in problems(doc, tmp_path)) == 2
    assert apply(hoist_union_member_models, doc) == 2
    schemas = doc["components"]["schemas"]
    assert schemas["nullable-collaborator"]["properties"]["permissions"] == {
        "$ref": "#/components/schemas/nullable-collaborator_permissions"
    }
    assert schemas["Results"]["items"]["oneOf"][1] == {"$ref": "#/components/schemas/Results_item_type_1"}
    assert problems(doc, tmp_path) == []
    data = parse(doc, tmp_path)
    names = {m.class_info.name for m in data.models}
    assert {"NullableCollaboratorPermissions", "ResultsItemType1"} <= names


def test_a_document_with_references_only_to_components_is_left_alone() -> None:
    doc = spec(
        {"/a": {"get": {"operationId": "a", "responses": ok({"$ref": "#/components/schemas/A"})}}},
        {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {"type": "string"}},
    )
    before = copy.deepcopy(doc)
    assert run_transforms(doc) == {}
    assert doc == before


def test_a_reference_to_itself_is_one_clear_error(tmp_path: Path) -> None:
    """openapi-python-client's `circular-body-ref` document: a request body that is a `$ref` to itself."""
    import json

    from conftest import run_codegen

    doc = spec({"/": {"post": {"operationId": "make", "requestBody": {"$ref": "#/components/requestBodies/body"},
                               "responses": ok()}}})  # fmt: skip
    doc["components"] = {"requestBodies": {"body": {"$ref": "#/components/requestBodies/body"}}}
    (tmp_path / "s.json").write_text(json.dumps(doc))
    result = run_codegen("generate", "--spec", str(tmp_path / "s.json"), "--out", str(tmp_path / "o"), "--name", "c")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith(("error:", "  where:"))] == [
        "error: $ref '#/components/requestBodies/body' leads back to itself through references alone"
        " (it never reaches a request body)",
        f"  where: {tmp_path / 's.json'} #/components/requestBodies/body/$ref",
    ]


def test_share_repeated_inline_schemas(tmp_path: Path) -> None:
    """fulfillment.com's POST /orders: the same titled error schema written out for 409 and for 422."""
    error = {
        "title": "Error.v2",
        "type": "object",
        "properties": {"context": {"type": "array", "items": {"type": "object"}}},
    }
    responses: dict[str, Any] = {
        status: {"description": status, "content": {"application/json": {"schema": copy.deepcopy(error)}}}
        for status in ("409", "422")
    }
    doc = spec({"/orders": {"post": {"operationId": "postOrders", "responses": {**ok(), **responses}}}})
    assert any("duplicate models" in p for p in problems(doc, tmp_path))
    assert apply(share_repeated_inline_schemas, doc) == 2
    assert doc["components"]["schemas"] == {"postOrders_409": error}
    for status in ("409", "422"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/postOrders_409"
        }
    assert problems(doc, tmp_path) == []
