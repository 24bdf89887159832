"""What changed between two effective OpenAPI documents, for callers of the generated SDK.

`diff_documents(old, new)` walks operations by method and path and compares parameters, request
bodies, responses, security and the schemas under them ($refs resolved, cycles cut). Each finding
is a `Change`: its kind, where (the operation, or `components`), a JSON pointer into the document
that holds it (the new one, or the old one for something removed), whether it breaks a caller, and
a plain-text message. Rendering (text, Markdown, JSON) lives in changelog.py, not here.

Direction matters: a request schema may widen (callers still send what they sent) but not narrow;
a response schema may narrow (callers still read what they read) but not widen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Literal

from codegen.diff_walk import Change as Change
from codegen.diff_walk import Doc, Walk, compare_schema, named
from codegen.document import HTTP_METHODS, pointer, pointer_part
from codegen.operation_names import RESOURCE_EXTENSION
from codegen.spec_model import SpecModel, build_spec_model

# Kinds that add something callers can use: they bump the minor version from 1.0 on.
ADDITIVE_KINDS = frozenset(
    {
        "operation-added",
        "parameter-added",
        "request-body-added",
        "field-added",
        "enum-value-added",
        "response-added",
        "media-type-added",
        "security-scheme-added",
    }
)


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change a caller of the SDK could notice, in a stable order (by operation, then pointer)."""
    walk = Walk(Doc(old), Doc(new), build_spec_model(old), build_spec_model(new))
    old_ops, new_ops = dict(_operations(old)), dict(_operations(new))
    for key in sorted(old_ops.keys() | new_ops.keys(), key=_operation_order):
        path, method = key
        walk.where, walk.seen = f"{method.upper()} {path}", set()
        at = pointer("paths", path, method)
        if key not in new_ops:
            walk.add(at, "operation-removed", True, f"operation removed ({_label(walk.old_model, method, path)})")
        elif key not in old_ops:
            walk.add(at, "operation-added", False, f"new operation ({_label(walk.new_model, method, path)})")
        else:
            _compare_operation(walk, path, method, old_ops[key], new_ops[key], at)
    walk.where = "components"
    _compare_security_schemes(walk)
    return sorted(walk.changes, key=_change_order)


def is_breaking(changes: list[Change]) -> bool:
    return any(change.breaking for change in changes)


def bump_level(changes: list[Change]) -> Literal["major", "minor", "patch"]:
    """Semver level for callers: breaking → major; something added → minor; anything else → patch."""
    if is_breaking(changes):
        return "major"
    if any(change.kind in ADDITIVE_KINDS for change in changes):
        return "minor"
    return "patch"


def bump_version(version: str, level: Literal["major", "minor", "patch"]) -> str:
    """Semver bump of a release version; below 1.0 a breaking change bumps the minor and anything else the patch."""
    parts = [int(p) for p in _release(version).split(".")]
    major, minor, patch = (parts + [0, 0, 0])[:3]
    if major == 0:
        level = "minor" if level == "major" else "patch"
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _release(version: str) -> str:
    """The numeric release part of a PEP 440 version (1.2.0rc1 → 1.2.0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    return match.group(0) if match else "0"


# --- operations --------------------------------------------------------------------------------------


def _operations(doc: dict[str, Any]) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield (str(path), method), {**operation, "x-path-parameters": shared}


def _operation_order(key: tuple[str, str]) -> tuple[str, int]:
    return key[0], HTTP_METHODS.index(key[1])


def _change_order(change: Change) -> tuple[int, str, str, str, str]:
    if change.where == "components":
        return 2, "", "", change.pointer, change.message
    method, _, path = change.where.partition(" ")
    return 1, path, f"{HTTP_METHODS.index(method.lower()):02d}", change.pointer, change.kind + change.message


def _label(model: SpecModel, method: str, path: str) -> str:
    """The SDK call and the operationId: `client.customers.list_customers`, operationId listCustomers."""
    op = model.operation(method, path)
    if op is None:
        return "operationId ?"
    operation_id = named(op.operation_id) if op.operation_id else "—"
    return f"{named(f'client.{op.resource}.{op.python_name}')}, operationId {operation_id}"


def _method_name(model: SpecModel, method: str, path: str) -> str:
    """The SDK method's name, as the spec model gives it to the client and the mock."""
    op = model.operation(method, path)
    return op.python_name if op is not None else ""


def _resource(model: SpecModel, method: str, path: str) -> str:
    """The SDK resource (`client.<resource>`) the spec model puts the operation in."""
    op = model.operation(method, path)
    return op.resource if op is not None else ""


