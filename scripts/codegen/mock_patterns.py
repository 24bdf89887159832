"""The `pattern`s the mock's models run, each tried at generation time with the regex engine that will run it.

pydantic compiles a model's patterns when the mock is imported, with the engine of the model's config: Rust's
`regex` crate by default, Python's `re` where datamodel-code-generator sets `regex_engine="python-re"` (for a
look-around, or other syntax it knows the Rust engine refuses). A pattern neither engine compiles, or one the
engine of its model cannot compile, would stop the mock from importing; it is left out of the mock's models and
reported. The client does not validate patterns, and the mock's parameters leave them out (mock_params.py).
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from codegen.document import pointer
from codegen.spec_walk import components_of, dicts, iter_schemas, resolve_ref

Engine = Literal["rust-regex", "python-re"]
RUST: Engine = "rust-regex"
PYTHON: Engine = "python-re"
_ENGINE_NAMES = {RUST: "pydantic's Rust engine", PYTHON: "Python's re"}


@dataclass(frozen=True)
class LeftOutPattern:
    pointer: str  # JSON pointer of the pattern in the document
    reason: str


@functools.cache
def compile_error(pattern: str, engine: Engine) -> str | None:
    """None if pydantic-core compiles `pattern` with `engine`, else the engine's message (its last line)."""
    from pydantic_core import SchemaError, SchemaValidator

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's re warns of a possible nested set (`[[`), then compiles it
            SchemaValidator({"type": "str", "pattern": pattern}, {"regex_engine": engine})
    except SchemaError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[-1].removeprefix("SchemaError: ").removeprefix("error: ") if lines else "does not compile"
    return None


@functools.cache
def model_engine(pattern: str) -> Engine:
    """The engine datamodel-code-generator gives a model holding `pattern` (its own static rule, ECMA → Rust)."""
    from datamodel_code_generator._regex_syntax import needs_python_engine  # the generator's own decision

    return PYTHON if needs_python_engine(pattern, row="model") else RUST


def respelled(pattern: str) -> str:
    """`[` inside a character class escaped: ECMA-262 and Python read it as a literal `[`, the Rust engine as
    the start of a nested class (`[[A-Z0-9]{1,18}` is "unclosed" there). Same meaning, one spelling for both."""
    out: list[str] = []
    in_class = escaped = False
    class_start = -1
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif not in_class and char == "[":
            in_class, class_start = True, index
        elif in_class and char == "]" and index > class_start + 1 + (pattern[class_start + 1 : class_start + 2] == "^"):
            in_class = False
        elif in_class and char == "[":
            out.append("\\")
        out.append(char)
    return "".join(out)


def _pointers(node: Any, parts: tuple[str | int, ...], found: dict[int, str]) -> None:
    """id of every mapping under `node` → its JSON pointer (the first place it is met)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, parts)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, dict):
            if id(value) in found:
                continue
            found[id(value)] = pointer(*at)
            stack.extend((child, (*at, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*at, index)) for index, child in enumerate(value))


def _field_patterns(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas with a pattern that a model of `schema` compiles with its own config: its properties (and those
    of its inline allOf members, which the generator merges into it), through allOf. A pattern under anyOf, oneOf,
    items or additionalProperties becomes a root model of its own; a `$ref` or an object, a model of its own."""
    members = [m for m in schema.get("allOf") or [] if isinstance(m, dict) and "$ref" not in m]
    found: list[dict[str, Any]] = []
    stack = [p for holder in (schema, *members) for p in dicts(holder.get("properties"))]
    while stack:
        node = stack.pop()
        if "$ref" not in node and "properties" not in node:
            found += [node] if isinstance(node.get("pattern"), str) else []
            stack += [m for m in node.get("allOf") or [] if isinstance(m, dict)]
    return found


