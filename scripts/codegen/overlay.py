"""OpenAPI Overlay 1.0: JSONPath-targeted `update` and `remove` actions, applied in order."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codegen.document import parse_document, pointer
from codegen.errors import CodegenError

if TYPE_CHECKING:
    from jsonpath_ng import DatumInContext


_TARGET_EXAMPLE = "e.g. $.paths['/items'].get"


@dataclass(frozen=True)
class OverlayResult:
    source: str
    actions: int
    unmatched: list[str]  # "action N (target)" for actions whose target matched nothing


def merge(target: Any, update: Any) -> Any:
    """Overlay merge: objects merge key by key, arrays take the update's items appended, scalars are replaced."""
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = merge(target[key], value) if key in target else copy.deepcopy(value)
        return target
    if isinstance(target, list):
        target.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
        return target
    return copy.deepcopy(update)


def _remove(matches: list[DatumInContext]) -> None:
    from jsonpath_ng import Fields, Index

    # Delete list items from the highest index down so earlier indexes stay valid.
    def order(match: DatumInContext) -> int:
        return -match.path.indices[0] if isinstance(match.path, Index) else 0

    for match in sorted(matches, key=order):
        parent = match.context.value if match.context is not None else None
        if isinstance(match.path, Fields) and isinstance(parent, dict):
            for field in match.path.fields:
                parent.pop(field, None)
        elif isinstance(match.path, Index) and isinstance(parent, list):
            del parent[match.path.indices[0]]


def _apply_update(doc: dict[str, Any], matches: list[DatumInContext], update: Any) -> None:
    from jsonpath_ng import Fields, Index

    for match in matches:
        parent = match.context.value if match.context is not None else None
        merged = merge(match.value, update)
        if merged is match.value:
            continue
        if isinstance(match.path, Fields) and isinstance(parent, dict):
            parent[match.path.fields[0]] = merged
        elif isinstance(match.path, Index) and isinstance(parent, list):
            parent[match.path.indices[0]] = merged


def apply_overlay(doc: dict[str, Any], overlay: dict[str, Any], source: str) -> OverlayResult:
    """Apply one overlay document to `doc` in place."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext import parse as parse_jsonpath

    version = overlay.get("overlay")
    if not isinstance(version, str) or not version.startswith("1."):
        raise CodegenError(
            f"not an Overlay 1.x document (overlay field is {version!r})",
            where=f"{source} {pointer('overlay')}",
            hint="start the file with `overlay: 1.0.0`",
        )
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise CodegenError(
            "an overlay needs a non-empty `actions` list",
            where=f"{source} {pointer('actions')}",
            hint=f"add actions, each a `target` JSONPath ({_TARGET_EXAMPLE}) with `update: {{...}}` or `remove: true`",
        )
    unmatched: list[str] = []
    for number, action in enumerate(actions):
        where = f"{source} {pointer('actions', number)}"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise CodegenError(
                "each action needs a `target` JSONPath string", where=where, hint=f"add `target:` ({_TARGET_EXAMPLE})"
            )
        target = action["target"]
        try:
            expression = parse_jsonpath(target)
        except (JsonPathLexerError, JsonPathParserError, Exception) as exc:  # the parser raises bare Exception too
            raise CodegenError(
                f"invalid JSONPath {target!r}: {exc}", where=where, hint=f"fix the target ({_TARGET_EXAMPLE})"
            ) from None
        matches = expression.find(doc)
        if not matches:
            unmatched.append(f"action {number} ({target})")
            continue
        if action.get("remove") is True:
            _remove(matches)
        elif "update" in action:
            _apply_update(doc, matches, action["update"])
        else:
            raise CodegenError(
                "an action needs `update` or `remove: true`",
                where=where,
                hint="add `update:` with the fields to merge, or `remove: true` to delete the target",
            )
    return OverlayResult(source=source, actions=len(actions), unmatched=unmatched)


def load_overlay(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodegenError(
            f"cannot read the overlay: {exc.strerror}",
            where=str(path),
            hint="check the overlay's path (an Overlay 1.0 file in JSON or YAML)",
        ) from None
    return parse_document(data, str(path))
