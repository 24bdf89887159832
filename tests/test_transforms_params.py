"""Transforms of parameters, request bodies, defaults and class names (transforms_params.py, transforms_schemas.py).

Each transform is run on a small inline document and the result handed to openapi-python-client's own
parser: the point of each is that an operation the generator refused before is generated after. Then one
fixture (tests/fixtures/params_kinds_31.yaml) goes through the real CLI: every operation is generated, the
run says on `narrowed:` lines what it gave up, and the generated client calls the generated mock (under
uvicorn) through the operations the transforms made possible.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from codegen import transforms_params, transforms_schemas
from codegen.checks import find_bad_references
from codegen.document import iter_operations, path_shape
from codegen.transforms import Narrowed, run_transforms
from conftest import FIXTURES, run_codegen
from mock_process import imported_package, serving_app
from test_transforms import endpoint_count, parse, problems, spec


def ok() -> dict[str, Any]:
    return {"200": {"description": "ok"}}


def operation(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "responses": ok(), **extra}


def path_parameter(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


def apply(transform: Any, doc: dict[str, Any]) -> Any:
    """Run one transform; every operation stays (paths compared by shape: a template may be rewritten)."""
    shapes = sorted((path_shape(path).replace(".", ""), method) for path, method, _ in iter_operations(doc))
    result = transform(doc)
    assert sorted((path_shape(path).replace(".", ""), method) for path, method, _ in iter_operations(doc)) == shapes
    assert find_bad_references(doc) == []
    return result


def left_out(doc: dict[str, Any], tmp_path: Path) -> list[str]:
    """The generator's reasons for operations it leaves out."""
    return [p for p in problems(doc, tmp_path) if "Endpoint will not be generated" in p]


# --- path templates --------------------------------------------------------------------------------------


def test_match_path_templates(tmp_path: Path) -> None:
    doc = spec(
        {
            # RFC 6570 label expansion, its parameter named with the operator (as a converter writes it)
            "/projects{.format}": {
                "get": operation(
                    "listProjects",
                    parameters=[
                        path_parameter(".format"),
                        {"name": "format", "in": "query", "schema": {"type": "string"}},
                    ],
                )
            },
            "/items/{itemId}": {"get": operation("getItem")},  # no parameter declared
            "/users": {"get": operation("listUsers", parameters=[path_parameter("userId")])},  # nowhere to go
            "/orders/{orderId}": {"get": operation("getOrder", parameters=[path_parameter("orderid")])},
            # a name OpenAPI allows is kept as written (the mock hands it to stubs under that name)
            "/files/{+file.name}": {"get": operation("getFile", parameters=[path_parameter("+file.name")])},
        }
    )
    assert len(left_out(doc, tmp_path)) == 5
    assert all("Incorrect path templating" in reason for reason in left_out(doc, tmp_path))

    narrowed = apply(transforms_params.match_path_templates, doc)

    assert list(doc["paths"]) == [
        "/projects.{format}",
        "/items/{itemId}",
        "/users",
        "/orders/{orderId}",
        "/files/{+file.name}",
    ]
    assert [reason.split(". ")[-1] for reason in left_out(doc, tmp_path)] == [
        "Incorrect path templating for /files/{+file.name} (Path parameters do not match with path)"
    ]  # the client generator's own limit on names, not a mismatch
    assert endpoint_count(doc, tmp_path) == 4
    assert [(n.where, n.reason.split(":")[0]) for n in narrowed] == [
        ("GET /projects{.format}", "{.format} is an RFC 6570 expression, not OpenAPI path templating"),
        ("GET /items/{itemId}", "{itemId} has no declared parameter"),
        ("GET /users", "path parameter `userId` is not in the path"),
        ("GET /orders/{orderId}", "path parameter `orderid` taken for {orderId}"),
    ]
    assert doc["paths"]["/items/{itemId}"]["get"]["parameters"] == [path_parameter("itemId")]
    assert "parameters" not in doc["paths"]["/users"]["get"]
    assert doc["paths"]["/files/{+file.name}"]["get"]["parameters"] == [path_parameter("+file.name")]


