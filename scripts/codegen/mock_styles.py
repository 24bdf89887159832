"""The mock's style-aware parameters: read by the runtime's `styled` dependency, validated by pydantic.

FastAPI reads a query key, a header or a cookie as sent; a parameter whose style joins items with a
delimiter (`form` explode false, `spaceDelimited`, `pipeDelimited`, path `simple`/`label`/`matrix`)
or spreads an object over keys (`deepObject`, exploded `form`) needs the request itself. The stub
declares it as `Annotated[T, Depends(styled(...))]`: the runtime splits the text as OpenAPI 3.1
§4.8.12.4 defines the style, and pydantic validates the result as T (items typed, enums included),
answering FastAPI's 422 shape. Which parameters take this path is decided once (param_styles.py).
"""

from __future__ import annotations

from typing import Any

from codegen.mock_sampler import Resolver
from codegen.render import py_str
from codegen.schema_facts import mapping
from codegen.spec_model import Parameter as SpecParameter


def styled_type(param: SpecParameter, resolver: Resolver) -> str:
    """The Python type pydantic validates the parsed value as: a list of typed items, a model, a scalar."""
    from codegen.mock_model import body_annotation  # mock_model imports this module's caller
    from codegen.mock_params import _scalar_annotation, _without_null

    schema = _without_null(resolver.deref(param.schema), resolver)
    schema = schema if isinstance(schema, dict) else {}
    if param.shape == "array":
        item = _scalar_annotation(schema.get("items") or {}, resolver)
        return f"list[{item[0] if item else 'str'}]"
    if param.shape == "object":
        annotation = body_annotation(param.schema, resolver)
        return annotation if annotation != "Any" else "dict[str, Any]"
    scalar = _scalar_annotation(schema, resolver)
    return scalar[0] if scalar else "str"


def styled_marker(
    param: SpecParameter, style: str, annotation: str, resolver: Resolver, route_name: str, others: tuple[str, ...]
) -> str:
    """`Depends(styled(...))` for one parameter. Spec strings enter the code only through py_str."""
    keys: tuple[str, ...] = ()
    if param.shape == "object":
        resolved = resolver.deref(param.schema)
        keys = tuple(str(k) for k in mapping(resolved.get("properties") if isinstance(resolved, dict) else None))
    arguments: list[Any] = [
        py_str(param.location),
        py_str(param.name),
        py_str(style),
        str(param.explode),
        py_str(param.shape),
        annotation,
        f"required={param.required}",
    ]
    if param.location == "path":
        arguments.append(f"key={py_str(route_name)}")
    if keys:
        arguments.append(f"keys=({''.join(py_str(k) + ', ' for k in keys)})")
    elif param.shape == "object" and param.explode and style == "form":
        arguments.append(f"others=({''.join(py_str(o) + ', ' for o in others)})")
    return f"Depends(styled({', '.join(arguments)}))"
