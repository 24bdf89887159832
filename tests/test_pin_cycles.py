"""`update-spec` on a valid 3.1 document whose schemas cycle through oneOf/allOf (issue 13, kind 11).

openapi-spec-validator's schema checks recurse without end on such a cycle; the pin must still be made
(checked against the OpenAPI schema of its version, said so in the lock), and a broken document with
such a cycle must get one clear error, never a RecursionError traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import FIXTURES
from regen_helpers import LOCK, SPEC, assert_clean_failure, codegen, new_project, project_state

CYCLE = FIXTURES / "cycle_oneof_allof_31.yaml"


def test_a_schema_cycle_through_one_of_and_all_of_is_pinned_and_generated(tmp_path: Path) -> None:
    root = new_project(tmp_path / "project")
    result = codegen(root, "update-spec", "--file", str(CYCLE))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pinned = json.loads((root / SPEC).read_bytes())
    assert pinned == yaml.safe_load(CYCLE.read_text(encoding="utf-8"))  # YAML is pinned as its JSON form
    lock = json.loads((root / LOCK).read_text(encoding="utf-8"))
    assert lock["validator"]["verdict"].startswith("valid against the OpenAPI schema")
    assert "cycle" in lock["validator"]["verdict"]
    assert "generated 1 of 1 operations" in result.stderr


def test_an_invalid_document_with_a_schema_cycle_is_one_clear_error(tmp_path: Path) -> None:
    root = new_project(tmp_path / "project")
    doc = yaml.safe_load(CYCLE.read_text(encoding="utf-8"))
    doc["paths"]["/nodes/{id}"]["get"]["responses"]["200"]["description"] = 404  # must be a string
    source = tmp_path / "broken.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    before = project_state(root)
    result = codegen(root, "update-spec", "--file", str(source))
    assert_clean_failure(
        result, "not a valid OpenAPI document", "#/paths/~1nodes~1{id}/get/responses/200/description", str(source)
    )
    assert project_state(root) == before
