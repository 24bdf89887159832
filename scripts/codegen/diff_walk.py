"""The diff's building blocks: a finding (`Change`), a document with its $ref resolver, the walk that
collects findings, and the comparison of two schemas (used for parameters, bodies and responses).

Direction matters: a request schema may widen (callers still send what they sent) but not narrow;
a response schema may narrow (callers still read what they read) but not widen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from codegen.document import pointer_part
from codegen.schema_facts import resolve_pointer
from codegen.spec_model import SpecModel

Direction = Literal["request", "response"]

NUMERIC_WIDER = {"integer": "number"}  # an integer is also a number

# A name from a document inside a message (a parameter, field, scheme, method, media type, enum value) sits
# between these two marks: Markdown renders it as a code span, unescaped; text and JSON in backticks.
NAME_START, NAME_END = "\x02", "\x03"


_NAMED = re.compile(f"{NAME_START}(.*?){NAME_END}", re.DOTALL)


def named(value: Any) -> str:
    """`value` marked as a name for the renderers (changelog.py); marks inside it are dropped."""
    text = str(value).replace(NAME_START, "").replace(NAME_END, "")
    return f"{NAME_START}{text}{NAME_END}"


def message_parts(message: str) -> list[tuple[str, bool]]:
    """A message as (text, is_name) pieces, in order."""
    pieces = _NAMED.split(message)
    return [(piece, index % 2 == 1) for index, piece in enumerate(pieces) if piece or index % 2 == 1]


def code_span(text: str) -> str:
    """Text as one inline code span (Markdown, and plain text alike): the fence outruns any backticks inside."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain_message(message: str) -> str:
    """The message for terminals and JSON: names in backticks."""
    return "".join(code_span(text) if is_name else text for text, is_name in message_parts(message))


@dataclass(frozen=True, order=True)
class Change:
    where: str  # "POST /invoices/generate_invoice", or "components" for document-wide findings
    pointer: str  # RFC 6901 pointer (as a URI fragment) into the document holding the finding
    kind: str  # e.g. operation-removed, parameter-added, type-changed, enum-value-removed
    breaking: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "where": self.where,
            "pointer": self.pointer,
            "breaking": self.breaking,
            "message": plain_message(self.message),
        }


@dataclass
class Doc:
    """One document and its $ref resolver."""

    root: dict[str, Any]

    def resolve(self, node: Any, at: str) -> tuple[Any, str, str | None]:
        """Follow $refs (local ones only); the node, its pointer, and the last $ref followed (for cycles)."""
        ref: str | None = None
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = node["$ref"]
            if target in seen or not target.startswith("#"):
                return {}, at, target
            seen.add(target)
            ref = target
            node, at = self._lookup(target), target
        return node, at, ref

    def _lookup(self, ref: str) -> Any:
        try:
            node = resolve_pointer(self.root, ref)
        except KeyError:
            return {}
        return node if node is not None else {}


@dataclass
class Walk:
    old: Doc
    new: Doc
    old_model: SpecModel
    new_model: SpecModel
    changes: list[Change] = field(default_factory=list)
    where: str = ""
    seen: set[tuple[str | None, str | None, str]] = field(default_factory=set)

    def add(self, at: str, kind: str, breaking: bool, message: str) -> None:
        self.changes.append(Change(self.where, at, kind, breaking, message))


# --- schemas -----------------------------------------------------------------------------------------


@dataclass
class _Shape:
    """The parts of a schema a caller's code depends on, with $refs, nullability and allOf folded in."""

    node: dict[str, Any]
    at: str
    types: frozenset[str]
    nullable: bool
    properties: dict[str, tuple[Any, str]]
    required: frozenset[str]


def _shape(doc: Doc, raw: Any, at: str) -> tuple[_Shape, str | None]:
    node, at, ref = doc.resolve(raw, at)
    node = node if isinstance(node, dict) else {}
    nullable = bool(node.get("nullable"))
    for key in ("anyOf", "oneOf"):  # [X, null] is a nullable X
        variants = node.get(key)
        if isinstance(variants, list) and len(variants) == 2:
            nulls = [i for i, v in enumerate(variants) if isinstance(v, dict) and v.get("type") == "null"]
            if len(nulls) == 1:
                other = 1 - nulls[0]
                inner, inner_ref = _shape(doc, variants[other], f"{at}/{key}/{other}")
                inner.nullable = True
                return inner, inner_ref or ref
    raw_type = node.get("type")
    types: set[str] = set(map(str, raw_type)) if isinstance(raw_type, list) else set()
    if isinstance(raw_type, str):
        types.add(raw_type)
    if "null" in types:
        types.discard("null")
        nullable = True
    properties: dict[str, tuple[Any, str]] = {}
    required: set[str] = set()
    members = [(node, at)]
    if isinstance(node.get("allOf"), list):
        for index, member in enumerate(node["allOf"]):
            resolved, member_at, _ = doc.resolve(member, f"{at}/allOf/{index}")
            if isinstance(resolved, dict):
                members.append((resolved, member_at))
                if isinstance(resolved.get("type"), str) and not types:
                    types.add(resolved["type"])
    for member, member_at in members:
        props = member.get("properties")
        if isinstance(props, dict):
            for name, schema in props.items():
                properties[str(name)] = (schema, f"{member_at}/properties/{pointer_part(str(name))}")
        if isinstance(member.get("required"), list):
            required.update(map(str, member["required"]))
    return _Shape(node, at, frozenset(types), nullable, properties, frozenset(required)), ref


