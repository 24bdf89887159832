"""The client's API reference (api.md): every operation by resource, with its HTTP method, path, call and models.

Built here from the client view (which pairs each generated method with its spec-model operation);
templates/client/api.md.jinja only lays it out. Names and annotations are identifiers the client view
made; spec text (paths, summaries, descriptions, enum values inside annotations) stays text and is
escaped by the template's Markdown filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from codegen.client_model import ClientView
from codegen.client_types import TypeNode
from codegen.client_views import OperationView, ParamView, ResourceView

QUALIFIER = "_models."  # how annotations reach the models inside the package; the reference drops it


@dataclass(frozen=True)
class ArgumentEntry:
    name: str
    location: str  # path | query | header | cookie | body
    annotation: str  # without the `_models.` qualifier
    required: bool
    description: str  # untrusted Markdown text


@dataclass(frozen=True)
class OperationEntry:
    name: str  # the method, also the heading (and so the anchor `#<name>`, unique across the client)
    http_method: str  # upper case
    path: str  # as the spec writes it (untrusted)
    call: str  # `client.<resource>.<name>(<path args>, *, <required keywords>=...) -> <result>`
    summary: str  # untrusted Markdown text
    description: str  # untrusted Markdown text, "" when it only repeats the summary
    arguments: tuple[ArgumentEntry, ...]
    takes_body: bool  # also accepts the whole body as `body=`
    paginated: bool
    deprecated: bool


@dataclass(frozen=True)
class ResourceEntry:
    attribute: str  # client.<attribute>
    about: str  # what it holds (untrusted text inside): `Operations tagged "X"`
    sync_class: str
    async_class: str
    models: tuple[str, ...]  # model and enum classes the operations take or return, sorted
    operations: tuple[OperationEntry, ...]


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str  # model | enum
    summary: str  # first line of its title or description (untrusted)


@dataclass(frozen=True)
class ApiReference:
    package: str
    client_class: str
    async_client_class: str
    resources: tuple[ResourceEntry, ...]  # sorted by attribute, operations in document order
    models: tuple[ModelEntry, ...]  # sorted by name

    @property
    def operation_count(self) -> int:
        return sum(len(r.operations) for r in self.resources)


def plain(annotation: str) -> str:
    """An annotation as a reader writes it: `_models.Album | None` → `Album | None`."""
    return annotation.replace(QUALIFIER, "")


def classes_in(nodes: Iterable[TypeNode | None]) -> set[str]:
    """Names of the model and enum classes anywhere in these type trees."""
    found: set[str] = set()
    stack = [node for node in nodes if node is not None]
    while stack:
        node = stack.pop()
        if node.kind in ("model", "enum") and node.ref is not None:
            found.add(node.ref.name)
        stack.extend(node.items)
    return found


def _argument(param: ParamView) -> ArgumentEntry:
    return ArgumentEntry(param.name, param.location, plain(param.annotation), param.required, param.description)


def call_text(resource: ResourceView, op: OperationView, signature: bool = True) -> str:
    """The call with what it needs: path arguments by position, required keywords as `name=...`.

    As a signature (api.md): `client.<resource>.<name>(<path>, *, <keyword>=...) -> <result>`; else as a
    call is written (the mock's README): `client.<resource>.<name>(<path>, <keyword>=...)`.
    """
    required = [f"{p.name}=..." for p in op.keyword_params if p.required]
    if op.body is not None and not op.body.fields and op.body.required:
        required.append("body=...")
    path = [p.name for p in op.path_params]
    if not signature:
        return f"client.{resource.attribute}.{op.name}({', '.join(path + required)})"
    arguments = path + (["*", *required] if required else [])
    returns = plain(op.returns_page)
    return f"client.{resource.attribute}.{op.name}({', '.join(arguments)}) -> {returns}"


def written_calls(view: ClientView) -> dict[str, str]:
    """`client.<resource>.<name>` → that call with its required arguments, as a user writes it."""
    return {
        f"client.{r.attribute}.{op.name}": call_text(r, op, signature=False)
        for r in view.resources
        for op in r.operations
    }


def _operation(resource: ResourceView, op: OperationView) -> OperationEntry:
    arguments = [_argument(p) for p in (*op.path_params, *op.keyword_params)]
    if op.body is not None and not op.body.fields:
        arguments.append(
            ArgumentEntry("body", "body", plain(op.body.annotation), op.body.required, "the request body, whole")
        )
    description = op.description if op.description != op.summary else ""
    return OperationEntry(
        name=op.name,
        http_method=op.http_method,
        path=op.spec_path,
        call=call_text(resource, op),
        summary=op.summary,
        description=description,
        arguments=tuple(arguments),
        takes_body=op.body is not None and bool(op.body.fields),
        paginated=op.page is not None,
        deprecated=op.deprecated,
    )


def _models_of(resource: ResourceView) -> tuple[str, ...]:
    nodes: list[TypeNode | None] = []
    for op in resource.operations:
        nodes += [p.node for p in op.params]
        nodes += [op.body.node] if op.body is not None else []
        nodes.append(op.result)
    return tuple(sorted(classes_in(nodes)))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def build_reference(view: ClientView, package: str) -> ApiReference:
    """The reference for one client view; the same view always gives the same reference."""
    resources = tuple(
        ResourceEntry(
            attribute=r.attribute,
            about=_lower_first(r.about('"')),
            sync_class=r.sync_class,
            async_class=r.async_class,
            models=_models_of(r),
            operations=tuple(_operation(r, op) for op in r.operations),
        )
        for r in sorted(view.resources, key=lambda r: r.attribute)
    )
    models = [ModelEntry(m.ref.name, "model", _first_line(m.description or m.title)) for m in view.models]
    models += [ModelEntry(e.ref.name, "enum", _first_line(e.description)) for e in view.enums]
    return ApiReference(
        package=package,
        client_class=view.class_name,
        async_client_class=view.async_class_name,
        resources=resources,
        models=tuple(sorted(models, key=lambda m: m.name)),
    )