def _compare_operation(walk: Walk, path: str, method: str, old: dict[str, Any], new: dict[str, Any], at: str) -> None:
    old_name, new_name = _method_name(walk.old_model, method, path), _method_name(walk.new_model, method, path)
    if old_name != new_name:
        message = f"method renamed from {named(old_name)} to {named(new_name)}"
        walk.add(f"{at}/operationId", "operation-renamed", True, message)
    old_resource, new_resource = _resource(walk.old_model, method, path), _resource(walk.new_model, method, path)
    if old_resource != new_resource:
        moved_by = RESOURCE_EXTENSION if old.get(RESOURCE_EXTENSION) != new.get(RESOURCE_EXTENSION) else "tags"
        message = f"moved from resource {named(old_resource)} to {named(new_resource)}"
        walk.add(f"{at}/{moved_by}", "operation-moved", True, message)
    if bool(new.get("deprecated")) and not bool(old.get("deprecated")):
        walk.add(f"{at}/deprecated", "operation-deprecated", False, "operation deprecated")
    _compare_parameters(walk, old, new, at)
    _compare_request_body(walk, old.get("requestBody"), new.get("requestBody"), f"{at}/requestBody")
    _compare_responses(walk, old.get("responses"), new.get("responses"), f"{at}/responses")
    _compare_security(walk, old, new, at)


# --- parameters --------------------------------------------------------------------------------------


def _parameters(doc: Doc, operation: dict[str, Any], at: str) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """(in, name) → (parameter, pointer); operation-level parameters override path-level ones."""
    found: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    path_at = at.rsplit("/", 1)[0] + "/parameters"
    sources = ((operation.get("x-path-parameters"), path_at), (operation.get("parameters"), f"{at}/parameters"))
    for source, base in sources:
        if not isinstance(source, list):
            continue
        for index, raw in enumerate(source):
            param, where, _ref = doc.resolve(raw, f"{base}/{index}")
            if isinstance(param, dict) and "name" in param:
                location, name = str(param.get("in", "")), str(param["name"])
                # Header names are case-insensitive (RFC 9110 §5.1): `X-Trace` → `x-trace` changes nothing.
                found[(location, name.lower() if location == "header" else name)] = (param, where)
    return found


def _compare_parameters(walk: Walk, old: dict[str, Any], new: dict[str, Any], at: str) -> None:
    before, after = _parameters(walk.old, old, at), _parameters(walk.new, new, at)
    for key in sorted(before.keys() | after.keys()):
        location, name = key
        label = f"{location} parameter {named(name)}"
        if key not in after:
            walk.add(before[key][1], "parameter-removed", True, f"{label} removed")
            continue
        param, where = after[key]
        if key not in before:
            required = bool(param.get("required"))
            kind = "required" if required else "optional"
            walk.add(where, "parameter-added", required, f"new {kind} {label}")
            continue
        old_param = before[key][0]
        if bool(param.get("required")) and not bool(old_param.get("required")):
            walk.add(where, "made-required", True, f"{label} is now required")
        elif bool(old_param.get("required")) and not bool(param.get("required")):
            walk.add(where, "made-optional", False, f"{label} is now optional")
        old_at = before[key][1] + "/schema"
        compare_schema(walk, old_param.get("schema"), param.get("schema"), old_at, where + "/schema", "request", label)


# --- request bodies and responses --------------------------------------------------------------------


def _content(node: Any) -> dict[str, Any]:
    content = node.get("content") if isinstance(node, dict) else None
    return content if isinstance(content, dict) else {}


def _compare_request_body(walk: Walk, old_raw: Any, new_raw: Any, at: str) -> None:
    old, old_at, _ = walk.old.resolve(old_raw, at)
    new, new_at, _ = walk.new.resolve(new_raw, at)
    if not old and not new:
        return
    if not new:
        walk.add(old_at, "request-body-removed", True, "request body removed")
        return
    required = bool(new.get("required"))
    if not old:
        walk.add(new_at, "request-body-added", required, f"new {'required' if required else 'optional'} request body")
        return
    if required and not bool(old.get("required")):
        walk.add(new_at, "made-required", True, "request body is now required")
    _compare_content(
        walk,
        (old, old_at),
        (new, new_at),
        direction="request",
        label="request body",
        removed=(True, lambda label, media: f"{label} {named(media)} no longer accepted"),
        added=lambda label, media: f"{label} {named(media)} now accepted",
    )


