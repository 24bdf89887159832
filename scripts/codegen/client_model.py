"""A small typed view of the API for templates/client/: what the generated SDK contains.

Built from openapi-python-client's parsed GeneratorData (sanitised names, property types, models)
and the raw effective document (security, servers, extensions the parser drops). Every decision
lives here; the templates only lay this view out. Spec text never becomes code: identifiers come
from the generator's sanitising (and are checked again here), text reaches the templates raw and
is escaped there by the filters of render.py, and the few code fragments built here embed spec
text only through `py_str`.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from codegen.config import Names
from codegen.errors import CodegenError
from codegen.param_styles import wire_style
from codegen.render import py_str
from codegen.spec_model import Operation as SpecOperation
from codegen.spec_model import Parameter as SpecParameter
from codegen.spec_model import SpecModel, build_spec_model

IDEMPOTENT_EXTENSION = "x-codegen-idempotent"
IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace"})

# Public names of the generated runtime's client classes (and their constructor's own arguments);
# a tag or credential named like one gets a suffix instead of replacing it.
CLIENT_RESERVED = frozenset(
    {
        "base_url", "timeout", "max_retries", "http_client", "default_headers", "with_options",
        "close", "aclose", "request", "paginate", "copy", "is_closed", "self",
    }
)  # fmt: skip
METHOD_RESERVED = frozenset({"body", "extra_headers", "extra_query", "timeout", "self"})
RESOURCE_RESERVED = frozenset({"with_raw_response"})
MODEL_RESERVED = frozenset({"to_dict", "from_dict", "additional_properties"})
# Names a model, enum or resource module imports for itself; a class of the same name would shadow one.
CLASS_RESERVED = frozenset(
    {
        "Any", "Enum", "Literal", "Mapping", "TypeVar", "TYPE_CHECKING", "UUID", "Unset", "UNSET", "File",
        "Iterator", "AsyncIterator", "Awaitable", "Callable", "Operation", "PageSpec", "T",
    }
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Options from [tool.codegen.client]


@dataclass(frozen=True)
class ClientOptions:
    """Auth argument names and pagination field names; the defaults fit Zenskar-shaped APIs."""

    auth_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # scheme → argument name(s)
    cursor_params: tuple[str, ...] = ("cursor",)
    limit_params: tuple[str, ...] = ("limit",)
    next_fields: tuple[str, ...] = ("next",)
    items_fields: tuple[str, ...] = ("data", "results")


def _names_list(value: Any, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x for x in items):
        raise CodegenError(f"{where} must be a non-empty string or list of strings", where="[tool.codegen.client]")
    return tuple(items)


def client_options(section: Mapping[str, Any] | None) -> ClientOptions:
    """Read [tool.codegen.client]: `auth = {Scheme = "arg"}` and `[pagination]` cursor/limit/next/items."""
    if not section:
        return ClientOptions()
    auth: dict[str, tuple[str, ...]] = {}
    for scheme, names in dict(section.get("auth") or {}).items():
        args = _names_list(names, f"auth.{scheme}")
        for arg in args:
            if not arg.isidentifier() or keyword.iskeyword(arg) or arg.startswith("_"):
                raise CodegenError(f"auth.{scheme}: {arg!r} is not a usable argument name", where="[tool.codegen]")
        auth[str(scheme)] = args
    paging = dict(section.get("pagination") or {})
    defaults = ClientOptions()
    return ClientOptions(
        auth_names=auth,
        cursor_params=_names_list(paging.get("cursor", list(defaults.cursor_params)), "pagination.cursor"),
        limit_params=_names_list(paging.get("limit", list(defaults.limit_params)), "pagination.limit"),
        next_fields=_names_list(paging.get("next", list(defaults.next_fields)), "pagination.next"),
        items_fields=_names_list(paging.get("items", list(defaults.items_fields)), "pagination.items"),
    )


# ---------------------------------------------------------------------------------------------
# Names


def snake(text: str) -> str:
    """A snake_case identifier by the generator's rules (sanitised, keywords and builtins suffixed)."""
    from openapi_python_client import strings

    return str(strings.PythonIdentifier(text, "field_"))


def pascal(text: str) -> str:
    from openapi_python_client import strings

    return str(strings.ClassName(text, "Field"))


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def unique(name: str, taken: set[str], reserved: Iterable[str] = ()) -> str:
    """`name`, or `name_2`, `name_3`… when taken or reserved; records the result in `taken`."""
    blocked = taken | set(reserved)
    candidate = name if name not in blocked else f"{name}_"
    number = 2
    while candidate in blocked:
        candidate = f"{name}_{number}"
        number += 1
    taken.add(candidate)
    return candidate


