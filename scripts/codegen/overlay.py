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


def _places(matches: list[DatumInContext]) -> list[tuple[Any, Any]]:
    """Each matched node as (its dict or list, its key or non-negative index), once, in match order."""
    from jsonpath_ng import Fields, Index

    seen: set[tuple[int, Any]] = set()
    places: list[tuple[Any, Any]] = []
    for match in matches:
        parent = match.context.value if match.context is not None else None
        if isinstance(match.path, Fields) and isinstance(parent, dict):
            keys: list[Any] = [field for field in match.path.fields if field in parent]
        elif isinstance(match.path, Index) and isinstance(parent, list):
            keys = [i + len(parent) if i < 0 else i for i in match.path.indices]  # `[-1]` is the last item
        else:
            continue  # the document root has no parent
        for key in keys:
            if (id(parent), key) not in seen:
                seen.add((id(parent), key))
                places.append((parent, key))
    return places


def _remove(matches: list[DatumInContext]) -> None:
    # Delete list items from the highest index down so the indexes still to delete stay valid.
    for parent, key in sorted(_places(matches), key=lambda place: -place[1] if isinstance(place[1], int) else 0):
        del parent[key]


def _apply_update(doc: dict[str, Any], matches: list[DatumInContext], update: Any) -> None:
    if any(match.context is None and match.value is doc for match in matches):
        merge(doc, update)  # `$`: an object merges in place
    for parent, key in _places(matches):
        parent[key] = merge(parent[key], update)


def apply_overlay(doc: dict[str, Any], overlay: dict[str, Any], source: str) -> OverlayResult:
    """Apply one overlay document to `doc` in place."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext.parser import parse as parse_jsonpath

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
        remove = action.get("remove") is True
        if not remove and "update" not in action:  # checked before matching: a broken action is never silent
            raise CodegenError(
                "an action needs `update` or `remove: true`",
                where=where,
                hint="add `update:` with the fields to merge, or `remove: true` to delete the target",
            )
        matches = expression.find(doc)
        if not matches:
            unmatched.append(_unmatched(number, target))
        elif remove:
            _remove(matches)
        else:
            _apply_update(doc, matches, action["update"])
    return OverlayResult(source=source, actions=len(actions), unmatched=unmatched)


def _unmatched(number: int, target: str) -> str:
    note = f"action {number} ({target})"
    if "[?" in target:
        note += (
            "; note: a filter [?…] tests the children of the node before it (RFC 9535), "
            "e.g. $.paths.*[?@.operationId == 'x'] selects the operation"
        )
    return note


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
