"""Where each operation sits in the SDK: its resource (`client.<resource>`), its method name there, and
its key, unique across the document (the mock's handler name).

One rule, applied once in the spec model, so the client, the mock, the READMEs and the changelog name
an operation alike:

- resource: `x-codegen-resource` when an overlay sets one; else the first tag (distinct tags that
  make the same Python name get `_`, `_2`… in document order, as before); else the operation's path
  (naming.path_resource: the first segment after any version, `api` or path parameter). A path or
  overlay resource that makes a tag's Python name joins that tag's resource.
- key: the operationId (`x-codegen-name` when an overlay sets one) in snake_case, else `<method> <path>`;
  suffixed `_`, `_2`… in document order when taken. A tagged operation's method name is its key.
- method name of an operation without a tag: `x-codegen-name` as written (snake_case), else
  naming.path_method_name (`client.customers.list()` rather than `client.customers.get_customers()`).
  Where two operations of a resource would get the same name, or a name a resource reserves, each of
  them takes its key instead (all of them, so which keeps the short name never depends on order).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from codegen.naming import operation_stem, path_method_name, path_resource, path_segments, resource_index, snake_name
from codegen.naming import unique_name as _unique

RESOURCE_EXTENSION = "x-codegen-resource"  # set by an overlay: the operation's resource in the SDK

# Names no operation may take: the client's resource attributes for raw and streamed responses.
OPERATION_RESERVED = frozenset({"with_raw_response", "with_streaming_response"})
# Builtin names that annotations of generated code use: an attribute of the same name in a class body
# (a resource `str`, a method `list`) would shadow one there for a type checker.
ANNOTATION_BUILTINS = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes", "object", "type", "tuple"})
# Names no resource may take: the generated client's own attributes and constructor arguments.
RESOURCE_RESERVED = frozenset(
    {
        "base_url", "timeout", "max_retries", "http_client", "default_headers", "with_options",
        "close", "aclose", "request", "paginate", "copy", "is_closed", "self", "with_streaming_response",
        "with_raw_response",
    }
) | ANNOTATION_BUILTINS  # fmt: skip


@dataclass(frozen=True)
class OperationSource:
    """What the rule reads of one operation (spec strings, untrusted)."""

    method: str  # lower case
    path: str
    operation_id: str | None  # the effective one: `x-codegen-name` when set
    tag: str | None  # the first tag
    renamed: bool  # an overlay set `x-codegen-name`
    resource_override: str | None  # `x-codegen-resource`


@dataclass(frozen=True)
class Placement:
    resource: str  # Python attribute on the client
    name: str  # method name on the resource
    key: str  # unique across the document
    origin: str  # tag | path | overlay: what chose the resource
    label: str  # the tag, `/<segment>` or the overlay's text (untrusted), for documentation


def _stem(source: OperationSource) -> str:
    return operation_stem(source.operation_id, source.method, source.path)


def _group(source: OperationSource) -> tuple[str, str, str]:
    """(origin, label, Python name) of the resource an operation without a tag-derived one goes to."""
    if source.resource_override:
        return "overlay", source.resource_override, snake_name(source.resource_override, "resource")
    segments = path_segments(source.path)
    index = resource_index(segments)
    return "path", f"/{segments[index]}" if index is not None else "/", path_resource(source.path)


def _resources(sources: Sequence[OperationSource]) -> list[tuple[str, str, str]]:
    """(resource, origin, label) per operation. Tags are named first, so a path never renames a tag."""
    by_tag: dict[str, str] = {}
    taken: set[str] = set()
    for source in sources:
        if source.tag is not None and not source.resource_override and source.tag not in by_tag:
            by_tag[source.tag] = _unique(snake_name(source.tag, "resource"), taken, RESOURCE_RESERVED)
    found: list[tuple[str, str, str]] = []
    for source in sources:
        if source.tag is not None and not source.resource_override:
            found.append((by_tag[source.tag], "tag", source.tag))
            continue
        origin, label, name = _group(source)
        if name in RESOURCE_RESERVED:
            name = f"{name}_"
        found.append((name, origin, label))
    return found


def place_operations(sources: Sequence[OperationSource]) -> list[Placement]:
    """The placement of every operation, in the order given (document order)."""
    taken_keys: set[str] = set()
    keys = [_unique(snake_name(_stem(s), "operation"), taken_keys, OPERATION_RESERVED) for s in sources]
    resources = _resources(sources)
    names: list[str] = []
    settled: set[int] = set()  # operations whose name is their key
    for number, source in enumerate(sources):
        if source.tag is not None or source.renamed:
            names.append(keys[number])
            settled.add(number)
        else:
            names.append(path_method_name(_stem(source), source.method, source.path))
    while True:
        counts = Counter((resources[n][0], names[n]) for n in range(len(sources)))
        clashing = [
            n
            for n in range(len(sources))
            if n not in settled and (counts[(resources[n][0], names[n])] > 1 or names[n] in OPERATION_RESERVED)
        ]
        if not clashing:
            break
        for number in clashing:  # keys are unique, so this ends once every clashing name is a key
            names[number] = keys[number]
            settled.add(number)
    return [
        Placement(resource, name, key, origin, label)
        for (resource, origin, label), name, key in zip(resources, names, keys, strict=True)
    ]