def test_match_path_templates_keeps_shared_parameters_and_skips_a_clean_document() -> None:
    shared = {"name": "orgId", "in": "path", "required": True, "schema": {"type": "integer"}}
    doc = spec(
        {
            "/orgs/{orgId}/teams/{teamId}": {
                "parameters": [{"$ref": "#/components/parameters/OrgId"}, {"name": "q", "in": "query", "schema": {}}],
                "get": operation("listTeam"),
                "delete": operation("deleteTeam", parameters=[path_parameter("teamId")]),
            },
            "/orgs/{orgId}": {"get": operation("getOrg", parameters=[{"$ref": "#/components/parameters/OrgId"}])},
        },
        parameters={"OrgId": shared},
    )
    narrowed = apply(transforms_params.match_path_templates, doc)
    item = doc["paths"]["/orgs/{orgId}/teams/{teamId}"]
    assert [n.where for n in narrowed] == ["GET /orgs/{orgId}/teams/{teamId}"]  # teamId was undeclared for GET
    assert item["parameters"] == [{"name": "q", "in": "query", "schema": {}}]  # path ones moved to operations
    assert item["get"]["parameters"] == [shared, path_parameter("teamId")]
    assert item["delete"]["parameters"] == [path_parameter("teamId"), shared]
    assert doc["components"]["parameters"]["OrgId"] == shared
    assert doc["paths"]["/orgs/{orgId}"]["get"]["parameters"] == [{"$ref": "#/components/parameters/OrgId"}]
    assert apply(transforms_params.match_path_templates, doc) == []


# --- nullable path parameters ----------------------------------------------------------------------------


