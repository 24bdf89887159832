"""A spec reads nothing outside itself.

Every reference form (`$ref`, `$dynamicRef`, `$recursiveRef`, `externalValue`, `operationRef`, a discriminator
mapping, a base set by `$id` or draft-04 `id`, a `$schema` or `jsonSchemaDialect` dialect) is refused with one
clear error before any generator runs, by `codegen generate` and by `update-spec`; and each generator and the
validator is called with file and URL retrieval off, so that a reference that got past the check would still
read nothing. A marker file outside the spec's folder and a loopback server that counts its requests stand for
what must never be read. A killed run leaves its temporary files where the next run removes them.
"""

from __future__ import annotations

import http.server
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, minimal_spec, run_codegen
from regen_helpers import OUT, assert_clean_failure, codegen, loopback_server, project_state, reply, tree_state

MARKER = "MARKER_7d1f_outside_the_document"
# What the marker file and the server hold: a schema whose property would land in generated models if read.
MARKER_SCHEMA = json.dumps({"type": "object", "properties": {MARKER: {"type": "string"}}}).encode()


@dataclass(frozen=True)
class Outside:
    """What a spec must never make the pipeline read: a file outside its folder, a server that counts requests."""

    marker: Path
    url: str
    hits: list[str]


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Outside]:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    marker = folder / "marker.json"
    marker.write_bytes(MARKER_SCHEMA)
    hits: list[str] = []

    def handler(request: http.server.BaseHTTPRequestHandler) -> None:
        hits.append(request.path)
        reply(MARKER_SCHEMA)(request)

    with loopback_server(handler) as url:
        yield Outside(marker, url, hits)


def document(**schemas: Any) -> dict[str, Any]:
    """A valid 3.1 document: GET /things answers a Thing, plus `schemas` as components."""
    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    doc = minimal_spec(components={"schemas": {"Thing": thing, **schemas}})
    doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Thing"
    }
    return doc


def with_property(schema: dict[str, Any]) -> dict[str, Any]:
    return document(Holder={"type": "object", "properties": {"x": schema}})


def with_response(key: str, value: dict[str, Any]) -> dict[str, Any]:
    doc = document()
    doc["paths"]["/things"]["get"]["responses"]["200"][key] = value
    return doc


def with_examples(examples: dict[str, Any]) -> dict[str, Any]:
    doc = document()
    doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["examples"] = examples
    return doc


HOLDER_X = "#/components/schemas/Holder/properties/x"
RESPONSE = "#/paths/~1things/get/responses/200"
# Each form: (the document, given the marker, the server's URL and the spec's folder; the keyword the error names;
# the JSON pointer it names).
Form = tuple[Callable[[Path, str, Path], dict[str, Any]], str, str]
FORMS: dict[str, Form] = {
    "$ref-path": (lambda m, u, d: with_property({"$ref": str(m)}), "$ref", f"{HOLDER_X}/$ref"),
    "$ref-relative": (
        lambda m, u, d: with_property({"$ref": os.path.relpath(m, d)}),
        "$ref",
        f"{HOLDER_X}/$ref",
    ),
    "$ref-file-uri": (lambda m, u, d: with_property({"$ref": m.as_uri()}), "$ref", f"{HOLDER_X}/$ref"),
    "$ref-url": (lambda m, u, d: with_property({"$ref": f"{u}/ref.json"}), "$ref", f"{HOLDER_X}/$ref"),
    "$dynamicRef-file": (
        lambda m, u, d: with_property({"$dynamicRef": m.as_uri()}),
        "$dynamicRef",
        f"{HOLDER_X}/$dynamicRef",
    ),
    "$dynamicRef-url": (
        lambda m, u, d: with_property({"$dynamicRef": f"{u}/dynamic.json"}),
        "$dynamicRef",
        f"{HOLDER_X}/$dynamicRef",
    ),
    "$recursiveRef-url": (
        lambda m, u, d: with_property({"$recursiveRef": f"{u}/recursive.json"}),
        "$recursiveRef",
        f"{HOLDER_X}/$recursiveRef",
    ),
    "externalValue": (
        lambda m, u, d: with_examples({"one": {"externalValue": f"{u}/example.json"}}),
        "externalValue",
        f"{RESPONSE}/content/application~1json/examples/one/externalValue",
    ),
    "operationRef": (
        lambda m, u, d: with_response("links", {"next": {"operationRef": f"{u}/openapi.json#/paths/~1x/get"}}),
        "operationRef",
        f"{RESPONSE}/links/next/operationRef",
    ),
    "discriminator-mapping": (
        lambda m, u, d: document(
            Pet={
                "oneOf": [{"$ref": "#/components/schemas/Thing"}],
                "discriminator": {"propertyName": "id", "mapping": {"thing": str(m)}},
            }
        ),
        "discriminator mapping",
        "#/components/schemas/Pet/discriminator/mapping/thing",
    ),
    "$id-base": (
        lambda m, u, d: document(
            Holder={
                "$id": f"{u}/schemas/",
                "type": "object",
                "properties": {"x": {"$ref": "#/components/schemas/Thing"}},
            }
        ),
        "$id",
        "#/components/schemas/Holder/$id",
    ),
    "id-draft-04": (
        lambda m, u, d: document(
            Holder={"id": m.parent.as_uri() + "/", "type": "object", "properties": {"x": {"$ref": "marker.json"}}}
        ),
        "id",
        "#/components/schemas/Holder/id",
    ),
    "$schema": (
        lambda m, u, d: with_property({"$schema": f"{u}/dialect.json", "type": "string"}),
        "$schema",
        f"{HOLDER_X}/$schema",
    ),
    "jsonSchemaDialect": (
        lambda m, u, d: {**document(), "jsonSchemaDialect": f"{u}/dialect"},
        "jsonSchemaDialect",
        "#/jsonSchemaDialect",
    ),
}


