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
from codegen.client_names import CLIENT_RESERVED, RESOURCE_RESERVED, clean_text, pascal, snake, unique, unique_class
from codegen.client_operations import (
    HeaderDefault,
    ResourceView,
    _annotation_imports,
    _OperationContext,
    build_operation,
    common_headers,
)
from codegen.client_options import ClientOptions
from codegen.client_types import ClassRef, Decoders, TypeBuilder
from codegen.config import Names

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
    """The first server, its variables filled with their defaults; None unless absolute http(s)."""
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
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in url:
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


def _resource(
    tag: str, collection: Any, ctx: _OperationContext, attribute: str, taken_classes: set[str]
) -> ResourceView:
    stem = unique_class(pascal(attribute) or "Resource", taken_classes)
    async_stem = unique_class(f"Async{stem}", taken_classes)
    for suffix_of in (stem, async_stem):
        taken_classes.add(f"{suffix_of}WithRawResponse")
    taken_methods: set[str] = set()
    operations = tuple(
        build_operation(endpoint, unique(str(endpoint.name), taken_methods, RESOURCE_RESERVED), ctx)
        for endpoint in collection.endpoints
    )
    imports: set[str] = set().union(*(op.imports for op in operations))
    code = "\n".join(ctx.decoders.functions)
    imports |= _annotation_imports(code)
    if "parse_datetime(" in code:
        imports.add("parse_datetime")
    if "UUID(" in code:
        imports.add("UUID")
    return ResourceView(
        attribute=attribute,
        tag=clean_text(tag),
        sync_class=stem,
        async_class=async_stem,
        operations=operations,
        functions=tuple(ctx.decoders.functions),
        imports=tuple(sorted(imports)),
        paginated=any(op.page for op in operations),
    )


def build_client_view(openapi: Any, doc: Mapping[str, Any], names: Names, options: ClientOptions) -> ClientView:
    classes = _class_refs(openapi)
    types = TypeBuilder(classes)
    models: dict[str, ModelView] = {}
    for model in openapi.models:
        ref = classes[str(model.class_info.name)]
        models.setdefault(ref.name, build_model(model, ref, types))
    enums: dict[str, EnumView] = {}
    for enum in openapi.enums:
        ref = classes[str(enum.class_info.name)]
        enums.setdefault(ref.name, build_enum(enum, ref))

    taken_args: set[str] = set()
    credentials = build_credentials(doc, options, names, taken_args)
    collections = [(str(t), c) for t, c in openapi.endpoint_collections_by_tag.items() if c.endpoints]
    collections.sort(key=lambda item: item[0])
    common = common_headers([e for _, c in collections for e in c.endpoints], types, names, taken_args)

    resources: list[ResourceView] = []
    taken_attrs: set[str] = set()
    taken_classes: set[str] = {ref.name for ref in classes.values()}
    for tag, collection in collections:
        ctx = _OperationContext(doc, options, types, credentials, common, Decoders(), models)
        attribute = unique(snake(tag), taken_attrs, CLIENT_RESERVED)
        resources.append(_resource(tag, collection, ctx, attribute, taken_classes))

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
    )
