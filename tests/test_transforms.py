"""Named spec transforms: each one on a small inline spec, then (where cheap) the client generator's verdict.

A transform must fix what it names, leave every operation in place, keep every `$ref` resolvable,
and do nothing to a document that does not need it.
"""

from __future__ import annotations

import copy
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from codegen import transforms
from codegen.checks import find_broken_refs
from codegen.client_gen import content_type_overrides
from codegen.document import iter_operations
from codegen.media_types import media_kind
from codegen.models_gen import drop_oversized_patterns
from codegen.spec_walk import iter_schemas
from codegen.transforms import TRANSFORMS, run_transforms
from conftest import run_codegen
from corpus_table import import_modules


def spec(
    paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **components: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths or {}}
    if schemas is not None or components:
        doc["components"] = {**({"schemas": schemas} if schemas is not None else {}), **components}
    return doc


def ok(schema: dict[str, Any] | None = None, content_type: str = "application/json") -> dict[str, Any]:
    """A 200 response, with a body of `schema` if given."""
    response: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        response["content"] = {content_type: {"schema": schema}}
    return {"200": response}


def get(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "responses": ok(), **extra}}


def post(operation_id: str, body: dict[str, Any], content_type: str = "application/json") -> dict[str, Any]:
    request = {"required": True, "content": {content_type: {"schema": body}}}
    return {"post": {"operationId": operation_id, "requestBody": request, "responses": ok()}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def parse(doc: dict[str, Any], tmp_path: Path) -> Any:
    """openapi-python-client's parse of `doc` (no files are written)."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(
        ConfigFile(post_hooks=[], content_type_overrides=content_type_overrides(doc)),
        MetaType.UV,
        document_source=tmp_path / "spec.json",
        file_encoding="utf-8",
        overwrite=False,
        output_path=tmp_path / "out",
    )
    return GeneratorData.from_dict(copy.deepcopy(doc), config=config)


def problems(doc: dict[str, Any], tmp_path: Path) -> list[str]:
    """Every schema error and every endpoint the generator leaves out or trims, as text."""
    data = parse(doc, tmp_path)
    found = [f"{e.header} {e.detail}" for e in data.errors]
    for collection in data.endpoint_collections_by_tag.values():
        found += [f"{e.header} {e.detail}" for e in collection.parse_errors]
    return found


def endpoint_count(doc: dict[str, Any], tmp_path: Path) -> int:
    data = parse(doc, tmp_path)
    return sum(len(c.endpoints) for c in data.endpoint_collections_by_tag.values())


def apply(transform: Any, doc: dict[str, Any]) -> int:
    """Run one transform and check what every transform promises: operations kept, refs resolvable."""
    operations = [(path, method) for path, method, _ in iter_operations(doc)]
    changed = transform(doc)
    assert [(path, method) for path, method, _ in iter_operations(doc)] == operations
    assert find_broken_refs(doc) == []
    return int(changed)


# --- the registry ------------------------------------------------------------------------------------------


def test_every_transform_is_registered_once_with_a_one_line_docstring() -> None:
    public = [
        f
        for name, f in inspect.getmembers(transforms, inspect.isfunction)
        if f.__module__ == transforms.__name__
        and not name.startswith("_")
        and "doc" in inspect.signature(f).parameters
        and name not in {"iter_schemas", "iter_bodies", "run_transforms"}
    ]
    assert sorted(f.__name__ for f in public) == sorted(f.__name__ for f in TRANSFORMS)
    assert len(set(TRANSFORMS)) == len(TRANSFORMS)
    for transform in TRANSFORMS:
        doc = (transform.__doc__ or "").strip()
        assert doc and "\n" not in doc, f"{transform.__name__} needs a one-line docstring"


def test_a_clean_document_is_left_alone() -> None:
    doc = spec(
        {
            "/items/{item_id}": get(
                "getItem",
                parameters=[{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
        {"Item": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}},
    )
    before = copy.deepcopy(doc)
    assert run_transforms(doc) == {}
    assert doc == before


def test_transforms_are_deterministic() -> None:
    doc = spec(
        {"/a": post("a", {"allOf": [ref("Id"), {"description": "x"}]})},
        {"Id": {"type": "string"}, "A": {"type": "object", "title": "B"}, "B": {"type": "object"}},
    )
    first, second = copy.deepcopy(doc), copy.deepcopy(doc)
    assert run_transforms(first) == run_transforms(second)
    assert first == second


def test_iter_schemas_skips_examples_and_reaches_nested_schemas() -> None:
    inner = {"type": "integer"}
    doc = spec(
        {"/a": get("a", responses=ok({"type": "object", "properties": {"n": inner}, "example": {"allOf": []}}))},
        {"S": {"type": "array", "items": {"anyOf": [{"type": "string"}]}}},
    )
    found = iter_schemas(doc)
    assert any(s is inner for s in found)
    assert {"allOf": []} not in found
    assert {"type": "string"} in found


# --- one test per transform -------------------------------------------------------------------------------


def test_apply_codegen_names() -> None:
    doc = spec({"/a": get("getA", **{"x-codegen-name": "fetch_a"})})
    assert apply(transforms.apply_codegen_names, doc) == 1
    assert doc["paths"]["/a"]["get"]["operationId"] == "fetch_a"


def test_stringify_enum_values(tmp_path: Path) -> None:
    state = {"type": "string", "enum": ["Start", True, False], "default": False}
    doc = spec({"/a": post("a", ref("Linkage"))}, {"Linkage": {"type": "object", "properties": {"state": state}}})
    assert any("same type" in p or "Got" in p for p in problems(doc, tmp_path))
    assert apply(transforms.stringify_enum_values, doc) == 2
    assert state == {"type": "string", "enum": ["Start", "true", "false"], "default": "false"}
    assert problems(doc, tmp_path) == []


def test_default_array_items(tmp_path: Path) -> None:
    ids: dict[str, Any] = {"type": "array"}
    seen: dict[str, Any] = {"type": ["array", "null"]}
    doc = spec({"/a": get("a", responses=ok({"type": "object", "properties": {"ids": ids, "seen": seen}}))})
    doc["openapi"] = "3.1.0"
    assert any("items" in p for p in problems(doc, tmp_path))
    assert apply(transforms.default_array_items, doc) == 2
    assert ids == {"type": "array", "items": {}}
    assert seen == {"type": ["array", "null"], "items": {}}
    assert problems(doc, tmp_path) == []


def test_fix_path_parameters(tmp_path: Path) -> None:
    parameters: list[dict[str, Any]] = [
        {
            "name": "format",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": ["xml", "json"], "default": "xml"},
        },
        {"name": "date", "in": "path", "schema": {"type": "string"}},
    ]
    doc = spec({"/{format}/news/{date}": get("news", parameters=parameters)})
    assert apply(transforms.fix_path_parameters, doc) == 2
    assert "default" not in parameters[0]["schema"]
    assert parameters[1]["required"] is True
    assert endpoint_count(doc, tmp_path) == 1


def test_widen_header_parameters(tmp_path: Path) -> None:
    parameters = [
        {"name": "X-Date", "in": "header", "schema": {"type": "string", "format": "date", "description": "a day"}},
        {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "X-Version", "in": "header", "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
        {"name": "X-Mode", "in": "header", "schema": ref("Mode")},
    ]
    doc = spec({"/a": get("a", parameters=parameters)}, {"Mode": {"type": "string", "enum": ["a", "b"]}})
    assert endpoint_count(doc, tmp_path) == 0
    assert apply(transforms.widen_header_parameters, doc) == 2
    assert parameters[0]["schema"] == {"type": "string", "description": "a day"}
    assert parameters[1]["schema"] == {"type": "string"}
    assert parameters[2]["schema"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}  # sendable: kept
    assert parameters[3]["schema"] == ref("Mode")
    assert endpoint_count(doc, tmp_path) == 1


def test_collapse_annotated_allof(tmp_path: Path) -> None:
    layers: dict[str, Any] = {"allOf": [ref("LayerList"), {"description": "the layers"}]}
    doc = spec(
        {"/a": post("a", ref("Request"))},
        {
            "LayerList": {"type": "array", "items": {"type": "string"}},
            "ResourceId": {"type": "string"},
            "Request": {"type": "object", "properties": {"layers": layers}},
            "AddressId": {"allOf": [ref("ResourceId"), {"type": "string"}]},  # named, but not a model: collapsed
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Derived": {"allOf": [ref("Base"), {"description": "named and extends a model: kept"}]},
        },
    )
    assert any("allOf a non-object" in p for p in problems(doc, tmp_path))
    assert apply(transforms.collapse_annotated_allof, doc) == 2
    assert layers == {"$ref": "#/components/schemas/LayerList", "description": "the layers"}
    assert doc["components"]["schemas"]["AddressId"] == ref("ResourceId")
    assert "allOf" in doc["components"]["schemas"]["Derived"]
    assert problems(doc, tmp_path) == []


def test_split_single_ref_allof(tmp_path: Path) -> None:
    tags = {"type": "object", "additionalProperties": {"type": "string"}}
    description = {
        "type": "object",
        "allOf": [ref("Resource")],
        "properties": {"sku": {"type": "string"}},
        "required": ["sku"],
    }
    doc = spec(
        {"/a": get("a", responses=ok(ref("Description"))), "/b": get("b", responses=ok(ref("Alias")))},
        {
            "Resource": {"type": "object", "properties": {"id": {"type": "string"}, "tags": tags}},
            "Description": description,
            "Alias": {"allOf": [ref("Resource")]},
        },
    )
    assert any("duplicate models" in p for p in problems(doc, tmp_path))
    assert apply(transforms.split_single_ref_allof, doc) == 2
    assert description == {
        "type": "object",
        "allOf": [ref("Resource"), {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]}],
    }
    assert doc["components"]["schemas"]["Alias"] == {"allOf": [ref("Resource"), {"type": "object"}]}
    assert problems(doc, tmp_path) == []
    models = {m.class_info.name: m for m in parse(doc, tmp_path).models}  # the sibling property is read
    assert {p.name for p in models["Description"].required_properties} == {"sku"}


def test_opaque_media_as_bytes(tmp_path: Path) -> None:
    message = {"type": "object", "properties": {"Name": {"type": "string"}}}
    doc = spec(
        {
            "/#Action=Add": post("add", ref("Message"), content_type="text/xml"),
            "/report": get("report", responses=ok({"type": "string"}, content_type="application/pdf")),
            "/both": post("both", ref("Message")),
        },
        {"Message": message},
    )
    doc["paths"]["/#Action=Add"]["post"]["responses"] = ok(ref("Message"), content_type="text/xml")
    assert endpoint_count(doc, tmp_path) == 2
    assert apply(transforms.opaque_media_as_bytes, doc) == 3
    binary = {"type": "string", "format": "binary"}
    add = doc["paths"]["/#Action=Add"]["post"]
    assert add["requestBody"]["content"]["text/xml"]["schema"] == binary
    assert add["responses"]["200"]["content"]["text/xml"]["schema"] == binary  # the same media type, read alike
    assert doc["paths"]["/both"]["post"]["requestBody"]["content"]["application/json"]["schema"] == ref("Message")
    assert content_type_overrides(doc) == {
        "text/xml": "application/octet-stream",
        "application/pdf": "application/octet-stream",
    }
    assert endpoint_count(doc, tmp_path) == 3
    assert problems(doc, tmp_path) == []


def test_name_colliding_enum_members(tmp_path: Path) -> None:
    check = {"type": "string", "enum": ["FAST", "FULL", "fast", "full"]}
    plain = {"type": "string", "enum": ["a", "b"]}
    doc = spec({"/a": get("a", parameters=[{"name": "check", "in": "query", "schema": check}])}, {"Plain": plain})
    with pytest.raises(ValueError, match="Duplicate key"):
        parse(doc, tmp_path)
    assert apply(transforms.name_colliding_enum_members, doc) == 1
    assert check["x-enum-varnames"] == ["FAST", "FULL", "FAST_2", "FULL_2"]
    assert "x-enum-varnames" not in plain
    assert endpoint_count(doc, tmp_path) == 1


def test_rename_colliding_models(tmp_path: Path) -> None:
    business: dict[str, Any] = {
        "type": "object",
        "properties": {"lifecycleState": {"type": "string", "enum": ["Approved", "Expired"]}},
    }
    doc = spec(
        {
            "/a": get("a", responses=ok(ref("BillTo"))),
            "/b": get("b", responses=ok(ref("SoldTo"))),
            "/c": get("c", responses=ok(ref("business-name"))),
            "/d": get("d", responses=ok(ref("Any"))),
        },
        {
            "BillTo": {"type": "object", "title": "Contact", "properties": {"a": {"type": "string"}}},
            "SoldTo": {"type": "object", "title": "Contact", "properties": {"b": {"type": "string"}}},
            "Contact": {"type": "object"},
            "business-name": business,
            "business-name-lifecycle-state": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Any": {"type": "object", "properties": {"value": {"type": "string"}}},
        },
    )
    assert any("duplicate models" in p for p in problems(doc, tmp_path))
    assert apply(transforms.rename_colliding_models, doc) == 4
    schemas = doc["components"]["schemas"]
    assert (schemas["BillTo"]["title"], schemas["SoldTo"]["title"]) == ("BillTo", "SoldTo")  # "Contact" is a key
    assert "title" not in schemas["Contact"]
    assert business["properties"]["lifecycleState"]["title"] == "lifecycleState enum"
    assert schemas["Any"]["title"] == "Any model"  # would shadow typing.Any in the generated modules
    assert problems(doc, tmp_path) == []
    data = parse(doc, tmp_path)
    names = {m.class_info.name for m in [*data.models, *data.enums]}
    assert {"BillTo", "SoldTo", "Contact", "BusinessNameLifecycleStateEnum", "AnyModel"} <= names


def test_drop_code_hints(tmp_path: Path) -> None:
    """A spec that names a module for a type or a base class does not get it imported by the mock."""
    node = {"type": "object", "customTypePath": "nowhere_module.node.Node"}
    props = {"node": node, "when": {"type": "string", "x-python-type": "nowhere_module.When"}}
    item = {"type": "object", "customBasePath": "nowhere_module.Base", "properties": props}
    doc = spec({"/items": get("getItem", responses=ok(ref("Item")))}, {"Item": item})
    assert apply(transforms.drop_code_hints, copy.deepcopy(doc)) == 3
    (tmp_path / "spec.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run_codegen(
        "generate", "--spec", str(tmp_path / "spec.json"), "--out", str(tmp_path / "out"), "--name", "hints"
    )
    assert result.returncode == 0, result.stderr
    assert "drop_code_hints ×3" in result.stderr
    mock = tmp_path / "out" / "hints-mock"
    assert "nowhere_module" not in (mock / "hints_mock" / "models.py").read_text(encoding="utf-8")
    assert import_modules([(mock, "hints_mock")])[1] == []


def test_media_kind() -> None:
    kinds = {
        "application/json; charset=utf-8": "json",
        "application/merge-patch+json": "json",
        "text/json": "text",  # one answer for "is this JSON" (media_types.py): only application/json and +json
        "multipart/form-data": "multipart",
        "application/x-www-form-urlencoded": "form",
        "application/octet-stream": "binary",
        "text/plain": "text",
        "text/xml": "text",
        "application/xml": None,
        "application/pdf": None,
        "*/*": None,
    }
    assert {t: media_kind(t) for t in kinds} == kinds


def test_drop_oversized_patterns() -> None:
    """The mock's models leave out a pattern pydantic's regex engine cannot compile; other patterns stay."""
    name = {"type": "string", "maxLength": 2097152, "pattern": "^.{1,2097152}"}
    code = {"type": "string", "pattern": "^[A-Z]{3}$"}
    around = {"type": "string", "pattern": "(?<=a)b"}  # look-around: the model generator switches engines itself
    doc = spec(schemas={"Name": name, "Code": code, "Around": around})
    assert drop_oversized_patterns(doc) == 1
    assert name == {"type": "string", "maxLength": 2097152}
    assert code["pattern"] == "^[A-Z]{3}$"
    assert around["pattern"] == "(?<=a)b"