class _Models:
    """The models of the mock's models document (its components.schemas) and the engines they compile with."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.schemas = iter_schemas({"components": {"schemas": components_of(doc).get("schemas")}})
        self.fields = {id(s): _field_patterns(s) for s in self.schemas}
        self.parents: dict[int, list[dict[str, Any]]] = {}
        for schema in self.schemas:
            refs = [m["$ref"] for m in schema.get("allOf") or [] if isinstance(m, dict) and "$ref" in m]
            self.parents[id(schema)] = [t for t in (resolve_ref(doc, r) for r in refs) if isinstance(t, dict)]

    def ancestry(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        """The schema and every schema it inherits from through allOf `$ref` (base classes, whose config and
        fields pydantic carries into the subclass)."""
        found: list[dict[str, Any]] = []
        stack, seen = [schema], set()
        while stack:
            node = stack.pop()
            if id(node) not in seen:
                seen.add(id(node))
                found.append(node)
                stack += self.parents.get(id(node), [])
        return found

    def engines(self) -> dict[int, set[Engine]]:
        """id of each pattern-holding schema → the engines that compile it: that of its own root model, or that
        of each model holding it as a field, its own or inherited (Python's re when a field of the model needs it).
        """
        engines: dict[int, set[Engine]] = {}
        for schema in self.schemas:
            fields = [p for base in self.ancestry(schema) for p in self.fields[id(base)] if "pattern" in p]
            engine = PYTHON if any(model_engine(p["pattern"]) == PYTHON for p in fields) else RUST
            for holder in fields:
                engines.setdefault(id(holder), set()).add(engine)
        for node in self.schemas:
            if isinstance(node.get("pattern"), str) and id(node) not in engines:
                engines[id(node)] = {model_engine(node["pattern"])}
        return engines


def fit_patterns(doc: dict[str, Any]) -> list[LeftOutPattern]:
    """Make every `pattern` of the mock's models document compile where it will run; returns those left out.

    A pattern the Rust engine refuses only for a `[` inside a class is re-spelled (`respelled`). A pattern that
    the engine of its own model cannot compile is left out; then, with the models' engines known, so is one
    that an engine of a model holding it cannot compile. Pointers are those of the effective document.
    """
    places: dict[int, str] = {}
    _pointers(doc, (), places)
    models = _Models(doc)
    holders = [s for s in models.schemas if isinstance(s.get("pattern"), str)]
    for node in holders:
        pattern, fixed = node["pattern"], respelled(node["pattern"])
        if compile_error(pattern, RUST) and not compile_error(fixed, RUST) and not compile_error(fixed, PYTHON):
            node["pattern"] = fixed
    # Leaving out a pattern its own engine cannot compile may change its model's engine; one that a model's
    # engine cannot compile never needs Python's re itself, so leaving it out changes no engine.
    left = _leave_out(holders, {id(node): {model_engine(node["pattern"])} for node in holders}, places)
    return _one_line_each(left + _leave_out(holders, models.engines(), places))


def _one_line_each(left: list[LeftOutPattern], listed: int = 3) -> list[LeftOutPattern]:
    """One report per pattern and reason: its first place, then how many more (naming a few)."""
    places: dict[str, list[str]] = {}
    for item in left:
        places.setdefault(item.reason, []).append(item.pointer)
    merged = []
    for reason, pointers in places.items():
        more = pointers[1:]
        if more:
            named = ", ".join(more[:listed]) + (", …" if len(more) > listed else "")
            reason += f"; also at {len(more)} more place{'s' if len(more) > 1 else ''}: {named}"
        merged.append(LeftOutPattern(pointers[0], reason))
    return merged


def _leave_out(
    holders: list[dict[str, Any]], engines: dict[int, set[Engine]], places: dict[int, str]
) -> list[LeftOutPattern]:
    """Take out each pattern that one of its engines cannot compile; say which, and why."""
    left: list[LeftOutPattern] = []
    for node in [n for n in holders if "pattern" in n]:
        pattern = node["pattern"]
        failing = [(e, err) for e in sorted(engines.get(id(node), set())) if (err := compile_error(pattern, e))]
        if failing:
            del node["pattern"]
            engine, error = failing[0]
            why = f"{_ENGINE_NAMES[engine]}, which its model runs, cannot compile it ({error})"
            if all(compile_error(pattern, e) for e in (RUST, PYTHON)):
                why = f"neither pydantic's Rust engine nor Python's re compiles it ({compile_error(pattern, RUST)})"
            where = f"{places.get(id(node), '#')}/pattern"
            left.append(LeftOutPattern(where, f"pattern {pattern!r} left out of the mock's validation: {why}"))
    return left
