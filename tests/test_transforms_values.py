"""Transforms on the values a schema allows (scripts/codegen/transforms_values.py), one test each."""

from __future__ import annotations

from typing import Any

from codegen.transforms import run_transforms
from codegen.transforms_values import nullable_enum_lists_null


def test_nullable_enum_lists_null() -> None:
    """OpenAPI 3.0.3: `nullable: true` adds null to the allowed values, enum or not (openapi-python-client#1405)."""
    source: dict[str, Any] = {"type": "string", "enum": ["sensor", "manual"], "nullable": True}
    listed: dict[str, Any] = {"type": "string", "enum": ["a", None], "nullable": True}
    plain: dict[str, Any] = {"type": "string", "enum": ["x"]}
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {"Source": source, "Listed": listed, "Plain": plain}},
    }
    assert nullable_enum_lists_null(doc) == 1
    assert source["enum"] == ["sensor", "manual", None]
    assert listed["enum"] == ["a", None] and plain["enum"] == ["x"]
    again: dict[str, Any] = {
        "openapi": "3.0.3",
        "paths": {},
        "components": {"schemas": {"S": {"enum": [1], "nullable": True}}},
    }
    assert run_transforms(again)["nullable_enum_lists_null"] == 1  # registered in the pipeline's transforms
