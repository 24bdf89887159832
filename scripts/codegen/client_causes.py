"""Why the client generator could not find a reference: the schema it dropped, and that schema's own failure.

openapi-python-client drops a component schema it cannot read (and every schema that depends on it), and
later says only "Could not find reference in parsed models or enums" where an operation uses one. It
knows the cause: the first schema that failed, and why ("Cannot take allOf a non-object", two properties
with one Python name…). Here each such reason names the dropped schema, the schema whose failure
dropped it, and that failure, each as a JSON pointer into the effective document.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

from codegen.document import HTTP_METHODS
from codegen.schema_facts import resolve_pointer

if TYPE_CHECKING:
    from codegen.client_gen import LeftOut

SYMPTOM = "Could not find reference in parsed models or enums"
_REMOVED = "Failure to process schema has resulted in the removal of:"
_PART = "Unable to parse this part of your OpenAPI document:"
_FAILED = re.compile(r"Unable to (?:process|parse) schema (/components/schemas/.+?):?$")


def schema_causes(openapi: Any) -> dict[str, tuple[str, str]]:
    """`#/components/schemas/X` → (the schema whose failure dropped X, that failure's first line), for every
    schema the generator dropped (`openapi` is its GeneratorData)."""
    found: dict[str, tuple[str, str]] = {}
    for error in getattr(openapi, "errors", []):
        matched = _FAILED.match(str(error.header or "").strip())
        if matched is None:
            continue
        cause, _, removed = str(error.detail or "").partition(_REMOVED)
        lines = [line.strip() for line in cause.strip().splitlines() if line.strip()]
        why = lines[-1].replace(_PART, "").lstrip(": ") if lines else "the generator cannot read it"
        root = f"#{matched.group(1)}"
        for name in [matched.group(1), *(line.strip() for line in removed.splitlines())]:
            if name.startswith("/components/schemas/"):
                found.setdefault(f"#{name}", (root, why))
    return found


def _refs(doc: dict[str, Any], node: Any) -> list[str]:
    """Every `$ref` under `node` in document order; references to responses, bodies and parameters are
    followed (a schema reference is the answer, so it is not)."""
    found: list[str] = []
    stack, seen = [node], set()
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                found.append(ref)
                if not ref.startswith("#/components/schemas/"):
                    with contextlib.suppress(KeyError):
                        stack.append(resolve_pointer(doc, ref))
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return found


def _operation(doc: dict[str, Any], operation: str) -> Any:
    method, _, path = operation.partition(" ")
    item = (doc.get("paths") or {}).get(path)
    return item.get(method.lower()) if isinstance(item, dict) and method.lower() in HTTP_METHODS else None


def explain(item: LeftOut, doc: dict[str, Any], causes: dict[str, tuple[str, str]]) -> LeftOut:
    """`item` with "Could not find reference…" replaced by the schema dropped and the cause, if known."""
    from codegen.client_gen import LeftOut

    operation = _operation(doc, item.operation)
    if SYMPTOM not in item.reason or not isinstance(operation, dict):
        return item
    status = re.search(r"status code (\S+)", item.reason)
    responses = operation.get("responses")
    scope = responses.get(status.group(1)) if status and isinstance(responses, dict) else None
    for ref in _refs(doc, scope if scope is not None else operation):
        if ref in causes:
            root, why = causes[ref]
            text = f"{ref} was not generated: {why}"
            if root != ref:
                text = f"{ref} was not generated, as {root} was not: {why}"
            return LeftOut(item.operation, item.reason.replace(SYMPTOM, text))
    return item
