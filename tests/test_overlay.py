"""OpenAPI Overlay 1.0: merge rules, JSONPath targets (RFC 9535), removal, errors; overlays in a project."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from codegen.errors import CodegenError
from codegen.overlay import apply_overlay, load_overlay, merge
from regen_helpers import OUT, codegen

SOURCE = "spec/overlays/10-test.yaml"


def sample() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0", "x-tags": ["a"]},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "list_items",
                    "tags": ["items"],
                    "parameters": [
                        {"name": "cursor", "in": "query"},
                        {"name": "limit", "in": "query"},
                        {"name": "apiversion", "in": "header"},
                        {"name": "trace", "in": "header"},
                    ],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {
                    "operationId": "create_item",
                    "parameters": [{"name": "apiversion", "in": "header"}],
                    "responses": {"201": {"description": "created"}},
                },
            },
            "/items/{id}": {
                "get": {
                    "operationId": "get_item",
                    "parameters": [{"name": "id", "in": "path", "required": True}],
                    "responses": {"200": {"description": "ok"}},
                }
            },
        },
    }


def overlay(*actions: dict[str, Any], version: Any = "1.0.0") -> dict[str, Any]:
    return {"overlay": version, "info": {"title": "test", "version": "1.0.0"}, "actions": list(actions)}


def apply(doc: dict[str, Any], *actions: dict[str, Any]) -> list[str]:
    return apply_overlay(doc, overlay(*actions), SOURCE).unmatched


# --- merge -------------------------------------------------------------------------------------------


def test_merge_objects_key_by_key_recursively() -> None:
    target = {"a": 1, "b": {"c": 2, "d": 3}}
    assert merge(target, {"b": {"d": 4, "e": 5}, "f": 6}) == {"a": 1, "b": {"c": 2, "d": 4, "e": 5}, "f": 6}


def test_merge_appends_to_arrays() -> None:
    assert merge([1, 2], [3, 4]) == [1, 2, 3, 4]
    assert merge([{"name": "a"}], {"name": "b"}) == [{"name": "a"}, {"name": "b"}]
    assert merge({"tags": ["x"]}, {"tags": ["y"]}) == {"tags": ["x", "y"]}


def test_merge_replaces_scalars_and_mismatched_types() -> None:
    assert merge("old", "new") == "new"
    assert merge({"a": 1}, {"a": None}) == {"a": None}
    assert merge({"a": {"b": 1}}, {"a": "flat"}) == {"a": "flat"}
    assert merge({"a": 1}, "text") == "text"


def test_merge_copies_the_update_so_later_edits_do_not_leak() -> None:
    update: dict[str, Any] = {"new": {"deep": [1]}, "list": [{"k": 1}]}
    target: dict[str, Any] = {"list": []}
    merge(target, update)
    update["new"]["deep"].append(2)
    update["list"][0]["k"] = 99
    assert target == {"new": {"deep": [1]}, "list": [{"k": 1}]}


# --- update actions ----------------------------------------------------------------------------------


def test_update_merges_into_the_targeted_operation() -> None:
    doc = sample()
    unmatched = apply(
        doc, {"target": "$.paths['/items'].get", "update": {"x-codegen-name": "all_items", "tags": ["more"]}}
    )
    assert unmatched == []
    operation = doc["paths"]["/items"]["get"]
    assert operation["x-codegen-name"] == "all_items"
    assert operation["tags"] == ["items", "more"]
    assert operation["operationId"] == "list_items"
    assert "x-codegen-name" not in doc["paths"]["/items"]["post"]


def test_update_of_an_array_target_appends_the_item() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths['/items'].post.parameters", "update": {"name": "dry_run", "in": "query"}})
    assert doc["paths"]["/items"]["post"]["parameters"] == [
        {"name": "apiversion", "in": "header"},
        {"name": "dry_run", "in": "query"},
    ]


def test_update_of_a_scalar_target_replaces_it() -> None:
    doc = sample()
    apply(doc, {"target": "$.info.title", "update": "Shop API"})
    assert doc["info"]["title"] == "Shop API"
    apply(doc, {"target": "$.paths['/items'].get.parameters[1]", "update": {"required": False}})
    assert doc["paths"]["/items"]["get"]["parameters"][1] == {"name": "limit", "in": "query", "required": False}


def test_update_of_the_root() -> None:
    doc = sample()
    apply(doc, {"target": "$", "update": {"info": {"x-logo": "logo.png"}, "servers": [{"url": "https://x"}]}})
    assert doc["info"]["x-logo"] == "logo.png"
    assert doc["info"]["title"] == "Shop"
    assert doc["servers"] == [{"url": "https://x"}]


def test_a_node_selected_twice_is_updated_once() -> None:
    doc = sample()
    apply(doc, {"target": "$.info['x-tags','x-tags']", "update": ["b"]})
    assert doc["info"]["x-tags"] == ["a", "b"]


def test_update_with_a_wildcard_touches_every_match() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths.*.get", "update": {"x-paged": True}})
    assert doc["paths"]["/items"]["get"]["x-paged"] is True
    assert doc["paths"]["/items/{id}"]["get"]["x-paged"] is True
    assert "x-paged" not in doc["paths"]["/items"]["post"]


def test_actions_apply_in_order() -> None:
    doc = sample()
    apply(
        doc,
        {"target": "$.info", "update": {"x-step": "first"}},
        {"target": "$.info", "update": {"x-step": "second"}},
        {"target": "$.info.x-tags", "remove": True},
    )
    assert doc["info"] == {"title": "Shop", "version": "1.0.0", "x-step": "second"}


# --- filters (RFC 9535: a filter tests the children of the node before it) -----------------------


def test_filter_selects_an_operation_by_operation_id() -> None:
    doc = sample()
    unmatched = apply(doc, {"target": "$.paths.*[?(@.operationId == 'get_item')]", "update": {"x-codegen-name": "x"}})
    assert unmatched == []
    assert doc["paths"]["/items/{id}"]["get"]["x-codegen-name"] == "x"
    assert "x-codegen-name" not in doc["paths"]["/items"]["get"]
    assert "x-codegen-name" not in doc["paths"]["/items"]["post"]


def test_filter_without_parentheses_and_descendant_filter() -> None:
    doc = sample()
    assert apply(doc, {"target": "$.paths.*[?@.operationId == 'create_item']", "update": {"x-a": 1}}) == []
    assert apply(doc, {"target": "$..[?(@.operationId == 'list_items')]", "update": {"x-b": 2}}) == []
    assert doc["paths"]["/items"]["post"]["x-a"] == 1
    assert doc["paths"]["/items"]["get"]["x-b"] == 2


def test_a_filter_one_level_too_deep_is_reported_unmatched_with_a_hint() -> None:
    """`$.paths.*.*[?…]` tests the children of each operation, so under RFC 9535 it matches nothing."""
    doc = sample()
    before = copy.deepcopy(doc)
    unmatched = apply(doc, {"target": "$.paths.*.*[?(@.operationId == 'get_item')]", "update": {"x": 1}})
    assert doc == before
    assert len(unmatched) == 1
    assert "action 0 ($.paths.*.*[?(@.operationId == 'get_item')])" in unmatched[0]
    assert "children" in unmatched[0]


# --- remove actions ----------------------------------------------------------------------------------


def test_remove_a_mapping_key() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths['/items'].post", "remove": True})
    assert list(doc["paths"]["/items"]) == ["get"]


def test_remove_keys_through_a_wildcard() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths.*.*.responses", "remove": True})
    for item in doc["paths"].values():
        for operation in item.values():
            assert "responses" not in operation


def test_remove_one_list_item() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths['/items'].get.parameters[1]", "remove": True})
    names = [p["name"] for p in doc["paths"]["/items"]["get"]["parameters"]]
    assert names == ["cursor", "apiversion", "trace"]


def test_remove_several_indexes_of_one_list() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths['/items'].get.parameters[0,2]", "remove": True})
    names = [p["name"] for p in doc["paths"]["/items"]["get"]["parameters"]]
    assert names == ["limit", "trace"]


def test_remove_indexes_given_in_ascending_and_descending_order_and_slices() -> None:
    for target, expected in [
        ("$.paths['/items'].get.parameters[3,1]", ["cursor", "apiversion"]),
        ("$.paths['/items'].get.parameters[1,3]", ["cursor", "apiversion"]),
        ("$.paths['/items'].get.parameters[1:3]", ["cursor", "trace"]),
        ("$.paths['/items'].get.parameters[-1]", ["cursor", "limit", "apiversion"]),
        ("$.paths['/items'].get.parameters[-1,-2]", ["cursor", "limit"]),
        ("$.paths['/items'].get.parameters[0,0]", ["limit", "apiversion", "trace"]),
        ("$.paths['/items'].get.parameters[1,-1]", ["cursor", "apiversion"]),
    ]:
        doc = sample()
        apply(doc, {"target": target, "remove": True})
        assert [p["name"] for p in doc["paths"]["/items"]["get"]["parameters"]] == expected, target


def test_remove_list_items_by_filter_across_several_lists() -> None:
    doc = sample()
    apply(doc, {"target": "$.paths.*.*.parameters[?(@.in == 'header')]", "remove": True})
    assert [p["name"] for p in doc["paths"]["/items"]["get"]["parameters"]] == ["cursor", "limit"]
    assert doc["paths"]["/items"]["post"]["parameters"] == []
    assert doc["paths"]["/items/{id}"]["get"]["parameters"] == [{"name": "id", "in": "path", "required": True}]


def test_remove_false_with_update_updates() -> None:
    doc = sample()
    apply(doc, {"target": "$.info", "remove": False, "update": {"x-kept": True}})
    assert doc["info"]["x-kept"] is True


def test_unmatched_targets_are_reported_and_change_nothing() -> None:
    doc = sample()
    before = copy.deepcopy(doc)
    unmatched = apply(
        doc,
        {"target": "$.paths['/nope'].get", "update": {"x": 1}},
        {"target": "$.info", "update": {"x-seen": True}},
        {"target": "$.components.schemas.Gone", "remove": True},
    )
    assert unmatched == ["action 0 ($.paths['/nope'].get)", "action 2 ($.components.schemas.Gone)"]
    before["info"]["x-seen"] = True
    assert doc == before


# --- errors name the file and the JSON pointer ------------------------------------------------------


def _error(document: dict[str, Any]) -> CodegenError:
    with pytest.raises(CodegenError) as caught:
        apply_overlay(sample(), document, SOURCE)
    return caught.value


@pytest.mark.parametrize("version", ["2.0.0", None, 1.0, "0.9"])
def test_a_wrong_overlay_version_is_an_error(version: Any) -> None:
    document = overlay({"target": "$.info", "update": {}}, version=version)
    if version is None:
        del document["overlay"]
    error = _error(document)
    assert error.where == f"{SOURCE} #/overlay"
    assert "overlay: 1.0.0" in str(error)


@pytest.mark.parametrize("actions", [[], None, {"target": "$"}, "remove"])
def test_missing_or_empty_actions_is_an_error(actions: Any) -> None:
    document = overlay()
    if actions is None:
        del document["actions"]
    else:
        document["actions"] = actions
    assert _error(document).where == f"{SOURCE} #/actions"


@pytest.mark.parametrize("target", ["$.paths[", "$.paths[?(@.x ==)]", "$$..", ""])
def test_a_bad_jsonpath_is_an_error_naming_the_action(target: str) -> None:
    error = _error(overlay({"target": "$.info", "update": {}}, {"target": target, "update": {}}))
    assert error.where == f"{SOURCE} #/actions/1"
    assert "JSONPath" in error.what


@pytest.mark.parametrize(
    "action",
    [
        {"target": "$.info"},
        {"target": "$.info", "remove": False},
        {"target": "$.info", "remove": "yes"},
        {"target": "$.paths['/nope']"},  # the target matches nothing: still a broken action
        {"update": {"x": 1}},
        {"target": 5, "remove": True},
        "remove everything",
    ],
)
def test_an_action_without_a_target_or_without_update_or_remove_is_an_error(action: Any) -> None:
    error = _error(overlay({"target": "$.info", "update": {}}, {"target": "$.info", "update": {}}, action))
    assert error.where == f"{SOURCE} #/actions/2"


def test_load_overlay_reads_yaml_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "10-names.yaml"
    path.write_text("overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n  - target: $.info\n    update: {}\n")
    assert load_overlay(path)["actions"] == [{"target": "$.info", "update": {}}]
    broken = tmp_path / "20-broken.yaml"
    broken.write_text("overlay: 1.0.0\nactions: [\n")
    with pytest.raises(CodegenError) as caught:
        load_overlay(broken)
    assert caught.value.where == str(broken)
    with pytest.raises(CodegenError) as missing:
        load_overlay(tmp_path / "nope.yaml")
    assert missing.value.where == str(tmp_path / "nope.yaml")


# --- in a project: spec/overlays/ applied in file-name order -----------------------------------------

OPERATION = "$.paths['/invoices/generate_invoice'].post"


def client_names(root: Path) -> set[str]:
    """Module and function names of the generated client: where an operation's method name shows up."""
    names: set[str] = set()
    for path in (root / OUT / "zenskar-client").rglob("*.py"):
        names.add(path.stem)
        names.update(re.findall(r"^\s*(?:async\s+)?def\s+(\w+)\(", path.read_text(encoding="utf-8"), re.M))
    return names