def unique_class(name: str, taken: set[str]) -> str:
    """A class name not taken and not shadowing what generated modules import."""
    candidate = name if is_identifier(name) else f"Model{name}"
    if candidate in CLASS_RESERVED:
        candidate = f"{candidate}Model"
    base, number = candidate, 2
    while candidate in taken:
        candidate = f"{base}{number}"
        number += 1
    taken.add(candidate)
    return candidate


def clean_text(value: Any) -> str:
    """Spec prose without control characters (a NUL is illegal even inside a docstring)."""
    if value is None:
        return ""
    raw = value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else str(value)
    return "".join(c for c in raw if c in "\n\t" or (ord(c) >= 32 and ord(c) != 127)).strip()


def untrusted(value: Any) -> str:
    return str(value.get_untrusted_value() if hasattr(value, "get_untrusted_value") else value)


# ---------------------------------------------------------------------------------------------
# Types: a small tree per property, rendered as annotations and decoding expressions


@dataclass(frozen=True)
class ClassRef:
    name: str  # class name in the models package
    module: str  # module under models/


@dataclass(frozen=True)
class TypeNode:
    kind: str  # any str int float bool none date datetime uuid file enum model list union const
    ref: ClassRef | None = None
    items: tuple[TypeNode, ...] = ()  # list: (inner,); union: members
    literal: str | None = None  # const: a Python literal


ANY = TypeNode("any")
IDENTITY_KINDS = frozenset({"any", "str", "int", "float", "bool", "none", "const", "file"})
_SIMPLE_ANNOTATIONS = {
    "any": "Any",
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "none": "None",
    "date": "datetime.date",
    "datetime": "datetime.datetime",
    "uuid": "UUID",
    "file": "File",
}
# What a JSON value must be before a decoder is tried on it inside a union.
_JSON_CHECKS = {
    "date": "isinstance(data, str)",
    "datetime": "isinstance(data, str)",
    "uuid": "isinstance(data, str)",
    "model": "isinstance(data, dict)",
    "list": "isinstance(data, list)",
}


class TypeBuilder:
    """Turns the generator's properties into TypeNodes, with our (deduplicated) class names."""

    def __init__(self, classes: Mapping[str, ClassRef]) -> None:
        self.classes = classes  # generator class name → our class

    def node(self, prop: Any) -> TypeNode:
        kind = type(prop).__name__  # dispatch on the pinned generator's property classes
        if kind in _SIMPLE_PROPERTIES:
            return TypeNode(_SIMPLE_PROPERTIES[kind])
        if kind in ("EnumProperty", "ModelProperty"):
            ref = self.classes.get(str(prop.class_info.name))
            return ANY if ref is None else TypeNode("enum" if kind == "EnumProperty" else "model", ref=ref)
        if kind == "LiteralEnumProperty":
            return TypeNode("int" if prop.value_type is int else "str")
        if kind == "ListProperty":
            return TypeNode("list", items=(self.node(prop.inner_property),))
        if kind == "UnionProperty":
            return union_of(self.node(inner) for inner in prop.inner_properties)
        if kind == "ConstProperty":
            raw = prop.value.raw_value
            if isinstance(raw, str | int | bool):
                return TypeNode("const", literal=repr(raw))
        return ANY


_SIMPLE_PROPERTIES = {
    "StringProperty": "str",
    "IntProperty": "int",
    "FloatProperty": "float",
    "BooleanProperty": "bool",
    "NoneProperty": "none",
    "DateProperty": "date",
    "DateTimeProperty": "datetime",
    "UuidProperty": "uuid",
    "FileProperty": "file",
}


def union_of(members: Iterable[TypeNode]) -> TypeNode:
    """Flattened, deduplicated, None last; Any absorbs everything."""
    flat: list[TypeNode] = []
    for member in members:
        for inner in member.items if member.kind == "union" else (member,):
            if inner.kind == "any":
                return ANY
            if inner not in flat:
                flat.append(inner)
    flat.sort(key=lambda n: n.kind == "none")
    if not flat:
        return ANY
    return flat[0] if len(flat) == 1 else TypeNode("union", items=tuple(flat))


