"""Parameter serialisation by style, as OpenAPI 3.1 §4.8.12.4 defines it (the style values table).

Only parameters that the transport's plain path cannot send go through here: the generator decides
per parameter (`Param` in an operation's `styles`). Values are percent-encoded per RFC 3986 §2.1:
everything outside the unreserved set (§2.3) is encoded, except the delimiters a style adds, which
stay literal so the server can tell items apart. An empty array or object is left out (RFC 6570
§2.3: an empty list is undefined).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from .types import UNSET, InvalidValueError, NaiveDatetimeError, Unset, to_json

# RFC 3986 §2.2 reserved characters kept by allowReserved. OpenAPI 3.1.1 §4.8.12.1 still requires
# `#`, `&`, `=` and `+` to be encoded in a query: they would change how the query string is split.
RESERVED_KEPT = ":/?[]@!$'()*,;"
# Literal separators of a style that joins array items or object members within one value.
DELIMITERS = {"form": ",", "simple": ",", "label": ",", "matrix": ",", "spaceDelimited": "%20", "pipeDelimited": "|"}


class Param:
    """How one parameter is serialised: location, style, explode, allowReserved and the schema's shape."""

    __slots__ = ("allow_reserved", "explode", "location", "shape", "style")

    def __init__(self, location: str, style: str, explode: bool, allow_reserved: bool, shape: str) -> None:
        self.location = location  # path | query | header | cookie
        self.style = style  # form | spaceDelimited | pipeDelimited | deepObject | simple | label | matrix | json
        self.explode = explode
        self.allow_reserved = allow_reserved  # query only
        self.shape = shape  # array | object | primitive


def text(value: Any) -> str:
    """A value as text: booleans as `true`/`false`, enums by value, dates in ISO 8601, a list or tuple
    as its items joined by commas (the `simple` style, OpenAPI 3.1 §4.8.12.4)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(text(item) for item in value)
    plain = to_json(value)
    if isinstance(plain, bool):
        return "true" if plain else "false"
    return plain if isinstance(plain, str) else str(plain)


def _items(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [text(item) for item in value]
    return [text(value)]


def _members(value: Any) -> list[tuple[str, str]]:
    """An object's members in order, members set to None left out (they are not sent)."""
    plain = to_json(value)
    if not isinstance(plain, Mapping):
        return [("", text(plain))]
    return [(str(key), text(item)) for key, item in plain.items() if item is not None]


def _encoder(param: Param) -> Any:
    safe = RESERVED_KEPT if param.allow_reserved and param.location == "query" else ""
    if param.location == "header":
        return lambda part: part  # header values are not URI components
    return lambda part: quote(part, safe=safe)


def _joined(param: Param, value: Any, delimiter: str) -> str | None:
    """Items (or key, value, key, value …) encoded one by one and joined with a literal delimiter."""
    encode = _encoder(param)
    if param.shape == "object":
        parts = [encode(part) for pair in _members(value) for part in pair]
    else:
        parts = [encode(part) for part in _items(value)]
    return delimiter.join(parts) if parts else None


def query(name: str, value: Any, param: Param) -> str:
    """`name=…` pairs of one query (or cookie) parameter, joined with `&`; "" to send nothing."""
    encode = _encoder(param)
    key = quote(name, safe="[]")
    if param.style == "json":
        return f"{key}={quote(_json(value), safe='')}"
    if param.shape == "object" and param.style == "deepObject":
        return "&".join(f"{key}[{quote(k, safe='')}]={encode(v)}" for k, v in _members(value))
    if param.shape == "object" and param.explode and param.style == "form":
        return "&".join(f"{quote(k, safe='')}={encode(v)}" for k, v in _members(value))
    if param.shape == "array" and (param.explode or param.style == "deepObject"):
        return "&".join(f"{key}={encode(item)}" for item in _items(value))
    if param.shape == "primitive":
        return f"{key}={encode(text(value))}"
    joined = _joined(param, value, DELIMITERS.get(param.style, ","))
    return "" if joined is None else f"{key}={joined}"


