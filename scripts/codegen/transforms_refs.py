"""Named spec fixes for references (`$ref`), so that every generator can follow every one of them.

The generators compare a `$ref` as text against `#/components/<kind>/<name>`: a percent-encoded
reference (RFC 6901 §6) or one into the inside of a schema, an operation or a response is valid
OpenAPI they cannot follow. These transforms rewrite such references to a form they read, keeping
what the document means: a node that is referenced from elsewhere moves into `components` under a
derived, collision-free name, and its old place refers to it there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from codegen.document import HTTP_METHODS, pointer
from codegen.schema_facts import pointer_tokens, value_at
from codegen.spec_walk import components_of, dicts, iter_schemas

# Component kinds (OpenAPI 3.1 §4.8.7) a `$ref` may stand for, and what one of each is called.
KINDS = {
    "schemas": "schema", "parameters": "parameter", "responses": "response", "requestBodies": "request body",
    "headers": "header", "examples": "example", "links": "link", "callbacks": "callback",
}  # fmt: skip
# Pointer tokens that only say where a node sits (not what it is): left out of a derived name.
_STRUCTURE = frozenset(
    {
        "properties",
        "patternProperties",
        "content",
        "schema",
        "responses",
        "parameters",
        "requestBody",
        "headers",
        "$defs",
        "definitions",
        "allOf",
        "anyOf",
        "oneOf",
    }
)
_RENAMED_TOKENS = {"items": "item", "additionalProperties": "value"}
MAX_CHAIN = 32


def _tokens(ref: Any) -> list[str] | None:
    """The decoded reference tokens of a local `$ref`, or None (external, an anchor, not UTF-8)."""
    if not isinstance(ref, str):
        return None
    try:
        return pointer_tokens(ref)
    except UnicodeDecodeError:
        return None


def _at(doc: Any, tokens: list[str]) -> Any:
    try:
        return value_at(doc, tokens)
    except KeyError:
        return None


class _Holders:
    """Every object written as `{"$ref": …}` where OpenAPI reads a reference, with the kind it stands for."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.found: list[tuple[dict[str, Any], str]] = [
            (s, "schemas") for s in iter_schemas(doc) if isinstance(s.get("$ref"), str)
        ]
        components = components_of(doc)
        for kind, visit in self._visitors().items():
            for node in dicts(components.get(kind)):
                visit(node)
        for item in [*dicts(doc.get("paths")), *dicts(doc.get("webhooks")), *dicts(components.get("pathItems"))]:
            self.path_item(item)

    def _visitors(self) -> dict[str, Callable[[Any], object]]:
        return {
            "parameters": lambda n: self.holder(n, "parameters"),
            "headers": lambda n: self.holder(n, "headers"),
            "responses": self.response,
            "requestBodies": self.body,
            "examples": lambda n: self.ref(n, "examples"),
            "links": lambda n: self.ref(n, "links"),
            "callbacks": self.callback,
        }

    def ref(self, node: Any, kind: str) -> bool:
        """Record `node` if it is a reference; True if it is an object written out in place."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            self.found.append((node, kind))
            return False
        return isinstance(node, dict)

    def content(self, content: Any) -> None:
        for media in dicts(content):
            for example in dicts(media.get("examples")):
                self.ref(example, "examples")
            for encoding in dicts(media.get("encoding")):
                for header in dicts(encoding.get("headers")):
                    self.holder(header, "headers")

    def holder(self, node: Any, kind: str) -> None:  # a parameter or a header
        if self.ref(node, kind):
            for example in dicts(node.get("examples")):
                self.ref(example, "examples")
            self.content(node.get("content"))

    def response(self, node: Any) -> None:
        if self.ref(node, "responses"):
            for header in dicts(node.get("headers")):
                self.holder(header, "headers")
            for link in dicts(node.get("links")):
                self.ref(link, "links")
            self.content(node.get("content"))

    def body(self, node: Any) -> None:
        if self.ref(node, "requestBodies"):
            self.content(node.get("content"))

    def callback(self, node: Any) -> None:
        if self.ref(node, "callbacks"):
            for item in dicts(node):
                self.path_item(item)

    def path_item(self, item: dict[str, Any]) -> None:
        if "$ref" in item:
            return  # a 3.1 path item reference: the generators resolve none, and it stays as written
        for parameter in item.get("parameters") or []:
            self.holder(parameter, "parameters")
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters") or []:
                self.holder(parameter, "parameters")
            self.body(operation.get("requestBody"))
            for response in dicts(operation.get("responses")):
                self.response(response)
            for callback in dicts(operation.get("callbacks")):
                self.callback(callback)


def ref_holders(doc: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(the `{"$ref": …}` object, the component kind it stands for) for every reference OpenAPI reads;
    a `$ref` inside an example value or an extension is data, not a reference, and is not listed."""
    return _Holders(doc).found