def annotation(node: TypeNode, qualify: str = "_models.", loose_ids: bool = False) -> str:
    """The annotation for a node; model and enum classes are reached through `qualify`."""
    if node.kind in ("enum", "model") and node.ref is not None:
        return f"{qualify}{node.ref.name}"
    if node.kind == "list":
        return f"list[{annotation(node.items[0], qualify, loose_ids)}]"
    if node.kind == "union":
        parts: list[str] = []
        for member in node.items:
            text = annotation(member, qualify, loose_ids)
            if text not in parts:
                parts.append(text)
        return " | ".join(parts)
    if node.kind == "const":
        return f"Literal[{node.literal}]"
    if node.kind == "uuid" and loose_ids:
        return "UUID | str"  # callers often hold ids as text; str(value) is what is sent either way
    return _SIMPLE_ANNOTATIONS.get(node.kind, "Any")


def needs_decode(node: TypeNode) -> bool:
    if node.kind in IDENTITY_KINDS:
        return False
    if node.kind == "list":
        return needs_decode(node.items[0])
    if node.kind == "union":
        return any(needs_decode(m) for m in node.items)
    return True


def needs_encode(node: TypeNode) -> bool:
    """Whether a value of this type must pass through to_json before JSON encoding."""
    return node.kind not in ("str", "int", "float", "bool", "none", "const")


def uses(node: TypeNode) -> set[str]:
    """Which of datetime / UUID / File / Literal an annotation or decoder of this node needs."""
    found: set[str] = set()
    if node.kind in ("date", "datetime"):
        found.add("datetime")
    if node.kind == "datetime":
        found.add("parse_datetime")
    if node.kind in ("uuid", "file", "const"):
        found.add({"uuid": "UUID", "file": "File", "const": "Literal"}[node.kind])
    for inner in node.items:
        found |= uses(inner)
    return found


class Decoders:
    """Builds decoding expressions; unions become small module-level functions collected here."""

    def __init__(self, qualify: str = "_models.") -> None:
        self.qualify = qualify
        self.functions: list[str] = []  # code blocks, each a complete `def`
        self._by_node: dict[TypeNode, str] = {}

    def expr(self, node: TypeNode, src: str, depth: int = 0) -> str:
        """A Python expression decoding the JSON value `src` (evaluated once) into `node`'s type."""
        if not needs_decode(node):
            return src
        q = self.qualify
        if node.kind == "date":
            return f"datetime.date.fromisoformat({src})"
        if node.kind == "datetime":
            return f"parse_datetime({src})"
        if node.kind == "uuid":
            return f"UUID({src})"
        if node.kind == "enum" and node.ref is not None:
            return f"{q}{node.ref.name}({src})"
        if node.kind == "model" and node.ref is not None:
            return f"{q}{node.ref.name}.from_dict({src})"
        if node.kind == "list":
            item = f"_item{depth}"
            return f"[{self.expr(node.items[0], item, depth + 1)} for {item} in {src}]"
        if node.kind == "union":
            return f"{self.union_function(node)}({src})"
        return src

    def union_function(self, node: TypeNode) -> str:
        """`def _decode_N(data)`: try each member that needs decoding, in order, else keep the value."""
        if node in self._by_node:
            return self._by_node[node]
        name = f"_decode_{len(self._by_node)}"
        self._by_node[node] = name
        lines = [f"def {name}(data: Any) -> {annotation(node, self.qualify)}:"]
        if any(member.kind == "none" for member in node.items):
            lines += ["    if data is None:", "        return None"]
        for member in node.items:
            if needs_decode(member):
                check = _JSON_CHECKS.get(member.kind, "True")
                lines += [
                    f"    if {check}:",
                    "        try:",
                    f"            return {self.expr(member, 'data', 1)}",
                    "        except (TypeError, ValueError, KeyError, AttributeError):",
                    "            pass",
                ]
        lines.append(f"    return cast({annotation(node, self.qualify)!r}, data)")
        self.functions.append("\n".join(lines))
        return name


# ---------------------------------------------------------------------------------------------
# Models and enums


@dataclass(frozen=True)
class FieldView:
    name: str  # attribute name
    key: str  # JSON key (untrusted: templates pass it through py_str)
    annotation: str
    required: bool
    default: str | None  # Python literal for required fields that have a safe spec default
    decode: str  # expression reading the field out of `d` in from_dict
    encode: bool  # pass through to_json in to_dict
    description: str
    node: TypeNode
    example: str | None  # the spec's example for a text field (untrusted)


