"""What the mock's templates receive: a typed view of every operation, decided here in Python.

Each operation becomes one route stub: a Starlette-safe route path, a Python function name, its
parameters (location, the spec's name as alias, a Python type FastAPI can validate), its body type
(a class of models.py, found through datamodel-code-generator's model metadata), the credentials
its `security` requires, and its documented responses with an example or a minimal valid instance.
Spec text reaches code only as string literals (the templates' `py_str` filter) or as JSON data.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import keyword
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.checks import resolve_pointer
from codegen.document import iter_operations

LOCATIONS = ("path", "query", "header", "cookie")
# FastAPI's marker class for each parameter location.
MARKERS = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}
# OpenAPI says these header parameters are ignored: the protocol or the security schemes carry them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Module-level names of app.py that an operation's function must not shadow (builtins too: a
# function named `list` would break every later `list[...]` annotation).
MODULE_NAMES = frozenset({"router", "create_app", "models", "respond", "date", "datetime"}) | frozenset(dir(builtins))
# Names a stub's body uses, so no parameter may take them.
STUB_NAMES = frozenset({"request", "respond", "body"})
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


@dataclass(frozen=True)
class Parameter:
    """One validated parameter of a stub: `python_name: Annotated[annotation, marker] = default`."""

    python_name: str
    name: str  # the spec's name: the alias FastAPI reads from the request
    location: str  # path | query | header | cookie
    annotation: str  # a Python type; `X | None` when optional
    marker: str  # e.g. Header(alias='x-trace', convert_underscores=False)
    required: bool
    nullable: bool  # the schema allows null: the text `null` is read as None


@dataclass(frozen=True)
class Body:
    annotation: str | None  # None: not JSON, accepted without validation
    required: bool
    media_types: tuple[str, ...]


@dataclass(frozen=True)
class Credential:
    """One credential a security requirement needs, and how the runtime finds it in a request."""

    scheme: str
    kind: str  # header | query | cookie | authorization (Authorization: <prefix> …) | unchecked
    name: str  # header, query or cookie name; for authorization, the expected prefix ("" = any)

    def as_json(self) -> dict[str, str]:
        return {"scheme": self.scheme, "kind": self.kind, "name": self.name}

    @property
    def label(self) -> str:
        if self.kind == "authorization":
            return f"Authorization: {self.name or '…'}"
        return self.scheme if self.kind == "unchecked" else f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Response:
    key: str  # the spec's key: "200", "4XX" or "default"
    status: int  # what is sent when this response is the default answer
    media_type: str | None  # None: no body
    body: Any  # JSON value sent by default: the spec's example or a minimal valid instance
    examples: dict[str, Any]  # named examples (`Prefer: example=NAME`)
    headers: dict[str, str]  # required response headers with sample values

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "media_type": self.media_type,
            "body": self.body,
            "examples": self.examples,
            "headers": self.headers,
        }


@dataclass(frozen=True)
class Operation:
    name: str  # the stub's function name, also the handler-override key
    operation_id: str | None
    method: str  # upper case
    path: str  # as in the spec
    route_path: str  # placeholders renamed to the Python names Starlette can match, no `#…` part
    route_conditions: tuple[tuple[str, str | None], ...]  # from `/#Action=X`: what the request must carry
    summary: str
    parameters: tuple[Parameter, ...]
    unvalidated: tuple[str, ...]  # "query filter" …: accepted, not validated (objects, odd styles)
    body: Body | None
    security: tuple[tuple[Credential, ...], ...]  # alternatives; () means no credentials needed
    responses: tuple[Response, ...]
    default_response: str | None  # key of the response a plain valid request gets

    @property
    def credentials_text(self) -> str:
        """`header x-api-key + header organisation`, alternatives joined by `or`; `none` if open."""
        return " or ".join(" + ".join(c.label for c in alternative) for alternative in self.security) or "none"

    @property
    def body_validated(self) -> bool:
        return self.body is not None and self.body.annotation is not None

    @property
    def locations(self) -> list[tuple[str, list[Parameter]]]:
        """Parameters grouped by location (path, query, header, cookie), as `respond` takes them."""
        grouped = [(where, [p for p in self.parameters if p.location == where]) for where in LOCATIONS]
        return [(where, found) for where, found in grouped if found]

    def as_json(self) -> dict[str, Any]:
        """The runtime's data for this operation (mock_data.json)."""
        return {
            "operation_id": self.operation_id,
            "method": self.method,
            "path": self.path,
            "route_conditions": [list(condition) for condition in self.route_conditions],
            "summary": self.summary,
            "security": [[c.as_json() for c in alternative] for alternative in self.security],
            "default_response": self.default_response,
            "responses": {r.key: r.as_json() for r in self.responses},
        }


