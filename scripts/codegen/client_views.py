"""The views the client templates render for operations and resources: parameters, bodies, pages, errors,
operations and resources (built by client_operations.py)."""

from __future__ import annotations

from dataclasses import dataclass

from codegen.client_classes import FieldView
from codegen.client_types import ClassRef, TypeNode, types_imports
from codegen.media_types import essence


@dataclass(frozen=True)
class ParamView:
    """An argument of a resource method: a parameter, or a property of a flattened JSON body."""

    name: str  # Python argument name
    wire: str  # name on the wire (untrusted)
    location: str  # path | query | header | cookie | body
    annotation: str  # in the method signature, without `| Unset`
    required: bool  # in the signature (a common header or a property of a `body=` is never required there)
    description: str
    node: TypeNode
    example: str | None
    # OpenAPI 3.1 §4.8.12.4, from the spec model; `style` is None when the transport's plain path is right.
    style: str | None = None
    explode: bool = False
    allow_reserved: bool = False
    shape: str = "primitive"


@dataclass(frozen=True)
class BodyView:
    kind: str  # json | data | files | content
    content_type: str  # untrusted
    annotation: str  # of `body=`
    required: bool
    model: ClassRef | None  # set when the body's properties are also keyword arguments
    fields: tuple[tuple[ParamView, FieldView], ...]  # (argument, model field) when flattened
    node: TypeNode

    @property
    def send_content_type(self) -> str | None:
        """The Content-Type to send when the transport would not send the spec's own: raw content, and
        JSON under any media type other than plain application/json (a vendor `+json` type stays itself)."""
        if self.kind == "content" or (self.kind == "json" and essence(self.content_type) != "application/json"):
            return self.content_type
        return None

    @property
    def required_fields(self) -> tuple[str, ...]:
        """Properties that must be given whenever the body is sent."""
        return tuple(f.name for _, f in self.fields if f.required and f.default is None)


@dataclass(frozen=True)
class PageView:
    item_annotation: str
    item_decode: str | None  # callable decoding one item, None to keep items as parsed
    cursor_param: str  # wire name of the cursor query parameter
    items_fields: tuple[str, ...]
    next_fields: tuple[str, ...]
    limit_arg: str | None  # the page-size argument, when the operation takes one (README examples)


@dataclass(frozen=True)
class ErrorView:
    status: int
    decode: str  # callable decoding the error body


@dataclass(frozen=True)
class OperationView:
    name: str  # method name
    const: str  # module-level name of its Operation
    http_method: str  # upper case
    path: str  # untrusted template, e.g. /customers/{customer_id}
    spec_path: str  # the path as the spec writes it (untrusted; the generator may rename its template names)
    summary: str
    description: str
    params: tuple[ParamView, ...]
    body: BodyView | None
    returns: str  # annotation of the parsed result
    response_kind: str  # json | bytes | text | none
    parse: str | None  # callable decoding the JSON body, None to return it as parsed
    page: PageView | None
    security: tuple[tuple[int, ...], ...]
    idempotent: bool
    errors: tuple[ErrorView, ...]
    imports: frozenset[str]  # datetime / UUID / parse_datetime / File / Literal / Union
    result: TypeNode | None = None  # the JSON result's type (None for bytes, text or no body)
    deprecated: bool = False
    idempotency_header: str | None = None  # wire name (untrusted); the runtime fills in a key when not given

    @property
    def path_params(self) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location == "path")

    @property
    def keyword_params(self) -> tuple[ParamView, ...]:
        """Every keyword-only argument: query, header and cookie parameters, then body properties."""
        body = tuple(arg for arg, _ in self.body.fields) if self.body else ()
        return tuple(p for p in self.params if p.location != "path") + body

    def params_in(self, location: str) -> tuple[ParamView, ...]:
        return tuple(p for p in self.params if p.location == location)

    @property
    def styled(self) -> tuple[ParamView, ...]:
        """Parameters the runtime serialises by style (`_serialization.Param`), in order."""
        return tuple(p for p in self.params if p.style is not None)

    def styled_in(self, location: str) -> bool:
        return any(p.location == location for p in self.styled)

    @property
    def overloaded(self) -> bool:
        """Two signatures: the body's required properties as keywords, or the whole `body=`."""
        return self.body is not None and any(arg.required for arg, _ in self.body.fields)

    @property
    def nullable(self) -> bool:
        """Whether an empty or null JSON body is a result (None): the result's type is Any or admits None."""
        node = self.result
        if node is None or node.kind in ("any", "none"):
            return True
        return node.kind == "union" and any(member.kind == "none" for member in node.items)

    @property
    def returns_page(self) -> str:
        return f"SyncCursorPage[{self.page.item_annotation}]" if self.page else self.returns


@dataclass(frozen=True)
class ResourceView:
    attribute: str  # client.<attribute>, also the module name under resources/
    label: str  # untrusted: the tag, the path segment (`/customers`) or the overlay's name it groups by
    origin: str  # tag | path | overlay (operation_names.py)
    sync_class: str
    async_class: str
    operations: tuple[OperationView, ...]
    functions: tuple[str, ...]  # decoders used by the operations
    imports: tuple[str, ...]  # datetime / UUID / parse_datetime / File / Literal
    paginated: bool

    def about(self, quote: str = "") -> str:
        """What the resource holds, for its docstrings (and, quoted, for api.md): `Operations tagged X`."""
        label = f"{quote}{self.label}{quote}"
        if self.origin == "path":
            return f"Operations on the paths under {label}"
        if self.origin == "overlay":
            return f"Operations an overlay groups as {label}"
        return f"Operations tagged {label}"

    @property
    def types_names(self) -> tuple[str, ...]:
        return types_imports(self.imports, "UNSET", "Unset", "to_json")

    @property
    def styled(self) -> bool:
        """Some operation has a parameter the runtime serialises by style."""
        return any(op.styled for op in self.operations)

    @property
    def sync_raw_class(self) -> str:
        return f"{self.sync_class}WithRawResponse"

    @property
    def async_raw_class(self) -> str:
        return f"{self.async_class}WithRawResponse"

    @property
    def sync_streaming_class(self) -> str:
        return f"{self.sync_class}WithStreamingResponse"

    @property
    def async_streaming_class(self) -> str:
        return f"{self.async_class}WithStreamingResponse"


@dataclass(frozen=True)
class HeaderDefault:
    """A header parameter every operation takes: settable once on the client."""

    name: str  # argument of the client constructor
    wire: str  # untrusted
    annotation: str
    env: str
    constant: str | None = None  # Python literal sent when neither argument nor variable is set