@dataclass(frozen=True)
class ModelView:
    ref: ClassRef
    title: str
    description: str
    fields: tuple[FieldView, ...]
    additional: bool  # keeps unknown keys in additional_properties
    additional_annotation: str
    additional_decode: str | None  # expression over `value`, when extra values need decoding
    functions: tuple[str, ...]  # union decoders used by from_dict
    typing_names: tuple[str, ...]  # names needed from typing
    imports: tuple[str, ...]  # datetime / UUID / parse_datetime / File

    @property
    def required_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if f.required and f.default is None)

    @property
    def optional_fields(self) -> tuple[FieldView, ...]:
        return tuple(f for f in self.fields if not (f.required and f.default is None))


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str  # Python literal


@dataclass(frozen=True)
class EnumView:
    ref: ClassRef
    base: str  # "str" or "int"
    members: tuple[EnumMember, ...]
    description: str


_SAFE_DEFAULT = re.compile(r"^(?:-?\d+(?:\.\d+)?|True|False|None)$")


def _safe_default(prop: Any) -> str | None:
    """A required field's spec default, only when it is a plain literal (numbers, booleans, strings)."""
    default = getattr(prop, "default", None)
    raw = getattr(default, "raw_value", None)
    if raw is None or not prop.required:
        return None
    if isinstance(raw, bool | int | float) and _SAFE_DEFAULT.match(repr(raw)):
        return repr(raw)
    if isinstance(raw, str) and getattr(prop, "class_info", None) is None and type(prop).__name__ == "StringProperty":
        return py_str(raw)
    return None


def _example(prop: Any) -> str | None:
    example = getattr(prop, "example", None)
    return clean_text(example) or None if example is not None else None


def _imports_for(nodes: Iterable[TypeNode]) -> tuple[str, ...]:
    found: set[str] = set()
    for node in nodes:
        found |= uses(node)
    return tuple(sorted(found))


def build_model(model: Any, ref: ClassRef, types: TypeBuilder) -> ModelView:
    decoders = Decoders()
    fields: list[FieldView] = []
    taken: set[str] = set()
    nodes: list[TypeNode] = []
    for prop in [*(model.required_properties or []), *(model.optional_properties or [])]:
        node = types.node(prop)
        nodes.append(node)
        name = unique(str(prop.python_name), taken, MODEL_RESERVED)
        key = untrusted(prop.name)
        default = _safe_default(prop)
        pop = f"d.pop({py_str(key)})"
        value = decoders.expr(node, pop)
        if not prop.required:
            value = f"{value} if {py_str(key)} in d else UNSET"
        elif default is not None:
            value = f"{value} if {py_str(key)} in d else {default}"
        declared = annotation(node) if prop.required else f"{annotation(node)} | Unset"
        fields.append(
            FieldView(
                name=name,
                key=key,
                annotation=declared,
                required=bool(prop.required),
                default=default,
                decode=value,
                encode=needs_encode(node),
                description=clean_text(prop.description),
                node=node,
                example=_example(prop),
            )
        )
    extra = model.additional_properties
    extra_node = types.node(extra) if extra is not None else ANY
    nodes.append(extra_node)
    extra_decode = decoders.expr(extra_node, "value") if needs_decode(extra_node) else None
    typing_names = {"Any", "TypeVar"}
    if decoders.functions:
        typing_names.add("cast")
    if "Literal" in _imports_for(nodes):
        typing_names.add("Literal")
    return ModelView(
        ref=ref,
        title=clean_text(model.data.title if model.data is not None else ""),
        description=clean_text(model.description),
        fields=tuple(fields),
        additional=extra is not None,
        additional_annotation=annotation(extra_node),
        additional_decode=extra_decode,
        functions=tuple(decoders.functions),
        typing_names=tuple(sorted(typing_names)),
        imports=tuple(i for i in _imports_for(nodes) if i != "Literal"),
    )


def build_enum(enum: Any, ref: ClassRef) -> EnumView:
    members: list[EnumMember] = []
    taken: set[str] = set()
    base = "int" if enum.value_type is int else "str"
    for key, value in enum.values.items():
        name = str(key)
        if not is_identifier(name) or name.startswith("_"):
            name = f"VALUE_{snake(name).upper()}"
        name = unique(name, taken, {"mro"})
        literal = repr(int(value)) if base == "int" else py_str(value)
        members.append(EnumMember(name=name, value=literal))
    return EnumView(ref=ref, base=base, members=tuple(members), description=clean_text(enum.description))


# ---------------------------------------------------------------------------------------------
# Security schemes → credentials