def _dict(value: Any) -> dict[str, Any]:
    """The value if it is a mapping, else an empty one: specs put anything anywhere."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _finite(value: Any) -> int | float | None:
    """The value if it is a finite number (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


# ---------------------------------------------------------------------------------------------
# names


def snake_case(text: str) -> str:
    """`Generate-an-invoice` → `generate_an_invoice`, `userId` → `user_id`; ASCII only, may be empty."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def identifier(text: str, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """A valid, non-keyword Python identifier from any text, suffixed with `_` if reserved."""
    name = snake_case(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    while keyword.iskeyword(name) or name in reserved:
        name += "_"
    return name


def unique(name: str, taken: set[str], alternative: str | None = None) -> str:
    """`name`, else `alternative`, else `name_2`, `name_3`…; records the result in `taken`."""
    candidates = [name] + ([alternative] if alternative else [])
    chosen = next((c for c in candidates if c not in taken), None)
    number = 2
    while chosen is None:
        chosen = f"{name}_{number}" if f"{name}_{number}" not in taken else None
        number += 1
    taken.add(chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# $ref helpers


class Resolver:
    """Follows local `$ref`s of one document and maps schema refs to models.py class names."""

    def __init__(self, doc: dict[str, Any], class_names: Mapping[str, str]) -> None:
        self.doc = doc
        self.class_names = class_names

    def deref(self, node: Any, depth: int = 0) -> Any:
        """The node with `$ref` chains followed (siblings of a 3.1 `$ref` are merged in)."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < MAX_DEPTH:
            try:
                target = resolve_pointer(self.doc, node["$ref"])
            except KeyError:
                return {}
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, dict) else target
            depth += 1
        return node

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


