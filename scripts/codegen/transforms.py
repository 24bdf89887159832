"""Named spec fixes applied before generation. Each: one function, one docstring line, one test.

A transform edits the document in place and returns how many places it changed. They fix the
input so generators can express it; they never drop an operation, and the document stays a
valid OpenAPI document whose references all resolve.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from codegen.document import effective_operation_id, iter_operations
from codegen.media_types import media_kind
from codegen.spec_walk import (
    components_of,
    dereference,
    dicts,
    is_binary_string,
    iter_bodies,
    iter_schemas,
    parameters_of,
    resolve_ref,
)

Transform = Callable[[dict[str, Any]], int]


# Schema keywords that describe a value without constraining it.
ANNOTATION_KEYWORDS = frozenset(
    {"description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs", "xml"}
)
# Object keywords a generator may ignore beside a lone `allOf` member.
OBJECT_KEYWORDS = (
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
)


def _is_annotation(key: str) -> bool:
    return key in ANNOTATION_KEYWORDS or key.startswith("x-")


def apply_codegen_names(doc: dict[str, Any]) -> int:
    """Use an operation's `x-codegen-name` (set by an overlay) as its operationId, to rename the method."""
    changed = 0
    for _path, _method, operation in iter_operations(doc):
        name = effective_operation_id(operation)
        if name is not None and operation.get("operationId") != name:
            operation["operationId"] = name
            changed += 1
    return changed


def _adds_nothing(member: dict[str, Any], target: Any) -> bool:
    """True if an `allOf` member only annotates, or repeats the `type` of the referenced schema."""
    target_type = target.get("type") if isinstance(target, dict) else None
    return all(_is_annotation(k) or (k == "type" and member[k] == target_type) for k in member)


def collapse_annotated_allof(doc: dict[str, Any]) -> int:
    """A schema that is `allOf` one `$ref` plus annotations only (description, example…) becomes that `$ref`."""
    changed = 0
    named = {id(s) for s in dicts(components_of(doc).get("schemas"))}
    for schema in iter_schemas(doc):
        members = schema.get("allOf")
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            continue
        refs = [m for m in members if "$ref" in m]
        if len(refs) != 1 or not all(_is_annotation(k) for k in schema if k != "allOf"):
            continue
        target = resolve_ref(doc, refs[0]["$ref"])
        if id(schema) in named and isinstance(target, dict) and _class_kind(target) == "model":
            continue  # a named schema that extends a model stays its own class
        if not all(_adds_nothing({k: v for k, v in m.items() if k != "$ref"}, target) for m in members):
            continue
        merged: dict[str, Any] = {"$ref": refs[0]["$ref"]}
        for part in [*members, schema]:
            merged.update((k, v) for k, v in part.items() if _is_annotation(k))
        schema.clear()
        schema.update(merged)
        changed += 1
    return changed


def split_single_ref_allof(doc: dict[str, Any]) -> int:
    """An `allOf` of one `$ref` that adds properties or names a model gets an own object member: merged, not aliased."""
    changed = 0
    named = {id(s) for s in dicts(components_of(doc).get("schemas"))}
    for schema in iter_schemas(doc):
        members = schema.get("allOf")
        if not (isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict)):
            continue
        if "$ref" not in members[0]:
            continue
        target = resolve_ref(doc, members[0]["$ref"])
        extends = id(schema) in named and isinstance(target, dict) and _class_kind(target) == "model"
        if extends or any(k in schema for k in OBJECT_KEYWORDS):
            members.append({"type": "object", **{k: schema.pop(k) for k in OBJECT_KEYWORDS if k in schema}})
            changed += 1
    return changed


# Names the generated client's model and endpoint modules import; a model class of the same name would shadow them.
SHADOWED_NAMES = frozenset(
    {
        "Any", "AuthenticatedClient", "BinaryIO", "BytesIO", "Client", "Enum", "File", "FileTypes", "Generator",
        "HTTPStatus", "IO", "IntEnum", "Literal", "Mapping", "Optional", "Response", "TextIO", "Tuple", "TypeVar",
        "UUID", "Union", "Unset",
    }
)  # fmt: skip


