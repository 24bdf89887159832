"""Types of the generated client: a small tree per property, rendered as annotations and decoders."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen.client_names import untrusted
from codegen.render import py_str
from codegen.schema_facts import Discriminator

# ---------------------------------------------------------------------------------------------
# Types: a small tree per property, rendered as annotations and decoding expressions


@dataclass(frozen=True)
class ClassRef:
    name: str  # class name in the models package
    module: str  # module under models/


@dataclass(frozen=True)
class Tag:
    """A union's discriminator (OpenAPI 3.1 §4.8.25): the property whose value names the member class."""

    property_name: str  # untrusted: rendered through py_str
    cases: tuple[tuple[str, ClassRef], ...]  # (value, class), in mapping order


@dataclass(frozen=True)
class TypeNode:
    kind: str  # any str int float bool none date datetime uuid file enum model list union const
    ref: ClassRef | None = None
    items: tuple[TypeNode, ...] = ()  # list: (inner,); union: members
    literal: str | None = None  # const: a Python literal
    tag: Tag | None = None  # union: decode by discriminator before trying members in order


ANY = TypeNode("any")
IDENTITY_KINDS = frozenset({"any", "str", "int", "float", "bool", "none", "const", "file"})
_SIMPLE_ANNOTATIONS = {
    "any": "Any",
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "none": "None",
    "date": "datetime.date",
    "datetime": "datetime.datetime",
    "uuid": "UUID",
    "file": "File",
}
# The runtime's decoder of a JSON value for the kinds a plain callable reads.
_DECODE_FUNCTIONS = {"date": "datetime.date.fromisoformat", "datetime": "parse_datetime", "uuid": "UUID"}
# What a JSON value must be before a decoder is tried on it inside a union.
_JSON_CHECKS = {
    "date": "isinstance(data, str)",
    "datetime": "isinstance(data, str)",
    "uuid": "isinstance(data, str)",
    "model": "isinstance(data, dict)",
    "list": "isinstance(data, list)",
}


class TypeBuilder:
    """Turns the generator's properties into TypeNodes, with our (deduplicated) class names."""

    def __init__(
        self, classes: Mapping[str, ClassRef], unions: Mapping[frozenset[str], Discriminator] | None = None
    ) -> None:
        self.classes = classes  # generator class name → our class
        self.unions = unions or {}  # the spec model's discriminated unions, by member `$ref`s

    def node(self, prop: Any) -> TypeNode:
        kind = type(prop).__name__  # dispatch on the pinned generator's property classes
        if kind in _SIMPLE_PROPERTIES:
            return TypeNode(_SIMPLE_PROPERTIES[kind])
        if kind in ("EnumProperty", "ModelProperty"):
            ref = self.classes.get(str(prop.class_info.name))
            return ANY if ref is None else TypeNode("enum" if kind == "EnumProperty" else "model", ref=ref)
        if kind == "LiteralEnumProperty":
            return TypeNode("int" if prop.value_type is int else "str")
        if kind == "ListProperty":
            return TypeNode("list", items=(self.node(prop.inner_property),))
        if kind == "UnionProperty":
            node = union_of(self.node(inner) for inner in prop.inner_properties)
            tag = self._tag(prop.inner_properties)
            return TypeNode("union", items=node.items, tag=tag) if tag and node.kind == "union" else node
        if kind == "ConstProperty":
            raw = prop.value.raw_value
            if isinstance(raw, str | int | bool):
                return TypeNode("const", literal=repr(raw))
        return ANY

    def _tag(self, members: Iterable[Any]) -> Tag | None:
        """The discriminator of a union whose model members are the `$ref`s of a discriminated one."""
        refs: dict[str, ClassRef] = {}
        for member in members:
            if type(member).__name__ == "NoneProperty":
                continue
            roots = sorted(
                untrusted(r) for r in getattr(member, "roots", ()) if untrusted(r).startswith("/components/")
            )
            ref = self.classes.get(str(member.class_info.name)) if hasattr(member, "class_info") else None
            if type(member).__name__ != "ModelProperty" or not roots or ref is None:
                return None
            refs[f"#{roots[0]}"] = ref
        found = self.unions.get(frozenset(refs))
        if found is None:
            return None
        cases = tuple((value, refs[target]) for value, target in found.mapping if target in refs)
        return Tag(found.property_name, cases) if cases else None


_SIMPLE_PROPERTIES = {
    "StringProperty": "str",
    "IntProperty": "int",
    "FloatProperty": "float",
    "BooleanProperty": "bool",
    "NoneProperty": "none",
    "DateProperty": "date",
    "DateTimeProperty": "datetime",
    "UuidProperty": "uuid",
    "FileProperty": "file",
}


def union_of(members: Iterable[TypeNode]) -> TypeNode:
    """Flattened, deduplicated, None last; Any absorbs everything."""
    flat: list[TypeNode] = []
    tag: Tag | None = None
    for member in members:
        tag = tag or member.tag
        for inner in member.items if member.kind == "union" else (member,):
            if inner.kind == "any":
                return ANY
            if inner not in flat:
                flat.append(inner)
    flat.sort(key=lambda n: n.kind == "none")
    if not flat:
        return ANY
    return flat[0] if len(flat) == 1 else TypeNode("union", items=tuple(flat), tag=tag)


def annotation(node: TypeNode, qualify: str = "_models.", loose_ids: bool = False) -> str:
    """The annotation for a node; model and enum classes are reached through `qualify`."""
    if node.kind in ("enum", "model") and node.ref is not None:
        return f"{qualify}{node.ref.name}"
    if node.kind == "list":
        return f"list[{annotation(node.items[0], qualify, loose_ids)}]"
    if node.kind == "union":
        parts: list[str] = []
        for member in node.items:
            text = annotation(member, qualify, loose_ids)
            if text not in parts:
                parts.append(text)
        return " | ".join(parts)
    if node.kind == "const":
        return f"Literal[{node.literal}]"
    if node.kind == "uuid" and loose_ids:
        return "UUID | str"  # callers often hold ids as text; str(value) is what is sent either way
    return _SIMPLE_ANNOTATIONS.get(node.kind, "Any")


