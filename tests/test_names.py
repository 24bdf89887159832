"""Operations of one resource whose operationIds become one Python name are renamed, never refused.

The rule (checks.resolve_name_clashes): every operation of the clash gets the words of its path that the
others lack in front of the name, else its method, else a number, in path order; each rename is printed
on a `renamed:` line; a name chosen with `x-codegen-name` is kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from codegen.checks import resolve_name_clashes
from conftest import run_codegen

TAG = ["Automation Rules"]


def operation(operation_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "tags": TAG, "responses": {"204": {"description": "done"}}, **extra}


def rules_document(*, reverse: bool = False) -> dict[str, Any]:
    """The clicksend.com shape: the same operationIds (up to case) under one tag for fax and SMS rules."""
    rule_id = [{"name": "rule_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    paths = {
        "/automations/fax/receipts": {"get": operation("List Rules")},
        "/automations/fax/receipts/{rule_id}": {"delete": operation("Delete a Rule", parameters=rule_id)},
        "/automations/sms/inbound": {"get": operation("List rules")},
        "/automations/sms/inbound/{rule_id}": {"delete": operation("Delete a rule", parameters=rule_id)},
        "/automations/sms/inbound/count": {"get": operation("countRules")},
    }
    items = list(paths.items())[::-1] if reverse else list(paths.items())
    return {"openapi": "3.0.3", "info": {"title": "rules", "version": "1"}, "paths": dict(items)}


RENAMED = [
    "  renamed: DELETE /automations/fax/receipts/{rule_id}: delete_a_rule → fax_receipts_delete_a_rule"
    " (2 operations of resource automation_rules had that name)",
    "  renamed: DELETE /automations/sms/inbound/{rule_id}: delete_a_rule → sms_inbound_delete_a_rule"
    " (2 operations of resource automation_rules had that name)",
    "  renamed: GET /automations/fax/receipts: list_rules → fax_receipts_list_rules"
    " (2 operations of resource automation_rules had that name)",
    "  renamed: GET /automations/sms/inbound: list_rules → sms_inbound_list_rules"
    " (2 operations of resource automation_rules had that name)",
]


def generate(tmp_path: Path, doc: dict[str, Any], *overlays: str) -> tuple[list[str], list[str], list[str]]:
    """Run the CLI; (renamed lines, SDK method names of the resource, mock handler keys)."""
    tmp_path.mkdir(exist_ok=True)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    args = ["generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "acme"]
    for index, actions in enumerate(overlays):
        path = tmp_path / f"overlay{index}.yaml"
        head = "overlay: 1.0.0\ninfo: {title: names, version: 1.0.0}\nactions:"
        path.write_text(f"{head}{actions}\n", encoding="utf-8")
        args += ["--overlay", str(path)]
    result = run_codegen(*args)
    assert result.returncode == 0, result.stderr
    assert "generated 5 of 5 operations" in result.stderr
    renamed = [line for line in result.stderr.splitlines() if line.startswith("  renamed: ")]
    resource = tmp_path / "out" / "acme-client" / "acme_client" / "resources" / "automation_rules.py"
    defined = set(re.findall(r"^    def ([a-z]\w*)\(", resource.read_text(encoding="utf-8"), re.M))
    methods = sorted(defined - {"with_raw_response", "with_streaming_response"})
    mock_data = json.loads((tmp_path / "out" / "acme-mock" / "acme_mock" / "mock_data.json").read_text("utf-8"))
    return renamed, methods, sorted(mock_data["operations"])


def test_clashing_operation_ids_are_named_by_the_path_words_that_tell_them_apart(tmp_path: Path) -> None:
    renamed, methods, handlers = generate(tmp_path, rules_document())
    assert renamed == RENAMED
    names = ["count_rules", "fax_receipts_delete_a_rule", "fax_receipts_list_rules"]
    names += ["sms_inbound_delete_a_rule", "sms_inbound_list_rules"]
    assert methods == handlers == names


def test_the_new_names_do_not_depend_on_document_order(tmp_path: Path) -> None:
    forward = generate(tmp_path / "forward", rules_document())
    assert generate(tmp_path / "reverse", rules_document(reverse=True)) == forward


def test_a_name_chosen_in_an_overlay_is_kept_and_the_other_operation_renamed(tmp_path: Path) -> None:
    keep = "\n  - target: \"$.paths['/automations/sms/inbound'].get\"\n    update: {x-codegen-name: list_rules}"
    renamed, methods, _ = generate(tmp_path, rules_document(), keep)
    assert [line for line in renamed if "list_rules" in line] == [
        "  renamed: GET /automations/fax/receipts: list_rules → fax_receipts_list_rules"
        " (2 operations of resource automation_rules had that name)"
    ]
    assert "list_rules" in methods and "fax_receipts_list_rules" in methods


def test_two_chosen_names_that_clash_are_refused_naming_both(tmp_path: Path) -> None:
    """Names someone chose are not second-guessed: the run stops and says which two clash."""
    doc = rules_document()
    doc["paths"]["/automations/fax/receipts"]["get"]["x-codegen-name"] = "listRules"
    doc["paths"]["/automations/sms/inbound"]["get"]["x-codegen-name"] = "list-rules"
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    result = run_codegen("generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--name", "acme")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: two operations' x-codegen-name both become the Python name 'list_rules' in resource 'automation_rules'"
    ]
    assert (
        f"  where: {spec}: 'list_rules' in resource 'automation_rules': "
        "#/paths/~1automations~1fax~1receipts/get and #/paths/~1automations~1sms~1inbound/get\n"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_same_path_words_fall_back_to_the_method_then_to_a_number() -> None:
    """GET and POST of one path, then two GETs whose paths differ only in a template name."""
    doc = {
        "paths": {
            "/a/{x}/b": {"get": {"operationId": "b"}},
            "/a/{y}/b": {"get": {"operationId": "B"}},
            "/things": {"get": {"operationId": "thing"}, "post": {"operationId": "Thing"}},
            "/all/things": {"get": {"operationId": "allThings"}},
            "/all/stuff": {"get": {"operationId": "all_things"}},
        }
    }
    renamed = resolve_name_clashes(doc)
    names = {(p, m): op.get("x-codegen-name") for p, item in doc["paths"].items() for m, op in item.items()}
    assert names == {
        ("/a/{x}/b", "get"): "get_b",
        ("/a/{y}/b", "get"): "get_b_2",
        ("/things", "get"): "get_thing",
        ("/things", "post"): "post_thing",
        ("/all/things", "get"): "things_all_things",
        ("/all/stuff", "get"): "stuff_all_things",
    }
    assert len(renamed) == 6


def test_clashes_are_counted_per_resource_by_the_spec_models_placement() -> None:
    """Untagged operations go to the resource of their path segment (operation_names): the same operationId
    in two resources is no clash, and in one resource it is, whatever the (absent) tags say."""
    untagged = {"responses": {"204": {"description": "done"}}}
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/fax": {"get": {**untagged, "operationId": "List Rules"}},
            "/sms": {"get": {**untagged, "operationId": "list-rules"}},
            "/sms/inbound": {"get": {**untagged, "operationId": "list_rules"}},
        },
    }
    assert resolve_name_clashes(doc) == [
        "GET /sms: list_rules → get_list_rules (2 operations of resource sms had that name)",  # no word of its own
        "GET /sms/inbound: list_rules → inbound_list_rules (2 operations of resource sms had that name)",
    ]
    assert "x-codegen-name" not in doc["paths"]["/fax"]["get"]