def _name_overlay(name: str) -> str:
    head = "overlay: 1.0.0\ninfo: {title: names, version: 1.0.0}\nactions:\n"
    return f"{head}  - target: {OPERATION}\n    update:\n      x-codegen-name: {name}\n"


def test_overlays_in_the_project_rename_the_generated_module(project: Path) -> None:
    overlays = project / "spec" / "overlays"
    # 20 runs after 10, so its name wins; a README in the folder is not an overlay.
    (overlays / "20-names.yaml").write_text(_name_overlay("create_invoice"), encoding="utf-8")
    (overlays / "10-names.yaml").write_text(_name_overlay("first_name"), encoding="utf-8")
    (overlays / "README.md").write_text("Overlays for our names.\n", encoding="utf-8")
    (overlays / "30-stale.json").write_text(
        json.dumps(overlay({"target": "$.paths['/gone'].get", "update": {"x": 1}})), encoding="utf-8"
    )
    result = codegen(project, "regenerate")
    assert result.returncode == 0, result.stderr
    assert "3 files, 3 actions" in result.stderr
    assert "30-stale.json: action 0 ($.paths['/gone'].get)" in result.stderr  # unmatched: a warning, not silence

    names = client_names(project)
    assert "create_invoice" in names
    assert "generate_an_invoice" not in names
    assert "first_name" not in names

    effective = json.loads((project / OUT / "zenskar.openapi.json").read_text(encoding="utf-8"))
    operation = effective["paths"]["/invoices/generate_invoice"]["post"]
    assert operation["x-codegen-name"] == "create_invoice"
    assert operation["operationId"] == "create_invoice"

    manifest = json.loads((project / OUT / "MANIFEST.json").read_text(encoding="utf-8"))
    assert sorted(manifest["inputs"]["overlays"]) == ["10-names.yaml", "20-names.yaml", "30-stale.json"]

    # Changing an overlay is a changed input: the next regenerate is not a no-op.
    (overlays / "20-names.yaml").write_text(_name_overlay("issue_invoice"), encoding="utf-8")
    drift = codegen(project, "check-drift")
    assert drift.returncode == 1, drift.stderr
    again = codegen(project, "regenerate")
    assert again.returncode == 0, again.stderr
    assert "nothing to do" not in again.stderr
    names = client_names(project)
    assert "issue_invoice" in names
    assert "create_invoice" not in names


def test_a_broken_overlay_fails_with_its_file_and_pointer(project: Path) -> None:
    before = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / OUT).rglob("*") if p.is_file()}
    path = project / "spec" / "overlays" / "10-broken.yaml"
    path.write_text("overlay: 1.0.0\ninfo: {title: t, version: 1.0.0}\nactions:\n  - target: $.info\n")
    result = codegen(project, "regenerate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path} #/actions/0" in result.stderr
    after = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / OUT).rglob("*") if p.is_file()}
    assert after == before
