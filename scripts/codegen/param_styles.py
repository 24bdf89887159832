"""Which parameters need style-aware serialisation (OpenAPI 3.1 §4.8.12.4), decided once for client and mock.

The spec model already settled each parameter's `style`, `explode`, `allowReserved` and shape; this
module only says whether the plain path (the client's default encoding, FastAPI's default parsing)
already produces the style's wire form, so that only the other parameters pay for the runtime's
serialiser. The plain path sends primitives as `name=value` (query, cookie), as the text itself
(path `simple`, header), arrays as repeated query keys (`form`, explode true) or comma lists
(header `simple`).
"""

from __future__ import annotations

from codegen.media_types import is_json
from codegen.spec_model import Parameter

JSON_STYLE = "json"  # a parameter described by `content` with a JSON media type: compact JSON text


def wire_style(param: Parameter) -> str | None:
    """The style the runtime must apply to `param`, or None when the plain path is already right."""
    if param.content_type is not None:
        return JSON_STYLE if is_json(param.content_type) and param.shape != "primitive" else None
    location, shape = param.location, param.shape
    if location == "query":
        if param.allow_reserved:
            return param.style  # the plain path would percent-encode reserved characters
        if shape == "primitive" or (shape == "array" and param.style == "form" and param.explode):
            return None
        return param.style
    if location == "path":
        return None if shape == "primitive" and param.style == "simple" else param.style
    if location == "header":
        return param.style if shape == "object" else None
    return param.style if shape != "primitive" else None  # cookie
