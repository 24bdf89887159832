"""Named spec transforms: each one on a small inline spec, then (where cheap) the client generator's verdict.

A transform must fix what it names, leave every operation in place, keep every `$ref` resolvable,
and do nothing to a document that does not need it.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from codegen import transforms
from codegen.checks import find_bad_references
from codegen.client_gen import content_type_overrides
from codegen.document import iter_operations
from codegen.media_types import media_kind
from codegen.spec_walk import iter_schemas
from codegen.transforms import all_transforms, run_transforms
from conftest import REPO, run_codegen


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
    assert find_bad_references(doc) == []
    return len(changed) if isinstance(changed, list) else int(changed)


# --- the registry ------------------------------------------------------------------------------------------


# Functions of the transform modules that take a document but are helpers, not transforms.
HELPERS = {"iter_schemas", "iter_bodies", "run_transforms", "node_pointers", "ref_holders", "reference_cycles"}


def test_every_transform_is_registered_once_with_a_one_line_docstring() -> None:
    # Transforms live in transforms.py and in modules named transforms_*.py beside it.
    registered = all_transforms()
    modules = [transforms] + [
        importlib.import_module(f"codegen.{m.name}")
        for m in pkgutil.iter_modules([str(Path(transforms.__file__).parent)])
        if m.name.startswith("transforms_")
    ]
    public = [
        f
        for module in modules
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if f.__module__ == module.__name__
        and not name.startswith("_")
        and "doc" in inspect.signature(f).parameters
        and name not in HELPERS
    ]
    assert sorted(f.__name__ for f in public) == sorted(f.__name__ for f in registered)
    assert len(set(registered)) == len(registered)
    for transform in registered:
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


# --- generator directives and allOf cycles, with real generator runs -------------------------------------------


def generated_by_cli(doc: dict[str, Any], tmp_path: Path) -> tuple[Any, Path]:
    """`codegen generate` of `doc` as package `acme`; (the finished process, the output folder)."""

    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    return run_codegen("generate", "--spec", str(spec_path), "--out", str(out), "--name", "acme"), out


def run_in_packages(out: Path, code: str) -> str:
    """Run `code` with the generated client and mock importable; its stdout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(out / d) for d in ("acme-client", "acme-mock"))}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def directive_spec() -> dict[str, Any]:
    money = {"type": "string", "customTypePath": "somemodule.Thing"}
    account = {
        "type": "object",
        "customBasePath": "somemodule.Base",
        "properties": {
            "balance": ref("Money"),
            "path": {"type": "string", "x-python-type": "somemodule.Path"},
            "owner": {"type": "object", "x-python-import": {"module": "somemodule", "name": "Owner"}},
            "customTypePath": {"type": "string"},  # a property of that name is data, not a directive
        },
    }
    return spec({"/accounts": post("create_account", ref("Account"))}, {"Money": money, "Account": account})


def test_strip_generator_directives() -> None:
    doc = directive_spec()
    assert apply(transforms.strip_generator_directives, doc) == 4
    schemas = doc["components"]["schemas"]
    assert schemas["Money"] == {"type": "string"}
    assert "customBasePath" not in schemas["Account"]
    assert schemas["Account"]["properties"]["path"] == {"type": "string"}
    assert schemas["Account"]["properties"]["owner"] == {"type": "object"}
    assert schemas["Account"]["properties"]["customTypePath"] == {"type": "string"}


def test_a_generator_directive_in_a_spec_never_becomes_an_import(tmp_path: Path) -> None:
    """Without the transform the models generator imports what `customTypePath` names (importing runs a module's
    code); through the pipeline, generation succeeds and the mock's models import nothing the spec names."""
    from codegen.models_gen import generate_models

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    unsafe = tmp_path / "unsafe.py"
    generate_models(directive_spec(), unsafe, REPO / "templates" / "models", "header", "spec", scratch)
    assert "from somemodule import" in unsafe.read_text(encoding="utf-8")  # what the transform prevents

    result, out = generated_by_cli(directive_spec(), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "strip_generator_directives ×4" in result.stderr
    for path in sorted(out.rglob("*.py")):
        assert "somemodule" not in path.read_text(encoding="utf-8"), path
    fields = run_in_packages(out, "from acme_mock import models; print(sorted(models.Account.model_fields))")
    assert fields.strip() == "['balance', 'customTypePath', 'owner', 'path']"


def cycle_spec() -> dict[str, Any]:
    """A and B extend each other, C and D are aliases of each other, E extends itself; an operation uses each."""
    schemas = {
        "A": {"allOf": [ref("B"), {"type": "object", "properties": {"a": {"type": "string"}}}]},
        "B": {"allOf": [ref("A"), {"type": "object", "properties": {"b": {"type": "integer"}}}]},
        "C": {"allOf": [ref("D")]},
        "D": ref("C"),
        "E": {"allOf": [ref("E"), {"type": "object", "properties": {"e": {"type": "boolean"}}}]},
    }
    paths = {
        "/a": get("get_a", responses=ok(ref("A"))),
        "/b": post("post_b", ref("B")),
        "/c": get("get_c", responses=ok(ref("C"))),
        "/e": post("post_e", ref("E")),
    }
    return spec(paths, schemas)


def test_break_allof_cycles() -> None:
    doc = cycle_spec()
    narrowed = transforms.break_allof_cycles(doc)
    assert [(n.where, n.reason.split(":")[0]) for n in narrowed] == [
        ("#/components/schemas/A", "circular allOf through A, B"),
        ("#/components/schemas/C", "circular allOf through C, D"),
        ("#/components/schemas/E", "circular allOf through E"),
    ]
    schemas = doc["components"]["schemas"]
    a, b = (
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "properties": {"b": {"type": "integer"}}},
    )
    assert schemas["A"] == {"allOf": [a, b]}
    assert schemas["B"] == {"allOf": [b, a]}
    assert schemas["C"] == {} and schemas["D"] == {}  # aliases of nothing but each other: any value
    assert schemas["E"] == {"allOf": [{"type": "object", "properties": {"e": {"type": "boolean"}}}]}
    assert find_bad_references(doc) == []
    assert transforms.break_allof_cycles(doc) == []


def test_an_allof_cycle_generates_working_code_on_both_sides(tmp_path: Path) -> None:
    result, out = generated_by_cli(cycle_spec(), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "generated 4 of 4 operations" in result.stderr
    narrowed = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("narrowed:")]
    assert narrowed == [
        "narrowed: #/components/schemas/A: circular allOf through A, B: each holds the members of all of them instead",
        "narrowed: #/components/schemas/C: circular allOf through C, D: each holds the members of all of them instead",
        "narrowed: #/components/schemas/E: circular allOf through E: each holds the members of all of them instead",
    ]
    code = (
        "from acme_mock import models\n"
        "from acme_client.models import A, B, E\n"
        "print(sorted(models.A.model_fields), sorted(models.B.model_fields), sorted(models.E.model_fields))\n"
        "print(A.from_dict({'a': 'x', 'b': 1}).to_dict(), B.from_dict({'a': 'x', 'b': 1}).to_dict())\n"
        "print(E.from_dict({'e': True}).to_dict())\n"
    )
    assert run_in_packages(out, code).splitlines() == [
        "['a', 'b'] ['a', 'b'] ['e']",
        "{'a': 'x', 'b': 1} {'b': 1, 'a': 'x'}",
        "{'e': True}",
    ]
