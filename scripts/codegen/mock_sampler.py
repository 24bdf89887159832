"""The mock's sample values: a small, deterministic JSON value valid for any schema.

`minimal_instance` builds what the mock answers when the spec has no example for a response (each
value's own `example` where it is valid for its schema, else required properties only, first choices,
numbers at their bounds, strings meeting their format and pattern). Patterns
are never run where they could backtrack for hours: their shortest match is built from the regex
parser's tree instead.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Mapping
from typing import Any

from codegen.mock_examples import finite_number, own_example
from codegen.schema_facts import Resolver as SchemaResolver
from codegen.schema_facts import mapping, resolve_pointer, schema_kind

# Deterministic sample strings for well-known formats (each valid for its format).
FORMAT_SAMPLES = {
    "date-time": "1970-01-01T00:00:00Z",
    "date": "1970-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "duration": "P1D",
    "byte": "",
    "binary": "",
}
MAX_DEPTH = 24  # bound on nested schemas followed while building an instance


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


# ---------------------------------------------------------------------------------------------
# $ref resolution and validation


class Resolver(SchemaResolver):
    """The document's one `$ref` resolver (schema_facts.py), plus what the mock needs: JSON Schema
    validation of sample values and the models.py class each schema `$ref` became."""

    def __init__(self, doc: Mapping[str, Any], class_names: Mapping[str, str] | None = None) -> None:
        super().__init__(doc)
        self.class_names = class_names or {}

    def is_valid(self, value: Any, schema: Any) -> bool | None:
        """Whether `value` is valid for `schema` (refs resolved in the document); None if unknowable."""
        root = {**schema, "components": self.doc.get("components")} if isinstance(schema, dict) else schema
        try:
            return bool(_validator_class()(root).is_valid(value))
        except Exception:  # a 3.0 keyword 2020-12 reads differently, a broken schema: no verdict
            return None

    def model_class(self, schema: Any) -> str | None:
        """`models.X` for a schema that is a `$ref` to a generated class (following alias chains)."""
        for _ in range(MAX_DEPTH):
            if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
                return None
            ref = schema["$ref"]
            if ref in self.class_names:
                return f"models.{self.class_names[ref]}"
            try:
                schema = resolve_pointer(self.doc, ref)
            except KeyError:
                return None
        return None


@functools.cache
def _validator_class() -> Any:
    """JSON Schema 2020-12 whose `pattern` passes where running the regex could hang (see _matches)."""
    import jsonschema  # type: ignore[import-untyped]

    def pattern(validator: Any, regex: Any, instance: Any, schema: Any) -> Any:
        if isinstance(instance, str) and isinstance(regex, str) and _matches(regex, instance) is False:
            yield jsonschema.ValidationError(f"{instance!r} does not match {regex!r}")

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})


# ---------------------------------------------------------------------------------------------
# minimal instances


def _merge_all_of(schema: dict[str, Any], resolver: Resolver, depth: int) -> dict[str, Any]:
    """One schema with the `allOf` branches' properties and required names folded in."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties") or {})
    required: list[str] = list(merged.get("required") or [])
    for branch in schema.get("allOf") or []:
        part = resolver.deref(branch)
        if not isinstance(part, dict):
            continue
        if "allOf" in part and depth < MAX_DEPTH:
            part = _merge_all_of(part, resolver, depth + 1)
        properties.update(part.get("properties") or {})
        required += [name for name in part.get("required") or [] if name not in required]
        for key, value in part.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    """The smallest-magnitude number the bounds and multipleOf allow (0 when unbounded)."""
    step = 1 if integer else 1.0
    low, ex_low = finite_number(schema.get("minimum")), schema.get("exclusiveMinimum")
    lower = None if low is None else low + step if ex_low is True else low  # 3.0: exclusiveMinimum is a flag
    if (bound := finite_number(ex_low)) is not None:  # 3.1: exclusiveMinimum is the bound itself
        lower = bound + step if lower is None else max(lower, bound + step)
    high, ex_high = finite_number(schema.get("maximum")), schema.get("exclusiveMaximum")
    upper = None if high is None else high - step if ex_high is True else high
    if (bound := finite_number(ex_high)) is not None:
        upper = bound - step if upper is None else min(upper, bound - step)
    value: int | float = 0
    if lower is not None and lower > 0:
        value = lower
    elif upper is not None and upper < 0:
        value = upper
    multiple = finite_number(schema.get("multipleOf"))
    if multiple is not None and multiple > 0:  # away from zero, which is the side the bound allows
        value = (math.ceil if value >= 0 else math.floor)(value / multiple) * multiple
    if integer:
        return int(math.ceil(value)) if value >= 0 else int(math.floor(value))
    return value