def path(name: str, value: Any, param: Param) -> str:
    """The text that replaces `{name}` in a path: simple, label (`.`) or matrix (`;name=`)."""
    if param.style == "json":
        return quote(_json(value), safe="")
    encode = _encoder(param)
    prefix = {"label": ".", "matrix": ";"}.get(param.style, "")
    key = quote(name, safe="")
    if param.shape == "primitive":
        single = encode(text(value))
        return f";{key}={single}" if param.style == "matrix" else prefix + single
    if param.explode:
        separator = prefix or ","  # label: `.a.b`; matrix: `;x=a;x=b`; simple: `a,b`
        if param.shape == "object":
            parts = [f"{encode(k)}={encode(v)}" for k, v in _members(value)]
        elif param.style == "matrix":
            parts = [f"{key}={encode(item)}" for item in _items(value)]
        else:
            parts = [encode(item) for item in _items(value)]
        if not parts:
            return f";{key}" if param.style == "matrix" else prefix  # the table's "empty" column
        if param.style == "matrix" and param.shape == "array":
            return ";" + ";".join(parts)
        return prefix + separator.join(parts)
    joined = _joined(param, value, ",")
    if param.style == "matrix":
        return f";{key}" if joined is None else f";{key}={joined}"
    return prefix + (joined or "")


def header(value: Any, param: Param) -> str:
    """A header value: `simple` (RFC 9110 lists are comma-separated); exploded objects as `k=v,k=v`."""
    if param.style == "json":
        return _json(value)
    if param.shape == "object" and param.explode:
        return ",".join(f"{k}={v}" for k, v in _members(value))
    return _joined(param, value, ",") or ""


def fill_path(template: str, values: Mapping[str, Any], styles: Mapping[tuple[str, str], Param]) -> str:
    """The path with each `{name}` replaced: styled parameters by their style, others as simple text.

    Raises InvalidValueError (a ValueError) when a value makes a whole path segment empty, `.` or `..`:
    URL resolution (RFC 3986 §5.2.4) would drop or climb that segment, and the request would reach
    another resource.
    """
    filled: dict[str, str] = {}
    for name, value in values.items():
        param = styles.get(("path", name))
        try:
            filled[name] = path(name, value, param) if param is not None else quote(text(value), safe="")
        except NaiveDatetimeError as error:
            raise error.within(f"path parameter {name}") from None
    segments: list[str] = []
    for segment in template.split("/"):
        names = [name for name in filled if "{" + name + "}" in segment]
        for name in names:
            segment = segment.replace("{" + name + "}", filled[name])
        if names and segment in ("", ".", ".."):
            raise InvalidValueError(
                f"path parameter {names[0]} is {segment!r}: as a whole path segment it would change which URL "
                "is called (RFC 3986 §5.2.4); pass the identifier of the resource"
            )
        segments.append(segment)
    return "/".join(segments)


def with_query(url: str, fragments: Iterable[str], params: Mapping[str, Any]) -> str:
    """The URL with the styled fragments, then the other parameters encoded as httpx encodes them."""
    parts = [fragment for fragment in fragments if fragment]
    if params:
        parts.append(str(httpx.QueryParams(params)))
    return f"{url}?{'&'.join(parts)}" if parts else url


def cookie_header(values: Mapping[str, Any], styles: Mapping[tuple[str, str], Param]) -> str | Unset:
    """A Cookie header: each parameter as `form` (`name=value`, exploded arrays `name=a&name=b`)."""
    pairs: list[str] = []
    for name, value in values.items():
        if value is None or isinstance(value, Unset):
            continue
        param = styles.get(("cookie", name)) or Param("cookie", "form", True, False, "primitive")
        try:
            pair = query(name, value, param)
        except NaiveDatetimeError as error:
            raise error.within(f"cookie parameter {name}") from None
        if pair:
            pairs.append(pair)
    return "; ".join(pairs) if pairs else UNSET


def _json(value: Any) -> str:
    """A parameter described by `content` with a JSON media type: the value as compact JSON."""
    import json

    return json.dumps(to_json(value), separators=(",", ":"), ensure_ascii=False)
