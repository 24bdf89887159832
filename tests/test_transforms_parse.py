"""Transforms for valid documents the client parser refuses (scripts/codegen/transforms_parse.py), and the
refusals that remain for invalid ones (scripts/codegen/parser_errors.py).

The shapes come from the test documents of openapi-python-client, datamodel-code-generator and
fastapi-code-generator (tests/../shared/peer-specs): each is refused by openapi-python-client as it is,
and read by it after the transform, with the same meaning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codegen import transforms_parse as tp
from codegen.transforms import run_transforms
from conftest import run_codegen
from test_transforms import apply, endpoint_count, ok, parse, problems, ref, spec


def refused(doc: dict[str, Any], tmp_path: Path) -> bool:
    """True if openapi-python-client refuses the whole document."""
    return type(parse(doc, tmp_path)).__name__ == "GeneratorError"


def spec31(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**spec(paths, schemas), "openapi": "3.1.0"}


def test_add_empty_paths_generates_the_models_of_a_components_only_document(tmp_path: Path) -> None:
    """A 3.1 document of webhooks and components alone: generated, with its models and no operation."""
    doc = spec31(schemas={"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}})
    del doc["paths"]
    doc["webhooks"] = {"newPet": {"post": {"requestBody": {"content": {"application/json": {"schema": ref("Pet")}}}}}}
    assert apply(tp.add_empty_paths, json.loads(json.dumps(doc))) == 1
    (tmp_path / "s.json").write_text(json.dumps(doc))
    result = run_codegen("generate", "--spec", str(tmp_path / "s.json"), "--out", str(tmp_path / "out"), "--name", "w")
    assert result.returncode == 0, result.stderr
    assert "generated 0 of 0 operations" in result.stderr
    assert "class Pet" in (tmp_path / "out/w-client/w_client/models/pet.py").read_text()
    assert "class Pet(" in (tmp_path / "out/w-mock/w_mock/models.py").read_text()


def test_boolean_schemas_as_objects(tmp_path: Path) -> None:
    never: dict[str, Any] = {"allOf": [{"$ref": "#/components/schemas/Never"}]}
    doc = spec31(
        {"/a": {"get": {"operationId": "a", "responses": ok(ref("Box"))}}},
        {
            "Never": False,
            "Box": {
                "type": "object",
                "additionalProperties": False,  # read as it is by every generator: stays
                "properties": {"any": True, "none": False, "list": {"type": "array", "items": True}, "n": never},
                "anyOf": [True, {"type": "object"}],
            },
        },
    )
    assert refused(doc, tmp_path)
    assert apply(tp.boolean_schemas_as_objects, doc) == 5
    box = doc["components"]["schemas"]["Box"]
    assert doc["components"]["schemas"]["Never"] == {"not": {}}
    assert box["properties"]["any"] == {} and box["properties"]["none"] == {"not": {}}
    assert box["properties"]["list"]["items"] == {} and box["anyOf"][0] == {}
    assert box["additionalProperties"] is False
    assert not refused(doc, tmp_path) and endpoint_count(doc, tmp_path) == 1


def test_stringify_info_version(tmp_path: Path) -> None:
    doc = {**spec(), "info": {"title": "t", "version": 1.0}}  # YAML's `version: 1.0`
    assert refused(doc, tmp_path)
    assert apply(tp.stringify_info_version, doc) == 1
    assert doc["info"]["version"] == "1.0"
    assert not refused(doc, tmp_path)


def test_default_responses(tmp_path: Path) -> None:
    """3.1 made `responses` optional (§4.8.10.1); 3.0 requires it, so a 3.0 document is left to be refused."""
    operation = {
        "operationId": "make",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
    }
    doc = spec31({"/bar": {"post": operation}})
    assert refused(doc, tmp_path)
    assert apply(tp.default_responses, doc) == 1
    assert operation["responses"] == {}
    assert endpoint_count(doc, tmp_path) == 1
    old = spec({"/bar": {"post": {"operationId": "make"}}})
    assert tp.default_responses(old) == 0


def test_structured_const_as_example(tmp_path: Path) -> None:
    settings: dict[str, Any] = {"const": {"enabled": True, "limit": 3}}
    doc = spec31(
        {"/a": {"get": {"operationId": "a", "responses": ok(ref("C"))}}},
        {"C": {"type": "object", "properties": {"settings": settings, "mode": {"const": "fast"}}}},
    )
    assert refused(doc, tmp_path)
    narrowed = tp.structured_const_as_example(doc)
    assert [(n.where, "const" in n.reason) for n in narrowed] == [("#/components/schemas/C/properties/settings", True)]
    assert settings == {"type": "object", "examples": [{"enabled": True, "limit": 3}]}
    assert doc["components"]["schemas"]["C"]["properties"]["mode"] == {"const": "fast"}  # a scalar const is read
    assert problems(doc, tmp_path) == []


def test_distribute_allof_over_union(tmp_path: Path) -> None:
    """`allOf` of a `$ref` to a `oneOf` and an object: "Cannot take allOf a non-object", operation left out."""
    extra = {"type": "object", "required": ["userId"], "properties": {"userId": {"type": "string"}}}
    doc = spec(
        {
            "/users": {
                "post": {
                    "operationId": "make",
                    "requestBody": {"content": {"application/json": {"schema": ref("UserPostRequest")}}},
                    "responses": ok(),
                }
            }
        },  # fmt: skip
        {
            "Admin": {"type": "object", "properties": {"level": {"type": "integer"}}},
            "Regular": {"type": "object", "properties": {"name": {"type": "string"}}},
            "User": {"oneOf": [ref("Admin"), ref("Regular")]},
            "UserPostRequest": {"description": "a user to make", "allOf": [ref("User"), extra]},
        },
    )
    assert any("Cannot take allOf a non-object" in p for p in problems(doc, tmp_path))
    assert endpoint_count(doc, tmp_path) == 0
    assert apply(tp.distribute_allof_over_union, doc) == 1
    assert doc["components"]["schemas"]["UserPostRequest"] == {
        "description": "a user to make",
        "oneOf": [{"allOf": [ref("Admin"), extra]}, {"allOf": [ref("Regular"), extra]}],
    }
    run_transforms(doc)  # the branches extend components: they become components of their own
    assert problems(doc, tmp_path) == []
    assert endpoint_count(doc, tmp_path) == 1


def refusal(tmp_path: Path, doc: dict[str, Any]) -> str:
    (tmp_path / "s.json").write_text(json.dumps(doc))
    result = run_codegen("generate", "--spec", str(tmp_path / "s.json"), "--out", str(tmp_path / "out"), "--name", "r")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return result.stderr


def test_a_parser_refusal_names_the_users_file_and_pointer(tmp_path: Path) -> None:
    """An invalid document (`items` as a list): one error, in the user's terms, not the parser's model's."""
    doc = spec({"/pets": {"get": {"operationId": "pets", "responses": ok(ref("Pets"))}}})
    doc["components"] = {"schemas": {"Pets": {"type": "array", "items": [ref("Pet")]}, "Pet": {"type": "object"}}}
    text = refusal(tmp_path, doc)
    lines = [line for line in text.splitlines() if line.startswith(("error:", "  where:", "  next:"))]
    assert lines == [
        "error: openapi-python-client cannot read the document: `items` is a list of schemas; OpenAPI wants one"
        " schema (JSON Schema 2020-12 §10.3.1.2)",
        f"  where: {tmp_path / 's.json'} #/components/schemas/Pets/items",
        "  next:  write `items` as one schema; for a tuple, a 3.1 document lists the positions in `prefixItems`",
    ]
    assert "other" not in text and "pydantic" not in text and "after overlays" not in text


