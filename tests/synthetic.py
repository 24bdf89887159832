"""A synthetic OpenAPI 3.1 document of any size, for tests and for measuring how the pipeline and the
generated client scale (`python tests/synthetic.py 5000 out.json` writes one).

Operations come in resources of five, shaped like a payments API without tags: for `/v1/res<R>`
list (cursor-paginated), create, and for `/v1/res<R>/{id}` retrieve, update and delete, with
operationIds that spell the method and the path (`GetRes3`, `DeleteRes3Id`); retrieve takes an
array query parameter (`expand`). Schemas are objects
`Model<N>` with a string, an integer, a date-time, an enum and, from the second on, a reference to
an earlier model; the operations use them round-robin, so every schema is reachable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OPERATIONS_PER_RESOURCE = 5


def _model(number: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "string"},
        "amount": {"type": "integer", "minimum": 0},
        "created": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": ["active", "paused", f"state_{number % 7}"]},
    }
    if number:
        properties["parent"] = {"$ref": f"#/components/schemas/Model{number // 2}"}
    return {"type": "object", "required": ["id", "amount"], "properties": properties}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ref(number: int, schemas: int) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/Model{number % schemas}"}


def _resource(number: int, count: int, schemas: int, tags: bool) -> dict[str, dict[str, Any]]:
    """The paths of resource `res<number>`: its first `count` (≤ 5) operations, in list-create-retrieve-
    update-delete order."""
    name = f"Res{number}"
    model = _ref(number, schemas)
    ok = {"200": {"description": "ok", "content": _json(model)}}
    page = {
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"type": "array", "items": model}, "next": {"type": ["string", "null"]}},
    }
    item_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    cursor = {"name": "cursor", "in": "query", "schema": {"type": "string"}}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    expand = {"name": "expand", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    operations: list[tuple[str, str, dict[str, Any]]] = [
        ("", "get", {"operationId": f"Get{name}", "parameters": [cursor, limit],
                     "responses": {"200": {"description": "a page", "content": _json(page)}}}),
        ("", "post", {"operationId": f"Post{name}", "requestBody": {"required": True, "content": _json(model)},
                      "responses": ok}),
        ("/{id}", "get", {"operationId": f"Get{name}Id", "parameters": [item_id, expand], "responses": ok}),
        ("/{id}", "post", {"operationId": f"Post{name}Id", "parameters": [item_id],
                           "requestBody": {"content": _json(model)}, "responses": ok}),
        ("/{id}", "delete", {"operationId": f"Delete{name}Id", "parameters": [item_id],
                             "responses": {"204": {"description": "deleted"}}}),
    ]  # fmt: skip
    paths: dict[str, dict[str, Any]] = {}
    for suffix, method, operation in operations[:count]:
        if tags:
            operation = {"tags": [name.lower()], **operation}
        paths.setdefault(f"/v1/{name.lower()}{suffix}", {})[method] = operation
    return paths


def synthetic_document(operations: int, schemas: int, *, tags: bool = False) -> dict[str, Any]:
    """An OpenAPI 3.1 document of exactly `operations` operations and `schemas` component schemas
    (both ≥ 1); operations tagged by resource when `tags`, else untagged (grouped by path)."""
    if operations < 1 or schemas < 1:
        raise ValueError("a synthetic document needs at least one operation and one schema")
    paths: dict[str, dict[str, Any]] = {}
    for number in range(-(-operations // OPERATIONS_PER_RESOURCE)):
        count = min(OPERATIONS_PER_RESOURCE, operations - number * OPERATIONS_PER_RESOURCE)
        paths.update(_resource(number, count, schemas, tags))
    return {
        "openapi": "3.1.0",
        "info": {"title": f"Synthetic API of {operations} operations", "version": "1.0.0"},
        "servers": [{"url": "https://synthetic.test"}],
        "security": [{"Key": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"Key": {"type": "http", "scheme": "bearer"}},
            "schemas": {f"Model{number}": _model(number) for number in range(schemas)},
        },
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python tests/synthetic.py N OUT.json [SCHEMAS]", file=sys.stderr)
        return 2
    operations = int(argv[0])
    schemas = int(argv[2]) if len(argv) == 3 else operations
    Path(argv[1]).write_text(json.dumps(synthetic_document(operations, schemas), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
