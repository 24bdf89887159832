"""The client's operations and resources: method signatures, bodies, responses, pages and errors (the views
they fill are in client_views.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from codegen.client_auth import CredentialView, security_alternatives
from codegen.client_classes import EnumView, FieldView, ModelView, _example
from codegen.client_names import (
    CLIENT_RESERVED,
    IDEMPOTENT_METHODS,
    METHOD_RESERVED,
    prose,
    unique,
    untrusted,
)
from codegen.client_options import ClientOptions
from codegen.client_types import (
    ANY,
    Decoders,
    TypeBuilder,
    TypeNode,
    annotation,
    needs_decode,
    union_of,
)
from codegen.client_views import BodyView, ErrorView, HeaderDefault, OperationView, PageView, ParamView
from codegen.config import Names
from codegen.param_styles import wire_style
from codegen.render import py_str
from codegen.spec_model import IDEMPOTENCY_HEADERS
from codegen.spec_model import Operation as SpecOperation
from codegen.spec_model import Parameter as SpecParameter


@dataclass
class _OperationContext:
    doc: Mapping[str, Any]
    options: ClientOptions
    types: TypeBuilder
    credentials: Mapping[str, CredentialView]
    common: Mapping[str, HeaderDefault]  # lower-cased wire name → default
    decoders: Decoders
    models: Mapping[str, ModelView]  # our class name → view
    enums: Mapping[str, EnumView] = field(default_factory=dict)  # our class name → view


# An enum parameter also accepts its values as plain strings (or numbers): `Union[_models.Kind,
# Literal["a", "b"]]`. Above this many values the annotation would swamp the signature; `str` it is.
LITERAL_VALUES_MAX = 64
_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")


def argument_annotation(node: TypeNode, enums: Mapping[str, EnumView]) -> str:
    """A parameter's annotation: as `annotation(node, loose_ids=True)`, except that an enum (alone, in a
    list or in a union) is `Union[_models.E, Literal[<its values>]]`, as the transport sends either."""
    if node.kind == "enum" and node.ref is not None and node.ref.name in enums:
        enum = enums[node.ref.name]
        if not enum.members:
            return annotation(node)
        values = [m.value for m in enum.members]
        plain = f"Literal[{', '.join(values)}]" if len(values) <= LITERAL_VALUES_MAX else enum.base
        return f"Union[{annotation(node)}, {plain}]"
    if node.kind == "list":
        return f"list[{argument_annotation(node.items[0], enums)}]"
    if node.kind == "union":  # members in order, each annotation once
        return " | ".join(dict.fromkeys(argument_annotation(member, enums) for member in node.items))
    return annotation(node, loose_ids=True)


def _params(endpoint: Any, op: SpecOperation, ctx: _OperationContext, taken: set[str]) -> list[ParamView]:
    params: list[ParamView] = []
    groups = (
        ("path", endpoint.path_parameters),
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
        ("cookie", endpoint.cookie_parameters),
    )
    for location, props in groups:
        for prop in props:
            node = ctx.types.node(prop)
            wire = untrusted(prop.name)
            common = location == "header" and wire.lower() in ctx.common
            spec_param = _spec_parameter(op, location, wire, str(prop.python_name))
            python_name = spec_param.python_name if spec_param else str(prop.python_name)
            params.append(
                ParamView(
                    name=unique(python_name, taken, METHOD_RESERVED),
                    wire=wire,
                    location=location,
                    annotation=argument_annotation(node, ctx.enums),
                    required=(bool(prop.required) and not common) or location == "path",
                    # the generator keeps a schema's description; the parameter's own is in the spec model
                    description=prose(prop.description) or (prose(spec_param.description) if spec_param else ""),
                    node=node,
                    example=_example(prop),
                    style=wire_style(spec_param) if spec_param else None,
                    explode=spec_param.explode if spec_param else False,
                    allow_reserved=spec_param.allow_reserved if spec_param else False,
                    shape=spec_param.shape if spec_param else "primitive",
                )
            )
    return params


def _spec_parameter(op: SpecOperation, location: str, wire: str, python_name: str) -> SpecParameter | None:
    """The spec model's parameter (its name, style and explode decide how the client sends it)."""
    found = op.parameter(location, wire)
    return found or next((p for p in op.parameters if p.location == location and p.python_name == python_name), None)