def _string(schema: dict[str, Any]) -> str:
    """The spec's own sample or a format sample if it meets the pattern, else the pattern's shortest match."""
    pattern = schema.get("pattern") if isinstance(schema.get("pattern"), str) else None
    low = _int(schema.get("minLength"))
    high = schema.get("maxLength") if isinstance(schema.get("maxLength"), int) else None
    fitted = _fit(FORMAT_SAMPLES.get(str(schema.get("format")), "string"), low, high)
    if pattern is None:
        return fitted
    samples = [schema.get("example"), schema.get("default"), *_list(schema.get("examples"))[:1]]
    candidates = [_fit(c, low, high) for c in samples if isinstance(c, str)] + [fitted]
    verified = next((text for text in candidates if _matches(pattern, text) is True), None)
    built = pattern_sample(pattern)  # matches by construction, even where a check would be unsafe
    if verified is not None:
        return verified
    if built is not None and low <= len(built) <= (len(built) if high is None else high):
        return built
    return candidates[0]


def _fit(text: str, low: int, high: int | None) -> str:
    if high is not None and len(text) > high:
        text = text[: max(high, 0)]
    if len(text) < low:
        text += (text[-1:] or "x") * (low - len(text))  # repeating the last character keeps most patterns
    return text


MAX_CHECKED_TEXT = 256  # longer texts are not matched: backtracking cost grows with the length


def _matches(pattern: str, text: str) -> bool | None:
    """re.search, as JSON Schema's `pattern` means it; None when unknown: the pattern does not parse
    in Python, or it nests unbounded repeats (`(a*)*`), which can backtrack for hours."""
    parsed = _parse_pattern(pattern)
    if parsed is None or _risky(parsed) or len(text) > MAX_CHECKED_TEXT:
        return None
    return re.search(pattern, text) is not None


def _parse_pattern(pattern: str) -> Any:
    sre_parse: Any = importlib.import_module("re._parser")  # the stdlib's regex parser (no public API)
    try:
        return sre_parse.parse(pattern)
    except Exception:  # ECMA syntax Python lacks (`\p{L}`, …)
        return None


REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
SMALL_REPEAT = 10  # `{2,6}`-like bounds keep nested work bounded; beyond, a repeat counts as unbounded


def _risky(items: Any, in_repeat: bool = False) -> bool:
    """Whether an unbounded repeat contains another unbounded repeat or an alternation."""
    for op, av in items:
        name = str(op)
        if name in REPEATS:
            unbounded = av[1] > SMALL_REPEAT
            if (unbounded and in_repeat) or _risky(av[2], in_repeat or unbounded):
                return True
        elif name == "BRANCH":
            if in_repeat or any(_risky(branch, in_repeat) for branch in av[1]):
                return True
        elif name in ("SUBPATTERN", "ASSERT", "ASSERT_NOT"):
            if _risky(av[-1], in_repeat):
                return True
        elif name == "ATOMIC_GROUP" and _risky(av, in_repeat):
            return True
    return False


def pattern_sample(pattern: str) -> str | None:
    """A short string the regular expression matches (first choices, fewest repeats), or None."""
    parsed = _parse_pattern(pattern)
    try:
        return None if parsed is None else _emit(parsed)
    except ValueError:  # constructs we do not emit (backreferences, lookarounds): no sample
        return None


