"""The schema facts that decide behaviour, read once with every `$ref` resolved in one place.

Nullability (OpenAPI 3.0 `nullable`, directly or through a `$ref`; 3.1 `type: [..., "null"]`; a
`null` member of `anyOf`/`oneOf`), readOnly/writeOnly (OpenAPI 3.1 §4.8.24 defers to JSON Schema
2020-12 validation §9.4: readOnly values are not sent in requests, writeOnly ones not returned),
enums and discriminators (OpenAPI 3.1 §4.8.25: an explicit `mapping`, else the component name of
each `oneOf`/`anyOf` member). Strings from the document are untrusted: they are only compared and
returned, never evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

MAX_REF_CHAIN = 32  # longer `$ref` chains are treated as unresolvable
SCHEMA_PREFIX = "#/components/schemas/"
Direction = Literal["request", "response"]


def mapping(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one: documents put anything anywhere."""
    return value if isinstance(value, dict) else {}


def pointer_tokens(ref: str) -> list[str] | None:
    """The reference tokens of a local `#/…` reference, or None for another kind of reference.

    RFC 6901 §6: a URI fragment is percent-decoded (`%7B` → `{`, `%20` → space) before it is read as a
    JSON pointer, then `~1` is `/` and `~0` is `~` (§4)."""
    if not ref.startswith("#"):
        return None
    fragment = unquote(ref[1:], errors="strict")
    if fragment and not fragment.startswith("/"):
        return None  # a plain-name fragment (an anchor), not a JSON pointer
    return [raw.replace("~1", "/").replace("~0", "~") for raw in fragment.split("/")[1:]]


def value_at(doc: Any, tokens: list[str]) -> Any:
    """The value at decoded reference tokens (a key of an object, an index of an array); KeyError if absent."""
    node = doc
    for part in tokens:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(part)
    return node


def resolve_pointer(doc: Any, ref: str) -> Any:
    """The value a local `#/…` reference points at, read as `pointer_tokens` says; KeyError if absent."""
    try:
        tokens = pointer_tokens(ref)
    except UnicodeDecodeError:  # a percent-escape that is not UTF-8 names no key
        tokens = None
    if tokens is None:
        raise KeyError(ref)
    try:
        return value_at(doc, tokens)
    except KeyError:
        raise KeyError(ref) from None


@dataclass(frozen=True)
class Discriminator:
    """`discriminator` of a `oneOf`/`anyOf`: which property names the member, and each value's schema."""

    property_name: str
    mapping: tuple[tuple[str, str], ...]  # (value, `#/components/schemas/X` reference), explicit first

    def schema_for(self, value: str) -> str | None:
        return next((ref for key, ref in self.mapping if key == value), None)


@dataclass(frozen=True)
class SchemaFacts:
    """What consumers decide behaviour on; `ref` is the last `$ref` followed (None for inline schemas)."""

    ref: str | None
    kind: str | None  # object | array | string | integer | number | boolean | null | None (untyped)
    nullable: bool
    read_only: bool
    write_only: bool
    enum: tuple[Any, ...] | None
    discriminator: Discriminator | None
    const: tuple[Any] | None = None  # (value,) when the schema has `const`