def _schema_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return str(kinds[0]) if kinds else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    """The smallest-magnitude number the bounds and multipleOf allow (0 when unbounded)."""
    step = 1 if integer else 1.0
    low, ex_low = _finite(schema.get("minimum")), schema.get("exclusiveMinimum")
    lower = None if low is None else low + step if ex_low is True else low  # 3.0: exclusiveMinimum is a flag
    if (bound := _finite(ex_low)) is not None:  # 3.1: exclusiveMinimum is the bound itself
        lower = bound + step if lower is None else max(lower, bound + step)
    high, ex_high = _finite(schema.get("maximum")), schema.get("exclusiveMaximum")
    upper = None if high is None else high - step if ex_high is True else high
    if (bound := _finite(ex_high)) is not None:
        upper = bound - step if upper is None else min(upper, bound - step)
    value: int | float = 0
    if lower is not None and lower > 0:
        value = lower
    elif upper is not None and upper < 0:
        value = upper
    multiple = _finite(schema.get("multipleOf"))
    if multiple is not None and multiple > 0:  # away from zero, which is the side the bound allows
        value = (math.ceil if value >= 0 else math.floor)(value / multiple) * multiple
    if integer:
        return int(math.ceil(value)) if value >= 0 else int(math.floor(value))
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


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
    schema: Any, resolver: Resolver, depth: int = 0, seen: frozenset[str] = frozenset(), fuller: bool = False
) -> Any:
    """A small, deterministic JSON value valid for `schema`: required properties only, first choices.

    `fuller` (this level only): every property of an object, one item in an array; used to tell
    `oneOf` branches apart when their minimal instances fit several.
    """
    if schema is True or schema is None:
        return {}
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:  # a required cycle has no finite instance; null is the closest
            return None
        return minimal_instance(resolver.deref(schema), resolver, depth + 1, seen | {ref}, fuller)
    if "allOf" in schema:
        return minimal_instance(_merge_all_of(schema, resolver, depth), resolver, depth + 1, seen, fuller)
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((value for value in enum if value is not None), enum[0])
    for combinator in ("oneOf", "anyOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and branches:
            return _choose_branch(schema, combinator, branches, resolver, depth, seen)
    kind = _schema_type(schema)
    if kind == "object":
        return _object(schema, resolver, depth, seen, fuller)
    if kind == "array":
        count = _int(schema.get("minItems"))
        if fuller and count == 0 and schema.get("maxItems") != 0:
            count = 1
        return [minimal_instance(schema.get("items", {}), resolver, depth + 1, seen) for _ in range(count)]
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
    schema: dict[str, Any], combinator: str, branches: list[Any], resolver: Resolver, depth: int, seen: frozenset[str]
) -> Any:
    """The first non-null branch's instance; for `oneOf`, the first that matches no other branch too
    (a minimal instance often fits several branches, which `oneOf` forbids)."""
    candidates = [b for b in branches if _schema_type(_dict(resolver.deref(b))) != "null"] or branches
    first = _tagged(minimal_instance(candidates[0], resolver, depth + 1, seen), schema, candidates[0])
    if combinator != "oneOf" or len(candidates) == 1:
        return first
    for fuller in (False, True):
        for branch in candidates:
            value = _tagged(minimal_instance(branch, resolver, depth + 1, seen, fuller), schema, branch)
            if sum(resolver.is_valid(value, other) is not False for other in branches) == 1:
                return value
    return first


def _tagged(value: Any, schema: dict[str, Any], branch: Any) -> Any:
    """The instance with the discriminator property set to the value that names `branch`."""
    discriminator = _dict(schema.get("discriminator"))
    prop, ref = discriminator.get("propertyName"), _dict(branch).get("$ref")
    if isinstance(value, dict) and isinstance(prop, str) and isinstance(ref, str):
        mapping = _dict(discriminator.get("mapping"))
        value[prop] = next((key for key, target in mapping.items() if target == ref), ref.rsplit("/", 1)[-1])
    return value


def _object(
    schema: dict[str, Any], resolver: Resolver, depth: int, seen: frozenset[str], fuller: bool = False
) -> dict[str, Any]:
    properties = _dict(schema.get("properties"))
    required = [name for name in _list(schema.get("required")) if isinstance(name, str)]
    wanted = len(properties) if fuller else schema.get("minProperties")
    if isinstance(wanted, int) and wanted > len(required):
        required += [name for name in properties if name not in required][: wanted - len(required)]
    extra = schema.get("additionalProperties")
    result: dict[str, Any] = {}
    for name in required:
        sub = properties.get(name, extra if isinstance(extra, dict) else {"type": "string"})
        result[name] = minimal_instance(sub, resolver, depth + 1, seen)
    return result


# ---------------------------------------------------------------------------------------------
# parameters


def _scalar_annotation(schema: dict[str, Any], resolver: Resolver) -> tuple[str, bool] | None:
    """(Python type, takes numeric/length bounds) for a scalar schema; None if not a scalar."""
    schema = _without_null(resolver.deref(schema), resolver)
    if not isinstance(schema, dict):
        return ("str", False)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        values = [v for v in enum if v is not None]
        if values and all(isinstance(v, str) for v in values):
            return ("Literal[" + ", ".join(repr(v) for v in values) + "]", False)
    kind = _schema_type(schema)
    if kind == "integer":
        return ("int", True)
    if kind == "number":
        return ("float", True)
    if kind == "boolean":
        return ("bool", False)
    if kind in ("object", "array"):
        return None
    formats = {"uuid": "UUID", "date-time": "datetime", "date": "date"}
    if kind == "string" and schema.get("format") in formats:
        return (formats[schema["format"]], False)
    return ("str", kind == "string")