def write_spec(form: str, outside: Outside, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(FORMS[form][0](outside.marker, outside.url, folder)), encoding="utf-8")
    return spec


def assert_nothing_read(result: Any, outside: Outside) -> None:
    assert outside.hits == [], f"the loopback server was asked for {outside.hits}"
    assert MARKER not in result.stdout + result.stderr


@pytest.mark.parametrize("form", sorted(FORMS))
def test_generate_refuses_every_reference_outside_the_document(form: str, outside: Outside, tmp_path: Path) -> None:
    spec = write_spec(form, outside, tmp_path / "spec")
    out = tmp_path / "out"
    result = run_codegen("generate", "--spec", str(spec), "--out", str(out), "--name", "acme")
    _, keyword, where = FORMS[form]
    assert_clean_failure(result, f"error: {keyword} ", f"where: {spec} {where}", "next:  ")
    assert_nothing_read(result, outside)
    assert not out.exists()


def test_update_spec_refuses_every_reference_outside_the_document(
    project: Path, outside: Outside, tmp_path: Path
) -> None:
    """`make update-spec SPEC_FILE=…`: nothing pinned, nothing regenerated, nothing read, for every form."""
    before = project_state(project)
    for form in sorted(FORMS):
        spec = write_spec(form, outside, tmp_path / form)
        result = codegen(project, "update-spec", "--file", str(spec))
        _, keyword, where = FORMS[form]
        assert_clean_failure(result, f"error: {keyword} ", f"where: {spec} {where}")
        assert_nothing_read(result, outside)
        assert project_state(project) == before, form


def test_a_standard_dialect_and_local_references_of_every_form_still_generate(tmp_path: Path) -> None:
    """What resolves inside the document is kept: `$schema` naming the OAS dialect, `$dynamicRef`, `operationRef`
    and a discriminator mapping that point into it."""
    doc = document(
        Holder={
            "$schema": "https://spec.openapis.org/oas/3.1/dialect/base",
            "type": "object",
            "properties": {"x": {"$dynamicRef": "#/components/schemas/Thing"}},
        },
        Pet={
            "oneOf": [{"$ref": "#/components/schemas/Thing"}],
            "discriminator": {"propertyName": "id", "mapping": {"thing": "#/components/schemas/Thing"}},
        },
    )
    doc["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base"
    doc["paths"]["/things"]["get"]["responses"]["200"]["links"] = {"self": {"operationRef": "#/paths/~1things/get"}}
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "acme")
    assert result.returncode == 0, result.stderr
    models = (tmp_path / "out" / "acme-mock" / "acme_mock" / "models.py").read_text(encoding="utf-8")
    assert "class Holder(" in models and "class Pet(" in models


