"""The client parser's refusals, told as a place in the user's document and what to do there.

openapi-python-client validates the whole document against its pydantic model of OpenAPI before it
reads anything, and reports a refusal as pydantic text whose locations carry the model's own words
(`components.schemas.Derived.other.allOf.1.other…`: `other` names a branch of a union, not a key).
Here each location is walked through the document itself, so that only the keys and indexes that are
there become the JSON pointer (RFC 6901) the user can look up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from codegen.document import pointer
from codegen.errors import CodegenError

MAX_SHOWN = 60  # characters of an offending value quoted in a message


def document_path(doc: Any, loc: Sequence[str | int], *, missing: bool = False) -> list[str]:
    """The reference tokens of a pydantic error location in `doc`: the parts that are keys or indexes of
    the document, in order; the rest (the model's union branch names) are left out. With `missing`, the
    last part is the absent key and ends the path."""
    node, parts = doc, []
    last = len(loc) - 1
    for index, part in enumerate(loc):
        if isinstance(node, Mapping) and str(part) in node:
            node = node[str(part)]
            parts.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            parts.append(str(part))
        elif missing and index == last:
            parts.append(str(part))
    return parts


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 1]}…"


def _explain(error: Mapping[str, Any], path: list[str]) -> tuple[str, str]:
    """(what is wrong, what to do) for one pydantic error of the parser's model at `path` in the document."""
    kind, given = str(error.get("type")), error.get("input")
    field = path[-1] if path else ""
    if kind == "missing":
        return f"`{field}` is missing there, and OpenAPI requires it", f"add `{field}` at that place (an overlay can)"
    if kind == "enum" and field == "in" and given == "querystring":
        return (
            "`in: querystring` is OpenAPI 3.2; a 3.0/3.1 parameter is in query, path, header or cookie",
            "describe the query string's fields as `in: query` parameters (an overlay can)",
        )
    if kind == "model_type" and isinstance(given, list) and field == "items":
        return (
            "`items` is a list of schemas; OpenAPI wants one schema (JSON Schema 2020-12 §10.3.1.2)",
            "write `items` as one schema; for a tuple, a 3.1 document lists the positions in `prefixItems`",
        )
    if kind == "model_type":
        return f"a schema is {_shown(given)}, not an object", "write the schema as an object (an overlay can)"
    expected = (error.get("ctx") or {}).get("expected")
    if expected:
        return f"{_shown(given)} is not one of {expected}", "use one of those values (an overlay can)"
    return f"{error.get('msg', 'invalid value')} (got {_shown(given)})", "fix the value at that place (an overlay can)"


def parser_refusal(doc: dict[str, Any], source: str) -> CodegenError:
    """The CodegenError for a document the client parser's model refuses: the first refusal's JSON pointer
    in `source`, what is wrong there and what to do, and how many more places there are."""
    from openapi_python_client.schema import OpenAPI
    from pydantic import ValidationError

    try:
        OpenAPI.model_validate(doc)
    except ValidationError as exc:
        errors = exc.errors()
    else:  # pragma: no cover - only called after the parser refused the same document
        errors = []
    if not errors:
        return CodegenError(
            "openapi-python-client cannot read the document", where=source, hint="fix the document or add a transform"
        )
    # A 3.2 parameter also lacks the `name` 3.1 requires: its `in` is the cause, and is told first.
    errors.sort(key=lambda e: 0 if e.get("input") == "querystring" else 1)
    places: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for error in errors:
        path = document_path(doc, error["loc"], missing=error["type"] == "missing")
        places.setdefault(pointer(*path) if path else "#", (dict(error), path))
    where, (first, path) = next(iter(places.items()))
    what, hint = _explain(first, path)
    more = f" (and {len(places) - 1} more place{'s' if len(places) > 2 else ''})" if len(places) > 1 else ""
    return CodegenError(
        f"openapi-python-client cannot read the document: {what}{more}", where=f"{source} {where}", hint=hint
    )