@dataclass(frozen=True)
class CredentialView:
    """One security scheme: how it is sent and the constructor arguments that fill it."""

    index: int
    scheme: str  # the scheme's name in the spec (untrusted; comments and messages only)
    kind: str  # header | query | cookie | bearer | basic
    key: str  # header / query / cookie name (untrusted); empty for bearer and basic
    args: tuple[str, ...]  # constructor arguments (basic: username, password)
    envs: tuple[str, ...]


def _default_auth_args(scheme: Mapping[str, Any], scheme_name: str) -> tuple[str, tuple[str, ...], str]:
    """(kind, argument names, key) for one scheme, named from what the user sees on the wire."""
    kind = str(scheme.get("type", "")).lower()
    if kind == "apikey":
        location = str(scheme.get("in", "header")).lower()
        key = str(scheme.get("name") or scheme_name)
        stem = re.sub(r"^x[-_]", "", key, flags=re.I)
        return (location if location in ("header", "query", "cookie") else "header"), (snake(stem),), key
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic", ("username", "password"), ""
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return "bearer", ("bearer_token",), ""
    if kind in ("oauth2", "openidconnect"):
        return "bearer", ("access_token",), ""
    return "bearer", (snake(scheme_name),), ""  # other http schemes: the token is sent as a bearer


def build_credentials(
    doc: Mapping[str, Any], options: ClientOptions, names: Names, taken: set[str]
) -> dict[str, CredentialView]:
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    found: dict[str, CredentialView] = {}
    for scheme_name, scheme in sorted(schemes.items()):
        if not isinstance(scheme, Mapping):
            continue
        kind, args, key = _default_auth_args(scheme, str(scheme_name))
        override = options.auth_names.get(str(scheme_name))
        if override is not None:
            if len(override) != len(args):
                raise CodegenError(
                    f"auth.{scheme_name} needs {len(args)} argument name(s) for a {kind} scheme",
                    where="[tool.codegen.client]",
                )
            args = override
        args = tuple(unique(arg, taken, CLIENT_RESERVED) for arg in args)
        envs = tuple(f"{names.env_prefix}{arg.upper()}" for arg in args)
        found[str(scheme_name)] = CredentialView(len(found), str(scheme_name), kind, key, args, envs)
    return found


def security_alternatives(requirements: Any, credentials: Mapping[str, CredentialView]) -> tuple[tuple[int, ...], ...]:
    """Each alternative is the set of schemes that must all be sent; `()` means "no credentials"."""
    if not isinstance(requirements, list):
        return ()
    alternatives: list[tuple[int, ...]] = []
    for requirement in requirements:
        if not isinstance(requirement, Mapping):
            continue
        if not all(str(name) in credentials for name in requirement):
            continue  # names a scheme the spec does not define: this alternative cannot be met
        alternative = tuple(sorted(credentials[str(name)].index for name in requirement))
        if alternative not in alternatives:
            alternatives.append(alternative)
    return tuple(alternatives)


# ---------------------------------------------------------------------------------------------
# Operations and resources


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
    imports: frozenset[str]  # datetime / UUID / parse_datetime / File / Literal

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
    def returns_page(self) -> str:
        return f"SyncCursorPage[{self.page.item_annotation}]" if self.page else self.returns


@dataclass(frozen=True)
class ResourceView:
    attribute: str  # client.<attribute>, also the module name under resources/
    tag: str  # untrusted tag text, for docstrings
    sync_class: str
    async_class: str
    operations: tuple[OperationView, ...]
    functions: tuple[str, ...]  # decoders used by the operations
    imports: tuple[str, ...]  # datetime / UUID / parse_datetime / File / Literal
    paginated: bool

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


@dataclass(frozen=True)
class HeaderDefault:
    """A header parameter every operation takes: settable once on the client."""

    name: str  # argument of the client constructor
    wire: str  # untrusted
    annotation: str
    env: str


@dataclass
class _OperationContext:
    doc: Mapping[str, Any]
    options: ClientOptions
    types: TypeBuilder
    credentials: Mapping[str, CredentialView]
    common: Mapping[str, HeaderDefault]  # lower-cased wire name → default
    decoders: Decoders
    models: Mapping[str, ModelView]  # our class name → view
    spec: SpecModel | None = None  # parameters' styles


def raw_operation(doc: Mapping[str, Any], path: str, method: str) -> Mapping[str, Any]:
    item = (doc.get("paths") or {}).get(path) or {}
    operation = item.get(method) if isinstance(item, Mapping) else None
    return operation if isinstance(operation, Mapping) else {}


