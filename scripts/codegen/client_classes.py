"""The client's models and enums: attrs classes read from the generator's parsed schemas."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from codegen.client_names import MODEL_RESERVED, clean_text, is_identifier, prose, snake, unique, untrusted
from codegen.client_types import (
    ANY,
    ClassRef,
    Decoders,
    TypeBuilder,
    TypeNode,
    annotation,
    decode_helpers,
    needs_encode,
    types_imports,
    uses,
)
from codegen.render import py_str

# ---------------------------------------------------------------------------------------------
# Models and enums


@dataclass(frozen=True)
class FieldView:
    name: str  # attribute name
    key: str  # JSON key (untrusted: templates pass it through py_str)
    annotation: str
    required: bool
    default: str | None  # Python literal for required fields that have a safe spec default
    decode: str  # expression reading the field out of `d` in from_dict
    encode: bool  # pass through to_json in to_dict
    description: str
    node: TypeNode
    example: str | None  # the spec's example for a text field (untrusted)
    read_only: bool = False  # never sent: not an argument of a flattened request body


@dataclass(frozen=True)
class ModelView:
    ref: ClassRef
    title: str
    description: str
    fields: tuple[FieldView, ...]
    additional: bool  # keeps unknown keys in additional_properties
    additional_annotation: str
    additional_decode: str | None  # expression over `value`, when extra values need decoding
    functions: tuple[str, ...]  # union decoders used by from_dict
    typing_names: tuple[str, ...]  # names needed from typing
    imports: tuple[str, ...]  # datetime / UUID / parse_datetime / File

    @property
    def types_names(self) -> tuple[str, ...]:
        return types_imports(self.imports, "UNSET", "Unset", "as_object", "field", "to_json")

    @property
    def required_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if f.required and f.default is None)

    @property
    def optional_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if not (f.required and f.default is None))


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str  # Python literal


@dataclass(frozen=True)
class EnumView:
    ref: ClassRef
    base: str  # "str" or "int"
    members: tuple[EnumMember, ...]
    description: str


_SAFE_DEFAULT = re.compile(r"^(?:-?\d+(?:\.\d+)?|True|False|None)$")


def _safe_default(prop: Any) -> str | None:
    """A required field's spec default, only when it is a plain literal (numbers, booleans, strings)."""
    default = getattr(prop, "default", None)
    raw = getattr(default, "raw_value", None)
    if raw is None or not prop.required:
        return None
    if isinstance(raw, bool | int | float) and _SAFE_DEFAULT.match(repr(raw)):
        return repr(raw)
    if isinstance(raw, str) and getattr(prop, "class_info", None) is None and type(prop).__name__ == "StringProperty":
        return py_str(raw)
    return None


def _example(prop: Any) -> str | None:
    example = getattr(prop, "example", None)
    return clean_text(example) or None if example is not None else None


def _imports_for(nodes: Iterable[TypeNode]) -> tuple[str, ...]:
    found: set[str] = set()
    for node in nodes:
        found |= uses(node)
    return tuple(sorted(found))


def _one_way_keys(model: Any) -> dict[str, set[str]]:
    """Property keys marked readOnly or writeOnly in the model's schema (the generator keeps the flags)."""
    found: dict[str, set[str]] = {"readOnly": set(), "writeOnly": set()}
    properties = getattr(model.data, "properties", None) or {}
    for key, schema in properties.items():
        for flag in found:
            if getattr(schema, flag, None) is True:
                found[flag].add(untrusted(key))
    return found


def build_model(model: Any, ref: ClassRef, types: TypeBuilder, wire_names: Mapping[str, str]) -> ModelView:
    """The view of one model class; `wire_names` gives the real name of a property the parser saw renamed."""
    decoders = Decoders()
    fields: list[FieldView] = []
    taken: set[str] = set()
    nodes: list[TypeNode] = []
    one_way = {flag: {wire_names.get(k, k) for k in keys} for flag, keys in _one_way_keys(model).items()}
    for prop in [*(model.required_properties or []), *(model.optional_properties or [])]:
        node = types.node(prop)
        nodes.append(node)
        name = unique(str(prop.python_name), taken, MODEL_RESERVED)
        key = wire_names.get(untrusted(prop.name), untrusted(prop.name))
        # A readOnly property is never sent and a writeOnly one never returned: required in one direction
        # only, so the shared class never requires it (JSON Schema validation §9.4).
        required = bool(prop.required) and key not in one_way["readOnly"] | one_way["writeOnly"]
        default = _safe_default(prop) if required else None
        # `field` takes the property out of `d` and names it in the DecodeError of a value that does not fit.
        reader = decoders.func(node)
        value = f"field(d, {py_str(key)}" + (f", {reader}" if reader else "")
        if not required:
            value += ", default=UNSET"
        elif default is not None:
            value += f", default={default}"
        value += ")"
        declared = annotation(node) if required else f"{annotation(node)} | Unset"
        fields.append(
            FieldView(
                name=name,
                key=key,
                annotation=declared,
                required=required,
                default=default,
                decode=value,
                encode=needs_encode(node),
                description=prose(prop.description),
                node=node,
                example=_example(prop),
                read_only=key in one_way["readOnly"],
            )
        )
    extra = model.additional_properties
    extra_node = types.node(extra) if extra is not None else ANY
    nodes.append(extra_node)
    extra_reader = decoders.func(extra_node)
    extra_decode = f"at(key, {extra_reader}, value)" if extra_reader is not None else None
    code = "\n".join([*decoders.functions, *(f.decode for f in fields), extra_decode or ""])
    typing_names = {"Any", "TypeVar"}
    if decoders.functions:
        typing_names.add("cast")
    if "Literal" in _imports_for(nodes):
        typing_names.add("Literal")
    return ModelView(
        ref=ref,
        title=prose(model.data.title if model.data is not None else ""),
        description=prose(model.description),
        fields=tuple(fields),
        additional=extra is not None,
        additional_annotation=annotation(extra_node),
        additional_decode=extra_decode,
        functions=tuple(decoders.functions),
        typing_names=tuple(sorted(typing_names)),
        imports=tuple(sorted({i for i in _imports_for(nodes) if i != "Literal"} | decode_helpers(code))),
    )


def build_enum(enum: Any, ref: ClassRef) -> EnumView:
    members: list[EnumMember] = []
    taken: set[str] = set()
    base = "int" if enum.value_type is int else "str"
    for key, value in enum.values.items():
        name = str(key)
        if not is_identifier(name) or name.startswith("_"):
            name = f"VALUE_{snake(name).upper()}"
        name = unique(name, taken, {"mro"})
        literal = repr(int(value)) if base == "int" else py_str(value)
        members.append(EnumMember(name=name, value=literal))
    return EnumView(ref=ref, base=base, members=tuple(members), description=prose(enum.description))