class _ClassNames:
    """The client generator's class names, derived as it does from keys, titles and property names."""

    def __init__(self) -> None:
        from openapi_python_client import strings

        self._strings = strings
        self.taken: dict[str, Any] = dict.fromkeys(SHADOWED_NAMES)  # class name → its enum values, None for models

    def of(self, parent: str, name: str) -> str:
        text = f"{self._strings.pascal_case(parent)}{self._strings.pascal_case(name)}" if parent else name
        return str(self._strings.ClassName(text.rsplit("/", 1)[-1], "field_"))

    def claim(self, schema: dict[str, Any], parent: str, name: str, variants: list[str]) -> tuple[str, int]:
        """The class name `schema` gets; if its own is taken, a free `title` variant is set (counted as 1)."""
        title = schema.get("title")
        own = self.of(parent, title if isinstance(title, str) and title else name)
        values = schema.get("enum")
        if own not in self.taken or (values is not None and self.taken[own] == values) or not variants:
            self.taken[own] = values
            return own, 0  # without variants (a copy of another schema) the name is only recorded
        for variant in [*variants, *(f"{variants[-1]} {n}" for n in range(2, 1000))]:
            candidate = self.of(parent, variant)
            if candidate not in self.taken:
                schema["title"] = variant
                self.taken[candidate] = values
                return candidate, 1
        raise AssertionError("no free class name")  # pragma: no cover - a thousand variants are never all taken