def _compare_content(
    walk: Walk,
    old: tuple[Any, str],
    new: tuple[Any, str],
    *,
    direction: Literal["request", "response"],
    label: str,
    removed: tuple[bool, Callable[[str, str], str]],  # (breaking, message from label and media type)
    added: Callable[[str, str], str],
) -> None:
    """Media types of a request body or a response: removed, added, or their schemas compared."""
    (old_node, old_at), (new_node, new_at) = old, new
    old_content, new_content = _content(old_node), _content(new_node)
    removed_breaking, removed_message = removed
    for media in sorted(old_content.keys() | new_content.keys()):
        if media not in new_content:
            where = f"{old_at}/content/{pointer_part(media)}"
            walk.add(where, "media-type-removed", removed_breaking, removed_message(label, media))
        elif media not in old_content:
            walk.add(f"{new_at}/content/{pointer_part(media)}", "media-type-added", False, added(label, media))
        else:
            compare_schema(
                walk,
                _schema_of(old_content[media]),
                _schema_of(new_content[media]),
                f"{old_at}/content/{pointer_part(media)}/schema",
                f"{new_at}/content/{pointer_part(media)}/schema",
                direction,
                label,
            )


def _compare_responses(walk: Walk, old_raw: Any, new_raw: Any, at: str) -> None:
    old = old_raw if isinstance(old_raw, dict) else {}
    new = new_raw if isinstance(new_raw, dict) else {}
    for status in sorted(set(map(str, old)) | set(map(str, new))):
        success = status.startswith("2") or status == "default"
        label = f"response {status}"
        if status not in new:
            walk.add(f"{at}/{status}", "response-removed", success, f"{label} removed")
            continue
        if status not in old:
            walk.add(f"{at}/{status}", "response-added", False, f"new {label}")
            continue
        old_resp, old_at, _ = walk.old.resolve(old[status], f"{at}/{status}")
        new_resp, new_at, _ = walk.new.resolve(new[status], f"{at}/{status}")
        _compare_content(
            walk,
            (old_resp, old_at),
            (new_resp, new_at),
            direction="response",
            label=label,
            removed=(success, lambda label, media: f"{label} {named(media)} removed"),
            added=lambda label, media: f"new {label} {named(media)}",
        )


def _schema_of(media: Any) -> Any:
    return media.get("schema") if isinstance(media, dict) else None


def _requirements(doc: dict[str, Any], operation: dict[str, Any]) -> set[frozenset[str]]:
    """The alternatives of scheme names an operation accepts; {∅} when it needs no credentials."""
    raw = operation.get("security", doc.get("security"))
    if not isinstance(raw, list) or not raw:
        return {frozenset()}
    return {frozenset(map(str, alt)) for alt in raw if isinstance(alt, dict)} or {frozenset()}


def _compare_security(walk: Walk, old: dict[str, Any], new: dict[str, Any], at: str) -> None:
    before, after = _requirements(walk.old.root, old), _requirements(walk.new.root, new)
    if before == after:
        return
    # Breaking when a set of credentials that worked before satisfies no alternative any more.
    breaking = any(not any(alt <= creds for alt in after) for creds in before)
    walk.add(
        f"{at}/security",
        "security-changed",
        breaking,
        f"credentials required changed from {_show(before)} to {_show(after)}",
    )


def _show(alternatives: set[frozenset[str]]) -> str:
    shown = sorted(" + ".join(named(scheme) for scheme in sorted(alt)) or "none" for alt in alternatives)
    return " or ".join(shown)


def _compare_security_schemes(walk: Walk) -> None:
    old, new = _schemes(walk.old.root), _schemes(walk.new.root)
    for name in sorted(old.keys() | new.keys()):
        at = pointer("components", "securitySchemes", name)
        if name not in new:
            walk.add(at, "security-scheme-removed", True, f"security scheme {named(name)} removed")
        elif name not in old:
            walk.add(at, "security-scheme-added", False, f"new security scheme {named(name)}")
        else:
            keys = ("type", "in", "name", "scheme", "bearerFormat")
            moved = [k for k in keys if old[name].get(k) != new[name].get(k)]
            if moved:
                detail = ", ".join(f"{k} {_value(old[name].get(k))} → {_value(new[name].get(k))}" for k in moved)
                walk.add(at, "security-scheme-changed", True, f"security scheme {named(name)} changed: {detail}")


def _value(value: Any) -> str:
    return "none" if value is None else named(value)


def _schemes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    return {str(k): v for k, v in schemes.items() if isinstance(v, dict)}
