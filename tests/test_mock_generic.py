"""The mock of any spec: odd names and shapes still give an importable app that routes and validates.

One inline document collects what real specs do: path parameters with dashes, dots and `{+name}`,
parameters named like keywords or like the stub's own variables, one name in query and header,
schemas the model generator renames, operations without operationId, form bodies, named examples,
`4XX`/`default`/204 responses, required response headers, security alternatives, a concrete path
declared after its templated twin, and AWS-style `/#Action=…` paths. It is generated
through the CLI and served by uvicorn on 127.0.0.1; a handler echoes what the stub received.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import run_codegen
from mock_process import imported_package, serving_app

SPEC = """
openapi: 3.0.3
info: {title: "Odd \\"quoted\\" API", version: "1.0"}
security: [{bearer: []}, {key: []}]
paths:
  /items/{item-id}/v{api.version}:
    parameters:
      - {name: item-id, in: path, required: true, schema: {type: integer, minimum: 1}}
      - {name: api.version, in: path, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: class, in: query, schema: {type: string, enum: [a, b]}}
        - {name: id, in: query, schema: {type: integer, maximum: 10}}
        - {name: id, in: header, schema: {type: string}}
        - {name: request, in: query, schema: {type: boolean}}
        - {name: level, in: query, schema: {type: integer, enum: [0, 1, 2]}}
        - {name: tags, in: query, schema: {type: array, items: {type: integer}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, minLength: 2}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ListResponse_Item_"}
              examples:
                one: {value: {items: [{id: 1, name: one}], total: 1}}
                empty: {$ref: "#/components/examples/Empty"}
        4XX:
          description: client error
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
              examples:
                gone: {value: {title: gone, status: 410}}
    delete:
      operationId: delete
      responses:
        "204": {description: deleted}
  /items:
    post:
      operationId: Create Item!
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/item-model"}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string, format: uri}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
    put:
      operationId: list
      security: []
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {a: {type: string}}}
      responses:
        "200":
          description: text
          content:
            text/plain:
              schema: {type: string}
              example: hello
  /files/{+path}:
    get:
      operationId: get-file
      parameters:
        - {name: +path, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: bytes
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
  /users/{id}:
    get:
      operationId: getUser
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: a user, content: {application/json: {example: {user: by-id}}}}}
  /users/me:
    get:
      operationId: getMe
      security: []
      responses: {"200": {description: me, content: {application/json: {example: {user: me}}}}}
  /#Action=Describe:
    get:
      security: []
      responses: {"200": {description: d, content: {application/json: {example: {action: describe}}}}}
  /#Action=List:
    get:
      security: []
      responses: {"200": {description: l, content: {application/json: {example: {action: list}}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: query, name: api_key}
  examples:
    Empty: {value: {items: [], total: 0}}
  schemas:
    item-model:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        class: {type: string}
    Item:
      allOf:
        - $ref: "#/components/schemas/item-model"
        - type: object
          required: [id]
          properties:
            id: {type: integer, minimum: 1}
    ListResponse_Item_:
      type: object
      required: [items, total]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Item"}}
        total: {type: integer}
    Problem:
      type: object
      required: [title]
      properties:
        title: {type: string}
        status: {type: integer}
    BaseModel:
      type: object
      properties: {x: {type: integer}}
"""

BEARER = {"Authorization": "Bearer t0ken"}
ITEM = "/items/7/vbeta.2"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    spec = folder / "odd.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(folder / "out"), "--name", "odd", timeout=300)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "odd-mock"


@pytest.fixture(scope="module")
def served(dist: Path) -> Iterator[tuple[Any, str]]:
    """(app, URL): the generated app, with `echo` answering the item operation."""
    with imported_package(dist, "odd_mock") as package:
        app = package.create_app()
        with serving_app(app) as url:
            yield app, url


def echo(call: Any) -> dict[str, Any]:
    return {"path": call.path, "query": call.query, "header": call.header}


def test_odd_names_reach_the_stub_under_the_specs_names(served: tuple[Any, str]) -> None:
    app, url = served
    with app.state.handlers.overridden("get_items_item_id_v_api_version", echo):
        response = httpx.get(
            f"{url}{ITEM}",
            params={"class": "b", "id": "3", "request": "true", "level": "2", "tags": ["1", "2"], "filter[x]": "y"},
            headers={**BEARER, "id": "header-id", "X-Trace": "abc"},
            timeout=10,
        )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "path": {"item-id": 7, "api.version": "beta.2"},
        "query": {"class": "b", "id": 3, "request": True, "level": 2, "tags": [1, 2], "filter": {"x": "y"}},
        "header": {"id": "header-id", "X-Trace": "abc"},
    }


@pytest.mark.parametrize(
    ("url_path", "params", "headers", "loc"),
    [
        ("/items/0/v1", {}, {"X-Trace": "abc"}, ["path", "item_id"]),  # minimum 1
        (ITEM, {"class": "c"}, {"X-Trace": "abc"}, ["query", "class"]),  # enum
        (ITEM, {"id": "11"}, {"X-Trace": "abc"}, ["query", "id"]),  # maximum 10
        (ITEM, {"tags": "x"}, {"X-Trace": "abc"}, ["query", "tags", 0]),
        (ITEM, {}, {}, ["header", "X-Trace"]),  # required
        (ITEM, {}, {"X-Trace": "a"}, ["header", "X-Trace"]),  # minLength 2
    ],
)
def test_parameters_are_validated(
    served: tuple[Any, str], url_path: str, params: dict[str, str], headers: dict[str, str], loc: list[Any]
) -> None:
    _, url = served
    response = httpx.get(f"{url}{url_path}", params=params, headers={**BEARER, **headers}, timeout=10)
    assert response.status_code == 422, response.text
    assert [item["loc"] for item in response.json()["detail"]] == [loc]


def test_named_examples_and_ranges(served: tuple[Any, str]) -> None:
    _, url = served
    headers = {**BEARER, "X-Trace": "abc"}
    default = httpx.get(f"{url}{ITEM}", headers=headers, timeout=10)
    assert default.json() == {"items": [{"id": 1, "name": "one"}], "total": 1}  # the first named example
    empty = httpx.get(f"{url}{ITEM}", headers={**headers, "Prefer": "example=empty"}, timeout=10)
    assert empty.status_code == 200 and empty.json() == {"items": [], "total": 0}
    gone = httpx.get(f"{url}{ITEM}", headers={**headers, "Prefer": "code=404, example=gone"}, timeout=10)
    assert gone.status_code == 404  # the `4XX` entry documents every 4xx code
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.json() == {"title": "gone", "status": 410}
    hint = httpx.get(f"{url}{ITEM}", headers={**headers, "Prefer": "example=gone"}, timeout=10)
    assert hint.status_code == 400 and "code=4XX" in hint.json()["detail"]
    assert httpx.get(f"{url}{ITEM}", headers={**headers, "Prefer": "code=500"}, timeout=10).status_code == 400


def test_security_alternatives(served: tuple[Any, str]) -> None:
    _, url = served
    headers = {"X-Trace": "abc"}
    refused = httpx.get(f"{url}{ITEM}", headers=headers, timeout=10)
    assert refused.status_code == 401 and "Authorization" in refused.json()["detail"]
    assert httpx.get(f"{url}{ITEM}", headers={**headers, "Authorization": "Basic eDp5"}).status_code == 401
    assert httpx.get(f"{url}{ITEM}", params={"api_key": "k"}, headers=headers, timeout=10).status_code == 200
    assert httpx.put(f"{url}/items", data={"a": "b"}, timeout=10).status_code == 200  # `security: []`


def test_bodies_responses_and_routes(served: tuple[Any, str]) -> None:
    _, url = served
    created = httpx.post(f"{url}/items", json={"name": "n"}, headers=BEARER, timeout=10)
    assert created.status_code == 201
    assert created.json() == {"name": "string", "id": 1}  # minimal instance of an allOf
    assert created.headers["location"] == "https://example.com"  # a required response header
    invalid = httpx.post(f"{url}/items", json={"name": ""}, headers=BEARER, timeout=10)
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["body", "name"]
    assert httpx.post(f"{url}/items", json={"name": "n"}, headers={**BEARER, "Prefer": "code=409"}).status_code == 409
    text = httpx.put(f"{url}/items", content=b"a=b", timeout=10)  # form body: accepted unvalidated
    assert text.status_code == 200 and text.text == "hello" and text.headers["content-type"].startswith("text/plain")
    deleted = httpx.delete(f"{url}{ITEM}", headers=BEARER, timeout=10)
    assert deleted.status_code == 204 and deleted.content == b""
    file = httpx.get(f"{url}/files/a/b/c.txt", headers=BEARER, timeout=10)  # `{+path}` spans slashes
    assert file.status_code == 200 and file.headers["content-type"] == "application/octet-stream"
    assert httpx.patch(f"{url}/items", headers=BEARER, timeout=10).status_code == 405
    assert httpx.get(f"{url}/items/7", headers=BEARER, timeout=10).status_code == 404


def test_handlers_take_names_and_operation_ids(served: tuple[Any, str]) -> None:
    app, _ = served
    registry = app.state.handlers
    assert "list" in registry.operations and "create_item" in registry.operations
    assert registry.resolve("list") == "list" and registry.resolve("Create Item!") == "create_item"


def test_concrete_paths_win_and_fragments_pick_the_operation(served: tuple[Any, str]) -> None:
    _, url = served
    assert httpx.get(f"{url}/users/me", timeout=10).json() == {"user": "me"}  # declared after /users/{id}
    assert httpx.get(f"{url}/users/3", timeout=10).json() == {"user": "by-id"}
    assert httpx.get(f"{url}/users/x", timeout=10).status_code == 422
    assert httpx.get(f"{url}/", params={"Action": "List"}, timeout=10).json() == {"action": "list"}
    assert httpx.get(f"{url}/", params={"Action": "Describe"}, timeout=10).json() == {"action": "describe"}
    assert httpx.get(f"{url}/", params={"Action": "Delete"}, timeout=10).status_code == 404
