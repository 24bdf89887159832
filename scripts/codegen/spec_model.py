"""The spec model: the effective OpenAPI document (after overlays and transforms), read once.

Every consumer (the client view, the mock view, the diff and changelog, the checks, the READMEs)
reads these typed objects instead of indexing the raw `dict`, so each fact is decided in one place:
the Python name of an operation, resource or parameter (naming.py), whether a media type is JSON
(media_types.py), how a credential is sent and checked (`SecurityScheme.transport`), how a parameter
is serialised (`Parameter.style` / `explode`, OpenAPI 3.1 §4.8.12.4 defaults), and the schema
facts (schema_facts.py). Names are as OpenAPI names them. Spec strings stay data here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from codegen.document import RENAME_EXTENSION, iter_operations, pointer, pointer_part
from codegen.media_types import is_json
from codegen.naming import snake_name, unique_name
from codegen.operation_names import (
    RESOURCE_EXTENSION,
    OperationSource,
    Placement,
    place_operations,
)
from codegen.schema_facts import Discriminator, Resolver, SchemaFacts, mapping
from codegen.spec_walk import iter_schemas

LOCATIONS = ("path", "query", "header", "cookie")
# OpenAPI 3.1 §4.8.12.4: the default style per location; explode defaults to true for `form` only.
DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
# Names no parameter may take: the client method's and the mock stub's own arguments.
PARAMETER_RESERVED = frozenset(
    {"self", "body", "extra_headers", "extra_query", "timeout", "request", "respond"}
)  # fmt: skip
# OpenAPI 3.1 §4.8.12.1: these header parameters are ignored; the protocol or a security scheme carries them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
IDEMPOTENT_EXTENSION = "x-codegen-idempotent"
# Header names that carry an idempotency key (IETF draft-ietf-httpapi-idempotency-key-header), compared
# case-insensitively: a client may fill one in itself so that a retried request is applied at most once.
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})
# The response header carrying the server's id for a request, when the spec documents none that looks like one.
DEFAULT_REQUEST_ID_HEADER = "x-request-id"
# A documented response header that names a request id: x-request-id, Request-Id, X-Amzn-RequestId, apigw-requestid…
REQUEST_ID_NAME = re.compile(r"(?:[A-Za-z0-9]+[-_])*requests?[-_]?id", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation (path-item parameters merged in; the operation's win)."""

    name: str  # as on the wire (untrusted)
    location: str  # path | query | header | cookie
    python_name: str  # unique within the operation
    required: bool
    style: str
    explode: bool
    allow_reserved: bool
    schema: Any  # as written (may be a `$ref`); from `content` when the parameter has no schema
    content_type: str | None  # set when the parameter is described by `content` (serialised as that type)
    facts: SchemaFacts
    description: str
    deprecated: bool
    pointer: str

    @property
    def shape(self) -> str:
        """How serialisation treats the value: array, object or primitive."""
        return self.facts.kind if self.facts.kind in ("array", "object") else "primitive"

    @property
    def constant(self) -> str | None:
        """The value a required parameter must always have, when its schema allows exactly one text or
        number (`enum` of one, or `const`, JSON Schema validation §6.1.2-3): a client can send it unasked."""
        values = self.facts.const if self.facts.const is not None else self.facts.enum
        if not self.required or values is None or len(values) != 1:
            return None
        value = values[0]
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class MediaType:
    name: str  # as in the spec, e.g. `application/vnd.api+json; charset=utf-8`
    schema: Any  # as written; None when absent
    pointer: str
    example: Any = None  # the media type's `example` (see has_example)
    has_example: bool = False
    examples: tuple[tuple[str, Any], ...] = ()  # named examples' values, `$ref`s resolved

    @property
    def is_json(self) -> bool:
        return is_json(self.name)


@dataclass(frozen=True)
class RequestBody:
    required: bool
    media_types: tuple[MediaType, ...]  # in spec order
    pointer: str

    @property
    def json_media_type(self) -> MediaType | None:
        """The first JSON media type, the one a client sends a JSON body as (a vendor type stays itself)."""
        return next((m for m in self.media_types if m.is_json), None)


@dataclass(frozen=True)
class ResponseHeader:
    name: str
    required: bool
    schema: Any
    example: Any