def _class_kind(schema: dict[str, Any]) -> str:
    """How the client generator treats a schema: "enum" or "model" (a class), "union", "array", or "plain"."""
    members = [*schema.get("allOf", []), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    kind = schema.get("type")
    if "$ref" in schema or (len(members) == 1 and isinstance(members[0], dict) and "$ref" in members[0]):
        return "plain"
    if kind == "boolean":
        return "plain"
    if schema.get("enum"):
        return "enum"
    if schema.get("anyOf") or schema.get("oneOf") or isinstance(kind, list):
        return "union"
    if "const" in schema or kind in {"string", "number", "integer", "null"}:
        return "plain"
    if kind == "array":
        return "array"
    return (
        "model" if kind == "object" or schema.get("allOf") or (kind is None and schema.get("properties")) else "plain"
    )


def _union_members(schema: dict[str, Any], name: str) -> Iterator[tuple[dict[str, Any], str]]:
    for index, member in enumerate([*schema.get("anyOf", []), *schema.get("oneOf", [])]):
        if isinstance(member, dict):
            title = member.get("title")
            sub = title if isinstance(title, str) and title != schema.get("title") else f"type_{index}"
            yield member, f"{name}_{sub}"


def _claim_tree(names: _ClassNames, schema: dict[str, Any], name: str, parent: str) -> int:
    """Claim class names for an inline schema and everything inline beneath it; the titles set."""
    kind = _class_kind(schema)
    base = schema["title"] if isinstance(schema.get("title"), str) and schema["title"] else name
    if kind == "enum":
        return names.claim(schema, parent, name, [f"{base} enum"])[1]
    if kind == "union":
        return sum(_claim_tree(names, member, sub, parent) for member, sub in _union_members(schema, name))
    if kind == "array" and isinstance(schema.get("items"), dict):
        return _claim_tree(names, schema["items"], f"{name}_item", parent)
    if kind != "model":
        return 0
    own, changed = names.claim(schema, parent, name, [f"{base} model"])
    return changed + _claim_members(names, schema, own)


def _claim_members(names: _ClassNames, schema: dict[str, Any], own: str) -> int:
    """Claim class names for the inline properties of a model schema whose class is `own`."""
    changed = 0
    for owner in [schema, *(m for m in schema.get("allOf", []) if isinstance(m, dict) and "$ref" not in m)]:
        for key, child in (owner.get("properties") or {}).items():
            if isinstance(child, dict):
                changed += _claim_tree(names, child, str(key), own)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        changed += _claim_tree(names, extra, "AdditionalProperty", own)
    return changed


def rename_colliding_models(doc: dict[str, Any]) -> int:
    """Schemas whose client class names would collide (or shadow an imported name) get a distinguishing `title`."""
    components = components_of(doc)
    schemas = [(str(k), v) for k, v in (components.get("schemas") or {}).items() if isinstance(v, dict)]
    names = _ClassNames()
    changed = 0
    own: dict[str, str] = {}
    # Component classes exist before any inline one; untitled ones keep their key's name first.
    aliases = {key for key, schema in schemas if "$ref" in schema}
    schemas = [(key, dereference(doc, schema)) for key, schema in schemas]

    def renamed(item: tuple[str, dict[str, Any]]) -> bool:  # a title naming another class than the key
        title = item[1].get("title")
        return isinstance(title, str) and bool(title) and names.of("", title) != names.of("", item[0])

    for key, schema in sorted(schemas, key=renamed):
        if _class_kind(schema) in {"enum", "model"}:
            variants = [] if key in aliases else [key, f"{key} model"]
            own[key], count = names.claim(schema, "", key, variants)
            changed += count
    for key, schema in schemas:
        kind = _class_kind(schema)
        if kind == "model":
            changed += _claim_members(names, schema, own[key])
        elif kind in {"union", "array"}:
            changed += _claim_tree(names, schema, key, "")
    return changed


def stringify_enum_values(doc: dict[str, Any]) -> int:
    """A `type: string` enum lists its non-string values (YAML's bare true/false/1.0) as the strings they stand for."""
    changed = 0
    for schema in iter_schemas(doc):
        values = schema.get("enum")
        if schema.get("type") != "string" or not isinstance(values, list):
            continue
        if any(not isinstance(v, str) and v is not None for v in values):
            schema["enum"] = [v if isinstance(v, str) or v is None else json.dumps(v) for v in values]
            changed += 1
        default = schema.get("default")
        if default is not None and not isinstance(default, str):
            schema["default"] = json.dumps(default)
            changed += 1
    return changed


def default_array_items(doc: dict[str, Any]) -> int:
    """An array schema without `items` gets `items: {}` (any value), which generators need to name the item type."""
    changed = 0
    for schema in iter_schemas(doc):
        kind = schema.get("type")
        is_array = kind == "array" or (isinstance(kind, list) and "array" in kind)
        if is_array and "items" not in schema and "prefixItems" not in schema:
            schema["items"] = {}
            changed += 1
    return changed


def fix_path_parameters(doc: dict[str, Any]) -> int:
    """Path parameters are required and have no default, as OpenAPI defines them (a default made them optional)."""
    changed = 0
    for parameter in parameters_of(doc):
        if parameter.get("in") != "path":
            continue
        if parameter.get("required") is not True:
            parameter["required"] = True
            changed += 1
        schema = parameter.get("schema")
        if isinstance(schema, dict) and "default" in schema:
            del schema["default"]
            changed += 1
    return changed


def _header_sendable(doc: dict[str, Any], schema: Any) -> bool:
    """True if a client can send each value as one header value as it is (no date, list or object)."""
    schema = resolve_ref(doc, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else schema
    if not isinstance(schema, dict) or schema.get("allOf"):
        return False
    members = [*schema.get("anyOf", []), *schema.get("oneOf", [])]
    if members:
        return all(_header_sendable(doc, member) for member in members)
    if isinstance(schema.get("enum"), list):
        return all(isinstance(v, (str, int, float)) or v is None for v in schema["enum"])
    kind = schema.get("type")
    kinds: list[Any] = kind if isinstance(kind, list) else [kind]
    plain = {"string", "integer", "number", "boolean", "null"}
    return all(k in plain for k in kinds) and schema.get("format") not in {"date", "date-time", "binary"}


def widen_header_parameters(doc: dict[str, Any]) -> int:
    """A header parameter whose values are not one plain value (a date, a list, an object) is sent as a string."""
    changed = 0
    for parameter in parameters_of(doc):
        schema = parameter.get("schema")
        if parameter.get("in") != "header" or not isinstance(schema, dict):
            continue
        resolved = resolve_ref(doc, schema["$ref"]) if "$ref" in schema else schema
        if not _header_sendable(doc, schema):
            description = resolved.get("description") if isinstance(resolved, dict) else None
            parameter["schema"] = {"type": "string", **({"description": description} if description else {})}
            changed += 1
    return changed


def name_colliding_enum_members(doc: dict[str, Any]) -> int:
    """A string enum whose values give one member name twice (`FAST`, `fast`) gets unique `x-enum-varnames`."""
    from openapi_python_client.strings import snake_case

    changed = 0
    for schema in iter_schemas(doc):
        values = schema.get("enum")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or "x-enum-varnames" in schema:
            continue
        keys = [snake_case(v.upper() if v[:1].isalpha() else f"VALUE_{i}").upper() for i, v in enumerate(values)]
        if len(set(keys)) == len(keys):
            continue
        names: list[str] = []
        for key in keys:
            name, number = key or "VALUE", 2
            while name in names:
                name, number = f"{key}_{number}", number + 1
            names.append(name)
        schema["x-enum-varnames"] = names
        changed += 1
    return changed


def _opaque_types(doc: dict[str, Any]) -> set[str]:
    """Media types that are a body's only choice yet neither JSON, a form, bytes nor (for responses) text."""
    readable = {"request": {"json", "form", "multipart", "binary"}, "response": {"json", "binary", "text"}}
    found: set[str] = set()
    for side, content in iter_bodies(doc):
        kinds = {str(t): media_kind(str(t)) for t in content}
        if not any(kind in readable[side] for kind in kinds.values()):
            found.update(t for t, kind in kinds.items() if kind not in readable[side])
    return found


def opaque_media_as_bytes(doc: dict[str, Any]) -> int:
    """A media type some body offers alone that generators cannot encode (XML, CSV, PDF…) is typed as raw bytes."""
    opaque = _opaque_types(doc)
    changed = 0
    for _side, content in iter_bodies(doc):
        for content_type, media in content.items():
            if str(content_type) in opaque and isinstance(media, dict) and not is_binary_string(media.get("schema")):
                media["schema"] = {"type": "string", "format": "binary"}
                changed += 1
    return changed


# Schema keys with which datamodel-code-generator imports a module the document names: spec text would
# become an import statement in the mock, run when the mock is imported.
CODE_HINT_KEYS = ("customTypePath", "customBasePath", "x-python-import", "x-python-type")


def drop_code_hints(doc: dict[str, Any]) -> int:
    """Schema keys that make the models generator import a module the spec names (`customTypePath`…) are removed."""
    changed = 0
    for schema in iter_schemas(doc):
        for key in CODE_HINT_KEYS:
            if key in schema:
                del schema[key]
                changed += 1
    return changed


TRANSFORMS: list[Transform] = [
    apply_codegen_names,
    stringify_enum_values,
    default_array_items,
    fix_path_parameters,
    widen_header_parameters,
    collapse_annotated_allof,
    split_single_ref_allof,
    opaque_media_as_bytes,
    name_colliding_enum_members,
    rename_colliding_models,
    drop_code_hints,
]


def run_transforms(doc: dict[str, Any]) -> dict[str, int]:
    """Apply every transform in order; the count of changes per transform that changed something."""
    counts: dict[str, int] = {}
    for transform in TRANSFORMS:
        changed = transform(doc)
        if changed:
            counts[transform.__name__] = changed
    return counts
