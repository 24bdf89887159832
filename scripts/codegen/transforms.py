"""Named spec fixes applied before generation. Each: one function, one docstring line, one test.

A transform edits the document in place and returns how many places it changed. They fix the
input so generators can express it; they never drop an operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from codegen.document import iter_operations

Transform = Callable[[dict[str, Any]], int]

RENAME_EXTENSION = "x-codegen-name"


def apply_codegen_names(doc: dict[str, Any]) -> int:
    """Use an operation's `x-codegen-name` (set by an overlay) as its operationId, to rename the method."""
    changed = 0
    for _path, _method, operation in iter_operations(doc):
        name = operation.get(RENAME_EXTENSION)
        if isinstance(name, str) and name and operation.get("operationId") != name:
            operation["operationId"] = name
            changed += 1
    return changed


TRANSFORMS: list[Transform] = [
    apply_codegen_names,
]


def run_transforms(doc: dict[str, Any]) -> dict[str, int]:
    """Apply every transform in order; the count of changes per transform that changed something."""
    counts: dict[str, int] = {}
    for transform in TRANSFORMS:
        changed = transform(doc)
        if changed:
            counts[transform.__name__] = changed
    return counts