@dataclass(frozen=True)
class Response:
    status: str  # the spec's key: "200", "4XX" or "default"
    description: str
    media_types: tuple[MediaType, ...]
    headers: tuple[ResponseHeader, ...]
    pointer: str


@dataclass(frozen=True)
class SecurityScheme:
    """A security scheme and how its credential travels, decided once for the client and the mock.

    transport: header | query | cookie (an apiKey), authorization (`Authorization: <key> <credential>`;
    key is the HTTP auth scheme as registered, e.g. Basic, Bearer, Token; oauth2 and openIdConnect
    send Bearer), or unchecked (mutualTLS and unknown types, which a request cannot show).
    """

    name: str
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS | …
    location: str | None  # apiKey `in`
    parameter_name: str | None  # apiKey `name`
    scheme: str | None  # http `scheme`, lower-cased
    transport: str
    key: str

    @property
    def is_basic(self) -> bool:
        return self.transport == "authorization" and self.key == "Basic"


# One security requirement: the schemes that must all be satisfied; () means "no credentials needed".
SecurityRequirement = tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    path: str  # as in the spec (untrusted)
    operation_id: str | None
    python_name: str  # the SDK method on its resource (operation_names.py), as the changelog names it
    tag: str | None  # first tag (untrusted)
    resource: str  # Python attribute of its resource (`client.<resource>`)
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]  # alternatives; () when the operation needs none
    idempotent: bool | None  # x-codegen-idempotent, when set
    pointer: str
    placement: Placement  # resource, method name, document-wide key, and what chose the resource

    @property
    def key(self) -> str:
        """Unique across the document: the mock's handler name (the method name, for a tagged operation)."""
        return self.placement.key

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameter(self, location: str, name: str) -> Parameter | None:
        wanted = name.lower() if location == "header" else name
        return next((p for p in self.parameters if p.location == location and _key(p.location, p.name) == wanted), None)

    @property
    def idempotency_header(self) -> str | None:
        """The wire name of the header parameter that takes an idempotency key, if the operation has one."""
        return next(
            (p.name for p in self.parameters if p.location == "header" and p.name.lower() in IDEMPOTENCY_HEADERS),
            None,
        )


@dataclass(frozen=True)
class SpecModel:
    openapi: str
    title: str
    version: str
    operations: tuple[Operation, ...]  # document order
    security_schemes: Mapping[str, SecurityScheme]
    # Each `oneOf`/`anyOf` with a discriminator, by the set of its members' `$ref`s: generators hand
    # consumers the members of a union, not where it was written.
    discriminated_unions: Mapping[frozenset[str], Discriminator]
    resolver: Resolver = field(repr=False, compare=False)

    @property
    def request_id_header(self) -> str:
        """The response header both the client (`request_id`) and the mock use for a request's id.

        The documented response header whose name looks like a request id (REQUEST_ID_NAME), the one
        documented by the most responses (the first seen on a tie), lower-cased; else `x-request-id`.
        """
        counts: dict[str, int] = {}
        for operation in self.operations:
            for response in operation.responses:
                for header in response.headers:
                    name = header.name.lower()
                    if REQUEST_ID_NAME.fullmatch(name):
                        counts[name] = counts.get(name, 0) + 1
        return max(counts, key=lambda name: counts[name]) if counts else DEFAULT_REQUEST_ID_HEADER

    @cached_property
    def _by_label(self) -> dict[tuple[str, str], Operation]:
        return {(o.method, o.path): o for o in reversed(self.operations)}  # the first of a pair wins

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation at (method, path); a dictionary lookup, as callers ask once per operation."""
        return self._by_label.get((method.lower(), path))

    def facts(self, schema: Any) -> SchemaFacts:
        return self.resolver.facts(schema)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _key(location: str, name: str) -> str:
    return name.lower() if location == "header" else name  # header names are case-insensitive (RFC 9110)


def security_scheme(name: str, raw: Mapping[str, Any]) -> SecurityScheme:
    """How one scheme's credential is sent (client) and looked for (mock)."""
    kind = str(raw.get("type") or "")
    location = raw.get("in") if isinstance(raw.get("in"), str) else None
    parameter_name = raw.get("name") if isinstance(raw.get("name"), str) else None
    http_scheme = str(raw.get("scheme")).strip().lower() if isinstance(raw.get("scheme"), str) else None
    transport, key = "unchecked", ""
    if kind == "apiKey" and location in ("header", "query", "cookie") and parameter_name:
        transport, key = location, parameter_name
    elif kind == "http" and http_scheme:
        # The credential follows the scheme's own name, capitalised as RFC 9110 §11.1 registers them.
        transport, key = "authorization", http_scheme.capitalize()
    elif kind in ("oauth2", "openIdConnect"):
        transport, key = "authorization", "Bearer"
    return SecurityScheme(name, kind, location, parameter_name, http_scheme, transport, key)