def needs_decode(node: TypeNode) -> bool:
    if node.kind in IDENTITY_KINDS:
        return False
    if node.kind == "list":
        return needs_decode(node.items[0])
    if node.kind == "union":
        return any(needs_decode(m) for m in node.items)
    return True


def needs_encode(node: TypeNode) -> bool:
    """Whether a value of this type must pass through to_json before JSON encoding."""
    return node.kind not in ("str", "int", "float", "bool", "none", "const")


# The runtime's decoding helpers (types.py) that generated decoders may call besides `field` and `obj`.
DECODE_HELPERS = ("DecodeError", "at", "decoded", "each", "shown")


def decode_helpers(code: str) -> set[str]:
    """Which of DECODE_HELPERS the generated decoding `code` calls."""
    return {name for name in DECODE_HELPERS if re.search(rf"(?<![.\w]){name}\(", code)}


def types_imports(imports: Iterable[str], *always: str) -> tuple[str, ...]:
    """The names a generated module imports from the runtime's types.py: `always`, and those of `imports`
    (a view's needs: File, parse_datetime, DECODE_HELPERS) that live there."""
    wanted = set(always) | ({"File", "parse_datetime", *DECODE_HELPERS} & set(imports))
    return tuple(sorted(wanted, key=lambda name: (not name.isupper(), not name[0].isupper(), name)))


def uses(node: TypeNode) -> set[str]:
    """Which of datetime / UUID / File / Literal an annotation or decoder of this node needs."""
    found: set[str] = set()
    if node.kind in ("date", "datetime"):
        found.add("datetime")
    if node.kind == "datetime":
        found.add("parse_datetime")
    if node.kind in ("uuid", "file", "const"):
        found.add({"uuid": "UUID", "file": "File", "const": "Literal"}[node.kind])
    for inner in node.items:
        found |= uses(inner)
    return found


class Decoders:
    """Builds decoding expressions; unions become small module-level functions collected here."""

    def __init__(self, qualify: str = "_models.") -> None:
        self.qualify = qualify
        self.functions: list[str] = []  # code blocks, each a complete `def`
        self._by_node: dict[TypeNode, str] = {}

    def expr(self, node: TypeNode, src: str) -> str:
        """A Python expression decoding the JSON value `src` (evaluated once) into `node`'s type."""
        found = self.func(node)
        return src if found is None else f"{found}({src})"

    def func(self, node: TypeNode) -> str | None:
        """A callable expression decoding one JSON value into `node`'s type; None when it is kept as is.

        Arrays go through the runtime's `each` and unions through a module-level function, so a value
        that does not fit raises DecodeError with the JSON pointer to it (types.py).
        """
        if not needs_decode(node):
            return None
        q = self.qualify
        if node.kind == "list":
            return f"each({self.func(node.items[0])})"
        if node.kind == "union":
            return self.union_function(node)
        if node.kind in ("enum", "model") and node.ref is not None:
            return f"{q}{node.ref.name}" + (".from_dict" if node.kind == "model" else "")
        return _DECODE_FUNCTIONS.get(node.kind)

    def union_function(self, node: TypeNode) -> str:
        """`def _decode_N(data)`: null when the union allows it, the discriminator's class, then each member
        that needs decoding, tried in order. When a member takes JSON as it is (a string, a number, Any),
        what fits no other member is returned unchanged; otherwise it raises DecodeError."""
        if node in self._by_node:
            return self._by_node[node]
        name = f"_decode_{len(self._by_node)}"
        self._by_node[node] = name
        lines = [f"def {name}(data: Any) -> {annotation(node, self.qualify)}:"]
        if any(member.kind == "none" for member in node.items):
            lines += ["    if data is None:", "        return None"]
        if node.tag is not None:
            # The discriminator names the class; an unknown or missing value falls back to trying in order.
            lines += ["    if isinstance(data, dict):", f"        tag = data.get({py_str(node.tag.property_name)})"]
            for value, ref in node.tag.cases:
                lines += [
                    f"        if tag == {py_str(value)}:",
                    f"            return {self.qualify}{ref.name}.from_dict(data)",
                ]
        decoded = [m for m in node.items if needs_decode(m)]
        strict = all(needs_decode(m) for m in node.items if m.kind != "none")
        if strict and len(decoded) == 1:
            # `X | None`: the one member's decoder, whose DecodeError says where inside the value it failed.
            lines.append(f"    return decoded({self.func(decoded[0])}, data)")
        else:
            lines += [f"    {line}" for line in self._tries(decoded)]
            if strict:
                names = " or ".join(annotation(m, "") for m in decoded)
                lines.append(f"    raise DecodeError(shown(data) + {py_str(' fits none of ' + names)})")
            else:
                lines.append(f"    return cast({annotation(node, self.qualify)!r}, data)")
        self.functions.append("\n".join(lines))
        return name

    def _tries(self, members: list[TypeNode]) -> list[str]:
        """Each member's decoder tried in turn on `data` (when the JSON value could be one), unindented."""
        lines: list[str] = []
        for member in members:
            lines += [
                f"if {_JSON_CHECKS.get(member.kind, 'True')}:",
                "    try:",
                f"        return {self.expr(member, 'data')}",
                "    except (TypeError, ValueError, KeyError, AttributeError):",
                "        pass",
            ]
        return lines