def _canonical(tokens: list[str]) -> str:
    return pointer(*tokens) if tokens else "#"


def decode_ref_fragments(doc: dict[str, Any]) -> int:
    """A `$ref` or discriminator mapping percent-encoded (RFC 6901 §6) is written decoded, as generators read it."""
    changed = 0
    for node, _kind in ref_holders(doc):
        tokens = _tokens(node["$ref"])
        if tokens is not None and _at(doc, tokens) is not None and _canonical(tokens) != node["$ref"]:
            node["$ref"] = _canonical(tokens)
            changed += 1
    for schema in iter_schemas(doc):
        discriminator = schema.get("discriminator")
        targets = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if not isinstance(targets, dict):
            continue
        for value, target in list(targets.items()):
            tokens = _tokens(target)
            if tokens is not None and _at(doc, tokens) is not None and _canonical(tokens) != target:
                targets[value] = _canonical(tokens)
                changed += 1
    return changed


def _is_component(tokens: list[str], kind: str) -> bool:
    return len(tokens) == 3 and tokens[0] == "components" and tokens[1] == kind


def _name_parts(doc: dict[str, Any], tokens: list[str]) -> list[str]:
    """Readable words for the node at `tokens`: its operation (or component), then the names on the way."""
    head: list[str] = []
    rest = tokens
    if tokens[:1] == ["paths"] and len(tokens) > 1:
        item = _at(doc, tokens[:2])
        method = tokens[2] if len(tokens) > 2 and tokens[2] in HTTP_METHODS else None
        operation = item.get(method) if isinstance(item, dict) and method else None
        if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
            head, rest = [operation["operationId"]], tokens[3:]
        else:
            head = [*re.findall(r"[A-Za-z0-9]+", tokens[1]), *([method] if method else [])]
            rest = tokens[3:] if method else tokens[2:]
    elif tokens[:1] == ["components"] and len(tokens) > 2:
        head, rest = [tokens[2]], tokens[3:]
    words = [_RENAMED_TOKENS.get(t, t) for t in rest if t not in _STRUCTURE and "/" not in t]
    return head + words


def _free_name(taken: dict[str, Any], base: str) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def _component_name(doc: dict[str, Any], tokens: list[str], kind: str, node: dict[str, Any]) -> str:
    """A component key (OpenAPI's `^[a-zA-Z0-9._-]+$`) for the node at `tokens`, free in `components[kind]`."""
    parts = [node["name"]] if kind == "parameters" and isinstance(node.get("name"), str) else []
    text = "_".join(parts or _name_parts(doc, tokens))
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_.-") or kind.rstrip("s")
    taken = components_of(doc).get(kind)
    return _free_name(taken if isinstance(taken, dict) else {}, base)


def _bare_chain(doc: dict[str, Any], ref: str) -> tuple[list[str], bool]:
    """The references met from `ref` while each leads to a bare reference (`{"$ref": …}` and nothing else),
    and whether the chain comes back on itself (or runs longer than MAX_CHAIN) instead of reaching an object."""
    chain = [ref]
    while len(chain) <= MAX_CHAIN:
        tokens = _tokens(chain[-1])
        target = _at(doc, tokens) if tokens is not None else None
        if not (isinstance(target, dict) and set(target) == {"$ref"} and isinstance(target["$ref"], str)):
            return chain, False
        if target["$ref"] in chain:
            return chain, True
        chain.append(target["$ref"])
    return chain, True


def _final_ref(doc: dict[str, Any], ref: str, kind: str) -> str:
    """Where a chain of bare references from `ref` ends; for a schema, the first whole component on the way
    (an alias of another schema names a class of its own). A cycle is left as written."""
    chain, cyclic = _bare_chain(doc, ref)
    if cyclic:
        return ref
    if kind == "schemas":
        return next((r for r in chain if (t := _tokens(r)) is not None and _is_component(t, kind)), chain[-1])
    return chain[-1]