def _body(endpoint: Any, ctx: _OperationContext, taken: set[str]) -> BodyView | None:
    if not endpoint.bodies:
        return None
    order = {"json": 0, "data": 1, "files": 2, "content": 3}
    body = sorted(endpoint.bodies, key=lambda b: order.get(str(b.body_type.value), 9))[0]
    kind = str(body.body_type.value)
    node = ctx.types.node(body.prop)
    model = ctx.models.get(node.ref.name) if node.kind == "model" and node.ref is not None else None
    fields: tuple[tuple[ParamView, FieldView], ...] = ()
    if model is not None and model.fields and kind != "content":
        names = {f.name for f in model.fields}
        if not names & (taken | METHOD_RESERVED):  # flatten only when no argument would need renaming
            taken |= names
            fields = tuple(
                (
                    ParamView(
                        name=f.name,
                        wire=f.key,
                        location="body",
                        annotation=annotation(f.node, loose_ids=True),
                        # an optional body's properties are never required arguments: it may be left out
                        required=f.required and f.default is None and bool(body.prop.required),
                        description=f.description,
                        node=f.node,
                        example=f.example,
                    ),
                    f,
                )
                for f in model.fields
                if not f.read_only
            )
    return BodyView(
        kind=kind,
        content_type=untrusted(body.content_type),
        annotation="bytes | File" if kind == "content" else annotation(node),
        required=bool(body.prop.required),
        model=model.ref if model is not None and fields else None,
        fields=fields,
        node=node,
    )


def _success_responses(endpoint: Any) -> list[Any]:
    found = [r for r in endpoint.responses if r.status_code.range and 200 <= r.status_code.range[0] <= 299]
    if not found and endpoint.responses.default is not None:
        found = [endpoint.responses.default]
    return sorted(found, key=lambda r: r.status_code.range or (999, 999))


def _response(endpoint: Any, types: TypeBuilder) -> tuple[str, str, TypeNode | None]:
    """(annotation, kind, node of the JSON result); an empty 2xx body parses as None."""
    success = _success_responses(endpoint)
    if not success:
        return "Any", "json", ANY
    sources = [str(r.source["return_type"]) for r in success]
    if "Any" in sources:  # JSON
        node = union_of(types.node(r.prop) for r, s in zip(success, sources, strict=True) if s == "Any")
        if "None" in sources and node.kind != "any":
            node = union_of([node, TypeNode("none")])
        return annotation(node), "json", node
    if "bytes" in sources:
        return "bytes", "bytes", None
    if "str" in sources:
        return "str", "text", None
    return "None", "none", None


def _parse_target(node: TypeNode | None, decoders: Decoders, name: str) -> str | None:
    """A callable decoding one JSON value into `node`'s type, None when the value is kept as parsed."""
    if node is None or not needs_decode(node):
        return None
    if node.kind == "model" and node.ref is not None:
        # looked up when a response is decoded: importing the resource module loads no model (nor attrs)
        return f"lambda data: _models.{node.ref.name}.from_dict(data)"
    decoders.functions.append(f"def {name}(data: Any) -> {annotation(node)}:\n    return {decoders.expr(node, 'data')}")
    return name


def _page(params: Sequence[ParamView], node: TypeNode | None, ctx: _OperationContext, stem: str) -> PageView | None:
    """A cursor query parameter makes a paginated list; fields from the response model or the defaults."""
    cursor = next((p for p in params if p.location == "query" and p.wire in ctx.options.cursor_params), None)
    if cursor is None or node is None:
        return None
    item_node: TypeNode = ANY
    items_fields, next_fields = ctx.options.items_fields, ctx.options.next_fields
    model = ctx.models.get(node.ref.name) if node.kind == "model" and node.ref is not None else None
    if model is not None:
        keyed = {f.key: f for f in model.fields}
        items = next((keyed[k] for k in items_fields if k in keyed and keyed[k].node.kind == "list"), None)
        after = next((keyed[k] for k in next_fields if k in keyed), None)
        if items is None or after is None:
            return None  # a typed response without a list and a next field: not a page we understand
        item_node, items_fields, next_fields = items.node.items[0], (items.key,), (after.key,)
    elif node.kind != "any":
        return None
    limit = next((p for p in params if p.location == "query" and p.wire in ctx.options.limit_params), None)
    return PageView(
        item_annotation=annotation(item_node),
        item_decode=_parse_target(item_node, ctx.decoders, f"_item_{stem}"),
        cursor_param=cursor.wire,
        items_fields=items_fields,
        next_fields=next_fields,
        limit_arg=limit.name if limit is not None and limit.node.kind in ("int", "union") else None,
    )


def _errors(endpoint: Any, ctx: _OperationContext, stem: str) -> tuple[ErrorView, ...]:
    found: list[ErrorView] = []
    for response in endpoint.responses:
        rng = response.status_code.range
        if not rng or rng[0] != rng[1] or rng[0] < 400 or response.source["return_type"] != "Any":
            continue
        target = _parse_target(ctx.types.node(response.prop), ctx.decoders, f"_error_{stem}_{rng[0]}")
        if target is not None:
            found.append(ErrorView(rng[0], target))
    return tuple(found)


def _annotation_imports(*annotations: str) -> set[str]:
    text = " ".join(annotations)
    tokens = {
        "datetime": r"\bdatetime\.",
        "UUID": r"(?<![.\w])UUID\b",
        "File": r"(?<![.\w])File\b",
        "Literal": r"\bLiteral\[",
        "Union": r"\bUnion\[",
    }
    return {name for name, pattern in tokens.items() if re.search(pattern, text)}