class Resolver:
    """Follows the local `$ref`s of one document. A 3.1 `$ref`'s sibling keywords are merged over its target."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc

    def chain(self, node: Any) -> list[tuple[Any, str | None]]:
        """Every node met following `node`'s `$ref` chain, with the reference that led to it."""
        found: list[tuple[Any, str | None]] = [(node, None)]
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and len(found) <= MAX_REF_CHAIN:
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#"):
                break
            seen.add(ref)
            try:
                node = resolve_pointer(self.doc, ref)
            except KeyError:
                break
            found.append((node, ref))
        return found

    def deref(self, node: Any, depth: int = 0) -> Any:
        """The node with its `$ref` chain followed; siblings of a `$ref` win over the target's keywords.
        An `allOf` of one member (3.0's way to annotate a `$ref`, e.g. with a default) is that member with
        the siblings over it."""
        chain = self.chain(node)
        merged = chain[-1][0]
        for part, _ in reversed(chain[:-1]):
            siblings = {k: v for k, v in part.items() if k != "$ref"} if isinstance(part, dict) else {}
            if siblings and isinstance(merged, dict):
                merged = {**merged, **siblings}
        if not isinstance(merged, dict):
            return merged
        members = merged.get("allOf")
        if isinstance(members, list) and len(members) == 1 and depth < MAX_REF_CHAIN:
            inner = self.deref(members[0], depth + 1)
            if isinstance(inner, dict) and inner:
                merged = {**inner, **{k: v for k, v in merged.items() if k != "allOf"}}
        return merged if "$ref" not in merged else {}

    def last_ref(self, node: Any) -> str | None:
        refs = [ref for _, ref in self.chain(node) if ref is not None]
        return refs[-1] if refs else None

    def facts(self, schema: Any) -> SchemaFacts:
        chain = [part for part, _ in self.chain(schema) if isinstance(part, dict)]
        resolved = self.deref(schema)
        resolved = resolved if isinstance(resolved, dict) else {}
        enum = resolved.get("enum")
        return SchemaFacts(
            ref=self.last_ref(schema),
            kind=schema_kind(resolved),
            nullable=self.nullable(schema),
            read_only=any(part.get("readOnly") is True for part in chain),
            write_only=any(part.get("writeOnly") is True for part in chain),
            enum=tuple(enum) if isinstance(enum, list) and enum else None,
            discriminator=self.discriminator(resolved),
            const=(resolved["const"],) if "const" in resolved else None,
        )

    def nullable(self, schema: Any, depth: int = 0) -> bool:
        """Whether null is a valid value: `nullable: true` anywhere on the `$ref` chain (3.0), a `null`
        type (3.1), `enum` with null, or a nullable `anyOf`/`oneOf` member."""
        if depth > MAX_REF_CHAIN:
            return False
        for part, _ in self.chain(schema):
            if not isinstance(part, dict):
                continue
            kind = part.get("type")
            if part.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
                return True
            if isinstance(part.get("enum"), list) and None in part["enum"]:
                return True
            for combinator in ("anyOf", "oneOf"):
                members = part.get(combinator)
                if isinstance(members, list) and any(self.nullable(m, depth + 1) for m in members):
                    return True
        return False

    def discriminator(self, schema: Mapping[str, Any]) -> Discriminator | None:
        raw = schema.get("discriminator")
        if not isinstance(raw, dict) or not isinstance(raw.get("propertyName"), str):
            return None
        pairs: list[tuple[str, str]] = []
        for value, target in mapping(raw.get("mapping")).items():
            if isinstance(target, str) and target:
                pairs.append((str(value), target if target.startswith("#") else f"{SCHEMA_PREFIX}{target}"))
        mapped = {target for _, target in pairs}
        members = [*(schema.get("oneOf") or []), *(schema.get("anyOf") or [])]
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX) and ref not in mapped:
                pairs.append((ref[len(SCHEMA_PREFIX) :], ref))  # implicit: the component's name
        return Discriminator(raw["propertyName"], tuple(pairs))

    def required_properties(self, schema: Any, direction: Direction) -> tuple[str, ...]:
        """The `required` names that apply in one direction: readOnly properties are never required in a
        request, writeOnly ones never in a response (JSON Schema validation §9.4; OpenAPI 3.0 §4.7.25)."""
        resolved = self.deref(schema)
        if not isinstance(resolved, dict) or not isinstance(resolved.get("required"), list):
            return ()
        properties = mapping(resolved.get("properties"))
        skip = "read_only" if direction == "request" else "write_only"
        kept: list[str] = []
        for name in resolved["required"]:
            if not isinstance(name, str):
                continue
            prop = properties.get(name)
            if prop is not None and getattr(self.facts(prop), skip):
                continue
            kept.append(name)
        return tuple(kept)


def schema_kind(schema: Mapping[str, Any]) -> str | None:
    """The JSON type a schema describes (the first non-null one of a 3.1 type list), inferred from
    object or array keywords when `type` is absent; None for an untyped schema."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [str(k) for k in kind if k != "null"]
        return kinds[0] if kinds else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None