def test_non_null_path_parameters(tmp_path: Path) -> None:
    nullable_id = {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}
    cases: dict[str, dict[str, Any]] = {
        "a": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "either"},
        "b": {"type": ["integer", "null"]},
        "c": {"$ref": "#/components/schemas/Id"},
        "d": {"type": ["string", "null"], "enum": ["x", "y", None]},
        "e": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
    }
    doc = spec(
        {f"/{k}/{{id}}": {"get": operation(k, parameters=[path_parameter("id", s)])} for k, s in cases.items()},
        {"Id": nullable_id, "Thing": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Id"}}}},
    )
    doc["openapi"] = "3.1.0"
    assert len(left_out(doc, tmp_path)) == 5
    assert all("is not allowed in path" in reason for reason in left_out(doc, tmp_path))

    assert apply(transforms_params.non_null_path_parameters, doc) == 5

    assert left_out(doc, tmp_path) == []
    schemas = [doc["paths"][f"/{k}/{{id}}"]["get"]["parameters"][0]["schema"] for k in cases]
    assert schemas == [
        {"type": "string", "description": "either"},
        {"type": "integer"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "enum": ["x", "y"]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    ]
    assert doc["components"]["schemas"]["Id"] == nullable_id  # still nullable where a body uses it


def test_non_null_path_parameters_of_a_30_document(tmp_path: Path) -> None:
    doc = spec(
        {"/a/{id}": {"get": operation("a", parameters=[{"$ref": "#/components/parameters/Id"}])}},
        parameters={"Id": path_parameter("id", {"type": "string", "nullable": True})},
    )
    assert len(left_out(doc, tmp_path)) == 1
    assert apply(transforms_params.non_null_path_parameters, doc) == 1
    assert doc["components"]["parameters"]["Id"]["schema"] == {"type": "string"}
    assert endpoint_count(doc, tmp_path) == 1


# --- parameters by content, bodies without a schema ------------------------------------------------------


def test_content_parameters_as_text(tmp_path: Path) -> None:
    json_filter = {"application/json": {"schema": {"type": "object", "properties": {"owner": {"type": "string"}}}}}
    doc = spec(
        {
            "/search": {
                "get": operation(
                    "search",
                    parameters=[
                        {"name": "filter", "in": "query", "required": True, "content": json_filter},
                        {"name": "q", "in": "query", "content": {"text/plain": {"schema": {"type": "string"}}}},
                    ],
                )
            }
        }
    )

    def query_names() -> list[str]:
        (collection,) = parse(doc, tmp_path).endpoint_collections_by_tag.values()
        return [str(p.name.get_untrusted_value()) for p in collection.endpoints[0].query_parameters]

    assert query_names() == []  # the generator drops a `content` parameter without a word

    narrowed = apply(transforms_params.content_parameters_as_text, doc)

    assert query_names() == ["filter", "q"]
    parameters = doc["paths"]["/search"]["get"]["parameters"]
    assert [p["schema"] for p in parameters] == [{"type": "string"}, {"type": "string"}]
    assert all("content" not in p for p in parameters)
    assert narrowed == [
        Narrowed(
            "#/paths/~1search/get/parameters/0",
            "parameter `filter` is application/json text: typed as a string the caller serialises",
        )
    ]


def test_schema_for_bare_media_types(tmp_path: Path) -> None:
    def bare(content_type: str) -> dict[str, Any]:
        return {"requestBody": {"required": True, "content": {content_type: {}}}}

    kinds = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream"]
    doc = spec({f"/b{i}": {"post": operation(f"b{i}", **bare(kind))} for i, kind in enumerate(kinds)})
    assert [reason.rsplit(". ", 1)[-1] for reason in left_out(doc, tmp_path)] == ["Missing schema"] * 4

    assert apply(transforms_params.schema_for_bare_media_types, doc) == 4

    assert left_out(doc, tmp_path) == []
    assert endpoint_count(doc, tmp_path) == 4
    schemas = [doc["paths"][f"/b{i}"]["post"]["requestBody"]["content"][kind]["schema"] for i, kind in enumerate(kinds)]
    assert schemas == [{}, {"type": "object"}, {"type": "object"}, {"type": "string", "format": "binary"}]


# --- defaults -----------------------------------------------------------------------------------------------


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema}


def test_coerce_spelled_defaults(tmp_path: Path) -> None:
    spelled: dict[str, tuple[dict[str, Any], Any]] = {
        "pages": ({"type": "integer", "enum": [1, 2], "default": "1"}, 1),
        "ratio": ({"type": "number", "default": "1.5"}, 1.5),
        "whole": ({"type": "integer", "default": 3.0}, 3),
        "flag": ({"type": "boolean", "default": "TRUE"}, True),
        "label": ({"type": "string", "default": 5}, "5"),
        "either": ({"type": ["integer", "null"], "default": "7"}, 7),
    }
    doc = spec({"/a": {"get": operation("a", parameters=[query(k, s) for k, (s, _) in spelled.items()])}})
    doc["openapi"] = "3.1.0"
    assert len(left_out(doc, tmp_path)) == 1  # "Cannot convert 1 to enum": a string is no member of an int enum

    assert apply(transforms_schemas.coerce_spelled_defaults, doc) == len(spelled)

    assert [p["schema"]["default"] for p in doc["paths"]["/a"]["get"]["parameters"]] == [v for _, v in spelled.values()]
    assert isinstance(doc["paths"]["/a"]["get"]["parameters"][3]["schema"]["default"], bool)
    assert endpoint_count(doc, tmp_path) == 1
    assert apply(transforms_schemas.coerce_spelled_defaults, doc) == 0


def test_drop_unfit_defaults(tmp_path: Path) -> None:
    unfit = [
        query("count", {"type": "integer", "default": ""}),
        query("id", {"type": "string", "format": "uuid", "default": "notauuid"}),
        query("other", {"type": "string", "format": "uuid", "default": 3}),
        query("day", {"type": "string", "format": "date", "default": "today"}),
        query("order", {"type": "string", "enum": ["asc", "desc"], "default": "newest"}),
        query("flag", {"type": "boolean", "default": "yes"}),
    ]
    fit = [
        query("limit", {"type": "integer", "default": 10}),
        query("since", {"type": "string", "format": "date-time", "default": "2024-03-01T00:00:00+00:00"}),
        query("key", {"type": "string", "format": "uuid", "default": "0b3e4c8e-8a58-4b43-9bd0-8e0d5c8f0a11"}),
        query("none", {"type": "integer", "default": None}),
    ]
    union = {
        "type": "object",
        "properties": {
            "shape": {
                "anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string"}],
                "default": {"a": "x"},
            },
            "fixed": {"const": "x", "default": "y"},
            "meta": {"allOf": [{"$ref": "#/components/schemas/Meta"}], "default": {}},
        },
    }
    meta = {"type": "object", "properties": {"name": {"type": "string"}}}
    doc = spec({"/a": {"get": operation("a", parameters=unfit + fit)}}, {"Shape": union, "Meta": meta})
    doc["openapi"] = "3.1.0"
    assert len(left_out(doc, tmp_path)) == 1
    assert any("Unable to process schema /components/schemas/Shape" in p for p in problems(doc, tmp_path))

    narrowed = apply(transforms_schemas.drop_unfit_defaults, doc)

    assert problems(doc, tmp_path) == []
    assert endpoint_count(doc, tmp_path) == 1
    parameters = doc["paths"]["/a"]["get"]["parameters"]
    assert ["default" in p["schema"] for p in parameters] == [False] * len(unfit) + [True] * len(fit)
    assert [(n.where, n.reason) for n in narrowed] == [
        (
            "#/components/schemas/Shape/properties/shape",
            'default {"a": "x"} does not fit a union (the client holds no default for an object member): left out',
        ),
        ("#/components/schemas/Shape/properties/fixed", 'default "y" does not fit the const: left out'),
        (
            "#/components/schemas/Shape/properties/meta",
            "default {} does not fit an allOf of objects (the client holds no default for a class): left out",
        ),
        ("#/paths/~1a/get/parameters/0/schema", 'default "" does not fit type integer: left out'),
        ("#/paths/~1a/get/parameters/1/schema", 'default "notauuid" does not fit string format uuid: left out'),
        ("#/paths/~1a/get/parameters/2/schema", "default 3 does not fit string format uuid: left out"),
        ("#/paths/~1a/get/parameters/3/schema", 'default "today" does not fit string format date: left out'),
        ("#/paths/~1a/get/parameters/4/schema", 'default "newest" does not fit the enum: left out'),
        ("#/paths/~1a/get/parameters/5/schema", 'default "yes" does not fit type boolean: left out'),
    ]


