"""Build calls of a generated client from its effective spec, for the contract tests against the generated mock.

The method names and argument names come from client_model's view, built exactly as client_gen.py builds it
(openapi-python-client's GeneratorData of the effective spec, NAME.openapi.json next to the packages); the
argument values are mock_model's minimal instances of the spec's schemas, turned into what the generated
method accepts (datetimes, enum members, model objects) by the argument's TypeNode.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from codegen.client_gen import content_type_overrides
from codegen.client_model import ClientView, build_client_view
from codegen.client_options import ClientOptions
from codegen.client_types import TypeNode
from codegen.client_views import OperationView
from codegen.config import Names
from codegen.mock_sampler import Resolver, minimal_instance
from codegen.pipeline import EFFECTIVE_NOTICE_KEY
from codegen.spec_model import build_spec_model

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def effective_doc(path: Path) -> dict[str, Any]:
    """The document the generators saw (the notice line the pipeline adds taken out again)."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    doc.pop(EFFECTIVE_NOTICE_KEY, None)
    return doc


def client_view(doc: dict[str, Any], source: Path, name: str, options: ClientOptions) -> ClientView:
    """client_model's view of `doc`, parsed by the pinned generator with the settings client_gen.py uses."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(
        ConfigFile(post_hooks=[], content_type_overrides=content_type_overrides(doc)),
        MetaType.UV,
        document_source=source,
        file_encoding="utf-8",
        overwrite=False,
        output_path=source.parent / "unused",
    )
    parsed = GeneratorData.from_dict(json.loads(json.dumps(doc)), config=config)
    assert isinstance(parsed, GeneratorData), parsed
    return build_client_view(parsed, build_spec_model(doc), Names(name), options)


def credentials(view: ClientView) -> dict[str, str]:
    """Every credential argument of the client's constructor, with a dummy value."""
    return {arg: f"dummy-{arg}" for credential in view.credentials for arg in credential.args}


@dataclass(frozen=True)
class Call:
    """One generated method and the minimal arguments its schemas require."""

    resource: str  # client.<resource>
    method: str  # .<method>(...)
    operation: OperationView
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.operation.http_method} {self.operation.path}"

    def of(self, client: Any) -> Callable[..., Any]:
        return getattr(getattr(client, self.resource), self.method)  # type: ignore[no-any-return]

    def raw_of(self, client: Any) -> Callable[..., Any]:
        return getattr(getattr(client, self.resource).with_raw_response, self.method)  # type: ignore[no-any-return]

    def result_check(self, models: ModuleType) -> Callable[[Any], bool]:
        """Whether a value is what the method's annotation promises, as far as the annotation names a model:
        a model class, a list of one, or a page whose results are of one; anything else passes."""
        page = self.operation.page
        annotation = page.item_annotation if page else self.operation.returns
        inner = annotation.removeprefix("list[").removesuffix("]") if annotation.startswith("list[") else None
        name = (inner or annotation).removeprefix("_models.")
        if name == (inner or annotation) or not name.isidentifier():
            return lambda _value: True
        cls = getattr(models, name)
        if page or inner:
            return lambda value: all(isinstance(item, cls) for item in (value.results if page else value))
        return lambda value: isinstance(value, cls)


def operation_keys(doc: Mapping[str, Any]) -> list[str]:
    """ "METHOD /path" of every operation in the document, in document order."""
    return [
        f"{method.upper()} {path}"
        for path, item in (doc.get("paths") or {}).items()
        for method in item
        if method in HTTP_METHODS
    ]


def success_statuses(doc: Mapping[str, Any], op: OperationView) -> set[int]:
    """The 2xx statuses the spec documents for an operation (a `2XX` range as all of 200-299)."""
    responses = doc["paths"][op.path][op.http_method.lower()].get("responses") or {}
    found: set[int] = set()
    for status in map(str, responses):
        if status.upper() == "2XX":
            found |= set(range(200, 300))
        elif status.isdigit() and 200 <= int(status) < 300:
            found.add(int(status))
    return found


