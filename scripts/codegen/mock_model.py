"""What the mock's templates receive: a typed view of every operation, decided here in Python.

Each operation becomes one route stub: a Starlette-safe route path, a Python function name, its
parameters (location, the spec's name as alias, a Python type FastAPI can validate), its body type
(a class of models.py, found through datamodel-code-generator's model metadata), the credentials
its `security` requires, and its documented responses with an example or a minimal valid instance.
Spec text reaches code only as string literals (the templates' `py_str` filter) or as JSON data.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from codegen.media_types import preferred_response
from codegen.mock_params import Parameter, _without_null, parameters
from codegen.mock_sampler import Resolver, minimal_instance, sample_instance
from codegen.schema_facts import schema_kind
from codegen.spec_model import LOCATIONS, SecurityScheme, SpecModel
from codegen.spec_model import MediaType as SpecMediaType
from codegen.spec_model import Operation as SpecOperation
from codegen.spec_model import Response as SpecResponse
from codegen.text import description_text

# Module-level names of app.py that a route function must not shadow (builtins too: a function
# named `list` would break every later `list[...]` annotation). Such a route function gets a
# suffix; its handler key stays the operation's one Python name.
MODULE_NAMES = frozenset({"router", "create_app", "models", "respond", "date", "datetime"}) | frozenset(dir(builtins))


@dataclass(frozen=True)
class Body:
    annotation: str | None  # None: not JSON, accepted without validation
    required: bool
    media_types: tuple[str, ...]


@dataclass(frozen=True)
class Credential:
    """One credential a security requirement needs, and how the runtime finds it in a request."""

    scheme: str
    kind: str  # header | query | cookie | authorization (Authorization: <prefix> …) | unchecked
    name: str  # header, query or cookie name; for authorization, the expected prefix ("" = any)

    def as_json(self) -> dict[str, str]:
        return {"scheme": self.scheme, "kind": self.kind, "name": self.name}

    @property
    def label(self) -> str:
        if self.kind == "authorization":
            return f"Authorization: {self.name or '…'}"
        return self.scheme if self.kind == "unchecked" else f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Response:
    key: str  # the spec's key: "200", "4XX" or "default"
    status: int  # what is sent when this response is the default answer
    media_type: str | None  # None: no body
    body: Any  # JSON value sent by default: the spec's example or a minimal valid instance
    examples: dict[str, Any]  # named examples (`Prefer: example=NAME`)
    headers: dict[str, str]  # required response headers with sample values

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "media_type": self.media_type,
            "body": self.body,
            "examples": self.examples,
            "headers": self.headers,
        }


@dataclass(frozen=True)
class Operation:
    name: str  # the operation's key (spec model): the handler-override key, unique across the document
    resource: str  # the SDK's attribute for its resource: the client calls `client.<resource>.<method_name>`
    method_name: str  # the SDK's method on that resource (the key, for a tagged operation)
    function: str  # the route function's name in app.py (name, suffixed if it would shadow a module name)
    operation_id: str | None
    method: str  # upper case
    path: str  # as in the spec
    route_path: str  # placeholders renamed to the Python names Starlette can match, no `#…` part
    route_conditions: tuple[tuple[str, str | None], ...]  # from `/#Action=X`: what the request must carry
    summary: str
    parameters: tuple[Parameter, ...]
    unvalidated: tuple[str, ...]  # "query filter" …: accepted, not validated (objects, odd styles)
    body: Body | None
    security: tuple[tuple[Credential, ...], ...]  # alternatives; () means no credentials needed
    responses: tuple[Response, ...]
    default_response: str | None  # key of the response a plain valid request gets

    @property
    def client_call(self) -> str:
        """The SDK method for this operation, `client.<resource>.<method_name>` (spec_model.py names both)."""
        return f"client.{self.resource}.{self.method_name}"

    @property
    def credentials_text(self) -> str:
        """`header x-api-key + header organisation`, alternatives joined by `or`; `none` if open."""
        return " or ".join(" + ".join(c.label for c in alternative) for alternative in self.security) or "none"

    @property
    def body_validated(self) -> bool:
        return self.body is not None and self.body.annotation is not None

    @property
    def locations(self) -> list[tuple[str, list[Parameter]]]:
        """Parameters grouped by location (path, query, header, cookie), as `respond` takes them."""
        grouped = [(where, [p for p in self.parameters if p.location == where]) for where in LOCATIONS]
        return [(where, found) for where, found in grouped if found]

    def as_json(self) -> dict[str, Any]:
        """The runtime's data for this operation (mock_data.json)."""
        return {
            "operation_id": self.operation_id,
            "method": self.method,
            "path": self.path,
            "route_conditions": [list(condition) for condition in self.route_conditions],
            "summary": self.summary,
            "security": [[c.as_json() for c in alternative] for alternative in self.security],
            "default_response": self.default_response,
            "responses": {r.key: r.as_json() for r in self.responses},
        }