def _spec_operation(spec: SpecModel, method: str, path: str) -> SpecOperation | None:
    """The spec model's operation; the generator may have renamed the path's `{placeholders}`."""
    found = spec.operation(method, path)
    if found is None:
        shape = re.sub(r"\{[^}/]*\}", "{}", path)
        found = next(
            (o for o in spec.operations if o.method == method.lower() and re.sub(r"\{[^}/]*\}", "{}", o.path) == shape),
            None,
        )
    return found


def _spec_parameter(op: SpecOperation, location: str, wire: str, python_name: str) -> SpecParameter | None:
    found = op.parameter(location, wire)
    return found or next((p for p in op.parameters if p.location == location and p.python_name == python_name), None)


def _params(endpoint: Any, ctx: _OperationContext, taken: set[str]) -> list[ParamView]:
    params: list[ParamView] = []
    groups = (
        ("path", endpoint.path_parameters),
        ("query", endpoint.query_parameters),
        ("header", endpoint.header_parameters),
        ("cookie", endpoint.cookie_parameters),
    )
    spec_op = _spec_operation(ctx.spec, str(endpoint.method), untrusted(endpoint.path)) if ctx.spec else None
    for location, props in groups:
        for prop in props:
            node = ctx.types.node(prop)
            wire = untrusted(prop.name)
            common = location == "header" and wire.lower() in ctx.common
            spec_param = _spec_parameter(spec_op, location, wire, str(prop.python_name)) if spec_op else None
            params.append(
                ParamView(
                    name=unique(str(prop.python_name), taken, METHOD_RESERVED),
                    wire=wire,
                    location=location,
                    annotation=annotation(node, loose_ids=True),
                    required=(bool(prop.required) and not common) or location == "path",
                    description=clean_text(prop.description),
                    node=node,
                    example=_example(prop),
                    style=wire_style(spec_param) if spec_param else None,
                    explode=spec_param.explode if spec_param else False,
                    allow_reserved=spec_param.allow_reserved if spec_param else False,
                    shape=spec_param.shape if spec_param else "primitive",
                )
            )
    return params


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
        return f"_models.{node.ref.name}.from_dict"
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
    }
    return {name for name, pattern in tokens.items() if re.search(pattern, text)}


def build_operation(endpoint: Any, name: str, ctx: _OperationContext) -> OperationView:
    path = untrusted(endpoint.path)
    method = str(endpoint.method).lower()
    raw = raw_operation(ctx.doc, path, method)
    taken: set[str] = set()
    params = _params(endpoint, ctx, taken)
    body = _body(endpoint, ctx, taken)
    returns, kind, node = _response(endpoint, ctx.types)
    page = _page(params, node, ctx, name) if kind == "json" else None
    marked = raw.get(IDEMPOTENT_EXTENSION)
    security = raw.get("security", ctx.doc.get("security"))
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
        summary=clean_text(endpoint.summary),
        description=clean_text(endpoint.description),
        params=tuple(params),
        body=body,
        returns=returns,
        response_kind=kind,
        parse=None if page else _parse_target(node, ctx.decoders, f"_parse_{name}"),
        page=page,
        security=security_alternatives(security, ctx.credentials),
        idempotent=marked if isinstance(marked, bool) else method in IDEMPOTENT_METHODS,
        errors=_errors(endpoint, ctx, name),
        imports=frozenset(imports),
    )


def common_headers(
    endpoints: Sequence[Any], types: TypeBuilder, names: Names, taken: set[str]
) -> dict[str, HeaderDefault]:
    """Header parameters every operation takes (case-insensitive), e.g. an API version."""
    if not endpoints:
        return {}
    per_endpoint = [{untrusted(p.name).lower(): p for p in e.header_parameters} for e in endpoints]
    shared = set(per_endpoint[0]).intersection(*per_endpoint[1:])
    found: dict[str, HeaderDefault] = {}
    for wire in sorted(shared):
        prop = per_endpoint[0][wire]
        name = unique(str(prop.python_name), taken, CLIENT_RESERVED)
        node = union_of([types.node(prop), TypeNode("none")])
        found[wire] = HeaderDefault(
            name, untrusted(prop.name), annotation(node, loose_ids=True), f"{names.env_prefix}{name.upper()}"
        )
    return found


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


def build_client_view(
    openapi: Any, doc: Mapping[str, Any], names: Names, options: ClientOptions, spec: SpecModel | None = None
) -> ClientView:
    spec = spec if spec is not None else build_spec_model(doc)
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
        ctx = _OperationContext(doc, options, types, credentials, common, Decoders(), models, spec)
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
