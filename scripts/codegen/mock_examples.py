"""A schema's own example, when it is valid for the schema: what the mock answers before a synthetic value.

OpenAPI 3.0 writes one `example` beside a schema's keywords, 3.1 a list of `examples` (the first is
taken). An example is data from the spec: it is checked here with plain comparisons and regular
expressions of our own (type, format, enum, length and number bounds; `pattern` only through the
sampler's backtracking-safe matcher), never evaluated, and copied before it is used.
"""

from __future__ import annotations

import copy
import datetime
import ipaddress
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from codegen.schema_facts import schema_kind

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = r"\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]" + _TIME)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
_HOSTNAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
INTEGER_FORMATS = {"int32": 2**31, "int64": 2**63}

# Matches: (pattern, text) → True / False / None (unknown: unsafe to run). Valid: (value, schema) → the same.
Matcher = Callable[[str, str], "bool | None"]
Validator = Callable[[Any, Any], "bool | None"]


def own_example(schema: Mapping[str, Any], matches: Matcher, is_valid: Validator) -> tuple[Any] | None:
    """`(example,)` (a copy) when the schema's own example fits it, else None (`null` never counts)."""
    if "example" in schema:
        candidate = schema["example"]
    elif isinstance(schema.get("examples"), list) and schema["examples"]:
        candidate = schema["examples"][0]
    else:
        return None
    if candidate is None or not fits(candidate, schema, matches, is_valid):
        return None
    return (copy.deepcopy(candidate),)


def fits(value: Any, schema: Mapping[str, Any], matches: Matcher, is_valid: Validator) -> bool:
    """Whether `value` is valid for `schema`, decided simply; unsure (a combinator, an unchecked pattern) is no."""
    if any(key in schema for key in ("oneOf", "anyOf", "allOf", "not", "$ref", "const")):
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(value == member and type(value) is type(member) for member in enum):
        return False
    kind = schema_kind(schema)
    if kind == "string":
        return isinstance(value, str) and _string_fits(value, schema, matches)
    if kind in ("integer", "number"):
        return _number_fits(value, schema, kind == "integer")
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("object", "array"):
        expected = dict if kind == "object" else list
        return isinstance(value, expected) and is_valid(value, dict(schema)) is True
    return False  # untyped: nothing to check it against


def _string_fits(value: str, schema: Mapping[str, Any], matches: Matcher) -> bool:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if (isinstance(low, int) and len(value) < low) or (isinstance(high, int) and len(value) > high):
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and matches(pattern, value) is not True:
        return False
    return format_fits(value, str(schema.get("format") or ""))


def format_fits(value: str, fmt: str) -> bool:
    """Whether a string meets a well-known `format`; formats not checked here are taken as met."""
    if fmt == "date-time":
        utc = value[:-1] + "+00:00" if value[-1:] in "Zz" else value
        return _DATE_TIME.fullmatch(value) is not None and _parses(datetime.datetime.fromisoformat, utc)
    if fmt == "date":
        return _DATE.fullmatch(value) is not None and _parses(datetime.date.fromisoformat, value)
    if fmt == "time":
        return re.fullmatch(_TIME, value) is not None
    if fmt == "uuid":
        return _UUID.fullmatch(value) is not None
    if fmt in ("email", "idn-email"):
        return _EMAIL.fullmatch(value) is not None
    if fmt in ("uri", "url", "iri"):
        return _URI.fullmatch(value) is not None
    if fmt in ("hostname", "idn-hostname"):
        return _HOSTNAME.fullmatch(value) is not None
    if fmt in ("ipv4", "ipv6"):
        return _parses(ipaddress.IPv4Address if fmt == "ipv4" else ipaddress.IPv6Address, value)
    if fmt == "byte":
        return _BASE64.fullmatch(value) is not None
    return True


def _parses(parse: Callable[[str], Any], value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _number_fits(value: Any, schema: Mapping[str, Any], integer: bool) -> bool:
    if finite_number(value) is None:
        return False
    if integer and not (isinstance(value, int) or value.is_integer()):
        return False
    bound = INTEGER_FORMATS.get(str(schema.get("format")))
    if integer and bound is not None and not -bound <= value < bound:
        return False
    low, high = finite_number(schema.get("minimum")), finite_number(schema.get("maximum"))
    low_flag, high_flag = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")  # 3.0: flags
    if low is not None and (value < low or (low_flag is True and value == low)):
        return False
    if high is not None and (value > high or (high_flag is True and value == high)):
        return False
    low, high = finite_number(low_flag), finite_number(high_flag)  # 3.1: the bounds themselves
    if (low is not None and value <= low) or (high is not None and value >= high):
        return False
    multiple = finite_number(schema.get("multipleOf"))
    if multiple is not None and multiple > 0:
        ratio = value / multiple
        return math.isclose(ratio, round(ratio), rel_tol=0, abs_tol=1e-9)
    return True


def finite_number(value: Any) -> int | float | None:
    """The value if it is a finite JSON number (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None