# ---------------------------------------------------------------------------------------------
# bodies


def _body(operation: SpecOperation, resolver: Resolver) -> Body | None:
    request_body = operation.request_body
    if request_body is None:
        return None
    media_types = tuple(m.name for m in request_body.media_types)
    required = request_body.required
    if not media_types or not all(m.is_json for m in request_body.media_types):
        return Body(annotation=None, required=required, media_types=media_types)
    annotation = body_annotation(request_body.media_types[0].schema, resolver)
    return Body(
        annotation=annotation if required else f"{annotation} | None", required=required, media_types=media_types
    )


def body_annotation(schema: Any, resolver: Resolver, depth: int = 0) -> str:
    """The models.py class of a `$ref`, lists of them, JSON types; `Any` where nothing fits."""
    if depth > 3 or not isinstance(schema, dict):
        return "Any"
    model = resolver.model_class(schema)
    if model is not None:
        return model
    schema = _without_null(resolver.deref(schema), resolver)
    if not isinstance(schema, dict):
        return "Any"
    kind = schema_kind(schema) if "type" in schema else None  # untyped: any JSON value is valid
    if kind == "array":
        return f"list[{body_annotation(schema.get('items'), resolver, depth + 1)}]"
    if kind == "object":
        return "dict[str, Any]"
    simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
    return simple.get(kind or "", "Any")


# ---------------------------------------------------------------------------------------------
# security


def _credential(name: str, schemes: Mapping[str, SecurityScheme]) -> Credential:
    """What the runtime looks for: the scheme's transport and key, as the spec model decides them for the client too."""
    scheme = schemes.get(name)
    if scheme is None:
        return Credential(name, "unchecked", "")
    return Credential(name, scheme.transport, scheme.key)


def _security(operation: SpecOperation, schemes: Mapping[str, SecurityScheme]) -> tuple[tuple[Credential, ...], ...]:
    if any(not requirement for requirement in operation.security):
        return ()  # an empty requirement `{}` makes credentials optional
    return tuple(tuple(_credential(name, schemes) for name in requirement) for requirement in operation.security)


# ---------------------------------------------------------------------------------------------
# responses


def _status(key: str) -> int:
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0] in "12345" and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return 200  # `default` answering a plain request


def _default_body(media: SpecMediaType, examples: dict[str, Any], resolver: Resolver, error: bool) -> Any:
    """The media type's example, its first named example, the schema's example, else a generated
    instance: minimal for a success, with every property filled in for an `error` (so a 422 shows a
    `detail` list rather than `{}`)."""
    if media.has_example:
        return media.example
    if examples:
        return next(iter(examples.values()))
    schema = resolver.deref(media.schema)
    if isinstance(schema, dict):
        if "example" in schema:
            return schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
    if media.schema is None:
        return minimal_instance(True, resolver)
    return sample_instance(media.schema, resolver) if error else minimal_instance(media.schema, resolver)


def _headers(response: SpecResponse, resolver: Resolver, request_id_header: str) -> dict[str, str]:
    """Sample values of the response's required headers; not the request id, which the runtime sets per request."""
    found: dict[str, str] = {}
    for header in response.headers:
        if not header.required or header.name.lower() in ("content-type", request_id_header):
            continue
        value = header.example
        if value is None:
            value = minimal_instance(header.schema if header.schema is not None else {"type": "string"}, resolver)
        found[header.name] = value if isinstance(value, str) else _header_text(value)
    return found


def _header_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_header_text(v) for v in value)
    return "" if value is None or isinstance(value, dict) else str(value)