def _without_null(schema: Any, resolver: Resolver) -> Any:
    """`anyOf/oneOf [X, null]` → X (3.1's way to say nullable); other schemas unchanged."""
    if not isinstance(schema, dict):
        return schema
    for combinator in ("anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list):
            real = [b for b in branches if _schema_type(resolver.deref(b) or {}) != "null"]
            if len(real) == 1:
                return resolver.deref(real[0])
            return {}  # a real union: validated as text
    return schema


def _allows_null(schema: Any, resolver: Resolver) -> bool:
    """Whether null is a valid value: 3.0's `nullable`, 3.1's `type: [.., null]`, a null branch or enum member."""
    schema = _dict(resolver.deref(schema))
    kind = schema.get("type")
    if schema.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in _list(schema.get("enum")):
        return True
    branches = _list(schema.get("anyOf")) + _list(schema.get("oneOf"))
    return any(_schema_type(_dict(resolver.deref(branch))) == "null" for branch in branches)


def _bounds(schema: dict[str, Any], numeric: bool) -> list[str]:
    """FastAPI keyword arguments for the schema's bounds (numbers and lengths; patterns are left out
    because an ECMA pattern may not compile in pydantic's regex engine)."""
    keywords: list[str] = []
    if numeric:
        pairs = [("minimum", "ge"), ("maximum", "le")]
        for key, argument in pairs:
            exclusive = schema.get("exclusiveMinimum" if key == "minimum" else "exclusiveMaximum")
            if _is_number(schema.get(key)):
                keywords.append(f"{'gt' if exclusive is True else argument}={schema[key]!r}")
        for key, argument in (("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
            if _is_number(schema.get(key)):
                keywords.append(f"{argument}={schema[key]!r}")
    else:
        for key, argument in (("minLength", "min_length"), ("maxLength", "max_length")):
            value = schema.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                keywords.append(f"{argument}={value!r}")
    return keywords


def _parameter_type(spec: dict[str, Any], location: str, resolver: Resolver) -> tuple[str, list[str]] | None:
    """(annotation, bound keywords) FastAPI can validate, or None to accept the parameter unchecked."""
    if "schema" not in spec:
        return ("str", []) if "content" in spec else None  # `content` parameters: JSON text, unchecked
    schema = _without_null(resolver.deref(spec["schema"]), resolver)
    scalar = _scalar_annotation(schema, resolver)
    if scalar is not None:
        annotation, bounded = scalar
        bounds = _bounds(schema, annotation in ("int", "float")) if bounded and isinstance(schema, dict) else []
        return annotation, bounds
    style = spec.get("style", "form" if location in ("query", "cookie") else "simple")
    explode = spec.get("explode", style == "form")
    if isinstance(schema, dict) and _schema_type(schema) == "array" and location == "query":
        if style == "form" and explode:  # repeated keys: ?tag=a&tag=b
            item = _scalar_annotation(schema.get("items") or {}, resolver)
            return (f"list[{item[0] if item else 'str'}]", [])
        return ("str", [])  # a delimited list arrives as one string
    if isinstance(schema, dict) and _schema_type(schema) == "array":
        return ("str", [])
    return None  # objects: spread over keys or encoded; accepted as sent


def _merged_parameters(
    path_item: dict[str, Any], operation: dict[str, Any], resolver: Resolver
) -> list[dict[str, Any]]:
    """Path-level parameters overridden by operation-level ones with the same name and location."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (path_item.get("parameters"), operation.get("parameters")):
        for raw in source if isinstance(source, list) else []:
            spec = resolver.deref(raw)
            if isinstance(spec, dict) and isinstance(spec.get("name"), str) and spec.get("in") in LOCATIONS:
                name = spec["name"].lower() if spec["in"] == "header" else spec["name"]
                merged[(spec["in"], name)] = spec
    return list(merged.values())


def _marker(location: str, name: str, bounds: list[str]) -> str:
    arguments = [] if location == "path" else [f"alias={name!r}"]
    if location == "header":
        arguments.append("convert_underscores=False")  # the alias is the header's exact name
    return f"{MARKERS[location]}({', '.join(arguments + bounds)})"


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _parameters(
    path: str, path_item: dict[str, Any], operation: dict[str, Any], resolver: Resolver
) -> tuple[str, list[Parameter], list[str]]:
    """(route path, parameters, unvalidated) for one operation."""
    taken = set(STUB_NAMES)
    specs = _merged_parameters(path_item, operation, resolver)
    placeholders = PLACEHOLDER.findall(path)
    # A placeholder the spec forgot to declare still needs a parameter to be routable.
    specs += [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in placeholders]
    specs = [s for s in specs if s["in"] != "path" or s["name"] in placeholders]
    parameters: list[Parameter] = []
    unvalidated: list[str] = []
    route_names: dict[str, str] = {}
    for spec in specs:
        name, location = spec["name"], spec["in"]
        if location == "path" and name in route_names:
            continue  # declared first, so the stand-in added above is dropped
        if location == "header" and name.lower() in IGNORED_HEADERS:
            continue
        python_name = unique(identifier(name.lstrip("+"), "param", STUB_NAMES), taken, f"{snake_case(name)}_{location}")
        typed = _parameter_type(spec, location, resolver) if location != "path" else _path_type(spec, resolver)
        if typed is None:
            unvalidated.append(f"{location} {name}")
            continue
        annotation, bounds = typed
        required = bool(spec.get("required")) or location == "path"
        nullable = "schema" in spec and _allows_null(spec["schema"], resolver)
        if location == "path":
            route_names[name] = python_name
        parameters.append(
            Parameter(
                python_name=python_name,
                name=name,
                location=location,
                annotation=annotation if required and not nullable else f"{annotation} | None",
                marker=_marker(location, name, bounds),
                required=required,
                nullable=nullable,
            )
        )
    route_path = PLACEHOLDER.sub(lambda m: _route_placeholder(m.group(1), route_names), path)
    return route_path, parameters, unvalidated


def _path_type(spec: dict[str, Any], resolver: Resolver) -> tuple[str, list[str]]:
    """Path parameters are always validated: scalars by type and bounds, anything else as text."""
    return _parameter_type(spec, "path", resolver) or ("str", [])


def _route_placeholder(name: str, route_names: dict[str, str]) -> str:
    python_name = route_names.get(name)
    if python_name is None:
        return "{" + name + "}"  # unreachable: every placeholder got a parameter
    # `{+name}` (reserved expansion) may span slashes.
    return "{" + python_name + (":path" if name.startswith("+") else "") + "}"


# ---------------------------------------------------------------------------------------------
# bodies


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _body(operation: dict[str, Any], resolver: Resolver) -> Body | None:
    request_body = resolver.deref(operation.get("requestBody"))
    if not isinstance(request_body, dict):
        return None
    content = _dict(request_body.get("content"))
    media_types = tuple(str(m) for m in content)
    required = bool(request_body.get("required"))
    if not media_types or not all(_is_json(m) for m in media_types):
        return Body(annotation=None, required=required, media_types=media_types)
    media = resolver.deref(content[media_types[0]])
    schema = media.get("schema") if isinstance(media, dict) else None
    annotation = body_annotation(schema, resolver)
    return Body(
        annotation=annotation if required else f"{annotation} | None", required=required, media_types=media_types
    )


def body_annotation(schema: Any, resolver: Resolver, depth: int = 0) -> str:
    """The models.py class of a `$ref`, lists of them, JSON types; `Any` where nothing fits."""
    if depth > 3 or not isinstance(schema, dict):
        return "Any"
    model = resolver.model_class(schema)
    if model is not None:
        return model
    schema = _without_null(resolver.deref(schema), resolver)
    if not isinstance(schema, dict):
        return "Any"
    kind = _schema_type(schema) if "type" in schema else None  # untyped: any JSON value is valid
    if kind == "array":
        return f"list[{body_annotation(schema.get('items'), resolver, depth + 1)}]"
    if kind == "object":
        return "dict[str, Any]"
    simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
    return simple.get(kind or "", "Any")


# ---------------------------------------------------------------------------------------------
# security


def _credentials(requirement: dict[str, Any], schemes: dict[str, Any], resolver: Resolver) -> tuple[Credential, ...]:
    found: list[Credential] = []
    for scheme_name in requirement:
        scheme = resolver.deref(schemes.get(scheme_name))
        if not isinstance(scheme, dict):
            found.append(Credential(str(scheme_name), "unchecked", ""))
            continue
        kind = scheme.get("type")
        if (
            kind == "apiKey"
            and scheme.get("in") in ("header", "query", "cookie")
            and isinstance(scheme.get("name"), str)
        ):
            found.append(Credential(str(scheme_name), str(scheme["in"]), scheme["name"]))
        elif kind == "http":
            prefix = str(scheme.get("scheme") or "").capitalize()
            found.append(Credential(str(scheme_name), "authorization", prefix))
        elif kind in ("oauth2", "openIdConnect"):
            found.append(Credential(str(scheme_name), "authorization", "Bearer"))
        else:  # mutualTLS and unknown kinds cannot be seen in a request
            found.append(Credential(str(scheme_name), "unchecked", ""))
    return tuple(found)


def _security(doc: dict[str, Any], operation: dict[str, Any], resolver: Resolver) -> tuple[tuple[Credential, ...], ...]:
    requirements = operation.get("security", doc.get("security"))
    if not isinstance(requirements, list) or not requirements:
        return ()
    components = _dict(doc.get("components"))
    schemes = _dict(components.get("securitySchemes"))
    alternatives = [_credentials(r, schemes, resolver) for r in requirements if isinstance(r, dict)]
    if any(not alternative for alternative in alternatives):
        return ()  # an empty requirement `{}` makes credentials optional
    return tuple(alternatives)


# ---------------------------------------------------------------------------------------------
# responses


def _status(key: str) -> int:
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0] in "12345" and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return 200  # `default` answering a plain request


def _pick_media_type(content: dict[str, Any]) -> str | None:
    if not content:
        return None
    names = list(content)
    for test in (lambda m: m.split(";")[0].strip().lower() == "application/json", _is_json):
        found = next((m for m in names if test(m)), None)
        if found is not None:
            return str(found)
    return str(names[0])


def _examples(media: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    named = _dict(media.get("examples"))
    found: dict[str, Any] = {}
    for name, raw in named.items():
        example = resolver.deref(raw)
        if isinstance(example, dict) and "value" in example:
            found[str(name)] = example["value"]
    return found


def _default_body(media: dict[str, Any], examples: dict[str, Any], resolver: Resolver) -> Any:
    """The media type's example, its first named example, the schema's example, else a minimal instance."""
    if "example" in media:
        return media["example"]
    if examples:
        return next(iter(examples.values()))
    schema = resolver.deref(media.get("schema"))
    if isinstance(schema, dict):
        if "example" in schema:
            return schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
    return minimal_instance(media.get("schema", True), resolver)


def _headers(response: dict[str, Any], resolver: Resolver) -> dict[str, str]:
    found: dict[str, str] = {}
    headers = _dict(response.get("headers"))
    for name, raw in headers.items():
        header = resolver.deref(raw)
        if not isinstance(header, dict) or not header.get("required") or str(name).lower() == "content-type":
            continue
        value = header.get("example", minimal_instance(header.get("schema", {"type": "string"}), resolver))
        found[str(name)] = value if isinstance(value, str) else _header_text(value)
    return found


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_header_text(v) for v in value)
    return "" if value is None or isinstance(value, dict) else str(value)


def _responses(operation: dict[str, Any], method: str, resolver: Resolver) -> tuple[Response, ...]:
    raw = _dict(operation.get("responses"))
    found: list[Response] = []
    for key, value in raw.items():
        key = str(key)
        if not (key.isdigit() or key == "default" or re.fullmatch(r"[1-5][xX]{2}", key)):
            continue  # `x-…` extensions
        response = resolver.deref(value)
        response = _dict(response)
        content = _dict(response.get("content"))
        status = _status(key)
        media_type = None if method == "HEAD" or status in (204, 304) else _pick_media_type(content)
        media = resolver.deref(content.get(media_type)) if media_type else None
        media = _dict(media)
        examples = _examples(media, resolver) if media_type else {}
        body = _default_body(media, examples, resolver) if media_type else None
        found.append(Response(key, status, media_type, body, examples, _headers(response, resolver)))
    return tuple(found)


def _default_response(responses: tuple[Response, ...]) -> str | None:
    """The lowest documented 2xx, else `2XX`, else `default`, else the first documented response."""
    success = sorted((r for r in responses if r.key.isdigit() and 200 <= r.status < 300), key=lambda r: r.status)
    if success:
        return success[0].key
    for key in ("2XX", "2xx", "default"):
        if any(r.key == key for r in responses):
            return key
    return responses[0].key if responses else None


# ---------------------------------------------------------------------------------------------
# operations


def build_operations(doc: dict[str, Any], class_names: Mapping[str, str]) -> list[Operation]:
    """Every operation of `doc` in document order, as the templates and the runtime data need it."""
    resolver = Resolver(doc, class_names)
    taken: set[str] = set()
    paths = _dict(doc.get("paths"))
    operations: list[Operation] = []
    for path, method, operation in iter_operations(doc):
        path_item = _dict(paths.get(path))
        op_id = operation.get("operationId") if isinstance(operation.get("operationId"), str) else None
        name = unique(identifier(op_id or f"{method}_{path}", "operation", MODULE_NAMES), taken)
        bare_path, conditions = split_fragment(path)
        route_path, parameters, unvalidated = _parameters(bare_path, path_item, operation, resolver)
        responses = _responses(operation, method.upper(), resolver)
        summary = operation.get("summary") or ""
        operations.append(
            Operation(
                name=name,
                operation_id=op_id,
                method=method.upper(),
                path=path,
                route_path=route_path,
                route_conditions=conditions,
                summary=" ".join(str(summary).split()),
                parameters=tuple(parameters),
                unvalidated=tuple(unvalidated),
                body=_body(operation, resolver),
                security=_security(doc, operation, resolver),
                responses=responses,
                default_response=_default_response(responses),
            )
        )
    return sorted(operations, key=route_order)


def split_fragment(path: str) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """`/#Action=Describe&Version` → (`/`, (("Action", "Describe"), ("Version", None))).

    Some specs (AWS's, for one) tell operations on one path apart by a `#` part naming the query
    parameters or headers the request carries; a route matches only requests that carry them.
    """
    bare, _, fragment = path.partition("#")
    conditions: list[tuple[str, str | None]] = []
    for item in fragment.split("&") if fragment else []:
        name, equals, value = item.partition("=")
        if name:
            conditions.append((name, value if equals else None))
    return bare or "/", tuple(conditions)


def route_order(operation: Operation) -> tuple[tuple[int, ...], int]:
    """Routes are tried in this order: literal path segments before templated ones (as OpenAPI says
    concrete paths match first), `{+path}` catch-alls last, and conditioned routes before plain ones."""
    ranks = tuple(
        2 if ":path}" in segment else 1 if "{" in segment else 0 for segment in operation.route_path.split("/")
    )
    return ranks, 0 if operation.route_conditions else 1


@dataclass(frozen=True)
class MockView:
    """Everything the mock templates receive besides `codegen` and `package`."""

    operations: list[Operation] = field(default_factory=list)
    api_version: str = ""  # the spec's info.version (untrusted text)

    @property
    def credentials(self) -> list[Credential]:
        """Every distinct credential any operation checks, for the README."""
        seen: dict[tuple[str, str], Credential] = {}
        for operation in self.operations:
            for alternative in operation.security:
                for credential in alternative:
                    if credential.kind != "unchecked":
                        seen.setdefault((credential.kind, credential.name), credential)
        return list(seen.values())