def test_a_missing_field_and_a_32_parameter_are_named_with_what_to_do(tmp_path: Path) -> None:
    doc = spec({"/product": {"post": {"operationId": "make", "responses": {"200": {"content": {}}}}}})
    doc["paths"]["/other"] = {"get": {"operationId": "other", "responses": {"200": {}}}}
    text = refusal(tmp_path, doc)
    assert "`description` is missing there, and OpenAPI requires it (and 1 more place)" in text
    assert f"{tmp_path / 's.json'} #/paths/~1product/post/responses/200/description" in text
    assert "add `description` at that place" in text
    query = {"in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
    doc = spec31({"/events": {"get": {"operationId": "events", "parameters": [query], "responses": ok()}}})
    text = refusal(tmp_path, doc)
    assert "`in: querystring` is OpenAPI 3.2" in text and "#/paths/~1events/get/parameters/0" in text


def reactions_document() -> dict[str, Any]:
    """GitHub's `reaction-rollup` (properties `+1` and `-1`) and a JSON-LD `@type` beside `type`, used by a
    response and a request body: openapi-python-client drops the schema, and both with it."""
    rollup = {
        "type": "object",
        "required": ["+1"],
        "properties": {p: {"type": "integer"} for p in ("+1", "-1", "url")}
        | {"@type": {"type": "string"}, "type": {"type": "string"}},
    }
    issue = {"type": "object", "properties": {"title": {"type": "string"}, "reactions": ref("reaction-rollup")}}
    body = {"content": {"application/json": {"schema": ref("issue")}}}
    return spec(
        {"/issue": {"get": {"operationId": "getIssue", "responses": ok(ref("issue"))},
                    "post": {"operationId": "makeIssue", "requestBody": body, "responses": ok()}}},
        {"reaction-rollup": rollup, "issue": issue},
    )  # fmt: skip


def test_left_out_reasons_name_the_dropped_schema_and_its_cause(tmp_path: Path) -> None:
    """Where the generator only says "Could not find reference", the run names the schema and why it fell."""
    from codegen.client_causes import SYMPTOM, explain, schema_causes
    from codegen.client_gen import LeftOut

    doc = reactions_document()
    data = parse(doc, tmp_path)
    assert any(SYMPTOM in p for p in problems(doc, tmp_path))
    causes = schema_causes(data)
    assert causes["#/components/schemas/issue"][0] == "#/components/schemas/reaction-rollup"
    assert "same python_name" in causes["#/components/schemas/issue"][1]
    item = explain(LeftOut("POST /issue", SYMPTOM), doc, causes)
    assert item.reason.startswith(
        "#/components/schemas/issue was not generated, as #/components/schemas/reaction-rollup was not: Properties"
    )
    narrowed = explain(LeftOut("GET /issue", f"Cannot parse response for status code 200 ({SYMPTOM})"), doc, causes)
    assert "#/components/schemas/reaction-rollup was not" in narrowed.reason
    assert explain(LeftOut("GET /issue", "other reason"), doc, causes).reason == "other reason"


def test_properties_differing_only_in_symbols_keep_their_wire_names(tmp_path: Path) -> None:
    """`+1`/`-1` and `@type`/`type` become `plus_1`, `minus_1`, `at_type`, `type` in Python, and stay `+1`,
    `-1`, `@type` on the wire: a real call against a loopback server, both ways."""
    import importlib
    import sys

    from test_client_support import LoopbackServer, Reply

    (tmp_path / "s.json").write_text(json.dumps(reactions_document()))
    result = run_codegen("generate", "--spec", str(tmp_path / "s.json"), "--out", str(tmp_path / "o"), "--name", "gh")
    assert result.returncode == 0, result.stderr
    assert "generated 2 of 2 operations" in result.stderr and "narrowed" not in result.stderr
    sys.path.insert(0, str(tmp_path / "o/gh-client"))
    try:
        package = importlib.import_module("gh_client")
        reactions = {"+1": 3, "-1": 1, "@type": "Rollup", "type": "summary", "url": "u"}
        with LoopbackServer() as server:
            server.replies("GET", "/issue", Reply(body={"title": "t", "reactions": reactions}))
            client = package.Gh(base_url=server.url)
            issue = client.issue.list()  # untagged: resource `issue`; GET of a collection: list
            assert (issue.reactions.plus_1, issue.reactions.minus_1) == (3, 1)
            assert (issue.reactions.at_type, issue.reactions.type_) == ("Rollup", "summary")
            client.issue.make(body=issue)
            assert server.requests_to("POST", "/issue")[0].json() == {"title": "t", "reactions": reactions}
    finally:
        sys.path.remove(str(tmp_path / "o/gh-client"))
        for name in [n for n in sys.modules if n == "gh_client" or n.startswith("gh_client.")]:
            del sys.modules[name]


def test_nullable_at_use_sites(tmp_path: Path) -> None:
    """Azure's `ObjectHierarchy` (a nullable object whose `parent` is itself) and a nullable object extended by
    allOf: both dropped by the parser ("Invalid property in union", "Cannot take allOf a non-object")."""
    hierarchy = {"type": "object", "nullable": True, "properties": {"parent": ref("ObjectHierarchy")}}
    owner = {"type": "object", "nullable": True, "properties": {"id": {"type": "string"}}}
    doc = spec(
        {"/a": {"get": {"operationId": "a", "responses": ok(ref("ObjectHierarchy"))}},
         "/b": {"get": {"operationId": "b", "responses": ok(ref("Repo"))}}},
        {"ObjectHierarchy": hierarchy, "Owner": owner,
         "Repo": {"allOf": [ref("Owner"), {"type": "object", "properties": {"owner": ref("Owner")}}]}},
    )  # fmt: skip
    found = problems(doc, tmp_path)
    assert any("Invalid property in union" in p for p in found) and any("non-object" in p for p in found)
    assert apply(tp.nullable_at_use_sites, doc) == 5
    wrapped = {"nullable": True, "allOf": [ref("ObjectHierarchy")]}
    assert hierarchy == {"type": "object", "properties": {"parent": wrapped}}
    assert doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == wrapped
    repo = doc["components"]["schemas"]["Repo"]
    assert repo["allOf"][0] == ref("Owner")  # extending: the object part
    assert repo["allOf"][1]["properties"]["owner"] == {"nullable": True, "allOf": [ref("Owner")]}
    assert problems(doc, tmp_path) == []