def _responses(operation: SpecOperation, resolver: Resolver, request_id_header: str) -> tuple[Response, ...]:
    found: list[Response] = []
    for response in operation.responses:
        key = response.status
        if not (key.isdigit() or key == "default" or re.fullmatch(r"[1-5][xX]{2}", key)):
            continue
        status = _status(key)
        by_name = {m.name: m for m in response.media_types}
        no_body = operation.method == "head" or status in (204, 304)
        media_type = None if no_body else preferred_response(by_name)
        headers = _headers(response, resolver, request_id_header)
        if media_type is None:  # documented without content: answered without a body
            found.append(Response(key, status, None, None, {}, headers))
            continue
        media = by_name[media_type]
        examples = dict(media.examples)
        error = not key.startswith(("1", "2", "3"))  # 4XX, 5XX and `default`
        body = _default_body(media, examples, resolver, error)
        found.append(Response(key, status, media_type, body, examples, headers))
    return tuple(found)


def _default_response(responses: tuple[Response, ...]) -> str | None:
    """The lowest documented 2xx, else `2XX`, else `default`, else the first documented response."""
    success = sorted((r for r in responses if r.key.isdigit() and 200 <= r.status < 300), key=lambda r: r.status)
    if success:
        return success[0].key
    for key in ("2XX", "2xx", "default"):
        if any(r.key == key for r in responses):
            return key
    return responses[0].key if responses else None


# ---------------------------------------------------------------------------------------------
# operations


def build_operations(model: SpecModel, class_names: Mapping[str, str]) -> list[Operation]:
    """Every operation of the spec model in route order, as the templates and the runtime data need it."""
    resolver = Resolver(model.resolver.doc, class_names)
    functions: set[str] = set()
    operations: list[Operation] = []
    for op in model.operations:
        function = op.key if op.key not in MODULE_NAMES else f"{op.key}_route"
        while function in functions:
            function += "_"
        functions.add(function)
        bare_path, conditions = split_fragment(op.path)
        route_path, params, unvalidated = parameters(bare_path, op, resolver)
        responses = _responses(op, resolver, model.request_id_header)
        operations.append(
            Operation(
                name=op.key,
                resource=op.resource,
                method_name=op.python_name,
                function=function,
                operation_id=op.operation_id,
                method=op.method.upper(),
                path=op.path,
                route_path=route_path,
                route_conditions=conditions,
                summary=" ".join(description_text(op.summary).split()),
                parameters=tuple(params),
                unvalidated=tuple(unvalidated),
                body=_body(op, resolver),
                security=_security(op, model.security_schemes),
                responses=responses,
                default_response=_default_response(responses),
            )
        )
    return sorted(operations, key=route_order)


def split_fragment(path: str) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """`/#Action=Describe&Version` → (`/`, (("Action", "Describe"), ("Version", None))).

    Some specs (AWS's, for one) tell operations on one path apart by a `#` part naming the query
    parameters or headers the request carries; a route matches only requests that carry them.
    """
    bare, _, fragment = path.partition("#")
    conditions: list[tuple[str, str | None]] = []
    for item in fragment.split("&") if fragment else []:
        name, equals, value = item.partition("=")
        if name:
            conditions.append((name, value if equals else None))
    return bare or "/", tuple(conditions)


def route_order(operation: Operation) -> tuple[tuple[int, ...], int]:
    """Routes are tried in this order: literal path segments before templated ones (as OpenAPI says
    concrete paths match first), `{+path}` catch-alls last, and conditioned routes before plain ones."""
    ranks = tuple(
        2 if ":path}" in segment else 1 if "{" in segment else 0 for segment in operation.route_path.split("/")
    )
    return ranks, 0 if operation.route_conditions else 1


@dataclass(frozen=True)
class MockView:
    """Everything the mock templates receive besides `codegen` and `package`."""

    operations: list[Operation] = field(default_factory=list)
    api_version: str = ""  # the spec's info.version (untrusted text)
    request_id_header: str = "x-request-id"  # sent on every answer (the spec model decides the name)

    @property
    def credentials(self) -> list[Credential]:
        """Every distinct credential any operation checks, for the README."""
        seen: dict[tuple[str, str], Credential] = {}
        for operation in self.operations:
            for alternative in operation.security:
                for credential in alternative:
                    if credential.kind != "unchecked":
                        seen.setdefault((credential.kind, credential.name), credential)
        return list(seen.values())
