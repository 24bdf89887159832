"""The spec diff: each kind of change found and classified for SDK callers; `python -m codegen diff`."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from codegen.changelog import Entry, render_markdown
from codegen.diff import Change, bump_level, bump_version, diff_documents
from codegen.diff_walk import plain_message
from conftest import run_codegen

OP = ("/invoices", "post")


def base() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [{"Key": []}],
        "paths": {
            "/invoices": {
                "post": {
                    "operationId": "createInvoice",
                    "tags": ["Invoices"],
                    "parameters": [{"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}},
                        },
                        "422": {"description": "invalid"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Invoice": {
                    "type": "object",
                    "required": ["amount"],
                    "properties": {
                        "amount": {"type": "integer"},
                        "status": {"type": "string", "enum": ["draft", "sent"]},
                        "issued": {"type": "string", "format": "date"},
                        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                        "parent": {"anyOf": [{"$ref": "#/components/schemas/Invoice"}, {"type": "null"}]},
                    },
                },
                "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
            },
            "securitySchemes": {"Key": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
        },
    }


def op(doc: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"]["/invoices"]["post"]
    return operation


def invoice(doc: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"]["Invoice"]
    return schema


def only(changes: list[Change]) -> tuple[str, bool, str]:
    """Kind, breaking and message of the single change a case makes."""
    assert len(changes) == 1, changes
    return changes[0].kind, changes[0].breaking, plain_message(changes[0].message)


# name → (edit of the new document, kind, breaking)
CASES: dict[str, tuple[Callable[[dict[str, Any]], object], str, bool]] = {
    "operation added": (
        lambda d: d["paths"].update({"/lines": {"get": {"operationId": "listLines", "responses": {}}}}),
        "operation-added",
        False,
    ),
    "operation removed": (lambda d: d["paths"]["/invoices"].pop("post"), "operation-removed", True),
    "method renamed": (lambda d: op(d).update(operationId="makeInvoice"), "operation-renamed", True),
    "moved to another resource": (lambda d: op(d).update(tags=["Billing"]), "operation-moved", True),
    "optional parameter added": (
        lambda d: op(d)["parameters"].append({"name": "note", "in": "query", "schema": {"type": "string"}}),
        "parameter-added",
        False,
    ),
    "required parameter added": (
        lambda d: op(d)["parameters"].append(
            {"name": "note", "in": "header", "required": True, "schema": {"type": "string"}}
        ),
        "parameter-added",
        True,
    ),
    "parameter removed": (lambda d: op(d)["parameters"].clear(), "parameter-removed", True),
    "parameter made required": (lambda d: op(d)["parameters"][0].update(required=True), "made-required", True),
    "optional body field added": (
        lambda d: invoice(d)["properties"].update(memo={"type": "string"}),
        "field-added",
        False,
    ),
    "request field type widened, response widened": (
        lambda d: invoice(d)["properties"]["amount"].update(type="number"),
        "type-changed",
        True,  # the same schema is a response too: callers may now read 1.5 where they read ints
    ),
    "format changed": (lambda d: invoice(d)["properties"]["issued"].update(format="date-time"), "format-changed", True),
    "enum value added": (
        lambda d: invoice(d)["properties"]["status"]["enum"].append("paid"),
        "enum-value-added",
        False,
    ),
    "enum value removed": (
        lambda d: invoice(d)["properties"]["status"]["enum"].remove("sent"),
        "enum-value-removed",
        True,
    ),
    "nested item field removed": (
        lambda d: d["components"]["schemas"]["Line"]["properties"].pop("sku"),
        "field-removed",
        True,
    ),
    "success response removed": (lambda d: op(d)["responses"].pop("200"), "response-removed", True),
    "error response added": (
        lambda d: op(d)["responses"].update({"409": {"description": "conflict"}}),
        "response-added",
        False,
    ),
    "security scheme required": (
        lambda d: (
            d["components"]["securitySchemes"].update(Org={"type": "apiKey", "in": "header", "name": "org"}),
            op(d).update(security=[{"Key": [], "Org": []}]),
        ),
        "security-changed",
        True,
    ),
    "security dropped": (lambda d: op(d).update(security=[]), "security-changed", False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_change_is_found_and_classified(name: str) -> None:
    edit, kind, breaking = CASES[name]
    old, new = base(), base()
    edit(new)
    changes = [c for c in diff_documents(old, new) if c.kind != "security-scheme-added"]
    kinds = {c.kind for c in changes}
    assert kind in kinds, changes
    assert any(c.breaking for c in changes) is breaking, changes
    assert diff_documents(old, old) == []


def test_request_and_response_directions_are_told_apart() -> None:
    """A field made required breaks what callers send but not what they read; only the request side breaks."""
    old = base()
    old["components"]["schemas"]["Out"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    op(old)["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Out"}
    response_only = copy.deepcopy(old)
    response_only["components"]["schemas"]["Out"]["required"] = ["x"]
    assert only(diff_documents(old, response_only)) == (
        "made-required",
        False,
        "response 200 field `x` is now required",
    )
    request_only = copy.deepcopy(old)
    invoice(request_only)["required"].append("status")
    assert only(diff_documents(old, request_only))[:2] == ("made-required", True)
    narrowed = copy.deepcopy(old)
    narrowed["components"]["schemas"]["Out"]["properties"]["x"]["type"] = ["string", "null"]
    assert only(diff_documents(old, narrowed)) == ("nullable-changed", True, "response 200 field `x` may now be null")


def test_changes_carry_the_operation_and_a_pointer_and_come_in_a_stable_order() -> None:
    old, new = base(), base()
    new["paths"]["/a"] = {"get": {"operationId": "a", "responses": {}}}
    new["paths"]["/invoices"].pop("post")
    new["paths"]["/invoices"]["get"] = {"operationId": "listInvoices", "responses": {}}
    changes = diff_documents(old, new)
    assert [(c.where, c.pointer, c.kind) for c in changes] == [
        ("GET /a", "#/paths/~1a/get", "operation-added"),
        ("GET /invoices", "#/paths/~1invoices/get", "operation-added"),
        ("POST /invoices", "#/paths/~1invoices/post", "operation-removed"),
    ]
    assert diff_documents(old, new) == changes
    field = diff_documents(old, _edited(lambda d: invoice(d)["properties"].pop("issued")))
    assert [(c.where, c.pointer) for c in field] == [
        ("POST /invoices", "#/components/schemas/Invoice/properties/issued"),  # request body
        ("POST /invoices", "#/components/schemas/Invoice/properties/issued"),  # and response 200
    ]


def _edited(edit: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    doc = base()
    edit(doc)
    return doc


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("0.1.0", "major", "0.2.0"),
        ("0.1.3", "minor", "0.1.4"),
        ("0.1.3", "patch", "0.1.4"),
        ("1.4.2", "major", "2.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("1.0", "patch", "1.0.1"),
    ],
)
def test_semver_bump(version: str, level: str, expected: str) -> None:
    assert bump_version(version, level) == expected  # type: ignore[arg-type]


def test_bump_level_follows_the_classification() -> None:
    removed = diff_documents(base(), _edited(lambda d: d["paths"].clear()))
    added = diff_documents(base(), _edited(lambda d: invoice(d)["properties"].update(memo={"type": "string"})))
    assert (bump_level(removed), bump_level(added), bump_level([])) == ("major", "minor", "patch")


def test_the_diff_command_prints_text_or_json_and_exits_1_on_breaking(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.yaml"
    old.write_text(json.dumps(base()), encoding="utf-8")
    doc = base()
    doc["paths"]["/invoices"]["post"]["parameters"].clear()
    new.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML: the loader takes either
    text = run_codegen("diff", str(old), str(new))
    assert text.returncode == 1, text.stderr
    assert text.stdout.splitlines() == [
        "BREAKING POST /invoices: query parameter `dry_run` removed (#/paths/~1invoices/post/parameters/0)",
        "1 changes, 1 breaking; semver level: major",
    ]
    as_json = run_codegen("diff", "--json", str(new), str(old))
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["breaking"] is False and data["level"] == "minor"
    assert data["changes"] == [
        {
            "kind": "parameter-added",
            "where": "POST /invoices",
            "pointer": "#/paths/~1invoices/post/parameters/0",
            "breaking": False,
            "message": "new optional query parameter `dry_run`",
        }
    ]
    same = run_codegen("diff", str(old), str(old))
    assert (same.returncode, same.stdout) == (0, "0 changes, 0 breaking; semver level: patch\n")
    missing = run_codegen("diff", str(old), str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "nope.json" in missing.stderr and "Traceback" not in missing.stderr


def test_a_header_parameter_renamed_in_case_only_is_no_change() -> None:
    old, new = base(), base()
    op(old)["parameters"].append({"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}})
    op(new)["parameters"].append({"name": "x-trace-id", "in": "header", "schema": {"type": "string"}})
    assert diff_documents(old, new) == []  # header names are case-insensitive: the SDK sends the same request


def test_the_changelog_names_operations_as_the_sdk_and_the_mock_do() -> None:
    from codegen.spec_model import build_spec_model

    old, new = base(), base()
    op(new).update(operationId="getIPv4Address")
    (renamed,) = [c for c in diff_documents(old, new) if c.kind == "operation-renamed"]
    name = build_spec_model(new).operations[0].python_name
    assert name == "get_ipv4_address"
    assert plain_message(renamed.message) == f"method renamed from `create_invoice` to `{name}`"


def test_the_changelog_puts_names_in_code_spans_unescaped_and_keeps_hostile_names_inert() -> None:
    old, new = base(), base()
    hostile = "a`b*_c_ [x](javascript:alert(1)) <b>"
    op(new)["parameters"].append({"name": hostile, "in": "query", "schema": {"type": "string"}})
    op(new)["parameters"][0]["required"] = True  # dry_run
    entry = render_markdown(Entry("0.2.0", "0.1.0", "spec_file.json", "a" * 12, "b" * 12, diff_documents(old, new)))
    assert "Spec `spec_file.json` aaaaaaaaaaaa" in entry
    assert "query parameter `dry_run` is now required" in entry
    assert "\\" not in entry  # no Markdown escape: every spec string here is a name
    assert "new optional query parameter ``a`b*_c_ [x](javascript:alert(1)) <b>``" in entry  # one code span