def plan_calls(view: ClientView, doc: dict[str, Any], models: ModuleType) -> dict[str, Call]:
    """ "METHOD /path" → the call of its generated method with minimal valid arguments."""
    resolver = Resolver(doc, {})
    calls: dict[str, Call] = {}
    for resource in view.resources:
        for op in resource.operations:
            raw = doc["paths"][op.path][op.http_method.lower()]
            schemas = _required_parameter_schemas(doc["paths"][op.path], raw, resolver)
            args: list[Any] = []
            kwargs: dict[str, Any] = {}
            for param in op.params:
                schema = schemas.get((param.location, param.wire))
                if schema is None:
                    continue  # optional in the spec: left out
                value = to_python(param.node, minimal_instance(schema, resolver), models)
                if param.location == "path":
                    args.append(value)
                else:
                    kwargs[param.name] = value
            body_schema = _body_schema(raw, op, resolver)
            if op.body is not None and body_schema is not None:
                instance = minimal_instance(body_schema, resolver)
                content = op.body.kind == "content"
                kwargs["body"] = instance.encode() if content else to_python(op.body.node, instance, models)
            calls[f"{op.http_method} {op.path}"] = Call(resource.attribute, op.name, op, tuple(args), kwargs)
    return calls


def _required_parameter_schemas(
    item: Mapping[str, Any], raw: Mapping[str, Any], resolver: Resolver
) -> dict[tuple[str, str], Any]:
    """(location, name) → schema of each required parameter; the operation's own override the path item's."""
    found: dict[tuple[str, str], Any] = {}
    for spec in [*(item.get("parameters") or []), *(raw.get("parameters") or [])]:
        param = resolver.deref(spec)
        key = (str(param.get("in")), str(param.get("name")))
        found.pop(key, None)
        if param.get("required") or key[0] == "path":
            found[key] = param.get("schema", {})
    return found


def _body_schema(raw: Mapping[str, Any], op: OperationView, resolver: Resolver) -> Any:
    """The schema of the media type the client sends, when the spec requires a body."""
    body = resolver.deref(raw.get("requestBody") or {})
    if op.body is None or not body.get("required"):
        return None
    media = (body.get("content") or {}).get(op.body.content_type) or {}
    return media.get("schema", {})


def to_python(node: TypeNode, value: Any, models: ModuleType) -> Any:
    """A JSON value as the generated method takes it for an argument of type `node` (ValueError if it cannot)."""
    kind = node.kind
    if kind == "union":
        for member in node.items:
            try:
                return to_python(member, value, models)
            except (ValueError, TypeError, KeyError):
                continue
        raise ValueError(f"{value!r} fits no member of {node}")
    if kind == "none":
        if value is not None:
            raise ValueError(f"{value!r} is not null")
        return None
    if kind == "list":
        if not isinstance(value, list):
            raise ValueError(f"{value!r} is not a list")
        return [to_python(node.items[0], item, models) for item in value]
    if kind in ("enum", "model"):
        assert node.ref is not None
        cls = getattr(models, node.ref.name)
        if kind == "model":
            if not isinstance(value, dict):
                raise ValueError(f"{value!r} is not an object")
            return cls.from_dict(value)
        return cls(value)
    if kind in ("datetime", "date"):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        parse = datetime.datetime.fromisoformat if kind == "datetime" else datetime.date.fromisoformat
        return parse(value)
    checks: dict[str, tuple[type, ...]] = {"str": (str,), "uuid": (str,), "int": (int,), "float": (int, float)}
    if kind in checks and (not isinstance(value, checks[kind]) or isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a {kind}")
    if kind == "bool" and not isinstance(value, bool):
        raise ValueError(f"{value!r} is not a bool")
    return value  # str, uuid (text is accepted), int, float, bool, const, any