def reference_cycles(doc: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(reference object, kind) of each reference whose chain of bare references comes back on itself
    without reaching an object (`body: {$ref: "#/components/requestBodies/body"}`)."""
    return [(node, kind) for node, kind in ref_holders(doc) if _bare_chain(doc, node["$ref"])[1]]


def hoist_referenced_parts(doc: dict[str, Any]) -> int:
    """A `$ref` into a schema, operation or response (not a whole component) points at a new component of that part."""
    holders = ref_holders(doc)
    targets: dict[tuple[str, ...], str] = {}
    for node, kind in holders:
        tokens = _tokens(node["$ref"])
        if tokens is None or len(tokens) < 2 or _is_component(tokens, kind) or not isinstance(_at(doc, tokens), dict):
            continue
        if set(_at(doc, tokens)) == {"$ref"}:
            continue  # a bare reference: its referrers are sent on along the chain below
        targets.setdefault(tuple(tokens), kind)
    moved: dict[tuple[str, ...], str] = {}
    # Deepest first: moving a node changes no pointer to its ancestors, and its descendants have moved already.
    for key in sorted(targets, key=lambda t: (-len(t), t)):
        tokens, kind = list(key), targets[key]
        parent, node = _at(doc, tokens[:-1]), _at(doc, tokens)
        name = _component_name(doc, tokens, kind, node)
        doc.setdefault("components", {}).setdefault(kind, {})[name] = node
        moved[key] = pointer("components", kind, name)
        replacement = {"$ref": moved[key]}
        if isinstance(parent, list):
            parent[int(tokens[-1])] = replacement
        else:
            parent[tokens[-1]] = replacement
    changed = 0
    for node, kind in holders:
        tokens = _tokens(node["$ref"])
        if tokens is None:
            continue
        ref = _final_ref(doc, moved.get(tuple(tokens), node["$ref"]), kind)
        if ref != node["$ref"]:
            node["$ref"] = ref
            changed += 1
    return changed + len(moved)


def _parser_kind(schema: dict[str, Any]) -> str:
    """What openapi-python-client builds for a schema, in its order: "ref", "union", "array", "model", or "plain"."""
    members = [*(schema.get("allOf") or []), *(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
    if "$ref" in schema or (len(members) == 1 and isinstance(members[0], dict) and "$ref" in members[0]):
        return "ref"
    kind = schema.get("type")
    if kind == "boolean" or schema.get("enum"):
        return "plain"
    nullable = schema.get("nullable") is True and (isinstance(kind, str) or bool(schema.get("allOf")))
    if schema.get("anyOf") or schema.get("oneOf") or isinstance(kind, list) or nullable:
        return "union"
    if "const" in schema:
        return "plain"
    if kind == "array":
        return "array"
    if kind == "object" or schema.get("allOf") or (kind is None and schema.get("properties")):
        return "model"
    return "plain"


def _union_members(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(a word for it, member) for each inline member the parser makes of a union; the schema itself
    stands for the members a type list or a 3.0 `nullable` makes of it."""
    found: list[tuple[str, dict[str, Any]]] = []
    for index, member in enumerate([*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]):
        if isinstance(member, dict):
            title = member.get("title")
            found.append((title if isinstance(title, str) and title else f"type_{index}", member))
    kind = schema.get("type")
    if (isinstance(kind, list) and "object" in kind) or (schema.get("nullable") is True and _own_model(schema)):
        found.append(("", schema))
    return found


def _own_model(schema: dict[str, Any]) -> bool:
    """True if, `nullable` or a type list aside, the schema is an object model (so it is its own union member)."""
    kind = schema.get("type")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    return kinds == ["object"] or bool(schema.get("allOf")) or (kinds == [None] and bool(schema.get("properties")))


def _model_properties(schema: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(container, key) of each property schema of a model, its inline `allOf` members' included."""
    found: list[tuple[dict[str, Any], str]] = []
    for owner in [schema, *(m for m in schema.get("allOf") or [] if isinstance(m, dict) and "$ref" not in m)]:
        properties = owner.get("properties")
        if isinstance(properties, dict):
            found += [(properties, str(key)) for key, value in properties.items() if isinstance(value, dict)]
        if isinstance(owner.get("additionalProperties"), dict):
            found.append((owner, "additionalProperties"))
    return found


def _holds_model(schema: dict[str, Any]) -> bool:
    """True if the schema, or an inline schema within it, is a model (references are not followed)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        kind = _parser_kind(node)
        if kind == "model" or (kind == "union" and _own_model(node)):
            return True
        for key in ("allOf", "anyOf", "oneOf"):
            stack += [m for m in node.get(key) or [] if isinstance(m, dict)]
        stack += [node[k] for k in ("items", "additionalProperties") if isinstance(node.get(k), dict)]
        properties = node.get("properties")
        stack += [v for v in properties.values() if isinstance(v, dict)] if isinstance(properties, dict) else []
    return False


def _models_under_unions(schema: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """Models reached from a component through a union (and arrays), with the words of the way there."""
    found: list[tuple[dict[str, Any], list[str]]] = []
    stack: list[tuple[dict[str, Any], list[str], bool]] = [(schema, [], False)]
    while stack:
        node, words, in_union = stack.pop()
        kind = _parser_kind(node)
        if kind == "union":
            for word, member in reversed(_union_members(node)):
                if member is node:
                    found.append((node, words))
                else:
                    stack.append((member, [*words, word], True))
        elif kind == "array" and isinstance(node.get("items"), dict):
            stack.append((node["items"], [*words, "item"], in_union))
        elif kind == "model" and in_union:
            found.append((node, words))
    return found


def hoist_union_member_models(doc: dict[str, Any]) -> int:
    """A model in a component's union that holds models or extends one becomes a component, as the parser reads it."""
    components = components_of(doc)
    schemas = components.get("schemas")
    if not isinstance(schemas, dict):
        return 0
    changed = 0
    pending = [str(key) for key, value in schemas.items() if isinstance(value, dict)]
    while pending:
        key = pending.pop(0)
        for model, words in _models_under_unions(schemas[key]):
            nested = [(owner[name], name) for owner, name in _model_properties(model) if _holds_model(owner[name])]
            # The component itself (a nullable object) stays and its nested models move; else a model that
            # holds models, or extends a component (the parser merges it before that component is read), moves.
            extends = any(isinstance(m, dict) and "$ref" in m for m in model.get("allOf") or [])
            if model is schemas[key]:
                moves = [(t, [*words, _RENAMED_TOKENS.get(n, n)]) for t, n in nested]
            else:
                moves = [(model, words)] if nested or extends else []
            for target, path in moves:
                base = re.sub(r"[^A-Za-z0-9._-]+", "_", "_".join([key, *path])).strip("_.-")
                new = _free_name(schemas, base or "schema")
                _replace(schemas[key], target, {"$ref": pointer("components", "schemas", new)})
                schemas[new] = target
                pending.append(new)
                changed += 1
    return changed


def _replace(root: Any, target: dict[str, Any], replacement: dict[str, Any]) -> None:
    """Put `replacement` where `target` (the very object) sits inside `root`."""
    stack = [root]
    while stack:
        node = stack.pop()
        slots = (
            list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        )
        for slot, value in slots:
            if value is target:
                node[slot] = replacement
                return
            stack.append(value)


def share_repeated_inline_schemas(doc: dict[str, Any]) -> int:
    """Equal titled inline schemas of one operation's bodies (one error shape for 409 and 422) become one component."""
    changed = 0
    for path, item in (doc.get("paths") or {}).items() if isinstance(doc.get("paths"), dict) else []:
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict):
                continue
            groups: dict[str, list[tuple[dict[str, Any], list[str]]]] = {}
            for media, tokens in _operation_media(operation, ["paths", str(path), method]):
                schema = media.get("schema")
                if isinstance(schema, dict) and isinstance(schema.get("title"), str) and "$ref" not in schema:
                    groups.setdefault(json.dumps(schema, sort_keys=True), []).append((media, tokens))
            for places in groups.values():
                if len(places) < 2:
                    continue
                first_media, tokens = places[0]
                name = _component_name(doc, [*tokens, "schema"], "schemas", first_media["schema"])
                doc.setdefault("components", {}).setdefault("schemas", {})[name] = first_media["schema"]
                for media, _tokens in places:
                    media["schema"] = {"$ref": pointer("components", "schemas", name)}
                changed += len(places)
    return changed


def _operation_media(operation: dict[str, Any], at: list[str]) -> list[tuple[dict[str, Any], list[str]]]:
    """(media type object, its reference tokens) of the request body and each response written in place."""
    holders: list[tuple[Any, list[str]]] = [(operation.get("requestBody"), [*at, "requestBody"])]
    responses = operation.get("responses")
    if isinstance(responses, dict):
        holders += [(response, [*at, "responses", str(status)]) for status, response in responses.items()]
    found: list[tuple[dict[str, Any], list[str]]] = []
    for holder, tokens in holders:
        content = holder.get("content") if isinstance(holder, dict) else None
        for media_type, media in content.items() if isinstance(content, dict) else []:
            if isinstance(media, dict):
                found.append((media, [*tokens, "content", str(media_type)]))
    return found
