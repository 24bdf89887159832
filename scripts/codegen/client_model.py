"""A small typed view of the API for templates/client/: what the generated SDK contains.

Built from openapi-python-client's parsed GeneratorData (sanitised names, property types, models)
and the raw effective document (security, servers, extensions the parser drops). Every decision
lives here; the templates only lay this view out. Spec text never becomes code: identifiers come
from the generator's sanitising (and are checked again here), text reaches the templates raw and
is escaped there by the filters of render.py, and the few code fragments built here embed spec
text only through `py_str`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from codegen.client_auth import CredentialView, build_credentials
from codegen.client_classes import EnumView, ModelView, build_enum, build_model
from codegen.client_examples import ExampleCall, Samples, _required_count, example_call
from codegen.client_names import clean_text, pascal, snake, unique, unique_class, untrusted
from codegen.client_operations import (
    _annotation_imports,
    _OperationContext,
    build_operation,
    common_headers,
    with_builtins_qualified,
)
from codegen.client_options import ClientOptions
from codegen.client_types import ClassRef, Decoders, TypeBuilder, decode_helpers
from codegen.client_views import HeaderDefault, ResourceView
from codegen.config import Names
from codegen.document import path_shape
from codegen.operation_names import ANNOTATION_BUILTINS
from codegen.spec_model import Operation as SpecOperation
from codegen.spec_model import SpecModel

# ---------------------------------------------------------------------------------------------
# The whole client


@dataclass(frozen=True)
class ClientView:
    class_name: str
    async_class_name: str
    error_root: str
    env_prefix: str
    base_url: str | None  # None when the spec has no absolute server URL
    credentials: tuple[CredentialView, ...]
    headers: tuple[HeaderDefault, ...]
    resources: tuple[ResourceView, ...]
    models: tuple[ModelView, ...]
    enums: tuple[EnumView, ...]
    example: ExampleCall | None
    page_example: ExampleCall | None
    request_id_header: str  # the response header `request_id` reads (the spec model decides it)

    @property
    def classes(self) -> tuple[ClassRef, ...]:
        return tuple(sorted([m.ref for m in self.models] + [e.ref for e in self.enums], key=lambda r: r.name))

    @property
    def paginated(self) -> bool:
        return any(r.paginated for r in self.resources)

    @property
    def header_imports(self) -> frozenset[str]:
        """What the annotations of the client-wide header arguments need imported (type checking only)."""
        annotations = [h.annotation for h in self.headers]
        found = _annotation_imports(*annotations)
        if any("_models." in a for a in annotations):
            found.add("_models")
        return frozenset(found)


def server_url(doc: Mapping[str, Any]) -> str | None:
    """The first server, its variables filled with their defaults; None unless absolute http(s) without a
    query string or fragment (the client refuses such a base URL: it would corrupt every request)."""
    servers = doc.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], Mapping):
        return None
    url = str(servers[0].get("url") or "")
    variables = servers[0].get("variables")
    if isinstance(variables, Mapping):
        for key, spec in variables.items():
            if isinstance(spec, Mapping) and "default" in spec:
                url = url.replace("{" + str(key) + "}", str(spec["default"]))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in url or "?" in url or "#" in url:
        return None
    return url.rstrip("/")


def _class_refs(openapi: Any) -> dict[str, ClassRef]:
    taken_classes: set[str] = set()
    taken_modules: set[str] = {"__init__"}
    found: dict[str, ClassRef] = {}
    for item in sorted([*openapi.models, *openapi.enums], key=lambda m: str(m.class_info.name)):
        original = str(item.class_info.name)
        if original not in found:
            name = unique_class(original, taken_classes)
            found[original] = ClassRef(name, unique(snake(name), taken_modules))
    return found


def matched_endpoints(openapi: Any, model: SpecModel) -> list[tuple[SpecOperation, Any]]:
    """Each endpoint the generator made, with its spec-model operation, in document order."""
    index = {(op.method, op.path): op for op in model.operations}
    by_shape: dict[tuple[str, str], list[SpecOperation]] = {}
    for each in model.operations:
        by_shape.setdefault((each.method, path_shape(each.path)), []).append(each)
    used: set[int] = set()
    pairs: list[tuple[SpecOperation, Any]] = []
    endpoints = [e for c in openapi.endpoint_collections_by_tag.values() for e in c.endpoints]
    for endpoint in endpoints:
        method, path = str(endpoint.method).lower(), untrusted(endpoint.path)
        op = index.get((method, path))
        if op is None or id(op) in used:
            op = next((o for o in by_shape.get((method, path_shape(path)), []) if id(o) not in used), None)
        if op is not None:
            used.add(id(op))
            pairs.append((op, endpoint))
    order = {id(each): number for number, each in enumerate(model.operations)}
    return sorted(pairs, key=lambda pair: order[id(pair[0])])


def _resource(
    attribute: str, pairs: list[tuple[SpecOperation, Any]], ctx: _OperationContext, taken_classes: set[str]
) -> ResourceView:
    # `<Tag>Resource` and `Async<Tag>Resource`: models are only ever reached as `_models.<Name>` beside
    # them, so a model keeps its plain name whatever the tags are called.
    stem = unique_class(f"{pascal(attribute)}Resource", taken_classes)
    async_stem = unique_class(f"Async{stem}", taken_classes)
    for suffix_of in (stem, async_stem):
        taken_classes.update({f"{suffix_of}WithRawResponse", f"{suffix_of}WithStreamingResponse"})
    operations = tuple(build_operation(endpoint, op, ctx) for op, endpoint in pairs)
    imports: set[str] = set().union(*(op.imports for op in operations))
    shadowed = frozenset(op.name for op in operations) & ANNOTATION_BUILTINS
    if shadowed:  # `def list(...)` in the class: the other methods' annotations say `builtins.list`
        operations = tuple(with_builtins_qualified(op, shadowed) for op in operations)
        imports.add("builtins")
    code = "\n".join(ctx.decoders.functions)
    imports |= _annotation_imports(code)
    if "parse_datetime(" in code:
        imports.add("parse_datetime")
    if "UUID(" in code:
        imports.add("UUID")
    imports |= decode_helpers(code)
    placement = pairs[0][0].placement if pairs else None
    return ResourceView(
        attribute=attribute,
        label=clean_text(placement.label if placement else attribute),
        origin=placement.origin if placement else "tag",
        sync_class=stem,
        async_class=async_stem,
        operations=operations,
        functions=tuple(ctx.decoders.functions),
        imports=tuple(sorted(imports)),
        paginated=any(op.page for op in operations),
    )


def build_client_view(
    openapi: Any, model: SpecModel, names: Names, options: ClientOptions, wire_names: Mapping[str, str] | None = None
) -> ClientView:
    """The whole client: names come from the spec model, types and models from the generator's parser."""
    doc = model.resolver.doc
    classes = _class_refs(openapi)
    types = TypeBuilder(classes, model.discriminated_unions)
    models: dict[str, ModelView] = {}
    for item in openapi.models:
        ref = classes[str(item.class_info.name)]
        models.setdefault(ref.name, build_model(item, ref, types, wire_names or {}))
    enums: dict[str, EnumView] = {}
    for enum in openapi.enums:
        ref = classes[str(enum.class_info.name)]
        enums.setdefault(ref.name, build_enum(enum, ref))

    taken_args: set[str] = set()
    credentials = build_credentials(model, options, names, taken_args)
    pairs = matched_endpoints(openapi, model)
    common = common_headers(pairs, types, names, taken_args)

    grouped: dict[str, list[tuple[SpecOperation, Any]]] = {}
    for op, endpoint in pairs:
        grouped.setdefault(op.resource, []).append((op, endpoint))
    resources: list[ResourceView] = []
    # Resource classes live in resources/, apart from the models; the client's own wrappers are reserved.
    taken_classes: set[str] = {
        f"{names.class_name}WithStreamingResponse",
        f"Async{names.class_name}WithStreamingResponse",
    }
    for attribute in sorted(grouped):
        ctx = _OperationContext(doc, options, types, credentials, common, Decoders(), models, enums)
        resources.append(_resource(attribute, grouped[attribute], ctx, taken_classes))

    calls = [(r, op) for r in resources for op in r.operations]
    samples = Samples(models, enums)
    plain = [(r, op) for r, op in calls if not op.page]
    # The README shows the call that shows the most: a body of keyword arguments, many required ones.
    showcase = max(plain, key=lambda c: (bool(c[1].body and c[1].body.fields), _required_count(c[1])), default=None)
    example = example_call(*showcase, samples) if showcase else None
    page_example = next((example_call(r, op, samples) for r, op in calls if op.page), None)
    return ClientView(
        class_name=names.class_name,
        async_class_name=f"Async{names.class_name}",
        error_root=f"{names.class_name}Error",
        env_prefix=names.env_prefix,
        base_url=server_url(doc),
        credentials=tuple(credentials.values()),
        headers=tuple(common.values()),
        resources=tuple(resources),
        models=tuple(models.values()),
        enums=tuple(enums.values()),
        example=example,
        page_example=page_example,
        request_id_header=model.request_id_header,
    )
