"""Transforms on the values a schema allows (registered in transforms.TRANSFORMS): one function, one docstring line,
one test each."""

from __future__ import annotations

from typing import Any

from codegen.spec_walk import iter_schemas


def nullable_enum_lists_null(doc: dict[str, Any]) -> int:
    """An enum schema with `nullable: true` lists null among its values (OpenAPI 3.0.3 §4.7.24: nullable adds null)."""
    changed = 0
    for schema in iter_schemas(doc):
        values = schema.get("enum")
        if schema.get("nullable") is True and isinstance(values, list) and None not in values:
            schema["enum"] = [*values, None]  # the generators read a null member as "this value may be null"
            changed += 1
    return changed
