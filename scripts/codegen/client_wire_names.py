"""Properties whose names differ only in symbols (`+1` and `-1`, `@type` and `type`), as the client parser sees them.

openapi-python-client makes a Python name of each property by dropping what is not a letter, digit or
underscore; two properties of one schema that become the same name make it drop the whole schema (and
every schema and response that uses it). GitHub's `reaction-rollup` (`+1`, `-1`) is such a schema. In
the parser's own copy of the document such a property is renamed by spelling out its symbols (`plus_1`,
`minus_1`, `at_type`); the client's classes then read and write the property under its real name
(client_classes.build_model). The document itself, the mock and the spec model keep the real names.
"""

from __future__ import annotations

import re
from typing import Any

from codegen.spec_walk import iter_schemas, resolve_ref

# Words for the symbols property names hold (others are spelled by their code point).
SYMBOL_WORDS = {
    "+": "plus", "-": "minus", "@": "at", "$": "dollar", "#": "hash", "%": "percent", "&": "and", "*": "star",
    ".": "dot", "!": "not", "=": "eq", "<": "lt", ">": "gt", "~": "tilde", "/": "slash", ":": "colon",
    "?": "q", "^": "caret", "|": "or", "'": "quote", '"': "dquote", ",": "comma", ";": "semi", " ": "_",
}  # fmt: skip


def _python_name(key: str) -> str:
    """The name the parser falls back to when two properties' snake_case names meet (its `skip_snake_case`)."""
    from openapi_python_client.strings import PythonIdentifier

    return str(PythonIdentifier(key, prefix="field_", skip_snake_case=True))


def spelled(key: str) -> str:
    """`key` with each symbol written as a word: `+1` → `plus_1`, `@type` → `at_type`."""
    words = [c if c.isalnum() or c == "_" else f"_{SYMBOL_WORDS.get(c, f'u{ord(c):04x}')}_" for c in key]
    return re.sub(r"_+", "_", "".join(words)).strip("_") or "property"


def _owners(doc: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas whose `properties` the parser merges into one class: the schema, and its `allOf`
    members (inline, or one `$ref` away)."""
    owners = [schema]
    for member in schema.get("allOf") or []:
        target = resolve_ref(doc, member["$ref"]) if isinstance(member, dict) and "$ref" in member else member
        owners += [target] if isinstance(target, dict) else []
    return [owner for owner in owners if isinstance(owner.get("properties"), dict)]


def spell_colliding_properties(doc: dict[str, Any]) -> dict[str, str]:
    """In the parser's copy `doc`, rename each property whose Python name another property of its class also
    gets; the one written with letters, digits and underscores only keeps its name. → {new name: real name}."""
    every = {str(k) for s in iter_schemas(doc) if isinstance(s.get("properties"), dict) for k in s["properties"]}
    renamed: dict[str, str] = {}
    for schema in iter_schemas(doc):
        owners = _owners(doc, schema)
        names: dict[str, list[str]] = {}
        for key in dict.fromkeys(str(k) for owner in owners for k in owner["properties"]):
            names.setdefault(_python_name(key), []).append(key)
        for keys in names.values():
            plain = [k for k in keys if re.fullmatch(r"\w+", k)]
            for key in keys if len(keys) > 1 else []:
                if key in plain[:1]:
                    continue
                new, number = spelled(key), 2
                while new in every:
                    new, number = f"{spelled(key)}_{number}", number + 1
                every.add(new)
                renamed[new] = key
                for owner in owners:
                    _rename(owner, key, new)
    return renamed


def _rename(owner: dict[str, Any], key: str, new: str) -> None:
    """Rename property `key` to `new` in `owner`'s `properties` (order kept) and `required`."""
    properties = owner["properties"]
    if key in properties:
        items = [(new if k == key else k, v) for k, v in properties.items()]
        properties.clear()
        properties.update(items)
    required = owner.get("required")
    if isinstance(required, list):
        owner["required"] = [new if r == key else r for r in required]