# --- inline class names -------------------------------------------------------------------------------------


def unset_or(schema: dict[str, Any]) -> dict[str, Any]:
    """The payments-API idiom: an object, or the empty string that unsets the field."""
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


def test_title_colliding_operation_models(tmp_path: Path) -> None:
    address = {"title": "address_param", "type": "object", "properties": {"city": {"type": "string"}}}
    form = {
        "type": "object",
        "properties": {
            "address": unset_or(copy.deepcopy(address)),
            "billing_address": unset_or(copy.deepcopy(address)),
            "owner": {
                "title": "owner_param",
                "type": "object",
                "properties": {"home": copy.deepcopy(address), "work": unset_or(copy.deepcopy(address))},
            },
            "items": {"type": "array", "items": {"title": "address_param", "type": "object", "properties": {}}},
        },
    }
    error = {
        "title": "ErrorWithContext",
        "type": "object",
        "properties": {
            "context": {"type": "array", "items": {"type": "object", "properties": {"f": {"type": "string"}}}}
        },
    }
    doc = spec(
        {
            "/customers": {
                "post": operation(
                    "createCustomer",
                    requestBody={"content": {"application/x-www-form-urlencoded": {"schema": form}}},
                ),
            },
            "/orders": {
                "post": operation(
                    "placeOrder",
                    responses={
                        "201": {"description": "placed"},
                        "409": {"description": "duplicate", "content": {"application/json": {"schema": error}}},
                        "422": {
                            "description": "invalid",
                            "content": {"application/json": {"schema": copy.deepcopy(error)}},
                        },
                    },
                )
            },
        }
    )
    before = problems(doc, tmp_path)
    assert any("Invalid property in union" in p for p in before)  # POST /customers left out
    assert any('duplicate models with name "PlaceOrderErrorWithContextContextItem"' in p for p in before)

    assert apply(transforms_schemas.title_colliding_operation_models, doc) == 4

    assert problems(doc, tmp_path) == []  # every operation, every response
    assert endpoint_count(doc, tmp_path) == 2
    titles = doc["paths"]["/customers"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert titles["properties"]["billing_address"]["anyOf"][0]["title"] == "address_param model"
    assert titles["properties"]["items"]["items"]["title"] == "address_param model 2"
    assert apply(transforms_schemas.title_colliding_operation_models, doc) == 0


def response_of(name: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
    return {"200": {"description": "ok", "content": content}}


def schema_problems(doc: dict[str, Any], tmp_path: Path) -> list[str]:
    """The generator's errors for schemas it removes (and every schema and endpoint that uses them)."""
    return [str(e.detail) for e in parse(doc, tmp_path).errors]


def test_collapse_single_ref_unions(tmp_path: Path) -> None:
    entries = {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}}}}
    doc = spec(
        {"/outcome": {"get": operation("getOutcome", responses=response_of("Outcome"))}},
        {
            "Outcome": {
                "description": "what happened",
                "oneOf": [{"$ref": "#/components/schemas/Success"}],
                "discriminator": {"propertyName": "kind"},
            },
            "Success": {"type": "object", "properties": {"kind": {"type": "string"}, "entries": entries}},
            "Holder": {"type": "object", "properties": {"o": {"anyOf": [{"$ref": "#/components/schemas/Success"}]}}},
        },
    )
    assert any('duplicate models with name "SuccessEntriesItem"' in p for p in schema_problems(doc, tmp_path))

    assert apply(transforms_schemas.collapse_single_ref_unions, doc) == 1

    assert doc["components"]["schemas"]["Outcome"] == {
        "description": "what happened",
        "$ref": "#/components/schemas/Success",
    }
    assert "anyOf" in doc["components"]["schemas"]["Holder"]["properties"]["o"]  # inline ones parse as they are
    assert schema_problems(doc, tmp_path) == []
    assert problems(doc, tmp_path) == []  # the response is typed, not omitted