def build_operation(endpoint: Any, op: SpecOperation, ctx: _OperationContext) -> OperationView:
    """One method: its name, security and idempotency from the spec model, types from the generator."""
    name = op.python_name
    method = op.method
    taken: set[str] = set()
    params = _params(endpoint, op, ctx, taken)
    # The path is filled in by wire name. The generator renames a template name that shadows a builtin
    # (`{format}` → `{format_}`); the spec's own path keeps the names the parameters are sent under.
    wires = {p.wire for p in params if p.location == "path"}
    path = untrusted(endpoint.path)
    if set(_TEMPLATE_NAME.findall(path)) != wires and set(_TEMPLATE_NAME.findall(op.path)) == wires:
        path = op.path
    body = _body(endpoint, ctx, taken)
    returns, kind, node = _response(endpoint, ctx.types)
    page = _page(params, node, ctx, name) if kind == "json" else None
    arguments = [*params, *(arg for arg, _ in body.fields)] if body else params
    imports = _annotation_imports(
        returns,
        *(p.annotation for p in arguments),
        body.annotation if body else "",
        page.item_annotation if page else "",
    )
    return OperationView(
        name=name,
        const=f"_{name.upper()}",
        http_method=method.upper(),
        path=path,
        spec_path=op.path,
        summary=prose(endpoint.summary),
        description=prose(endpoint.description),
        params=tuple(params),
        body=body,
        returns=returns,
        response_kind=kind,
        parse=None if page else _parse_target(node, ctx.decoders, f"_parse_{name}"),
        page=page,
        security=security_alternatives(op.security, ctx.credentials),
        idempotent=op.idempotent if op.idempotent is not None else method in IDEMPOTENT_METHODS,
        idempotency_header=op.idempotency_header,
        errors=_errors(endpoint, ctx, name),
        imports=frozenset(imports),
        result=node if kind == "json" else None,
        deprecated=op.deprecated,
    )


_ANNOTATION_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|(?<![.\w])([A-Za-z_]\w*)")


def qualify_builtins(annotation: str, names: Iterable[str]) -> str:
    """`annotation` with the builtin `names` written `builtins.<name>` outside string literals (a method
    `list` shadows the builtin in its class body, where the other methods' annotations are read)."""
    wanted = frozenset(names)

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"builtins.{name}" if name is not None and name in wanted else match.group(0)

    return _ANNOTATION_TOKEN.sub(one, annotation)


def with_builtins_qualified(op: OperationView, names: frozenset[str]) -> OperationView:
    """The operation with every annotation its method signature shows passed through qualify_builtins."""

    def param(p: ParamView) -> ParamView:
        return replace(p, annotation=qualify_builtins(p.annotation, names))

    body = op.body
    if body is not None:
        fields = tuple((param(arg), f) for arg, f in body.fields)
        body = replace(body, annotation=qualify_builtins(body.annotation, names), fields=fields)
    page = op.page
    if page is not None:
        page = replace(page, item_annotation=qualify_builtins(page.item_annotation, names))
    return replace(
        op,
        params=tuple(param(p) for p in op.params),
        body=body,
        page=page,
        returns=qualify_builtins(op.returns, names),
    )


# RFC 9110 §13.1 conditional headers, idempotency keys, and ids that name one request.
PER_REQUEST_HEADERS = IDEMPOTENCY_HEADERS | {
    "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
    "x-request-id", "request-id", "x-correlation-id", "traceparent", "tracestate",
}  # fmt: skip


def common_headers(
    pairs: Sequence[tuple[SpecOperation, Any]], types: TypeBuilder, names: Names, taken: set[str]
) -> dict[str, HeaderDefault]:
    """Header parameters every operation takes (case-insensitive), e.g. an API version: set once on the
    client. Headers whose value belongs to one request (an idempotency key, a condition, a request id)
    stay arguments of each call even when every operation has them. A header that every operation
    requires with one allowed value is sent with that value unless the user sets another."""
    if not pairs:
        return {}
    endpoints = [endpoint for _, endpoint in pairs]
    per_endpoint = [{untrusted(p.name).lower(): p for p in e.header_parameters} for e in endpoints]
    shared = set(per_endpoint[0]).intersection(*per_endpoint[1:]) - PER_REQUEST_HEADERS
    found: dict[str, HeaderDefault] = {}
    for wire in sorted(shared):
        prop = per_endpoint[0][wire]
        name = unique(str(prop.python_name), taken, CLIENT_RESERVED)
        node = union_of([types.node(prop), TypeNode("none")])
        constants = {getattr(op.parameter("header", wire), "constant", None) for op, _ in pairs}
        constant = next(iter(constants)) if len(constants) == 1 else None
        found[wire] = HeaderDefault(
            name,
            untrusted(prop.name),
            annotation(node, loose_ids=True),
            f"{names.env_prefix}{name.upper()}",
            py_str(constant) if constant is not None else None,
        )
    return found