def compare_schema(
    walk: Walk, old_raw: Any, new_raw: Any, old_at: str, new_at: str, direction: Direction, label: str
) -> None:
    if old_raw is None or new_raw is None:
        return
    old, old_ref = _shape(walk.old, old_raw, old_at)
    new, new_ref = _shape(walk.new, new_raw, new_at)
    visit = (old_ref, new_ref, direction)
    if old_ref is not None and new_ref is not None:
        if visit in walk.seen:
            return  # a recursive schema: compared once per operation and direction
        walk.seen.add(visit)
    request = direction == "request"
    _compare_types(walk, old, new, direction, label)
    if new.nullable != old.nullable:
        if new.nullable:
            walk.add(new.at, "nullable-changed", not request, f"{label} may now be null")
        else:
            walk.add(new.at, "nullable-changed", request, f"{label} no longer accepts null")
    _compare_format(walk, old, new, direction, label)
    _compare_enum(walk, old, new, label)
    _compare_properties(walk, old, new, direction, label)
    for key in ("items", "additionalProperties"):
        old_child, new_child = old.node.get(key), new.node.get(key)
        if isinstance(old_child, dict) and isinstance(new_child, dict):
            suffix = "[]" if key == "items" else "{}"
            compare_schema(
                walk, old_child, new_child, f"{old.at}/{key}", f"{new.at}/{key}", direction, f"{label}{suffix}"
            )


def _compare_types(walk: Walk, old: _Shape, new: _Shape, direction: Direction, label: str) -> None:
    if not old.types or not new.types or old.types == new.types:
        return
    widened = all(t in new.types or NUMERIC_WIDER.get(t) in new.types for t in old.types)
    narrowed = all(t in old.types or NUMERIC_WIDER.get(t) in old.types for t in new.types)
    breaking = not widened if direction == "request" else not narrowed
    how = "widened" if widened else "narrowed" if narrowed else "changed"
    walk.add(
        new.at,
        "type-changed",
        breaking,
        f"{label}: type {how} from {'|'.join(sorted(old.types))} to {'|'.join(sorted(new.types))}",
    )


def _compare_format(walk: Walk, old: _Shape, new: _Shape, direction: Direction, label: str) -> None:
    before, after = old.node.get("format"), new.node.get("format")
    if before == after:
        return
    # The format decides the Python type (date-time → datetime, uuid → UUID): a change changes the caller's type,
    # except a format dropped from something the caller sends (any string is still accepted).
    breaking = not (direction == "request" and after is None)
    shown = [named(value) if value else "none" for value in (before, after)]
    message = f"{label}: format changed from {shown[0]} to {shown[1]}"
    walk.add(new.at, "format-changed", breaking, message)


def _compare_enum(walk: Walk, old: _Shape, new: _Shape, label: str) -> None:
    before, after = old.node.get("enum"), new.node.get("enum")
    if not isinstance(before, list) or not isinstance(after, list):
        if isinstance(after, list) and not isinstance(before, list) and old.node:
            walk.add(new.at, "enum-value-removed", True, f"{label}: now limited to {_values(after)}")
        return
    removed = [v for v in before if v not in after]
    added = [v for v in after if v not in before]
    if removed:
        walk.add(new.at, "enum-value-removed", True, f"{label}: enum values removed: {_values(removed)}")
    if added:
        walk.add(new.at, "enum-value-added", False, f"{label}: enum values added: {_values(added)}")


def _values(values: list[Any]) -> str:
    return ", ".join(named(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v) for v in values)


def _compare_properties(walk: Walk, old: _Shape, new: _Shape, direction: Direction, label: str) -> None:
    request = direction == "request"
    for key in sorted(old.properties.keys() | new.properties.keys()):
        field_label = f"{label} field {named(key)}"
        if key not in new.properties:
            walk.add(old.properties[key][1], "field-removed", True, f"{field_label} removed")
            continue
        new_schema, new_at = new.properties[key]
        is_required = key in new.required
        if key not in old.properties:
            kind = "required" if is_required else "optional"
            walk.add(new_at, "field-added", request and is_required, f"new {kind} {field_label}")
            continue
        was_required = key in old.required
        if is_required and not was_required:
            walk.add(new_at, "made-required", request, f"{field_label} is now required")
        elif was_required and not is_required:
            walk.add(new_at, "made-optional", not request, f"{field_label} is now optional")
        old_schema, old_at = old.properties[key]
        compare_schema(walk, old_schema, new_schema, old_at, new_at, direction, field_label)