def test_copy_titled_aliases(tmp_path: Path) -> None:
    address = {"title": "Postal Address", "type": "object", "properties": {"line": {"type": "string"}}}
    doc = spec(
        {"/a": {"get": operation("getA", responses=response_of("Shipping"))}},
        {
            "Address": address,
            "Shipping": {"$ref": "#/components/schemas/Address", "description": "where it goes"},
            "Plain": {"$ref": "#/components/schemas/Untitled"},
            "Untitled": {"type": "object"},
        },
    )
    assert any('duplicate models with name "PostalAddress"' in p for p in schema_problems(doc, tmp_path))
    assert any("Could not find reference" in p for p in problems(doc, tmp_path))  # the response is omitted

    assert apply(transforms_schemas.copy_titled_aliases, doc) == 1

    assert doc["components"]["schemas"]["Shipping"] == {**address, "description": "where it goes", "title": "Shipping"}
    assert doc["components"]["schemas"]["Plain"] == {"$ref": "#/components/schemas/Untitled"}  # its own class already
    assert schema_problems(doc, tmp_path) == []
    assert problems(doc, tmp_path) == []


# --- end to end: the CLI, the client and the mock ------------------------------------------------------------

SPEC = FIXTURES / "params_kinds_31.yaml"
STEM = "pkinds"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp(STEM)
    result = run_codegen("generate", "--spec", str(SPEC), "--out", str(folder), "--name", STEM, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder, result.stderr


@pytest.fixture(scope="module")
def client_package(generated: tuple[Path, str]) -> Iterator[ModuleType]:
    with imported_package(generated[0] / f"{STEM}-client", f"{STEM}_client") as imported:
        yield imported


@pytest.fixture(scope="module")
def mock_url(generated: tuple[Path, str]) -> Iterator[str]:
    """The generated mock under uvicorn; every operation echoes what it parsed."""
    with imported_package(generated[0] / f"{STEM}-mock", f"{STEM}_mock") as imported:
        app = imported.create_app()
        for name in app.state.handlers.operations:
            if name != "place_order":
                app.state.handlers.override(name, echo)
        with serving_app(app) as url:
            yield url


def echo(call: Any) -> dict[str, Any]:
    body = call.body.model_dump(mode="json", exclude_none=True) if hasattr(call.body, "model_dump") else call.body
    return {"path": call.path, "query": call.query, "body": body}


def test_every_operation_of_the_fixture_is_generated_and_the_run_says_what_it_narrowed(
    generated: tuple[Path, str],
) -> None:
    _, stderr = generated
    assert "generated 8 of 8 operations" in stderr
    assert "left out:" not in stderr
    narrowed = [line.strip() for line in stderr.splitlines() if line.strip().startswith("narrowed:")]
    assert narrowed == [
        "narrowed: GET /reports/{reportId}{.format}: {.format} is an RFC 6570 expression, not OpenAPI path"
        " templating: read as `.{format}`, a required value",
        "narrowed: GET /items/{itemId}: {itemId} has no declared parameter: `itemId`, a string",
        "narrowed: GET /users: path parameter `userId` is not in the path: left out",
        "narrowed: #/paths/~1search/get/parameters/0: parameter `filter` is application/json text: typed as a"
        " string the caller serialises",
        'narrowed: #/paths/~1listing/get/parameters/0/schema: default "" does not fit type integer: left out',
        'narrowed: #/paths/~1listing/get/parameters/1/schema: default "notauuid" does not fit string format uuid:'
        " left out",
        'narrowed: #/paths/~1listing/get/parameters/2/schema: default "newest" does not fit the enum: left out',
    ]


def test_the_effective_document_keeps_the_defaults_that_fit(generated: tuple[Path, str]) -> None:
    effective = json.loads((generated[0] / f"{STEM}.openapi.json").read_text(encoding="utf-8"))
    schemas = {p["name"]: p["schema"] for p in effective["paths"]["/listing"]["get"]["parameters"]}
    assert schemas == {
        "limit": {"type": "integer"},
        "after": {"type": "string", "format": "uuid"},
        "order": {"type": "string", "enum": ["asc", "desc"]},
        "pages": {"type": "integer", "default": 2},
    }


def test_the_client_reaches_the_mock_through_every_reshaped_operation(
    client_package: ModuleType, mock_url: str
) -> None:
    with client_package.Pkinds(base_url=mock_url, max_retries=0) as client:
        kinds = client.kinds
        report = kinds.with_raw_response.get_report("r-1", "json")
        assert report.http_response.url.path == "/reports/r-1.json"
        assert report.json()["path"] == {"reportId": "r-1", "format": "json"}
        assert kinds.with_raw_response.get_item("i 7").json()["path"] == {"itemId": "i 7"}
        assert kinds.with_raw_response.list_users(limit=3).json()["query"] == {"limit": 3}
        searched = kinds.with_raw_response.search(filter='{"owner":"ada"}').json()
        assert searched["query"] == {"filter": '{"owner":"ada"}'}
        assert kinds.with_raw_response.upload(body=[1, "two", None]).json()["body"] == [1, "two", None]
        assert kinds.with_raw_response.listing().json()["query"] == dict.fromkeys(["limit", "after", "order", "pages"])
        # the "unset" branch of a field: an empty string, sent as such
        created = kinds.with_raw_response.create_customer(name="Ada", billing_address="")
        assert created.http_response.request.content == b"name=Ada&billing_address="
        assert created.http_response.status_code == 200
    # the nested classes whose titles repeated are each generated, under distinct names
    models = client_package.models
    assert models.CreateCustomerBodyShippingFields.from_dict(
        {"address": {"city": "Lyon"}, "return_address": {"city": "Nice"}}
    ).return_address == models.CreateCustomerBodyShippingFieldsAddressFieldsModel(city="Nice")


def test_the_client_parses_both_error_responses_of_one_shape(client_package: ModuleType, mock_url: str) -> None:
    """Two equal inline error schemas with one title: both statuses parse into the one shared model (none is
    omitted; transforms_refs.share_repeated_inline_schemas)."""
    with client_package.Pkinds(base_url=mock_url, max_retries=0) as client:
        models = client_package.models
        for status, model in ((409, models.ErrorWithContext), (422, models.ErrorWithContext)):
            with pytest.raises(client_package.APIStatusError) as raised:
                client.kinds.place_order(sku="x", extra_headers={"Prefer": f"code={status}"})
            assert raised.value.status_code == status
            assert isinstance(raised.value.parsed, model)


def test_run_transforms_reports_what_the_parameter_transforms_narrowed() -> None:
    doc = spec({"/a/{id}": {"get": operation("a", parameters=[query("n", {"type": "integer", "default": "x"})])}})
    narrowed: list[Narrowed] = []
    counts = run_transforms(doc, narrowed)
    assert counts == {"match_path_templates": 1, "drop_unfit_defaults": 1}
    assert [n.where for n in narrowed] == ["GET /a/{id}", "#/paths/~1a~1{id}/get/parameters/0/schema"]
