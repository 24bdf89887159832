"""README examples: sample values derived from the types, written as Python literals."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from codegen.client_classes import EnumView, ModelView
from codegen.client_types import TypeNode
from codegen.client_views import OperationView, ResourceView
from codegen.render import py_str

# ---------------------------------------------------------------------------------------------
# README examples: sample values derived from the types, written as Python literals


@dataclass(frozen=True)
class ExampleCall:
    resource: str
    method: str
    arguments: tuple[str, ...]  # positional values, then name=value
    imports: tuple[str, ...]  # import lines, `{package}` standing for the client package


_SAMPLE_UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@dataclass(frozen=True)
class Samples:
    models: Mapping[str, ModelView]
    enums: Mapping[str, EnumView]


def sample_value(node: TypeNode, example: str | None, samples: Samples, imports: set[str], depth: int = 0) -> str:
    """A Python expression of a plausible value for `node` (spec text only ever inside py_str)."""
    kind = node.kind
    if kind == "str":
        return py_str(example if example and len(example) <= 60 and "\n" not in example else "string")
    if kind in ("int", "float"):
        number = re.fullmatch(r"-?\d+(\.\d+)?", example or "")
        if number and (kind == "float" or number.group(1) is None):
            return number.group(0)
        return "1" if kind == "int" else "1.0"
    if kind == "bool":
        return "True"
    if kind == "uuid":
        return py_str(_SAMPLE_UUID)
    if kind in ("date", "datetime"):
        imports.add("import datetime")
        if kind == "date":
            return "datetime.date(2024, 3, 1)"
        return "datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)"
    if kind == "const" and node.literal is not None:
        return node.literal
    if kind == "list":
        return f"[{sample_value(node.items[0], None, samples, imports, depth + 1)}]"
    if kind == "union":
        return sample_value(node.items[0], example, samples, imports, depth)
    if kind == "file":
        return 'b"file contents"'
    if node.ref is not None and node.ref.name in samples.enums and samples.enums[node.ref.name].members:
        imports.add(f"from {{package}}.models import {node.ref.name}")
        return f"{node.ref.name}.{samples.enums[node.ref.name].members[0].name}"
    model = samples.models.get(node.ref.name) if node.ref is not None else None
    if model is not None and depth < 3:
        imports.add(f"from {{package}}.models import {model.ref.name}")
        inner = ", ".join(
            f"{f.name}={sample_value(f.node, f.example, samples, imports, depth + 1)}" for f in model.required_fields
        )
        return f"{model.ref.name}({inner})"
    return "{}"


def _required_count(op: OperationView) -> int:
    return sum(1 for p in (*op.path_params, *op.keyword_params) if p.required)


def example_call(resource: ResourceView, op: OperationView, samples: Samples) -> ExampleCall:
    """The operation called with every required argument, as the README shows it."""
    imports: set[str] = set()
    arguments = [sample_value(p.node, p.example, samples, imports) for p in op.path_params]
    for param in op.keyword_params:
        if param.required and not (op.page and param.wire == op.page.cursor_param):
            arguments.append(f"{param.name}={sample_value(param.node, param.example, samples, imports)}")
    if op.body is not None and not op.body.fields and op.body.required:
        arguments.append(f"body={sample_value(op.body.node, None, samples, imports)}")
    if op.page is not None and op.page.limit_arg and f"{op.page.limit_arg}=" not in " ".join(arguments):
        arguments.append(f"{op.page.limit_arg}=100")  # fewer, larger pages
    return ExampleCall(resource.attribute, op.name, tuple(arguments), tuple(sorted(imports)))