def _emit(items: Any) -> str:
    out: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name in ("NOT_LITERAL", "ANY"):
            out.append("b" if name == "NOT_LITERAL" and chr(av) == "a" else "a")
        elif name == "IN":
            out.append(_class_char(av))
        elif name == "CATEGORY":
            out.append(_category_char(str(av)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            out.append(_emit(sub) * low)
        elif name == "SUBPATTERN":
            out.append(_emit(av[-1]))
        elif name == "ATOMIC_GROUP":
            out.append(_emit(av))
        elif name == "BRANCH":
            out.append(_emit(av[1][0]))
        elif name != "AT":  # anchors emit nothing; lookarounds and backreferences are not emitted
            raise ValueError(name)
    return "".join(out)


def _class_char(items: list[tuple[Any, Any]]) -> str:
    """A character of a `[...]` class: its first member, or for `[^...]` one it excludes."""
    if items and str(items[0][0]) == "NEGATE":
        for candidate in "aA0_-. ~":
            if not any(_in_class(candidate, op, av) for op, av in items[1:]):
                return candidate
        raise ValueError("negated class")
    op, av = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(av)
    if name == "RANGE":
        return chr(av[0])
    if name == "CATEGORY":
        return _category_char(str(av))
    raise ValueError(name)


def _in_class(char: str, op: Any, av: Any) -> bool:
    name = str(op)
    if name == "LITERAL":
        return char == chr(av)
    if name == "RANGE":
        return bool(av[0] <= ord(char) <= av[1])
    if name == "CATEGORY":
        category = str(av)
        plain = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}
        inside = re.fullmatch(plain.get(category.replace("NOT_", ""), "."), char) is not None
        return inside != ("NOT_" in category)
    return True


def _category_char(category: str) -> str:
    return {
        "CATEGORY_DIGIT": "0",
        "CATEGORY_NOT_DIGIT": "a",
        "CATEGORY_SPACE": " ",
        "CATEGORY_NOT_SPACE": "a",
        "CATEGORY_WORD": "a",
        "CATEGORY_NOT_WORD": "-",
    }.get(category, "a")


def minimal_instance(
    schema: Any,
    resolver: Resolver,
    depth: int = 0,
    seen: frozenset[str] = frozenset(),
    fuller: bool = False,
    rich: int = 0,
) -> Any:
    """A small, deterministic JSON value valid for `schema`: its own example where that is valid for it
    (mock_examples.py), else required properties only, first choices.

    `fuller` (this level only): every property of an object, one item in an array; used to tell
    `oneOf` branches apart when their minimal instances fit several. `rich`: the same for this many
    levels of nesting (optional properties that would recurse into a schema being built are left out).
    """
    if schema is True or schema is None:
        return {}
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:  # a required cycle has no finite instance; null is the closest
            return None
        return minimal_instance(resolver.deref(schema), resolver, depth + 1, seen | {ref}, fuller, rich)
    if "allOf" in schema:
        return minimal_instance(_merge_all_of(schema, resolver, depth), resolver, depth + 1, seen, fuller, rich)
    if "const" in schema:
        return schema["const"]
    example = own_example(schema, _matches, resolver.is_valid)
    if example is not None:  # the spec's own example for this value (a property's `example`), when valid
        return example[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((value for value in enum if value is not None), enum[0])
    for combinator in ("oneOf", "anyOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and branches:
            return _choose_branch(schema, combinator, branches, resolver, depth, seen, rich)
    kind = schema_kind(schema)
    if kind == "object":
        return _object(schema, resolver, depth, seen, fuller, rich)
    if kind == "array":
        count = _int(schema.get("minItems"))
        if (fuller or rich > 0) and count == 0 and schema.get("maxItems") != 0:
            count = 1
        items = schema.get("items", {})
        return [minimal_instance(items, resolver, depth + 1, seen, rich=max(rich - 1, 0)) for _ in range(count)]
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return {}


def _choose_branch(
    schema: dict[str, Any],
    combinator: str,
    branches: list[Any],
    resolver: Resolver,
    depth: int,
    seen: frozenset[str],
    rich: int = 0,
) -> Any:
    """The first non-null branch's instance; for `oneOf`, the first that matches no other branch too
    (a minimal instance often fits several branches, which `oneOf` forbids)."""
    candidates = [b for b in branches if schema_kind(mapping(resolver.deref(b))) != "null"] or branches
    sample = minimal_instance(candidates[0], resolver, depth + 1, seen, rich=rich)
    first = _tagged(sample, schema, candidates[0], resolver)
    if combinator != "oneOf" or len(candidates) == 1:
        return first
    for fuller in (False, True):
        for branch in candidates:
            value = _tagged(minimal_instance(branch, resolver, depth + 1, seen, fuller), schema, branch, resolver)
            if sum(resolver.is_valid(value, other) is not False for other in branches) == 1:
                return value
    return first


def _tagged(value: Any, schema: dict[str, Any], branch: Any, resolver: Resolver) -> Any:
    """The instance with the discriminator property set to the value that names `branch` (the spec
    model's discriminator: explicit mapping first, else the component's name)."""
    discriminator = resolver.discriminator(schema)
    ref = mapping(branch).get("$ref")
    if isinstance(value, dict) and discriminator is not None and isinstance(ref, str):
        named = next((key for key, target in discriminator.mapping if target == ref), None)
        value[discriminator.property_name] = named if named is not None else ref.rsplit("/", 1)[-1]
    return value


def _object(
    schema: dict[str, Any], resolver: Resolver, depth: int, seen: frozenset[str], fuller: bool = False, rich: int = 0
) -> dict[str, Any]:
    properties = mapping(schema.get("properties"))
    required = [name for name in _list(schema.get("required")) if isinstance(name, str)]
    wanted = len(properties) if fuller else schema.get("minProperties")
    if isinstance(wanted, int) and wanted > len(required):
        required += [name for name in properties if name not in required][: wanted - len(required)]
    if rich > 0:
        required += [name for name in properties if name not in required and not _recurses(properties[name], seen)]
    extra = schema.get("additionalProperties")
    result: dict[str, Any] = {}
    for name in required:
        sub = properties.get(name, extra if isinstance(extra, dict) else {"type": "string"})
        result[name] = minimal_instance(sub, resolver, depth + 1, seen, rich=max(rich - 1, 0))
    return result


def _recurses(schema: Any, seen: frozenset[str]) -> bool:
    """Whether a property's schema, or its array's items, is a `$ref` already being built (a cycle)."""
    for candidate in (schema, mapping(schema).get("items")):
        ref = mapping(candidate).get("$ref")
        if isinstance(ref, str) and ref in seen:
            return True
    return False


RICH_LEVELS = 4  # levels of nesting that a sample_instance fills out


def sample_instance(schema: Any, resolver: Resolver) -> Any:
    """A deterministic instance of `schema` showing its shape: every property and one array item,
    RICH_LEVELS deep (so an error body has its `detail` list filled in). Falls back to
    minimal_instance where the fuller value would not validate."""
    value = minimal_instance(schema, resolver, rich=RICH_LEVELS)
    if schema is None or schema is True or resolver.is_valid(value, schema) is not False:
        return value
    return minimal_instance(schema, resolver)