# --- each generator and the validator, called directly, reads nothing even without the check ----------------


def leaking_documents(outside: Outside) -> dict[str, dict[str, Any]]:
    """Documents the check would refuse, for the layers below it: file and URL references of several forms."""
    return {
        "$dynamicRef-file": with_property({"$dynamicRef": outside.marker.as_uri()}),
        "$ref-beside": with_property({"$ref": "../marker.json"}),  # the marker is put beside the scratch folder
        "$ref-absolute": with_property({"$ref": str(outside.marker)}),
        "$ref-url": with_property({"$ref": f"{outside.url}/ref.json"}),
        "$dynamicRef-url": with_property({"$dynamicRef": f"{outside.url}/dynamic.json"}),
        "$id-relative": with_property({"$id": f"{outside.url}/base/", "$ref": "relative.json"}),
    }


def test_the_models_generator_reads_no_file_or_url_even_unchecked(outside: Outside, tmp_path: Path) -> None:
    from codegen.errors import CodegenError
    from codegen.models_gen import generate_models

    for name, doc in leaking_documents(outside).items():
        staging = tmp_path / name
        scratch = staging / "scratch"
        scratch.mkdir(parents=True)
        (staging / "marker.json").write_bytes(MARKER_SCHEMA)
        output = staging / "out" / "models.py"
        try:
            generate_models(doc, output, REPO / "templates" / "models", "header", name, scratch)
        except CodegenError as error:
            assert MARKER not in str(error), name
        else:
            assert MARKER not in output.read_text(encoding="utf-8"), name
        assert outside.hits == [], f"{name}: the server was asked for {outside.hits}"


def test_the_validator_retrieves_nothing_even_unchecked(outside: Outside) -> None:
    """A `$ref` it follows out of the document is unresolvable rather than fetched (the library's own default
    would read it); references it does not follow ($dynamicRef) are not read either."""
    from codegen.pin import offline_validate
    from referencing.exceptions import Unresolvable

    refused = []
    for name, doc in leaking_documents(outside).items():
        try:
            offline_validate(doc)
        except Unresolvable:
            refused.append(name)
        assert outside.hits == [], f"{name}: the server was asked for {outside.hits}"
    assert {"$ref-absolute", "$ref-url"} <= set(refused)


def test_the_client_parser_reads_no_file_or_url(outside: Outside, tmp_path: Path) -> None:
    """openapi-python-client is given the document as data, never a path or URL to open."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(
        ConfigFile(),
        MetaType.NONE,
        document_source=tmp_path / "x.json",
        file_encoding="utf-8",
        overwrite=False,
        output_path=tmp_path / "never-written",
    )
    for name, doc in leaking_documents(outside).items():
        doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
            "$ref": "#/components/schemas/Holder"
        }
        data = GeneratorData.from_dict(doc, config=config)
        assert MARKER not in repr(data), name
        assert outside.hits == [], f"{name}: the server was asked for {outside.hits}"


# --- temporary files ------------------------------------------------------------------------------------------


def test_a_run_killed_in_the_models_stage_leaves_nothing_the_next_run_does_not_remove(
    project: Path, tmp_path: Path
) -> None:
    """The models' scratch folder lives in the run's staging folder, never the system's temporary folder: after a
    SIGKILL it is left there, and the next run removes it with the staging folder."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    generated = tree_state(project / OUT)
    env = {"FORCE": "1", "TMPDIR": str(system_tmp)}
    killed = codegen(project, "regenerate", env={**env, "CODEGEN_TEST_KILL_IN_MODELS": "1"})
    assert killed.returncode == -9, killed.stderr  # SIGKILL: no cleanup code ran
    left = sorted(p.relative_to(project).as_posix() for p in project.glob(".codegen-staging-*/.codegen-scratch-*"))
    assert left, "the killed run's scratch folder should be inside its staging folder"
    assert tree_state(project / OUT) == generated
    assert list(system_tmp.iterdir()) == []

    result = codegen(project, "regenerate", env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.rglob(".codegen-*")) == []
    assert list(system_tmp.iterdir()) == []
    assert tree_state(project / OUT) == generated