def _requirements(raw: Any) -> tuple[SecurityRequirement, ...]:
    if not isinstance(raw, list):
        return ()
    found: list[SecurityRequirement] = []
    for requirement in raw:
        if isinstance(requirement, dict):
            alternative = tuple(str(name) for name in requirement)
            if alternative not in found:
                found.append(alternative)
    return tuple(found)


def _merged_parameters(
    resolver: Resolver, path_item: Mapping[str, Any], operation: Mapping[str, Any], at: str
) -> list[tuple[dict[str, Any], str]]:
    """Path-item parameters, then the operation's, which replace any with the same name and location."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    holders = ((path_item, at.rsplit("/", 1)[0]), (operation, at))
    for holder, holder_at in holders:
        raw = holder.get("parameters")
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            spec = resolver.deref(item)
            if isinstance(spec, dict) and isinstance(spec.get("name"), str) and spec.get("in") in LOCATIONS:
                merged[(str(spec["in"]), _key(str(spec["in"]), spec["name"]))] = (
                    spec,
                    f"{holder_at}/parameters/{index}",
                )
    return list(merged.values())


def _parameter(resolver: Resolver, spec: dict[str, Any], at: str, taken: set[str]) -> Parameter:
    location = str(spec["in"])
    style = spec.get("style") if spec.get("style") in STYLES[location] else DEFAULT_STYLE[location]
    explode = spec.get("explode") if isinstance(spec.get("explode"), bool) else style == "form"
    schema, content_type = spec.get("schema"), None
    content = spec.get("content")
    if schema is None and isinstance(content, dict) and content:
        content_type = str(next(iter(content)))
        media = resolver.deref(content[content_type])
        schema = media.get("schema") if isinstance(media, dict) else None
    return Parameter(
        name=str(spec["name"]),
        location=location,
        python_name=unique_name(snake_name(str(spec["name"]), "parameter"), taken, PARAMETER_RESERVED),
        required=location == "path" or spec.get("required") is True,
        style=str(style),
        explode=bool(explode),
        allow_reserved=spec.get("allowReserved") is True,
        schema=schema,
        content_type=content_type,
        facts=resolver.facts(schema),
        description=_text(spec.get("description")),
        deprecated=spec.get("deprecated") is True,
        pointer=at,
    )


def _media_types(resolver: Resolver, content: Any, at: str) -> tuple[MediaType, ...]:
    if not isinstance(content, dict):
        return ()
    found: list[MediaType] = []
    for name, raw in content.items():
        media = resolver.deref(raw)
        media = media if isinstance(media, dict) else {}
        named: list[tuple[str, Any]] = []
        for key, value in mapping(media.get("examples")).items():
            example = resolver.deref(value)
            if isinstance(example, dict) and "value" in example:
                named.append((str(key), example["value"]))
        where = f"{at}/content/{pointer_part(str(name))}"
        found.append(
            MediaType(str(name), media.get("schema"), where, media.get("example"), "example" in media, tuple(named))
        )
    return tuple(found)


def _request_body(resolver: Resolver, raw: Any, at: str) -> RequestBody | None:
    body = resolver.deref(raw)
    if not isinstance(body, dict):
        return None
    return RequestBody(body.get("required") is True, _media_types(resolver, body.get("content"), at), at)


def _responses(resolver: Resolver, raw: Any, at: str) -> tuple[Response, ...]:
    found: list[Response] = []
    for status, value in (raw if isinstance(raw, dict) else {}).items():
        status = str(status)
        if status.startswith("x-"):
            continue
        response = resolver.deref(value)
        response = response if isinstance(response, dict) else {}
        headers: list[ResponseHeader] = []
        for name, header_raw in (response.get("headers") or {}).items():
            header = resolver.deref(header_raw)
            if isinstance(header, dict):
                headers.append(
                    ResponseHeader(
                        str(name), header.get("required") is True, header.get("schema"), header.get("example")
                    )
                )
        where = f"{at}/{pointer_part(status)}"
        media = _media_types(resolver, response.get("content"), where)
        found.append(Response(status, _text(response.get("description")), media, tuple(headers), where))
    return tuple(found)


def build_spec_model(doc: Mapping[str, Any]) -> SpecModel:
    """The model of one effective document. Names are unique: operation keys across the whole document
    (the mock's handler table is flat), method names within their resource (operation_names.py),
    parameters within their operation."""
    resolver = Resolver(doc)
    info = mapping(doc.get("info"))
    components = mapping(doc.get("components"))
    raw_schemes = mapping(components.get("securitySchemes"))
    schemes: dict[str, SecurityScheme] = {}
    for name, raw in sorted(raw_schemes.items()):
        scheme = resolver.deref(raw)
        schemes[str(name)] = security_scheme(str(name), scheme if isinstance(scheme, dict) else {})

    paths = mapping(doc.get("paths"))
    found = iter_operations(dict(doc))
    placements = place_operations([operation_source(path, method, raw) for path, method, raw in found])
    operations: list[Operation] = []
    for (path, method, raw), placement in zip(found, placements, strict=True):
        at = pointer("paths", path, method)
        taken_params: set[str] = set()
        path_item = mapping(paths.get(path))
        parameters = tuple(
            _parameter(resolver, spec, spec_at, taken_params)
            for spec, spec_at in _merged_parameters(resolver, path_item, raw, at)
            if not (spec["in"] == "header" and str(spec["name"]).lower() in IGNORED_HEADERS)
        )
        idempotent = raw.get(IDEMPOTENT_EXTENSION)
        operations.append(
            Operation(
                method=method,
                path=path,
                operation_id=_string(raw.get("operationId")),
                python_name=placement.name,
                tag=_first_tag(raw),
                resource=placement.resource,
                summary=_text(raw.get("summary")),
                description=_text(raw.get("description")),
                deprecated=raw.get("deprecated") is True,
                parameters=parameters,
                request_body=_request_body(resolver, raw.get("requestBody"), f"{at}/requestBody"),
                responses=_responses(resolver, raw.get("responses"), f"{at}/responses"),
                security=_requirements(raw.get("security", doc.get("security"))),
                idempotent=idempotent if isinstance(idempotent, bool) else None,
                pointer=at,
                placement=placement,
            )
        )
    return SpecModel(
        openapi=str(doc.get("openapi") or ""),
        title=_text(info.get("title")),
        version=_text(info.get("version")),
        operations=tuple(operations),
        security_schemes=schemes,
        discriminated_unions=_discriminated_unions(resolver),
        resolver=resolver,
    )


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _first_tag(raw: Mapping[str, Any]) -> str | None:
    tags = raw.get("tags")
    return str(tags[0]) if isinstance(tags, list) and tags and isinstance(tags[0], str) else None


def operation_source(path: str, method: str, raw: Mapping[str, Any]) -> OperationSource:
    """What operation_names.py places an operation by (after transforms: the operationId is effective)."""
    return OperationSource(
        method=method,
        path=path,
        operation_id=_string(raw.get("operationId")),
        tag=_first_tag(raw),
        renamed=_string(raw.get(RENAME_EXTENSION)) is not None,
        resource_override=_string(raw.get(RESOURCE_EXTENSION)),
    )


def _discriminated_unions(resolver: Resolver) -> dict[frozenset[str], Discriminator]:
    """Every discriminated `oneOf`/`anyOf` whose members are all `$ref`s (OpenAPI 3.1 §4.8.25 maps
    values to referenced schemas only), keyed by the set of those references; the first one wins."""
    found: dict[frozenset[str], Discriminator] = {}
    for schema in iter_schemas(dict(resolver.doc)):
        discriminator = resolver.discriminator(schema)
        if discriminator is None:
            continue
        members = [m for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list) for m in schema[key]]
        members = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
        refs = [m.get("$ref") if isinstance(m, dict) else None for m in members]
        if refs and all(isinstance(ref, str) for ref in refs):
            found.setdefault(frozenset(str(ref) for ref in refs), discriminator)
    return found
